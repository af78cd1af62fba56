/**
 * Issue #17 item 5, the story: two annotators link an attribution to the claim it
 * attributes and give the date different values (through the API); the lead opens
 * the review, sees both annotators' values and relations in their lanes, takes the
 * spans they share into gold, picks the second annotator's date value and accepts
 * the relation, all with the keyboard; gold, read back through the API, has the
 * value and the relation. Own accounts and dataset: nothing shared with tests
 * running beside it.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { PASSWORD, apiAs, loginUI, uniqueSlug } from '../helpers/api';

const text = '« Les frappes ont été menées », a déclaré le groupe samedi 4 mai 2024.';
// the text has no character outside the BMP: UTF-16 indexes are code point offsets
const at = (needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
const claim = { ...at('Les frappes ont été menées'), label: 'claim' };
const attribution = { ...at('a déclaré le groupe'), label: 'attribution' };
const date = { ...at('samedi 4 mai 2024'), label: 'date' };

const stamp = () => Date.now().toString(36).slice(-6) + Math.floor(Math.random() * 1296).toString(36);

/** A new account, made by the demo lead (the only account a fresh data folder has). */
async function newUser(prefix: string, role: 'lead' | 'annotator'): Promise<string> {
	const admin = await apiAs('lead');
	const username = `${prefix}-${stamp()}`;
	const res = await admin.post('/api/users', { data: { username, password: PASSWORD, role } });
	expect(res.status(), await res.text()).toBe(201);
	await admin.dispose();
	return username;
}

async function annotate(api: APIRequestContext, slug: string, dateValue: string): Promise<void> {
	const res = await api.put(`/api/datasets/${slug}/documents/r1/annotations/me`, {
		data: {
			baseRevision: 0,
			status: 'done',
			spans: [claim, attribution, { ...date, attrs: { value: dateValue, type: 'DATE' } }],
			// from/to: indexes into this request's spans (the attribution is the source of the claim)
			relations: [{ from: 1, to: 0, label: 'source-of' }]
		}
	});
	expect(res.status(), await res.text()).toBe(200);
}

