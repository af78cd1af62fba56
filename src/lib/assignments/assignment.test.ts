import { describe, expect, it } from 'vitest';
import { AssignmentError, autoAssign, fnv1a, loadsOf, overlapSubset } from './assignment';

describe('fnv1a', () => {
	it('matches the published FNV-1a 32-bit test vectors', () => {
		expect(fnv1a('')).toBe(0x811c9dc5);
		expect(fnv1a('a')).toBe(0xe40c292c);
		expect(fnv1a('foobar')).toBe(0xbf9cf968);
	});
});

describe('autoAssign: every document to N annotators', () => {
	// Worked by hand: loads start at 0, cursor at 0 (annotators a, b, c).
	//   d1: a (cursor→b), b (cursor→c)           loads a1 b1 c0
	//   d2: c is least loaded; then a/b tie, round-robin from a → a   loads a2 b1 c1
	//   d3: b/c tie from b → b; then c (1) beats a (2)                loads a2 b2 c2
	//   d4: all tie, cursor at a → a, then b                          loads a3 b3 c2
	it('balances 4 documents × 2 over 3 annotators', () => {
		const result = autoAssign({ documents: ['d1', 'd2', 'd3', 'd4'], annotators: ['a', 'b', 'c'], annotatorsPerDocument: 2 });
		expect(result).toEqual({ d1: ['a', 'b'], d2: ['a', 'c'], d3: ['b', 'c'], d4: ['a', 'b'] });
		expect(loadsOf(result)).toEqual({ a: 3, b: 3, c: 2 });
	});

	// Worked by hand: a already has 3 documents elsewhere, b 1, c 0.
	//   n1: c (0) first, then b (1)           loads a3 b2 c1
	//   n2: c (1), then b (2) beats a (3)     loads a3 b3 c2
	it('with startLoad, new documents go to those with the fewest documents already', () => {
		const result = autoAssign({ documents: ['n1', 'n2'], annotators: ['a', 'b', 'c'], annotatorsPerDocument: 2, startLoad: { a: 3, b: 1 } });
		expect(result).toEqual({ n1: ['b', 'c'], n2: ['b', 'c'] });
		// names that are not annotators are ignored, and an Object.prototype name is no load
		expect(autoAssign({ documents: ['n1'], annotators: ['constructor', 'z'], annotatorsPerDocument: 1, startLoad: { z: 1, x: 0 } })).toEqual({
			n1: ['constructor']
		});
	});

	it('is deterministic: input order and duplicates do not matter', () => {
		const a = autoAssign({ documents: ['d4', 'd2', 'd1', 'd3', 'd2'], annotators: ['c', 'a', 'b'], annotatorsPerDocument: 2 });
		const b = autoAssign({ documents: ['d1', 'd2', 'd3', 'd4'], annotators: ['a', 'b', 'c', 'a'], annotatorsPerDocument: 2 });
		expect(a).toEqual(b);
	});

	it('with N equal to the team size, everyone gets everything', () => {
		expect(autoAssign({ documents: ['x', 'y'], annotators: ['ann2', 'ann1'], annotatorsPerDocument: 2 })).toEqual({
			x: ['ann1', 'ann2'],
			y: ['ann1', 'ann2']
		});
	});

	it('with N = 1, documents go round-robin', () => {
		expect(autoAssign({ documents: ['d1', 'd2', 'd3', 'd4', 'd5'], annotators: ['a', 'b'], annotatorsPerDocument: 1 })).toEqual({
			d1: ['a'],
			d2: ['b'],
			d3: ['a'],
			d4: ['b'],
			d5: ['a']
		});
	});

	it('loads never differ by more than one without kept work', () => {
		const docs = Array.from({ length: 37 }, (_, i) => `doc-${i}`);
		const loads = Object.values(loadsOf(autoAssign({ documents: docs, annotators: ['a', 'b', 'c', 'd', 'e'], annotatorsPerDocument: 3 })));
		expect(loads.reduce((x, y) => x + y, 0)).toBe(37 * 3);
		expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
	});
});

