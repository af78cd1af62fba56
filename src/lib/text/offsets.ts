/**
 * Offset conversion — the single source of truth for the whole product.
 *
 * Why this module exists: three coordinate systems meet in spanlab.
 *
 *  1. **Code points** (API, storage, JSONL releases). Every stored offset is a
 *     Unicode code point offset into the stored text, end exclusive, so that
 *     Python's `text[start:end]` (which indexes by code point) returns exactly the
 *     span text — for emoji, ZWJ sequences, CJK outside the BMP (𠀋), etc.
 *  2. **UTF-16 code units** (JavaScript strings, DOM ranges). Every character
 *     outside the Basic Multilingual Plane is a surrogate pair and takes two units,
 *     so a JS offset drifts from the code point offset after each such character.
 *  3. **ProseMirror positions** (the editor). The text is shown as a doc of
 *     paragraphs, one per line; each paragraph boundary costs two positions and
 *     line terminators (\r\n, \n, \r) are not part of the document at all.
 *
 * Converting anywhere else invites off-by-one and off-by-surrogate bugs that only
 * show up on the one article with an emoji in it, so every conversion goes
 * through here. Everything is pure; `OffsetMap` and `DocLayout` precompute sorted
 * arrays once (O(n)) and answer each query with a binary search (O(log n)).
 *
 * Conventions:
 *  - A "code point" is what `for…of` over a string yields: a valid surrogate pair
 *    is one code point, a lone (unpaired) surrogate counts as one code point too.
 *  - A UTF-16 offset that falls between the two halves of a surrogate pair is
 *    floored to the start of the pair when converted to code points.
 *  - Offsets must be integers; out-of-range or non-integer arguments throw
 *    `RangeError` (except `sliceByCodePoints`, which behaves like Python slicing,
 *    and `DocLayout.posToUtf16`, which clamps as documented).
 */

/** A UTF-16 code unit that starts a surrogate pair (U+D800..U+DBFF). */
export function isHighSurrogate(c: number): boolean {
	return c >= 0xd800 && c <= 0xdbff;
}

/** A UTF-16 code unit that ends a surrogate pair (U+DC00..U+DFFF). */
export function isLowSurrogate(c: number): boolean {
	return c >= 0xdc00 && c <= 0xdfff;
}

/** Either half of a surrogate pair (U+D800..U+DFFF): never a character on its own. */
export function isSurrogate(c: number): boolean {
	return c >= 0xd800 && c <= 0xdfff;
}

/** Code point index of the first unpaired surrogate in `text`, or -1. */
export function firstLoneSurrogate(text: string): number {
	let cp = 0;
	for (let i = 0; i < text.length; i++, cp++) {
		const c = text.charCodeAt(i);
		if (!isSurrogate(c)) continue;
		if (isHighSurrogate(c) && isLowSurrogate(text.charCodeAt(i + 1))) {
			i++;
			continue;
		}
		return cp;
	}
	return -1;
}

