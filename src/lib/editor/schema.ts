/**
 * The smallest schema that can show an article: a doc of paragraphs of plain
 * text. No marks, no HTML parsing rules beyond <p>: the article reaches the
 * editor only as JSON text nodes (see `articleContent`), never as HTML.
 */
import { Node } from '@tiptap/core';

export const ArticleDocument = Node.create({
	name: 'doc',
	topNode: true,
	content: 'paragraph*'
});

export const ArticleParagraph = Node.create({
	name: 'paragraph',
	group: 'block',
	content: 'text*',
	parseHTML: () => [{ tag: 'p' }],
	// each paragraph its own direction (first strong character), as in the static article
	renderHTML: () => ['p', { dir: 'auto' }, 0]
});

export const ArticleText = Node.create({
	name: 'text',
	group: 'inline'
});
