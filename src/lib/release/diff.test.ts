import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReleaseDiffError, diffReleases, diffSpans, emptyDiffSummary, type DocumentDiff } from './diff';
import { buildRecord, compareRecords, type ReleaseRecord } from './record';
import type { Status } from '../model/types';

// offsets (python3 T.index): Minister 0-8, prices fell 14-25, Critics 27-34, disagree 35-43, 'Monday, 5 May' 48-61
const TEXT = 'Minister says prices fell. Critics disagree. On Monday, 5 May.';

type S = [id: string, start: number, end: number, label: string];

function rec(
	version: number,
	doc_id: string,
	annotator: string,
	spans: S[],
	extra: { text?: string; status?: Status; revision?: number } = {}
): ReleaseRecord {
	const text = extra.text ?? TEXT;
	return buildRecord({
		dataset: 'news',
		version,
		doc_id,
		title: doc_id,
		text,
		text_sha256: createHash('sha256').update(text).digest('hex'),
		meta: {},
		annotator,
		status: extra.status ?? 'done',
		revision: extra.revision ?? 1,
		updated_at: '2026-01-01T00:00:00.000Z',
		spans: spans.map(([id, start, end, label]) => ({ id, start, end, label }))
	});
}

/** old release (v1) */
function v1(): ReleaseRecord[] {
	return [
		rec(1, 'd0', 'gold', [['z', 0, 8, 'attribution']]),
		rec(1, 'd1', 'alice', [
			['a1', 0, 8, 'attribution'],
			['a2', 14, 25, 'claim']
		]),
		rec(1, 'd1', 'gold', [
			['g1', 0, 8, 'attribution'],
			['g2', 48, 61, 'date'],
			['g3', 27, 34, 'framing']
		]),
		rec(1, 'd2', 'gold', [['x', 14, 25, 'claim']]),
		rec(1, 'd3', 'gold', [['y', 0, 8, 'attribution']])
	].sort(compareRecords);
}

/** new release (v2): d1/gold edited, d2 removed, d3/bob added, d4 added; d0, d1/alice, d3/gold unchanged */
function v2(): ReleaseRecord[] {
	return [
		rec(2, 'd0', 'gold', [['z', 0, 8, 'attribution']]),
		rec(2, 'd1', 'alice', [
			['a1', 0, 8, 'attribution'],
			['a2', 14, 25, 'claim']
		]),
		rec(
			2,
			'd1',
			'gold',
			[
				['g1', 0, 8, 'attribution'], // unchanged
				['g2', 48, 61, 'claim'], // relabelled date -> claim
				// g3 framing removed
				['g4', 35, 43, 'attribution'] // added
			],
			{ revision: 2 }
		),
		rec(2, 'd3', 'bob', [['b1', 14, 25, 'claim']]),
		rec(2, 'd3', 'gold', [['y', 0, 8, 'attribution']]),
		rec(2, 'd4', 'gold', [
			['n1', 48, 61, 'date'],
			['n2', 14, 25, 'claim']
		])
	].sort(compareRecords);
}

async function* stream<T>(items: T[]): AsyncGenerator<T> {
	for (const x of items) {
		await Promise.resolve();
		yield x;
	}
}

