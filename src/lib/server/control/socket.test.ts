/** The control socket answers what the tools send, and refuses what they would not send without harm. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { listenControlSocket, socketPathFor, SOCKET_FILE } from './socket';
import { createDataset, listDocumentHeaders, resetDatasetCache, resetAnnotationCache } from '../store';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

let root: string;
let close: () => void;
let socketPath: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-sock-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	({ close, path: socketPath } = await listenControlSocket(root));
});
afterEach(() => {
	close();
	removeDataFolder(root);
});

/** Sends raw bytes (ending the connection after them unless `keepOpen`), returns every answer line. */
function exchange(payload: string | Buffer, { keepOpen = false } = {}): Promise<Array<Record<string, any>>> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(socketPath);
		let data = '';
		socket.setEncoding('utf8');
		socket.on('data', (d) => (data += d));
		socket.on('error', reject);
		socket.on('close', () => resolve(data.split('\n').filter(Boolean).map((l) => JSON.parse(l))));
		socket.write(payload);
		if (!keepOpen) socket.end();
	});
}

describe('control socket', () => {
	it('lives in the data folder, owner only; a folder path too long for a socket gets one in the temp folder', () => {
		expect(socketPath).toBe(path.join(root, SOCKET_FILE));
		expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
		const deep = path.join(root, 'x'.repeat(120));
		expect(socketPathFor(deep)).toMatch(new RegExp(`^${os.tmpdir()}/spanlab-[0-9a-f]{16}\\.sock$`));
		expect(socketPathFor(deep)).toBe(socketPathFor(deep));
		expect(socketPathFor(deep)).not.toBe(socketPathFor(deep + 'y'));
	});

	it('runs a command and answers with its result', async () => {
		const added = await exchange(JSON.stringify({ command: 'user.add', username: 'alice', password: 'Alice-password-1', role: 'lead' }) + '\n');
		expect(added).toEqual([{ result: { username: 'alice', role: 'lead' } }]);
		const listed = await exchange(JSON.stringify({ command: 'user.list' }) + '\n');
		expect(listed[0].result.map((u: { username: string }) => u.username)).toEqual(['alice']);
		expect(JSON.stringify(listed)).not.toContain('password');
	});

	it('streams an import: progress lines, then the result; the documents are there', async () => {
		const file = Buffer.from('{"id":"a","text":"Un."}\n{"id":"b","text":"Deux."}\n');
		const command = { command: 'import', slug: 'news', by: 'cli:test', files: [{ name: 'x.jsonl', size: file.length }] };
		const answers = await exchange(Buffer.concat([Buffer.from(JSON.stringify(command) + '\n'), file]));
		expect(answers.at(-1)).toMatchObject({ result: { imported: 2, duplicates: 0, errors: [] } });
		expect(answers.slice(0, -1).every((a) => a.progress)).toBe(true);
		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(['a', 'b']);
	});

	it('refuses what is not a command with a 400 and changes nothing', async () => {
		const cases: Array<[string | Buffer, RegExp]> = [
			['not json\n', /^the command is not JSON/],
			[JSON.stringify({ command: 'rm -rf' }) + '\n', /./],
			[JSON.stringify({ command: '__proto__' }) + '\n', /./],
			[JSON.stringify({ command: 'release', slug: 'news', source: 'gold', by: 'x' }) + '\n', /./], // no note
			[JSON.stringify({ command: 'import', slug: 'news', by: 'x', files: [] }) + '\n', /./],
			[Buffer.alloc(1024 * 1024 + 10, 'a'), /^no command/], // a line longer than 1 MiB
			['', /^no command/]
		];
		for (const [payload, message] of cases) {
			const answers = await exchange(payload);
			expect(answers, `${String(payload).slice(0, 40)}: ${JSON.stringify(answers).slice(0, 300)}`).toHaveLength(1);
			expect(answers[0].error.status).toBe(400);
			expect(answers[0].error.message).toMatch(message);
		}
		expect(await listDocumentHeaders('news')).toEqual([]);
		expect(fs.existsSync(path.join(root, '_system', 'users.json'))).toBe(false);
	});

	it('a tool that goes away in the middle of a file imports nothing, and the next import runs', async () => {
		const command = { command: 'import', slug: 'news', by: 'cli:test', files: [{ name: 'x.jsonl', size: 10_000 }] };
		const answers = await exchange(JSON.stringify(command) + '\n{"id":"a","text":"Un."}\n'); // then the end, 9,977 bytes short
		expect(answers.at(-1)?.error, JSON.stringify(answers).slice(0, 500)).toEqual({ message: 'the connection ended in the middle of a file', status: 400 });
		expect(await listDocumentHeaders('news')).toEqual([]);
		const file = Buffer.from('{"id":"b","text":"Deux."}\n');
		const next = { command: 'import', slug: 'news', by: 'cli:test', files: [{ name: 'y.jsonl', size: file.length }] };
		const ok = await exchange(Buffer.concat([Buffer.from(JSON.stringify(next) + '\n'), file]));
		expect(ok.at(-1)).toMatchObject({ result: { imported: 1 } });
	});
});
