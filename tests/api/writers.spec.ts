/**
 * One writer per data folder (issue #14, item 3), for real: production servers
 * and the command-line tools as separate processes on one temp data folder.
 */
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startServer, killHard, stopServer, tempDataDir, Client, type RunningServer } from '../helpers/server';
import { runTool, startTool } from '../helpers/cli';
import { onPostgres } from '../helpers/store';

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const servers: RunningServer[] = [];
test.afterAll(async () => {
	for (const s of servers) await killHard(s);
});
async function start(dataDir: string, port?: number): Promise<RunningServer> {
	const server = await startServer({ port: port ?? (await freePort()), dataDir });
	servers.push(server);
	return server;
}

/** A server that is expected to refuse to start: its exit code and output. */
async function startRefused(dataDir: string): Promise<{ code: number | null; output: string }> {
	const child = spawn(process.execPath, ['scripts/serve.js'], {
		env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1', SPANLAB_DATA: dataDir, SPANLAB_DEMO_PASSWORD: 'e2e-demo-password' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	clearTimeout(timer);
	return { code, output };
}

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

test('a second server on a data folder in use refuses to start; after kill -9 of the first, a new one starts', async () => {
	// on PostgreSQL several servers share a database: tests/api/two-process.spec.ts
	test.skip(onPostgres(), 'the data folder\'s lock (file store only); on PostgreSQL two servers on one database is the point');
	const dataDir = tempDataDir('spanlab-writers-');
	const first = await start(dataDir);
	const lead = await new Client(first.url).login('lead');
	expect((await lead.call('POST', '/api/datasets', { slug: 'one', title: 'One' })).status).toBe(201);
	const before = fs.readFileSync(path.join(dataDir, 'spanlab.lock'), 'utf8');

	const second = await startRefused(dataDir);
	expect(second.code).toBe(1);
	expect(second.output).toContain(`spanlab: cannot start: the data folder ${dataDir} is in use by a spanlab server (pid ${first.process.pid} on `);
	expect(second.output).toContain('One server per data folder');
	expect(second.output).not.toContain('listening on');
	// the refused server changed nothing: the lock is the first one's, the first one still answers
	expect(fs.readFileSync(path.join(dataDir, 'spanlab.lock'), 'utf8')).toBe(before);
	expect((await lead.call('GET', '/api/datasets/one')).status).toBe(200);

	await killHard(first); // leaves its lock behind
	expect(fs.existsSync(path.join(dataDir, 'spanlab.lock'))).toBe(true);
	const third = await start(dataDir);
	expect(third.output()).toContain(`spanlab: took over the data folder's lock from a spanlab server (pid ${first.process.pid} on `);
	expect(third.output()).toContain('which is no longer running');
	const again = await new Client(third.url).login('lead');
	expect((await again.call('GET', '/api/datasets/one')).status).toBe(200);
	expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'spanlab.lock'), 'utf8')).pid).toBe(third.process.pid);

	// a clean stop releases the folder: lock and socket are gone
	await stopServer(third);
	expect(fs.existsSync(path.join(dataDir, 'spanlab.lock'))).toBe(false);
	expect(fs.existsSync(path.join(dataDir, 'spanlab.sock'))).toBe(false);
	fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the command-line tools used while a server runs: the server carries them out and sees them at once', async () => {
	test.skip(onPostgres(), 'the tools reach the server through the data folder\'s socket and lock (file store only)');
	const dataDir = tempDataDir('spanlab-writers-cli-');
	const server = await start(dataDir);
	const lead = await new Client(server.url).login('lead');
	expect((await lead.call('POST', '/api/datasets', { slug: 'news', title: 'News' })).status).toBe(201);

	// user: a new account logs in at once; a new password ends its sessions at once
	const added = await runTool('user', ['add', 'alice', '--role', 'annotator'], dataDir, 'Alice-password-1\n');
	expect(added.stderr).toBe('');
	expect(added.status).toBe(0);
	expect(added.stdout).toContain(`created annotator "alice" in ${dataDir}`);
	const alice = await new Client(server.url).login('alice', 'Alice-password-1');
	expect((await alice.call('GET', '/api/me')).status).toBe(200);
	const passwd = await runTool('user', ['passwd', 'alice'], dataDir, 'Alice-password-2\n');
	expect(passwd.status).toBe(0);
	expect((await alice.call('GET', '/api/me')).status).toBe(401);
	await new Client(server.url).login('alice', 'Alice-password-2');
	const duplicate = await runTool('user', ['add', 'alice'], dataDir, 'Alice-password-3\n');
	expect(duplicate.status).toBe(1);
	expect(duplicate.stderr).toContain('user "alice" already exists');
	const list = await runTool('user', ['list'], dataDir);
	expect(list.stdout).toMatch(/^alice\s+annotator\s+active$/m);

	// import: the documents and their pre-annotations are there for the next request
	const file = path.join(dataDir, '..', `writers-${process.pid}-a.jsonl`);
	const docs = Array.from({ length: 40 }, (_, i) => ({ id: `a${i}`, text: `Le maire ${i} a parlé.`, spans: [{ start: 3, end: 8, label: 'attribution' }] }));
	fs.writeFileSync(file, jsonl(docs));
	const imported = await runTool('import', ['news', file], dataDir);
	expect(imported.status, imported.stderr).toBe(0);
	expect(imported.stdout).toContain('imported 40 / duplicates 0 (news,');
	expect(imported.stdout).toContain('pre-annotations import:writers-');
	const listed = await lead.call('GET', '/api/datasets/news/documents');
	expect(listed.json.map((d: { id: string }) => d.id)).toEqual(docs.map((d) => d.id));
	const pre = await lead.call('GET', `/api/datasets/news/documents/a7/annotations/import~writers-${process.pid}-a.jsonl`);
	expect(pre.status).toBe(200);
	expect(pre.json.spans.map((s: { text: string }) => s.text)).toEqual(['maire']);
	// a refused import changes nothing and says why
	const badFile = path.join(dataDir, '..', `writers-${process.pid}-bad.jsonl`);
	fs.writeFileSync(badFile, '{"id":"b1","text":"Fine."}\n{"id":"b2","text":\n');
	const refused = await runTool('import', ['news', badFile], dataDir);
	expect(refused.status).toBe(1);
	expect(refused.stderr).toContain('import: nothing was imported into news; 1 problem:');
	expect((await lead.call('GET', '/api/datasets/news/documents')).json).toHaveLength(40);
	const missing = await runTool('import', ['nope', file], dataDir);
	expect(missing.status).toBe(1);
	expect(missing.stderr).toContain('import: no dataset "nope"');

	// release: cut by the server, listed at once, and the next release through the API follows it
	const gold = await lead.call('PUT', '/api/datasets/news/documents/a1/annotations/gold', { baseRevision: 0, spans: [{ start: 3, end: 8, label: 'attribution' }] });
	expect(gold.status, gold.text).toBe(200);
	const released = await runTool('release', ['news', '--note', 'from the command line'], dataDir);
	expect(released.status, released.stderr).toBe(0);
	expect(released.stdout).toContain('released news v0001 (gold): 1 records, 1 spans');
	const releases = await lead.call('GET', '/api/datasets/news/releases');
	expect(releases.json.map((m: { name: string; note: string }) => [m.name, m.note])).toEqual([['v0001', 'from the command line']]);
	const next = await lead.call('POST', '/api/datasets/news/releases', { source: 'gold' });
	expect(next.status, next.text).toBe(201);
	expect(next.json.name).toBe('v0002');

	// two tools at once, through the server: both complete, nothing lost
	const files = ['b', 'c'].map((tag) => {
		const f = path.join(dataDir, '..', `writers-${process.pid}-${tag}.jsonl`);
		fs.writeFileSync(f, jsonl(Array.from({ length: 300 }, (_, i) => ({ id: `${tag}${i}`, text: `Texte ${tag} numéro ${i}.` }))));
		return f;
	});
	const both = await Promise.all(files.map((f) => runTool('import', ['news', f], dataDir)));
	for (const r of both) {
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain('imported 300 / duplicates 0');
	}
	expect((await lead.call('GET', '/api/datasets/news/documents')).json).toHaveLength(640);
	await stopServer(server);

	// and two tools at once with no server: the second waits for the first's lock (a long import), both complete
	const files2 = ['d', 'e'].map((tag, n) => {
		const f = path.join(dataDir, '..', `writers-${process.pid}-${tag}.jsonl`);
		fs.writeFileSync(f, jsonl(Array.from({ length: n === 0 ? 10000 : 500 }, (_, i) => ({ id: `${tag}${i}`, text: `Texte ${tag} numéro ${i}.` }))));
		return f;
	});
	const first = startTool('import', ['news', files2[0]], dataDir);
	await expect.poll(() => fs.existsSync(path.join(dataDir, 'spanlab.lock')), { timeout: 20_000, intervals: [20] }).toBe(true);
	const second = await runTool('import', ['news', files2[1]], dataDir);
	const firstRun = await first.done;
	expect(firstRun.status, firstRun.stderr).toBe(0);
	expect(firstRun.stdout).toContain('imported 10000 / duplicates 0');
	expect(second.status, second.stderr).toBe(0);
	expect(second.stdout).toContain('imported 500 / duplicates 0');
	expect(second.stderr).toContain('import: waiting for `npm run import` (pid ');
	expect(fs.existsSync(path.join(dataDir, 'spanlab.lock'))).toBe(false);

	// a server started while a tool holds the folder waits for the tool, then starts and has its work
	const third = path.join(dataDir, '..', `writers-${process.pid}-f.jsonl`);
	fs.writeFileSync(third, jsonl(Array.from({ length: 10000 }, (_, i) => ({ id: `f${i}`, text: `Texte f numéro ${i}.` }))));
	const tool = startTool('import', ['news', third], dataDir);
	await expect.poll(() => fs.existsSync(path.join(dataDir, 'spanlab.lock')), { timeout: 20_000, intervals: [20] }).toBe(true);
	const restarted = await startServer({ port: await freePort(), dataDir, startTimeoutMs: 120_000 });
	servers.push(restarted);
	const toolRun = await tool.done;
	expect(toolRun.status, toolRun.stderr).toBe(0);
	expect(toolRun.stdout).toContain('imported 10000 / duplicates 0');
	expect(restarted.output()).toContain('spanlab: waiting for `npm run import` (pid ');
	const after = await new Client(restarted.url).login('lead');
	expect((await after.call('GET', '/api/datasets/news/documents')).json).toHaveLength(21140);
	await stopServer(restarted);
	for (const f of [file, badFile, third, ...files, ...files2]) fs.rmSync(f, { force: true });
	fs.rmSync(dataDir, { recursive: true, force: true });
});
