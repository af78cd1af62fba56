import { describe, expect, it } from 'vitest';
import { parseSpanQuery, spanContext, spanHref, spanMatcher, spanQueryParams } from './spanQuery';
import { OffsetMap } from '$lib/text/offsets';

const parse = (q: string) => parseSpanQuery(new URLSearchParams(q));

describe('parseSpanQuery', () => {
	it('reads label, text, annotator and page; empty fields are no filter', () => {
		expect(parse('label=claim&text=%20Préfet%20&annotator=ann1&page=2')).toEqual({ label: 'claim', text: 'Préfet', annotator: 'ann1', page: 2 });
		expect(parse('label=&text=&annotator=')).toEqual({ label: undefined, text: '', annotator: undefined, page: 1 });
	});
	it('refuses what it does not know, naming it', () => {
		expect(() => parse('q=x')).toThrow('unknown parameter: q');
		expect(() => parse('page=0')).toThrow('page: a whole number from 1');
		expect(() => parse('page=2&page=3')).toThrow('page: given more than once');
		expect(() => parse(`text=${'x'.repeat(201)}`)).toThrow('text: at most 200 characters');
	});
	it('round-trips through the page links', () => {
		const q = parse('label=claim&text=le préfet');
		expect(spanQueryParams(q, 3)).toBe('?label=claim&text=le+pr%C3%A9fet&page=3');
		expect(parse(spanQueryParams(q, 3).slice(1))).toEqual({ ...q, page: 3 });
		expect(spanQueryParams(parse(''))).toBe('');
	});
});

describe('spanMatcher', () => {
	it('matches the label exactly and the text folded, as a substring', () => {
		const m = spanMatcher({ label: 'claim', text: 'PREF' });
		expect(m.matches({ label: 'claim', text: 'le Préfet' })).toBe(true);
		expect(m.matches({ label: 'Claim', text: 'le Préfet' })).toBe(false);
		expect(m.matches({ label: 'claim', text: 'le maire' })).toBe(false);
		expect(spanMatcher({ text: '' }).matches({ label: 'any', text: 'x' })).toBe(true);
	});
});

describe('spanContext', () => {
	it('cuts around the span by code points, never inside a surrogate pair, and flattens line breaks', () => {
		const text = '𠮷𠮷 ab\nLe Préfet dit 🎉🎉';
		const offsets = new OffsetMap(text);
		// "Préfet" is code points 9..15
		expect(Array.from(text).slice(9, 15).join('')).toBe('Préfet');
		expect(spanContext(text, offsets, 9, 15, 4)).toEqual([
			{ text: '… Le ', hit: false },
			{ text: 'Préfet', hit: true },
			{ text: ' dit…', hit: false }
		]);
		// eight UTF-16 units either side fall inside the first 𠮷 and the second 🎉: each is kept whole
		expect(spanContext(text, offsets, 9, 15, 8)).toEqual([
			{ text: '…𠮷 ab Le ', hit: false },
			{ text: 'Préfet', hit: true },
			{ text: ' dit 🎉🎉', hit: false }
		]);
		expect(spanContext('abc', new OffsetMap('abc'), 0, 3)).toEqual([{ text: 'abc', hit: true }]);
	});
});

describe('spanHref', () => {
	it('opens one’s own span in the annotation view, someone else’s in the review view on its lane', () => {
		expect(spanHref('news', 'a 1', 's1', null)).toBe('/datasets/news/documents/a%201?span=s1');
		expect(spanHref('news', 'a1', 's1', 'gold')).toBe('/datasets/news/review/a1?lane=gold&span=s1');
	});
});
