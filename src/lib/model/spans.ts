/**
 * Span helpers shared by client and server: selection snapping (UTF-16, in the
 * browser), ordering, stable ids, validation, materialisation, diffing and lane
 * layout (code point offsets, at the API/storage boundary). All pure.
 *
 * Offsets in `SpanInput`/`Span` are code point offsets (see ./offsets.ts);
 * `snapToWords` and `trimSelection` work on UTF-16 offsets of a JS string because
 * they run on browser selections before conversion.
 */
import type { DismissedSuggestion, Span, SpanInput } from './types';
import { OffsetMap, codePointLength } from '../text/offsets';
import { normalizeAttrs } from './attributes';
import { EMOJI as EMOJI_TOKEN, ROOT_LOCALE, WORD as WORD_TOKEN, tokenAt, tokenizeWords } from '../text/words';

// ---------------------------------------------------------------------------
// Selection snapping (UTF-16 offsets)
// ---------------------------------------------------------------------------

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
		i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));
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

function isHigh(c: number): boolean {
	return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
	return c >= 0xdc00 && c <= 0xdfff;
}

// ---------------------------------------------------------------------------
// Spans (code point offsets)
// ---------------------------------------------------------------------------

function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders spans by start, then end, then label (code unit order, locale independent). */
export function compareSpans(a: SpanInput, b: SpanInput): number {
	return a.start - b.start || a.end - b.end || compareStrings(a.label, b.label);
}

const utf8 = new TextEncoder();
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (x: number) => HEX_BYTES[x >>> 24] + HEX_BYTES[(x >>> 16) & 255] + HEX_BYTES[(x >>> 8) & 255] + HEX_BYTES[x & 255];

/**
 * Deterministic id from (start,end,label): 's' + 16 hex chars of FNV-1a 64-bit (BigInt ok) of `${start}:${end}:${label}`. Same input -> same id, on client and server.
 *
 * The hash runs over the UTF-8 bytes of the key (so Python can reproduce it:
 * offset basis 0xcbf29ce484222325, prime 0x100000001b3). Implemented on two
 * 32-bit halves instead of BigInt, and printed through a byte table, since
 * this runs for every span on every save and page (20,000 spans: ~5 ms, was
 * ~60 ms with toString(16) and a regex test of each key).
 */
export function spanId(s: SpanInput): string {
	return 's' + fnv1a64Hex(`${s.start}:${s.end}:${s.label}`);
}

/** 16 hex chars of FNV-1a 64-bit over the UTF-8 bytes of `key`: the hash behind span and relation ids (./relations.ts). */
export function fnv1a64Hex(key: string): string {
	let hi = 0xcbf29ce4;
	let lo = 0x84222325;
	// ASCII (the usual label) hashes its char codes, which are its UTF-8 bytes; anything else, its encoded bytes
	let bytes: Uint8Array | null = null;
	for (let i = 0; i < key.length; i++) {
		if (key.charCodeAt(i) > 0x7f) {
			bytes = utf8.encode(key);
			break;
		}
	}
	const length = bytes ? bytes.length : key.length;
	for (let i = 0; i < length; i++) {
		lo ^= bytes ? bytes[i] : key.charCodeAt(i);
		// h * 0x100000001b3 mod 2^64 = h * 0x1b3 + (h << 40)
		const loMul = (lo >>> 0) * 0x1b3; // < 2^41, exact
		const carry = Math.floor(loMul / 0x100000000);
		hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
		lo = loMul >>> 0;
	}
	return hex32(hi >>> 0) + hex32(lo >>> 0);
}

export type SpanProblem = { index: number; message: string };

/** Domain checks on already-shape-validated inputs: integers, 0 <= start < end <= codePointLength(text), label in `labels`. Messages must be clear, e.g. "span 3: end 120 is beyond the end of the text (length 118)", "span 0: unknown label \"foo\" (known: claim, attribution, framing, date)", "span 2: start must be less than end". */
export function validateSpans(text: string, spans: SpanInput[], labels: string[]): SpanProblem[] {
	const problems: SpanProblem[] = [];
	const length = codePointLength(text);
	const known = new Set(labels);
	const knownList = labels.length ? `known: ${labels.join(', ')}` : 'no labels are defined';
	spans.forEach((span, index) => {
		const report = (message: string) => problems.push({ index, message: `span ${index}: ${message}` });
		const { start, end, label } = span;
		const startOk = Number.isInteger(start);
		const endOk = Number.isInteger(end);
		if (!startOk) report(`start ${String(start)} is not an integer`);
		if (!endOk) report(`end ${String(end)} is not an integer`);
		if (startOk && start < 0) report(`start ${start} is negative`);
		if (startOk && start > length) {
			report(`start ${start} is beyond the end of the text (length ${length})`);
		}
		if (endOk && end > length) report(`end ${end} is beyond the end of the text (length ${length})`);
		if (endOk && end < 0) report(`end ${end} is negative`);
		if (startOk && endOk && start >= end) report('start must be less than end');
		if (typeof label !== 'string' || !known.has(label)) {
			report(`unknown label ${JSON.stringify(label) ?? String(label)} (${knownList})`);
		}
	});
	return problems;
}

