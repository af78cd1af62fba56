import { Editor } from '@tiptap/core';
import type { DocLayout } from '$lib/offsets';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { SpanDecorations, type SpanPaint } from './spanDecorations';
import { articleContent } from './articleContent';

/** A read-only editor showing the article with its spans, mounted into `element`. */
export function createArticleEditor(element: HTMLElement, layout: DocLayout, initial: SpanPaint): Editor {
	return new Editor({
		element,
		editable: false,
		injectCSS: false,
		enableInputRules: false,
		enablePasteRules: false,
		enableCoreExtensions: { drop: false, paste: false, delete: false, tabindex: false },
		extensions: [ArticleDocument, ArticleParagraph, ArticleText, SpanDecorations.configure({ initial })],
		content: articleContent(layout),
		editorProps: {
			attributes: { class: 'article-text', 'aria-label': 'Article text', 'aria-readonly': 'true' }
		}
	});
}
