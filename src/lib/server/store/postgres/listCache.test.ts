/**
 * The list cache (./listCache.ts) against a real throwaway cluster: two stores on
 * one database are two app processes; what one writes, the other's next read
 * has, in the order a full read gives (a third, new store's first read is the
 * reference: it reads everything).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from './index';
import { readHeaders, readSummaries } from './listCache';
import { createSql, type Sql } from './db';
import type { AnnotationSet, Revision, Span } from '../../../model/types';
import type { SetChange } from '../types';

let cluster: TestPostgres;
const stores: PostgresStore[] = [];
const pools: Sql[] = [];

beforeAll(async () => {
	cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
	await Promise.all([...stores.map((s) => s.close()), ...pools.map((p) => p.end())]);
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

/** two stores on a new migrated database, a raw pool on it, and `reference()`: what a new store reads */
async function twoProcesses() {
	const url = await cluster.newDatabase();
	const a = createPostgresStore(url, { max: 3 });
	const b = createPostgresStore(url, { max: 3 });
	stores.push(a, b);
	await a.init();
	await a.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
	const raw = createSql(url, { max: 2 });
	pools.push(raw);
	const reference = async () => {
		const c = createPostgresStore(url, { max: 1 });
		try {
			return await view(c);
		} finally {
			await c.close();
		}
	};
	return { a, b, raw, reference };
}

/** what the list reads, as plain data in its order */
async function view(store: PostgresStore) {
	const headers = await store.documents.headers('news');
	const summaries = await store.sets.summaries('news');
	return {
		headers: headers.map((h) => ({ ...h })),
		summaries: [...summaries].map(([id, sets]) => [id, [...sets].map(([name, s]) => [name, { ...s }])])
	};
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
});
