import { describe, expect, it } from 'vitest';
import { filterRows, pageOf, parseDocumentQuery, queryParams, searchTerms, sortRows, type DocumentRow } from './query';
import { highlight, snippet } from './highlight';

const parse = (s: string) => parseDocumentQuery(new URLSearchParams(s));

function row(id: string, over: Partial<DocumentRow> = {}): DocumentRow {
	return { id, title: id, position: 0, status: 'not_started', spans: 0, activity: null, sources: [], ...over };
}

describe('parseDocumentQuery', () => {
	it('defaults: no search, import order, page 1', () => {
		expect(parse('')).toEqual({ q: '', meta: [], sort: { key: 'position', descending: false }, page: 1 });
	});
	it('an empty value (a form’s empty field) is no filter', () => {
		expect(parse('q=&status=&assignee=&done=&source=&sort=&page=&meta.lang=')).toEqual(parse(''));
	});
	it('reads every parameter', () => {
		expect(parse('q=%C3%89lys%C3%A9e&status=done&assignee=ann&done=no&source=ner&meta.lang=fr&sort=-title&page=3')).toEqual({
			q: 'Élysée',
			status: 'done',
			assignee: 'ann',
			done: false,
			source: 'ner',
			meta: [['lang', 'fr']],
			sort: { key: 'title', descending: true },
			page: 3
		});
	});
	it.each([
		['sort=size', /^sort: one of title, status, activity/],
		['sort=--title', /^sort:/],
		['status=finished', /^status: one of not_started, in_progress, done/],
		['page=0', /^page: a whole number from 1/],
		['page=1.5', /^page:/],
		['page=abc', /^page:/],
		['done=yes', /^done: give the assignee/],
		['done=maybe&assignee=a', /^done: yes or no/],
		['colour=red', /^unknown parameter: colour/],
		['__proto__=x', /^unknown parameter: __proto__/],
		['constructor=x', /^unknown parameter: constructor/],
		['status=done&status=done', /^status: given more than once/],
		['label=PER', /^label: this filter is not available yet/],
		['meta.=x', /^meta\.: a meta field name/],
		[`q=${'a'.repeat(501)}`, /^q: at most 500/]
	])('%s is a 400 naming what is wrong', (s, message) => {
		expect(() => parse(s)).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(message) }));
	});
	it('round-trips through queryParams, defaults left out', () => {
		const s = 'q=a+b&status=done&meta.lang=fr&sort=-activity&page=2';
		expect(parse(queryParams(parse(s)).toString())).toEqual(parse(s));
		expect(queryParams(parse(s), { page: 1 }).toString()).toBe('q=a+b&status=done&meta.lang=fr&sort=-activity');
	});
});

describe('filterRows / sortRows / pageOf', () => {
	const rows = [
		row('a', { title: 'Zèbre', position: 0, status: 'done', activity: '2026-01-02T00:00:00Z', assignees: { ann: 'done', bob: 'in_progress' }, sources: ['ner'], meta: { lang: 'FR' } }),
		row('b', { title: 'élan', position: 1, status: 'in_progress', activity: '2026-01-03T00:00:00Z', assignees: { bob: 'done' }, meta: { lang: 'en', n: 2 } }),
		row('c', { title: 'Alpha 10', position: 2, meta: { constructor: 'x' } }),
		row('d', { title: 'Alpha 9', position: 3 })
	];
	const ids = (r: DocumentRow[]) => r.map((x) => x.id);
	it('filters by status, assignee and done, source and meta (folded)', () => {
		expect(ids(filterRows(rows, parse('status=done')))).toEqual(['a']);
		expect(ids(filterRows(rows, parse('assignee=bob')))).toEqual(['a', 'b']);
		expect(ids(filterRows(rows, parse('assignee=bob&done=yes')))).toEqual(['b']);
		expect(ids(filterRows(rows, parse('assignee=bob&done=no')))).toEqual(['a']);
		expect(ids(filterRows(rows, parse('source=ner')))).toEqual(['a']);
		expect(ids(filterRows(rows, parse('meta.lang=fr')))).toEqual(['a']);
		expect(ids(filterRows(rows, parse('meta.n=2')))).toEqual(['b']);
	});
	it('an inherited member name is no meta field nor assignee', () => {
		expect(ids(filterRows(rows, parse('meta.constructor=x')))).toEqual(['c']);
		expect(ids(filterRows(rows, parse('meta.__proto__=x')))).toEqual([]);
		expect(ids(filterRows(rows, parse('meta.toString=x')))).toEqual([]);
		expect(ids(filterRows(rows, parse('assignee=constructor')))).toEqual([]);
		expect(ids(filterRows(rows, parse('assignee=__proto__')))).toEqual([]);
	});
	it('sorts by title (accents and numbers as a reader expects), status, activity; ties by position', () => {
		expect(ids(sortRows(rows, parse('sort=title')))).toEqual(['d', 'c', 'b', 'a']);
		expect(ids(sortRows(rows, parse('sort=-status')))).toEqual(['a', 'b', 'c', 'd']);
		expect(ids(sortRows(rows, parse('sort=activity')))).toEqual(['c', 'd', 'a', 'b']);
		expect(ids(sortRows(rows, parse('sort=-activity')))).toEqual(['b', 'a', 'c', 'd']);
		expect(ids(sortRows(rows, parse('')))).toEqual(['a', 'b', 'c', 'd']);
	});
	it('pages by 50', () => {
		const many = Array.from({ length: 120 }, (_, i) => i);
		expect(pageOf(many, 1)).toMatchObject({ total: 120, page: 1, pages: 3 });
		expect(pageOf(many, 3).documents).toEqual(many.slice(100));
		expect(pageOf(many, 4)).toEqual({ documents: [], total: 120, page: 4, pages: 3 });
		expect(pageOf([], 1)).toEqual({ documents: [], total: 0, page: 1, pages: 1 });
	});
});

describe('searchTerms and highlight', () => {
	it('splits words and "phrases", folded', () => {
		expect(searchTerms('Élysée "le Préfet  a parlé" Paris élysée')).toEqual({ words: ['elysee', 'paris'], phrases: ['le prefet a parle'] });
		expect(searchTerms('«Nouvelle-Calédonie»')).toEqual({ words: [], phrases: ['nouvelle caledonie'] });
		expect(searchTerms('"unclosed phrase')).toEqual({ words: [], phrases: ['unclosed phrase'] });
	});
	it('marks whole folded words in the original text', () => {
		expect(highlight("L'Élysée, elyseeX", ['elysee'])).toEqual([
			{ text: "L'", hit: false },
			{ text: 'Élysée', hit: true },
			{ text: ', elyseeX', hit: false }
		]);
		expect(highlight('E\u0301lyse\u0301e', ['elysee'])).toEqual([{ text: 'E\u0301lyse\u0301e', hit: true }]);
	});
	it('a snippet around the first hit, cut with …', () => {
		const text = `${'x '.repeat(50)}le préfet ${'y '.repeat(50)}`;
		const s = snippet(text, ['prefet'], 10)!;
		expect(s.map((x) => x.text).join('')).toBe(`… x x x le préfet y y y y y…`);
		expect(s.filter((x) => x.hit)).toEqual([{ text: 'préfet', hit: true }]);
		expect(snippet(text, ['absent'])).toBeNull();
	});
});
