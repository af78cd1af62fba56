/**
 * Tokens for token-level agreement: the words of src/lib/text/words.ts (the
 * one definition of a word in spanlab; see there and docs/jsonl.md), with
 * code point offsets, end exclusive, the same unit as span offsets.
 */
import { tokenizeWords, type WordTokens } from '../text/words';

export interface Token {
	start: number;
	end: number;
}

/** Tokens as parallel typed arrays (first `count` entries are valid). */
export interface TokenOffsets {
	count: number;
	starts: Int32Array;
	ends: Int32Array;
}

/**
 * Tokenise into typed arrays (code point offsets). Linear in the text length.
 * Pass the previous result as `reuse` to recycle its arrays (its contents are
 * overwritten).
 */
export function tokenizeOffsets(text: string, reuse?: TokenOffsets): TokenOffsets {
	const recycled = reuse && 'kinds' in reuse ? (reuse as WordTokens) : undefined;
	return tokenizeWords(text, recycled);
}

/** Tokens of `text` as {start, end} in code points (end exclusive). */
export function tokenize(text: string): Token[] {
	const t = tokenizeOffsets(text);
	const out: Token[] = new Array(t.count);
	for (let k = 0; k < t.count; k++) out[k] = { start: t.starts[k], end: t.ends[k] };
	return out;
}

/**
 * Index of the first token whose end is > `pos` (tokens are sorted and
 * disjoint, so ends are increasing). Returns `count` when there is none.
 */
export function firstTokenEndingAfter(tokens: TokenOffsets, pos: number): number {
	let lo = 0;
	let hi = tokens.count;
	const ends = tokens.ends;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (ends[mid] > pos) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/**
 * Set bit `label` in `masks` (W words per token) for every token that overlaps
 * [start, end) by at least one code point.
 */
export function markSpan(
	tokens: TokenOffsets,
	start: number,
	end: number,
	label: number,
	words: number,
	masks: Uint32Array
): void {
	if (end <= start) return;
	const word = label >>> 5;
	const bit = (1 << (label & 31)) >>> 0;
	const starts = tokens.starts;
	for (let k = firstTokenEndingAfter(tokens, start); k < tokens.count && starts[k] < end; k++) {
		masks[k * words + word] |= bit;
	}
}
