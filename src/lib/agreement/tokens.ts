/**
 * Tokenisation for token-level agreement.
 *
 * A token is a match of the Unicode regex
 *
 *     /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu
 *
 * i.e. a maximal run of letters, numbers and marks, or any other single
 * non-whitespace code point (punctuation, symbols, emoji components, lone
 * surrogates...). Offsets are Unicode CODE POINT offsets, end exclusive, the
 * same unit as span offsets (see src/lib/types.ts).
 *
 * Implementation: instead of running the regex (one match object per token,
 * the dominant cost on large corpora), we scan the string once and classify
 * each code point with the regex's own character classes, cached per BMP code
 * unit. Every non-whitespace code point belongs to exactly one token, so the
 * scan yields exactly the regex's matches (tokens.test.ts checks equivalence
 * against the regex on random and adversarial strings).
 */

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

export const TOKEN_REGEX = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

const CLS_UNKNOWN = 0;
const CLS_SPACE = 1;
const CLS_WORD = 2;
const CLS_OTHER = 3;

const WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;
const SPACE_RE = /^\s$/u;

/** class per BMP code unit, filled lazily (surrogates are handled separately) */
const bmpClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();

function classify(cp: number): number {
	const ch = String.fromCodePoint(cp);
	if (WORD_RE.test(ch)) return CLS_WORD;
	if (SPACE_RE.test(ch)) return CLS_SPACE;
	return CLS_OTHER;
}

function classOfBmp(c: number): number {
	let k = bmpClass[c];
	if (k === CLS_UNKNOWN) {
		// A lone surrogate is a code point of its own in a /u regex: neither
		// \s nor L/N/M, so a one-code-point "other" token.
		k = c >= 0xd800 && c <= 0xdfff ? CLS_OTHER : classify(c);
		bmpClass[c] = k;
	}
	return k;
}

function classOfAstral(cp: number): number {
	let k = astralClass.get(cp);
	if (k === undefined) {
		k = classify(cp);
		astralClass.set(cp, k);
	}
	return k;
}

/**
 * Tokenise into typed arrays (code point offsets). Linear in the text length.
 * Pass the previous result as `reuse` to recycle its arrays (its contents are
 * overwritten).
 */
export function tokenizeOffsets(text: string, reuse?: TokenOffsets): TokenOffsets {
	const n = text.length;
	// at most one token per code unit: size once, no growth checks in the loop
	let starts = reuse ? reuse.starts : null;
	let ends = reuse ? reuse.ends : null;
	if (!starts || !ends || starts.length < n || ends.length < n) {
		const cap = Math.max(n, 16);
		starts = new Int32Array(cap);
		ends = new Int32Array(cap);
	}
	let count = 0;
	let cp = 0; // code point index of position i
	let wordStart = -1;
	let i = 0;
	while (i < n) {
		const c = text.charCodeAt(i);
		let cls: number;
		let units = 1;
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) {
				cls = classOfAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
				units = 2;
			} else cls = CLS_OTHER;
		} else {
			cls = bmpClass[c];
			if (cls === CLS_UNKNOWN) cls = classOfBmp(c);
		}

		if (cls === CLS_WORD) {
			if (wordStart < 0) wordStart = cp;
		} else {
			if (wordStart >= 0) {
				starts[count] = wordStart;
				ends[count++] = cp;
				wordStart = -1;
			}
			if (cls === CLS_OTHER) {
				starts[count] = cp;
				ends[count++] = cp + 1;
			}
		}
		cp++;
		i += units;
	}
	if (wordStart >= 0) {
		starts[count] = wordStart;
		ends[count++] = cp;
	}
	return { count, starts, ends };
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
