/**
 * What a word is in spanlab: the ONE definition behind selection snapping,
 * keyboard word steps, the review view's boundary moves, agreement's token
 * projection and the CoNLL / Prodigy token indices (docs/jsonl.md, "Tokens").
 *
 * A text is cut into tokens; whitespace (JS `\s`) only separates them.
 *  1. A run of letters, digits and marks (`[\p{L}\p{N}\p{M}]+`) is a word, as
 *     it always was: `l’entité` is `l`, `’`, `entité`; `e\u0301té` is one word.
 *  2. Except that inside such a run, each stretch in a script written without
 *     spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, by
 *     Script_Extensions, and mixed stretches of them) is cut into words by
 *     `Intl.Segmenter(ROOT_LOCALE, { granularity: 'word' })` (ICU's
 *     dictionaries; the root locale, never the machine's default, see
 *     ROOT_LOCALE): 東京都庁で → 東京|都庁|で,
 *     while 東京2024年にAI会議 is 東京|2024|年|に|AI|会議 (the run changes
 *     script at 2024 and at AI). A mark never starts a stretch of its own: it
 *     stays with the letter before it.
 *  3. Any other non-space character is a token of its own (punctuation,
 *     symbols), except that it keeps the marks, joiners, modifiers and
 *     emoji of its grapheme cluster (never a following letter or digit): an
 *     emoji ZWJ sequence, a flag, a skin-toned emoji or a keycap is one token.
 *
 * Dictionary segmentation depends on the ICU data of the runtime (Node's for
 * releases and agreement, the browser's for snapping); releases record
 * `WORD_DEFINITION` with `process.versions.icu`/`unicode` so token indices can
 * be reproduced. Bump WORD_DEFINITION whenever the rules above change.
 *
 * Cost: one pass over the text, each code point classified once through a
 * per-code-unit cache; the segmenter sees only the spaceless stretches, in
 * windows of SEGMENT_WINDOW code units (see there), and grapheme clusters
 * only where a mark or symbol follows a symbol. Segmenters are created once.
 */
import { isHighSurrogate, isLowSurrogate, isSurrogate } from './offsets';

/** Version of the rules above; recorded in release manifests. */
export const WORD_DEFINITION = 'spanlab-words/2';

/** Token kinds */
export const WORD = 1;
/** an emoji (sequence): a grapheme cluster holding an Extended_Pictographic or regional indicator */
export const EMOJI = 2;
/** any other single character (with its cluster's marks): punctuation, symbols */
export const SYMBOL = 3;

export interface WordTokens {
	/** number of tokens; the arrays may be longer */
	count: number;
	/** code point offsets, end exclusive */
	starts: Int32Array;
	ends: Int32Array;
	/** UTF-16 offsets of the same tokens */
	starts16: Int32Array;
	ends16: Int32Array;
	/** WORD, EMOJI or SYMBOL */
	kinds: Uint8Array;
}

// ---------------------------------------------------------------------------
// Character classes

const C_UNKNOWN = 0;
const C_SPACE = 1;
/** letter or digit of a script written with spaces */
const C_WORD = 2;
/** letter or digit of a script written without spaces */
const C_SPACELESS = 3;
/** a mark (joins the stretch before it), of a spaced script */
const C_MARK = 4;
/** a mark of a script written without spaces (e.g. Thai vowel signs) */
const C_MARK_SPACELESS = 5;
const C_OTHER = 6;
/** flag bit: Extended_Pictographic or Regional_Indicator */
const F_PICTO = 8;
const CLASS_MASK = 7;

const SPACELESS_RE = /\p{scx=Han}|\p{scx=Hira}|\p{scx=Kana}|\p{scx=Thai}|\p{scx=Lao}|\p{scx=Khmr}|\p{scx=Mymr}/u;
const LETTER_OR_DIGIT_RE = /[\p{L}\p{N}]/u;
const MARK_RE = /\p{M}/u;
const SPACE_RE = /\s/u;
const PICTO_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

