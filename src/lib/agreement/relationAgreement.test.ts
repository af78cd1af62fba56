import { describe, expect, it } from 'vitest';
import {
	RelationAgreementAccumulator,
	exactRelationMatches,
	maximumMatching,
	overlapRelationMatches,
	type RelationEndSpan,
	type ResolvedRelation
} from './relationAgreement';
import { own } from '../model/dict';

const sp = (id: string, start: number, end: number, label: string): RelationEndSpan => ({ id, start, end, label });
const rel = (from: string, to: string, label = 'source-of') => ({ from, to, label });
const R = (fs: number, fe: number, ts: number, te: number, fl = 'attribution', tl = 'claim'): ResolvedRelation => ({ fs, fe, fl, ts, te, tl });

/** exhaustive maximum matching (reference for small graphs) */
function bruteMatching(edges: number[][], nb: number): number {
	const used = new Array(nb).fill(false);
	const rec = (i: number): number => {
		if (i === edges.length) return 0;
		let best = rec(i + 1);
		for (const j of edges[i])
			if (!used[j]) {
				used[j] = true;
				best = Math.max(best, 1 + rec(i + 1));
				used[j] = false;
			}
		return best;
	};
	return rec(0);
}

describe('maximumMatching (Hopcroft–Karp)', () => {
	it('finds the matching a greedy misses', () => {
		// left 0 may take 0 or 1, left 1 only 0: greedy gives 0–0 and stops at 1; the maximum is 2 (0–1, 1–0)
		expect(maximumMatching([[0, 1], [0]], 2)).toBe(2);
	});

	it('needs a long augmenting path', () => {
		// a chain: left i may take right i or i+1 … greedy pairs i–i except the last, which only has right 0
		const edges = [[0, 1], [1, 2], [2, 3], [0]];
		expect(maximumMatching(edges, 4)).toBe(4);
	});

	it('equals brute force on random small graphs', () => {
		let seed = 7;
		const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		for (let k = 0; k < 300; k++) {
			const na = 1 + Math.floor(rnd() * 6);
			const nb = 1 + Math.floor(rnd() * 6);
			const edges = Array.from({ length: na }, () => [...Array(nb).keys()].filter(() => rnd() < 0.35));
			expect(maximumMatching(edges, nb), JSON.stringify(edges)).toBe(bruteMatching(edges, nb));
		}
	});

	it('no edges, no vertices', () => {
		expect(maximumMatching([], 0)).toBe(0);
		expect(maximumMatching([[], []], 3)).toBe(0);
	});
});

describe('relation matching', () => {
	it('exact: both ends with the same start, end and label', () => {
		expect(exactRelationMatches([R(0, 5, 10, 20)], [R(0, 5, 10, 20)])).toBe(1);
		expect(exactRelationMatches([R(0, 5, 10, 20)], [R(0, 5, 10, 22)])).toBe(0);
		// same offsets, another label at one end
		expect(exactRelationMatches([R(0, 5, 10, 20)], [R(0, 5, 10, 20, 'attribution', 'framing')])).toBe(0);
	});

	it('overlap: both ends overlap with the same labels; touching is not overlapping', () => {
		expect(overlapRelationMatches([R(0, 5, 10, 20)], [R(2, 6, 15, 30)])).toBe(1);
		expect(overlapRelationMatches([R(0, 5, 10, 20)], [R(5, 9, 15, 30)])).toBe(0); // from ends touch
		expect(overlapRelationMatches([R(0, 5, 10, 20)], [R(2, 6, 15, 30, 'framing')])).toBe(0);
	});

	it('overlap is one-to-one: a maximum matching, not a greedy one', () => {
		// x1: [0,10)→[100,110), x2: [0,3)→[100,103); y1: [2,5)→[101,104), y2: [5,8)→[105,108)
		// x1 overlaps y1 and y2, x2 only y1: greedy x1–y1 leaves x2 alone (1); the maximum is x1–y2, x2–y1 (2)
		const a = [R(0, 10, 100, 110), R(0, 3, 100, 103)];
		const b = [R(2, 5, 101, 104), R(5, 8, 105, 108)];
		expect(overlapRelationMatches(a, b)).toBe(2);
		// one long relation against two short ones inside it: matched once
		expect(overlapRelationMatches([R(0, 10, 100, 110)], [R(0, 2, 100, 102), R(4, 6, 104, 106)])).toBe(1);
	});

	it('past the edge budget: a greedy maximal matching, without holding the graph', () => {
		// the case above with a budget of 2 edges (it has 3): greedy x1–y1 leaves x2 alone
		const a = [R(0, 10, 100, 110), R(0, 3, 100, 103)];
		const b = [R(2, 5, 101, 104), R(5, 8, 105, 108)];
		expect(overlapRelationMatches(a, b, 2)).toBe(1);
		expect(overlapRelationMatches(a, b, 3)).toBe(2);
	});

	it('hostile: 20,000 relations against 20,000, every one overlapping every other, in seconds and bounded memory', () => {
		// nested spans: from [i, 40000 - i), to [40000 + i, 80000 - i): all pairs overlap (4·10⁸ edges)
		const n = 20_000;
		const a = Array.from({ length: n }, (_, i) => R(i, 40_000 - i, 40_000 + i, 80_000 - i));
		const b = Array.from({ length: n }, (_, i) => R(i + 1, 40_000 - i, 40_000 + i, 80_000 - i));
		const t = performance.now();
		expect(overlapRelationMatches(a, b)).toBe(n);
		expect(performance.now() - t).toBeLessThan(20_000);
	});
});

