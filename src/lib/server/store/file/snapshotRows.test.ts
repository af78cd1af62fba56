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

	it('of another shape is refused', () => {
		expect(() => readSnapshotLine({ docs: [] }, () => {})).toThrow(/label sets/);
		expect(() => readSnapshotLine({ labelSets: [] }, () => {})).toThrow(/rows/);
		expect(() => readSnapshotLine({ labelSets: [], docs: [['a', 'A', 'a', 0, 1, {}, [['ann1', 'done', 1, 0, null, 0, 5, '']]]] }, () => {})).toThrow(/label set/);
	});
});