describe('diffReleases', () => {
	it('sanity: fixture offsets', () => {
		expect(TEXT.slice(0, 8)).toBe('Minister');
		expect(TEXT.slice(14, 25)).toBe('prices fell');
		expect(TEXT.slice(27, 34)).toBe('Critics');
		expect(TEXT.slice(35, 43)).toBe('disagree');
		expect(TEXT.slice(48, 61)).toBe('Monday, 5 May');
	});

	it('counts a crafted change exactly', async () => {
		const d = await diffReleases(v1(), v2());
		expect(d.summary).toEqual({
			documents: { added: 1, removed: 1, changed: 2, unchanged: 1 },
			records: { added: 2, removed: 1, changed: 1 },
			spans: {
				added: { attribution: 1, claim: 2, date: 1 },
				removed: { claim: 1, framing: 1 },
				relabelled: { 'date->claim': 1 }
			}
		});
		expect(d.truncated).toBe(false);
		expect(d.documents).toEqual<DocumentDiff[]>([
			{
				doc_id: 'd1',
				annotator: 'gold',
				change: 'changed',
				spans_added: [{ start: 35, end: 43, label: 'attribution', text: 'disagree' }],
				spans_removed: [{ start: 27, end: 34, label: 'framing', text: 'Critics' }],
				spans_relabelled: [{ start: 48, end: 61, from: 'date', to: 'claim', text: 'Monday, 5 May' }],
				text_changed: false,
				fields_changed: ['revision', 'spans']
			},
			{
				doc_id: 'd2',
				annotator: 'gold',
				change: 'removed',
				spans_added: [],
				spans_removed: [{ start: 14, end: 25, label: 'claim', text: 'prices fell' }],
				spans_relabelled: [],
				text_changed: false,
				fields_changed: []
			},
			{
				doc_id: 'd3',
				annotator: 'bob',
				change: 'added',
				spans_added: [{ start: 14, end: 25, label: 'claim', text: 'prices fell' }],
				spans_removed: [],
				spans_relabelled: [],
				text_changed: false,
				fields_changed: []
			},
			{
				doc_id: 'd4',
				annotator: 'gold',
				change: 'added',
				spans_added: [
					{ start: 14, end: 25, label: 'claim', text: 'prices fell' },
					{ start: 48, end: 61, label: 'date', text: 'Monday, 5 May' }
				],
				spans_removed: [],
				spans_relabelled: [],
				text_changed: false,
				fields_changed: []
			}
		]);
	});

	it('accepts async iterables (streaming) with the same result', async () => {
		expect(await diffReleases(stream(v1()), stream(v2()))).toEqual(await diffReleases(v1(), v2()));
	});

	it('identical releases (even with different version numbers) give all zeros', async () => {
		const same = v2().map((r) => ({ ...r, version: 9 }));
		const d = await diffReleases(stream(v2()), same);
		expect(d.summary).toEqual({
			documents: { added: 0, removed: 0, changed: 0, unchanged: 4 },
			records: { added: 0, removed: 0, changed: 0 },
			spans: { added: {}, removed: {}, relabelled: {} }
		});
		expect(d.documents).toEqual([]);
		expect(d.truncated).toBe(false);
	});

	it('empty vs empty is the empty summary', async () => {
		expect(await diffReleases([], stream([]))).toEqual({ summary: emptyDiffSummary(), documents: [], truncated: false });
	});

	it('everything added / removed', async () => {
		const added = await diffReleases([], v1());
		expect(added.summary.documents).toEqual({ added: 4, removed: 0, changed: 0, unchanged: 0 });
		expect(added.summary.records).toEqual({ added: 5, removed: 0, changed: 0 });
		expect(added.summary.spans.added).toEqual({ attribution: 4, claim: 2, date: 1, framing: 1 });
		const removed = await diffReleases(v1(), []);
		expect(removed.summary.documents).toEqual({ added: 0, removed: 4, changed: 0, unchanged: 0 });
		expect(removed.summary.spans.removed).toEqual(added.summary.spans.added);
	});

	it('caps the document list at limit and flags truncation; the summary still counts all', async () => {
		const full = await diffReleases(v1(), v2());
		const capped = await diffReleases(v1(), v2(), { limit: 2 });
		expect(capped.documents).toEqual(full.documents.slice(0, 2));
		expect(capped.truncated).toBe(true);
		expect(capped.summary).toEqual(full.summary);
		expect((await diffReleases(v1(), v2(), { limit: 4 })).truncated).toBe(false);
		expect((await diffReleases(v1(), v2(), { limit: 0 })).documents).toEqual([]);
	});

	it('reports status-only and text changes', async () => {
		const a = [rec(1, 'd', 'gold', [['s', 0, 8, 'attribution']], { status: 'in_progress' })];
		const b = [rec(2, 'd', 'gold', [['s', 0, 8, 'attribution']], { status: 'done', revision: 2 })];
		const d = await diffReleases(a, b);
		expect(d.summary.records.changed).toBe(1);
		expect(d.summary.documents.changed).toBe(1);
		expect(d.summary.spans).toEqual({ added: {}, removed: {}, relabelled: {} });
		expect(d.documents[0]).toMatchObject({ change: 'changed', fields_changed: ['status', 'revision'], text_changed: false });

		const t = [rec(2, 'd', 'gold', [['s', 0, 8, 'attribution']], { text: 'Minister! ' })];
		const dt = await diffReleases(a, t);
		expect(dt.documents[0].text_changed).toBe(true);
		expect(dt.documents[0].fields_changed).toEqual(['text', 'text_sha256', 'status']);
	});

	it('rejects unsorted or duplicate input', async () => {
		const unsorted = [...v1()].reverse();
		await expect(diffReleases(unsorted, v2())).rejects.toThrow(ReleaseDiffError);
		const dup = [...v2(), v2()[v2().length - 1]];
		await expect(diffReleases(v1(), stream(dup))).rejects.toThrow(/new release: record 6/);
	});
});

