import { Editor } from '@tiptap/core';
import type { DocLayout } from '$lib/offsets';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { SpanDecorations } from './spanDecorations';
import { articleContent } from './articleContent';

/** A read-only editor showing the article, mounted into `element`. */
export function createArticleEditor(element: HTMLElement, layout: DocLayout): Editor {
	return new Editor({
		element,
		editable: false,
		injectCSS: false,
		enableInputRules: false,
		enablePasteRules: false,
		enableCoreExtensions: { drop: false, paste: false, delete: false, tabindex: false },
		extensions: [ArticleDocument, ArticleParagraph, ArticleText, SpanDecorations],
		content: articleContent(layout),
		editorProps: {
			attributes: { class: 'article-text', 'aria-label': 'Article text', 'aria-readonly': 'true' }
		}
	});
}
