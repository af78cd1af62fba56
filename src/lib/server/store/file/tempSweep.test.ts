/** The start-up sweep takes the temp files of crashed writers, never those of a live process. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeTempFiles, tempPathFor, TEMP_MARKER } from './durable';

const children: ChildProcess[] = [];
afterEach(() => {
	for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('removeTempFiles', () => {
	it("keeps this process's and other live processes' temp files, removes the rest", async () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-sweep-'));
		const nested = path.join(root, 'news', 'documents');
		fs.mkdirSync(nested, { recursive: true });
		const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
		children.push(live);
		const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
		await new Promise((resolve) => gone.on('exit', resolve));

		const own = tempPathFor(path.join(nested, 'a.json'));
		const files = {
			own,
			otherLive: path.join(nested, `${TEMP_MARKER}${live.pid}.0badcafe-b.json.1234abcd`),
			otherGone: path.join(nested, `${TEMP_MARKER}${gone.pid}.0badcafe-c.json.1234abcd`),
			ownPidPreviousLife: path.join(root, `${TEMP_MARKER}${process.pid}.00000000-d.json.1234abcd`),
			untagged: path.join(root, `${TEMP_MARKER}import-0123456789ab.ndjson`),
			oldFormat: path.join(nested, `${TEMP_MARKER}deadbeef-e.json.1234abcd`)
		};
		for (const file of Object.values(files)) fs.writeFileSync(file, 'x');
		fs.writeFileSync(path.join(nested, 'kept.json'), '{}');

		expect(await removeTempFiles(root)).toBe(4);
		const left = (fs.readdirSync(root, { recursive: true }) as string[]).map((f) => path.join(root, f)).sort();
		expect(left).toEqual(
			[path.join(root, 'news'), nested, path.join(nested, 'kept.json'), files.own, files.otherLive].sort()
		);
		live.kill('SIGKILL');
		await new Promise((resolve) => live.on('exit', resolve));
		expect(await removeTempFiles(root)).toBe(1); // its writer is gone now
		expect(fs.existsSync(files.otherLive)).toBe(false);
		expect(fs.existsSync(files.own)).toBe(true);
		fs.rmSync(root, { recursive: true, force: true });
	});
});
