/**
 * Two leads edit the labels of one dataset at once: the second save is refused
 * because it was made from an older version, the page says so and shows the
 * labels as they are now, and nothing of the stale edit is written.
 */
import { test, expect } from '@playwright/test';
import { apiAs, gotoHydrated, loginUI, seedDataset } from '../helpers/api';

test('a label edit made while another lead renamed a label is refused and the current labels are shown', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: 'The mayor said on Monday the budget was approved.' }], annotators: ['ann1'] });
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	await page.locator('tr[data-label-row="date"]').getByLabel('Label name').fill('when');

	// meanwhile another lead renames "claim", from the version the page was loaded at
	const other = await apiAs('lead');
	const info = await (await other.get(`/api/datasets/${slug}`)).json();
	const renamed = info.labels.map((l: { name: string }) => (l.name === 'claim' ? { ...l, name: 'assertion' } : l));
	const res = await other.patch(`/api/datasets/${slug}`, { data: { labels: renamed, renames: { claim: 'assertion' }, baseVersion: info.version } });
	expect(res.status(), await res.text()).toBe(200);

	await page.getByRole('button', { name: 'Save labels' }).click();
	const stale = page.getByRole('alert').filter({ hasText: 'Someone else changed this dataset while you were editing' });
	await expect(stale).toBeVisible();
	await expect(stale).toContainText('The labels are now: “assertion”, “attribution”, “framing”, “date”. Your changes above were not saved.');
	await expect(page.getByRole('alert').filter({ hasText: 'the dataset changed since you loaded it' })).toBeVisible();
	const after = await (await other.get(`/api/datasets/${slug}`)).json();
	expect(after.labels.map((l: { name: string }) => l.name)).toEqual(['assertion', 'attribution', 'framing', 'date']);

	// load the current labels and make the change again: it goes through
	await stale.getByRole('button', { name: 'Load the current labels' }).click();
	await expect(page.locator('tr[data-label-row="assertion"]')).toBeVisible();
	await expect(stale).toHaveCount(0);
	await page.locator('tr[data-label-row="date"]').getByLabel('Label name').fill('when');
	await page.getByRole('button', { name: 'Save labels' }).click();
	await expect(page.getByText('Labels saved.')).toBeVisible();
	const final = await (await other.get(`/api/datasets/${slug}`)).json();
	expect(final.labels.map((l: { name: string }) => l.name)).toEqual(['assertion', 'attribution', 'framing', 'when']);
	expect(final.version).toBeGreaterThan(after.version);
	await other.dispose();
});
