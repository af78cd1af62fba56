/**
 * How spans are drawn over the article, in one place for both renderers:
 *  - the editor's inline decorations (`spanDecorations.ts`), and
 *  - the static article the server renders into the page (`staticArticleHtml`),
 *    which the browser paints before any script has run and which the editor
 *    replaces, pixel for pixel, once it has mounted.
 *
 * Each span is a <span class="span"> carrying data-span-id; overlapping spans
 * nest. Lanes from `assignLanes` decide how far below the text a span's
 * underline sits, so nested spans stay distinguishable.
 */
import type { DocLayout } from '$lib/text/offsets';
import { MinHeap, assignLanes } from '$lib/model/spans';
import { labelColor } from '$lib/model/labels';
import { isUnreviewed } from '$lib/suggest/settings';
import type { Label, Span } from '$lib/model/types';

export interface SpanPaint {
	layout: DocLayout;
	/** in compareSpans order */
	spans: Span[];
	labels: Label[];
	selectedId: string | null;
	/** marks drawn with the spans, after them (the suggestions' outlines, ./suggestionMarks.ts); absent: none */
	extra?: readonly SpanMark[];
}

export interface SpanMark {
	spanId: string;
	/** UTF-16 offsets into the text, end exclusive */
	from: number;
	to: number;
	attrs: Record<string, string>;
}

/** Underlines deeper than this share the last lane; the tint still shows the nesting. */
const MAX_VISIBLE_LANE = 3;
const TITLE_TEXT_MAX = 120;

/** The hover text of a span: its label and (the start of) its text. */
export function spanTitle(span: Span): string {
	const text = span.text.length > TITLE_TEXT_MAX ? span.text.slice(0, TITLE_TEXT_MAX) + '…' : span.text;
	return `${span.label}: ${text}`;
}

/**
 * Spans drawn one above the other at most this deep (lanes 0…7, from
 * `assignLanes`); the spans of deeper lanes are drawn together as one grey
 * "more" mark over the text they cover (the span list still lists each of
 * them). This keeps the article's size, and the editor's work, linear in
 * the spans: 20,000 spans nested over one sentence would otherwise wrap each
 * character in 20,000 elements. Normal articles nest far less and are drawn
 * exactly as before.
 */
export const MAX_DRAWN_LANES = 8;
const MORE_COLOR = '#8a8f98';

/**
 * One mark per span, for the spans in lanes below MAX_DRAWN_LANES and the
 * selected span; the rest merged into "more" marks (`spanId` ''), one per
 * stretch of text they cover. No point of the text is under more than
 * MAX_DRAWN_LANES + 2 marks. `detail` adds data-label, which only the editor
 * carries (the static article is sent over the network and kept lean). The
 * hover text (`spanTitle`) is set when the pointer first reaches a span, not
 * here: 2,000 titles would cost the editor's first render more than all the
 * rest. Cost: O(n log n) for n spans (lanes, and sorting the hidden ones).
 */
export function spanMarks(paint: SpanPaint, opts: { detail: boolean }): SpanMark[] {
	const { layout, spans, labels, selectedId } = paint;
	const lanes = assignLanes(spans);
	const colors = new Map(labels.map((l) => [l.name, l.color]));
	const marks: SpanMark[] = [];
	const hidden: Array<{ from: number; to: number }> = [];
	for (let i = 0; i < spans.length; i++) {
		const span = spans[i];
		const from = layout.offsets.toUtf16(span.start);
		const to = layout.offsets.toUtf16(span.end);
		if (to <= from) continue;
		if (lanes[i] >= MAX_DRAWN_LANES && span.id !== selectedId) {
			hidden.push({ from, to });
			continue;
		}
		const attrs: Record<string, string> = {
			// lane classes n0…n3 (see ArticleView's styles)
			// `unreviewed`: put in the set by correction mode, not yet accepted or edited by the annotator (ArticleView's styles)
			class: `span n${Math.min(lanes[i], MAX_VISIBLE_LANE)}${span.id === selectedId ? ' selected' : ''}${isUnreviewed(span) ? ' unreviewed' : ''}`,
			style: `--c:${colors.get(span.label) ?? labelColor(labels, span.label)}`,
			'data-span-id': span.id
		};
		if (opts.detail) attrs['data-label'] = span.label;
		marks.push({ spanId: span.id, from, to, attrs });
	}
	// spans are in start order, so `hidden` is too: merge overlapping (not merely touching) ones
	let count = 0;
	let run: { from: number; to: number } | null = null;
	const flush = () => {
		if (!run) return;
		const title = `${count} more span${count === 1 ? '' : 's'} nested here: see the span list`;
		marks.push({ spanId: '', from: run.from, to: run.to, attrs: { class: `span n${MAX_VISIBLE_LANE} more`, style: `--c:${MORE_COLOR}`, title } });
	};
	for (const h of hidden) {
		if (run && h.from < run.to) {
			run.to = Math.max(run.to, h.to);
			count++;
			continue;
		}
		flush();
		run = { ...h };
		count = 1;
	}
	flush();
	if (paint.extra) marks.push(...paint.extra);
	return marks;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ESCAPES[c]);

function openTag(mark: SpanMark): string {
	let tag = '<span';
	for (const [name, value] of Object.entries(mark.attrs)) tag += ` ${name}="${escapeHtml(value)}"`;
	return tag + '>';
}

/** A stretch of one line (UTF-16 [from, to)) and the marks over it, innermost first. */
export interface Stretch {
	from: number;
	to: number;
	marks: SpanMark[];
}

