/**
 * The snapshot's rows (snapshotRows.ts): what goes into a line comes out the
 * same, field for field and in the same order, whatever the characters; the
 * line is ASCII; a label set is listed once a line and shared.
 */
import { describe, expect, it } from 'vitest';
import { isAscii } from 'node:buffer';
import { indexProbes, type DocumentMeta } from './datasetIndex';
import { readSnapshotLine, SnapshotLine } from './snapshotRows';
import type { DocumentHeader } from '../../../model/dataset';
import type { SetSummary } from '../../../model/work';

type Row = [string, DocumentHeader | undefined, DocumentMeta | undefined, SetSummary[]];

function readBack(text: string): Row[] {
	const rows: Row[] = [];
	readSnapshotLine(JSON.parse(Buffer.from(text, 'utf8').toString('latin1')), (...row) => rows.push(row));
	return rows;
}

const summary = (annotator: string, labels: string[], extra: Partial<SetSummary> = {}): SetSummary => ({
	annotator,
	status: 'done',
	revision: 3,
	spans: labels.length,
	updated_at: '2026-12-01T12:00:00.000Z',
	active_seconds: 12,
	labels,
	keys: 'AAAAAQAAAAI=',
	...extra
});

describe('a snapshot line', () => {
	it('gives back a header and a summary with every field, in the order the index writes them', () => {
		const { header, summary: probe } = indexProbes();
		const line = new SnapshotLine();
		line.addDocument(header, { source: 'probe' }, [probe]);
		const [[id, back, meta, summaries]] = readBack(line.take());
		expect(id).toBe(header.id);
		// the index compares summaries by their JSON: a field lost, renamed or moved would show here
		expect(JSON.stringify(back)).toBe(JSON.stringify(header));
		expect(JSON.stringify(summaries)).toBe(JSON.stringify([probe]));
		expect(meta).toEqual({ source: 'probe' });
	});

	it('is ASCII, and gives back every character of titles, metas and labels', () => {
		const header: DocumentHeader = { id: 'd-é', title: 'Dépêche 😀 \u2028 "quoted" \\ tab\t', sha256: 'abc', position: 4, length: 10 };
		const meta = { auteur: 'Zoë', 'clé 🔑': ['ü', 1, null, { ß: true }] };
		const line = new SnapshotLine();
		line.addDocument(header, meta, [summary('ann1', ['claim', 'étiquette 🏷']), summary('gold', [], { status: 'in_progress', updated_at: null, keys: '', flag: 'not_news' })]);
		const text = line.take();
		expect(isAscii(Buffer.from(text, 'utf8'))).toBe(true);
		const [[, back, metaBack, summaries]] = readBack(text);
		expect(back).toEqual(header);
		expect(metaBack).toEqual(meta);
		expect(summaries).toEqual([summary('ann1', ['claim', 'étiquette 🏷']), summary('gold', [], { status: 'in_progress', updated_at: null, keys: '', flag: 'not_news' })]);
	});

	it('lists a label set once and shares it, frozen, between the summaries that have it', () => {
		const line = new SnapshotLine();
		line.addDocument({ id: 'a', title: 'A', sha256: 'a', position: 0, length: 1 }, {}, [summary('ann1', ['claim', 'date']), summary('ann2', ['claim'])]);
		line.addDocument({ id: 'b', title: 'B', sha256: 'b', position: 1, length: 1 }, {}, [summary('ann1', ['claim', 'date'])]);
		const text = line.take();
		expect(JSON.parse(text).labelSets).toEqual([['claim', 'date'], ['claim']]);
		const [[, , , first], [, , , second]] = readBack(text);
		expect(second[0].labels).toBe(first[0].labels);
		expect(Object.isFrozen(first[0].labels)).toBe(true);
		expect(first[1].labels).toEqual(['claim']);
	});

	it('keeps the sets of a document the index does not list, in a line of their own', () => {
		const line = new SnapshotLine();
		line.addDocument({ id: 'a', title: 'A', sha256: 'a', position: 0, length: 1 }, {}, []);
		const docs = line.take();
		line.addOrphan('gone', [summary('ann1', ['claim'])]);
		expect(line.rows).toBe(1);
		expect(readBack(docs)).toEqual([['a', { id: 'a', title: 'A', sha256: 'a', position: 0, length: 1 }, {}, []]]);
		expect(readBack(line.take())).toEqual([['gone', undefined, undefined, [summary('ann1', ['claim'])]]]);
		expect(line.rows).toBe(0);
	});

	it('is columns: the sets of a document follow those of the one before, and only the sets with a flag list it', () => {
		const line = new SnapshotLine();
		line.addDocument({ id: 'a', title: 'A', sha256: 'sa', position: 0, length: 1 }, {}, [summary('ann1', ['claim']), summary('ann2', [], { flag: 'not_news' })]);
		line.addDocument({ id: 'b', title: 'B', sha256: 'sb', position: 1, length: 2 }, { k: 1 }, []);
		line.addDocument({ id: 'c', title: 'C', sha256: 'sc', position: 2, length: 3 }, {}, [summary('ann3', ['claim'])]);
		const text = line.take();
		const parsed = JSON.parse(text);
		expect(parsed.docs).toEqual({ id: ['a', 'b', 'c'], title: ['A', 'B', 'C'], sha256: ['sa', 'sb', 'sc'], position: [0, 1, 2], length: [1, 2, 3], meta: [{}, { k: 1 }, {}], sets: [2, 0, 1] });
		expect(parsed.sets.annotator).toEqual(['ann1', 'ann2', 'ann3']);
		expect(parsed.sets.labelSet).toEqual([0, 1, 0]);
		expect(parsed.sets.flag).toEqual({ 1: 'not_news' });
		expect(readBack(text).map(([id, , , sets]) => [id, sets.map((x) => [x.annotator, x.flag])])).toEqual([
			['a', [['ann1', undefined], ['ann2', 'not_news']]],
			['b', []],
			['c', [['ann3', undefined]]]
		]);
	});

	it('of layout 2 (an array a document and a set, as written before) is read the same', () => {
		const rows = readBack(
			JSON.stringify({
				labelSets: [['claim'], []],
				docs: [['a', 'A', 'sa', 0, 1, { k: 1 }, [['ann1', 'done', 3, 1, '2026-12-01T12:00:00.000Z', 12, 0, 'AAAAAQAAAAI='], ['gold', 'in_progress', 3, 0, null, 12, 1, '', 'not_news']]]]
			})
		);
		expect(rows).toEqual([
			['a', { id: 'a', title: 'A', sha256: 'sa', position: 0, length: 1 }, { k: 1 }, [summary('ann1', ['claim']), summary('gold', [], { status: 'in_progress', spans: 0, updated_at: null, keys: '', flag: 'not_news' })]]
		]);
		// field for field in the order layout 3 gives them (the index compares summaries by their JSON)
		const line = new SnapshotLine();
		line.addDocument(rows[0][1]!, rows[0][2]!, rows[0][3]);
		expect(JSON.stringify(readBack(line.take()))).toBe(JSON.stringify(rows));
		expect(readBack(JSON.stringify({ labelSets: [['claim']], orphans: [['gone', [['ann1', 'done', 3, 1, '2026-12-01T12:00:00.000Z', 12, 0, 'AAAAAQAAAAI=']]]] }))).toEqual([
			['gone', undefined, undefined, [summary('ann1', ['claim'])]]
		]);
	});

	it('whose sets do not add up to its documents is refused', () => {
		const line = new SnapshotLine();
		line.addDocument({ id: 'a', title: 'A', sha256: 'sa', position: 0, length: 1 }, {}, [summary('ann1', ['claim'])]);
		const parsed = JSON.parse(line.take());
		expect(() => readSnapshotLine({ ...parsed, docs: { ...parsed.docs, sets: [2] } }, () => {})).toThrow(/fewer sets/);
		expect(() => readSnapshotLine({ ...parsed, docs: { ...parsed.docs, sets: [0] } }, () => {})).toThrow(/more sets/);
		expect(() => readSnapshotLine({ ...parsed, sets: { ...parsed.sets, labelSet: [4] } }, () => {})).toThrow(/label set/);
	});

	it('of another shape is refused', () => {
		expect(() => readSnapshotLine({ docs: [] }, () => {})).toThrow(/label sets/);
		expect(() => readSnapshotLine({ labelSets: [] }, () => {})).toThrow(/rows/);
		expect(() => readSnapshotLine({ labelSets: [], docs: [['a', 'A', 'a', 0, 1, {}, [['ann1', 'done', 1, 0, null, 0, 5, '']]]] }, () => {})).toThrow(/label set/);
	});
});
