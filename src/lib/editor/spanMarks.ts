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
import type { DocLayout } from '$lib/offsets';
import { assignLanes } from '$lib/spans';
import { labelColor } from '$lib/labels';
import type { Label, Span } from '$lib/types';

export interface SpanPaint {
	layout: DocLayout;
	/** in compareSpans order */
	spans: Span[];
	labels: Label[];
	selectedId: string | null;
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
 * One mark per span. `detail` adds data-label, which only the editor carries
 * (the static article is sent over the network and kept lean). The hover text
 * (`spanTitle`) is set when the pointer first reaches a span, not here: 2,000
 * titles would cost the editor's first render more than all the rest.
 */
export function spanMarks(paint: SpanPaint, opts: { detail: boolean }): SpanMark[] {
	const { layout, spans, labels, selectedId } = paint;
	const lanes = assignLanes(spans);
	const colors = new Map(labels.map((l) => [l.name, l.color]));
	const marks: SpanMark[] = [];
	for (let i = 0; i < spans.length; i++) {
		const span = spans[i];
		const from = layout.offsets.toUtf16(span.start);
		const to = layout.offsets.toUtf16(span.end);
		if (to <= from) continue;
		const attrs: Record<string, string> = {
			// lane classes n0…n3 (see ArticleView's styles)
			class: `span n${Math.min(lanes[i], MAX_VISIBLE_LANE)}${span.id === selectedId ? ' selected' : ''}`,
			style: `--c:${colors.get(span.label) ?? labelColor(labels, span.label)}`,
			'data-span-id': span.id
		};
		if (opts.detail) attrs['data-label'] = span.label;
		marks.push({ spanId: span.id, from, to, attrs });
	}
	return marks;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ESCAPES[c]);

function openTag(mark: SpanMark): string {
	let tag = '<span';
	for (const [name, value] of Object.entries(mark.attrs)) tag += ` ${name}="${escapeHtml(value)}"`;
	return tag + '>';
}

/**
 * The article as HTML: one <p dir="auto"> per line of `layout` (each
 * paragraph takes the direction of its first strong character, so Arabic
 * reads right to left beside French; an empty line is an empty <p>), the text escaped, each mark a <span> around its text. A mark
 * that crosses lines or overlaps another is cut into pieces at every
 * boundary, each piece wrapped in all the marks that cover it, nested as
 * the editor nests them (`removeOverlap` below), so both look the same to the
 * pixel (a browser test compares them).
 */
export function staticArticleHtml(layout: DocLayout, marks: readonly SpanMark[]): string {
	const sorted = marks.map((mark, order) => ({ mark, order })).sort((a, b) => a.mark.from - b.mark.from);
	const { text } = layout;
	let html = '';
	let next = 0; // first mark in `sorted` not yet active
	let active: typeof sorted = [];
	for (const line of layout.lines) {
		html += '<p dir="auto">';
		active = active.filter(({ mark }) => mark.to > line.start);
		while (next < sorted.length && sorted[next].mark.from < line.end) {
			if (sorted[next].mark.to > line.start) active.push(sorted[next]);
			next++;
		}
		// the marks as the editor sees them in this paragraph: clipped to it, in its order
		const pieces = removeOverlap(
			active
				.map(({ mark, order }) => ({ mark, order, from: Math.max(mark.from, line.start), to: Math.min(mark.to, line.end) }))
				.filter((p) => p.to > p.from)
				.sort((a, b) => byPos(a, b) || a.order - b.order)
		);
		const cuts = new Set([line.start, line.end]);
		for (const p of pieces) cuts.add(p.from).add(p.to);
		const bounds = [...cuts].sort((a, b) => a - b);
		// pieces are sorted by start and only nest, so the open ones cover the whole of each stretch between bounds
		let open: Piece[] = [];
		let k = 0;
		for (let i = 0; i + 1 < bounds.length; i++) {
			const from = bounds[i];
			open = open.filter((p) => p.to > from);
			for (; k < pieces.length && pieces[k].from <= from; k++) if (pieces[k].to > from) open.push(pieces[k]);
			// each wrapper goes around the ones before it: the last piece is the outermost
			for (let j = open.length - 1; j >= 0; j--) html += openTag(open[j].mark);
			html += escapeHtml(text.slice(from, bounds[i + 1]));
			html += '</span>'.repeat(open.length);
		}
		html += '</p>';
		// marks that end in this line are done; the rest carry into the next line
		active = active.filter(({ mark }) => mark.to > line.end);
	}
	return html;
}

interface Piece {
	mark: SpanMark;
	order: number;
	from: number;
	to: number;
}

const byPos = (a: Piece, b: Piece) => a.from - b.from || a.to - b.to;

/**
 * ProseMirror's `removeOverlap` (prosemirror-view, decoration.ts, MIT): marks
 * that partly overlap are cut until they only nest, and the order of the
 * pieces is the order in which the editor wraps them around the text. Ported
 * as is, since the nesting it produces is what the static article must match.
 */
function removeOverlap(spans: Piece[]): Piece[] {
	let working = spans;
	const copy = (p: Piece, from: number, to: number): Piece => ({ ...p, from, to });
	const insertAhead = (array: Piece[], i: number, piece: Piece) => {
		while (i < array.length && byPos(piece, array[i]) > 0) i++;
		array.splice(i, 0, piece);
	};
	for (let i = 0; i < working.length - 1; i++) {
		const span = working[i];
		if (span.from !== span.to) {
			for (let j = i + 1; j < working.length; j++) {
				const next = working[j];
				if (next.from === span.from) {
					if (next.to !== span.to) {
						if (working === spans) working = spans.slice();
						// followed by a partly overlapping larger span: cut that one
						working[j] = copy(next, next.from, span.to);
						insertAhead(working, j + 1, copy(next, span.to, next.to));
					}
					continue;
				}
				if (next.from < span.to) {
					if (working === spans) working = spans.slice();
					// the end of this one overlaps a later one: cut this one
					working[i] = copy(span, span.from, next.from);
					insertAhead(working, j, copy(span, next.from, span.to));
				}
				break;
			}
		}
	}
	return working;
}
