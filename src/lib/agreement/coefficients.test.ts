import { describe, expect, it } from 'vitest';
import {
	alphaFromCoincidences,
	cohenKappa,
	fleissFromTotals,
	fleissKappa,
	kappaFromMatrix,
	krippendorffAlphaNominal
} from './coefficients';

/** expand a contingency table (rows = rater A, cols = rater B) into two rating vectors */
function fromTable(table: number[][], cats: string[]): [string[], string[]] {
	const a: string[] = [];
	const b: string[] = [];
	table.forEach((row, i) =>
		row.forEach((count, j) => {
			for (let k = 0; k < count; k++) {
				a.push(cats[i]);
				b.push(cats[j]);
			}
		})
	);
	return [a, b];
}

/** coders x units (as printed in the sources) -> units x coders, '.' / '*' = missing */
function transpose(rows: string[]): (string | null)[][] {
	const cells = rows.map((r) => r.trim().split(/\s+/).map((v) => (v === '.' || v === '*' ? null : v)));
	return cells[0].map((_, u) => cells.map((r) => r[u]));
}

describe("Cohen's kappa", () => {
	it('Wikipedia "Cohen\'s kappa" worked example: 50 items, 20/5/10/15 -> 0.4', () => {
		// https://en.wikipedia.org/wiki/Cohen%27s_kappa#Simple_example
		// rows: A yes/no, cols: B yes/no
		const [a, b] = fromTable(
			[
				[20, 5],
				[10, 15]
			],
			['yes', 'no']
		);
		expect(cohenKappa(a, b)).toBeCloseTo(0.4, 10);
		expect(kappaFromMatrix([20, 5, 10, 15], 2)).toBeCloseTo(0.4, 10);
	});

	it('Wikipedia "same percentages but different numbers": 0.1304 and 0.2593', () => {
		// https://en.wikipedia.org/wiki/Cohen%27s_kappa#Same_percentages_but_different_numbers
		const [a1, b1] = fromTable(
			[
				[45, 15],
				[25, 15]
			],
			['yes', 'no']
		);
		expect(cohenKappa(a1, b1)).toBeCloseTo(0.1304, 4);
		const [a2, b2] = fromTable(
			[
				[25, 35],
				[5, 35]
			],
			['yes', 'no']
		);
		expect(cohenKappa(a2, b2)).toBeCloseTo(0.2593, 4);
	});

	it('3 categories (hand-computed): p_o = .70, p_e = .41 -> 0.29 / 0.59', () => {
		// 200 items; A's marginals 120/60/20, B's 100/60/40.
		// p_o = (88+40+12)/200 = .70; p_e = (120*100 + 60*60 + 20*40)/200^2 = .41
		const [a, b] = fromTable(
			[
				[88, 14, 18],
				[10, 40, 10],
				[2, 6, 12]
			],
			['x', 'y', 'z']
		);
		expect(cohenKappa(a, b)).toBeCloseTo(0.29 / 0.59, 10);
		expect(cohenKappa(a, b)).toBeCloseTo(0.4915, 4);
	});

	it('is symmetric and invariant to category names', () => {
		const a = ['p', 'q', 'q', 'r', 'p', 'p', 'r'];
		const b = ['p', 'q', 'r', 'r', 'q', 'p', 'p'];
		const rename = (x: string) => ({ p: 'zz', q: 'aa', r: 'mm' })[x]!;
		expect(cohenKappa(a, b)).toBeCloseTo(cohenKappa(b, a)!, 12);
		expect(cohenKappa(a.map(rename), b.map(rename))).toBeCloseTo(cohenKappa(a, b)!, 12);
	});

	it('edge cases: perfect agreement 1, no items null, no variation null, chance-level 0', () => {
		expect(cohenKappa(['a', 'b', 'a'], ['a', 'b', 'a'])).toBe(1);
		expect(cohenKappa([], [])).toBeNull();
		expect(cohenKappa(['a', 'a', 'a'], ['a', 'a', 'a'])).toBeNull(); // p_e = 1: undefined
		expect(cohenKappa(['a', 'a', 'b', 'b'], ['a', 'b', 'a', 'b'])).toBe(0);
		expect(cohenKappa(['a', 'b'], ['b', 'a'])).toBe(-1);
		// one rater constant, the other not: p_e < 1, defined (0 here)
		expect(cohenKappa(['a', 'a', 'a', 'a'], ['a', 'b', 'a', 'b'])).toBe(0);
		expect(() => cohenKappa(['a'], [])).toThrow();
	});
});

