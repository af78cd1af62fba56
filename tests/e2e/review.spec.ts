/**
 * Agreement and adjudication, as a team lives it: two annotators tag the same
 * article differently in the annotation view, the lead sees it on the
 * agreement dashboard, settles one disagreement into gold in the review view,
 * and the gold release contains exactly that span. A rejection is a decision
 * that lasts too: it survives a reload and never reaches a release.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';
import { charBox } from '../helpers/article';
import { hostileSpanSets } from '../helpers/hostileSpans';

const text = 'Le ministre a déclaré mardi que la réforme serait votée.';
// code points: "ministre" 3-11, "mardi" 22-27, "réforme" 35-42


/** Select `needle` with the mouse and press the label's key. */
async function tag(page: Page, needle: string, key: string): Promise<void> {
	const a = await charBox(page, needle, 0);
	const b = await charBox(page, needle, needle.length - 1);
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move(b.right - 1, b.y, { steps: 6 });
	await page.mouse.up();
	await page.keyboard.press(key);
	await expect(page.locator(`.ProseMirror .span[data-label]`, { hasText: needle }).first()).toBeVisible();
}

/** One annotator's session: log in, tag, mark the document done. */
async function annotate(browser: Browser, user: string, slug: string, spans: Array<[string, string]>): Promise<void> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await loginUI(page, user);
	await gotoHydrated(page, `/datasets/${slug}/documents/r1`);
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();
	for (const [needle, key] of spans) await tag(page, needle, key);
	await page.getByRole('button', { name: 'Mark done' }).click();
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	await expect(page.locator('[data-status="done"]').first()).toBeVisible();
	await context.close();
}