describe('RelationAgreementAccumulator', () => {
	it('worked example: F1 exact and overlap per type and pair', () => {
		// ann: a1 [0,5) → c1 [10,20), a2 [30,35) → c2 [40,50)
		// bob: a1 [0,5) → c1' [10,22) (the claim ends later), a2 [30,35) → c2 [40,50), a2 → c3 [60,70)
		// exact: only a2→c2 is the same: 1 match; F1 = 2·1 / (2 + 3) = 0.4
		// overlap: a1→c1 ~ a1→c1', a2→c2 ~ a2→c2: 2 matches; F1 = 2·2 / 5 = 0.8
		const acc = new RelationAgreementAccumulator(['source-of', 'cue-of']);
		acc.add([
			{
				annotator: 'bob',
				spans: [sp('b1', 0, 5, 'attribution'), sp('b2', 10, 22, 'claim'), sp('b3', 30, 35, 'attribution'), sp('b4', 40, 50, 'claim'), sp('b5', 60, 70, 'claim')],
				relations: [rel('b1', 'b2'), rel('b3', 'b4'), rel('b3', 'b5')]
			},
			{
				annotator: 'ann',
				spans: [sp('a1', 0, 5, 'attribution'), sp('a2', 10, 20, 'claim'), sp('a3', 30, 35, 'attribution'), sp('a4', 40, 50, 'claim')],
				relations: [rel('a1', 'a2'), rel('a3', 'a4')]
			}
		]);
		const r = acc.report();
		expect(Object.keys(r)).toEqual(['source-of', 'cue-of']); // the dataset's order
		expect(r['source-of'].pairs).toEqual([{ a: 'ann', b: 'bob', documents: 1, relations_a: 2, relations_b: 3, f1_exact: 0.4, f1_overlap: 0.8 }]);
		// a type nobody used: listed, nothing to agree on
		expect(r['cue-of'].pairs).toEqual([{ a: 'ann', b: 'bob', documents: 1, relations_a: 0, relations_b: 0, f1_exact: null, f1_overlap: null }]);
	});

	it('pools over documents (micro average) and ignores unknown types, dangling ends and duplicates', () => {
		// doc 1: both a→c identical (1 match of 1 + 1); doc 2: ann has one, bob none
		// pooled: exact 1 match, 2 + 1 relations: F1 = 2·1/3
		const acc = new RelationAgreementAccumulator(['source-of']);
		const spans = [sp('s1', 0, 5, 'attribution'), sp('s2', 10, 20, 'claim')];
		acc.add([
			{ annotator: 'ann', spans, relations: [rel('s1', 's2'), rel('s1', 's2'), rel('s1', 'gone'), rel('s1', 's2', 'unknown')] },
			{ annotator: 'bob', spans, relations: [rel('s1', 's2')] }
		]);
		acc.add([
			{ annotator: 'ann', spans, relations: [rel('s1', 's2')] },
			{ annotator: 'bob', spans }
		]);
		acc.add([{ annotator: 'ann', spans, relations: [rel('s1', 's2')] }]); // one annotator: not used
		expect(acc.report()['source-of'].pairs).toEqual([
			{ a: 'ann', b: 'bob', documents: 2, relations_a: 2, relations_b: 1, f1_exact: 2 / 3, f1_overlap: 2 / 3 }
		]);
	});

	it('Object.prototype names as types and annotators are ordinary names', () => {
		const acc = new RelationAgreementAccumulator(['constructor', '__proto__', 'toString']);
		const spans = [sp('x', 0, 1, 'valueOf'), sp('y', 2, 3, 'hasOwnProperty')];
		acc.add([
			{ annotator: 'constructor', spans, relations: [rel('x', 'y', 'constructor')] },
			{ annotator: '__proto__', spans, relations: [rel('x', 'y', 'constructor')] }
		]);
		const r = acc.report();
		expect(Object.getPrototypeOf(r)).toBeNull();
		expect(Object.keys(r).sort()).toEqual(['__proto__', 'constructor', 'toString']);
		expect(own(r, 'constructor')!.pairs[0]).toMatchObject({ a: '__proto__', b: 'constructor', f1_exact: 1, f1_overlap: 1 });
		expect(own(r, 'toString')!.pairs[0].f1_exact).toBeNull();
	});

	it('many relations stay fast (1,000 against 1,000, all overlapping)', () => {
		const spansA = [sp('f', 0, 100, 'attribution'), ...Array.from({ length: 1000 }, (_, i) => sp(`c${i}`, 200 + i, 1300 + i, 'claim'))];
		const spansB = [sp('f', 1, 100, 'attribution'), ...Array.from({ length: 1000 }, (_, i) => sp(`c${i}`, 201 + i, 1300 + i, 'claim'))];
		const relations = Array.from({ length: 1000 }, (_, i) => rel('f', `c${i}`));
		const acc = new RelationAgreementAccumulator(['source-of']);
		acc.add([
			{ annotator: 'a', spans: spansA, relations },
			{ annotator: 'b', spans: spansB, relations }
		]);
		expect(acc.report()['source-of'].pairs[0]).toMatchObject({ f1_exact: 0, f1_overlap: 1 });
	});
});
