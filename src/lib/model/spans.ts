/**
 * Span rules shared by client and server, on code point offsets (the
 * API/storage boundary): ordering, stable ids, validation, materialisation,
 * packing, diffing and lane layout. All pure.
 *
 * Offsets in `SpanInput`/`Span` are code point offsets (see ../text/offsets.ts);
 * selection snapping on a browser selection's UTF-16 offsets is
 * ../annotate/selection.ts.
 */
import type { DismissedSuggestion, Span, SpanInput } from './types';
import { OffsetMap, codePointLength } from '../text/offsets';
import { normalizeAttrs } from './attributes';

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
 * The spans as page data sends them: packed, as JSON text (one string: the page data's serialiser, devalue,
 * takes ~10 µs an array element on the server's event loop, and next to nothing for one string).
 */
export const packSpansJson = (spans: readonly Span[]): string => JSON.stringify(packSpans(spans));
/** what `packSpansJson` was given, rebuilt over the same text */
export const unpackSpansJson = (text: string, json: string): Span[] => unpackSpans(text, JSON.parse(json) as PackedSpans);
/** how many spans `packSpansJson` packed, without rebuilding them */
export const packedSpanCount = (json: string): number => (JSON.parse(json) as PackedSpans).triples.length / 3;

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
