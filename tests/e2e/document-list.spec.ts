/**
 * A lead finds documents in a long list (issue #20 item 4): searches, filters by
 * status, sorts, pages with the keyboard, and the URL keeps the query so the
 * page can be shared or reloaded. Real Chromium, production build, real files.
 */
import { test, expect } from '@playwright/test';
import { apiAs, gotoHydrated, loginUI, seedDataset } from '../helpers/api';

const id = (i: number) => `d${String(i).padStart(3, '0')}`;
let slug: string;

test.beforeAll(async () => {
	slug = await seedDataset({
		documents: Array.from({ length: 120 }, (_, i) => ({
			id: id(i),
			title: i % 3 === 0 ? `Discours à l’Élysée ${i}` : `Brève ${i}`,
			text: `Texte ${i}. Le préfet a parlé.`
		}))
	});
	const lead = await apiAs('lead');
	for (const doc of [id(3), id(6)]) {
		const res = await lead.put(`/api/datasets/${slug}/documents/${doc}/annotations/me`, { data: { baseRevision: 0, spans: [], status: 'done' } });
		expect(res.status(), await res.text()).toBe(200);
	}
	await lead.dispose();
});

test('a lead searches, filters by status, pages with the keyboard, and the URL keeps the query', async ({ page }) => {
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}`);
	const rows = page.locator('tbody tr');
	await expect(rows).toHaveCount(50);
	await expect(page.getByTestId('list-count')).toContainText('120 documents · page 1 of 3');

	// the keyboard pages (not while typing in a field)
	await page.locator('body').press(']');
	await expect(page).toHaveURL(/[?&]page=2\b/);
	await expect(rows.first()).toContainText('Brève 50');
	await page.keyboard.press('PageDown');
	await expect(page).toHaveURL(/[?&]page=3\b/);
	await expect(rows).toHaveCount(20);
	await page.keyboard.press('[');
	await expect(page).toHaveURL(/[?&]page=2\b/);

	// search without accents: hits highlighted in the title
	await page.getByLabel('Search').fill('elysee');
	await page.getByLabel('Search').press('Enter');
	await expect(page).toHaveURL(/[?&]q=elysee\b/);
	await expect(page.getByTestId('list-count')).toContainText('40 documents match');
	await expect(rows.first().locator('mark').first()).toHaveText('Élysée');

	// and only what I finished
	await page.getByLabel('My status').selectOption('done');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page).toHaveURL(/status=done/);
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toContainText('Discours à l’Élysée 3');

	// sorted by title, descending, by clicking the header twice
	await page.locator('thead').getByRole('link', { name: /^Document/ }).click();
	await expect(page).toHaveURL(/sort=title/);
	await page.locator('thead').getByRole('link', { name: /^Document/ }).click();
	await expect(page).toHaveURL(/sort=-title/);
	await expect(rows.nth(0)).toContainText('Discours à l’Élysée 6');

	// the URL holds the query: a reload shows the same list
	await page.reload();
	await expect(rows).toHaveCount(2);
	await expect(page.getByLabel('Search')).toHaveValue('elysee');

	// nothing matches: say so, offer a way back
	await gotoHydrated(page, `/datasets/${slug}?q=${encodeURIComponent('"parlé le préfet"')}`);
	await expect(page.getByTestId('no-match')).toContainText('No documents match “"parlé le préfet"”');
	await page.getByTestId('no-match').getByRole('link', { name: 'Clear filters' }).click();
	await expect(rows).toHaveCount(50);
});

test('a lead finds the documents with a label and a disagreement from the keyboard, and sorts by agreement', async ({ page }) => {
	// d010: ann1 and ann2 agree; d013: they differ (claim against claim + date); d016: ann1 alone
	const text = (i: number) => `Texte ${i}. Le préfet a parlé.`;
	const claim = { start: 0, end: 5, label: 'claim' };
	const date = { start: 10, end: 16, label: 'date' };
	for (const [who, work] of [
		['ann1', [[10, [claim]], [13, [claim]], [16, [date]]]],
		['ann2', [[10, [claim]], [13, [claim, date]]]]
	] as const) {
		const api = await apiAs(who);
		for (const [i, spans] of work) {
			const res = await api.put(`/api/datasets/${slug}/documents/${id(i)}/annotations/me`, { data: { baseRevision: 0, spans, status: 'done' } });
			expect(res.status(), `${text(i)}: ${await res.text()}`).toBe(200);
		}
		await api.dispose();
	}
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}`);
	const rows = page.locator('tbody tr');

	// label, then the checkbox, then submit: all from the keyboard
	await page.getByLabel('Label').focus();
	await page.getByLabel('Label').selectOption('date');
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('has disagreement')).toBeFocused();
	await page.keyboard.press('Space');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/label=date.*disagreement=1|disagreement=1.*label=date/);
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('Brève 13');
	await expect(rows.first().getByTestId('agreement')).toHaveText('67%');

	// the agreement header sorts: lowest first, documents without a figure after them
	await gotoHydrated(page, `/datasets/${slug}`);
	await page.locator('thead').getByRole('link', { name: /^Agreement/ }).click();
	await expect(page).toHaveURL(/sort=agreement/);
	await expect(rows.nth(0)).toContainText('Brève 13');
	await expect(rows.nth(1)).toContainText('Brève 10');
	await expect(rows.nth(1).getByTestId('agreement')).toHaveText('100%');
	await expect(rows.nth(2).getByTestId('agreement')).toHaveText('—');

	// nothing left: the empty list says which filters hid everything
	await gotoHydrated(page, `/datasets/${slug}?label=framing&disagreement=1`);
	await expect(page.getByTestId('no-match')).toContainText('No documents match label “framing”, has disagreement.');
});