test('the lead settles a disagreement into gold and the gold release holds exactly it', async ({ browser, page }) => {
	test.setTimeout(120_000); // two annotators' sessions, then the lead's
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'La réforme', text }] });

	// ann1: "ministre" attribution (2), "mardi" date (4); ann2: "ministre" attribution, "réforme" claim (1)
	await annotate(browser, 'ann1', slug, [
		['ministre', '2'],
		['mardi', '4']
	]);
	await annotate(browser, 'ann2', slug, [
		['ministre', '2'],
		['réforme', '1']
	]);

	// the dashboard: kappa between the two is below 1, printed in the heatmap cell
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/agreement`);
	const cell = page.locator('.heatmap .cell[data-a="ann1"][data-b="ann2"]');
	await expect(cell).toBeVisible();
	const kappa = Number(await cell.getAttribute('data-value'));
	expect(kappa).toBeLessThan(1);
	await expect(cell.locator('text.value')).toHaveText(kappa.toFixed(2));
	await expect(page.locator('.chart .row[data-label="date"]')).toHaveAttribute('data-reading', /.+/);

	// from the documents list into the review view
	await page.locator('table.docs tr[data-doc="r1"]').getByRole('link', { name: 'La réforme' }).click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${slug}/review/r1$`));
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();
	await expect(page.getByTestId('disagreement-count')).toHaveText('2');
	// the paragraph once, then one lane per annotator on the same text, and a gold lane (empty so far)
	await expect(page.locator('.para .row.ref .text')).toHaveText(text);
	for (const lane of ['ann1', 'ann2']) await expect(page.locator(`.para .row[data-lane="${lane}"] .text`)).toHaveText(text);
	await expect(page.locator('.para .row[data-lane="gold"]')).toContainText('nothing in gold here yet');

	// n: the first disagreement in text order is ann1's "mardi"; a: accept it into gold
	await page.keyboard.press('n');
	await expect(page.getByTestId('focused-span')).toContainText('mardi');
	await page.keyboard.press('a');
	await expect(page.locator('.row[data-lane="gold"] .span[data-label="date"]')).toHaveText('mardi');
	await expect(page.locator('.para .row[data-lane="gold"] .text')).toHaveText(text);
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-revision', '1');
	// accepting moved on to the next open disagreement
	await expect(page.getByTestId('focused-span')).toContainText('réforme');

	// the gold release holds exactly the accepted span
	const lead = await apiAs('lead');
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/r1/annotations/gold`)).json();
	expect(gold.spans.map(({ start, end, label, text }: Record<string, unknown>) => ({ start, end, label, text }))).toEqual([
		{ start: 22, end: 27, label: 'date', text: 'mardi' }
	]);
	const cut = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'gold' } });
	expect(cut.status(), await cut.text()).toBe(201);
	const { name } = await cut.json();
	const release = await lead.get(`/api/datasets/${slug}/releases/${name}`);
	expect(release.status()).toBe(200);
	const records = (await release.text()).trim().split('\n').map((line) => JSON.parse(line));
	expect(records).toHaveLength(1);
	expect(records[0]).toMatchObject({ doc_id: 'r1', annotator: 'gold', text });
	expect(records[0].spans.map(({ start, end, label, text }: Record<string, unknown>) => ({ start, end, label, text }))).toEqual([
		{ start: 22, end: 27, label: 'date', text: 'mardi' }
	]);
	await lead.dispose();
});

test('annotators cannot open the review view or the dashboard', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'La réforme', text }] });
	await loginUI(page, 'ann1');
	for (const url of [`/datasets/${slug}/review/r1`, `/datasets/${slug}/agreement`]) {
		const res = await page.goto(url);
		expect(res?.status(), url).toBe(403);
	}
});

test('20,000 spans nested over one sentence: the server sends a notice, the browser draws the review with the first disagreements', async ({ page }) => {
	test.setTimeout(120_000);
	const nested = hostileSpanSets()[0];
	const slug = await seedDataset({ documents: [{ id: 'deep', title: 'Deep', text: nested.text }] });
	const ann1 = await apiAs('ann1');
	expect((await ann1.put(`/api/datasets/${slug}/documents/deep/annotations/me`, { data: { baseRevision: 0, spans: nested.spans, status: 'done' } })).status()).toBe(200);
	await ann1.dispose();
	await loginUI(page, 'lead');
	// what the server answers: the data and a notice (src/lib/annotate/serverRendered.ts), not the drawn view
	const served = await (await page.request.get(`/datasets/${slug}/review/deep`)).text();
	expect(served).toContain('Opening 20,000 spans');
	expect(served).not.toContain('not shown)');
	await gotoHydrated(page, `/datasets/${slug}/review/deep`);
	// every span is a disagreement (one voter): the first 200 are drawn, the rest on demand
	await expect(page.getByRole('button', { name: 'Show 1000 more (19800 not shown)' })).toBeVisible({ timeout: 30_000 });
	await expect(page.locator('[data-opening-spans]')).toHaveCount(0);
});

test('the dashboard says what is missing before two annotators finish a document', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'La réforme', text }] });
	const ann1 = await apiAs('ann1');
	await ann1.put(`/api/datasets/${slug}/documents/r1/annotations/me`, {
		data: { baseRevision: 0, spans: [{ start: 3, end: 11, label: 'attribution' }], status: 'done' }
	});
	await ann1.dispose();
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/agreement`);
	const empty = page.getByTestId('agreement-empty');
	await expect(empty).toContainText('at least two annotators have marked done');
	await expect(empty).toContainText('1 document is done by one annotator only');
});