/**
 * The marks of each line of `layout`, as the editor nests them: each line cut
 * into stretches at every mark boundary inside it, each stretch with the marks
 * that cover it in the order ProseMirror wraps them (`nest` below); text under
 * no mark is in no stretch. The editor is handed exactly these pieces (so it
 * has no cutting of its own left to do) and the static article prints them,
 * so both look the same to the pixel (a browser test compares them).
 * Cost: O(m log m + m·d) for m pieces and at most d marks over any point
 * (d <= MAX_DRAWN_LANES + 2 with `spanMarks`), plus O(lines).
 */
export function articleStretches(layout: DocLayout, marks: readonly SpanMark[]): Stretch[][] {
	const sorted = marks.map((mark, order) => ({ mark, order })).sort((a, b) => a.mark.from - b.mark.from || a.order - b.order);
	const out: Stretch[][] = [];
	let next = 0; // first mark in `sorted` not yet active
	let active: typeof sorted = [];
	for (const line of layout.lines) {
		active = active.filter(({ mark }) => mark.to > line.start);
		while (next < sorted.length && sorted[next].mark.from < line.end) {
			if (sorted[next].mark.to > line.start) active.push(sorted[next]);
			next++;
		}
		// the marks as the editor sees them in this paragraph: clipped to it, in its order
		const pieces = active
			.map(({ mark, order }) => ({ mark, order, from: Math.max(mark.from, line.start), to: Math.min(mark.to, line.end) }))
			.filter((p) => p.to > p.from)
			.sort((a, b) => a.from - b.from || a.to - b.to || a.order - b.order);
		out.push(nest(pieces).map((g) => ({ from: g.from, to: g.to, marks: g.pieces.map((p) => p.mark) })));
		// marks that end in this line are done; the rest carry into the next line
		active = active.filter(({ mark }) => mark.to > line.end);
	}
	return out;
}

/**
 * The article as HTML: one <p dir="auto"> per line of `layout` (each
 * paragraph takes the direction of its first strong character, so Arabic
 * reads right to left beside French; an empty line is an empty <p>), the text escaped, each stretch of `articleStretches` wrapped in
 * its marks, the last one outermost. Cost: linear in the stretches' marks.
 */
export function staticArticleHtml(layout: DocLayout, marks: readonly SpanMark[]): string {
	const { text } = layout;
	const stretches = articleStretches(layout, marks);
	let html = '';
	layout.lines.forEach((line, i) => {
		html += '<p dir="auto">';
		let at = line.start;
		for (const s of stretches[i]) {
			if (s.from > at) html += escapeHtml(text.slice(at, s.from));
			for (let j = s.marks.length - 1; j >= 0; j--) html += openTag(s.marks[j]);
			html += escapeHtml(text.slice(s.from, s.to));
			html += '</span>'.repeat(s.marks.length);
			at = s.to;
		}
		if (line.end > at) html += escapeHtml(text.slice(at, line.end));
		html += '</p>';
	});
	return html;
}

interface Piece {
	mark: SpanMark;
	order: number;
	from: number;
	to: number;
}

/**
 * ProseMirror's `removeOverlap` (prosemirror-view, decoration.ts, MIT): marks
 * that partly overlap are cut until they only nest, and the order of the
 * pieces is the order in which the editor wraps them around the text. Its
 * result is the same as the original's, which walks one sorted array and
 * splices the cut-off rests back into it (quadratic on long dense lines); here
 * the pieces are kept in groups by start, a heap gives the next start, and a
 * rest goes into its group where `insertAhead` would put it: before the first
 * piece of that start that ends at or after it. The groups come out in start
 * order, all pieces of a group ending at the same point (a stretch).
 * Cost: O(m log m + m·d) for m pieces, d the largest group.
 * Expects `pieces` sorted by from, to, then order.
 */
function nest(pieces: Piece[]): Array<{ from: number; to: number; pieces: Piece[] }> {
	const groups = new Map<number, Piece[]>();
	const starts = new MinHeap<number>((a, b) => a - b);
	const groupAt = (from: number) => {
		let group = groups.get(from);
		if (!group) {
			groups.set(from, (group = []));
			starts.push(from);
		}
		return group;
	};
	const insertAhead = (piece: Piece) => {
		const group = groupAt(piece.from);
		let i = 0;
		while (i < group.length && group[i].to < piece.to) i++;
		group.splice(i, 0, piece);
	};
	for (const p of pieces) groupAt(p.from).push(p);
	const out: Array<{ from: number; to: number; pieces: Piece[] }> = [];
	while (starts.size) {
		const from = starts.pop()!;
		const group = groups.get(from)!;
		groups.delete(from);
		// followed by partly overlapping larger pieces of the same start: cut those at the first one's end
		const end = group[0].to;
		for (let j = 1; j < group.length; j++) {
			const piece = group[j];
			if (piece.to === end) continue;
			group[j] = { ...piece, to: end };
			insertAhead({ ...piece, from: end });
		}
		// the end of these overlaps a later piece: cut them all at its start
		const nextStart = starts.size ? starts.peek()! : Infinity;
		if (nextStart < end) {
			for (let i = 0; i < group.length; i++) {
				const piece = group[i];
				group[i] = { ...piece, to: nextStart };
				insertAhead({ ...piece, from: nextStart });
			}
		}
		out.push({ from, to: Math.min(end, nextStart), pieces: group });
	}
	return out;
}