test('the lead adjudicates relations and attribute values with the keyboard; gold has them', async ({ page }) => {
	const leadName = await newUser('rr-lead', 'lead');
	const [annA, annB] = [await newUser('rr-ann', 'annotator'), await newUser('rr-bob', 'annotator')];
	const lead = await apiAs(leadName);
	const slug = uniqueSlug('relrev');
	expect((await lead.post('/api/datasets', { data: { slug, title: 'Relations review' } })).status()).toBe(201);
	const imported = await lead.post(`/api/datasets/${slug}/documents`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: JSON.stringify({ id: 'r1', title: 'Frappes', text }) + '\n'
	});
	expect(imported.status(), await imported.text()).toBe(200);
	for (const name of [annA, annB]) {
		const res = await lead.put(`/api/datasets/${slug}/members/${name}`, { data: { role: 'annotator' } });
		expect(res.status(), await res.text()).toBe(200);
	}
	// new datasets come with the relation type source-of (attribution → claim) and the date's value and type
	const dataset = await (await lead.get(`/api/datasets/${slug}`)).json();
	expect(dataset.relationTypes).toEqual([{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }]);
	for (const [name, value] of [
		[annA, '2024-05-04'],
		[annB, '2024-05-14']
	] as const) {
		const api = await apiAs(name);
		await annotate(api, slug, value);
		await api.dispose();
	}

	await loginUI(page, leadName);
	// the dashboard: relation F1 per type and pair, attribute agreement per label and attribute
	await page.goto(`/datasets/${slug}/agreement`);
	const relRow = page.getByTestId('relations-agreement').locator('tbody tr');
	await expect(relRow).toHaveCount(1);
	// same relation by both: F1 exact and overlap 1
	await expect(relRow).toHaveText(new RegExp(`source-of\\s*${annA} · ${annB}\\s*1\\s*1 / 1\\s*1\\.00\\s*1\\.00`));
	const attrRows = page.getByTestId('attributes-agreement').locator('tbody tr.all');
	// date value: one shared span, the values differ (share 0 %, α 0); type: both DATE (100 %, α undefined)
	await expect(attrRows.filter({ hasText: 'value' })).toHaveText(/date\s*value\s*all annotators\s*1\s*0 %\s*0\.000/);
	await expect(attrRows.filter({ hasText: 'type' })).toHaveText(/date\s*type\s*all annotators\s*1\s*100 %\s*—/);

	await page.goto(`/datasets/${slug}/review/r1`);
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();

	// each lane shows its annotator's values and relation
	const laneA = page.locator(`[data-lane-details="${annA}"]`);
	const laneB = page.locator(`[data-lane-details="${annB}"]`);
	await expect(laneA).toContainText('value = 2024-05-04');
	await expect(laneB).toContainText('value = 2024-05-14');
	await expect(laneA).toContainText('attribution “a déclaré le groupe” → source-of → claim “Les frappes ont été menées”');
	await expect(laneB).toContainText('→ source-of →');
	const relations = page.getByTestId('relation-list');
	await expect(relations).toContainText(`${annA}, ${annB} · all · open`);

	await expect(page.getByTestId('values-differ')).toContainText('Values differ on one span');
	await expect(page.getByRole('button', { name: 'Accept all agreed spans (3) and relations (1)' })).toBeVisible();
	// v: to the span whose values differ, into gold (with the first annotator's values) and into values mode;
	// the card shows both annotators' values
	await page.keyboard.press('v');
	await expect(page.locator('[data-lane-details="gold"]')).toContainText('value = 2024-05-04');
	const values = page.getByTestId('span-values');
	await expect(values.locator('tr[data-attribute="value"]')).toContainText('2024-05-04');
	await expect(values.locator('tr[data-attribute="value"]')).toContainText('2024-05-14');
	await expect(values.locator('tr.current')).toHaveAttribute('data-attribute', 'value');
	// 2: the second annotator's value
	await page.keyboard.press('2');
	await expect(values.locator('tr[data-attribute="value"] td.gold')).toHaveText('2024-05-14');
	// or edits it: Enter puts the cursor in the field, Enter again sets what was typed
	await page.keyboard.press('Enter');
	await expect(values.locator('[data-value-input="0"]')).toBeFocused();
	await page.keyboard.type('2024-05-15');
	await page.keyboard.press('Enter');
	await expect(values.locator('tr[data-attribute="value"] td.gold')).toHaveText('2024-05-15');
	// and back to the second annotator's value
	await page.keyboard.press('2');
	await expect(values.locator('tr[data-attribute="value"] td.gold')).toHaveText('2024-05-14');
	await page.keyboard.press('Escape');
	// l: the relation; a: into gold, with both its ends (not in gold yet: they come along, and the view says so)
	await page.keyboard.press('l');
	await expect(relations.locator('li.focused')).toBeVisible();
	// its ends are marked in every lane: the attribution as source, the claim as target
	await expect(page.locator(`.span.link-from[data-lane="${annA}"]`).first()).toHaveAttribute('data-label', 'attribution');
	await expect(page.locator(`.span.link-to[data-lane="${annB}"]`).first()).toHaveAttribute('data-label', 'claim');
	await page.keyboard.press('a');
	await expect(relations.locator('li[data-decision="accepted"]')).toHaveCount(1);
	await expect(page.getByTestId('review-notice')).toContainText('Accepted with both its ends');
	await expect(page.locator('[data-lane-details="gold"]')).toContainText('→ source-of →');
	await expect(page.locator('[data-lane-details="gold"]')).toContainText('value = 2024-05-14');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');

	// gold through the API: the picked value and the relation between gold spans
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/r1/annotations/gold`)).json();
	const byLabel = (label: string) => gold.spans.find((s: { label: string }) => s.label === label);
	expect(gold.spans).toHaveLength(3);
	expect(byLabel('date').attrs).toEqual({ type: 'DATE', value: '2024-05-14' });
	expect(gold.relations).toHaveLength(1);
	expect(gold.relations[0]).toMatchObject({ from: byLabel('attribution').id, to: byLabel('claim').id, label: 'source-of' });

	// after a reload the review shows the decisions as they were saved
	await page.reload();
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();
	await expect(relations.locator('li[data-decision="accepted"]')).toHaveCount(1);
	await expect(page.locator('[data-lane-details="gold"]')).toContainText('value = 2024-05-14');
	await lead.dispose();
});

test('a relation the lead rejects stays rejected after a reload (saved with gold, never for an annotator set)', async ({ page }) => {
	const leadName = await newUser('rr-lead', 'lead');
	const [annA, annB] = [await newUser('rr-ann', 'annotator'), await newUser('rr-bob', 'annotator')];
	const lead = await apiAs(leadName);
	const slug = uniqueSlug('relrev-reject');
	expect((await lead.post('/api/datasets', { data: { slug, title: 'Relations rejected' } })).status()).toBe(201);
	const imported = await lead.post(`/api/datasets/${slug}/documents`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: JSON.stringify({ id: 'r1', title: 'Frappes', text }) + '\n'
	});
	expect(imported.status(), await imported.text()).toBe(200);
	for (const name of [annA, annB]) {
		expect((await lead.put(`/api/datasets/${slug}/members/${name}`, { data: { role: 'annotator' } })).status()).toBe(200);
		const api = await apiAs(name);
		await annotate(api, slug, '2024-05-04');
		if (name === annA) {
			// an annotator's set records no rejections: 400, nothing saved
			const refused = await api.put(`/api/datasets/${slug}/documents/r1/annotations/me`, { data: { baseRevision: 1, rejectedRelations: [] } });
			expect(refused.status()).toBe(400);
			expect((await refused.json()).error).toContain('rejectedRelations: only the gold set records rejections');
		}
		await api.dispose();
	}
	// the key the review view saves: the annotators' attribution and claim span ids and the type
	const review = await (await lead.get(`/api/datasets/${slug}/documents/r1/review`)).json();
	const ids = new Map(review.annotators[0].spans.map((s: { id: string; label: string }) => [s.label, s.id]));
	const key = `${ids.get('attribution')}>${ids.get('claim')}:source-of`;
	expect(review.gold.rejectedRelations).toEqual([]);

	await loginUI(page, leadName);
	await page.goto(`/datasets/${slug}/review/r1`);
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();
	const relations = page.getByTestId('relation-list');
	await expect(relations).toContainText('0 of 1 decided');
	// l: the relation; r: rejected, saved with gold
	await page.keyboard.press('l');
	await expect(relations.locator('li.focused')).toBeVisible();
	await page.keyboard.press('r');
	await expect(relations.locator('li[data-decision="rejected"]')).toHaveCount(1);
	await expect(relations).toContainText('1 of 1 decided');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	const goldUrl = `/api/datasets/${slug}/documents/r1/annotations/gold`;
	await expect.poll(async () => (await (await lead.get(goldUrl)).json()).rejectedRelations).toEqual([key]);
	expect((await (await lead.get(goldUrl)).json()).relations).toEqual([]);
	const revisions = await (await lead.get(`/api/datasets/${slug}/documents/r1/annotations/gold/revisions`)).json();
	expect(JSON.stringify(revisions)).toContain(key);

	// after a reload it is still rejected, and counted as decided
	await page.reload();
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();
	await expect(relations.locator('li[data-decision="rejected"]')).toHaveCount(1);
	await expect(relations).toContainText('1 of 1 decided');

	// o reopens it: saved too, gold has no rejection left
	await page.keyboard.press('l');
	await expect(relations.locator('li.focused')).toBeVisible();
	await page.keyboard.press('o');
	await expect(relations.locator('li[data-decision="open"]')).toHaveCount(1);
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	await expect
		.poll(async () => (await (await lead.get(goldUrl)).json()).rejectedRelations)
		.toEqual([]);
	await lead.dispose();
});

test('the agreement dashboard says what to do when there are no relation types and no attributes', async ({ page }) => {
	const leadName = await newUser('rr-lead', 'lead');
	const [annA, annB] = [await newUser('rr-ann', 'annotator'), await newUser('rr-bob', 'annotator')];
	const lead = await apiAs(leadName);
	const slug = uniqueSlug('relrev-empty');
	const labels = [
		{ name: 'claim', key: '1', color: '#e8590c', description: '' },
		{ name: 'attribution', key: '2', color: '#1c7ed6', description: '' }
	];
	const created = await lead.post('/api/datasets', { data: { slug, title: 'No relations', labels, relationTypes: [] } });
	expect(created.status(), await created.text()).toBe(201);
	const imported = await lead.post(`/api/datasets/${slug}/documents`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: JSON.stringify({ id: 'r1', title: 'Frappes', text }) + '\n'
	});
	expect(imported.status(), await imported.text()).toBe(200);
	for (const name of [annA, annB]) {
		expect((await lead.put(`/api/datasets/${slug}/members/${name}`, { data: { role: 'annotator' } })).status()).toBe(200);
		const api = await apiAs(name);
		const res = await api.put(`/api/datasets/${slug}/documents/r1/annotations/me`, { data: { baseRevision: 0, status: 'done', spans: [claim, attribution] } });
		expect(res.status(), await res.text()).toBe(200);
		await api.dispose();
	}
	await loginUI(page, leadName);
	await page.goto(`/datasets/${slug}/agreement`);
	await expect(page.getByTestId('relations-agreement-empty')).toContainText('This dataset has no relation types');
	await expect(page.getByTestId('attributes-agreement-empty')).toContainText('No label of this dataset has attributes');
	// the JSON report has both parts, empty
	const report = await (await lead.get(`/api/datasets/${slug}/agreement`)).json();
	expect(report.relations).toEqual({});
	expect(report.attributes).toEqual({});
	await page.goto(`/datasets/${slug}/review/r1`);
	await expect(page.getByTestId('relation-list')).toContainText('This dataset has no relation types.');
	await lead.dispose();
});
