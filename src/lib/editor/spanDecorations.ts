/**
 * Spans drawn as inline decorations. The decoration set is rebuilt in one pass
 * whenever the spans (or the selected span) change and handed to the plugin in
 * a transaction meta; the document itself never changes. What each span looks
 * like comes from `spanMarks`, shared with the static article.
 *
 * Each decoration is its own <span> (nodeName), so overlapping spans nest
 * instead of merging their attributes.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Node as PMNode } from '@tiptap/pm/model';
import { domSelectionInView } from './domSelection';
import { articleStretches, spanMarks, type SpanPaint } from './spanMarks';

export type { SpanPaint } from './spanMarks';

interface SpanDecorationsState {
	/** what the decorations were built from */
	paint: SpanPaint | null;
	decorations: DecorationSet;
}

export const spanDecorationsKey = new PluginKey<SpanDecorationsState>('spanDecorations');

/**
 * The pieces of `articleStretches`, one decoration each, in its order: the
 * spans arrive cut and nested already, so ProseMirror's own cutting has
 * nothing to do (its array splicing is quadratic on long, dense lines).
 * Cost: linear in the pieces (at most MAX_DRAWN_LANES + 2 per stretch).
 */
export function buildSpanDecorations(doc: PMNode, paint: SpanPaint): DecorationSet {
	const { layout } = paint;
	const decorations: Decoration[] = [];
	for (const line of articleStretches(layout, spanMarks(paint, { detail: true }))) {
		for (const stretch of line) {
			const from = layout.utf16ToPos(stretch.from, 'start');
			const to = layout.utf16ToPos(stretch.to, 'end');
			if (to <= from) continue;
			for (const mark of stretch.marks) decorations.push(Decoration.inline(from, to, { nodeName: 'span', ...mark.attrs }, { spanId: mark.spanId }));
		}
	}
	return DecorationSet.create(doc, decorations);
}

/** The plugin state that draws `paint` over `doc` (for a transaction that replaces both at once). */
export function spanDecorationsState(doc: PMNode, paint: SpanPaint): SpanDecorationsState {
	return { paint, decorations: buildSpanDecorations(doc, paint) };
}

/** Draws the spans; they arrive by transaction meta (`paintSpans`, or `spanDecorationsState` with the content). */
export const SpanDecorations = Extension.create({
	name: 'spanDecorations',
	addProseMirrorPlugins() {
		return [
			new Plugin<SpanDecorationsState>({
				key: spanDecorationsKey,
				state: {
					init: () => ({ paint: null, decorations: DecorationSet.empty }),
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
	return !!a && a.layout === b.layout && a.spans === b.spans && a.labels === b.labels && a.selectedId === b.selectedId && a.extra === b.extra;
}

/** Redraw all spans (nothing happens if they are drawn already). */
export function paintSpans(view: EditorView, paint: SpanPaint): void {
	if (samePaint(spanDecorationsKey.getState(view.state)?.paint, paint)) return;
	const next: SpanDecorationsState = { paint, decorations: buildSpanDecorations(view.state.doc, paint) };
	const tr = view.state.tr.setMeta(spanDecorationsKey, next);
	// ProseMirror writes its own selection back to the DOM after an update. Give
	// it the one the user has right now, so a redraw never moves a selection
	// the browser has not reported yet, nor brings back one the user left (a
	// click on a span after tagging would otherwise reselect the tagged text).
	const sel = domSelectionInView(view);
	if (sel) tr.setSelection(TextSelection.between(tr.doc.resolve(sel.anchor), tr.doc.resolve(sel.head)));
	else if (!tr.selection.empty) tr.setSelection(TextSelection.near(tr.selection.$from));
	view.dispatch(tr);
}