test('gold changed elsewhere meanwhile: the review view reloads it and says so', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'La réforme', text }] });
	for (const [user, spans] of [
		['ann1', [{ start: 3, end: 11, label: 'attribution' }, { start: 22, end: 27, label: 'date' }]],
		['ann2', [{ start: 3, end: 11, label: 'attribution' }]]
	] as const) {
		const api = await apiAs(user);
		const res = await api.put(`/api/datasets/${slug}/documents/r1/annotations/me`, { data: { baseRevision: 0, spans, status: 'done' } });
		expect(res.status()).toBe(200);
		await api.dispose();
	}
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/review/r1`);
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();

	// another lead session adjudicates first
	const other = await apiAs('lead');
	const first = await other.put(`/api/datasets/${slug}/documents/r1/annotations/gold`, {
		data: { baseRevision: 0, spans: [{ start: 3, end: 11, label: 'attribution' }] }
	});
	expect(first.status()).toBe(200);
	await other.dispose();

	await page.keyboard.press('n');
	await page.keyboard.press('a');
	await expect(page.getByRole('alert')).toContainText('Gold was changed elsewhere');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'conflict');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-revision', '1');
	// the lanes show the version that won
	await expect(page.locator('.row[data-lane="gold"] .span')).toHaveText(['ministre']);
});

test('the lead rejects a candidate, reloads, and it is still rejected and counted as decided', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'La réforme', text }] });
	// ann1: "ministre" attribution, "mardi" date; ann2: "ministre" attribution, "réforme" claim
	for (const [user, spans] of [
		['ann1', [{ start: 3, end: 11, label: 'attribution' }, { start: 22, end: 27, label: 'date' }]],
		['ann2', [{ start: 3, end: 11, label: 'attribution' }, { start: 35, end: 42, label: 'claim' }]]
	] as const) {
		const api = await apiAs(user);
		const res = await api.put(`/api/datasets/${slug}/documents/r1/annotations/me`, { data: { baseRevision: 0, spans, status: 'done' } });
		expect(res.status()).toBe(200);
		await api.dispose();
	}
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/review/r1`);
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();
	const progress = page.getByTestId('review-progress');
	const save = page.locator('.save[data-state]');
	const item = (needle: string) => page.locator('.disagreements li', { hasText: needle });
	await expect(progress).toHaveText('· 0 decided, 2 open');

	// n, r: "mardi" is rejected (saved as gold revision 1), and the focus moves on to "réforme"
	await page.keyboard.press('n');
	await expect(page.getByTestId('focused-span')).toContainText('mardi');
	await page.keyboard.press('r');
	await expect(item('mardi')).toHaveAttribute('data-decision', 'rejected');
	await expect(save).toHaveAttribute('data-revision', '1');
	await expect(page.getByTestId('focused-span')).toContainText('réforme');
	// r on "réforme" too, then Ctrl Z takes that one back: each step a saved revision
	await page.keyboard.press('r');
	await expect(item('réforme')).toHaveAttribute('data-decision', 'rejected');
	await expect(save).toHaveAttribute('data-revision', '2');
	await page.keyboard.press('Control+z');
	await expect(item('réforme')).toHaveAttribute('data-decision', 'open');
	await expect(save).toHaveAttribute('data-revision', '3');
	await expect(save).toHaveAttribute('data-state', 'saved');
	await expect(progress).toHaveText('· 1 decided, 1 open');

	// after a reload the rejection is still there, in the list, in ann1's lane and in the progress
	await page.reload();
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();
	await expect(item('mardi')).toHaveAttribute('data-decision', 'rejected');
	await expect(item('mardi').locator('.state')).toHaveText('rejected');
	await expect(item('réforme')).toHaveAttribute('data-decision', 'open');
	await expect(page.locator('.row[data-lane="ann1"] .span[data-label="date"]')).toHaveAttribute('data-decision', 'rejected');
	await expect(progress).toHaveText('· 1 decided, 1 open');
	await expect(page.locator('.row[data-lane="gold"] .span')).toHaveCount(0);

	// the server keeps it as the gold set's rejection, every step a revision by the lead
	const lead = await apiAs('lead');
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/r1/annotations/gold`)).json();
	expect(gold).toMatchObject({ revision: 3, spans: [] });
	expect(gold.rejected.map(({ start, end, label, text }: Record<string, unknown>) => ({ start, end, label, text }))).toEqual([
		{ start: 22, end: 27, label: 'date', text: 'mardi' }
	]);
	const revisions = await (await lead.get(`/api/datasets/${slug}/documents/r1/annotations/gold/revisions`)).json();
	expect(revisions.map((r: { by: string; rejected: Array<{ text: string }> }) => [r.by, r.rejected.map((s) => s.text)])).toEqual([
		['lead', ['mardi']],
		['lead', ['mardi', 'réforme']],
		['lead', ['mardi']]
	]);

	// accepting "réforme" settles the last one; the release holds it and nothing rejected
	await item('réforme').getByRole('button').click();
	await page.keyboard.press('a');
	await expect(progress).toHaveText('· 2 decided, 0 open');
	await expect(save).toHaveAttribute('data-revision', '4');
	await expect(save).toHaveAttribute('data-state', 'saved');
	const cut = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'gold' } });
	expect(cut.status(), await cut.text()).toBe(201);
	const release = await (await lead.get(`/api/datasets/${slug}/releases/${(await cut.json()).name}`)).text();
	const [record] = release.trim().split('\n').map((line) => JSON.parse(line));
	expect(record.spans.map((s: { text: string }) => s.text)).toEqual(['réforme']);
	expect(record).not.toHaveProperty('rejected');
	await lead.dispose();
});
