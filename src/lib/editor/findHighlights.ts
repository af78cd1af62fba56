/**
 * The find bar's hits (Ctrl+F) drawn over the article as inline decorations,
 * a <mark class="find-hit"> each (the current one also `current`), in a plugin
 * of their own: the document, the span decorations, the selection and the
 * undo history are untouched, and closing the bar takes them all away.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { DocLayout } from '$lib/text/offsets';
import type { TextMatch } from '$lib/text/match';

export interface FindHits {
	/** UTF-16 ranges of the text */
	matches: readonly TextMatch[];
	/** index of the current one, -1: none */
	current: number;
}

export const findHighlightsKey = new PluginKey<DecorationSet>('findHighlights');

/** One decoration per hit (a hit across a line break is cut at it, as the text is). Linear in the hits. */
export function buildFindDecorations(doc: PMNode, layout: DocLayout, hits: FindHits): DecorationSet {
	const decorations: Decoration[] = [];
	hits.matches.forEach((m, i) => {
		const from = layout.utf16ToPos(m.start, 'start');
		const to = layout.utf16ToPos(m.end, 'end');
		if (to <= from) return;
		const attrs = { nodeName: 'mark', class: i === hits.current ? 'find-hit current' : 'find-hit', 'data-find-hit': String(i) };
		decorations.push(Decoration.inline(from, to, attrs));
	});
	return DecorationSet.create(doc, decorations);
}

/** Draws the hits; they arrive by transaction meta (`showFindHits`). */
export const FindHighlights = Extension.create({
	name: 'findHighlights',
	addProseMirrorPlugins() {
		return [
			new Plugin<DecorationSet>({
				key: findHighlightsKey,
				state: {
					init: () => DecorationSet.empty,
					apply: (tr, value) => tr.getMeta(findHighlightsKey) ?? (tr.docChanged ? value.map(tr.mapping, tr.doc) : value)
				},
				props: {
					decorations: (state) => findHighlightsKey.getState(state)
				}
			})
		];
	}
});

/**
 * Shows `hits` (none: clears them). Only the plugin's state changes: the
 * transaction carries no selection, so the user's is left as it is.
 */
export function showFindHits(view: EditorView, layout: DocLayout, hits: FindHits | null): void {
	const decorations = hits && hits.matches.length ? buildFindDecorations(view.state.doc, layout, hits) : DecorationSet.empty;
	if (decorations === DecorationSet.empty && findHighlightsKey.getState(view.state) === DecorationSet.empty) return;
	view.dispatch(view.state.tr.setMeta(findHighlightsKey, decorations).setMeta('addToHistory', false));
}
