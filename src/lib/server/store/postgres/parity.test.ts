/**
 * The PostgreSQL store reads back the same bytes as the file store: one scripted
 * history (a dataset, its documents, saves of annotators and gold through the
 * domain's own save rule) played on both, then everything read back compared as
 * JSON text, key order included. Releases, exports and API answers are built
 * from these reads, so this is what lets a release cut from either store have
 * the same sha256.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { fileStore } from '../file';
import { createPostgresStore, type PostgresStore } from './index';
import { prepareSave, type SaveInput } from '../../annotate/saveChecks';
import { nextRevision } from '../../annotate/revision';
import { sha256Hex } from '../../sha256';
import { GOLD, type AnnotationSet } from '../../../model/types';
import type { NewDocument } from '../../../model/dataset';
import type { SetKey, Store } from '../types';

let cluster: TestPostgres;
let postgresStore: PostgresStore;
let root: string;
let filesStore: Store;
const previousData = process.env.SPANLAB_DATA;

beforeAll(async () => {
	cluster = await startPostgres();
	postgresStore = createPostgresStore(cluster.url, { max: 4 });
	await postgresStore.init();
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-parity-'));
	process.env.SPANLAB_DATA = root;
	filesStore = fileStore();
	filesStore.reset();
	await filesStore.init();
}, 60_000);

afterAll(async () => {
	filesStore?.reset();
	if (root) fs.rmSync(root, { recursive: true, force: true });
	if (previousData === undefined) delete process.env.SPANLAB_DATA;
	else process.env.SPANLAB_DATA = previousData;
	await postgresStore?.close();
	await cluster?.stop();
});

const SLUG = 'parity';
const TEXTS = [
	'Le préfet a annoncé mardi 4 mai que le budget serait voté.',
	'« Nous paierons », a dit la maire 🎉 de Besançon.',
	'CJK 東京都 and combining e\u0301 marks\r\nwith CRLF and\u00a0NBSP.'
];
const DOCS: NewDocument[] = TEXTS.map((text, i) => ({
	id: `doc-${i + 1}`,
	title: `Titre ${i + 1} — été`,
	text,
	meta: { zeta: i, alpha: { source: 'afp', tags: ['b', 'a'] }, 'a key with spaces': null },
	sha256: sha256Hex(text)
}));

/** every save of the script, in order */
const SCRIPT: Array<{ doc: number; annotator: string; by: string; input: Omit<SaveInput, 'baseRevision'> }> = [
	{ doc: 0, annotator: 'ann1', by: 'ann1', input: { spans: [{ start: 0, end: 9, label: 'attribution' }, { start: 13, end: 21, label: 'claim' }] } },
	{ doc: 0, annotator: 'ann1', by: 'ann1', input: { spans: [{ start: 0, end: 9, label: 'attribution' }, { start: 13, end: 21, label: 'framing' }], activeSecondsDelta: 12 } },
	{ doc: 0, annotator: 'ann2', by: 'ann2', input: { spans: [{ start: 3, end: 9, label: 'attribution' }], status: 'done' } },
	{ doc: 1, annotator: 'ann1', by: 'ann1', input: { spans: [{ start: 2, end: 17, label: 'claim' }], flag: { reason: 'off-topic', note: 'pas un article' } as never } },
	{ doc: 1, annotator: 'ann1', by: 'ann1', input: { activeSecondsDelta: 5 } },
	{ doc: 2, annotator: 'ann2', by: 'ann2', input: { spans: [{ start: 4, end: 7, label: 'claim' }, { start: 12, end: 21, label: 'framing' }] } },
	{ doc: 0, annotator: GOLD, by: 'lead', input: { spans: [{ start: 0, end: 9, label: 'attribution' }], rejected: [{ start: 13, end: 21, label: 'claim' }] } },
	{ doc: 0, annotator: GOLD, by: 'lead', input: { status: 'done' } }
];