function classifyCodePoint(cp: number): number {
	// A lone surrogate is a code point of its own: neither space, letter nor mark.
	if (isSurrogate(cp)) return C_OTHER;
	const ch = String.fromCodePoint(cp);
	const picto = PICTO_RE.test(ch) ? F_PICTO : 0;
	if (LETTER_OR_DIGIT_RE.test(ch)) return (SPACELESS_RE.test(ch) ? C_SPACELESS : C_WORD) | picto;
	if (MARK_RE.test(ch)) return (SPACELESS_RE.test(ch) ? C_MARK_SPACELESS : C_MARK) | picto;
	if (SPACE_RE.test(ch)) return C_SPACE;
	return C_OTHER | picto;
}

/** class per BMP code unit, filled lazily */
const bmpClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();

function classOf(cp: number): number {
	if (cp < 0x10000) {
		let k = bmpClass[cp];
		if (k === C_UNKNOWN) bmpClass[cp] = k = classifyCodePoint(cp);
		return k;
	}
	let k = astralClass.get(cp);
	if (k === undefined) astralClass.set(cp, (k = classifyCodePoint(cp)));
	return k;
}

/** The code point at UTF-16 index i, as tokenisation sees it (a lone surrogate is itself). */
function codePointAt(text: string, i: number): number {
	const c = text.charCodeAt(i);
	if (isHighSurrogate(c) && i + 1 < text.length) {
		const d = text.charCodeAt(i + 1);
		if (isLowSurrogate(d)) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
	}
	return c;
}

// ---------------------------------------------------------------------------
// Segmenters (root locale, created once)

/**
 * The root locale. V8 has no 'und' among its locales and quietly falls back to
 * the machine's default (`LANG=el_GR` makes `;` end a sentence, for one), so
 * the request is 'und' then 'en': English, whose ICU word and sentence rules
 * are the root rules, present in every ICU build; never the default locale.
 */
export const ROOT_LOCALE = ['und', 'en'];

let wordSegmenter: Intl.Segmenter | null = null;
let graphemeSegmenter: Intl.Segmenter | null = null;
let sentenceSegmenter: Intl.Segmenter | null = null;
const words = () => (wordSegmenter ??= new Intl.Segmenter(ROOT_LOCALE, { granularity: 'word' }));
const graphemes = () => (graphemeSegmenter ??= new Intl.Segmenter(ROOT_LOCALE, { granularity: 'grapheme' }));
const sentences = () => (sentenceSegmenter ??= new Intl.Segmenter(ROOT_LOCALE, { granularity: 'sentence' }));

function extendsSymbol(k: number): boolean {
	const c = k & CLASS_MASK;
	return c === C_MARK || c === C_MARK_SPACELESS || c === C_OTHER;
}

/** UTF-16 end of the grapheme cluster that starts at `i` (a cluster never crosses whitespace but \r\n). */
function clusterEnd(text: string, i: number): number {
	for (let window = 32; ; window *= 4) {
		const end = Math.min(text.length, i + window);
		const first = graphemes().segment(text.slice(i, end))[Symbol.iterator]().next().value;
		const length = first ? first.segment.length : 1;
		if (i + length < end || end === text.length) return i + length;
	}
}

// ---------------------------------------------------------------------------
// Tokenisation

function alloc(n: number, reuse?: WordTokens): WordTokens {
	if (reuse && reuse.starts.length >= n) {
		reuse.count = 0;
		return reuse;
	}
	const cap = Math.max(n, 16);
	return {
		count: 0,
		starts: new Int32Array(cap),
		ends: new Int32Array(cap),
		starts16: new Int32Array(cap),
		ends16: new Int32Array(cap),
		kinds: new Uint8Array(cap)
	};
}

function push(t: WordTokens, start16: number, end16: number, start: number, end: number, kind: number): void {
	const k = t.count++;
	t.starts16[k] = start16;
	t.ends16[k] = end16;
	t.starts[k] = start;
	t.ends[k] = end;
	t.kinds[k] = kind;
}

/**
 * ICU's segmentation time grows faster than linearly with the length of one
 * run (a 240,000-character run of Han took a minute), so a long stretch is cut
 * in windows of this many code units: all words of a window but its last are
 * kept, and the next window starts where that last word started.
 */
export const SEGMENT_WINDOW = 1024;

