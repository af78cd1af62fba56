import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { DocLayout } from '$lib/offsets';
import { DEFAULT_LABELS } from '$lib/types';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { articleContent } from './articleContent';
import { buildSuggestionDecorations, suggestionTitle } from './suggestionDecorations';
import type { Suggestion } from '$lib/annotate/suggestions';

const schema = getSchema([ArticleDocument, ArticleParagraph, ArticleText]);

describe('buildSuggestionDecorations', () => {
	const text = 'Fête 👨‍👩‍👧‍👦 samedi 4 mai\r\nLe 𠮷 dimanche 5 mai.';
	const layout = new DocLayout(text);
	const doc = PMNode.fromJSON(schema, articleContent(layout));
	const at = (word: string) => Array.from(text.slice(0, text.indexOf(word))).length;
	const date = (phrase: string, value: string): Suggestion => ({
		start: at(phrase),
		end: at(phrase) + Array.from(phrase).length,
		label: 'date',
		text: phrase,
		attrs: { value, type: 'DATE' },
		source: 'dates'
	});
	const samedi = date('samedi 4 mai', 'XXXX-05-04');
	const dimanche = date('dimanche 5 mai', 'XXXX-05-05');

	it('decorates exactly the suggested text (code points, after emoji and a CRLF line), the focused one marked', () => {
		const set = buildSuggestionDecorations(doc, { layout, suggestions: [samedi, dimanche], labels: DEFAULT_LABELS, focusedKey: `${dimanche.start}:${dimanche.end}:date` });
		const found = set.find().map((d) => ({ text: doc.textBetween(d.from, d.to), attrs: (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs }));
		expect(found.map((f) => f.text)).toEqual(['samedi 4 mai', 'dimanche 5 mai']);
		expect(found.map((f) => f.attrs.class)).toEqual(['suggestion', 'suggestion focused']);
		expect(found[0].attrs.style).toBe('--c:#2b8a3e'); // the date label's colour
		expect(found[1].attrs['data-suggestion-key']).toBe(`${dimanche.start}:${dimanche.end}:date`);
		expect(found[0].attrs.title).toBe('Suggested date = XXXX-05-04 (Dates)');
	});

	it('leaves out suggestions outside the text (a stale answer) instead of failing', () => {
		const beyond = { ...samedi, start: 40, end: 400 };
		const negative = { ...samedi, start: -3, end: 2 };
		expect(buildSuggestionDecorations(doc, { layout, suggestions: [beyond, negative, samedi], labels: DEFAULT_LABELS, focusedKey: null }).find()).toHaveLength(1);
	});

	it('names a suggestion without a value by its label and source', () => {
		expect(suggestionTitle({ start: 0, end: 4, label: 'attribution', text: 'x', source: 'run~crf' })).toBe('Suggested attribution (Prediction run crf)');
	});
});
