/**
 * Find spans across a dataset (issue #20 item 4): GET /api/datasets/{slug}/spans
 * by label and text, paged by 50 with a count, blind for annotators
 * (docs/api.md "Find spans").
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { apiAs, seedDataset } from '../helpers/api';

const N = 60;
const id = (i: number) => `d${String(i).padStart(2, '0')}`;
// an emoji first: code point offsets differ from UTF-16 ones after it
const textOf = (i: number) => `🎉 Le Préfet a parlé, dit le préfet-adjoint du dossier ${i}.\nFin.`;
const cp = (text: string, needle: string) => Array.from(text.slice(0, text.indexOf(needle))).length;
let slug: string;
let lead: APIRequestContext;
let ann1: APIRequestContext;
let ann2: APIRequestContext;

async function save(api: APIRequestContext, annotator: string, doc: string, spans: Array<{ start: number; end: number; label: string }>) {
	const res = await api.put(`/api/datasets/${slug}/documents/${doc}/annotations/${annotator}`, { data: { baseRevision: 0, spans } });
	expect(res.status(), await res.text()).toBe(200);
}

test.beforeAll(async () => {
	slug = await seedDataset({ documents: Array.from({ length: N }, (_, i) => ({ id: id(i), title: `Dossier ${i}`, text: textOf(i) })) });
	lead = await apiAs('lead');
	ann1 = await apiAs('ann1');
	ann2 = await apiAs('ann2');
	const t = textOf(0);
	const prefet = { start: cp(t, 'Préfet'), end: cp(t, 'Préfet') + 6 };
	for (let i = 0; i < N; i++) await save(ann1, 'me', id(i), [{ ...prefet, label: 'claim' }, { start: cp(t, 'parlé'), end: cp(t, 'parlé') + 5, label: 'date' }]);
	await save(ann2, 'me', id(3), [{ start: cp(t, 'préfet-adjoint'), end: cp(t, 'préfet-adjoint') + 14, label: 'claim' }]);
	await save(lead, 'gold', id(7), [{ ...prefet, label: 'claim' }]);
});

test.afterAll(async () => {
	await lead.dispose();
	await ann1.dispose();
	await ann2.dispose();
});

async function find(api: APIRequestContext, query: string) {
	const res = await api.get(`/api/datasets/${slug}/spans?${query}`);
	expect(res.status(), await res.text()).toBe(200);
	return res.json();
}

test('an annotator finds their own spans by label and text, folded, paged by 50, with code point offsets and context', async () => {
	const first = await find(ann1, 'label=claim&text=PREFET');
	expect(first).toMatchObject({ page: 1, pageSize: 50, total: N, exact: true, pages: 2 });
	expect(first.hits).toHaveLength(50);
	const hit = first.hits[0];
	const start = cp(textOf(0), 'Préfet');
	expect(start).toBe(5); // 🎉 is one code point (two UTF-16 units)
	expect(hit).toMatchObject({
		document: { id: 'd00', title: 'Dossier 0' },
		annotator: 'ann1',
		span: { start, end: start + 6, label: 'claim', text: 'Préfet' }
	});
	expect(hit.context).toEqual([
		{ text: '🎉 Le ', hit: false },
		{ text: 'Préfet', hit: true },
		{ text: ' a parlé, dit le préfet-adjoint du dossier 0. Fin.', hit: false }
	]);
	expect(hit.href).toBe(`/datasets/${slug}/documents/d00?span=${hit.span.id}`);
	// in document order, everyone of them ann1's (blind: not ann2's "préfet-adjoint", not gold)
	expect(first.hits.map((h: { document: { id: string } }) => h.document.id)).toEqual(Array.from({ length: 50 }, (_, i) => id(i)));
	expect(new Set(first.hits.map((h: { annotator: string }) => h.annotator))).toEqual(new Set(['ann1']));

	const second = await find(ann1, 'label=claim&text=prefet&page=2');
	expect(second).toMatchObject({ page: 2, total: N, pages: 2 });
	expect(second.hits.map((h: { document: { id: string } }) => h.document.id)).toEqual(Array.from({ length: 10 }, (_, i) => id(50 + i)));
	expect((await find(ann1, 'label=claim&text=prefet&page=3')).hits).toEqual([]);

	// the text alone, and the label alone
	expect((await find(ann1, 'text=parle')).total).toBe(N);
	expect((await find(ann1, 'label=date')).total).toBe(N);
	expect((await find(ann1, 'text=adjoint')).total).toBe(0);
	expect((await find(ann1, 'label=framing&text=prefet')).total).toBe(0);
	expect((await find(ann1, `annotator=ann1&label=claim`)).total).toBe(N);
});

test('a lead finds everyone’s spans and gold, each opening where it is', async () => {
	const all = await find(lead, 'label=claim&text=préfet');
	expect(all.total).toBe(N + 2);
	const adjoint = await find(lead, 'text=ADJOINT');
	expect(adjoint.total).toBe(1);
	expect(adjoint.hits[0]).toMatchObject({ document: { id: 'd03' }, annotator: 'ann2', span: { text: 'préfet-adjoint', label: 'claim' } });
	expect(adjoint.hits[0].href).toBe(`/datasets/${slug}/review/d03?lane=ann2&span=${adjoint.hits[0].span.id}`);
	const gold = await find(lead, 'annotator=gold');
	expect(gold.total).toBe(1);
	expect(gold.hits[0]).toMatchObject({ document: { id: 'd07' }, annotator: 'gold', span: { text: 'Préfet' } });
	expect(gold.hits[0].href).toBe(`/datasets/${slug}/review/d07?lane=gold&span=${gold.hits[0].span.id}`);
	expect((await find(lead, 'annotator=ann2')).total).toBe(1);
});

test('blind annotation: an annotator asking for someone else’s spans is refused', async () => {
	for (const who of ['ann2', 'gold', 'lead']) {
		const res = await ann1.get(`/api/datasets/${slug}/spans?annotator=${who}`);
		expect(res.status(), who).toBe(403);
	}
});

test('bad input is a 400 naming it, and changes nothing', async () => {
	const cases: Array<[string, RegExp]> = [
		['label=nope', /label/],
		['label=__proto__', /label/],
		['label=constructor&text=a', /label/],
		['page=0', /page/],
		['page=1.5', /page/],
		['page=abc', /page/],
		['page=10001', /page/],
		[`text=${'a'.repeat(201)}`, /text/],
		['text=a&text=b', /text: given more than once/],
		['sort=title', /unknown parameter: sort/]
	];
	for (const [query, message] of cases) {
		const res = await lead.get(`/api/datasets/${slug}/spans?${query}`);
		expect(res.status(), query).toBe(400);
		expect((await res.json()).error, query).toMatch(message);
	}
	// names of Object.prototype's members are plain names
	expect((await find(lead, 'annotator=__proto__')).total).toBe(0);
	expect((await find(lead, 'text=constructor')).total).toBe(0);
});

test('past the page and 1,000 more hits the count stops and says "at least"', async () => {
	// one document with 1,200 tagged words
	const words = Array.from({ length: 1200 }, (_, i) => `mot${i}`);
	const big = await seedDataset({ documents: [{ id: 'big', title: 'Big', text: words.join(' ') }] });
	let at = 0;
	const spans = words.map((w) => {
		const s = { start: at, end: at + w.length, label: 'claim' };
		at += w.length + 1;
		return s;
	});
	const put = await ann1.put(`/api/datasets/${big}/documents/big/annotations/me`, { data: { baseRevision: 0, spans } });
	expect(put.status(), await put.text()).toBe(200);
	const res = await ann1.get(`/api/datasets/${big}/spans?text=mot`);
	expect(res.status()).toBe(200);
	const body = await res.json();
	expect(body).toMatchObject({ total: 1050, exact: false, pages: 21 });
	expect(body.hits).toHaveLength(50);
	expect(body.hits[0].span.text).toBe('mot0');
	// a narrower query is counted exactly
	expect(await (await ann1.get(`/api/datasets/${big}/spans?text=mot11`)).json()).toMatchObject({ total: 111, exact: true });
});
