import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { DocLayout } from '$lib/text/offsets';
import { materializeSpans } from '$lib/model/spans';
import { DEFAULT_LABELS, type SpanInput } from '$lib/model/types';
import { MAX_DRAWN_LANES, articleStretches, spanMarks, staticArticleHtml, type SpanMark } from './spanMarks';
import { hostileSpanSets } from '../../../tests/helpers/hostileSpans';

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

/** A small seeded PRNG (mulberry32), so a failing case can be rerun. */
function random(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('staticArticleHtml nests exactly as the straight port of removeOverlap did', () => {
	it('matches it byte for byte on 400 random dense articles (ties, identical marks, marks across lines)', () => {
		for (let seed = 1; seed <= 400; seed++) {
			const rnd = random(seed);
			const pick = (n: number) => Math.floor(rnd() * n);
			const parts = Array.from({ length: 1 + pick(4) }, () => 'abcdefghij klmnop'.slice(0, 3 + pick(14)));
			const text = parts.join(['\n', '\r\n', '\n\n'][pick(3)]);
			const layout = new DocLayout(text);
			const marks: SpanMark[] = Array.from({ length: 1 + pick(14) }, (_, i) => {
				const from = pick(text.length);
				// few distinct ends, so starts and ends often coincide
				const to = Math.min(text.length, from + 1 + pick(rnd() < 0.5 ? 3 : text.length));
				return { spanId: `m${i}`, from, to, attrs: { class: 'span', 'data-span-id': `m${i}` } };
			});
			expect(staticArticleHtml(layout, marks), `seed ${seed}`).toBe(referenceHtml(layout, marks));
		}
	});

	it('puts a later rest before an earlier one of the same extent (as insertAhead does)', () => {
		// E [0,10) F [2,8) G [3,5) on "0123456789": over 5..8, F's rest is inserted after E's, so it comes first
		const layout = new DocLayout('0123456789');
		const mark = (id: string, from: number, to: number): SpanMark => ({ spanId: id, from, to, attrs: { 'data-span-id': id } });
		const lines = articleStretches(layout, [mark('E', 0, 10), mark('F', 2, 8), mark('G', 3, 5)]);
		expect(lines[0].map((s) => [s.from, s.to, s.marks.map((m) => m.spanId).join('')])).toEqual([
			[0, 2, 'E'],
			[2, 3, 'FE'],
			[3, 5, 'GEF'],
			[5, 8, 'FE'],
			[8, 10, 'E']
		]);
	});
});

describe('spanMarks draws deep nesting as one "more" mark', () => {
	it('draws the first lanes one by one and merges the deeper ones, keeping the selected one', () => {
		const text = 'a'.repeat(40);
		const layout = new DocLayout(text);
		// 20 spans nested like onion layers: lanes 0…19
		const spans = materializeSpans(text, Array.from({ length: 20 }, (_, i) => ({ start: i, end: 40 - i, label: 'claim' })));
		const selected = spans[15];
		const marks = spanMarks({ layout, spans, labels: DEFAULT_LABELS, selectedId: selected.id }, { detail: false });
		const drawn = marks.filter((m) => m.spanId !== '').map((m) => m.spanId);
		expect(drawn).toEqual([...spans.slice(0, MAX_DRAWN_LANES).map((s) => s.id), selected.id]);
		const more = marks.filter((m) => m.spanId === '');
		// lanes 8…19 but the selected one: 11 spans, over [8, 32)
		expect(more.map((m) => [m.from, m.to, m.attrs.title])).toEqual([[8, 32, '11 more spans nested here: see the span list']]);
		const { document } = parseHTML(`<div id="root">${staticArticleHtml(layout, marks)}</div>`);
		expect(document.querySelectorAll('.more').length).toBeGreaterThan(0);
		expect(document.querySelector(`[data-span-id="${selected.id}"]`)!.getAttribute('class')).toBe('span n3 selected');
	});

	it('keeps spans that nest less than that as they were', () => {
		const text = 'b'.repeat(30);
		const layout = new DocLayout(text);
		const spans = materializeSpans(text, Array.from({ length: MAX_DRAWN_LANES }, (_, i) => ({ start: i, end: 30 - i, label: 'date' })));
		const marks = spanMarks({ layout, spans, labels: DEFAULT_LABELS, selectedId: null }, { detail: false });
		expect(marks.map((m) => m.spanId)).toEqual(spans.map((s) => s.id));
		expect(staticArticleHtml(layout, marks)).toBe(referenceHtml(layout, marks));
	});
});

describe('the article renders any allowed span set in linear size and time', () => {
	for (const set of hostileSpanSets()) {
		// as the store would hold them, but duplicates kept (the store drops them): the worst case
		const spans = set.spans
			.map((s, i) => ({ ...s, id: `s${i}`, text: set.text.slice(s.start, s.end) }))
			.sort((a, b) => a.start - b.start || a.end - b.end);
		it(`${set.name}: ${spans.length} spans over ${set.text.length} characters`, () => {
			const layout = new DocLayout(set.text);
			const t0 = performance.now();
			const marks = spanMarks({ layout, spans, labels: DEFAULT_LABELS, selectedId: spans[spans.length >> 1].id }, { detail: false });
			const html = staticArticleHtml(layout, marks);
			const ms = performance.now() - t0;
			// every character under at most MAX_DRAWN_LANES + 2 elements of ~60 bytes, each boundary a few more
			const tags = (html.match(/<span /g) ?? []).length;
			expect(tags).toBeLessThanOrEqual((MAX_DRAWN_LANES + 2) * (2 * spans.length + layout.lines.length));
			expect(html.length).toBeLessThan(200 * (MAX_DRAWN_LANES + 2) * (2 * spans.length + set.text.length));
			expect(ms).toBeLessThan(1000); // the limit; typically well under 200 ms
		});
	}
});

// ---------------------------------------------------------------------------
// The renderer as it was before it was made near-linear (a straight port of
// ProseMirror's removeOverlap, quadratic on dense lines): the oracle the
// near-linear one must match, byte for byte, on small inputs.
// ---------------------------------------------------------------------------
interface Piece {
	mark: SpanMark;
	order: number;
	from: number;
	to: number;
}

function referenceHtml(layout: DocLayout, marks: readonly SpanMark[]): string {
	const sorted = marks.map((mark, order) => ({ mark, order })).sort((a, b) => a.mark.from - b.mark.from);
	const { text } = layout;
	let html = '';
	let next = 0; // first mark in `sorted` not yet active
	let active: typeof sorted = [];
	for (const line of layout.lines) {
		html += '<p dir="auto">'; // each paragraph its own direction, as the article
		active = active.filter(({ mark }) => mark.to > line.start);
		while (next < sorted.length && sorted[next].mark.from < line.end) {
			if (sorted[next].mark.to > line.start) active.push(sorted[next]);
			next++;
		}
		// the marks as the editor sees them in this paragraph: clipped to it, in its order
		const pieces = referenceRemoveOverlap(
			active
				.map(({ mark, order }) => ({ mark, order, from: Math.max(mark.from, line.start), to: Math.min(mark.to, line.end) }))
				.filter((p) => p.to > p.from)
				.sort((a, b) => byPos(a, b) || a.order - b.order)
		);
		const cuts = new Set([line.start, line.end]);
		for (const p of pieces) cuts.add(p.from).add(p.to);
		const bounds = [...cuts].sort((a, b) => a - b);
		// pieces are sorted by start and only nest, so the open ones cover the whole of each stretch between bounds
		let open: Piece[] = [];
		let k = 0;
		for (let i = 0; i + 1 < bounds.length; i++) {
			const from = bounds[i];
			open = open.filter((p) => p.to > from);
			for (; k < pieces.length && pieces[k].from <= from; k++) if (pieces[k].to > from) open.push(pieces[k]);
			// each wrapper goes around the ones before it: the last piece is the outermost
			for (let j = open.length - 1; j >= 0; j--) html += refOpenTag(open[j].mark);
			html += refEscape(text.slice(from, bounds[i + 1]));
			html += '</span>'.repeat(open.length);
		}
		html += '</p>';
		// marks that end in this line are done; the rest carry into the next line
		active = active.filter(({ mark }) => mark.to > line.end);
	}
	return html;
}

const byPos = (a: Piece, b: Piece) => a.from - b.from || a.to - b.to;

/**
 * ProseMirror's `removeOverlap` (prosemirror-view, decoration.ts, MIT): marks
 * that partly overlap are cut until they only nest, and the order of the
 * pieces is the order in which the editor wraps them around the text. Ported
 * as is, since the nesting it produces is what the static article must match.
 */
function referenceRemoveOverlap(spans: Piece[]): Piece[] {
	let working = spans;
	const copy = (p: Piece, from: number, to: number): Piece => ({ ...p, from, to });
	const insertAhead = (array: Piece[], i: number, piece: Piece) => {
		while (i < array.length && byPos(piece, array[i]) > 0) i++;
		array.splice(i, 0, piece);
	};
	for (let i = 0; i < working.length - 1; i++) {
		const span = working[i];
		if (span.from !== span.to) {
			for (let j = i + 1; j < working.length; j++) {
				const next = working[j];
				if (next.from === span.from) {
					if (next.to !== span.to) {
						if (working === spans) working = spans.slice();
						// followed by a partly overlapping larger span: cut that one
						working[j] = copy(next, next.from, span.to);
						insertAhead(working, j + 1, copy(next, span.to, next.to));
					}
					continue;
				}
				if (next.from < span.to) {
					if (working === spans) working = spans.slice();
					// the end of this one overlaps a later one: cut this one
					working[i] = copy(span, span.from, next.from);
					insertAhead(working, j, copy(span, next.from, span.to));
				}
				break;
			}
		}
	}
	return working;
}

const REF_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const refEscape = (s: string) => s.replace(/[&<>"]/g, (c) => REF_ESCAPES[c]);
function refOpenTag(mark: SpanMark): string {
	let tag = '<span';
	for (const [name, value] of Object.entries(mark.attrs)) tag += ` ${name}="${refEscape(value)}"`;
	return tag + '>';
}
