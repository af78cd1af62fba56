import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { DocLayout } from '$lib/text/offsets';
import { materializeSpans } from '$lib/model/spans';
import { DEFAULT_LABELS } from '$lib/model/types';
import { ArticleDocument, ArticleParagraph, ArticleText } from './schema';
import { articleContent } from './articleContent';
import { buildSpanDecorations } from './spanDecorations';
import { hostileSpanSets } from '../../../tests/helpers/hostileSpans';

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
		// a span arrives cut into pieces where others start or end (and per line): they tile its text
		const pieces = new Map<string, Array<{ from: number; to: number }>>();
		for (const d of set.find()) {
			const id = (d.spec as { spanId: string }).spanId;
			pieces.set(id, [...(pieces.get(id) ?? []), { from: d.from, to: d.to }]);
		}
		const found = [...pieces].map(([id, ps]) => {
			ps.sort((a, b) => a.from - b.from);
			for (let i = 1; i < ps.length; i++) {
				// adjacent, or the next starts the next paragraph (2 positions: close and open)
				const gap = doc.textBetween(ps[i - 1].to, ps[i].from, '\n');
				expect(gap).toBe(ps[i].from === ps[i - 1].to ? '' : '\n');
			}
			return { id, text: doc.textBetween(ps[0].from, ps[ps.length - 1].to, '\n') };
		});
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

	for (const set of hostileSpanSets()) {
		it(`builds the decorations of 20,000 spans (${set.name}) in linear size and under a second`, () => {
			const { doc, layout } = setup(set.text);
			const spans = materializeSpans(set.text, set.spans);
			const t0 = performance.now();
			const found = buildSpanDecorations(doc, { layout, spans, labels: DEFAULT_LABELS, selectedId: null }).find();
			const ms = performance.now() - t0;
			// at most MAX_DRAWN_LANES + 2 pieces over each stretch between span boundaries
			expect(found.length).toBeLessThanOrEqual(10 * (2 * spans.length + layout.lines.length));
			expect(ms).toBeLessThan(1000); // the limit; typically under 300 ms
		});
	}
});
