import { describe, expect, it } from 'vitest';
import { firstTokenEndingAfter, tokenBounds, tokenRange, tokenize, tokenizeOffsets } from './tokens';

// "L’entité 👍🏽 va." — code points: L ’ e n t i t é ␠ 👍 🏽 ␠ v a .
const TEXT = 'L\u2019entit\u00e9 \u{1f44d}\u{1f3fd} va.';

describe('the one tokenizer', () => {
	it('cuts a worked example (code point offsets, whitespace after)', () => {
		expect(tokenize(TEXT).map(({ text, start, end, ws }) => [text, start, end, ws])).toEqual([
			['L', 0, 1, false],
			['\u2019', 1, 2, false],
			['entit\u00e9', 2, 8, true],
			['\u{1f44d}\u{1f3fd}', 9, 11, true],
			['va', 12, 14, false],
			['.', 14, 15, false]
		]);
	});

	it('gives the same tokens in each of its views', () => {
		const t = tokenizeOffsets(TEXT);
		const bounds = tokenBounds(TEXT);
		expect(bounds).toEqual(tokenize(TEXT).map(({ start, end }) => ({ start, end })));
		expect(Array.from(t.starts.subarray(0, t.count))).toEqual(bounds.map((b) => b.start));
		expect(Array.from(t.ends.subarray(0, t.count))).toEqual(bounds.map((b) => b.end));
	});

	it('finds tokens by offset', () => {
		const t = tokenizeOffsets(TEXT);
		expect([firstTokenEndingAfter(t, 0), firstTokenEndingAfter(t, 8), firstTokenEndingAfter(t, 15)]).toEqual([0, 3, 6]);
		expect(tokenRange(tokenBounds(TEXT), 3, 10)).toEqual([2, 3]);
		expect(tokenRange(tokenBounds(TEXT), 8, 9)).toBeNull();
	});
});