/** Cut a stretch of a spaceless script [from16, to16) (code point offset `fromCp`) with ICU. */
function pushSpaceless(t: WordTokens, text: string, from16: number, to16: number, fromCp: number): void {
	let cp = fromCp;
	let at = from16;
	while (at < to16) {
		let end = Math.min(to16, at + SEGMENT_WINDOW);
		// never end a window between the halves of a surrogate pair
		if (end < to16 && isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end--;
		const last = end === to16;
		const segments: Array<{ index: number; length: number }> = [];
		for (const { segment, index } of words().segment(text.slice(at, end))) segments.push({ index, length: segment.length });
		// keep the last word of a window that does not reach the end only when it is the window's only word
		const keep = last || segments.length === 1 ? segments.length : segments.length - 1;
		for (let s = 0; s < keep; s++) {
			const from = at + segments[s].index;
			const to = from + segments[s].length;
			let points = 0;
			for (let u = from; u < to; u++) if (!(isLowSurrogate(text.charCodeAt(u)) && u > from && isHighSurrogate(text.charCodeAt(u - 1)))) points++;
			push(t, from, to, cp, cp + points, WORD);
			cp += points;
		}
		at = keep === segments.length ? end : at + segments[keep].index;
	}
}


/** Push the open stretch [from16, to16) of letters, digits and marks (code points [fromCp, toCp)). */
function pushStretch(t: WordTokens, text: string, from16: number, to16: number, fromCp: number, toCp: number, spaceless: boolean): void {
	if (spaceless) pushSpaceless(t, text, from16, to16, fromCp);
	else push(t, from16, to16, fromCp, toCp, WORD);
}

/**
 * The tokens of `text` (see the definition above), in order, with code point
 * and UTF-16 offsets. Linear in the text. Pass an earlier result as `reuse`
 * to recycle its arrays (its contents are overwritten).
 *
 * Agreement tokenises every document of a dataset, so the loop keeps its state
 * in locals (no closure over them) and walks a stretch of a spaced script in an
 * inner loop of its own.
 */
export function tokenizeWords(text: string, reuse?: WordTokens): WordTokens {
	const n = text.length;
	const t = alloc(n, reuse); // at most one token per code unit
	const classes = bmpClass;
	let cp = 0; // code point offset of UTF-16 index i
	let i = 0;
	while (i < n) {
		// the BMP outside surrogates, inline: the common case, once per code unit
		const c = text.charCodeAt(i);
		let point = c;
		let k: number;
		if (c < 0xd800 || c > 0xdfff) {
			k = classes[c];
			if (k === C_UNKNOWN) k = classOf(c);
		} else {
			point = codePointAt(text, i);
			k = classOf(point);
		}
		let cls = k & CLASS_MASK;
		if (cls === C_SPACE) {
			i++; // whitespace is always in the BMP
			cp++;
			continue;
		}
		if (cls === C_WORD || cls === C_SPACELESS || cls === C_MARK || cls === C_MARK_SPACELESS) {
			// a stretch of letters, digits and marks, spaceless or not (a mark joins the stretch before it, or starts one)
			let from16 = i;
			let fromCp = cp;
			let spaceless = cls === C_SPACELESS || cls === C_MARK_SPACELESS;
			i += point > 0xffff ? 2 : 1;
			cp++;
			while (i < n) {
				const d = text.charCodeAt(i);
				if (!spaceless) {
					// the common case: a letter, digit or mark of a spaced script, in the BMP (surrogates are never C_WORD)
					const kd = classes[d];
					if (kd === C_WORD || kd === C_MARK) {
						i++;
						cp++;
						continue;
					}
				}
				let q = d;
				if (d < 0xd800 || d > 0xdfff) {
					k = classes[d];
					if (k === C_UNKNOWN) k = classOf(d);
				} else {
					q = codePointAt(text, i);
					k = classOf(q);
				}
				cls = k & CLASS_MASK;
				if (cls === C_WORD || cls === C_SPACELESS) {
					const isSpaceless = cls === C_SPACELESS;
					if (spaceless !== isSpaceless) {
						pushStretch(t, text, from16, i, fromCp, cp, spaceless);
						from16 = i;
						fromCp = cp;
						spaceless = isSpaceless;
					}
				} else if (cls !== C_MARK && cls !== C_MARK_SPACELESS) break;
				i += q > 0xffff ? 2 : 1;
				cp++;
			}
			pushStretch(t, text, from16, i, fromCp, cp, spaceless);
			continue;
		}
		// a symbol: one character with the rest of its grapheme cluster, up to a letter or digit
		const start16 = i;
		const startCp = cp;
		let picto = (k & F_PICTO) !== 0;
		i += point > 0xffff ? 2 : 1;
		cp++;
		// only a mark, a joiner, a modifier or another symbol can extend the cluster; ASCII never does
		if (i < n && text.charCodeAt(i) >= 0x80 && extendsSymbol(classOf(codePointAt(text, i)))) {
			const end = clusterEnd(text, start16);
			while (i < end) {
				const next = codePointAt(text, i);
				const nk = classOf(next);
				const nc = nk & CLASS_MASK;
				if (nc === C_WORD || nc === C_SPACELESS || nc === C_SPACE) break;
				if (nk & F_PICTO) picto = true;
				i += next > 0xffff ? 2 : 1;
				cp++;
			}
		}
		push(t, start16, i, startCp, cp, picto ? EMOJI : SYMBOL);
	}
	return t;
}

/**
 * The token containing UTF-16 index `i` of `text`, or null on whitespace.
 * Local: tokenises only the stretch between the whitespace around `i` (tokens
 * never cross whitespace, so the result equals `tokenizeWords(text)`'s).
 */
export function tokenAt(text: string, i: number): { start: number; end: number; kind: number } | null {
	if (i < 0 || i >= text.length) return null;
	let a = i;
	while (a > 0 && !SPACE_RE.test(text[a - 1])) a--;
	let b = i;
	while (b < text.length && !SPACE_RE.test(text[b])) b++;
	if (a === b) return null;
	const t = tokenizeWords(text.slice(a, b));
	const rel = i - a;
	let lo = 0;
	let hi = t.count;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (t.ends16[mid] > rel) hi = mid;
		else lo = mid + 1;
	}
	if (lo >= t.count || t.starts16[lo] > rel) return null;
	return { start: a + t.starts16[lo], end: a + t.ends16[lo], kind: t.kinds[lo] };
}