describe('diffSpans', () => {
	const sp = (id: string, start: number, end: number, label: string) => ({ id, start, end, label, text: 't', attrs: {} });

	it('pairs relabels at the same offsets in label order; the rest are added/removed', () => {
		const d = diffSpans(
			[sp('1', 0, 5, 'claim'), sp('2', 0, 5, 'date'), sp('3', 6, 9, 'claim')],
			[sp('4', 0, 5, 'framing'), sp('5', 6, 9, 'claim')]
		);
		expect(d.relabelled).toEqual([{ start: 0, end: 5, from: 'claim', to: 'framing', text: 't' }]);
		expect(d.removed).toEqual([{ start: 0, end: 5, label: 'date', text: 't' }]);
		expect(d.added).toEqual([]);
	});

	it('treats duplicates as a multiset and ignores id/attrs changes', () => {
		const d = diffSpans([sp('1', 0, 5, 'claim')], [sp('9', 0, 5, 'claim'), sp('8', 0, 5, 'claim')]);
		expect(d).toEqual({ added: [{ start: 0, end: 5, label: 'claim', text: 't' }], removed: [], relabelled: [] });
	});
});

describe('relations and attribute values', () => {
	const make = (version: number, spans: Array<S | [string, number, number, string, Record<string, unknown>]>, relations: Array<[string, string, string]>) => {
		const r = rec(version, 'd1', 'gold', []);
		return buildRecord({
			...r,
			spans: spans.map(([id, start, end, label, attrs]) => ({ id, start, end, label, attrs })),
			relations: relations.map(([from, to, label]) => ({ from, to, label }))
		});
	};

	it('counts relations added and removed by type, and values changed by label', async () => {
		// v1: Minister -source-of-> prices fell; date without value
		const old = make(1, [['m', 0, 8, 'attribution'], ['p', 14, 25, 'claim'], ['c', 27, 34, 'attribution'], ['d', 48, 61, 'date']], [['m', 'p', 'source-of']]);
		// v2: Critics -source-of-> prices fell instead; the date gets its value; span ids differ but the spans are the same
		const now = make(
			2,
			[['m2', 0, 8, 'attribution'], ['p2', 14, 25, 'claim'], ['c2', 27, 34, 'attribution'], ['d2', 48, 61, 'date', { value: 'XXXX-05-05' }]],
			[['c2', 'p2', 'source-of']]
		);
		const d = await diffReleases([old], [now]);
		expect(d.summary.relations).toEqual({ added: { 'source-of': 1 }, removed: { 'source-of': 1 } });
		expect(d.summary.attributes).toEqual({ changed: { date: 1 } });
		expect(d.summary.spans).toEqual({ added: {}, removed: {}, relabelled: {} });
		const [doc] = d.documents;
		expect(doc.relations_added).toEqual([
			{ label: 'source-of', from: { start: 27, end: 34, label: 'attribution', text: 'Critics' }, to: { start: 14, end: 25, label: 'claim', text: 'prices fell' } }
		]);
		expect(doc.relations_removed?.map((r) => r.from.text)).toEqual(['Minister']);
		expect(doc.attrs_changed).toEqual([{ start: 48, end: 61, label: 'date', text: 'Monday, 5 May', before: {}, after: { value: 'XXXX-05-05' } }]);
	});

	it('a relabelled end is a relation removed and one added; a removed record takes its relations; no change, no fields', async () => {
		const old = make(1, [['m', 0, 8, 'attribution'], ['p', 14, 25, 'claim']], [['m', 'p', 'source-of']]);
		const relabelled = make(2, [['m', 0, 8, 'framing'], ['p', 14, 25, 'claim']], [['m', 'p', 'source-of']]);
		expect((await diffReleases([old], [relabelled])).summary.relations).toEqual({ added: { 'source-of': 1 }, removed: { 'source-of': 1 } });
		expect((await diffReleases([old], [])).summary.relations).toEqual({ added: {}, removed: { 'source-of': 1 } });
		const same = await diffReleases([old], [make(2, [['m', 0, 8, 'attribution'], ['p', 14, 25, 'claim']], [['m', 'p', 'source-of']])]);
		expect(same.summary.relations).toBeUndefined();
		expect(same.summary.attributes).toBeUndefined();
	});
});
