import { describe, expect, it } from 'vitest';
import { describeFilters, filterRows, leadOnlyAsked, pageOf, parseDocumentQuery, queryParams, searchTerms, sortRows, type DocumentRow } from './query';
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
		[`label=${'x'.repeat(201)}`, /^label: a label name of 1 to 200/],
		[`${'label=a&'.repeat(20)}${Array.from({ length: 21 }, (_, i) => `label=l${i}`).join('&')}`, /^label: at most 20 labels/],
		['disagreement=yes', /^disagreement: 1/],
		['disagreement=1&disagreement=1', /^disagreement: given more than once/],
		['meta.=x', /^meta\.: a meta field name/],
		[`q=${'a'.repeat(501)}`, /^q: at most 500/]
	])('%s is a 400 naming what is wrong', (s, message) => {
		expect(() => parse(s)).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(message) }));
	});
	it('label is repeatable (each once), disagreement is 1, agreement a sort key', () => {
		expect(parse('label=PER&label=LOC&label=PER&label=&disagreement=1&sort=-agreement')).toEqual({
			q: '',
			labels: ['PER', 'LOC'],
			disagreement: true,
			meta: [],
			sort: { key: 'agreement', descending: true },
			page: 1
		});
		expect(parse('label=__proto__').labels).toEqual(['__proto__']);
		const s = 'label=PER&label=LOC&disagreement=1&sort=agreement';
		expect(queryParams(parse(s)).toString()).toBe(s);
	});
	it('what an annotator may not ask: assignee, done, disagreement, sort=agreement; label is theirs', () => {
		expect(leadOnlyAsked(parse('assignee=a&done=yes&disagreement=1&sort=-agreement'))).toEqual(['assignee', 'done', 'disagreement', 'sort=agreement']);
		expect(leadOnlyAsked(parse('label=PER&status=done&sort=-title'))).toEqual([]);
	});
	it('says which filters are on, for the empty list', () => {
		expect(describeFilters(parse('q=elysee&status=done&assignee=ann&done=no&source=ner&label=PER&disagreement=1&meta.lang=fr&sort=title'))).toEqual([
			'“elysee”',
			'status done',
			'assignee ann (not done)',
			'import source “ner”',
			'label “PER”',
			'has disagreement',
			'meta.lang “fr”'
		]);
		expect(describeFilters(parse('sort=-agreement&page=2'))).toEqual([]);
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
	it('filters by labels (every one present) and by disagreement', () => {
		const labelled = [
			row('a', { labels: ['LOC', 'PER'], disagreement: true }),
			row('b', { labels: ['PER'], disagreement: false }),
			row('c', { labels: [] }),
			row('d', {})
		];
		expect(ids(filterRows(labelled, parse('label=PER')))).toEqual(['a', 'b']);
		expect(ids(filterRows(labelled, parse('label=PER&label=LOC')))).toEqual(['a']);
		expect(ids(filterRows(labelled, parse('label=ORG')))).toEqual([]);
		expect(ids(filterRows(labelled, parse('label=constructor')))).toEqual([]);
		expect(ids(filterRows(labelled, parse('disagreement=1')))).toEqual(['a']);
		expect(ids(filterRows(labelled, parse('disagreement=1&label=LOC')))).toEqual(['a']);
	});
	it('sorts by agreement both ways, documents without a figure last either way, ties by position', () => {
		const scored = [
			row('none', { position: 0, agreement: null }),
			row('half', { position: 1, agreement: 0.5 }),
			row('full', { position: 2, agreement: 1 }),
			row('zero', { position: 3, agreement: 0 }),
			row('half2', { position: 4, agreement: 0.5 }),
			row('none2', { position: 5, agreement: null })
		];
		expect(ids(sortRows(scored, parse('sort=agreement')))).toEqual(['zero', 'half', 'half2', 'full', 'none', 'none2']);
		expect(ids(sortRows(scored, parse('sort=-agreement')))).toEqual(['full', 'half', 'half2', 'zero', 'none', 'none2']);
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