function checkInteger(value: number, what: string): void {
	if (!Number.isInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
}

/** Number of entries of the sorted array `arr` that are < x (lower bound). */
function countBelow(arr: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = arr.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (arr[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Index of the last entry of the sorted array `arr` that is <= x, or -1. */
function lastAtOrBelow(arr: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = arr.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (arr[mid] <= x) lo = mid + 1;
		else hi = mid;
	}
	return lo - 1;
}

/** Length of `text` in code points (Python's `len(text)`). */
export function codePointLength(text: string): number {
	let pairs = 0;
	const n = text.length;
	for (let i = 0; i < n - 1; i++) {
		if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
			pairs++;
			i++;
		}
	}
	return n - pairs;
}

/**
 * Converts a UTF-16 offset of `text` to a code point offset. An offset between
 * the two halves of a surrogate pair is floored to the start of the pair.
 * Throws RangeError if `utf16` is not an integer in [0, text.length].
 * O(utf16); use `OffsetMap` for repeated conversions.
 */
export function toCodePointOffset(text: string, utf16: number): number {
	checkInteger(utf16, 'utf16 offset');
	if (utf16 < 0 || utf16 > text.length) {
		throw new RangeError(`utf16 offset ${utf16} is outside the text (length ${text.length})`);
	}
	let cp = 0;
	let i = 0;
	while (i < utf16) {
		if (i + 1 < text.length && isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
			if (i + 1 === utf16) return cp; // inside the pair: floor
			i += 2;
		} else {
			i += 1;
		}
		cp++;
	}
	return cp;
}

/**
 * Converts a code point offset of `text` to a UTF-16 offset.
 * Throws RangeError if `codePoint` is not an integer in [0, codePointLength(text)].
 * O(codePoint); use `OffsetMap` for repeated conversions.
 */
export function toUtf16Offset(text: string, codePoint: number): number {
	checkInteger(codePoint, 'code point offset');
	if (codePoint < 0) throw new RangeError(`code point offset ${codePoint} is negative`);
	let i = 0;
	let cp = 0;
	const n = text.length;
	while (cp < codePoint) {
		if (i >= n) {
			throw new RangeError(
				`code point offset ${codePoint} is beyond the end of the text (length ${cp})`
			);
		}
		i += i + 1 < n && isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
		cp++;
	}
	return i;
}

/**
 * `text[start:end]` with Python semantics, indexing by code point: negative
 * indices count from the end, out-of-range indices are clamped, and
 * `start >= end` gives "". Throws RangeError for non-integers.
 */
export function sliceByCodePoints(text: string, start: number, end: number): string {
	checkInteger(start, 'start');
	checkInteger(end, 'end');
	if (start >= 0 && end >= 0 && start >= end) return '';
	const len = start < 0 || end < 0 ? codePointLength(text) : -1;
	if (start < 0) start = Math.max(0, len + start);
	if (end < 0) end = Math.max(0, len + end);
	if (start >= end) return '';
	// One pass up to `end`, remembering where `start` falls.
	const n = text.length;
	let i = 0;
	let cp = 0;
	let from = -1;
	while (i < n && cp < end) {
		if (cp === start) from = i;
		i += i + 1 < n && isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
		cp++;
	}
	if (from < 0) return ''; // start is at or beyond the end of the text
	return text.slice(from, i);
}

/**
 * Precomputed index for fast repeated conversions on long texts (50k chars,
 * thousands of spans): O(log n) per call, memory proportional to the number of
 * characters outside the BMP (zero extra work for plain BMP text).
 *
 * Invariant: with `pairs` the sorted UTF-16 offsets at which surrogate pairs
 * start, `toCodePoint(u) = u - #{p in pairs : p < u}` — which also floors an
 * offset inside a pair — and with `pairCps` the code point offsets of those
 * characters, `toUtf16(c) = c + #{q in pairCps : q < c}`.
 */
export class OffsetMap {
	/** Length of the text in code points. */
	readonly length: number;
	/** Length of the text in UTF-16 code units. */
	readonly utf16Length: number;
	private readonly pairs: Int32Array;
	private readonly pairCps: Int32Array;

	constructor(text: string) {
		const n = text.length;
		const starts: number[] = [];
		for (let i = 0; i < n - 1; i++) {
			if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
				starts.push(i);
				i++;
			}
		}
		this.pairs = Int32Array.from(starts);
		this.pairCps = Int32Array.from(starts, (u, k) => u - k);
		this.utf16Length = n;
		this.length = n - starts.length;
	}

	/** UTF-16 offset -> code point offset; inside a surrogate pair floors to the pair's start. */
	toCodePoint(utf16: number): number {
		checkInteger(utf16, 'utf16 offset');
		if (utf16 < 0 || utf16 > this.utf16Length) {
			throw new RangeError(`utf16 offset ${utf16} is outside the text (length ${this.utf16Length})`);
		}
		return utf16 - countBelow(this.pairs, utf16);
	}

	/** Code point offset -> UTF-16 offset. */
	toUtf16(codePoint: number): number {
		checkInteger(codePoint, 'code point offset');
		if (codePoint < 0 || codePoint > this.length) {
			throw new RangeError(`code point offset ${codePoint} is outside the text (length ${this.length})`);
		}
		return codePoint + countBelow(this.pairCps, codePoint);
	}
}

/** One rendered line of the text; utf16 offsets, line terminator excluded. Terminators are \r\n, \n or \r. */
export interface TextLine {
	start: number;
	end: number;
}

/**
 * Splits `text` into lines at \r\n, \n and \r (each terminator is one line break).
 * Always returns at least one line; a trailing terminator yields a final empty line:
 * "" -> [{0,0}]; "a\n" -> [{0,1},{2,2}]; "a\r\nb" -> [{0,1},{3,4}].
 */
export function splitLines(text: string): TextLine[] {
	const lines: TextLine[] = [];
	const n = text.length;
	let start = 0;
	for (let i = 0; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === 10 /* \n */) {
			lines.push({ start, end: i });
			start = i + 1;
		} else if (c === 13 /* \r */) {
			lines.push({ start, end: i });
			if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
			start = i + 1;
		}
	}
	lines.push({ start, end: n });
	return lines;
}

