import { test, expect } from '@playwright/test';
import { anonymous, apiAs, seedDataset } from '../helpers/api';

// "Le"0-2 "maire"3-8 "a"9-10 "dit"11-14 "mardi"15-20 "."20-21: six tokens
const text = 'Le maire a dit mardi.';

async function save(user: string, slug: string, doc: string, spans: Array<{ start: number; end: number; label: string }>) {
	const api = await apiAs(user);
	const res = await api.put(`/api/datasets/${slug}/documents/${doc}/annotations/me`, {
		data: { baseRevision: 0, spans, status: 'done' }
	});
	expect(res.status(), await res.text()).toBe(200);
	await api.dispose();
}

let slug: string;

test.beforeAll(async () => {
	slug = await seedDataset({
		documents: [
			{ id: 'a', title: 'Mardi', text },
			{ id: 'b', title: 'Only one', text: 'Une autre phrase.' }
		]
	});
	// doc a: both say "maire" is a claim; only ann1 tags "mardi" as a date
	await save('ann1', slug, 'a', [
		{ start: 3, end: 8, label: 'claim' },
		{ start: 15, end: 20, label: 'date' }
	]);
	await save('ann2', slug, 'a', [{ start: 3, end: 8, label: 'claim' }]);
	// doc b: one annotator only, so it does not count
	await save('ann1', slug, 'b', [{ start: 0, end: 3, label: 'claim' }]);
});

test('a lead gets the agreement report over documents done by two annotators', async () => {
	const lead = await apiAs('lead');
	const res = await lead.get(`/api/datasets/${slug}/agreement`);
	expect(res.status()).toBe(200);
	const report = await res.json();
	expect(report.documents).toBe(1);
	expect(report.annotators).toEqual(['ann1', 'ann2']);
	expect(Object.keys(report.labels)).toEqual(['claim', 'attribution', 'framing', 'date']);
	for (const c of [...Object.values(report.labels), report.overall] as Array<Record<string, unknown>>) {
		expect(Object.keys(c)).toEqual(expect.arrayContaining(['alpha', 'fleiss_kappa', 'pairs']));
		for (const key of ['alpha', 'fleiss_kappa']) expect(c[key] === null || typeof c[key] === 'number', key).toBe(true);
	}
	// claim: same token on both sides -> kappa 1; date: ann1 only -> kappa 0, F1 0;
	// framing: nobody used it -> undefined (null), never NaN
	const pair = (label: string) => report.labels[label].pairs[0];
	expect(pair('claim')).toMatchObject({ a: 'ann1', b: 'ann2', documents: 1, cohen_kappa: 1, f1_exact: 1, f1_overlap: 1 });
	expect(pair('date')).toMatchObject({ cohen_kappa: 0, f1_exact: 0, f1_overlap: 0 });
	expect(pair('framing')).toMatchObject({ cohen_kappa: null, f1_exact: null, f1_overlap: null });
	expect(report.labels.framing.alpha).toBeNull();
	expect(report.overall.pairs[0].cohen_kappa).toBeLessThan(1);
	expect(report.per_document).toEqual([{ doc_id: 'a', alpha: expect.any(Number), annotators: ['ann1', 'ann2'] }]);
	await lead.dispose();
});

test('the pairs table as CSV', async () => {
	const lead = await apiAs('lead');
	const res = await lead.get(`/api/datasets/${slug}/agreement?format=csv`);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect(res.headers()['content-disposition']).toContain(`${slug}-agreement-pairs.csv`);
	const lines = (await res.text()).split('\r\n');
	expect(lines[0]).toBe('label,a,b,documents,cohen_kappa,f1_exact,f1_overlap');
	expect(lines.slice(1, -1)).toEqual([
		'claim,ann1,ann2,1,1,1,1',
		'attribution,ann1,ann2,1,,,',
		'framing,ann1,ann2,1,,,',
		'date,ann1,ann2,1,0,0,0',
		expect.stringMatching(/^\(overall\),ann1,ann2,1,0\.\d+,0\.6666666666666666,0\.6666666666666666$/)
	]);
	expect(lines.at(-1)).toBe('');
	expect((await lead.get(`/api/datasets/${slug}/agreement?format=xml`)).status()).toBe(400);
	await lead.dispose();
});

test('annotators and strangers get no agreement and no review data', async () => {
	const ann1 = await apiAs('ann1');
	for (const url of [`/api/datasets/${slug}/agreement`, `/api/datasets/${slug}/agreement?format=csv`, `/api/datasets/${slug}/documents/a/review`]) {
		const res = await ann1.get(url);
		expect(res.status(), url).toBe(403);
		expect(await res.json()).toEqual({ error: expect.any(String) });
	}
	expect((await ann1.get(`/datasets/${slug}/agreement`)).status()).toBe(403);
	expect((await ann1.get(`/datasets/${slug}/review/a`)).status()).toBe(403);
	await ann1.dispose();
	const anon = await anonymous();
	expect((await anon.get(`/api/datasets/${slug}/agreement`)).status()).toBe(401);
	await anon.dispose();
});

test('the review API gives a lead every lane of a document', async () => {
	const lead = await apiAs('lead');
	const res = await lead.get(`/api/datasets/${slug}/documents/a/review`);
	expect(res.status()).toBe(200);
	const body = await res.json();
	expect(body.document).toEqual({ id: 'a', title: 'Mardi', text });
	expect(body.annotators.map((a: { annotator: string; status: string; spans: unknown[] }) => [a.annotator, a.status, a.spans.length])).toEqual([
		['ann1', 'done', 2],
		['ann2', 'done', 1]
	]);
	expect(body.gold).toMatchObject({ annotator: 'gold', revision: 0, spans: [] });
	expect(body.nav).toEqual({ previous: null, next: null, position: 1, total: 1, goldDone: 0 });
	await lead.dispose();
});
