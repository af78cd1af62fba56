import { describe, expect, it } from 'vitest';
import { tokenizeOffsets } from './tokens';
import { Categories, Coverage, coderTokens, fillMasks, normalizeSpans } from './projection';

const labelIndex = new Map([
	['a', 0],
	['b', 1]
]);

describe('normalizeSpans', () => {
	it('groups by label, drops unknown labels and empty or bad offsets, sorts and dedupes', () => {
		const byLabel = normalizeSpans(
			[
				{ start: 5, end: 7, label: 'a' },
				{ start: 0, end: 2, label: 'a' },
				{ start: 5, end: 7, label: 'a' }, // duplicate
				{ start: 3, end: 3, label: 'b' }, // empty
				{ start: 1, end: Infinity, label: 'b' },
				{ start: 1, end: 4, label: 'c' }, // not a label of the dataset
				{ start: 2, end: 4, label: 'b' }
			],
			labelIndex,
			2
		);
		expect(byLabel).toEqual([
			[
				{ start: 0, end: 2 },
				{ start: 5, end: 7 }
			],
			[{ start: 2, end: 4 }]
		]);
	});
});

describe('Coverage and the token loops', () => {
	// tokens: ab[0,2) cd[3,5) ef[6,8) gh[9,11) ij[12,14)
	const tokens = tokenizeOffsets('ab cd ef gh ij');

	it('lists the tokens some span covers, of either annotator, in order, and clears its flags', () => {
		const coverage = new Coverage();
		coverage.reset(tokens.count);
		const m1 = new Uint32Array(tokens.count);
		const m2 = new Uint32Array(tokens.count);
		fillMasks(tokens, normalizeSpans([{ start: 12, end: 14, label: 'b' }, { start: 0, end: 4, label: 'a' }], labelIndex, 2), 1, m1, coverage.flags);
		fillMasks(tokens, normalizeSpans([{ start: 3, end: 5, label: 'b' }], labelIndex, 2), 1, m2, coverage.flags);
		coverage.collect(tokens.count);
		expect([...coverage.tokens.subarray(0, coverage.count)]).toEqual([0, 1, 4]);
		expect([...m1]).toEqual([0b01, 0b01, 0, 0, 0b10]);
		expect([...m2]).toEqual([0, 0b10, 0, 0, 0]);
		expect(coverage.flags.subarray(0, tokens.count).every((f) => f === 0)).toBe(true);
	});

	it('counts the tokens no span covers as none, without reading them', () => {
		const coverage = new Coverage();
		coverage.reset(tokens.count);
		const masks = new Uint32Array(tokens.count);
		fillMasks(tokens, normalizeSpans([{ start: 0, end: 4, label: 'a' }, { start: 3, end: 5, label: 'b' }], labelIndex, 2), 1, masks, coverage.flags);
		coverage.collect(tokens.count);
		const cats = new Categories(2, 1);
		const out = new Int32Array(tokens.count).fill(99); // stale values where no span is: never read
		cats.fill(masks, coverage.tokens, coverage.count, out);
		const totals = new Float64Array(cats.size);
		const ones = new Float64Array(2);
		coderTokens(out, masks, coverage.tokens, coverage.count, tokens.count, 1, totals, ones);
		// ab: {a}, cd: {a, b}, ef gh ij: none
		expect(cats.sets).toEqual([[], [0], [0, 1]]);
		expect([...totals]).toEqual([3, 1, 1]);
		expect([...ones]).toEqual([2, 1]);
	});
});
