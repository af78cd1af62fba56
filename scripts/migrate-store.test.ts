/**
 * `npm run migrate-store`: a history built on the file store through the domain's
 * own functions (an import with pre-annotations, saves of two annotators over
 * several revisions with comments and a flag, gold with rejections, a prediction
 * run, a gazetteer, two releases, accounts, a token, a session) is moved to a
 * throwaway PostgreSQL database and back to a new folder; every read of each
 * copy is the source's, as JSON text, and the releases' bytes hash the same.
 * Then the refusals: a target that is not empty, URLs that are not a database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { startPostgres, type TestPostgres } from '../tests/helpers/postgres';
import { createDataset, updateDataset, updateUsers, updateSessions, uploadRun, writeGazetteer, loadSet } from '../src/lib/server/store';
import { fileStore } from '../src/lib/server/store/file';
import { createPostgresStore } from '../src/lib/server/store/postgres';
import { importFiles } from '../src/lib/server/import/importer';
import { saveSet } from '../src/lib/server/annotate/saveSet';
import { cutRelease } from '../src/lib/server/release/releases';
import { freshDataFolder, removeDataFolder } from '../src/lib/server/testing/dataFolder';
import { GOLD } from '../src/lib/model/types';
import type { Store } from '../src/lib/server/store/types';
import { runMain, type CliIo } from './cli';
import { main } from './migrate-store';

let cluster: TestPostgres;
let source: string;
const folders: string[] = [];
const previousData = process.env.SPANLAB_DATA;

const run = async (...args: string[]) => {
	let stdout = '';
	let stderr = '';
	const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: process.stdin };
	const status = await runMain(main, args, io);
	return { status, stdout, stderr };
};

const newFolder = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-migrated-'));
	folders.push(dir);
	return path.join(dir, 'data');
};

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const LABELS = ['claim', 'attribution', 'framing', 'date'];
const TEXTS = {
	a: 'Le préfet a annoncé mardi 4 mai que le budget serait voté.',
	b: '« Nous paierons », a dit la maire 🎉 de Besançon.',
	c: 'CJK 東京都 and combining e\u0301 marks\r\nwith CRLF and\u00a0NBSP.'
};

async function buildHistory(): Promise<void> {
	await createDataset({ slug: 'news', title: 'Actualités', description: 'un corpus', createdBy: 'lead' });
	await updateDataset('news', (d) => {
		d.members = { ann2: 'annotator', ann1: 'annotator', lead: 'lead' };
		d.assignments = { a: ['ann1', 'ann2'], b: ['ann1'], c: ['ann2'] };
		d.guidelines = '# Consignes\n\nTout ce qui se vérifie.';
		d.suggestions = { dates: true, lexicon: true };
	});
	await createDataset({ slug: 'empty', title: 'Nothing yet', createdBy: 'lead' });
	const lines = [
		{ id: 'a', title: 'Préfet', text: TEXTS.a, meta: { source: 'afp', tags: ['b', 'a'] }, spans: [{ start: 3, end: 9, label: 'attribution' }] },
		{ id: 'b', title: 'Maire', text: TEXTS.b, meta: { 'a key with spaces': null } },
		{ id: 'c', title: 'Mixed', text: TEXTS.c }
	];
	const imported = await importFiles('news', [{ name: 'batch.jsonl', data: new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n') }], { by: 'lead' });
	expect(imported.imported).toBe(3);

	const doc = (id: keyof typeof TEXTS) => ({ id, text: TEXTS[id] });
	const save = async (id: keyof typeof TEXTS, annotator: string, by: string, input: Record<string, unknown>) => {
		const { revision } = await loadSet('news', id, annotator);
		const result = await saveSet('news', doc(id), annotator, by, LABELS, { baseRevision: revision, ...input });
		expect(result.changed).toBe(true);
	};
	await save('a', 'ann1', 'ann1', { spans: [{ start: 0, end: 9, label: 'attribution' }, { start: 13, end: 21, label: 'claim' }], activeSecondsDelta: 20 });
	await save('a', 'ann1', 'ann1', { spans: [{ start: 0, end: 9, label: 'attribution' }, { start: 13, end: 21, label: 'framing' }], comments: [{ text: 'relabelled: framing, not a claim' }] });
	await save('a', 'ann1', 'ann1', { status: 'done', activeSecondsDelta: 7 });
	await save('b', 'ann1', 'ann1', { spans: [{ start: 2, end: 17, label: 'claim' }], flag: { reason: 'off-topic', note: 'pas un article' } });
	await save('a', 'ann2', 'ann2', { spans: [{ start: 3, end: 9, label: 'attribution' }], status: 'done' });
	await save('c', 'ann2', 'ann2', { spans: [{ start: 4, end: 7, label: 'claim' }] });
	await save('a', GOLD, 'lead', { spans: [{ start: 0, end: 9, label: 'attribution' }], rejected: [{ start: 13, end: 21, label: 'claim' }] });
	await save('a', GOLD, 'lead', { status: 'done' });
	await cutRelease('news', { source: 'gold', createdBy: 'lead', note: 'first' });
	await save('c', GOLD, 'lead', { spans: [{ start: 4, end: 7, label: 'claim' }], status: 'done' });
	await cutRelease('news', { source: 'all', createdBy: 'lead', note: 'second' });

	const runBody = [{ doc_id: 'a', model: 'tagger', model_version: '1.0', spans: [{ start: 0, end: 9, label: 'attribution', score: 0.9 }] }, { doc_id: 'c', spans: [] }];
	await uploadRun('news', 'tagger-1', (async function* () {
		yield new TextEncoder().encode(runBody.map((l) => JSON.stringify(l)).join('\n') + '\n');
	})(), { by: 'lead', maxBytes: 1 << 20 });
	await writeGazetteer('news', { entries: [{ text: 'Besançon', label: 'attribution' }] as never, uploaded_at: '2026-01-02T03:04:05.678Z', uploaded_by: 'lead' });

	const at = '2026-01-02T03:04:05.678Z';
	await updateUsers((data) => {
		data.users.push({ username: 'lead', role: 'lead', password_hash: 'scrypt$a', active: true, created_at: at });
		data.users.push({ username: 'ann1', role: 'annotator', password_hash: 'scrypt$b', active: true, created_at: at, credential_version: 3, preferences: { density: 'compact' } });
		data.users.push({ username: 'ann2', role: 'annotator', password_hash: 'scrypt$c', active: false, created_at: at });
		data.tokens.push({ id: 'tok1', username: 'lead', name: 'ci', hash: 'h1', created_at: at, last_used_at: at });
	});
	await updateSessions((data) => {
		data.sessions.push({ hash: 'sess1', username: 'ann1', created_at: at, expires_at: '2999-01-01T00:00:00.000Z', credential_version: 3 });
		data.sessions.push({ hash: 'gone', username: 'ann2', created_at: at, expires_at: '2000-01-01T00:00:00.000Z' });
	});
}

async function text(body: ReadableStream<Uint8Array>): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks).toString('utf8');
}

/** Every read the app makes of a store, as JSON text (key order included). */
async function readAll(store: Store): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	out.users = JSON.stringify(await store.users.list());
	out.tokens = JSON.stringify(await store.tokens.list());
	// live sessions are copied (nobody is logged out by a move); expired ones are not (see the test)
	out.sessions = JSON.stringify(await store.sessions.find('sess1'));
	const datasets = await store.datasets.list();
	out.datasets = JSON.stringify(datasets);
	for (const { slug } of datasets) {
		out[`${slug} headers`] = JSON.stringify(await store.documents.headers(slug));
		for (const { id } of await store.documents.headers(slug)) {
			out[`${slug} document ${id}`] = JSON.stringify(await store.documents.get(slug, id));
			out[`${slug} imports ${id}`] = JSON.stringify(await store.sets.importSetsOf(slug, id));
			for (const annotator of ['ann1', 'ann2', GOLD, ...(await store.sets.importSetNames(slug, id))]) {
				const key = { slug, docId: id, annotator };
				out[`${slug} set ${id}/${annotator}`] = JSON.stringify(await store.sets.load(key));
				out[`${slug} revisions ${id}/${annotator}`] = JSON.stringify(await store.sets.revisions(key));
				out[`${slug} page ${id}/${annotator}`] = JSON.stringify(await store.sets.pageRevisions(key, { limit: 2 }));
			}
		}
		const summaries = await store.sets.summaries(slug);
		out[`${slug} summaries`] = JSON.stringify(
			[...summaries.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([doc, perDoc]) => [doc, [...perDoc.entries()].sort(([a], [b]) => (a < b ? -1 : 1))])
		);
		const walk: unknown[] = [];
		for await (const work of store.sets.iterateWork(slug)) walk.push(work);
		out[`${slug} walk`] = JSON.stringify(walk);
		out[`${slug} search`] = JSON.stringify(await store.documents.search(slug, 'besancon'));
		out[`${slug} gazetteer`] = JSON.stringify((await store.gazetteers.read(slug))?.gazetteer ?? null);
		out[`${slug} runs`] = JSON.stringify(await store.runs.list(slug));
		for (const m of await store.runs.list(slug)) out[`${slug} run ${m.run}`] = JSON.stringify([...(await store.runs.load(slug, m.run)).spans]);
		out[`${slug} releases`] = JSON.stringify(await store.releases.list(slug));
		for (const version of await store.releases.versions(slug)) {
			const body = await text((await store.releases.bytes(slug, version)).body);
			out[`${slug} release ${version} sha256`] = sha256(body);
			out[`${slug} release ${version} records`] = JSON.stringify(await collect(await store.releases.records(slug, version)));
		}
	}
	return out;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of items) out.push(item);
	return out;
}

