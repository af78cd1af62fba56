/**
 * Selection snapping in the browser, on UTF-16 offsets of a JS string (they run
 * on DOM selections, before the conversion to code points at the API boundary,
 * ../text/offsets.ts): `snapToWords` (whole words; what a mouse selection
 * becomes), `trimSelection` (Alt: exact characters, whitespace trimmed), and
 * `wordRanges` / `stepSelection` (Shift+→ / Shift+← word by word). Used by the
 * annotation view and the review view's gold lane. All pure. Span rules on code
 * point offsets (ids, validation, materialisation, diffing) are ../model/spans.ts.
 */
import { EMOJI as EMOJI_TOKEN, ROOT_LOCALE, WORD as WORD_TOKEN, tokenAt, tokenizeWords } from '../text/words';
import { isHighSurrogate, isLowSurrogate } from '../text/offsets';

const ALL_SPACE = /^\s+$/u;
const SPACE = /\s/u;

type UnitKind = 'space' | 'other';

let graphemes: Intl.Segmenter | null = null;
function segmenter(): Intl.Segmenter {
	return (graphemes ??= new Intl.Segmenter(ROOT_LOCALE, { granularity: 'grapheme' }));
}

/** A grapheme cluster ("user-perceived character") and its UTF-16 range. */
interface Unit {
	start: number;
	end: number;
	kind: UnitKind;
}

function classify(segment: string): UnitKind {
	return ALL_SPACE.test(segment) ? 'space' : 'other';
}

/** Grapheme lookup over one text; `Intl.Segments.containing` is local (no full scan). */
class Units {
	private readonly segments: Intl.Segments;
	constructor(readonly text: string) {
		this.segments = segmenter().segment(text);
	}
	/** The unit containing UTF-16 index `i` (0 <= i < text.length). */
	at(i: number): Unit {
		const s = this.segments.containing(i)!;
		return { start: s.index, end: s.index + s.segment.length, kind: classify(s.segment) };
	}
}

function normalizeRange(text: string, start: number, end: number): [number, number] {
	if (!Number.isInteger(start) || !Number.isInteger(end)) {
		throw new RangeError(`selection offsets must be integers, got ${start}..${end}`);
	}
	if (start > end) [start, end] = [end, start];
	return [Math.max(0, Math.min(start, text.length)), Math.max(0, Math.min(end, text.length))];
}

/**
 * Expand [start,end) (UTF-16 offsets of `text`) outward to whole words and trim surrounding whitespace; returns null if nothing but whitespace/empty. Words are those of ./text/words.ts (the one definition: runs of letters, digits and marks, spaceless scripts cut by ICU, an emoji sequence one unit); never splits a surrogate pair or a base+combining mark.
 *
 * Details: boundaries first snap outward to grapheme clusters (so an emoji ZWJ
 * sequence, a flag, a skin-toned emoji or a letter + combining marks is never
 * split), surrounding whitespace is trimmed, then each end that falls inside a
 * token moves outward to the token's edge: selecting 都 in 東京都庁で gives
 * 都庁. An emoji sequence is a token of its own: it is kept whole but does not
 * glue onto adjacent letters. Punctuation (including ’ ' - .) is a token
 * boundary and is never added, only kept if selected. Reversed ranges are
 * reordered and out-of-range offsets clamped.
 */
export function snapToWords(
	text: string,
	start: number,
	end: number
): { start: number; end: number } | null {
	[start, end] = normalizeRange(text, start, end);
	if (start === end) return null;
	const units = new Units(text);
	// Never split a grapheme cluster.
	start = units.at(start).start;
	if (end < text.length) {
		const u = units.at(end);
		if (u.start < end) end = u.end;
	}
	// Trim whitespace units.
	while (start < end) {
		const u = units.at(start);
		if (u.kind !== 'space') break;
		start = u.end;
	}
	while (end > start) {
		const u = units.at(end - 1);
		if (u.kind !== 'space') break;
		end = u.start;
	}
	if (start === end) return null;
	// Expand to whole words (tokens never cross whitespace, so this is local).
	const first = tokenAt(text, start);
	if (first && first.start < start) start = first.start;
	const last = tokenAt(text, end - 1);
	if (last && last.end > end) end = last.end;
	return { start, end };
}