/**
 * Add id and text (code point slice), sort with compareSpans, drop exact duplicates (same start/end/label).
 *
 * Expects spans that passed `validateSpans` (throws RangeError on out-of-range
 * offsets). Of duplicates the first in input order is kept. Output objects have
 * exactly id, start, end, label, text (and `attrs` if the input carried an
 * attrs object with anything set, normalised by `normalizeAttrs`); any stale
 * id/text on the input is recomputed. Duplicates whose attrs differ are refused
 * before this by `conflictingDuplicates` (./attributes.ts). `positions` (length
 * of `spans`), when given, is filled with each input span's index in the output
 * (a dropped duplicate: the index of the span kept for it).
 */
export function materializeSpans(text: string, spans: SpanInput[], positions?: Int32Array): Span[] {
	const map = new OffsetMap(text);
	// input indexes in output order (stable): `positions`, when asked for, maps each input span to its output span
	const order = Array.from({ length: spans.length }, (_, i) => i).sort((a, b) => compareSpans(spans[a], spans[b]) || a - b);
	const out: Span[] = [];
	let prev: SpanInput | undefined;
	for (const i of order) {
		const s = spans[i];
		if (prev && compareSpans(prev, s) === 0) {
			if (positions) positions[i] = out.length - 1; // a duplicate is the span kept before it
			continue;
		}
		prev = s;
		if (positions) positions[i] = out.length;
		const span: Span = {
			id: spanId(s),
			start: s.start,
			end: s.end,
			label: s.label,
			text: text.slice(map.toUtf16(s.start), map.toUtf16(s.end))
		};
		const given = (s as Partial<Span>).attrs;
		// stored form (./attributes.ts): prototype-free, keys sorted, unset values dropped; absent when nothing is set
		const attrs = given && typeof given === 'object' && !Array.isArray(given) ? normalizeAttrs(given) : undefined;
		if (attrs) span.attrs = attrs;
		// where an accepted suggestion came from (checked by the store: ./relations.ts spanSourceProblem)
		const source = (s as Partial<Span>).source;
		if (typeof source === 'string' && source !== '') span.source = source;
		out.push(span);
	}
	return out;
}

/**
 * Spans as a page ships them to the browser: (start, end, label index)
 * triples in one flat array, without the ids and texts that `materializeSpans`
 * rebuilds from the text. A 2,000-span article's load data shrinks from
 * ~170 KB to ~30 KB, which the browser parses before it can show anything.
 */
export interface PackedSpans {
	labels: string[];
	/** start, end, index into `labels`, repeated (code point offsets) */
	triples: number[];
	/** span attrs by position in the triples (only spans that have any) */
	attrs?: Record<number, Record<string, unknown>>;
	/** span sources by position in the triples (only spans that have one) */
	sources?: Record<number, string>;
}

export function packSpans(spans: readonly Span[]): PackedSpans {
	const labels: string[] = [];
	const labelIndex = new Map<string, number>();
	const triples: number[] = [];
	let attrs: PackedSpans['attrs'];
	let sources: PackedSpans['sources'];
	spans.forEach((s, i) => {
		let index = labelIndex.get(s.label);
		if (index === undefined) {
			index = labels.push(s.label) - 1;
			labelIndex.set(s.label, index);
		}
		triples.push(s.start, s.end, index);
		// a plain copy: page data is serialised by devalue, and stored values are prototype-free (names were checked on save)
		if (s.attrs) (attrs ??= {})[i] = { ...s.attrs };
		if (s.source) (sources ??= {})[i] = s.source;
	});
	return { labels, triples, ...(attrs ? { attrs } : {}), ...(sources ? { sources } : {}) };
}

/** The spans `packSpans` was given, rebuilt over the same text (ids, texts, order as `materializeSpans`). */
export function unpackSpans(text: string, packed: PackedSpans): Span[] {
	const { labels, triples, attrs, sources } = packed;
	const inputs: Array<SpanInput & { attrs?: Record<string, unknown>; source?: string }> = [];
	for (let i = 0; i + 2 < triples.length; i += 3) {
		const input: SpanInput & { attrs?: Record<string, unknown>; source?: string } = { start: triples[i], end: triples[i + 1], label: labels[triples[i + 2]] };
		const a = attrs?.[i / 3];
		if (a) input.attrs = a;
		const source = sources?.[i / 3];
		if (source) input.source = source;
		inputs.push(input);
	}
	return materializeSpans(text, inputs);
}