describe("Fleiss' kappa", () => {
	it('Wikipedia "Fleiss\' kappa" worked example: 10 items, 14 raters, 5 categories -> 0.210', () => {
		// https://en.wikipedia.org/wiki/Fleiss%27_kappa#Worked_example (P_bar = 0.378, P_e = 0.213)
		const counts = [
			[0, 0, 0, 0, 14],
			[0, 2, 6, 4, 2],
			[0, 0, 3, 5, 6],
			[0, 3, 9, 2, 0],
			[2, 2, 8, 1, 1],
			[7, 7, 0, 0, 0],
			[3, 2, 6, 3, 0],
			[2, 5, 3, 2, 2],
			[6, 5, 2, 1, 0],
			[0, 2, 2, 3, 7]
		];
		expect(fleissKappa(counts)).toBeCloseTo(0.21, 3);
		expect(fleissKappa(counts)).toBeCloseTo(0.20993, 5);
	});

	it('edge cases', () => {
		expect(fleissKappa([])).toBeNull();
		expect(fleissKappa([[3, 0], [0, 3]])).toBe(1);
		expect(fleissKappa([[3, 0], [3, 0]])).toBeNull(); // no variation
		expect(fleissKappa([[2, 1], [3]])).toBeNull(); // ragged
		expect(fleissKappa([[2, 1], [1, 1]])).toBeNull(); // unequal raters per item
		expect(fleissKappa([[1, 0], [0, 1]])).toBeNull(); // one rater per item
		expect(fleissFromTotals(0, 3, 0, [])).toBeNull();
	});

	it('with 2 raters equals Scott\'s pi', () => {
		// Scott's pi for the Cohen example table 20/5/10/15: p_o = .7,
		// pooled marginals yes = (25+30)/100, no = (25+20)/100 -> p_e = .55^2 + .45^2 = .505
		const rows = [
			...Array(20).fill([2, 0]),
			...Array(5).fill([1, 1]),
			...Array(10).fill([1, 1]),
			...Array(15).fill([0, 2])
		];
		expect(fleissKappa(rows)).toBeCloseTo((0.7 - 0.505) / (1 - 0.505), 10);
	});
});

describe("Krippendorff's alpha (nominal)", () => {
	it('Krippendorff (2011) "Computing Krippendorff\'s Alpha-Reliability": 4 coders x 12 units with missing values -> 0.743', () => {
		// Section C (nominal data, any number of observers, missing data), α = 0.743
		const units = transpose([
			'1 2 3 3 2 1 4 1 2 . . .',
			'1 2 3 3 2 2 4 1 2 5 . 3',
			'. 3 3 3 2 3 4 2 2 5 1 .',
			'1 2 3 3 2 4 4 1 2 5 1 .'
		]);
		expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.743, 3);
		expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.7434210526, 9);
	});

	it('Krippendorff (2011), section A: 2 coders, binary, 10 units -> 0.095', () => {
		const units = transpose(['0 1 0 0 0 0 0 0 1 0', '1 1 1 0 0 1 0 0 0 0']);
		expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.095, 3);
	});

	it('Wikipedia "Krippendorff\'s alpha" computational example (nominal) -> 0.691', () => {
		// https://en.wikipedia.org/wiki/Krippendorff%27s_alpha#A_computational_example
		const units = transpose([
			'* * * * * 3 4 1 2 1 1 3 3 * 3',
			'1 * 2 1 3 3 4 3 * * * * * * *',
			'* * 2 1 3 4 4 * 2 1 1 3 3 * 4'
		]);
		expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.691, 3);
	});

	it('skips units with fewer than 2 values; edge cases', () => {
		const base = [
			['a', 'a'],
			['a', 'b'],
			['b', 'b']
		];
		const withLonely = [...base, ['a', null], [null, null], ['b']];
		expect(krippendorffAlphaNominal(withLonely)).toBe(krippendorffAlphaNominal(base));
		expect(krippendorffAlphaNominal([])).toBeNull();
		expect(krippendorffAlphaNominal([['a', null]])).toBeNull();
		expect(krippendorffAlphaNominal([['a', 'a'], ['a', 'a']])).toBeNull(); // no variation
		expect(krippendorffAlphaNominal([['a', 'a'], ['b', 'b']])).toBe(1);
		expect(alphaFromCoincidences(0, 1, 1)).toBeNull();
	});
});