async function play(store: Store): Promise<void> {
	await store.datasets.create({ slug: SLUG, title: 'Parité', description: 'deux stores, un état', createdBy: 'lead' });
	await store.datasets.update(SLUG, (d) => {
		d.members = { ann2: 'annotator', ann1: 'annotator', lead: 'lead' };
		d.assignments = { 'doc-2': ['ann2', 'ann1'], 'doc-1': ['ann1', 'ann2'], 'doc-3': ['ann2'] };
		d.suggestions = { dates: true, lexicon: false };
		d.guidelines = '# Consignes\n\nTout ce qui se vérifie.';
	});
	await store.documents.addMany(SLUG, DOCS);
	const labels = (await store.datasets.get(SLUG)).labels.map((l) => l.name);
	for (const [step, { doc, annotator, by, input }] of SCRIPT.entries()) {
		const key: SetKey = { slug: SLUG, docId: DOCS[doc].id, annotator };
		const current = await store.sets.load(key);
		const prepared = prepareSave({ text: DOCS[doc].text }, annotator, labels, { baseRevision: current.revision, ...input });
		let n = 0;
		const at = new Date(Date.UTC(2026, 0, 2, 3, 4, step)).toISOString();
		const result = await store.sets.commit(key, current.revision, (c: AnnotationSet) => nextRevision(c, prepared, by, at, () => `s${step}-${n++}`));
		expect(result.ok).toBe(true);
	}
	const at = '2026-01-02T03:04:05.678Z';
	await store.users.update((data) => {
		data.users.push({ username: 'lead', role: 'lead', password_hash: 'scrypt$a', active: true, created_at: at });
		data.users.push({ username: 'ann1', role: 'annotator', password_hash: 'scrypt$b', active: true, created_at: at, credential_version: 3, preferences: { density: 'compact' } });
		data.tokens.push({ id: 'tok1', username: 'lead', name: 'ci', hash: 'h1', created_at: at, last_used_at: null });
	});
	await store.users.update((data) => {
		data.users[0].active = false;
		data.tokens[0].last_used_at = at;
	});
	await store.sessions.update((data) => {
		data.sessions.push({ hash: 'sess1', username: 'ann1', created_at: at, expires_at: '2999-01-01T00:00:00.000Z', credential_version: 3 });
		data.sessions.push({ hash: 'sess2', username: 'lead', created_at: at, expires_at: '2999-01-01T00:00:00.000Z' });
	});
	await store.gazetteers.write(SLUG, { entries: [{ text: 'Besançon', label: 'attribution' }] as never, uploaded_at: at, uploaded_by: 'lead' });
}

/** creation times are the clock's at create/addMany: the same placeholder on both sides */
const normalise = (text: string) => text.replace(/"created_at":"[^"]+"/g, '"created_at":"…"');

async function readAll(store: Store): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	out.dataset = normalise(JSON.stringify(await store.datasets.get(SLUG)));
	out.list = normalise(JSON.stringify((await store.datasets.list()).map((d) => d.slug)));
	out.headers = JSON.stringify(await store.documents.headers(SLUG));
	for (const d of DOCS) {
		out[`document ${d.id}`] = normalise(JSON.stringify(await store.documents.get(SLUG, d.id)));
		for (const annotator of ['ann1', 'ann2', GOLD, 'nobody']) {
			const key = { slug: SLUG, docId: d.id, annotator };
			out[`set ${d.id}/${annotator}`] = JSON.stringify(await store.sets.load(key));
			out[`revisions ${d.id}/${annotator}`] = JSON.stringify(await store.sets.revisions(key));
			out[`page ${d.id}/${annotator}`] = JSON.stringify(await store.sets.pageRevisions(key, { limit: 1 }));
		}
	}
	const summaries = await store.sets.summaries(SLUG);
	out.summaries = JSON.stringify(
		[...summaries.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([doc, perDoc]) => [doc, [...perDoc.entries()].sort(([a], [b]) => (a < b ? -1 : 1))])
	);
	out.users = JSON.stringify(await store.users.list());
	out.tokens = JSON.stringify(await store.tokens.list());
	out.sessions = JSON.stringify([await store.sessions.find('sess1'), await store.sessions.find('sess2')]);
	out.gazetteer = JSON.stringify((await store.gazetteers.read(SLUG))?.gazetteer);
	const walk: unknown[] = [];
	for await (const work of store.sets.iterateWork(SLUG)) walk.push(work);
	out.walk = normalise(JSON.stringify(walk));
	return out;
}

describe('the PostgreSQL store and the file store, after one history', () => {
	it('read back the same JSON, byte for byte', async () => {
		await play(filesStore);
		await play(postgresStore);
		const fromFiles = await readAll(filesStore);
		const fromPostgres = await readAll(postgresStore);
		// the script did what it says (a parity of two empty stores proves nothing)
		expect(JSON.parse(fromFiles[`revisions doc-1/ann1`])).toHaveLength(2);
		expect(JSON.parse(fromFiles[`set doc-1/gold`]).status).toBe('done');
		expect(JSON.parse(fromFiles.walk)).toHaveLength(3);
		expect(Object.keys(fromPostgres)).toEqual(Object.keys(fromFiles));
		for (const key of Object.keys(fromFiles)) expect.soft(fromPostgres[key], key).toBe(fromFiles[key]);
	});
});
