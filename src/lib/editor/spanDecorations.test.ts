import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { DocLayout } from '$lib/offsets';
import { materializeSpans } from '$lib/spans';
import { DEFAULT_LABELS } from '$lib/types';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { articleContent } from './articleContent';
import { buildSpanDecorations } from './spanDecorations';

const schema = getSchema([ArticleDocument, ArticleParagraph, ArticleText]);

function setup(text: string) {
	const layout = new DocLayout(text);
	const doc = PMNode.fromJSON(schema, articleContent(layout));
	return { layout, doc };
}

describe('articleContent', () => {
	it('makes one paragraph per line, empty lines included, and keeps markup as text', () => {
		const { doc, layout } = setup('<script>alert(1)</script>\r\n\r\n<img src=x onerror=alert(2)>');
		expect(doc.childCount).toBe(3);
		expect(doc.child(0).textContent).toBe('<script>alert(1)</script>');
		expect(doc.child(1).childCount).toBe(0);
		expect(doc.content.size).toBe(layout.docSize);
	});
});

describe('buildSpanDecorations', () => {
	it('decorates exactly the span text, across emoji and CRLF lines', () => {
		const text = 'Fête 👨‍👩‍👧‍👦 à Paris 🇫🇷\r\nLe 𠮷 de Lyon.';
		const { doc, layout } = setup(text);
		const cps = Array.from(text);
		const at = (word: string) => Array.from(text.slice(0, text.indexOf(word))).length;
		const spans = materializeSpans(text, [
			{ start: at('Paris'), end: at('Paris') + 5, label: 'claim' },
			{ start: at('Lyon'), end: at('Lyon') + 4, label: 'date' },
			{ start: at('Paris'), end: cps.length, label: 'framing' } // crosses the line break
		]);
		const set = buildSpanDecorations(doc, { layout, spans, labels: DEFAULT_LABELS, selectedId: spans[0].id });
		const found = set.find().map((d) => ({
			text: doc.textBetween(d.from, d.to, '\n'),
			id: (d.spec as { spanId: string }).spanId
		}));
		const byId = new Map(spans.map((s) => [s.id, s]));
		expect(found.map((f) => [byId.get(f.id)!.label, f.text]).sort()).toEqual([
			['claim', 'Paris'],
			['date', 'Lyon'],
			['framing', 'Paris 🇫🇷\nLe 𠮷 de Lyon.']
		]);
	});

	it('builds 2,000 decorations over 50,000 characters in one quick pass', () => {
		const text = ('The minister said the economy grew by 3 percent 😀 in 2023.\n').repeat(850).slice(0, 50_000);
		const { doc, layout } = setup(text);
		const spans = materializeSpans(
			text,
			Array.from({ length: 2000 }, (_, i) => ({ start: i * 24, end: i * 24 + 8 + (i % 3) * 10, label: DEFAULT_LABELS[i % 4].name }))
		);
		const paint = { layout, spans, labels: DEFAULT_LABELS, selectedId: null };
		buildSpanDecorations(doc, paint); // warm up the JIT
		const t0 = performance.now();
		const set = buildSpanDecorations(doc, paint);
		const ms = performance.now() - t0;
		expect(set.find().length).toBeGreaterThanOrEqual(2000);
		expect(ms).toBeLessThan(500); // typically 5-25 ms; generous for loaded CI machines
	});
});
