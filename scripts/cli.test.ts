/**
 * The command-line tools refuse what they cannot take with a usage message and exit code 2, before touching any data.
 * Their mains run in-process (a Node process per case took ~17 s); one case runs as a process of its own, to see the
 * entry point turn the result into the exit code and the output.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMain, type CliIo, type ToolMain } from './cli';
import { main as release } from './release';
import { main as importTool } from './import';
import { main as user } from './user';

type Run = { status: number | null; stdout: string; stderr: string; files: string[] };
const TOOLS: Record<string, ToolMain> = { release, import: importTool, user };

/**
 * Runs a tool's main in this process on an empty data folder, one at a time
 * (SPANLAB_DATA is process-wide); resolves with its exit code, output and what
 * it left in the folder.
 */
let queue: Promise<unknown> = Promise.resolve();
const run = (script: string, ...args: string[]): Promise<Run> => {
	const next = queue.then(async () => {
		const data = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-cli-'));
		const saved = process.env.SPANLAB_DATA;
		process.env.SPANLAB_DATA = data;
		let stdout = '';
		let stderr = '';
		const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: process.stdin };
		try {
			const status = await runMain(TOOLS[script], args, io);
			return { status, stdout, stderr, files: fs.readdirSync(data) };
		} finally {
			if (saved === undefined) delete process.env.SPANLAB_DATA;
			else process.env.SPANLAB_DATA = saved;
			fs.rmSync(data, { recursive: true, force: true });
		}
	});
	queue = next.catch(() => undefined);
	return next;
};

/** The same as a user runs it: `node --import tsx scripts/<tool>.ts`, a process of its own. */
const spawnTool = (script: string, ...args: string[]) =>
	new Promise<Run>((resolve, reject) => {
		const data = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-cli-'));
		const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { env: { ...process.env, SPANLAB_DATA: data } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (status) => {
			const files = fs.readdirSync(data);
			fs.rmSync(data, { recursive: true, force: true });
			resolve({ status, stdout, stderr, files });
		});
	});

describe('command-line tools', () => {
	it('release: an unknown option, an unknown source or a missing dataset is a usage error that writes nothing', async () => {
		const cases = [
			[['--bogus'], "release: Unknown option '--bogus'"],
			[['news', '--source', 'foo'], 'release: unknown source "foo"'],
			[[], 'release: give exactly one dataset']
		] as const;
		const results = await Promise.all(cases.map(([args]) => run('release', ...args)));
		results.forEach((r, i) => {
			const [args, message] = cases[i];
			expect(r.status, args.join(' ')).toBe(2);
			expect(r.stderr).toContain(message);
			expect(r.stderr).toContain('usage: npm run release -- <dataset>');
			expect(r.files).toEqual([]);
		});
	});

	it('import: no file, a missing file or a folder is a usage error; --help prints the usage and succeeds', async () => {
		const [none, missing, folder, help] = await Promise.all([
			run('import', 'news'),
			run('import', 'news', '/nonexistent/a.txt'),
			run('import', 'news', os.tmpdir()),
			run('import', '--help')
		]);
		expect(none.status).toBe(2);
		expect(none.stderr).toContain('import: give a dataset and at least one file');
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain('import: no such file: /nonexistent/a.txt');
		expect(folder.status).toBe(2);
		expect(folder.stderr).toContain(`import: not a file: ${os.tmpdir()}`);
		for (const r of [none, missing, folder]) expect(r.files).toEqual([]);
		expect(help.status).toBe(0);
		expect(help.stdout.trim()).toBe('usage: npm run import -- <dataset> <files…> [--label-map FROM:TO,…] [--add-labels] [--by name]');
	});

	it('user: an unknown command, a missing name or a misplaced --role is a usage error; an unknown user is an error of the data', async () => {
		const [bogus, noName, misplaced, unknown] = await Promise.all([
			run('user', 'bogus'),
			run('user', 'role'),
			run('user', 'list', '--role', 'lead'),
			spawnTool('user', 'role', 'bob', 'lead')
		]);
		expect(bogus.status).toBe(2);
		expect(bogus.stderr).toContain('user: unknown command "bogus"');
		expect(noName.status).toBe(2);
		expect(noName.stderr).toContain('user: give a user name');
		expect(misplaced.status).toBe(2);
		expect(misplaced.stderr).toContain('user: --role goes with add');
		for (const r of [bogus, noName, misplaced]) expect(r.stderr).toContain('npm run user -- add NAME');
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toContain('no user "bob"');
		expect(unknown.stderr).not.toContain('usage:');
	});
});
