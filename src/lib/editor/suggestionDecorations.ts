/**
 * Suggestions drawn as inline decorations of their own plugin, beside the
 * spans' (`spanDecorations.ts`): each a <span class="suggestion"> with a
 * dashed outline in its label's colour (ArticleView's styles) and no fill, so
 * it never hides a span under or over it; the focused one is marked
 * `focused`. The set is rebuilt whenever the suggestions or the focus change
 * and handed over in a transaction meta; the document never changes.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { DocLayout } from '$lib/offsets';
import { labelColor } from '$lib/labels';
import { domSelectionInView } from './domSelection';
import type { Label } from '$lib/types';
import { sourceName, suggestionKey, type Suggestion } from '$lib/annotate/suggestions';

export interface SuggestionPaint {
	layout: DocLayout;
	/** the suggestions shown, code point offsets */
	suggestions: readonly Suggestion[];
	labels: Label[];
	focusedKey: string | null;
}

interface SuggestionDecorationsState {
	paint: SuggestionPaint | null;
	decorations: DecorationSet;
}

export const suggestionDecorationsKey = new PluginKey<SuggestionDecorationsState>('suggestionDecorations');

/** The hover text of a suggestion: what it is, where from, and its value. */
export function suggestionTitle(s: Suggestion): string {
	const value = s.attrs && typeof s.attrs.value === 'string' ? ` = ${s.attrs.value}` : '';
	return `Suggested ${s.label}${value} (${sourceName(s.source)})`;
}

/** One decoration per suggestion inside the text (those outside it, from a stale answer, are left out). Linear in the suggestions. */
export function buildSuggestionDecorations(doc: PMNode, paint: SuggestionPaint): DecorationSet {
	const { layout, labels, focusedKey } = paint;
	const decorations: Decoration[] = [];
	for (const s of paint.suggestions) {
		if (s.start < 0 || s.end > layout.offsets.length || s.end <= s.start) continue;
		const from = layout.codePointToPos(s.start, 'start');
		const to = layout.codePointToPos(s.end, 'end');
		if (to <= from) continue;
		const key = suggestionKey(s);
		decorations.push(
			Decoration.inline(
				from,
				to,
				{
					nodeName: 'span',
					class: `suggestion${key === focusedKey ? ' focused' : ''}`,
					style: `--c:${labelColor(labels, s.label)}`,
					'data-suggestion-key': key,
					'data-suggestion-label': s.label,
					'data-source': s.source,
					title: suggestionTitle(s)
				},
				{ suggestionKey: key }
			)
		);
	}
	return DecorationSet.create(doc, decorations);
}

export const SuggestionDecorations = Extension.create({
	name: 'suggestionDecorations',
	addProseMirrorPlugins() {
		return [
			new Plugin<SuggestionDecorationsState>({
				key: suggestionDecorationsKey,
				state: {
					init: () => ({ paint: null, decorations: DecorationSet.empty }),
					apply: (tr, value) =>
						tr.getMeta(suggestionDecorationsKey) ??
						(tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value)
				},
				props: {
					decorations: (state) => suggestionDecorationsKey.getState(state)?.decorations
				}
			})
		];
	}
});

function samePaint(a: SuggestionPaint | null | undefined, b: SuggestionPaint): boolean {
	return !!a && a.layout === b.layout && a.suggestions === b.suggestions && a.labels === b.labels && a.focusedKey === b.focusedKey;
}

/** Redraw the suggestions (nothing happens if they are drawn already). */
export function paintSuggestions(view: EditorView, paint: SuggestionPaint): void {
	if (samePaint(suggestionDecorationsKey.getState(view.state)?.paint, paint)) return;
	const next: SuggestionDecorationsState = { paint, decorations: buildSuggestionDecorations(view.state.doc, paint) };
	const tr = view.state.tr.setMeta(suggestionDecorationsKey, next);
	// as paintSpans: ProseMirror writes its selection back to the DOM after an update, so give it the user's own
	// (suggestions arriving in the middle of a drag must not move or bring back a selection)
	const sel = domSelectionInView(view);
	if (sel) tr.setSelection(TextSelection.between(tr.doc.resolve(sel.anchor), tr.doc.resolve(sel.head)));
	else if (!tr.selection.empty) tr.setSelection(TextSelection.near(tr.selection.$from));
	view.dispatch(tr);
}
