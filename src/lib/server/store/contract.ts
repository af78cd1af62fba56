/**
 * The store contract: the promises every backend of the seam (./types.ts) keeps,
 * as vitest tests written against the interfaces only. A backend runs them with
 *
 *   storeContract('file', async () => ({ store, close }))
 *
 * (store/file/contract.test.ts; store/postgres/contract.test.ts). `open` gives a
 * fresh, empty store for each test; `close` takes it down.
 *
 * The changes committed here are built by the domain's own pure rule
 * (annotate/saveChecks.ts prepareSave, annotate/revision.ts nextRevision), as the
 * server builds them, so the contract also checks that a backend stores what that
 * rule computes.
 *
 * Over 400 lines on purpose: the contract reads as one list of promises, one
 * `describe` per repository; splitting it would scatter what a backend must keep.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { prepareSave, type SaveInput } from '../annotate/saveChecks';
import { nextRevision } from '../annotate/revision';
import { isDomainError } from '../http/errors';
import { problemsOf } from '../evaluation/runUpload';
import { sha256Hex } from '../sha256';
import { GOLD, type AnnotationSet } from '../../model/types';
import type { NewDocument } from '../../model/dataset';
import type { ReleaseManifest, ReleaseRecord } from '../../release/record';
import type { SetChange, SetKey, Store } from './types';

export interface OpenedStore {
	store: Store;
	close(): Promise<void>;
}

const LABELS = ['claim', 'source'];
const TEXT = 'Le maire a dit que la ville paiera.';

function newDoc(id: string, text = `Document ${id}.`): NewDocument {
	return { id, title: `Title ${id}`, text, meta: { n: id }, sha256: sha256Hex(text) };
}

/** The change a save of `input` makes to `current`, by the domain's rule. */
function save(input: Omit<SaveInput, 'baseRevision'>, by = 'ann1', annotator = 'ann1', text = TEXT) {
	const prepared = prepareSave({ text }, annotator, LABELS, { baseRevision: 0, ...input });
	let n = 0;
	return (current: AnnotationSet): SetChange => nextRevision(current, prepared, by, new Date(Date.UTC(2026, 0, 1, 0, 0, current.revision)).toISOString(), () => `c${n++}`);
}

const claim = (start: number, end: number) => ({ start, end, label: 'claim' });

async function rejection(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
	try {
		await promise;
	} catch (e) {
		if (!isDomainError(e)) throw e;
		return { status: e.status, message: e.message };
	}
	throw new Error('expected a refusal');
}

function manifestOf(slug: string, version: number, records: number, sha256: string): ReleaseManifest {
	return {
		version,
		name: `v${String(version).padStart(4, '0')}`,
		dataset: slug,
		created_at: '2026-01-01T00:00:00.000Z',
		created_by: 'lead',
		source: 'gold',
		note: '',
		records,
		spans: 0,
		span_counts: {},
		relations: 0,
		relation_counts: {},
		unreviewed_spans: 0,
		sha256,
		labels: [],
		relation_types: [],
		guidelines_sha256: sha256Hex(''),
		parent: version > 1 ? version - 1 : null,
		changes: null
	} as unknown as ReleaseManifest;
}

function recordLine(slug: string, version: number, docId: string): string {
	return JSON.stringify({ dataset: slug, version, doc_id: docId, annotator: GOLD, spans: [], relations: [] }) + '\n';
}

