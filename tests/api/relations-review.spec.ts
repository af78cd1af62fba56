/**
 * Issue #17 items 4 and 5 over HTTP: the agreement report's relations and
 * attributes, the review data's relations and relation types, and gold saved with
 * relations and values through the normal PUT. Own accounts and dataset.
 */
import { test, expect } from '@playwright/test';
import { PASSWORD, apiAs, uniqueSlug } from '../helpers/api';

// code points (the emoji is one): «Les frappes» 0-11, «a dit 😀 le groupe» 13-30, «samedi» 31-37 (UTF-16: one more after the emoji)
const text = 'Les frappes, a dit 😀 le groupe samedi.';
const claim = { start: 0, end: 11, label: 'claim' };
const attribution = { start: 13, end: 30, label: 'attribution' };
const date = { start: 31, end: 37, label: 'date' };
const stamp = () => Date.now().toString(36).slice(-6) + Math.floor(Math.random() * 1296).toString(36);

async function newUser(prefix: string, role: 'lead' | 'annotator'): Promise<string> {
	const admin = await apiAs('lead');
	const username = `${prefix}-${stamp()}`;
	const res = await admin.post('/api/users', { data: { username, password: PASSWORD, role } });
	expect(res.status(), await res.text()).toBe(201);
	await admin.dispose();
	return username;
}

test('agreement on relations and values, review data with relations, gold saved with both', async () => {
	const leadName = await newUser('rra-lead', 'lead');
	const names = [await newUser('rra-a', 'annotator'), await newUser('rra-b', 'annotator')].sort();
	const lead = await apiAs(leadName);
	const slug = uniqueSlug('relrev-api');
	expect((await lead.post('/api/datasets', { data: { slug, title: 'Relations API' } })).status()).toBe(201);
	const imported = await lead.post(`/api/datasets/${slug}/documents`, { headers: { 'content-type': 'application/x-ndjson' }, data: JSON.stringify({ id: 'd1', text }) + '\n' });
	expect(imported.status(), await imported.text()).toBe(200);
	// a: attribution → claim, date 2024-05-04; b: the same link to a longer claim, date left without a value
	const claimLong = { start: 0, end: 12, label: 'claim' };
	const work = [
		{ spans: [claim, attribution, { ...date, attrs: { value: '2024-05-04', type: 'DATE' } }] },
		{ spans: [claimLong, attribution, { ...date, attrs: { type: 'DATE' } }] }
	];
	for (const [i, name] of names.entries()) {
		expect((await lead.put(`/api/datasets/${slug}/members/${name}`, { data: { role: 'annotator' } })).status()).toBe(200);
		const api = await apiAs(name);
		const res = await api.put(`/api/datasets/${slug}/documents/d1/annotations/me`, {
			data: { baseRevision: 0, status: 'done', spans: work[i].spans, relations: [{ from: 1, to: 0, label: 'source-of' }] }
		});
		expect(res.status(), await res.text()).toBe(200);
		await api.dispose();
	}

	// relations: exact 0 of 1 + 1 (the claims differ), overlap 1: F1 exact 0, overlap 2·1/2 = 1
	// date.value: one unit (a gave a value, b none): share 0; alpha over [x, unset] alone: 1 − 1·2/(4 − 2) = 0
	// date.type: DATE twice: share 1, alpha undefined
	const report = await (await lead.get(`/api/datasets/${slug}/agreement`)).json();
	expect(report.relations).toEqual({
		'source-of': { pairs: [{ a: names[0], b: names[1], documents: 1, relations_a: 1, relations_b: 1, f1_exact: 0, f1_overlap: 1 }] }
	});
	expect(report.attributes.date.value).toEqual({ items: 1, share_equal: 0, alpha: 0, pairs: [{ a: names[0], b: names[1], items: 1, share_equal: 0, alpha: 0 }] });
	expect(report.attributes.date.type).toMatchObject({ items: 1, share_equal: 1, alpha: null });

	// the review data: relation types, each lane's relations (span ids of its set) and values
	const review = await (await lead.get(`/api/datasets/${slug}/documents/d1/review`)).json();
	expect(review.dataset.relationTypes).toEqual([{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }]);
	for (const lane of review.annotators) {
		const ids = new Map(lane.spans.map((s: { id: string; label: string }) => [s.label, s.id]));
		expect(lane.relations).toMatchObject([{ from: ids.get('attribution'), to: ids.get('claim'), label: 'source-of' }]);
	}
	const dateSpan = review.annotators[0].spans.find((s: { label: string }) => s.label === 'date');
	expect(dateSpan.attrs).toEqual({ type: 'DATE', value: '2024-05-04' });
	expect(dateSpan.text).toBe('samedi'); // code point offsets past the emoji

	// gold through the normal PUT: spans with values, the relation by span ids of the spans sent
	const goldUrl = `/api/datasets/${slug}/documents/d1/annotations/gold`;
	const ids = new Map(review.annotators[0].spans.map((s: { id: string; label: string }) => [s.label, s.id]));
	const put = await lead.put(goldUrl, {
		data: {
			baseRevision: 0,
			spans: [claim, attribution, { ...date, attrs: { value: '2024-05-04', type: 'DATE' } }],
			relations: [{ from: ids.get('attribution'), to: ids.get('claim'), label: 'source-of' }]
		}
	});
	expect(put.status(), await put.text()).toBe(200);
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/d1/review`)).json();
	expect(gold.gold.relations).toMatchObject([{ from: ids.get('attribution'), to: ids.get('claim'), label: 'source-of' }]);
	expect(gold.gold.spans.find((s: { label: string }) => s.label === 'date').attrs).toEqual({ type: 'DATE', value: '2024-05-04' });
	await lead.dispose();
});
