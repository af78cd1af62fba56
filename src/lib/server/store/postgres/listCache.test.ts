/**
 * The list cache (./listCache.ts) against a real throwaway cluster: two stores on
 * one database are two app processes; what one writes, the other's next read
 * has, in the order a full read gives (the reference: every row read from the
 * tables, no cache, no snapshot). A new process's first read starts from the
 * snapshot another left in the database, then the rows written since.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from './index';
import { listCache, readHeaders, readSummaries, snapshotBehind } from './listCache';
import { connect, createSql, type Db, type Sql } from './db';
import type { AnnotationSet, Revision, Span } from '../../../model/types';
import type { SetChange } from '../types';
import type { DocumentHeader } from '../../../model/dataset';
import type { SetSummary } from '../../../model/work';

let cluster: TestPostgres;
const stores: PostgresStore[] = [];
const pools: Sql[] = [];
const dbs: Db[] = [];

beforeAll(async () => {
	cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
	await Promise.all([...stores.map((s) => s.close()), ...pools.map((p) => p.end()), ...dbs.map((d) => d.end())]);
	await cluster?.stop();
});

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const doc = (id: string, position = 0) => ({ id, title: `Title ${id}`, text: `Text of ${id} ${position}`, meta: {}, sha256: sha(`Text of ${id} ${position}`) });
const span = (id: string, start: number, end: number, label = 'claim'): Span => ({ id, start, end, label, text: 'x' });

function save(by: string, spans: Span[], status: AnnotationSet['status'] = 'in_progress') {
	return (current: AnnotationSet): SetChange => {
		const revision = current.revision + 1;
		const at = new Date(Date.UTC(2026, 0, 1, 0, 0, revision)).toISOString();
		const set: AnnotationSet = { ...current, revision, status, spans, updated_at: at, updated_by: by };
		const rev: Revision = { revision, at, by, status, spans, added: spans.length, removed: current.spans.length, relabelled: 0 };
		return { set, revision: rev };
	};
}

/** two stores on a new migrated database, a raw pool on it, and `reference()`: what the tables hold */
async function twoProcesses() {
	const url = await cluster.newDatabase();
	const a = createPostgresStore(url, { max: 3 });
	const b = createPostgresStore(url, { max: 3 });
	stores.push(a, b);
	await a.init();
	await a.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
	const raw = createSql(url, { max: 2 });
	pools.push(raw);
	// what the tables hold, read whole (no cache, no snapshot)
	const reference = async () => {
		const [{ id }] = await raw<{ id: string }[]>`SELECT id::text FROM datasets WHERE slug = 'news'`;
		return plain(await readHeaders(raw, id), await readSummaries(raw, id));
	};
	return { url, a, b, raw, reference };
}

/** headers and summaries as plain data in their order */
function plain(headers: readonly DocumentHeader[], summaries: ReadonlyMap<string, ReadonlyMap<string, SetSummary>>) {
	return {
		headers: headers.map((h) => ({ ...h })),
		summaries: [...summaries].map(([id, sets]) => [id, [...sets].map(([name, s]) => [name, { ...s, labels: [...s.labels] }])])
	};
}

/** what the list reads */
async function view(store: PostgresStore) {
	return plain(await store.documents.headers('news'), await store.sets.summaries('news'));
}

