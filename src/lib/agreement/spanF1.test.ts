import { describe, expect, it } from 'vitest';
import { exactMatchCount, f1FromCounts, overlapMatchCount, spanF1, type Interval } from './spanF1';

const S = (start: number, end: number, label = 'x') => ({ start, end, label });

/** exhaustive maximum matching (reference for small cases) */
function bruteMaxMatching(a: Interval[], b: Interval[]): number {
	const ok = (x: Interval, y: Interval) => Math.max(x.start, y.start) < Math.min(x.end, y.end);
	const used = new Array(b.length).fill(false);
	const rec = (i: number): number => {
		if (i === a.length) return 0;
		let best = rec(i + 1); // leave a[i] unmatched
		for (let j = 0; j < b.length; j++) {
			if (!used[j] && ok(a[i], b[j])) {
				used[j] = true;
				best = Math.max(best, 1 + rec(i + 1));
				used[j] = false;
			}
		}
		return best;
	};
	return rec(0);
}

describe('spanF1', () => {
	// A: claim [0,10) [20,30) [50,60), date [40,45)
	// B: claim [0,10) [22,35) [100,110), date [40,46), attribution [50,60)
	const A = [S(0, 10, 'claim'), S(20, 30, 'claim'), S(40, 45, 'date'), S(50, 60, 'claim')];
	const B = [S(0, 10, 'claim'), S(22, 35, 'claim'), S(40, 46, 'date'), S(50, 60, 'attribution'), S(100, 110, 'claim')];

	it('exact: only identical (start, end, label) match', () => {
		// 1 match; P = 1/4, R = 1/5, F1 = 2*1/(4+5)
		const r = spanF1(A, B, 'exact');
		expect(r).toEqual({ matched: 1, a: 4, b: 5, precision: 0.25, recall: 0.2, f1: 2 / 9 });
	});

	it('overlap: same label and >= 1 shared character; a different label never matches', () => {
		// claim [0,10)~[0,10), claim [20,30)~[22,35), date [40,45)~[40,46); [50,60) claim vs attribution: no
		const r = spanF1(A, B, 'overlap');
		expect(r).toEqual({ matched: 3, a: 4, b: 5, precision: 0.75, recall: 0.6, f1: 6 / 9 });
	});

	it('precision of A against B = recall of B against A; F1 symmetric', () => {
		for (const mode of ['exact', 'overlap'] as const) {
			const ab = spanF1(A, B, mode);
			const ba = spanF1(B, A, mode);
			expect(ab.precision).toBe(ba.recall);
			expect(ab.recall).toBe(ba.precision);
			expect(ab.f1).toBe(ba.f1);
		}
	});

	it('touching spans do not overlap (end exclusive)', () => {
		expect(spanF1([S(0, 5)], [S(5, 9)], 'overlap').matched).toBe(0);
		expect(spanF1([S(0, 5)], [S(4, 9)], 'overlap').matched).toBe(1);
	});

	it('each span is matched at most once: one long span vs two short ones', () => {
		const r = spanF1([S(0, 20)], [S(0, 5), S(10, 15)], 'overlap');
		expect(r).toEqual({ matched: 1, a: 1, b: 2, precision: 1, recall: 0.5, f1: 2 / 3 });
		// duplicates are not collapsed by the primitive
		expect(spanF1([S(0, 5), S(0, 5)], [S(0, 5)], 'exact').matched).toBe(1);
	});

	it('finds the maximum matching where input-order first-fit would not', () => {
		// first-fit in input order: [0,10) takes [5,6), then [5,6) has nothing left -> 1
		const a = [S(0, 10), S(5, 6)];
		const b = [S(5, 6), S(0, 1)];
		expect(spanF1(a, b, 'overlap').matched).toBe(2);
		expect(spanF1(b, a, 'overlap').matched).toBe(2);
	});

	it('empty sides: both empty -> null (never NaN); one empty -> F1 0', () => {
		expect(spanF1([], [], 'exact')).toEqual({ matched: 0, a: 0, b: 0, precision: null, recall: null, f1: null });
		expect(spanF1([S(0, 1)], [], 'overlap')).toEqual({ matched: 0, a: 1, b: 0, precision: 0, recall: null, f1: 0 });
		expect(f1FromCounts(0, 0, 0)).toBeNull();
	});

	it('overlap matching equals brute-force maximum matching on random instances', () => {
		let seed = 12345;
		const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		const gen = (k: number): Interval[] =>
			Array.from({ length: k }, () => {
				const s = Math.floor(rnd() * 30);
				return { start: s, end: s + Math.floor(rnd() * 12) }; // includes empty spans
			});
		for (let r = 0; r < 2000; r++) {
			const a = gen(Math.floor(rnd() * 7));
			const b = gen(Math.floor(rnd() * 7));
			const expected = bruteMaxMatching(a, b);
			expect(overlapMatchCount(a, b), JSON.stringify({ a, b })).toBe(expected);
			expect(overlapMatchCount(b, a)).toBe(expected);
		}
	});

	it('exact matching is a multiset intersection, independent of order', () => {
		const a = [{ start: 3, end: 4 }, { start: 0, end: 2 }, { start: 0, end: 2 }, { start: 5, end: 9 }];
		const b = [{ start: 0, end: 2 }, { start: 5, end: 9 }, { start: 0, end: 2 }, { start: 0, end: 2 }];
		expect(exactMatchCount(a, b)).toBe(3);
		expect(exactMatchCount(b, a)).toBe(3);
		expect(exactMatchCount([], b)).toBe(0);
	});
});
