/**
 * The PostgreSQL store against a real throwaway cluster (tests/helpers/postgres.ts),
 * the promises of the seam (../types.ts) that the shared contract suite does not
 * reach yet, and the ones only a database can keep (two stores on one database =
 * two app processes).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from './index';
import type { AnnotationSet, Revision, Span } from '../../../model/types';
import type { SetChange, SetKey } from '../types';
import type { ReleaseManifest } from '../../../release/record';

let cluster: TestPostgres;
const stores: PostgresStore[] = [];

beforeAll(async () => {
	cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
	await Promise.all(stores.map((s) => s.close()));
	await cluster?.stop();
});

/** a store on a new database, migrated; `twin` a second store (another "process") on the same one */
async function freshStore(): Promise<{ store: PostgresStore; twin: () => PostgresStore }> {
	const url = await cluster.newDatabase();
	const store = createPostgresStore(url, { max: 4 });
	stores.push(store);
	await store.init();
	return {
		store,
		twin: () => {
			const other = createPostgresStore(url, { max: 4 });
			stores.push(other);
			return other;
		}
	};
}

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const doc = (id: string, text: string, meta: Record<string, unknown> = {}) => ({ id, title: `Title ${id}`, text, meta, sha256: sha(text) });

/** what the pure rule would compute for a save of `spans` (enough for the store: it keeps, it does not decide) */
function save(by: string, spans: Span[], extra: Partial<AnnotationSet> = {}) {
	return (current: AnnotationSet): SetChange => {
		const revision = current.revision + 1;
		const at = new Date().toISOString();
		const set: AnnotationSet = { ...current, revision, status: 'in_progress', spans, updated_at: at, updated_by: by, ...extra };
		const rev: Revision = { revision, at, by, status: set.status, spans, added: spans.length, removed: current.spans.length, relabelled: 0 };
		return { set, revision: rev };
	};
}

const span = (id: string, start: number, end: number, label = 'claim', text = 'x'): Span => ({ id, start, end, label, text });

async function datasetWithDocs(store: PostgresStore, slug = 'news') {
	await store.datasets.create({ slug, title: 'News', createdBy: 'lead' });
	await store.documents.addMany(slug, [doc('d1', 'Le préfet a parlé.'), doc('d2', 'Second 🎉 text', { source: 'afp', n: 2 })]);
}