/**
 * Trim whitespace (incl. NBSP, \r, \n) from both ends; no expansion (used for Alt = exact characters); null if empty. Never splits surrogate pairs.
 *
 * Whitespace is JS `\s` (includes U+00A0, U+202F, U+2028/9, U+FEFF). A boundary
 * between the halves of a surrogate pair moves outward so the character is
 * kept whole. Reversed ranges are reordered and out-of-range offsets clamped.
 */
export function trimSelection(
	text: string,
	start: number,
	end: number
): { start: number; end: number } | null {
	[start, end] = normalizeRange(text, start, end);
	const splitsPair = (i: number) =>
		i > 0 && i < text.length && isHighSurrogate(text.charCodeAt(i - 1)) && isLowSurrogate(text.charCodeAt(i));
	if (splitsPair(start)) start--;
	if (splitsPair(end)) end++;
	// Whitespace is always in the BMP, so code unit tests are exact here.
	while (start < end && SPACE.test(text[start])) start++;
	while (end > start && SPACE.test(text[end - 1])) end--;
	return start < end ? { start, end } : null;
}

/**
 * The words of `text` for selecting with the keyboard, as UTF-16 ranges in
 * order: the word tokens of ./text/words.ts (as `snapToWords` sees a word;
 * Thai, Japanese… cut by ICU) and each emoji sequence on its own. Spaces and
 * punctuation are stepped over.
 */
export function wordRanges(text: string): Array<{ start: number; end: number }> {
	const t = tokenizeWords(text);
	const words: Array<{ start: number; end: number }> = [];
	for (let k = 0; k < t.count; k++) {
		if (t.kinds[k] === WORD_TOKEN || t.kinds[k] === EMOJI_TOKEN) words.push({ start: t.starts16[k], end: t.ends16[k] });
	}
	return words;
}

/**
 * One keyboard step over `words` (from `wordRanges`), Shift+→ (`dir` 1) or
 * Shift+← (-1):
 *  - with a selection, → moves its end to the end of the next word; ← moves
 *    it back to the end of the previous word inside the selection or, when a
 *    single word is selected, selects the word before it;
 *  - without one, → selects the first word that ends after `cursor`, ← the
 *    last word that starts before it.
 * Returns the selection unchanged (or null) when there is nowhere to go.
 */
export function stepSelection(
	words: ReadonlyArray<{ start: number; end: number }>,
	selection: { start: number; end: number } | null,
	cursor: number,
	dir: 1 | -1
): { start: number; end: number } | null {
	/** index of the first word whose end is > offset */
	const firstEndingAfter = (offset: number) => {
		let lo = 0;
		let hi = words.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (words[mid].end > offset) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	};
	if (!selection) {
		const i = firstEndingAfter(cursor);
		if (dir === 1) return words[i] ? { ...words[i] } : null;
		// the last word starting before the cursor: the one containing it, or the one before
		const j = words[i] && words[i].start < cursor ? i : i - 1;
		return j >= 0 ? { ...words[j] } : null;
	}
	if (dir === 1) {
		const next = words[firstEndingAfter(selection.end)];
		return next ? { start: selection.start, end: next.end } : selection;
	}
	const i = firstEndingAfter(selection.end - 1) - 1; // the last word ending before the selection's end
	if (i >= 0 && words[i].end > selection.start) return { start: selection.start, end: words[i].end };
	const before = firstEndingAfter(selection.start) - 1; // a single word: the word before it
	return before >= 0 ? { ...words[before] } : selection;
}
