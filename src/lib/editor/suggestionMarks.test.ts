import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { DocLayout } from '$lib/text/offsets';
import { materializeSpans } from '$lib/model/spans';
import { DEFAULT_LABELS } from '$lib/model/types';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { articleContent } from './articleContent';
import { buildSpanDecorations } from './spanDecorations';
import { spanMarks, staticArticleHtml } from './spanMarks';
import { suggestionMarks, suggestionTitle } from './suggestionMarks';
import type { Suggestion } from '$lib/annotate/suggestions';

const schema = getSchema([ArticleDocument, ArticleParagraph, ArticleText]);

describe('suggestionMarks', () => {
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
	const focusedKey = `${dimanche.start}:${dimanche.end}:date`;

	it('marks exactly the suggested text (code points → UTF-16, after emoji and a CRLF line), the focused one marked', () => {
		const marks = suggestionMarks(layout, [samedi, dimanche], DEFAULT_LABELS, focusedKey);
		expect(marks.map((m) => text.slice(m.from, m.to))).toEqual(['samedi 4 mai', 'dimanche 5 mai']);
		expect(marks.map((m) => m.attrs.class)).toEqual(['suggestion', 'suggestion focused']);
		expect(marks[0].attrs.style).toBe('--c:#2b8a3e'); // the date label's colour
		expect(marks[1].attrs['data-suggestion-key']).toBe(focusedKey);
		expect(marks[0].attrs.title).toBe('Suggested date = XXXX-05-04 (Dates)');
	});

	it('leaves out suggestions outside the text (a stale answer) instead of failing', () => {
		const beyond = { ...samedi, start: 40, end: 400 };
		const negative = { ...samedi, start: -3, end: 2 };
		expect(suggestionMarks(layout, [beyond, negative, samedi], DEFAULT_LABELS, null)).toHaveLength(1);
	});

	it('go with the spans into both renderers, cut and nested the same way: a suggestion over part of a span does not hide it', () => {
		// a claim over «4 mai\r\nLe 𠮷» crosses the line and half of each suggestion
		const spans = materializeSpans(text, [{ start: at('4 mai'), end: at('𠮷') + 1, label: 'claim' }]);
		const extra = suggestionMarks(layout, [samedi, dimanche], DEFAULT_LABELS, null);
		const paint = { layout, spans, labels: DEFAULT_LABELS, selectedId: null, extra };
		// the editor: every piece of the claim is still there, and the suggestion pieces tile their text
		const decorations = buildSpanDecorations(doc, paint).find();
		const textOf = (cls: string) =>
			decorations
				.filter((d) => ((d as unknown as { type: { attrs: Record<string, string> } }).type.attrs.class ?? '').startsWith(cls))
				.map((d) => doc.textBetween(d.from, d.to))
				.join('|');
		expect(textOf('span')).toBe('4 mai|Le 𠮷');
		expect(textOf('suggestion')).toBe('samedi |4 mai|dimanche 5 mai');
		// the static article: the same pieces, the longer claim around the suggestion where both cover the text
		const html = staticArticleHtml(layout, spanMarks(paint, { detail: false }));
		expect(html).toMatch(/>samedi <\/span><span class="span n0"[^>]*><span class="suggestion"[^>]*>4 mai<\/span><\/span><\/p>/);
		expect(html).toContain('>dimanche 5 mai</span>');
	});

	it('names a suggestion without a value by its label and source', () => {
		expect(suggestionTitle({ start: 0, end: 4, label: 'attribution', text: 'x', source: 'run~crf' })).toBe('Suggested attribution (Prediction run crf)');
	});
});