describe('PostgreSQL store: datasets', () => {
	it('creates, reads, refuses a taken slug, and updates on a copy with the version bumped', async () => {
		const { store } = await freshStore();
		const created = await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		expect(created).toMatchObject({ slug: 'news', title: 'News', description: '', created_by: 'lead', guidelines: '', members: {}, assignments: null, version: 1 });
		expect(created.labels.map((l) => l.name)).toEqual(['claim', 'attribution', 'framing', 'date']);
		expect(Object.keys(created)).toEqual(['slug', 'title', 'description', 'created_at', 'created_by', 'labels', 'relationTypes', 'guidelines', 'members', 'assignments', 'version']);
		await expect(store.datasets.create({ slug: 'news', title: 'Again', createdBy: 'lead' })).rejects.toMatchObject({ status: 409 });
		await expect(store.datasets.get('nope')).rejects.toMatchObject({ status: 404 });
		expect(await store.datasets.exists('news')).toBe(true);
		expect(await store.datasets.exists('nope')).toBe(false);

		await expect(
			store.datasets.update('news', (d) => {
				d.title = 'changed';
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
		expect((await store.datasets.get('news')).title).toBe('News');

		const result = await store.datasets.update('news', (d) => {
			d.members = { ann1: 'annotator', lead: 'lead', __proto__x: 'annotator' } as never;
			d.assignments = { d2: ['ann2', 'ann1'], d1: ['ann1'] };
			d.suggestions = { dates: false };
			d.punctuation = 'keep' as never;
			return 'done';
		});
		expect(result).toBe('done');
		const after = await store.datasets.get('news');
		expect(after.version).toBe(2);
		expect(after.members).toEqual({ ann1: 'annotator', lead: 'lead', __proto__x: 'annotator' });
		expect(after.assignments).toEqual({ d1: ['ann1'], d2: ['ann2', 'ann1'] });
		expect(after.suggestions).toEqual({ dates: false });
		expect(after.punctuation).toBe('keep');
		await store.datasets.update('news', (d) => {
			d.assignments = null;
			delete d.members.lead;
		});
		const third = await store.datasets.get('news');
		expect(third.assignments).toBeNull();
		expect(third.members).toEqual({ ann1: 'annotator', __proto__x: 'annotator' });
		expect((await store.datasets.list()).map((d) => d.slug)).toEqual(['news']);
	});

	it('serialises updates of one dataset across two processes (no update lost)', async () => {
		const { store, twin } = await freshStore();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		const other = twin();
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				(i % 2 ? other : store).datasets.update('news', (d) => {
					d.members[`user${i}`] = 'annotator';
				})
			)
		);
		const record = await store.datasets.get('news');
		expect(Object.keys(record.members).length).toBe(20);
		expect(record.version).toBe(21);
	});

	it('a label change waits for the saves validated against the old labels, in another process too', async () => {
		const { store, twin } = await freshStore();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		const other = twin();
		const events: string[] = [];
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const saving = store.datasets.withCurrentLabels('news', async (names) => {
			events.push(`save sees ${names[0]}`);
			await held;
			events.push('save written');
		});
		await new Promise((r) => setTimeout(r, 100));
		const relabel = other.datasets.updateLabels('news', (d) => {
			d.labels[0].name = 'assertion';
			events.push('labels changed');
		});
		await new Promise((r) => setTimeout(r, 200));
		expect(events).toEqual(['save sees claim']);
		release();
		await Promise.all([saving, relabel]);
		expect(events).toEqual(['save sees claim', 'save written', 'labels changed']);
		expect((await store.datasets.get('news')).labels[0].name).toBe('assertion');
	});
});

describe('PostgreSQL store: documents', () => {
	it('adds in order, skips texts already there, keeps ids, meta and code points exactly', async () => {
		const { store } = await freshStore();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		const first = await store.documents.addMany('news', [doc('a', 'Élan 🎉'), doc('b', 'two', { z: 1, a: { deep: [1, 2] } }), doc('dup', 'Élan 🎉')]);
		expect(first).toEqual({ imported: ['a', 'b'], duplicates: 1 });
		async function* more() {
			yield doc('c', 'three');
			yield doc('b2', 'two');
		}
		expect(await store.documents.addMany('news', more())).toEqual({ imported: ['c'], duplicates: 1 });
		const headers = await store.documents.headers('news');
		expect(headers).toEqual([
			{ id: 'a', title: 'Title a', sha256: sha('Élan 🎉'), position: 0, length: 'Élan 🎉'.length },
			{ id: 'b', title: 'Title b', sha256: sha('two'), position: 1, length: 3 },
			{ id: 'c', title: 'Title c', sha256: sha('three'), position: 2, length: 5 }
		]);
		const b = await store.documents.get('news', 'b');
		expect(JSON.stringify(b.meta)).toBe('{"z":1,"a":{"deep":[1,2]}}');
		expect(Object.keys(b)).toEqual(['id', 'title', 'text', 'meta', 'sha256', 'created_at', 'position']);
		expect((await store.documents.get('news', 'a')).text).toBe('Élan 🎉');
		await expect(store.documents.get('news', 'zz')).rejects.toMatchObject({ status: 404 });
		expect(await store.documents.has('news', 'c')).toBe(true);
		expect(await store.documents.findBySha('news', sha('three'))).toBe('c');
		const lookup = await store.documents.lookup('news');
		expect(lookup.idOfText(sha('two'))).toBe('b');
		expect(lookup.hasId('zz')).toBe(false);
	});

	it('an id taken with another text is a conflict; the documents before it are kept', async () => {
		const { store } = await freshStore();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		await store.documents.addMany('news', [doc('a', 'one')]);
		await expect(store.documents.addMany('news', [doc('b', 'two'), doc('a', 'other text'), doc('c', 'three')])).rejects.toMatchObject({ status: 409 });
		expect((await store.documents.headers('news')).map((h) => h.id)).toEqual(['a', 'b']);
	});

	it('two imports at once into one dataset take distinct positions and add a shared text once', async () => {
		const { store, twin } = await freshStore();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		const other = twin();
		const batch = (p: string) => Array.from({ length: 300 }, (_, i) => doc(`${p}${i}`, `text ${p} ${i}`)).concat([doc(`${p}-shared`, 'shared')]);
		const [x, y] = await Promise.all([store.documents.addMany('news', batch('x')), other.documents.addMany('news', batch('y'))]);
		expect(x.duplicates + y.duplicates).toBe(1);
		const headers = await store.documents.headers('news');
		expect(headers.length).toBe(601);
		expect(new Set(headers.map((h) => h.position)).size).toBe(601);
	});
});

describe('PostgreSQL store: annotation sets', () => {
	const key: SetKey = { slug: 'news', docId: 'd1', annotator: 'ann1' };

	it('a set never saved is revision 0; a commit appends a revision; a stale base is a conflict that writes nothing', async () => {
		const { store } = await freshStore();
		await datasetWithDocs(store);
		expect(await store.sets.load(key)).toEqual({ annotator: 'ann1', revision: 0, status: 'not_started', spans: [], updated_at: null, updated_by: null, active_seconds: 0 });
		const spans = [span('s1', 0, 2, 'claim', 'Le'), { ...span('s2', 3, 9, 'date', 'préfet'), attrs: { z: 'last', a: 'first' } }];
		const first = await store.sets.commit(key, 0, save('ann1', spans));
		expect(first).toMatchObject({ ok: true, changed: true });
		const loaded = await store.sets.load(key);
		expect(loaded.revision).toBe(1);
		// attribute order as written (json, not jsonb)
		expect(JSON.stringify(loaded.spans[1].attrs)).toBe('{"z":"last","a":"first"}');
		expect(loaded).toEqual(first.ok && first.set);

		let called = false;
		const stale = await store.sets.commit(key, 0, (c) => {
			called = true;
			return save('ann1', [])(c);
		});
		expect(called).toBe(false);
		expect(stale).toEqual({ ok: false, conflict: loaded });
		expect((await store.sets.load(key)).revision).toBe(1);

		await expect(
			store.sets.commit(key, 1, () => {
				throw new Error('invalid span');
			})
		).rejects.toThrow('invalid span');
		expect(await store.sets.revisions(key)).toHaveLength(1);

		// nothing to write: the same state
		expect(await store.sets.commit(key, 1, (c) => ({ set: c, revision: null }))).toMatchObject({ ok: true, changed: false });
		// active time only: the state changes, the history does not
		await store.sets.commit(key, 1, (c) => ({ set: { ...c, active_seconds: c.active_seconds + 5 }, revision: null }));
		expect((await store.sets.load(key)).active_seconds).toBe(5);
		expect(await store.sets.revisions(key)).toHaveLength(1);
		// no base (a reply): no check
		expect(await store.sets.commit(key, null, save('lead', []))).toMatchObject({ ok: true, changed: true });
		expect((await store.sets.revisions(key)).map((r) => r.revision)).toEqual([1, 2]);
	});

	it('a commit to a document that does not exist is refused', async () => {
		const { store } = await freshStore();
		await datasetWithDocs(store);
		await expect(store.sets.commit({ ...key, docId: 'missing' }, 0, save('ann1', []))).rejects.toMatchObject({ status: 404 });
		await expect(store.sets.commit({ ...key, slug: 'nope' }, 0, save('ann1', []))).rejects.toMatchObject({ status: 404 });
	});

	it('of many saves from one base, across two processes, exactly one wins; the rest get the winner as conflict', async () => {
		const { store, twin } = await freshStore();
		await datasetWithDocs(store);
		const other = twin();
		const results = await Promise.all(
			Array.from({ length: 12 }, (_, i) => (i % 2 ? other : store).sets.commit(key, 0, save('ann1', [span(`w${i}`, 0, 2)])))
		);
		const winners = results.filter((r) => r.ok);
		expect(winners).toHaveLength(1);
		const final = await store.sets.load(key);
		expect(final.revision).toBe(1);
		for (const r of results) if (!r.ok) expect(r.conflict).toEqual(final);
		expect(await store.sets.revisions(key)).toHaveLength(1);
	});

	it('saves in sequence from two processes each build on the last: every one is a revision', async () => {
		const { store, twin } = await freshStore();
		await datasetWithDocs(store);
		const other = twin();
		for (let i = 0; i < 10; i++) {
			const s = i % 2 ? other : store;
			const current = await s.sets.load(key);
			expect(await s.sets.commit(key, current.revision, save('ann1', [span(`s${i}`, 0, 2)]))).toMatchObject({ ok: true });
		}
		expect((await store.sets.revisions(key)).map((r) => r.spans[0].id)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
	});

	it('pages the history newest page first, oldest first within a page', async () => {
		const { store } = await freshStore();
		await datasetWithDocs(store);
		for (let i = 0; i < 5; i++) await store.sets.commit(key, i, save('ann1', [span(`s${i}`, 0, 2)]));
		const page = await store.sets.pageRevisions(key, { limit: 2 });
		expect(page.revisions.map((r) => r.revision)).toEqual([4, 5]);
		expect(page.nextBefore).toBe(4);
		const older = await store.sets.pageRevisions(key, { limit: 2, before: 4 });
		expect(older.revisions.map((r) => r.revision)).toEqual([2, 3]);
		const oldest = await store.sets.pageRevisions(key, { limit: 2, before: 2 });
		expect(oldest).toMatchObject({ nextBefore: null });
		expect(oldest.revisions.map((r) => r.revision)).toEqual([1]);
		expect(await store.sets.pageRevisions({ ...key, annotator: 'nobody' })).toEqual({ revisions: [], nextBefore: null });
	});

	it('summaries hold people and gold, import sets apart; the corpus walk goes in id order with its filters', async () => {
		const { store } = await freshStore();
		await datasetWithDocs(store);
		await store.sets.commit({ slug: 'news', docId: 'd2', annotator: 'ann2' }, 0, save('ann2', [span('a', 0, 1), { ...span('b', 1, 2), source: 'unreviewed:run~m' }]));
		await store.sets.commit(key, 0, save('ann1', [span('c', 0, 2)], { flag: { reason: 'off-topic' } as never }));
		await store.sets.commit({ slug: 'news', docId: 'd1', annotator: 'gold' }, 0, save('lead', []));
		await store.sets.commit({ slug: 'news', docId: 'd1', annotator: 'import~batch.jsonl' }, 0, save('lead', [span('i', 0, 2)]));
		const summaries = await store.sets.summaries('news');
		expect([...summaries.keys()].sort()).toEqual(['d1', 'd2']);
		expect([...summaries.get('d1')!.keys()]).toEqual(['ann1', 'gold']);
		const ann1 = summaries.get('d1')!.get('ann1')!;
		expect(ann1).toMatchObject({ annotator: 'ann1', status: 'in_progress', revision: 1, spans: 1, active_seconds: 0, flag: 'off-topic' });
		expect(ann1.updated_at).toBe((await store.sets.load(key)).updated_at);
		// correction mode's unreviewed spans are not counted (reviewedSpans)
		expect(summaries.get('d2')!.get('ann2')!.spans).toBe(1);
		expect((await store.sets.importSetsOf('news', 'd1')).map((s) => s.annotator)).toEqual(['import~batch.jsonl']);

		const walked: string[] = [];
		for await (const work of store.sets.iterateWork('news')) walked.push(`${work.document.id}:${work.sets.map((s) => s.annotator).join(',')}`);
		expect(walked).toEqual(['d1:ann1,gold', 'd2:ann2']);
		const onlyGold: string[] = [];
		for await (const work of store.sets.iterateWork('news', { annotator: (n) => n === 'gold', skipEmpty: true })) onlyGold.push(work.document.id);
		expect(onlyGold).toEqual(['d1']);
	});

	it('the corpus walk sees one state: a save during the walk is not half in it', async () => {
		const { store } = await freshStore();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		await store.documents.addMany('news', Array.from({ length: 150 }, (_, i) => doc(`d${String(i).padStart(3, '0')}`, `text ${i}`)));
		const seen: number[] = [];
		let saved = false;
		for await (const work of store.sets.iterateWork('news')) {
			if (!saved) {
				// written after the walk began: the walk must not see it, even for a document it reaches later
				await store.sets.commit({ slug: 'news', docId: 'd149', annotator: 'ann1' }, 0, save('ann1', [span('late', 0, 2)]));
				saved = true;
			}
			seen.push(work.sets.length);
		}
		expect(seen).toHaveLength(150);
		expect(seen.every((n) => n === 0)).toBe(true);
	});
});

describe('PostgreSQL store: releases', () => {
	it('a draft published appears whole, reads back byte for byte, and a version is never replaced', async () => {
		const { store, twin } = await freshStore();
		await datasetWithDocs(store);
		const lines = ['{"doc_id":"d1","annotator":"gold","text":"é 🎉"}', '{"doc_id":"d2","annotator":"gold","text":"x"}'];
		const bytes = new TextEncoder().encode(lines.map((l) => l + '\n').join(''));
		const draft = await store.releases.draft('news', 1);
		// split inside a multi-byte character: the draft decodes across writes
		await draft.write(bytes.slice(0, 30));
		await draft.write(bytes.slice(30));
		await draft.finish();
		const drafted: unknown[] = [];
		for await (const r of draft.records()) drafted.push(r);
		expect(drafted).toEqual(lines.map((l) => JSON.parse(l)));
		const hash = createHash('sha256').update(bytes).digest('hex');
		const manifest = { version: 1, name: 'v0001', dataset: 'news', created_at: new Date().toISOString(), sha256: hash, records: 2 } as unknown as ReleaseManifest;
		expect(await store.releases.versions('news')).toEqual([]);
		await store.releases.publish('news', draft, manifest);
		expect(await store.releases.versions('news')).toEqual([1]);
		expect(await store.releases.manifest('news', 1)).toEqual(manifest);
		const { size, body } = await store.releases.bytes('news', 1);
		const read = new Uint8Array(await new Response(body).arrayBuffer());
		expect(size).toBe(bytes.byteLength);
		expect(createHash('sha256').update(read).digest('hex')).toBe(hash);
		const records: unknown[] = [];
		for await (const r of await store.releases.records('news', 1)) records.push(r);
		expect(records).toEqual(drafted);
		await expect(store.releases.manifest('news', 2)).rejects.toMatchObject({ status: 404 });
		await expect(store.releases.records('news', 2)).rejects.toMatchObject({ status: 404 });

		// another process: version 1 is taken, version 2 is not
		const other = twin();
		const second = await other.releases.draft('news', 2);
		const otherBytes = new TextEncoder().encode('{"doc_id":"d1"}\n');
		await second.write(otherBytes);
		await second.finish();
		await expect(other.releases.draft('news', 1)).rejects.toMatchObject({ status: 409 });
		await expect(
			other.releases.publish('news', second, { ...manifest, version: 2, name: 'v0002', sha256: createHash('sha256').update(otherBytes).digest('hex') })
		).resolves.toBeUndefined();
		expect(await store.releases.versions('news')).toEqual([1, 2]);
		await second.discard();
		expect((await store.releases.list('news')).map((m) => m.version)).toEqual([2, 1]);
	});

	it('refuses to publish bytes that are not the manifest\'s, or not whole lines', async () => {
		const { store } = await freshStore();
		await datasetWithDocs(store);
		const draft = await store.releases.draft('news', 1);
		await draft.write(new TextEncoder().encode('{"doc_id":"d1"}\n'));
		await draft.finish();
		await expect(store.releases.publish('news', draft, { version: 1, name: 'v0001', sha256: '0'.repeat(64) } as ReleaseManifest)).rejects.toThrow(/sha256/);
		expect(await store.releases.versions('news')).toEqual([]);
		const torn = await store.releases.draft('news', 1);
		await torn.write(new TextEncoder().encode('{"doc_id":"d1"}'));
		await expect(torn.finish()).rejects.toThrow(/no newline/);
	});
});

describe('PostgreSQL store: accounts, sessions, staging, gazetteers', () => {
	it('users and tokens change together on a copy; a throwing change changes nothing', async () => {
		const { store, twin } = await freshStore();
		expect(await store.users.hasAny()).toBe(false);
		const now = new Date().toISOString();
		await store.users.update((data) => {
			data.users.push({ username: 'lead', role: 'lead', password_hash: 'h1', active: true, created_at: now });
			data.users.push({ username: 'ann1', role: 'annotator', password_hash: 'h2', active: true, created_at: now, credential_version: 2, preferences: { density: 'compact' } });
			data.tokens.push({ id: 't1', username: 'lead', name: 'ci', hash: 'th', created_at: now, last_used_at: null });
		});
		await expect(
			store.users.update((data) => {
				data.users[0].role = 'annotator';
				throw new Error('no');
			})
		).rejects.toThrow('no');
		expect(await store.users.list()).toEqual([
			{ username: 'lead', role: 'lead', password_hash: 'h1', active: true, created_at: now },
			{ username: 'ann1', role: 'annotator', password_hash: 'h2', active: true, created_at: now, credential_version: 2, preferences: { density: 'compact' } }
		]);
		expect(await store.tokens.find('th')).toEqual({ id: 't1', username: 'lead', name: 'ci', hash: 'th', created_at: now, last_used_at: null });
		// another process sees it at once
		expect((await twin().users.find('ann1'))?.credential_version).toBe(2);
		await store.users.update((data) => {
			data.tokens = [];
			data.users[1].active = false;
		});
		expect(await store.tokens.list()).toEqual([]);
		expect((await store.users.find('ann1'))?.active).toBe(false);
	});

	it('sessions: expired ones are dropped by an update, a revoked one is never found again, in any process', async () => {
		const { store, twin } = await freshStore();
		const other = twin();
		const later = new Date(Date.now() + 3600_000).toISOString();
		const past = new Date(Date.now() - 1000).toISOString();
		await store.sessions.update((data) => {
			data.sessions.push({ hash: 'a', username: 'ann1', created_at: past, expires_at: later });
			data.sessions.push({ hash: 'b', username: 'ann1', created_at: past, expires_at: later, credential_version: 1 });
			data.sessions.push({ hash: 'old', username: 'ann2', created_at: past, expires_at: past });
		});
		let seen: string[] = [];
		await other.sessions.update((data) => {
			seen = data.sessions.map((s) => s.hash);
		});
		expect(seen).toEqual(['a', 'b']);
		expect(await other.sessions.find('b')).toEqual({ hash: 'b', username: 'ann1', created_at: past, expires_at: later, credential_version: 1 });
		expect(await store.sessions.revoke('a')).toBe(true);
		expect(await other.sessions.find('a')).toBeUndefined();
		expect(await store.sessions.revokeAllOf('ann1')).toBe(true);
		expect(await other.sessions.find('b')).toBeUndefined();
		expect(store.sessions.unsavedRevocations()).toBe(0);
	});

	it('a session and its user in one read: as find then users.find, in any process; revoked, gone or deactivated seen at once', async () => {
		const { store, twin } = await freshStore();
		const other = twin();
		const now = new Date().toISOString();
		const later = new Date(Date.now() + 3600_000).toISOString();
		const ann1 = { username: 'ann1', role: 'annotator' as const, password_hash: 'h', active: true, created_at: now, credential_version: 3, preferences: { density: 'compact' as const } };
		await store.users.update((data) => {
			data.users.push(ann1);
		});
		await store.sessions.update((data) => {
			data.sessions.push({ hash: 's1', username: 'ann1', created_at: now, expires_at: later, credential_version: 3 });
			data.sessions.push({ hash: 's2', username: 'nobody', created_at: now, expires_at: later });
		});
		const found = await other.sessions.findWithUser!('s1');
		expect(found).toEqual({ session: await other.sessions.find('s1'), user: await other.users.find('ann1') });
		expect(found?.user).toEqual(ann1);
		expect(await other.sessions.findWithUser!('s2')).toEqual({ session: await other.sessions.find('s2'), user: undefined });
		expect(await other.sessions.findWithUser!('missing')).toBeUndefined();
		await store.users.update((data) => {
			data.users[0].active = false;
		});
		expect((await other.sessions.findWithUser!('s1'))?.user?.active).toBe(false);
		expect(await store.sessions.revoke('s1')).toBe(true);
		expect(await other.sessions.findWithUser!('s1')).toBeUndefined();
		expect(await store.sessions.findWithUser!('s1')).toBeUndefined();
	});

	it('staging keeps lines in order until removed; a gazetteer is replaced whole', async () => {
		const { store } = await freshStore();
		await datasetWithDocs(store);
		const area = await store.staging.create('news');
		for (let i = 0; i < 1203; i++) await area.append(`{"n":${i}}`);
		await area.finish();
		let count = 0;
		for await (const line of area.lines()) expect(line).toBe(`{"n":${count++}}`);
		expect(count).toBe(1203);
		await area.remove();
		let after = 0;
		for await (const _ of area.lines()) after++;
		expect(after).toBe(0);

		expect(await store.gazetteers.read('news')).toBeNull();
		const g = { entries: [{ text: 'Paris', label: 'place' }], uploaded_at: new Date().toISOString(), uploaded_by: 'lead' };
		await store.gazetteers.write('news', g as never);
		const first = await store.gazetteers.read('news');
		expect(first?.gazetteer).toEqual(g);
		await store.gazetteers.write('news', { ...g, entries: [] } as never);
		const second = await store.gazetteers.read('news');
		expect(second?.gazetteer.entries).toEqual([]);
		expect(second?.stamp).not.toBe(first?.stamp);
		await store.gazetteers.remove('news');
		expect(await store.gazetteers.read('news')).toBeNull();
	});
});

describe('PostgreSQL store: login failures across processes', () => {
	it('10 failures split across two processes lock the user in both; an unlock in one is seen by the other', async () => {
		const { store, twin } = await freshStore();
		const other = twin();
		const rule = { limit: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
		// alternating and racing: five from each "process"
		await Promise.all(Array.from({ length: 9 }, (_, i) => (i % 2 ? other : store).loginFailures.fail('user:alice', rule)));
		expect(await store.loginFailures.lockedFor('user:alice')).toBe(0);
		expect(await other.loginFailures.lockedFor('user:alice')).toBe(0);
		expect(await other.loginFailures.fail('user:alice', rule)).toBeGreaterThan(0);
		expect(await store.loginFailures.lockedFor('user:alice')).toBeGreaterThan(14 * 60_000);
		await store.loginFailures.clear('user:alice');
		expect(await other.loginFailures.lockedFor('user:alice')).toBe(0);
	});
});

describe('PostgreSQL store: a prediction upload from a slow client', () => {
	it('holds no connection while the body trickles in: a store of one connection answers meanwhile, no transaction waits idle', async () => {
		const url = await cluster.newDatabase();
		const store = createPostgresStore(url, { max: 1 });
		stores.push(store);
		await store.init();
		await datasetWithDocs(store);
		let sent!: () => void;
		const halfSent = new Promise<void>((resolve) => (sent = resolve));
		let resume!: () => void;
		const more = new Promise<void>((resolve) => (resume = resolve));
		async function* slowBody(): AsyncGenerator<Uint8Array> {
			const line = (docId: string) => new TextEncoder().encode(JSON.stringify({ doc_id: docId, spans: [{ start: 0, end: 2, label: 'claim' }] }) + '\n');
			yield line('d1');
			sent();
			// the client stalls here (a slow upload, a dead link) until the test has looked
			await more;
			yield line('d2');
		}
		const upload = store.runs.upload('news', 'slow-1', slowBody(), { by: 'lead', maxBytes: 1 << 20 });
		await halfSent;
		await new Promise((r) => setTimeout(r, 100));
		const t0 = performance.now();
		expect((await store.datasets.list()).map((d) => d.slug)).toEqual(['news']);
		expect(performance.now() - t0).toBeLessThan(1_000);
		const { createSql } = await import('./db');
		const admin = createSql(url, { max: 1 });
		try {
			const [{ n }] = await admin<{ n: number }[]>`
				SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
			expect(n).toBe(0);
		} finally {
			await admin.end();
		}
		resume();
		expect(await upload).toMatchObject({ run: 'slow-1', documents: 2, spans: 2 });
		const loaded = await store.runs.load('news', 'slow-1');
		expect([...loaded.spans.keys()]).toEqual(['d1', 'd2']);
		// nothing staged is left behind
		const sweep = createSql(url, { max: 1 });
		try {
			expect(await sweep`SELECT id FROM import_staging`).toEqual([]);
		} finally {
			await sweep.end();
		}
	});
});

describe('PostgreSQL store: keyed locks across processes', () => {
	it('exclusive(key) runs one holder of a key at a time across two processes; other keys do not wait', async () => {
		const { store, twin } = await freshStore();
		const other = twin();
		const events: string[] = [];
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const first = store.exclusive!('import:news', async () => {
			events.push('first in');
			await gate;
			events.push('first out');
		});
		while (!events.includes('first in')) await new Promise((r) => setTimeout(r, 10));
		const second = other.exclusive!('import:news', async () => {
			events.push('second in');
		});
		await other.exclusive!('import:sport', async () => {
			events.push('other key');
		});
		await new Promise((r) => setTimeout(r, 100));
		expect(events).toEqual(['first in', 'other key']);
		release();
		await Promise.all([first, second]);
		expect(events).toEqual(['first in', 'other key', 'first out', 'second in']);
	});
});

describe('PostgreSQL store: what one process does to accounts, another sees at once', () => {
	it('a session made, a token made and revoked, a user deactivated, in one store: the other store sees each at its next call', async () => {
		const { store, twin } = await freshStore();
		const other = twin();
		const now = new Date().toISOString();
		const later = new Date(Date.now() + 3600_000).toISOString();
		await store.users.update((data) => {
			data.users.push({ username: 'ann1', role: 'annotator', password_hash: 'h', active: true, created_at: now });
			data.tokens.push({ id: 't1', username: 'ann1', name: 'ci', hash: 'th1', created_at: now, last_used_at: null });
		});
		await store.sessions.update((data) => {
			data.sessions.push({ hash: 'login1', username: 'ann1', created_at: now, expires_at: later });
		});
		expect(await other.sessions.find('login1')).toMatchObject({ username: 'ann1' });
		expect(await other.tokens.find('th1')).toMatchObject({ id: 't1' });
		await store.users.update((data) => {
			data.tokens = data.tokens.filter((t) => t.id !== 't1');
			data.users[0].active = false;
		});
		expect(await other.tokens.find('th1')).toBeUndefined();
		expect((await other.users.find('ann1'))?.active).toBe(false);
		expect(await store.sessions.revoke('login1')).toBe(true);
		expect(await other.sessions.find('login1')).toBeUndefined();
	});
});
