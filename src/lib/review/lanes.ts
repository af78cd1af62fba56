/**
 * The lane layout of the review view (and the evaluation error browser): the
 * text cut into paragraphs, and under each, one row per lane (annotator, gold,
 * a model run) of text segments split at that lane's span boundaries, so rows
 * drawn in the same font and width line up exactly. Pure.
 *
 * Offsets are code point offsets (see ../text/offsets.ts).
 */
import type { SpanInput } from '../model/types';
import { MinHeap, compareSpans, spanId } from '../model/spans';
import { OffsetMap, splitLines } from '../text/offsets';
import { normalizeGold, type LaneInput } from './review';

/** A lane's span, clipped to one paragraph, with what the view needs to draw it. */
export interface LaneSpan extends SpanInput {
	id: string;
}

/** A run of a paragraph's text covered by the same spans of one lane. */
export interface Segment {
	/** code point offsets in the document */
	start: number;
	end: number;
	text: string;
	/** ids of the lane's spans covering this run, longest first (the innermost last); past MAX_SEGMENT_SPANS, the outermost and the innermost ones */
	spans: string[];
}

export interface LaneRow {
	lane: string;
	segments: Segment[];
	/** spans of this lane that touch the paragraph, in compareSpans order */
	spans: LaneSpan[];
}

export interface ParagraphLayout {
	index: number;
	/** code point offsets of the paragraph (line terminator excluded) */
	start: number;
	end: number;
	text: string;
	/** one row per lane, in lane order; empty when no lane has a span here */
	rows: LaneRow[];
}

/**
 * Cut the text into paragraphs (lines, as the annotation view shows them) and,
 * for each paragraph where any lane has a span, give each lane a row of text
 * segments split at its span boundaries. Every row of a paragraph covers the
 * same text, so drawn in the same font and width the rows line up exactly.
 * Blank lines are left out. A span running over a line break shows in both
 * paragraphs (each part keeps the span's id).
 */
export function layoutLanes(text: string, lanes: LaneInput[]): ParagraphLayout[] {
	const map = new OffsetMap(text);
	const sweeps = lanes.map((lane) => new LaneSweep(normalizeGold(lane.spans).map((s) => ({ ...s, id: spanId(s) }) as LaneSpan)));
	const paragraphs: ParagraphLayout[] = [];
	splitLines(text).forEach((line, index) => {
		const lineText = text.slice(line.start, line.end);
		if (lineText.trim() === '') return;
		const start = map.toCodePoint(line.start);
		const end = map.toCodePoint(line.end);
		const here = sweeps.map((sweep) => sweep.paragraph(start, end));
		const rows: LaneRow[] = here.some((h) => h.whole > 0 || h.partial.length > 0)
			? lanes.map((lane, i) => {
					const segments = segmentsOf(text, map, start, end, here[i], sweeps[i]);
					return { lane: lane.name, spans: spansIn(here[i], segments, sweeps[i].spans), segments };
				})
			: [];
		paragraphs.push({ index, start, end, text: lineText, rows });
	});
	return paragraphs;
}

/**
 * What one lane has over one paragraph, as positions in the lane's spans: the
 * spans with a boundary inside it, and a summary of those covering all of it.
 */
interface LaneHere {
	/** spans starting or ending strictly inside the paragraph, ascending (compareSpans order) */
	partial: number[];
	/** how many spans cover the whole paragraph */
	whole: number;
	/** of those, the outermost (`outerFirst`) and the MAX_SEGMENT_SPANS innermost: all a segment can list */
	wholeShown: number[];
}

/**
 * One lane's spans, met paragraph by paragraph in text order. A span running
 * over many paragraphs is looked at where it starts and where it ends; in
 * between it is one of the covering spans, kept in heaps that give the
 * outermost and innermost ones. Spans are handled by position, and their
 * `outerFirst` order is ranked once, so the heaps compare numbers. Cost:
 * O((n + p·MAX_SEGMENT_SPANS) log n) for n spans and p paragraphs (a list of
 * every span touching every paragraph would be n·p: 20,000 nested spans over
 * 20,000 lines).
 */
class LaneSweep {
	private next = 0;
	private entered = 0;
	/** rank[i]: the place of spans[i] in outerFirst order */
	readonly rank: Int32Array;
	private readonly byEnd: MinHeap<number>;
	private readonly outermost: MinHeap<number>;
	private readonly innermost: MinHeap<number>;
	constructor(readonly spans: LaneSpan[]) {
		const rank = (this.rank = new Int32Array(spans.length));
		Array.from(spans.keys())
			.sort((a, b) => outerFirst(spans[a], spans[b]))
			.forEach((i, place) => (rank[i] = place));
		this.byEnd = new MinHeap<number>((a, b) => spans[a].end - spans[b].end);
		this.outermost = new MinHeap<number>((a, b) => rank[a] - rank[b]);
		this.innermost = new MinHeap<number>((a, b) => rank[b] - rank[a]);
	}