/**
 * The document as ProseMirror sees it: a doc of paragraphs, one per line (empty lines are empty paragraphs).
 * Paragraph i opens at PM position P_i (P_0 = 0, P_{i+1} = P_i + len_i + 2); its content starts at P_i + 1.
 * A utf16 offset o within line i maps to P_i + 1 + (o - line.start).
 * An offset inside a line terminator maps to the end of the line before (side 'end') or the start of the next line (side 'start', default).
 *
 * Only a \r\n terminator has an offset strictly inside it (between \r and \n);
 * the offset just before any terminator is the end of its line, the one just
 * after is the start of the next line.
 */
export class DocLayout {
	readonly text: string;
	readonly lines: TextLine[];
	readonly offsets: OffsetMap;
	/** Size of the ProseMirror doc's content (`doc.content.size`): P_n for n lines. */
	readonly docSize: number;
	private readonly lineStarts: Int32Array;
	private readonly paraStarts: Int32Array;

	constructor(text: string) {
		this.text = text;
		this.lines = splitLines(text);
		this.offsets = new OffsetMap(text);
		const n = this.lines.length;
		this.lineStarts = new Int32Array(n);
		this.paraStarts = new Int32Array(n);
		let p = 0;
		for (let i = 0; i < n; i++) {
			const line = this.lines[i];
			this.lineStarts[i] = line.start;
			this.paraStarts[i] = p;
			p += line.end - line.start + 2;
		}
		this.docSize = p;
	}

	/** UTF-16 offset -> PM position. Throws RangeError outside [0, text.length]. */
	utf16ToPos(utf16: number, side: 'start' | 'end' = 'start'): number {
		checkInteger(utf16, 'utf16 offset');
		if (utf16 < 0 || utf16 > this.text.length) {
			throw new RangeError(`utf16 offset ${utf16} is outside the text (length ${this.text.length})`);
		}
		const i = lastAtOrBelow(this.lineStarts, utf16); // >= 0 because lineStarts[0] === 0
		const line = this.lines[i];
		if (utf16 <= line.end) return this.paraStarts[i] + 1 + (utf16 - line.start);
		// Strictly inside the terminator after line i (so line i + 1 exists).
		return side === 'end' ? this.paraStarts[i] + 1 + (line.end - line.start) : this.paraStarts[i + 1] + 1;
	}

	/**
	 * PM position -> UTF-16 offset. Positions outside paragraph content clamp to
	 * the nearest line boundary: the position between two paragraphs (equally far
	 * from both) maps to the start of the following line, positions <= 0 map to 0
	 * and positions >= docSize map to the end of the text.
	 */
	posToUtf16(pos: number): number {
		checkInteger(pos, 'position');
		if (pos <= 0) return 0;
		if (pos >= this.docSize) return this.text.length;
		const i = lastAtOrBelow(this.paraStarts, pos);
		const line = this.lines[i];
		const rel = pos - this.paraStarts[i] - 1;
		if (rel < 0) return line.start; // between paragraphs i-1 and i
		return line.start + Math.min(rel, line.end - line.start);
	}

	/** Code point offset -> PM position (see `utf16ToPos` for `side`). */
	codePointToPos(cp: number, side: 'start' | 'end' = 'start'): number {
		return this.utf16ToPos(this.offsets.toUtf16(cp), side);
	}

	/** PM position -> code point offset (a position inside a surrogate pair floors to the pair's start). */
	posToCodePoint(pos: number): number {
		return this.offsets.toCodePoint(this.posToUtf16(pos));
	}
}
