import { Editor } from '@tiptap/core';
import { Selection } from '@tiptap/pm/state';
import type { DocLayout } from '$lib/text/offsets';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { SpanDecorations, spanDecorationsKey, spanDecorationsState, type SpanPaint } from './spanDecorations';
import { articleContent } from './articleContent';
import { FindHighlights } from './findHighlights';

// What the page needs of the editor, in this module, which it loads on its own.
export { paintSpans } from './spanDecorations';
export { showFindHits } from './findHighlights';

/**
 * A read-only editor showing the article with its spans, mounted into `element`.
 *
 * The editor starts empty and receives the article and its spans in one
 * transaction: tiptap renders its initial document before the plugins are in
 * place, so an editor created with the article would lay out 50,000
 * characters once without the spans and then again with them.
 */
export function createArticleEditor(element: HTMLElement, layout: DocLayout, paint: SpanPaint): Editor {
	const editor = new Editor({
		element,
		editable: false,
		injectCSS: false,
		enableInputRules: false,
		enablePasteRules: false,
		enableCoreExtensions: { drop: false, paste: false, delete: false, tabindex: false },
		extensions: [ArticleDocument, ArticleParagraph, ArticleText, SpanDecorations, FindHighlights],
		content: { type: 'doc', content: [] },
		editorProps: {
			attributes: { class: 'article-text', 'aria-label': 'Article text', 'aria-readonly': 'true' }
		}
	});
	const { state } = editor;
	const article = state.schema.nodeFromJSON(articleContent(layout));
	const tr = state.tr.replaceWith(0, state.doc.content.size, article.content).setMeta('addToHistory', false);
	// the empty document's selection would map to one around the whole article
	tr.setSelection(Selection.atStart(tr.doc));
	editor.view.dispatch(tr.setMeta(spanDecorationsKey, spanDecorationsState(tr.doc, paint)));
	return editor;
}