/** A token as a plain object (code point offsets, UTF-16 offsets and its text). */
export interface Word {
	start: number;
	end: number;
	start16: number;
	end16: number;
	kind: number;
	text: string;
}

/** The tokens of `text` as objects (for exports and tests; `tokenizeWords` is the fast form). */
export function words16(text: string): Word[] {
	const t = tokenizeWords(text);
	const out: Word[] = new Array(t.count);
	for (let k = 0; k < t.count; k++) {
		out[k] = {
			start: t.starts[k],
			end: t.ends[k],
			start16: t.starts16[k],
			end16: t.ends16[k],
			kind: t.kinds[k],
			text: text.slice(t.starts16[k], t.ends16[k])
		};
	}
	return out;
}

/** The texts of the tokens (the readable form of the definition, for tests and docs). */
export function wordTexts(text: string): string[] {
	const t = tokenizeWords(text);
	const out: string[] = new Array(t.count);
	for (let k = 0; k < t.count; k++) out[k] = text.slice(t.starts16[k], t.ends16[k]);
	return out;
}

/**
 * Sentences of `text` as UTF-16 ranges, by `Intl.Segmenter(ROOT_LOCALE, {
 * granularity: 'sentence' })` (line breaks end a sentence too); the ranges
 * cover the text.
 */
export function sentenceRanges16(text: string): Array<{ start: number; end: number }> {
	const out: Array<{ start: number; end: number }> = [];
	for (const { segment, index } of sentences().segment(text)) out.push({ start: index, end: index + segment.length });
	return out;
}

/** The code point offsets where the sentences of `text` start (see `sentenceRanges16`), ascending. */
export function sentenceStarts(text: string): number[] {
	const out: number[] = [];
	let u16 = 0;
	let cp = 0;
	for (const { index } of sentences().segment(text)) {
		while (u16 < index) {
			u16 += isHighSurrogate(text.charCodeAt(u16)) && u16 + 1 < text.length && isLowSurrogate(text.charCodeAt(u16 + 1)) ? 2 : 1;
			cp++;
		}
		out.push(cp);
	}
	return out;
}