describe('PostgreSQL list cache', () => {
	it("sees another process's documents and saves at its next read, in a full read's order", async () => {
		const { a, b, reference } = await twoProcesses();
		await b.documents.addMany('news', [doc('m', 0), doc('b', 1)]);
		expect(await view(a)).toEqual(await reference());
		// a second import (appended), saves of new and known sets, a new annotator of a document
		await b.documents.addMany('news', [doc('a', 2), doc('z', 3)]);
		await b.sets.commit({ slug: 'news', docId: 'm', annotator: 'ann2' }, 0, save('ann2', [span('s1', 0, 4)]));
		await b.sets.commit({ slug: 'news', docId: 'a', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4, 'date')], 'done'));
		const first = await view(a);
		expect(first).toEqual(await reference());
		expect(first.headers.map((h) => h.id)).toEqual(['m', 'b', 'a', 'z']);
		expect(first.summaries.map(([id]) => id)).toEqual(['a', 'm']);
		await a.sets.commit({ slug: 'news', docId: 'm', annotator: 'ann1' }, 0, save('ann1', [span('s1', 1, 4)]));
		await b.sets.commit({ slug: 'news', docId: 'm', annotator: 'ann2' }, 1, save('ann2', [span('s1', 0, 4), span('s2', 5, 7, 'date')], 'done'));
		const second = await view(a);
		expect(second).toEqual(await reference());
		// the new annotator of "m" comes before ann2, as in a full read
		expect(second.summaries).toContainEqual(['m', [['ann1', expect.objectContaining({ revision: 1 })], ['ann2', expect.objectContaining({ revision: 2, status: 'done', spans: 2 })]]]);
		expect(await view(b)).toEqual(second);
	});

	it('a first read gives every field as written (one text column a row, split: flags, fractions, empty lists, a label with a space, a row from before span keys)', async () => {
		const { a, raw } = await twoProcesses();
		// positions out of id order, ids out of position order
		await a.documents.addMany('news', ['k', 'b', 'x', 'a', 'm', 'c', 'q', 'd', 'z', 'e', 'f', 'g', 'h'].map((id, i) => doc(id, i)));
		for (const [i, id] of ['b', 'x', 'a', 'm', 'c', 'q', 'd', 'z', 'e', 'f'].entries())
			for (const annotator of ['ann2', 'ann1', 'gold'].slice(0, 1 + (i % 3)))
				await a.sets.commit({ slug: 'news', docId: id, annotator }, 0, save(annotator, [span('s1', 0, 4, 'Quote source'), span('s2', 5, 7, 'date')], 'done'));
		await a.sets.commit({ slug: 'news', docId: 'k', annotator: 'import~model' }, 0, save('import~model', [span('s1', 0, 4)]));
		// a flag, an empty label list, fractional active time, and a row as written before migration 0002 (no span keys)
		await raw`UPDATE annotation_sets SET flag_reason = 'off_topic', active_seconds = 12.625 WHERE document_id = 'x' AND annotator = 'ann2'`;
		await raw`UPDATE annotation_sets SET span_keys = NULL, span_labels = '{}' WHERE document_id = 'm' AND annotator = 'ann2'`;
		await raw`UPDATE annotation_sets SET reviewed_spans = 0, span_labels = '{}', span_keys = '' WHERE document_id = 'q' AND annotator = 'ann2'`;
		const [{ id }] = await raw<{ id: string }[]>`SELECT id::text FROM datasets WHERE slug = 'news'`;

		// a document written again lies after the others: the rows reach readHeaders out of position order
		await raw`UPDATE documents SET title = title WHERE id = 'k'`;
		const headers = await readHeaders(raw, id);
		expect(headers.map((h) => h.id).join('')).toBe('kbxamcqdzefgh');
		expect(headers[2]).toEqual({ id: 'x', title: 'Title x', sha256: sha('Text of x 2'), position: 2, length: 'Text of x 2'.length });

		const whole = await readSummaries(raw, id);
		// document then annotator, in code unit order; import sets aside
		expect([...whole].flatMap(([d, perDoc]) => [...perDoc.keys()].map((n) => `${d}:${n}`)).join(' ')).toBe(
			'a:ann1 a:ann2 a:gold b:ann2 c:ann1 c:ann2 d:ann2 e:ann1 e:ann2 e:gold f:ann2 m:ann2 q:ann1 q:ann2 q:gold x:ann1 x:ann2 z:ann1 z:ann2'
		);
		const row = (d: string, n: string) => whole.get(d)!.get(n)!;
		expect(row('x', 'ann2')).toEqual({ annotator: 'ann2', status: 'done', revision: 1, spans: 2, updated_at: '2026-01-01T00:00:01.000Z', active_seconds: 12.625, flag: 'off_topic', labels: ['Quote source', 'date'], keys: row('b', 'ann2').keys });
		expect(row('x', 'ann1')).toMatchObject({ active_seconds: 0 });
		expect(row('x', 'ann1')).not.toHaveProperty('flag');
		expect(row('q', 'ann2')).toMatchObject({ spans: 0, labels: [], keys: '' });
		// the legacy row (no keys): the facts of its spans, read from its state
		expect(row('m', 'ann2')).toMatchObject({ labels: ['Quote source', 'date'], keys: row('b', 'ann2').keys });
		// and what the store answers for it: the facts of those spans, as for any other set
		const summaries = await a.sets.summaries('news');
		expect(summaries.get('m')?.get('ann2')).toMatchObject({ labels: ['Quote source', 'date'], keys: summaries.get('b')?.get('ann2')?.keys });
		expect(summaries.get('b')?.get('ann2')?.keys).toMatch(/^[A-Za-z0-9+/]{11}=$/);
		expect(summaries.has('k')).toBe(false);
	});

	it('a slow transaction that commits after a faster one is not skipped', async () => {
		const { a, b, raw, reference } = await twoProcesses();
		await b.documents.addMany('news', [doc('d1'), doc('d2', 1)]);
		await b.sets.commit({ slug: 'news', docId: 'd1', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
		await b.sets.commit({ slug: 'news', docId: 'd2', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
		expect(await view(a)).toEqual(await reference());

		// the slow one writes first (its transaction id is the smaller one) and commits last
		const slow = await raw.reserve();
		try {
			await slow`BEGIN`;
			await slow`UPDATE annotation_sets SET status = 'done', reviewed_spans = 7 WHERE document_id = 'd1' AND annotator = 'ann1'`;
			await slow`INSERT INTO documents (dataset_id, id, position, title, text, sha256, length, created_at)
				SELECT dataset_id, 'late', 99, 'Late', 'late text', ${sha('late text')}, 9, now() FROM documents WHERE id = 'd1'`;
			await b.sets.commit({ slug: 'news', docId: 'd2', annotator: 'ann1' }, 1, save('ann1', [], 'done'));
			const between = await view(a);
			expect(between.summaries).toContainEqual(['d2', [['ann1', expect.objectContaining({ revision: 2, status: 'done', spans: 0 })]]]);
			expect(between.summaries).toContainEqual(['d1', [['ann1', expect.objectContaining({ status: 'in_progress', spans: 1 })]]]);
			expect(between.headers.map((h) => h.id)).toEqual(['d1', 'd2']);
			await slow`COMMIT`;
		} finally {
			slow.release();
		}
		const after = await view(a);
		expect(after.summaries).toContainEqual(['d1', [['ann1', expect.objectContaining({ status: 'done', spans: 7 })]]]);
		expect(after.headers.map((h) => h.id)).toEqual(['d1', 'd2', 'late']);
		expect(after).toEqual(await reference());
	});

	it('caches nothing a transaction of the store had not committed (a label change that fails)', async () => {
		const { a, reference } = await twoProcesses();
		await a.documents.addMany('news', [doc('d1')]);
		expect((await view(a)).summaries).toEqual([]);
		const failed = a.datasets.changeLabels(
			'news',
			() => undefined,
			async () => {
				await a.sets.commit({ slug: 'news', docId: 'd1', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
				// inside the transaction: its own write is seen, and must not be kept
				expect((await a.sets.summaries('news')).get('d1')?.get('ann1')?.revision).toBe(1);
				throw new Error('injected failure');
			}
		);
		await expect(failed).rejects.toThrow('injected failure');
		expect((await view(a)).summaries).toEqual([]);
		expect(await view(a)).toEqual(await reference());
	});

	it('a deleted set or document is gone at the next read (everything is read again)', async () => {
		const { a, b, raw, reference } = await twoProcesses();
		await b.documents.addMany('news', [doc('d1'), doc('d2', 1)]);
		await b.sets.commit({ slug: 'news', docId: 'd1', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
		await b.sets.commit({ slug: 'news', docId: 'd2', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
		expect((await view(a)).summaries.map(([id]) => id)).toEqual(['d1', 'd2']);
		await raw`DELETE FROM documents WHERE id = 'd1'`;
		const after = await view(a);
		expect(after.headers.map((h) => h.id)).toEqual(['d2']);
		expect(after.summaries.map(([id]) => id)).toEqual(['d2']);
		expect(after).toEqual(await reference());
	});

	it('reads that come during a refresh get one that started after them (a save just acknowledged is in it)', async () => {
		const { a, b } = await twoProcesses();
		await b.documents.addMany('news', [doc('d1')]);
		await view(a);
		for (let i = 1; i <= 20; i++) {
			const before = a.sets.summaries('news');
			await b.sets.commit({ slug: 'news', docId: 'd1', annotator: 'ann1' }, i - 1, save('ann1', []));
			const [, after] = await Promise.all([before, a.sets.summaries('news')]);
			expect(after.get('d1')?.get('ann1')?.revision).toBe(i);
		}
	});

	describe('after a restart: the snapshot in the database', () => {
		/** a new process's list cache on `url`, read once: what it answered and how it opened */
		async function newProcess(url: string) {
			const db = connect(url, { max: 2, lockMax: 1 });
			dbs.push(db);
			const cache = listCache(db);
			const id = await db.datasetId('news');
			const seen = plain(await cache.headers(id), await cache.summaries(id));
			return { cache, id, seen, openedFrom: cache.openedFrom(id) };
		}
		const snapshotHead = async (raw: Sql) =>
			(await raw<{ documents: number; parts: number }[]>`SELECT documents, parts FROM list_snapshots s JOIN datasets d ON d.id = s.dataset_id WHERE d.slug = 'news'`)[0];

		it('a new process opens from the snapshot the first one wrote, then reads the rows written since', async () => {
			const { url, b, raw, reference } = await twoProcesses();
			// names of Object.prototype members among the ids and labels
			await b.documents.addMany('news', ['m', 'b', 'x', 'a', 'constructor'].map((id, i) => doc(id, i)));
			await b.sets.commit({ slug: 'news', docId: 'constructor', annotator: 'constructor' }, 0, save('constructor', [span('s1', 1, 4, 'toString')]));
			await b.sets.commit({ slug: 'news', docId: 'x', annotator: 'ann2' }, 0, save('ann2', [span('s1', 0, 4, 'Quote source'), span('s2', 5, 7, 'date')], 'done'));
			await b.sets.commit({ slug: 'news', docId: 'x', annotator: 'ann1' }, 0, save('ann1', []));
			await b.sets.commit({ slug: 'news', docId: 'b', annotator: 'import~model' }, 0, save('import~model', [span('s1', 0, 4)]));
			await raw`UPDATE annotation_sets SET flag_reason = 'off_topic', active_seconds = 12.625 WHERE document_id = 'x' AND annotator = 'ann2'`;

			const first = await newProcess(url);
			expect(first.openedFrom).toBe('rows');
			expect(first.seen).toEqual(await reference());
			await first.cache.settled();
			expect(await snapshotHead(raw)).toEqual({ documents: 5, parts: 1 });

			// after the snapshot: an import, saves of a known set and of a new annotator of a document, a title rewritten
			await b.documents.addMany('news', [doc('c', 5), doc('0', 6)]);
			await b.sets.commit({ slug: 'news', docId: 'x', annotator: 'ann1' }, 1, save('ann1', [span('s1', 1, 4)], 'done'));
			await b.sets.commit({ slug: 'news', docId: 'x', annotator: 'ann0' }, 0, save('ann0', [span('s1', 1, 4)]));
			await b.sets.commit({ slug: 'news', docId: '0', annotator: 'ann1' }, 0, save('ann1', [span('s1', 1, 4)]));
			await raw`UPDATE documents SET title = 'Retitled' WHERE id = 'm'`;
			const second = await newProcess(url);
			expect(second.openedFrom).toBe('snapshot');
			expect(second.seen).toEqual(await reference());
			expect(second.seen.summaries.map(([id]) => id)).toEqual(['0', 'constructor', 'x']);
			expect(second.seen.headers.find((h) => h.id === 'm')?.title).toBe('Retitled');
			// the flag, the fraction and the labels came through the snapshot's lines as they were written
			expect(second.seen.summaries[2][1]).toContainEqual(['ann2', expect.objectContaining({ flag: 'off_topic', active_seconds: 12.625, labels: ['Quote source', 'date'] })]);
			expect(second.seen.summaries[1]).toEqual(['constructor', [['constructor', expect.objectContaining({ labels: ['toString'] })]]]);
			// a few changes since: not written again
			await second.cache.settled();
			expect(await snapshotHead(raw)).toEqual({ documents: 5, parts: 1 });
		});

		it('is not used once something was deleted, nor when a line does not read; it is written again', async () => {
			const { url, b, raw, reference } = await twoProcesses();
			await b.documents.addMany('news', [doc('d1'), doc('d2', 1)]);
			await b.sets.commit({ slug: 'news', docId: 'd1', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
			await b.sets.commit({ slug: 'news', docId: 'd2', annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
			await (await newProcess(url)).cache.settled();
			expect(await snapshotHead(raw)).toEqual({ documents: 2, parts: 1 });

			await raw`DELETE FROM documents WHERE id = 'd1'`;
			const afterDelete = await newProcess(url);
			expect(afterDelete.openedFrom).toBe('rows');
			expect(afterDelete.seen).toEqual(await reference());
			expect(afterDelete.seen.headers.map((h) => h.id)).toEqual(['d2']);
			await afterDelete.cache.settled();
			expect(await snapshotHead(raw)).toEqual({ documents: 1, parts: 1 });
			expect((await newProcess(url)).openedFrom).toBe('snapshot');

			await raw`UPDATE list_snapshot_parts SET line = left(line, 20)`;
			const torn = await newProcess(url);
			expect(torn.openedFrom).toBe('rows');
			expect(torn.seen).toEqual(await reference());
		});

		it(`is written again once a process has applied snapshotBehind rows since (${snapshotBehind(0)} at this size)`, async () => {
			const { url, b, raw, reference } = await twoProcesses();
			await b.documents.addMany('news', [doc('d0')]);
			const p = await newProcess(url);
			await p.cache.settled();
			expect(await snapshotHead(raw)).toEqual({ documents: 1, parts: 1 });
			const many = Array.from({ length: snapshotBehind(0) + 500 }, (_, i) => doc(`n${String(i).padStart(5, '0')}`, i + 1));
			await b.documents.addMany('news', many.slice(0, 10));
			await p.cache.headers(p.id);
			await p.cache.settled();
			expect(await snapshotHead(raw)).toEqual({ documents: 1, parts: 1 });
			await b.documents.addMany('news', many.slice(10));
			expect((await p.cache.headers(p.id)).length).toBe(many.length + 1);
			await p.cache.settled();
			// 1,501 documents: two lines of at most 1,000
			expect(await snapshotHead(raw)).toEqual({ documents: many.length + 1, parts: 2 });
			const next = await newProcess(url);
			expect(next.openedFrom).toBe('snapshot');
			expect(next.seen).toEqual(await reference());
		});

		it('cuts its lines by size too: sets of huge span lists do not make one huge line', async () => {
			const { url, b, raw, reference } = await twoProcesses();
			await b.documents.addMany('news', Array.from({ length: 20 }, (_, i) => doc(`d${i}`, i)));
			for (let i = 0; i < 20; i++) await b.sets.commit({ slug: 'news', docId: `d${i}`, annotator: 'ann1' }, 0, save('ann1', [span('s1', 0, 4)]));
			// the keys of 22,500 spans a set (120,000 characters), as a 20,000-span save writes them
			await raw`UPDATE annotation_sets SET span_keys = repeat('AAAA', 30000)`;
			await (await newProcess(url)).cache.settled();
			// 20 × 120,000 characters: two lines of at most 2,000,000
			expect(await snapshotHead(raw)).toEqual({ documents: 20, parts: 2 });
			const next = await newProcess(url);
			expect(next.openedFrom).toBe('snapshot');
			expect(next.seen).toEqual(await reference());
		});
	});
});
