import type { JSONContent } from '@tiptap/core';
import type { DocLayout } from '$lib/text/offsets';

/**
 * The article as editor JSON: one paragraph per line of `layout` (an empty line
 * is an empty paragraph). Text goes in as text nodes, so markup in an article
 * (`<script>`, `<img onerror>`) is shown as characters and never parsed.
 */
export function articleContent(layout: DocLayout): JSONContent {
	return {
		type: 'doc',
		content: layout.lines.map((line) =>
			line.end > line.start
				? { type: 'paragraph', content: [{ type: 'text', text: layout.text.slice(line.start, line.end) }] }
				: { type: 'paragraph' }
		)
	};
}