	private enter(i: number): void {
		this.byEnd.push(i);
		this.outermost.push(i);
		this.innermost.push(i);
		this.entered++;
	}

	paragraph(start: number, end: number): LaneHere {
		const { spans, byEnd } = this;
		// spans that started up to here (also in blank lines, which are skipped)
		for (; this.next < spans.length && spans[this.next].start <= start; this.next++) this.enter(this.next);
		while (byEnd.size && spans[byEnd.peek()!].end <= start) {
			byEnd.pop();
			this.entered--;
		}
		// those ending inside this paragraph are partial here, and done after it
		const partial: number[] = [];
		while (byEnd.size && spans[byEnd.peek()!].end < end) {
			partial.push(byEnd.pop()!);
			this.entered--;
		}
		const whole = this.entered;
		// covering spans: everything entered that has not ended by `end` (ended ones leave the heaps for good)
		const wholeShown: number[] = [];
		while (this.outermost.size && spans[this.outermost.peek()!].end < end) this.outermost.pop();
		if (this.outermost.size) wholeShown.push(this.outermost.peek()!);
		const inner: number[] = [];
		while (inner.length < MAX_SEGMENT_SPANS && this.innermost.size) {
			const i = this.innermost.pop()!;
			if (spans[i].end >= end) inner.push(i);
		}
		for (const i of inner) this.innermost.push(i);
		for (const i of inner) if (i !== wholeShown[0]) wholeShown.push(i);
		// spans starting inside this paragraph
		for (; this.next < spans.length && spans[this.next].start < end; this.next++) {
			partial.push(this.next);
			this.enter(this.next);
		}
		partial.sort((a, b) => a - b);
		return { partial, whole, wholeShown };
	}
}

/** The spans a row's segments name, in compareSpans order (all the spans touching the paragraph unless nesting is deep). */
function spansIn(here: LaneHere, segments: Segment[], spans: LaneSpan[]): LaneSpan[] {
	const named = new Set(segments.flatMap((s) => s.spans));
	return [...here.wholeShown, ...here.partial]
		.sort((a, b) => a - b)
		.map((i) => spans[i])
		.filter((s) => named.delete(s.id));
}

/** Covering spans listed per segment; deeper nesting keeps the outermost and the innermost ones (what the lanes draw). */
export const MAX_SEGMENT_SPANS = 8;

/** Longest first, then compareSpans: the order of `Segment.spans`. */
const outerFirst = (x: SpanInput, y: SpanInput) => y.end - y.start - (x.end - x.start) || compareSpans(x, y);

/**
 * The paragraph [start, end) cut at every boundary of its partial spans. A
 * sweep: spans enter heaps as the segments reach their start and leave when
 * they have ended, so a segment costs O(log n) plus its (at most
 * MAX_SEGMENT_SPANS) ids: O((n + k) log n) for n spans and k cuts.
 */
function segmentsOf(text: string, map: OffsetMap, start: number, end: number, here: LaneHere, lane: LaneSweep): Segment[] {
	const { partial } = here;
	const { spans, rank } = lane;
	const cuts = new Set<number>([start, end]);
	for (const i of partial) {
		const s = spans[i];
		if (s.start > start && s.start < end) cuts.add(s.start);
		if (s.end > start && s.end < end) cuts.add(s.end);
	}
	const points = [...cuts].sort((a, b) => a - b);
	const byEnd = new MinHeap<number>((a, b) => spans[a].end - spans[b].end);
	const outermost = new MinHeap<number>((a, b) => rank[a] - rank[b]);
	const innermost = new MinHeap<number>((a, b) => rank[b] - rank[a]);
	for (const i of here.wholeShown) {
		outermost.push(i);
		innermost.push(i);
	}
	let covering = here.whole;
	let k = 0;
	const out: Segment[] = [];
	for (let p = 0; p + 1 < points.length; p++) {
		const a = points[p];
		const b = points[p + 1];
		for (; k < partial.length && spans[partial[k]].start <= a; k++) {
			byEnd.push(partial[k]);
			outermost.push(partial[k]);
			innermost.push(partial[k]);
			covering++;
		}
		// every partial span ends at a cut, so one that has not ended by a covers all of [a, b)
		while (byEnd.size && spans[byEnd.peek()!].end <= a) {
			byEnd.pop();
			covering--;
		}
		const inner: number[] = [];
		const wanted = covering > MAX_SEGMENT_SPANS ? MAX_SEGMENT_SPANS - 1 : covering;
		while (inner.length < wanted) {
			const i = innermost.pop()!;
			if (spans[i].end > a) inner.push(i); // ended ones are dropped for good
		}
		for (const i of inner) innermost.push(i);
		const ids = inner.reverse().map((i) => spans[i].id);
		if (covering > MAX_SEGMENT_SPANS) {
			while (spans[outermost.peek()!].end <= a) outermost.pop();
			ids.unshift(spans[outermost.peek()!].id);
		}
		out.push({ start: a, end: b, text: text.slice(map.toUtf16(a), map.toUtf16(b)), spans: ids });
	}
	return out;
}