describe('autoAssign: X % of documents to N annotators, the rest to one', () => {
	// FNV-1a of d1…d10, smallest first: d10 (465975778), d3 (2250051776), d2 (2266829395), d1, d7, …
	// 30 % of 10 = 3 overlap documents: d10, d2, d3.
	it('picks the overlap subset by hash of the id', () => {
		const docs = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10'];
		expect([...overlapSubset(docs, 30)].sort()).toEqual(['d10', 'd2', 'd3']);
		expect(overlapSubset(docs, 0).size).toBe(0);
		expect(overlapSubset(docs, 100).size).toBe(10);
	});

	// Overlap documents first (id order d10, d2, d3), then singles d1, d4…d9:
	//   d10: ann1, ann2 · d2: ann3 (least), ann1 (tie, cursor) · d3: ann2, ann3 → loads 2/2/2
	//   singles round-robin from ann1: d1 ann1, d4 ann2, d5 ann3, d6 ann1, d7 ann2, d8 ann3, d9 ann1
	it('assigns 3 × 2 + 7 × 1 = 13 slots, balanced', () => {
		const docs = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10'];
		const result = autoAssign({ documents: docs, annotators: ['ann1', 'ann2', 'ann3'], annotatorsPerDocument: 2, share: 30 });
		expect(result).toEqual({
			d1: ['ann1'],
			d10: ['ann1', 'ann2'],
			d2: ['ann1', 'ann3'],
			d3: ['ann2', 'ann3'],
			d4: ['ann2'],
			d5: ['ann3'],
			d6: ['ann1'],
			d7: ['ann2'],
			d8: ['ann3'],
			d9: ['ann1']
		});
		expect(loadsOf(result)).toEqual({ ann1: 5, ann2: 4, ann3: 4 });
	});

	it('keeps the overlap of existing documents stable when documents are added', () => {
		const before = overlapSubset(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10'], 30);
		const after = overlapSubset(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'zz-new'], 30);
		expect([...after].filter((d) => d !== 'zz-new').every((d) => before.has(d))).toBe(true);
	});
});

describe('autoAssign: started work is kept', () => {
	// a already works on d2 and d3 (load 2); "zz" is not in the team and is ignored.
	// d1 goes to the least loaded, b (tie with c, b first in order).
	it('keeps annotators on documents they started and counts them in the load', () => {
		expect(
			autoAssign({
				documents: ['d1', 'd2', 'd3'],
				annotators: ['a', 'b', 'c'],
				annotatorsPerDocument: 1,
				keep: { d2: ['a'], d3: ['a', 'zz'] }
			})
		).toEqual({ d1: ['b'], d2: ['a'], d3: ['a'] });
	});

	it('never drops a kept annotator even beyond N', () => {
		const result = autoAssign({ documents: ['d1'], annotators: ['a', 'b', 'c'], annotatorsPerDocument: 1, keep: { d1: ['c', 'b'] } });
		expect(result).toEqual({ d1: ['b', 'c'] });
	});
});

describe('autoAssign: refuses impossible requests', () => {
	it('needs annotators, a whole N ≥ 1 within the team size, and a percentage', () => {
		expect(() => autoAssign({ documents: ['d1'], annotators: [], annotatorsPerDocument: 1 })).toThrow(AssignmentError);
		expect(() => autoAssign({ documents: ['d1'], annotators: ['a'], annotatorsPerDocument: 0 })).toThrow(AssignmentError);
		expect(() => autoAssign({ documents: ['d1'], annotators: ['a'], annotatorsPerDocument: 1.5 })).toThrow(AssignmentError);
		expect(() => autoAssign({ documents: ['d1'], annotators: ['a', 'b'], annotatorsPerDocument: 3 })).toThrow(/only 2 annotator/);
		expect(() => autoAssign({ documents: ['d1'], annotators: ['a'], annotatorsPerDocument: 1, share: 120 })).toThrow(AssignmentError);
	});

	it('assigns nothing when there are no documents', () => {
		expect(autoAssign({ documents: [], annotators: ['a'], annotatorsPerDocument: 1 })).toEqual({});
	});
});
