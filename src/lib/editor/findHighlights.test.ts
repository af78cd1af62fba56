import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { DocLayout } from '$lib/text/offsets';
import { findMatches } from '$lib/text/match';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { articleContent } from './articleContent';
import { buildFindDecorations } from './findHighlights';

const schema = getSchema([ArticleDocument, ArticleParagraph, ArticleText]);

function decorated(text: string, query: string, current: number) {
	const layout = new DocLayout(text);
	const doc = PMNode.fromJSON(schema, articleContent(layout));
	const { matches } = findMatches(text, query);
	return buildFindDecorations(doc, layout, { matches, current })
		.find()
		.map((d) => ({ text: doc.textBetween(d.from, d.to), class: (d as unknown as { type: { attrs: { class: string } } }).type.attrs.class }));
}

describe('buildFindDecorations', () => {
	it('marks each hit over its own text, after emoji and across CRLF lines, the current one apart', () => {
		const text = 'Fête 👨‍👩‍👧‍👦 à Paris\r\nLa fete de 𠮷 FÊTE.';
		expect(decorated(text, 'fete', 1)).toEqual([
			{ text: 'Fête', class: 'find-hit' },
			{ text: 'fete', class: 'find-hit current' },
			{ text: 'FÊTE', class: 'find-hit' }
		]);
	});
	it('draws nothing without hits', () => {
		expect(decorated('Fête', 'maire', -1)).toEqual([]);
	});
});