/**
 * Counts of what changed from `before` to `after`: spans with same start/end but a different label count as relabelled (not added+removed).
 *
 * Spans are compared as sets of (start, end, label) (duplicates ignored). At a
 * given (start, end), spans present in both with the same label are unchanged;
 * the rest pair up as relabelled as far as possible, the remainder counting as
 * removed (before) or added (after).
 */
export function diffSpans(
	before: SpanInput[],
	after: SpanInput[]
): { added: number; removed: number; relabelled: number } {
	const group = (spans: SpanInput[]) => {
		const byRange = new Map<string, Set<string>>();
		for (const s of spans) {
			const key = `${s.start}:${s.end}`;
			let labels = byRange.get(key);
			if (!labels) byRange.set(key, (labels = new Set()));
			labels.add(s.label);
		}
		return byRange;
	};
	const a = group(before);
	const b = group(after);
	let added = 0;
	let removed = 0;
	let relabelled = 0;
	for (const [key, labelsA] of a) {
		const labelsB = b.get(key);
		let onlyA = 0;
		let onlyB = 0;
		for (const l of labelsA) if (!labelsB?.has(l)) onlyA++;
		if (labelsB) for (const l of labelsB) if (!labelsA.has(l)) onlyB++;
		const paired = Math.min(onlyA, onlyB);
		relabelled += paired;
		removed += onlyA - paired;
		added += onlyB - paired;
	}
	for (const [key, labelsB] of b) if (!a.has(key)) added += labelsB.size;
	return { added, removed, relabelled };
}

/**
 * Assign each span a lane (0,1,2,...) so overlapping spans get different lanes (greedy interval colouring, spans in compareSpans order, longer spans first when starts tie). Returns lanes in the input's order.
 *
 * Each span takes the lowest lane that is free at its start (ends are
 * exclusive, so [0,5) and [5,9) can share a lane). Processing order is start
 * ascending, end descending, label ascending; O(n log n) with two heaps.
 */
export function assignLanes(spans: SpanInput[]): number[] {
	const order = spans.map((_, i) => i);
	order.sort((i, j) => {
		const a = spans[i];
		const b = spans[j];
		return a.start - b.start || b.end - a.end || compareStrings(a.label, b.label) || i - j;
	});
	const lanes = new Array<number>(spans.length);
	// Lanes in use, keyed by the end of the span occupying them.
	const busy = new MinHeap<[end: number, lane: number]>((x, y) => x[0] - y[0] || x[1] - y[1]);
	const free = new MinHeap<number>((x, y) => x - y);
	let laneCount = 0;
	for (const i of order) {
		const s = spans[i];
		while (busy.size && busy.peek()![0] <= s.start) free.push(busy.pop()![1]);
		const lane = free.size ? free.pop()! : laneCount++;
		lanes[i] = lane;
		busy.push([s.end, lane]);
	}
	return lanes;
}

export class MinHeap<T> {
	private readonly items: T[] = [];
	constructor(private readonly cmp: (a: T, b: T) => number) {}
	get size(): number {
		return this.items.length;
	}
	peek(): T | undefined {
		return this.items[0];
	}
	push(item: T): void {
		const a = this.items;
		// sift up by moving parents down into the hole (no swaps, nothing allocated)
		let i = a.length;
		a.push(item);
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (this.cmp(item, a[p]) >= 0) break;
			a[i] = a[p];
			i = p;
		}
		a[i] = item;
	}
	pop(): T | undefined {
		const a = this.items;
		if (!a.length) return undefined;
		const top = a[0];
		const last = a.pop()!;
		const n = a.length;
		if (n) {
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				if (l >= n) break;
				const r = l + 1;
				const m = r < n && this.cmp(a[r], a[l]) < 0 ? r : l;
				if (this.cmp(a[m], last) >= 0) break;
				a[i] = a[m];
				i = m;
			}
			a[i] = last;
		}
		return top;
	}
}

// ---------------------------------------------------------------------------
// Dismissed suggestions (code point offsets)
// ---------------------------------------------------------------------------

/** Orders dismissed suggestions by start, end, label, source (code units). */
export function compareDismissed(a: DismissedSuggestion, b: DismissedSuggestion): number {
	return compareSpans(a, b) || compareStrings(a.source, b.source);
}

/**
 * The stored form of a list of dismissed suggestions (already validated as spans,
 * see `validateSpans`, with a source each): exactly start, end, label, source;
 * sorted with `compareDismissed`; the same one twice kept once.
 */
export function normalizeDismissed(items: readonly DismissedSuggestion[]): DismissedSuggestion[] {
	const sorted = items.map((d) => ({ start: d.start, end: d.end, label: d.label, source: d.source })).sort(compareDismissed);
	return sorted.filter((d, i) => i === 0 || compareDismissed(sorted[i - 1], d) !== 0);
}

/** Equal lists in stored form. */
export function sameDismissed(a: readonly DismissedSuggestion[], b: readonly DismissedSuggestion[]): boolean {
	return a.length === b.length && a.every((d, i) => compareDismissed(d, b[i]) === 0);
}
