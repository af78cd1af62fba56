/**
 * Spans drawn as inline decorations. The decoration set is rebuilt in one pass
 * whenever the spans (or the selected span) change and handed to the plugin in
 * a transaction meta; the document itself never changes.
 *
 * Each decoration is its own <span> (nodeName), so overlapping spans nest
 * instead of merging their attributes, and each piece carries data-span-id.
 * Lanes from `assignLanes` decide how far below the text a span's underline
 * sits, so nested spans stay distinguishable.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { DocLayout } from '$lib/offsets';
import { assignLanes } from '$lib/spans';
import { labelColor } from '$lib/labels';
import type { Label, Span } from '$lib/types';
import { domSelectionInView } from './domSelection';

export interface SpanPaint {
	layout: DocLayout;
	/** in compareSpans order */
	spans: Span[];
	labels: Label[];
	selectedId: string | null;
}

/** Underlines deeper than this share the last lane; the tint still shows the nesting. */
const MAX_VISIBLE_LANE = 3;
const TITLE_TEXT_MAX = 120;

interface SpanDecorationsState {
	/** what the decorations were built from */
	paint: SpanPaint | null;
	decorations: DecorationSet;
}

const spanDecorationsKey = new PluginKey<SpanDecorationsState>('spanDecorations');

export function buildSpanDecorations(doc: PMNode, paint: SpanPaint): DecorationSet {
	const { layout, spans, labels, selectedId } = paint;
	const lanes = assignLanes(spans);
	const colors = new Map(labels.map((l) => [l.name, l.color]));
	const decorations: Decoration[] = [];
	for (let i = 0; i < spans.length; i++) {
		const span = spans[i];
		const from = layout.codePointToPos(span.start, 'start');
		const to = layout.codePointToPos(span.end, 'end');
		if (to <= from) continue;
		const lane = lanes[i];
		const text = span.text.length > TITLE_TEXT_MAX ? span.text.slice(0, TITLE_TEXT_MAX) + '…' : span.text;
		decorations.push(
			Decoration.inline(
				from,
				to,
				{
					nodeName: 'span',
					class: span.id === selectedId ? 'span selected' : 'span',
					style: `--c:${colors.get(span.label) ?? labelColor(labels, span.label)};--lane:${Math.min(lane, MAX_VISIBLE_LANE)}`,
					title: `${span.label}: ${text}`,
					'data-span-id': span.id,
					'data-label': span.label,
					'data-lane': String(lane)
				},
				{ spanId: span.id }
			)
		);
	}
	return DecorationSet.create(doc, decorations);
}

export interface SpanDecorationsOptions {
	/** spans to draw from the start, so the article is rendered once, with them */
	initial: SpanPaint | null;
}

export const SpanDecorations = Extension.create<SpanDecorationsOptions>({
	name: 'spanDecorations',
	addOptions: () => ({ initial: null }),
	addProseMirrorPlugins() {
		const { initial } = this.options;
		return [
			new Plugin<SpanDecorationsState>({
				key: spanDecorationsKey,
				state: {
					init: (_, state) => ({
						paint: initial,
						decorations: initial ? buildSpanDecorations(state.doc, initial) : DecorationSet.empty
					}),
					apply: (tr, value) =>
						tr.getMeta(spanDecorationsKey) ??
						(tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value)
				},
				props: {
					decorations: (state) => spanDecorationsKey.getState(state)?.decorations
				}
			})
		];
	}
});

function samePaint(a: SpanPaint | null | undefined, b: SpanPaint): boolean {
	return !!a && a.layout === b.layout && a.spans === b.spans && a.labels === b.labels && a.selectedId === b.selectedId;
}

/** Redraw all spans (nothing happens if they are drawn already). */
export function paintSpans(view: EditorView, paint: SpanPaint): void {
	if (samePaint(spanDecorationsKey.getState(view.state)?.paint, paint)) return;
	const next: SpanDecorationsState = { paint, decorations: buildSpanDecorations(view.state.doc, paint) };
	const tr = view.state.tr.setMeta(spanDecorationsKey, next);
	// ProseMirror writes its own selection back to the DOM after an update. Give
	// it the one the user has right now, so a redraw never moves a selection
	// the browser has not reported yet.
	const sel = domSelectionInView(view);
	if (sel) tr.setSelection(TextSelection.between(tr.doc.resolve(sel.anchor), tr.doc.resolve(sel.head)));
	view.dispatch(tr);
}
