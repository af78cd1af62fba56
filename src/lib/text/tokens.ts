/**
 * The ONE tokenizer's views: the words of ./words.ts (the one definition of a word
 * in spanlab; see there and docs/jsonl.md, "Tokens") as agreement, review,
 * evaluation and the Prodigy / CoNLL exports use them. Offsets are code points,
 * end exclusive, the same unit as span offsets.
 */
import { tokenizeWords, type WordTokens } from './words';

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

/** A token's code point range (end exclusive). */
export interface TokenBounds {
	start: number;
	end: number;
}

/** Tokens of `text` as {start, end} in code points (end exclusive). */
export function tokenBounds(text: string): TokenBounds[] {
	const t = tokenizeOffsets(text);
	const out: TokenBounds[] = new Array(t.count);
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

/** A token as the exports write it. */
export interface Token {
	text: string;
	/** code point offsets, end exclusive */
	start: number;
	end: number;
	/** index in the token list */
	id: number;
	/** whether the token is followed by a whitespace character (JS `\s`) */
	ws: boolean;
}

const WS = /\s/u;

/**
 * Tokens with code point offsets, their text and whether whitespace follows:
 * runs of letters, digits and marks; spaceless scripts cut by ICU; every other
 * character its own token, an emoji sequence one token. Whitespace (JS `\s`,
 * incl. \r \n) only separates tokens.
 */
export function tokenize(text: string): Token[] {
	return tokensOf(text, tokenizeWords(text));
}

/** `tokenize(text)` from tokens already computed with `tokenizeWords(text)`. */
export function tokensOf(text: string, t: WordTokens): Token[] {
	const tokens: Token[] = new Array(t.count);
	for (let k = 0; k < t.count; k++) {
		const next = t.ends16[k] < text.length ? text[t.ends16[k]] : undefined;
		tokens[k] = {
			text: text.slice(t.starts16[k], t.ends16[k]),
			start: t.starts[k],
			end: t.ends[k],
			id: k,
			// whitespace is always in the BMP, so one code unit tells
			ws: next !== undefined && WS.test(next)
		};
	}
	return tokens;
}

/** Index of the first and last token overlapping [start, end), or null if none does. */
export function tokenRange(tokens: readonly TokenBounds[], start: number, end: number): [number, number] | null {
	// first token with end > start
	let lo = 0;
	let hi = tokens.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (tokens[mid].end > start) hi = mid;
		else lo = mid + 1;
	}
	const first = lo;
	if (first >= tokens.length || tokens[first].start >= end) return null;
	// last token with start < end
	lo = first;
	hi = tokens.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (tokens[mid].start < end) lo = mid + 1;
		else hi = mid;
	}
	return [first, lo - 1];
}