/** The file store over `root` (SPANLAB_DATA switched for the read). */
async function readFolder(root: string): Promise<Record<string, string>> {
	process.env.SPANLAB_DATA = root;
	const store = fileStore();
	store.reset();
	try {
		return await readAll(store);
	} finally {
		store.reset();
	}
}

async function readDatabase(url: string): Promise<Record<string, string>> {
	const store = createPostgresStore(url, { max: 2 });
	try {
		return await readAll(store);
	} finally {
		await store.close();
	}
}

function expectSame(copy: Record<string, string>, original: Record<string, string>): void {
	expect(Object.keys(copy)).toEqual(Object.keys(original));
	for (const key of Object.keys(original)) expect.soft(copy[key], key).toBe(original[key]);
}

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

let original: Record<string, string>;
let database: string;

beforeAll(async () => {
	cluster = await startPostgres();
	source = freshDataFolder('spanlab-migrate-source-');
	await buildHistory();
	original = await readFolder(source);
	database = await cluster.newDatabase('migrated');
}, 120_000);

afterAll(async () => {
	await cluster?.stop();
	if (source) removeDataFolder(source);
	for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
	if (previousData === undefined) delete process.env.SPANLAB_DATA;
	else process.env.SPANLAB_DATA = previousData;
});

describe('npm run migrate-store', () => {
	it('copies a folder to PostgreSQL and back, every read the same and every release the same bytes', async () => {
		// the history is what it says (a copy of an empty store proves nothing)
		expect(JSON.parse(original['news revisions a/ann1'])).toHaveLength(3);
		expect(JSON.parse(original['news set a/gold']).rejected).toHaveLength(1);
		expect(JSON.parse(original['news set b/ann1']).flag.reason).toBe('off-topic');
		expect(JSON.parse(original['news set a/ann1']).comments).toHaveLength(1);
		expect(JSON.parse(original['news set a/import~batch.jsonl']).spans).toHaveLength(1);
		expect(JSON.parse(original['news releases'])).toHaveLength(2);
		expect(JSON.parse(original['news runs'])).toHaveLength(1);
		expect(JSON.parse(original.sessions)).toMatchObject({ hash: 'sess1' });

		const there = await run('--from', source, '--to', database);
		expect(there.stderr).toMatch(/news: documents copied 3\/3/);
		expect(there.stdout).toMatch(/^news: release v0002 +sha256 [0-9a-f]{12}…, \d+ bytes +sha256 [0-9a-f]{12}…, \d+ bytes +ok$/m);
		expect(there.stdout).toMatch(/^news: revisions +10 revisions \([0-9a-f]{12}\) +10 revisions \([0-9a-f]{12}\) +ok$/m);
		expect(there.stdout).toMatch(/every line matches/);
		expect(there.stdout).not.toMatch(/MISMATCH/);
		expect(there.status).toBe(0);
		expectSame(await readDatabase(database), original);
		const copied = createPostgresStore(database, { max: 1 });
		expect(await copied.sessions.find('gone')).toBeUndefined();
		await copied.close();
		// the source was only read (its expired session too is still there: reading the sessions wrote nothing)
		expectSame(await readFolder(source), original);
		expect(fs.readFileSync(path.join(source, '_system', 'sessions.json'), 'utf8')).toContain('"gone"');

		const back = newFolder();
		const home = await run('--from', database, '--to', back);
		expect(home.stdout).toMatch(/every line matches/);
		expect(home.status).toBe(0);
		expectSame(await readFolder(back), original);
		expect(fs.existsSync(path.join(back, 'spanlab.lock'))).toBe(false);

		// database to database
		const other = await cluster.newDatabase('other');
		const across = await run('--from', database, '--to', other);
		expect(across.stdout).toMatch(/every line matches/);
		expect(across.status).toBe(0);
		expectSame(await readDatabase(other), original);
	});

	it('a dataset from before versions (no version in its record) is the same dataset at version 0 in a database', async () => {
		const old = newFolder();
		fs.mkdirSync(path.join(old, 'old'), { recursive: true });
		const record = { slug: 'old', title: 'Old', description: '', created_at: '2019-05-06T07:08:09.000Z', created_by: 'lead', labels: [{ name: 'claim', key: '1', color: '#e8590c', description: '' }], guidelines: '', members: {}, assignments: null };
		fs.writeFileSync(path.join(old, 'old', 'dataset.json'), JSON.stringify(record, null, 2) + '\n');
		const url = await cluster.newDatabase('old');
		const moved = await run('--from', old, '--to', url);
		expect(moved.stdout).toMatch(/^old: record +1 record .* ok$/m);
		expect(moved.status).toBe(0);
		const store = createPostgresStore(url, { max: 1 });
		expect(await store.datasets.get('old')).toEqual({ ...record, version: 0 });
		await store.close();
	});

	it('refuses a source with an import past its commit point and not finished, writing nothing', async () => {
		const half = newFolder();
		process.env.SPANLAB_DATA = half;
		const files = fileStore();
		files.reset();
		await files.init();
		await files.datasets.create({ slug: 'half', title: 'Half', createdBy: 'lead' });
		const area = await files.staging.create('half');
		await area.append(JSON.stringify({ id: 'x', title: 'X', text: 'Texte.', meta: {} }));
		await area.finish();
		await files.imports.commit('half', area, { by: 'lead', labelMap: [], addLabels: [], documents: 1, withSpans: 0, at: '2026-01-01T00:00:00.000Z' });
		files.reset();
		const url = await cluster.newDatabase('half');
		const refused = await run('--from', half, '--to', url);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toMatch(/^migrate-store: dataset "half" has an import that is not finished: start the server on the source once/m);
		expect(refused.stderr).not.toMatch(/\n\s+at /);
		const store = createPostgresStore(url, { max: 1 });
		expect(await store.datasets.list()).toEqual([]);
		expect(await store.users.list()).toEqual([]);
		await store.close();
	});

	it('refuses a folder a server is using, and names it', async () => {
		// another process holds the folder's lock as a server does (a lock of this very pid would be a previous life's)
		const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
			`const { tryTakeDataLock } = await import(${JSON.stringify(path.resolve('src/lib/server/store/file/dataLock.ts'))});
			const taken = await tryTakeDataLock(${JSON.stringify(source)}, { kind: 'server', command: 'server' });
			console.log(taken.taken ? 'holding' : 'not taken');
			setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
		try {
			await new Promise<void>((resolve, reject) => {
				holder.stdout!.on('data', (d: Buffer) => (String(d).includes('holding') ? resolve() : reject(new Error(String(d)))));
				holder.on('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
			});
			const refused = await run('--from', source, '--to', await cluster.newDatabase('while_serving'));
			expect(refused.status).toBe(1);
			expect(refused.stderr).toMatch(new RegExp(`--from: .* is in use by a spanlab server \\(pid ${holder.pid} on .*\\): stop it first \\(nothing was changed\\)`));
		} finally {
			holder.kill('SIGKILL');
			await new Promise((resolve) => holder.once('exit', resolve));
		}
	}, 60_000);

	it('refuses a target that is not empty, changing nothing', async () => {
		const url = await cluster.newDatabase('taken');
		expect((await run('--from', source, '--to', url)).status).toBe(0);
		const before = await readDatabase(url);
		const again = await run('--from', source, '--to', url);
		expect(again.status).toBe(1);
		expect(again.stderr).toMatch(/--to: postgres:\/\/postgres@127\.0\.0\.1:\d+\/taken is not empty \(3 users, 2 datasets: empty, news\); migrate-store copies into an empty store only/);
		expect(again.stderr).not.toMatch(/password|:[^@/]+@127/);
		expectSame(await readDatabase(url), before);

		const folder = newFolder();
		fs.mkdirSync(folder, { recursive: true });
		fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
		const intoFolder = await run('--from', url, '--to', folder);
		expect(intoFolder.status).toBe(1);
		expect(intoFolder.stderr).toMatch(/--to: .* is not empty; migrate-store copies into an empty or new folder only \(nothing was changed\)/);
		expect(fs.readdirSync(folder)).toEqual(['notes.txt']);
	});

	it('the check tells a copy that drifted: MISMATCH on the lines that differ, ok on the rest', async () => {
		// a save that lands in the copy (an app process left running on the database): the check of the two stores tells
		const url = await cluster.newDatabase('drifted');
		const { fingerprint, compare, formatTable } = await import('../src/lib/server/store/transfer/verify');
		expect((await run('--from', source, '--to', url)).status).toBe(0);
		const store = createPostgresStore(url, { max: 2 });
		try {
			const key = { slug: 'news', docId: 'c', annotator: 'ann2' };
			const current = await store.sets.load(key);
			const result = await store.sets.commit(key, current.revision, (c) => ({
				set: { ...c, revision: c.revision + 1, spans: [] },
				revision: { revision: c.revision + 1, at: '2026-02-02T00:00:00.000Z', by: 'ann2', status: c.status, spans: [], added: 0, removed: 1, relabelled: 0 }
			}));
			expect(result.ok).toBe(true);
			process.env.SPANLAB_DATA = source;
			const files = fileStore();
			files.reset();
			const rows = compare(await fingerprint(files, () => {}, 'source'), await fingerprint(store, () => {}, 'target'));
			const table = formatTable(rows);
			expect(table).toMatch(/^news: annotation sets .* MISMATCH$/m);
			expect(table).toMatch(/^news: revisions +10 revisions .* 11 revisions .* MISMATCH$/m);
			expect(table).toMatch(/^news: documents .* ok$/m);
		} finally {
			await store.close();
		}
	});

	it('says what is wrong with a URL or a folder, and changes nothing', async () => {
		const bad = await run('--from', source, '--to', 'postgres://[nope');
		expect(bad.status).toBe(1);
		expect(bad.stderr).toMatch(/--to: not a valid URL \(expected postgres:\/\/user:password@host:port\/database\)/);

		const port = await freePort();
		const refused = await run('--from', source, '--to', `postgres://postgres:secret@127.0.0.1:${port}/spanlab`);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toMatch(new RegExp(`--to: could not open postgres://postgres@127\\.0\\.0\\.1:${port}/spanlab: .*ECONNREFUSED`));
		expect(refused.stderr).not.toMatch(/secret/);

		expect((await run('--from', source, '--to', 'mysql://db/x')).stderr).toMatch(/"mysql:\/\/" is not a store/);
		expect((await run('--from', path.join(source, 'nowhere'), '--to', database)).stderr).toMatch(/--from: there is no folder .*nowhere/);
		expect((await run('--from', source, '--to', newFolder())).stderr).toMatch(/both folders: copy the folder instead/);

		const usage = await run('--from', source);
		expect(usage.status).toBe(2);
		expect(usage.stderr).toMatch(/give both --from and --to/);
	});
});