export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
	describe(`store contract: ${name}`, () => {
		let opened: OpenedStore;
		let store: Store;
		beforeEach(async () => {
			opened = await open();
			store = opened.store;
			await store.init();
		});
		afterEach(async () => {
			await opened.close();
		});

		async function dataset(slug = 'news') {
			return store.datasets.create({ slug, title: slug.toUpperCase(), createdBy: 'lead', labels: LABELS.map((n, i) => ({ name: n, color: '#000000', key: String(i + 1), description: '' })) });
		}

		describe('datasets', () => {
			it('are created once, read back, and listed by slug', async () => {
				await dataset('zeta');
				await dataset('alpha');
				await dataset('mid-1');
				expect((await store.datasets.list()).map((d) => d.slug)).toEqual(['alpha', 'mid-1', 'zeta']);
				const got = await store.datasets.get('alpha');
				expect(got).toMatchObject({ slug: 'alpha', title: 'ALPHA', created_by: 'lead', members: {}, assignments: null, version: 1 });
				expect(await store.datasets.exists('alpha')).toBe(true);
				expect(await store.datasets.exists('nope')).toBe(false);
				expect((await rejection(dataset('alpha'))).status).toBe(409);
				expect((await rejection(store.datasets.get('nope'))).status).toBe(404);
			});

			it('update changes a copy, bumps the version, and a throwing change leaves the record as it was', async () => {
				await dataset();
				const result = await store.datasets.update('news', (d) => {
					d.title = 'Changed';
					d.members.ann1 = 'annotator';
					return 'told';
				});
				expect(result).toBe('told');
				expect(await store.datasets.get('news')).toMatchObject({ title: 'Changed', members: { ann1: 'annotator' }, version: 2 });
				await expect(
					store.datasets.update('news', (d) => {
						d.title = 'Half';
						throw new Error('changed my mind');
					})
				).rejects.toThrow('changed my mind');
				expect(await store.datasets.get('news')).toMatchObject({ title: 'Changed', version: 2 });
				expect((await rejection(store.datasets.update('nope', () => {}))).status).toBe(404);
			});

			it('concurrent updates of one dataset all land (none overwrites another)', async () => {
				await dataset();
				await Promise.all(
					Array.from({ length: 20 }, (_, i) =>
						store.datasets.update('news', (d) => {
							d.members[`user${i}`] = 'annotator';
						})
					)
				);
				const d = await store.datasets.get('news');
				expect(Object.keys(d.members).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `user${i}`).sort());
				expect(d.version).toBe(21);
			});
		});

		describe('names that are Object.prototype members', () => {
			it('are data: a dataset, a document and an annotator named constructor / toString / hasOwnProperty', async () => {
				await dataset('constructor');
				await store.documents.addMany('constructor', [newDoc('toString', TEXT), newDoc('hasOwnProperty')]);
				expect((await store.documents.headers('constructor')).map((h) => h.id)).toEqual(['toString', 'hasOwnProperty']);
				expect(await store.documents.has('constructor', 'valueOf')).toBe(false);
				expect((await rejection(store.documents.get('constructor', 'valueOf'))).status).toBe(404);
				const key = { slug: 'constructor', docId: 'toString', annotator: 'constructor' };
				expect((await store.sets.load(key)).revision).toBe(0);
				const done = await store.sets.commit(key, 0, save({ spans: [claim(0, 8)] }, 'constructor', 'constructor'));
				expect(done.ok).toBe(true);
				expect((await store.sets.load(key)).spans.map((s) => s.text)).toEqual(['Le maire']);
				const summaries = await store.sets.summaries('constructor');
				expect([...summaries.keys()]).toEqual(['toString']);
				expect([...summaries.get('toString')!.keys()]).toEqual(['constructor']);
				expect(summaries.get('hasOwnProperty')).toBeUndefined();
			});

			it('__proto__ is refused as a slug, a document id and an annotator, and nothing is created', async () => {
				expect((await rejection(store.datasets.create({ slug: '__proto__', title: 'x', createdBy: 'lead' }))).status).toBe(400);
				await dataset();
				expect((await rejection(store.documents.addMany('news', [newDoc('__proto__')]))).status).toBe(400);
				expect(await store.documents.headers('news')).toEqual([]);
				const key = { slug: 'news', docId: 'doc', annotator: '__proto__' };
				expect((await rejection(store.sets.commit(key, 0, save({ spans: [] })))).status).toBe(400);
				expect((await store.datasets.list()).map((d) => d.slug)).toEqual(['news']);
			});
		});

		describe('documents', () => {
			it('are added in order, duplicates of a text skipped, and read back whole', async () => {
				await dataset();
				const first = await store.documents.addMany('news', [newDoc('b', TEXT), newDoc('a'), newDoc('again', TEXT)]);
				expect(first).toEqual({ imported: ['b', 'a'], duplicates: 1 });
				const second = await store.documents.addMany('news', [newDoc('c'), newDoc('a-again', 'Document a.')]);
				expect(second).toEqual({ imported: ['c'], duplicates: 1 });
				expect((await store.documents.headers('news')).map((h) => [h.id, h.position])).toEqual([['b', 0], ['a', 1], ['c', 2]]);
				expect(await store.documents.get('news', 'b')).toMatchObject({ id: 'b', title: 'Title b', text: TEXT, meta: { n: 'b' }, sha256: sha256Hex(TEXT) });
				expect(await store.documents.findBySha('news', sha256Hex(TEXT))).toBe('b');
				const lookup = await store.documents.lookup('news');
				expect([lookup.idOfText(sha256Hex('Document a.')), lookup.hasId('c'), lookup.hasId('zz')]).toEqual(['a', true, false]);
			});

			it('a title of any length is stored, listed and found (4,000 letters that do not compress)', async () => {
				await dataset();
				// a fixed pseudo-random title: no B-tree entry (~2.7 KB at most) could hold it
				let seed = 7;
				const title = Array.from({ length: 4000 }, () => String.fromCharCode(97 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 26))).join('');
				await store.documents.addMany('news', [{ ...newDoc('long'), title }]);
				expect((await store.documents.headers('news')).map((h) => [h.id, h.title.length])).toEqual([['long', 4000]]);
				expect((await store.documents.get('news', 'long')).title).toBe(title);
			});

			it('an id taken by another text is a conflict (the documents before it stay)', async () => {
				await dataset();
				await store.documents.addMany('news', [newDoc('a')]);
				const refused = await rejection(store.documents.addMany('news', [newDoc('b'), newDoc('a', 'Another text.')]));
				expect(refused.status).toBe(409);
				expect((await store.documents.headers('news')).map((h) => h.id)).toEqual(['a', 'b']);
			});

			it('addMany streams an async iterable of many documents: pulled as it goes, memory flat', async () => {
				await dataset();
				const COUNT = 3000;
				const filler = 'x'.repeat(16 * 1024);
				let pulled = 0;
				let peak = 0;
				// what stays alive, not garbage waiting for a collection: measured after a full gc
				v8.setFlagsFromString('--expose-gc');
				const gc = vm.runInNewContext('gc') as () => void;
				const live = () => (gc(), process.memoryUsage().heapUsed);
				const base = live();
				async function* many(): AsyncGenerator<NewDocument> {
					for (let i = 0; i < COUNT; i++) {
						pulled++;
						if (i % 500 === 499) peak = Math.max(peak, live() - base);
						// a fresh 16 KiB text each time (48 MB in all): collected by a backend that held them, garbage otherwise
						yield newDoc(`d${i}`, `${i} ${filler.slice(0, filler.length - (i % 7))}`);
					}
				}
				const result = await store.documents.addMany('news', many());
				expect(pulled).toBe(COUNT);
				expect(result.imported).toHaveLength(COUNT);
				expect(peak).toBeLessThan(20 * 1024 * 1024);
				const headers = await store.documents.headers('news');
				expect(headers.map((h) => h.id).slice(0, 3)).toEqual(['d0', 'd1', 'd2']);
				expect(headers.at(-1)).toMatchObject({ id: `d${COUNT - 1}`, position: COUNT - 1 });
			}, 120_000);
		});

		describe('annotation sets', () => {
			const key: SetKey = { slug: 'news', docId: 'doc', annotator: 'ann1' };
			beforeEach(async () => {
				await dataset();
				await store.documents.addMany('news', [newDoc('doc', TEXT), newDoc('other')]);
			});

			it('a set never saved is revision 0, not started, empty', async () => {
				expect(await store.sets.load(key)).toMatchObject({ annotator: 'ann1', revision: 0, status: 'not_started', spans: [], active_seconds: 0 });
				expect(await store.sets.revisions(key)).toEqual([]);
			});

			it('commit is a compare-and-swap: a stale base is a conflict carrying the current state, nothing written, next not called', async () => {
				const first = await store.sets.commit(key, 0, save({ spans: [claim(0, 8)] }));
				expect(first).toMatchObject({ ok: true, changed: true, set: { revision: 1, status: 'in_progress' } });
				let called = false;
				const stale = await store.sets.commit(key, 0, (current) => {
					called = true;
					return save({ spans: [] })(current);
				});
				expect(called).toBe(false);
				expect(stale.ok).toBe(false);
				if (stale.ok) return;
				expect(stale.conflict).toMatchObject({ revision: 1, spans: [{ start: 0, end: 8, label: 'claim', text: 'Le maire' }] });
				expect((await store.sets.load(key)).revision).toBe(1);
				expect((await store.sets.revisions(key)).map((r) => r.revision)).toEqual([1]);
			});

			it('a null base is not checked (a reply); a next that throws writes nothing', async () => {
				await store.sets.commit(key, 0, save({ spans: [claim(0, 8)] }));
				expect((await store.sets.commit(key, null, save({ spans: [claim(0, 8), claim(22, 27)] }))).ok).toBe(true);
				await expect(
					store.sets.commit(key, 2, () => {
						throw new Error('refused by the rule');
					})
				).rejects.toThrow('refused by the rule');
				expect((await store.sets.load(key)).revision).toBe(2);
				expect(await store.sets.revisions(key)).toHaveLength(2);
			});

			it('keeps every revision in order, each with its full spans, and pages them newest page first', async () => {
				const steps = [[claim(0, 8)], [claim(0, 8), claim(22, 27)], [claim(22, 27)], []];
				for (const [i, spans] of steps.entries()) {
					const r = await store.sets.commit(key, i, save({ spans }, `user${i}`));
					expect(r).toMatchObject({ ok: true, set: { revision: i + 1 } });
				}
				const history = await store.sets.revisions(key);
				expect(history.map((r) => [r.revision, r.by, r.spans.map((s) => s.text)])).toEqual([
					[1, 'user0', ['Le maire']],
					[2, 'user1', ['Le maire', 'ville']],
					[3, 'user2', ['ville']],
					[4, 'user3', []]
				]);
				expect(history.map((r) => [r.added, r.removed])).toEqual([[1, 0], [1, 0], [0, 1], [0, 1]]);
				const latest = await store.sets.pageRevisions(key, { limit: 3 });
				expect(latest.revisions.map((r) => r.revision)).toEqual([2, 3, 4]);
				expect(latest.nextBefore).toBe(2);
				const earlier = await store.sets.pageRevisions(key, { limit: 3, before: 2 });
				expect(earlier).toMatchObject({ nextBefore: null });
				expect(earlier.revisions.map((r) => r.revision)).toEqual([1]);
			});

			it('an unchanged save writes no revision; one that only adds active time replaces the state alone', async () => {
				await store.sets.commit(key, 0, save({ spans: [claim(0, 8)] }));
				const same = await store.sets.commit(key, 1, save({ spans: [claim(0, 8)] }));
				expect(same).toMatchObject({ ok: true, changed: false, set: { revision: 1 } });
				const timed = await store.sets.commit(key, 1, save({ activeSecondsDelta: 42 }));
				expect(timed).toMatchObject({ ok: true, changed: false, set: { revision: 1, active_seconds: 42 } });
				expect((await store.sets.load(key)).active_seconds).toBe(42);
				expect(await store.sets.revisions(key)).toHaveLength(1);
			});

			it('refuses a change whose revision does not follow the current one', async () => {
				await expect(
					store.sets.commit(key, 0, (current) => {
						const change = save({ spans: [claim(0, 8)] })(current);
						return { set: { ...change.set, revision: 5 }, revision: { ...change.revision!, revision: 5 } };
					})
				).rejects.toThrow();
				expect((await store.sets.load(key)).revision).toBe(0);
			});

			it('two commits racing on one base: exactly one wins, the other sees its result', async () => {
				await store.sets.commit(key, 0, save({ spans: [claim(0, 8)] }));
				const results = await Promise.all([
					store.sets.commit(key, 1, save({ spans: [claim(22, 27)] }, 'alice')),
					store.sets.commit(key, 1, save({ spans: [] }, 'bob'))
				]);
				const won = results.filter((r) => r.ok);
				const lost = results.filter((r) => !r.ok);
				expect(won).toHaveLength(1);
				expect(lost).toHaveLength(1);
				const winner = won[0].ok ? won[0].set : null;
				expect(lost[0].ok ? null : lost[0].conflict).toEqual(winner);
				expect((await store.sets.revisions(key)).map((r) => r.revision)).toEqual([1, 2]);
			});

			it('summaries hold people and gold, not import sets; import sets are listed apart', async () => {
				await store.sets.commit(key, 0, save({ spans: [claim(0, 8)], activeSecondsDelta: 10 }));
				await store.sets.commit({ ...key, annotator: GOLD }, 0, save({ spans: [claim(22, 27)] }, 'lead', GOLD));
				await store.sets.commit({ ...key, annotator: 'import~batch.jsonl' }, 0, save({ spans: [claim(0, 8)], status: 'done' }, 'lead', 'import~batch.jsonl'));
				const perDoc = (await store.sets.summaries('news')).get('doc')!;
				expect([...perDoc.keys()].sort()).toEqual(['ann1', GOLD]);
				expect(perDoc.get('ann1')).toMatchObject({ annotator: 'ann1', status: 'in_progress', revision: 1, spans: 1, active_seconds: 10 });
				expect(await store.sets.importSetNames('news', 'doc')).toEqual(['import~batch.jsonl']);
				expect((await store.sets.importSetsOf('news', 'doc')).map((s) => [s.annotator, s.status, s.spans])).toEqual([['import~batch.jsonl', 'done', 1]]);
				expect(await store.sets.importSetNames('news', 'other')).toEqual([]);
			});

			it('iterateWork streams documents in order with their sets in annotator order, filtered', async () => {
				await store.documents.addMany('news', [newDoc('third')]);
				await store.sets.commit({ ...key, docId: 'other', annotator: 'zoe' }, 0, save({ spans: [] , status: 'done' }, 'zoe', 'zoe', 'Document other.'));
				await store.sets.commit({ ...key, annotator: 'bea' }, 0, save({ spans: [claim(0, 8)], status: 'done' }, 'bea', 'bea'));
				await store.sets.commit({ ...key, annotator: 'al' }, 0, save({ spans: [claim(0, 8)] }, 'al', 'al'));
				const all = [];
				for await (const work of store.sets.iterateWork('news')) all.push([work.document.id, work.sets.map((s) => s.annotator)]);
				expect(all).toEqual([['doc', ['al', 'bea']], ['other', ['zoe']], ['third', []]]);
				const done = [];
				for await (const work of store.sets.iterateWork('news', { status: (s) => s === 'done', skipEmpty: true })) {
					done.push([work.document.id, work.sets.map((s) => s.annotator)]);
				}
				expect(done).toEqual([['doc', ['bea']], ['other', ['zoe']]]);
			});

			it('summaries carry the labels and span keys of the reviewed spans, kept with every save (document list filters)', async () => {
				const source = (start: number, end: number) => ({ start, end, label: 'source' });
				await store.sets.commit(key, 0, save({ spans: [source(22, 27), claim(0, 8), claim(3, 8)], status: 'done' }));
				await store.sets.commit({ ...key, annotator: 'bob' }, 0, save({ spans: [claim(3, 8), source(22, 27), claim(0, 8)], status: 'done' }, 'bob', 'bob'));
				await store.sets.commit({ ...key, annotator: 'cy' }, 0, save({ spans: [claim(0, 8), { ...claim(22, 27), source: 'unreviewed:import~x' }] }, 'cy', 'cy'));
				let perDoc = (await store.sets.summaries('news')).get('doc')!;
				expect(perDoc.get('ann1')).toMatchObject({ labels: ['claim', 'source'] });
				// the same spans saved in another order (other ids) are the same keys
				expect(perDoc.get('bob')!.keys).toBe(perDoc.get('ann1')!.keys);
				// the unreviewed suggestion is not cy's work yet
				expect(perDoc.get('cy')).toMatchObject({ spans: 1, labels: ['claim'] });
				expect(perDoc.get('cy')!.keys).not.toBe(perDoc.get('ann1')!.keys);
				await store.sets.commit({ ...key, annotator: 'bob' }, 1, save({ spans: [claim(0, 8)], status: 'done' }, 'bob', 'bob'));
				perDoc = (await store.sets.summaries('news')).get('doc')!;
				expect(perDoc.get('bob')).toMatchObject({ labels: ['claim'], keys: perDoc.get('cy')!.keys });
				await store.sets.commit({ ...key, annotator: 'bob' }, 2, save({ spans: [], status: 'done' }, 'bob', 'bob'));
				expect((await store.sets.summaries('news')).get('doc')!.get('bob')).toMatchObject({ labels: [], keys: '' });
			});

			it('importSources: each document’s import sources by name, in code-unit order, kept up to date by commits (the list’s source filter)', async () => {
				const importSet = (docId: string, name: string, text?: string) =>
					store.sets.commit({ ...key, docId, annotator: `import~${name}` }, 0, save({ spans: [], status: 'done' }, 'lead', `import~${name}`, text));
				await store.sets.commit(key, 0, save({ spans: [claim(0, 8)] }));
				expect([...(await store.sets.importSources('news'))]).toEqual([]);
				await importSet('doc', 'batch.jsonl');
				// read once (a store may keep the answer), then more commits: they are in the next answer
				expect([...(await store.sets.importSources('news'))]).toEqual([['doc', ['batch.jsonl']]]);
				await importSet('doc', 'a-b.jsonl');
				await importSet('other', 'constructor', 'Document other.');
				const sources = await store.sets.importSources('news');
				expect([...sources].sort(([a], [b]) => (a < b ? -1 : 1))).toEqual([
					['doc', ['a-b.jsonl', 'batch.jsonl']],
					['other', ['constructor']]
				]);
				// people's work is no source
				expect(sources.get('doc')).not.toContain('ann1');
			});
		});

		describe('releases', () => {
			beforeEach(async () => {
				await dataset();
			});

			async function cut(version: number, docs: string[]) {
				const draft = await store.releases.draft('news', version);
				const text = docs.map((d) => recordLine('news', version, d)).join('');
				await draft.write(new TextEncoder().encode(text));
				await draft.finish();
				return { draft, manifest: manifestOf('news', version, docs.length, sha256Hex(text)), text };
			}

			it('a draft is invisible until published; then records, bytes and manifest appear together', async () => {
				const { draft, manifest, text } = await cut(1, ['a', 'b']);
				const back: ReleaseRecord[] = [];
				for await (const r of draft.records()) back.push(r);
				expect(back.map((r) => r.doc_id)).toEqual(['a', 'b']);
				expect(await store.releases.list('news')).toEqual([]);
				expect(await store.releases.versions('news')).toEqual([]);
				expect((await rejection(store.releases.manifest('news', 1))).status).toBe(404);
				expect((await rejection(store.releases.records('news', 1))).status).toBe(404);
				await store.releases.publish('news', draft, manifest);
				await draft.discard(); // after a publish: nothing undone
				expect(await store.releases.versions('news')).toEqual([1]);
				expect(await store.releases.manifest('news', 1)).toEqual(manifest);
				const records: string[] = [];
				for await (const r of await store.releases.records('news', 1)) records.push(r.doc_id);
				expect(records).toEqual(['a', 'b']);
				const bytes = await store.releases.bytes('news', 1);
				expect(bytes.size).toBe(Buffer.byteLength(text));
				expect(await new Response(bytes.body).text()).toBe(text);
			});

			it('lists newest first; a discarded draft leaves nothing', async () => {
				for (const v of [1, 2, 3]) {
					const { draft, manifest } = await cut(v, [`d${v}`]);
					await store.releases.publish('news', draft, manifest);
				}
				const dropped = await cut(4, ['x']);
				await dropped.draft.discard();
				expect((await store.releases.list('news')).map((m) => m.version)).toEqual([3, 2, 1]);
				expect(await store.releases.versions('news')).toEqual([1, 2, 3]);
				expect((await rejection(store.releases.manifest('news', 4))).status).toBe(404);
			});

			it('releases are immutable: a version is never published twice, a draft of a published version is refused', async () => {
				const first = await cut(1, ['a']);
				await store.releases.publish('news', first.draft, first.manifest);
				expect((await rejection(store.releases.draft('news', 1))).status).toBe(409);
				const before = await new Response((await store.releases.bytes('news', 1)).body).text();
				expect(before).toBe(first.text);
				expect(await store.releases.manifest('news', 1)).toEqual(first.manifest);
			});

			it('a draft of more bytes than one batch, written in pieces cut anywhere (inside lines, inside characters), reads back as the same bytes', async () => {
				const words = 'Élection à Besançon: « le conseil » vote — 東京 😀 a\\b "q" ';
				const lines = Array.from({ length: 1500 }, (_, i) =>
					JSON.stringify({ dataset: 'news', version: 1, doc_id: `d${String(i).padStart(5, '0')}`, text: words.repeat(40 + (i % 7)), meta: { doc_id: 'not this one' } }) + '\n'
				);
				const text = lines.join('');
				const bytes = new TextEncoder().encode(text);
				expect(bytes.byteLength).toBeGreaterThan(4 << 20);
				const draft = await store.releases.draft('news', 1);
				// pieces of 1 to 70,000 bytes, none on a line's end by design
				for (let at = 0, n = 0; at < bytes.byteLength; n++) {
					const size = 1 + ((n * 7919) % 70_000);
					await draft.write(bytes.slice(at, at + size));
					at += size;
				}
				await draft.finish();
				const back: string[] = [];
				for await (const r of draft.records()) back.push(r.doc_id);
				expect(back).toEqual(lines.map((_, i) => `d${String(i).padStart(5, '0')}`));
				await store.releases.publish('news', draft, manifestOf('news', 1, lines.length, sha256Hex(text)));
				const stored = await store.releases.bytes('news', 1);
				expect(stored.size).toBe(bytes.byteLength);
				const read = await new Response(stored.body).text();
				expect(read.length).toBe(text.length);
				expect(sha256Hex(read)).toBe(sha256Hex(text));
				const records: string[] = [];
				for await (const r of await store.releases.records('news', 1)) records.push(r.doc_id);
				expect(records).toEqual(back);
			});

			it('two drafts of one version published at once: exactly one release, whole', async () => {
				const a = await cut(1, ['a']);
				const b = await cut(1, ['b', 'c']);
				const outcomes = await Promise.allSettled([store.releases.publish('news', a.draft, a.manifest), store.releases.publish('news', b.draft, b.manifest)]);
				await Promise.all([a.draft.discard(), b.draft.discard()]);
				expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
				const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
				expect(isDomainError(refused.reason) && refused.reason.status).toBe(409);
				const manifest = await store.releases.manifest('news', 1);
				const text = await new Response((await store.releases.bytes('news', 1)).body).text();
				expect([a.text, b.text]).toContain(text);
				expect(manifest.sha256).toBe(sha256Hex(text));
				expect(await store.releases.recover('news')).toEqual([]);
			});
		});

		describe('accounts, tokens, sessions', () => {
			const user = (username: string) => ({ username, role: 'annotator' as const, password_hash: 'h', active: true, created_at: '2026-01-01T00:00:00.000Z' });

			it('users and tokens change together, on a copy', async () => {
				expect(await store.users.hasAny()).toBe(false);
				await store.users.update((data) => {
					data.users.push(user('ann1'), user('constructor'));
					data.tokens.push({ id: 't1', username: 'ann1', name: 'script', hash: 'aa', created_at: '2026-01-01T00:00:00.000Z', last_used_at: null });
				});
				await expect(
					store.users.update((data) => {
						data.users.push(user('half'));
						throw new Error('no');
					})
				).rejects.toThrow('no');
				expect((await store.users.list()).map((u) => u.username)).toEqual(['ann1', 'constructor']);
				expect(await store.users.find('constructor')).toMatchObject({ username: 'constructor' });
				expect(await store.users.find('toString')).toBeUndefined();
				expect(await store.users.find('__proto__')).toBeUndefined();
				expect(await store.tokens.find('aa')).toMatchObject({ id: 't1', username: 'ann1' });
				expect(await store.tokens.find('bb')).toBeUndefined();
				expect((await store.tokens.list()).map((t) => t.id)).toEqual(['t1']);
			});

			it('sessions: found by hash, expired ones dropped, revoked ones never found again', async () => {
				const later = new Date(Date.now() + 3_600_000).toISOString();
				const past = new Date(Date.now() - 1000).toISOString();
				await store.sessions.update((data) => {
					data.sessions.push(
						{ hash: 's1', username: 'ann1', created_at: past, expires_at: later },
						{ hash: 's2', username: 'ann1', created_at: past, expires_at: later },
						{ hash: 's3', username: 'bob', created_at: past, expires_at: later },
						{ hash: 'old', username: 'bob', created_at: past, expires_at: past }
					);
				});
				await store.sessions.update(() => {});
				expect(await store.sessions.find('old')).toBeUndefined();
				expect(await store.sessions.find('s1')).toMatchObject({ username: 'ann1' });
				expect(await store.sessions.revoke('s1')).toBe(true);
				expect(await store.sessions.find('s1')).toBeUndefined();
				expect(await store.sessions.revokeAllOf('ann1')).toBe(true);
				expect(await store.sessions.find('s2')).toBeUndefined();
				expect(await store.sessions.find('s3')).toMatchObject({ username: 'bob' });
				expect(store.sessions.unsavedRevocations()).toBe(0);
			});
		});

		describe('prediction runs', () => {
			// code points: "Le " 0-3, the emoji 3-4, "maire" 5-10; in UTF-16 "maire" is 6-11
			const RUN_TEXT = 'Le \u{1F389} maire a dit.';
			async function* body(lines: unknown[]): AsyncGenerator<Uint8Array> {
				for (const line of lines) yield new TextEncoder().encode((typeof line === 'string' ? line : JSON.stringify(line)) + '\n');
			}
			const upload = (run: string, lines: unknown[], maxBytes = 1 << 20) =>
				store.runs.upload('news', run, body(lines), { by: 'lead', maxBytes, now: new Date(Date.UTC(2026, 0, 2)) });
			async function problems(promise: Promise<unknown>): Promise<{ status: number; message: string; errors: unknown[] }> {
				try {
					await promise;
				} catch (e) {
					if (!isDomainError(e)) throw e;
					return { status: e.status, message: e.message, errors: problemsOf(e) };
				}
				throw new Error('expected a refusal');
			}
			beforeEach(async () => {
				await dataset();
				await store.documents.addMany('news', [newDoc('a', RUN_TEXT), newDoc('b', TEXT)]);
			});

			it('a run reads back as uploaded: spans sorted with the text they cover, the manifest counting them; the name is then taken', async () => {
				const done = await upload('crf-1', [
					{ doc_id: 'a', model: 'crf', spans: [{ start: 5, end: 10, label: 'source', score: 0.5 }, { start: 0, end: 2, label: 'claim' }] },
					{ text_sha256: sha256Hex(TEXT), spans: [{ start: 3, end: 8, label: 'claim', text: 'maire', score: 0.9 }] }
				]);
				expect(done).toMatchObject({ run: 'crf-1', documents: 2, spans: 3 });
				expect(done.manifest).toMatchObject({
					run: 'crf-1',
					dataset: 'news',
					model: 'crf',
					model_version: null,
					uploaded_at: '2026-01-02T00:00:00.000Z',
					uploaded_by: 'lead',
					documents: 2,
					spans: 3,
					span_counts: { claim: 2, source: 1 },
					scores: { count: 2, min: 0.5, max: 0.9 }
				});
				expect(done.manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
				expect(await store.runs.manifest('news', 'crf-1')).toEqual(done.manifest);
				expect((await store.runs.list('news')).map((m) => m.run)).toEqual(['crf-1']);
				const { manifest, spans } = await store.runs.load('news', 'crf-1');
				expect(manifest).toEqual(done.manifest);
				expect([...spans]).toEqual([
					['a', [{ start: 0, end: 2, label: 'claim' }, { start: 5, end: 10, label: 'source', score: 0.5 }]],
					['b', [{ start: 3, end: 8, label: 'claim', score: 0.9 }]]
				]);
				const again = await problems(upload('crf-1', [{ doc_id: 'a', spans: [] }]));
				expect(again).toMatchObject({ status: 409, message: 'the prediction run "crf-1" already exists: runs are immutable, upload under another name' });
				expect((await store.runs.load('news', 'crf-1')).spans.get('a')).toHaveLength(2);
			});

			it('one bad line refuses the whole run, every problem line-numbered in the same words, and nothing is stored', async () => {
				const refused = await problems(
					upload('bad', [
						{ doc_id: 'b', spans: [{ start: 0, end: 2, label: 'claim' }] },
						{ doc_id: 'a', spans: [{ start: 6, end: 11, label: 'claim', text: 'maire' }] },
						'{not json',
						{ doc_id: 'constructor', spans: [] },
						{ doc_id: 'b', spans: [] }
					])
				);
				expect(refused.status).toBe(400);
				expect(refused.message).toBe('nothing was stored: 4 problems found');
				expect(refused.errors).toEqual([
					{ line: 2, message: 'line 2: span 1 (start 6, end 11): text[6:11] is "aire " in code points, not "maire": the model probably used other offsets than Unicode code points; read as UTF-16 code units, [6:11] is exactly that text: the model used UTF-16 offsets (JavaScript, Java or C# string indices); convert them to code points' },
					{ line: 3, message: expect.stringMatching(/^line 3: invalid JSON: /) },
					{ line: 4, message: 'line 4: no document "constructor" in dataset "news"' },
					{ line: 5, message: 'line 5: document "b" was already given on line 1: one line per document' }
				]);
				expect(await store.runs.list('news')).toEqual([]);
				expect((await rejection(store.runs.manifest('news', 'bad'))).status).toBe(404);
				// the name is still free
				expect(await upload('bad', [{ doc_id: 'a', spans: [] }])).toMatchObject({ documents: 1, spans: 0 });
			});

			it('an upload past the size limit, an empty one and a bad name are refused and store nothing', async () => {
				const lines = Array.from({ length: 50 }, () => ({ doc_id: 'a', spans: [{ start: 0, end: 2, label: 'claim' }] }));
				expect(await problems(upload('big', lines, 200))).toMatchObject({
					status: 413,
					message: 'the upload is larger than the size limit of 200 bytes; nothing was stored'
				});
				expect(await problems(upload('empty', []))).toMatchObject({
					status: 400,
					errors: [{ message: 'the upload has no lines: send one JSON object per line' }]
				});
				expect((await problems(upload('../x', [{ doc_id: 'a', spans: [] }]))).status).toBe(400);
				expect((await problems(upload('__proto__', [{ doc_id: 'a', spans: [] }]))).status).toBe(400);
				expect(await store.runs.list('news')).toEqual([]);
			});

			it('two uploads of one name at once: exactly one run, whole; the other a 409', async () => {
				const both = await Promise.allSettled([
					upload('race', [{ doc_id: 'a', spans: [{ start: 0, end: 2, label: 'claim' }] }]),
					upload('race', [{ doc_id: 'b', spans: [{ start: 0, end: 2, label: 'source' }] }, { doc_id: 'a', spans: [] }])
				]);
				expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
				const lost = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
				expect(lost.reason.status).toBe(409);
				const won = (both.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ documents: number }>).value;
				const { manifest, spans } = await store.runs.load('news', 'race');
				expect(manifest.documents).toBe(won.documents);
				expect(spans.size).toBe(won.documents);
				expect(await store.runs.list('news')).toHaveLength(1);
			});
		});

		describe('import commits', () => {
			const record = (documents: number) => ({
				by: 'lead',
				labelMap: [['PER', 'claim']] as Array<[string, string]>,
				addLabels: [{ name: 'person', key: 'p', color: '#123456', description: '' }],
				documents,
				withSpans: 1,
				at: '2026-01-01T00:00:00.000Z'
			});
			const lines = ['{"id":"d1","text":"Le maire 😀"}', '{"id":"d2","text":"\\u2028 ligne"}', '{"commit":"not a record, a staged line"}'];
			async function collect(it: AsyncIterable<string>): Promise<string[]> {
				const out: string[] = [];
				for await (const line of it) out.push(line);
				return out;
			}
			async function staged(slug: string, content = lines) {
				const area = await store.staging.create(slug);
				for (const line of content) await area.append(line);
				return area;
			}

			it('a commit is pending with its record and lines, survives a reset and its area\'s removal, until finished', async () => {
				await dataset();
				expect(await store.imports.pending('news')).toBeNull();
				const area = await staged('news');
				const committed = await store.imports.commit('news', area, record(3));
				expect(committed.record).toEqual(record(3));
				expect(await collect(committed.lines())).toEqual(lines);
				await area.remove(); // the importer's cleanup runs after the commit too
				store.reset();
				const pending = await store.imports.pending('news');
				expect(pending?.record).toEqual(record(3));
				expect(await collect(pending!.lines())).toEqual(lines);
				expect(await collect(pending!.lines())).toEqual(lines); // read again (a second apply)
				await store.imports.finish('news');
				expect(await store.imports.pending('news')).toBeNull();
				store.reset();
				expect(await store.imports.pending('news')).toBeNull();
			});

			it('finishing is idempotent, and finishing nothing changes nothing', async () => {
				await dataset();
				await store.imports.finish('news');
				expect(await store.imports.pending('news')).toBeNull();
				await store.imports.commit('news', await staged('news'), record(3));
				await store.imports.finish('news');
				await store.imports.finish('news');
				expect(await store.imports.pending('news')).toBeNull();
			});

			it('a staging area never committed is no pending commit; one dataset\'s commit is not another\'s', async () => {
				await dataset('news');
				await dataset('blog');
				const area = await staged('news');
				await area.finish();
				expect(await store.imports.pending('news')).toBeNull();
				await area.remove();
				await store.imports.commit('blog', await staged('blog', ['{"id":"b1"}']), record(1));
				expect(await store.imports.pending('news')).toBeNull();
				expect(await collect((await store.imports.pending('blog'))!.lines())).toEqual(['{"id":"b1"}']);
				await store.imports.finish('news');
				expect((await store.imports.pending('blog'))?.record).toEqual(record(1));
			});

			it('an empty import commits too', async () => {
				await dataset();
				await store.imports.commit('news', await staged('news', []), record(0));
				const pending = await store.imports.pending('news');
				expect(pending?.record).toEqual(record(0));
				expect(await collect(pending!.lines())).toEqual([]);
			});
		});

		describe('gazetteers', () => {
			it('none, written whole, read back with a stamp that changes, removed', async () => {
				await dataset();
				expect(await store.gazetteers.read('news')).toBeNull();
				const g = { entries: [{ text: 'Paris', label: 'claim' }], uploaded_at: '2026-01-01T00:00:00.000Z', uploaded_by: 'lead' };
				await store.gazetteers.write('news', g);
				const first = await store.gazetteers.read('news');
				expect(first?.gazetteer).toEqual(g);
				await store.gazetteers.write('news', { ...g, entries: [...g.entries, { text: 'Lyon', label: 'claim' }] });
				const second = await store.gazetteers.read('news');
				expect(second?.gazetteer.entries).toHaveLength(2);
				expect(second?.stamp).not.toBe(first?.stamp);
				await store.gazetteers.remove('news');
				expect(await store.gazetteers.read('news')).toBeNull();
			});
		});

		describe('label changes', () => {
			const key = (annotator: string): SetKey => ({ slug: 'news', docId: 'doc', annotator });
			const renamed = (d: { labels: Array<{ name: string }> }) => {
				d.labels = d.labels.map((l) => (l.name === 'claim' ? { ...l, name: 'assertion' } : l)) as typeof d.labels;
			};
			/** the rewrite of one set's claims into assertions, as a revision by the lead */
			const relabelled = (current: AnnotationSet): SetChange => {
				const revision = current.revision + 1;
				const at = new Date(Date.UTC(2026, 0, 2, 0, 0, revision)).toISOString();
				const spans = current.spans.map((sp) => (sp.label === 'claim' ? { ...sp, label: 'assertion' } : sp));
				const set: AnnotationSet = { ...current, revision, spans, updated_at: at, updated_by: 'lead' };
				return { set, revision: { revision, at, by: 'lead', status: set.status, spans, added: 0, removed: 0, relabelled: spans.length } };
			};
			/** what the domain's rewrite does through the seam: every set with a claim, rewritten under the current labels */
			async function rewriteAll(annotators: string[]): Promise<number> {
				let sets = 0;
				for (const annotator of annotators) {
					const set = await store.sets.load(key(annotator));
					if (!set.spans.some((sp) => sp.label === 'claim')) continue;
					const done = await store.datasets.withCurrentLabels('news', async (names) => {
						expect(names).toContain('assertion');
						return store.sets.commit(key(annotator), set.revision, relabelled);
					});
					expect(done.ok).toBe(true);
					sets++;
				}
				return sets;
			}
			const labelNames = async () => (await store.datasets.get('news')).labels.map((l) => l.name);
			const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

			beforeEach(async () => {
				await dataset();
				await store.documents.addMany('news', [newDoc('doc', TEXT)]);
				await store.sets.commit(key('ann1'), 0, save({ spans: [claim(0, 8)] }));
			});

			it('a rewrite that fails keeps nothing on an atomic store; the journaled store has written the labels first', async () => {
				let atomic: boolean | null = null;
				const failed = store.datasets.changeLabels('news', renamed, async (how) => {
					atomic = how.atomic;
					await rewriteAll(['ann1']);
					throw new Error('injected failure after the first set');
				});
				await expect(failed).rejects.toThrow('injected failure');
				if (atomic) {
					expect(await labelNames()).toEqual(['claim', 'source']);
					expect(await store.sets.load(key('ann1'))).toMatchObject({ revision: 1, spans: [{ label: 'claim' }] });
					expect(await store.sets.revisions(key('ann1'))).toHaveLength(1);
				} else {
					expect(atomic).toBe(false);
					expect(await labelNames()).toEqual(['assertion', 'source']);
				}
				// and a change that succeeds keeps both
				const ok = await store.datasets.changeLabels('news', renamed, () => rewriteAll(['ann1']));
				expect(ok.rewritten).toBe(atomic ? 1 : 0);
				expect(await labelNames()).toEqual(['assertion', 'source']);
				expect((await store.sets.load(key('ann1'))).spans.map((sp) => sp.label)).toEqual(['assertion']);
			});

			it('a save holding the old labels lands before the change (and is rewritten); one that starts during it sees the new labels', async () => {
				let release!: () => void;
				const gate = new Promise<void>((resolve) => (release = resolve));
				let entered = false;
				const early = store.datasets.withCurrentLabels('news', async (names) => {
					entered = true;
					await gate;
					expect(names).toEqual(['claim', 'source']);
					return store.sets.commit(key('ann2'), 0, save({ spans: [claim(22, 27)] }, 'ann2', 'ann2'));
				});
				for (let i = 0; !entered; i++) {
					if (i > 200) throw new Error('the early save never got the labels');
					await pause(10);
				}
				const events: string[] = [];
				let atomic: boolean | null = null;
				let rewriting!: () => void;
				const rewriteStarted = new Promise<void>((resolve) => (rewriting = resolve));
				const changing = store.datasets.changeLabels(
					'news',
					(d) => {
						events.push('labels');
						renamed(d);
					},
					async (how) => {
						atomic = how.atomic;
						rewriting();
						await pause(50);
						const sets = await rewriteAll(['ann1', 'ann2']);
						await pause(50);
						events.push('rewritten');
						return sets;
					}
				);
				await pause(150);
				// the change waits for the save that validated against the old labels
				expect(events).toEqual([]);
				release();
				expect((await early).ok).toBe(true);
				// another request's save, while the rewrite runs (from here: not inside the change's own calls)
				await rewriteStarted;
				const late = store.datasets.withCurrentLabels('news', async (names) => {
					events.push('late save');
					return names;
				});
				const { rewritten } = await changing;
				expect(rewritten).toBe(2);
				expect(await late).toEqual(['assertion', 'source']);
				expect(events.indexOf('labels')).toBe(0);
				expect(events.indexOf('late save')).toBeGreaterThan(0);
				// atomic: the save waited for the commit (it could not see labels whose rewrite might still roll back)
				if (atomic) expect(events).toEqual(['labels', 'rewritten', 'late save']);
				expect((await store.sets.load(key('ann2'))).spans.map((sp) => sp.label)).toEqual(['assertion']);
				expect((await store.sets.revisions(key('ann2'))).map((r) => r.by)).toEqual(['ann2', 'lead']);
			});
		});

		describe('login failures', () => {
			const MINUTE = 60_000;
			const rule = { limit: 10, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
			const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

			it('lock a key on the limit-th failure for lockMs, other keys untouched; a failure while locked changes nothing; clear lifts it', async () => {
				const f = store.loginFailures;
				for (let i = 0; i < 9; i++) expect(await f.fail('user:alice', rule)).toBe(0);
				expect(await f.lockedFor('user:alice')).toBe(0);
				const locked = await f.fail('user:alice', rule);
				expect(locked).toBeGreaterThan(15 * MINUTE - 5_000);
				expect(locked).toBeLessThanOrEqual(15 * MINUTE);
				expect(await f.lockedFor('user:alice')).toBeLessThanOrEqual(locked);
				expect(await f.lockedFor('user:alice')).toBeGreaterThan(15 * MINUTE - 5_000);
				expect(await f.lockedFor('user:bob')).toBe(0);
				expect(await f.lockedFor('ip:10.0.0.1')).toBe(0);
				// more failures while locked do not push the lock further
				await pause(20);
				expect(await f.fail('user:alice', rule)).toBeLessThan(locked);
				await f.clear('user:alice');
				expect(await f.lockedFor('user:alice')).toBe(0);
				expect(await f.fail('user:alice', rule)).toBe(0);
			});

			it('count afresh once the window or the lock is over; a limit of 1 locks at once', async () => {
				const f = store.loginFailures;
				const short = { limit: 3, windowMs: 300, lockMs: 300 };
				await f.fail('user:w', short);
				await f.fail('user:w', short);
				await pause(400);
				// the window is over: this one is the first of a new count
				expect(await f.fail('user:w', short)).toBe(0);
				expect(await f.fail('user:w', short)).toBe(0);
				expect(await f.fail('user:w', short)).toBeGreaterThan(0);
				await pause(400);
				expect(await f.lockedFor('user:w')).toBe(0);
				// the lock is over: counting starts again
				expect(await f.fail('user:w', short)).toBe(0);
				expect(await f.fail('user:one', { limit: 1, windowMs: MINUTE, lockMs: MINUTE })).toBeGreaterThan(MINUTE - 5_000);
			});

			it('count every one of racing failures once', async () => {
				const f = store.loginFailures;
				const at30 = { limit: 30, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
				const results = await Promise.all(Array.from({ length: 29 }, () => f.fail('ip:192.0.2.7', at30)));
				expect(results.every((ms) => ms === 0)).toBe(true);
				expect(await f.lockedFor('ip:192.0.2.7')).toBe(0);
				expect(await f.fail('ip:192.0.2.7', at30)).toBeGreaterThan(0);
			});

			it('take keys that are Object.prototype members as data', async () => {
				const f = store.loginFailures;
				for (const key of ['__proto__', 'constructor', 'user:__proto__', 'hasOwnProperty']) {
					expect(await f.lockedFor(key)).toBe(0);
					expect(await f.fail(key, { limit: 1, windowMs: MINUTE, lockMs: MINUTE })).toBeGreaterThan(0);
					expect(await f.lockedFor(key)).toBeGreaterThan(0);
				}
				expect(await f.lockedFor('toString')).toBe(0);
			});
		});

		// npm run migrate-store (./transfer/): what the domain only creates through its rules, written as read elsewhere
		describe('transfer', () => {
			async function* each<T>(items: T[]): AsyncGenerator<T> {
				yield* items;
			}
			async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
				const out: T[] = [];
				for await (const item of items) out.push(item);
				return out;
			}
			const RECORD = {
				slug: 'moved',
				title: 'Déménagé',
				description: 'from elsewhere',
				created_at: '2020-02-03T04:05:06.789Z',
				created_by: 'someone',
				labels: LABELS.map((n, i) => ({ name: n, color: '#000000', key: String(i + 1), description: '' })),
				relationTypes: [],
				guidelines: '# G',
				members: { zed: 'annotator', constructor: 'annotator', amy: 'lead' },
				assignments: { d2: ['zed'], d1: ['zed', 'amy'] },
				version: 17,
				suggestions: { dates: false }
			} as const;
			const stored = (id: string, position: number, text = `Texte ${id} été.`) => ({
				...newDoc(id, text),
				created_at: `2021-0${position + 1}-01T00:00:00.000Z`,
				position
			});

			it('a dataset record is written as given (creation, version, member order, settings); a second time is a 409', async () => {
				await store.transfer.restoreDataset(structuredClone(RECORD) as never);
				expect(JSON.stringify(await store.datasets.get('moved'))).toBe(JSON.stringify(RECORD));
				expect((await rejection(store.transfer.restoreDataset(structuredClone(RECORD) as never))).status).toBe(409);
				// and it is a dataset like any other
				await store.datasets.update('moved', (d) => void (d.title = 'Again'));
				expect(await store.datasets.get('moved')).toMatchObject({ title: 'Again', version: 18 });
			});

			it('documents keep their creation time and position, are listed, found and searched; a taken id is a 409', async () => {
				await store.transfer.restoreDataset(structuredClone(RECORD) as never);
				const docs = [stored('d2', 1), stored('d1', 0, 'Le maire 🎉 a parlé.'), stored('constructor', 2)];
				expect(await store.transfer.restoreDocuments('moved', each(docs))).toBe(3);
				expect(JSON.stringify(await store.documents.get('moved', 'd1'))).toBe(JSON.stringify(docs[1]));
				expect((await store.documents.headers('moved')).map((h) => [h.id, h.position])).toEqual([['d1', 0], ['d2', 1], ['constructor', 2]]);
				expect(await store.documents.findBySha('moved', docs[2].sha256)).toBe('constructor');
				expect(await store.documents.search('moved', 'maire')).toEqual(['d1']);
				expect((await rejection(store.transfer.restoreDocuments('moved', each([stored('d2', 5, 'other')]))))).toMatchObject({ status: 409 });
				// an import after a restore goes on after the restored positions
				await store.documents.addMany('moved', [newDoc('d9')]);
				expect((await store.documents.headers('moved')).at(-1)).toMatchObject({ id: 'd9', position: 3 });
			});

			it('a run is written with its manifest as given and reads back line by line; a taken name is a 409', async () => {
				await store.transfer.restoreDataset(structuredClone(RECORD) as never);
				await store.transfer.restoreDocuments('moved', each([stored('d1', 0, TEXT)]));
				const manifest = {
					run: 'tagger-2',
					dataset: 'moved',
					model: 'tagger',
					model_version: '2',
					uploaded_at: '2022-01-01T00:00:00.000Z',
					uploaded_by: 'lead',
					sha256: 'a'.repeat(64),
					bytes: 123,
					documents: 1,
					spans: 1,
					span_counts: { claim: 1 },
					scores: null,
					file: 'tagger-2.0a1b2c.spans.jsonl'
				};
				const lines = [{ doc_id: 'd1', text_sha256: sha256Hex(TEXT), spans: [{ start: 0, end: 8, label: 'claim', text: 'Le maire' }] }];
				await store.transfer.restoreRun('moved', manifest, each(lines));
				expect(JSON.stringify(await store.runs.manifest('moved', 'tagger-2'))).toBe(JSON.stringify(manifest));
				expect(JSON.stringify(await all(store.transfer.runLines('moved', 'tagger-2')))).toBe(JSON.stringify(lines));
				expect((await store.runs.load('moved', 'tagger-2')).spans.get('d1')).toEqual([{ start: 0, end: 8, label: 'claim' }]);
				expect((await rejection(store.transfer.restoreRun('moved', manifest, each(lines)))).status).toBe(409);
				expect((await rejection(all(store.transfer.runLines('moved', 'nope')))).status).toBe(404);
			});

			it('a history replayed through commit reads back as it was written, revision numbers, authors and times included', async () => {
				await dataset();
				await store.documents.addMany('news', [newDoc('d1', TEXT)]);
				const key: SetKey = { slug: 'news', docId: 'd1', annotator: 'ann1' };
				await store.sets.commit(key, 0, save({ spans: [claim(0, 8)] }));
				await store.sets.commit(key, 1, save({ spans: [claim(0, 8), claim(9, 10)], status: 'done', activeSecondsDelta: 9 }));
				const history = await store.sets.revisions(key);
				const state = await store.sets.load(key);
				const copy: SetKey = { ...key, annotator: 'ann2' };
				for (const [i, revision] of history.entries()) {
					const set = i === history.length - 1 ? { ...state, annotator: 'ann2' } : { ...state, annotator: 'ann2', revision: revision.revision, spans: revision.spans };
					expect((await store.sets.commit(copy, i, () => ({ set, revision }))).ok).toBe(true);
				}
				expect(JSON.stringify(await store.sets.revisions(copy))).toBe(JSON.stringify(history));
				expect(JSON.stringify(await store.sets.load(copy))).toBe(JSON.stringify({ ...state, annotator: 'ann2' }));
				expect((await store.sets.summaries('news')).get('d1')?.get('ann2')).toMatchObject({ revision: 2, status: 'done', spans: 2 });
			});
		});
	});
}
