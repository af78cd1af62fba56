import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { DocLayout } from '$lib/offsets';
import { materializeSpans } from '$lib/spans';
import { DEFAULT_LABELS, type SpanInput } from '$lib/types';
import { spanMarks, staticArticleHtml } from './spanMarks';

function render(text: string, inputs: SpanInput[]) {
	const layout = new DocLayout(text);
	const spans = materializeSpans(text, inputs);
	const html = staticArticleHtml(layout, spanMarks({ layout, spans, labels: DEFAULT_LABELS, selectedId: null }, { detail: false }));
	const { document } = parseHTML(`<!doctype html><html><body><div id="root">${html}</div></body></html>`);
	const root = document.getElementById('root')!;
	/** the text under each span id, outermost pieces in document order, lines joined with \n */
	const textOf = (id: string) => {
		const parts: string[] = [];
		root.querySelectorAll('p').forEach((p: Element, line: number) => {
			for (const piece of p.querySelectorAll(`[data-span-id="${id}"]`)) {
				if (piece.parentElement?.closest(`[data-span-id="${id}"]`)) continue;
				parts.push(`${line}:${piece.textContent}`);
			}
		});
		// pieces on one line are adjacent text; pieces on different lines are joined by the line break
		const lines = new Map<number, string>();
		for (const part of parts) {
			const [n, ...rest] = part.split(':');
			lines.set(Number(n), (lines.get(Number(n)) ?? '') + rest.join(':'));
		}
		return [...lines.values()].join('\n');
	};
	return { html, root, spans, textOf };
}

const at = (text: string, word: string) => Array.from(text.slice(0, text.indexOf(word))).length;
const len = (s: string) => Array.from(s).length;

describe('staticArticleHtml', () => {
	it('renders one <p> per line with the text escaped, empty lines included', () => {
		const text = '<script>alert(1)</script> & "quotes"\r\n\r\n<img src=x onerror=alert(2)>';
		const { html, root } = render(text, []);
		expect(html).toBe(
			'<p dir="auto">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</p><p dir="auto"></p><p dir="auto">&lt;img src=x onerror=alert(2)&gt;</p>'
		);
		expect(root.querySelectorAll('script, img')).toHaveLength(0);
		expect([...root.querySelectorAll('p')].map((p: Element) => p.textContent)).toEqual(['<script>alert(1)</script> & "quotes"', '', '<img src=x onerror=alert(2)>']);
	});

	it('wraps exactly each span text, across emoji, CJK outside the BMP and CRLF lines', () => {
		const text = 'Fête 👨‍👩‍👧‍👦 à Paris 🇫🇷\r\nLe 𠮷 de Lyon.';
		const { spans, textOf } = render(text, [
			{ start: at(text, 'Paris'), end: at(text, 'Paris') + 5, label: 'claim' },
			{ start: at(text, '𠮷'), end: at(text, '𠮷') + 1, label: 'date' },
			{ start: at(text, 'Paris'), end: len(text), label: 'framing' } // crosses the line break
		]);
		expect(spans.map((s) => [s.label, textOf(s.id)])).toEqual([
			['claim', 'Paris'],
			['framing', 'Paris 🇫🇷\nLe 𠮷 de Lyon.'],
			['date', '𠮷']
		]);
	});

	it('nests overlapping spans as the editor does, with lane classes and label colours', () => {
		const text = 'the economy grew by three percent';
		const { html } = render(text, [
			{ start: 4, end: 16, label: 'claim' }, // economy grew
			{ start: 12, end: 33, label: 'framing' } // grew by three percent
		]);
		const claim = DEFAULT_LABELS.find((l) => l.name === 'claim')!.color;
		const framing = DEFAULT_LABELS.find((l) => l.name === 'framing')!.color;
		const id = (label: string) => html.match(new RegExp(`--c:${label === 'claim' ? claim : framing}" data-span-id="(s[0-9a-f]+)"`))![1];
		expect(html).toBe(
			`<p dir="auto">the <span class="span n0" style="--c:${claim}" data-span-id="${id('claim')}">economy </span>` +
				// as ProseMirror nests them: the span that starts later wraps the earlier one
				`<span class="span n1" style="--c:${framing}" data-span-id="${id('framing')}"><span class="span n0" style="--c:${claim}" data-span-id="${id('claim')}">grew</span></span>` +
				`<span class="span n1" style="--c:${framing}" data-span-id="${id('framing')}"> by three percent</span></p>`
		);
	});

	it('keeps every span of a long, dense article intact', () => {
		const text = 'Le ministre a dit que l’économie 📈 a crû de 3 % en 2023.\r\nLes critiques 𠮷 ne sont pas d’accord.\n\n'.repeat(40);
		const total = len(text);
		const inputs: SpanInput[] = Array.from({ length: 300 }, (_, i) => {
			const start = (i * 37) % (total - 60);
			return { start, end: start + 5 + ((i * 13) % 50), label: DEFAULT_LABELS[i % 4].name };
		});
		const { spans, textOf } = render(text, inputs);
		for (const span of spans) {
			// the pieces of a span, line by line; line breaks (or half of a CRLF) and blank lines inside a span leave no piece
			const expected = span.text.split(/\r\n|\r|\n/).filter((l) => l !== '').join('\n');
			expect(textOf(span.id)).toBe(expected);
		}
	});
});
