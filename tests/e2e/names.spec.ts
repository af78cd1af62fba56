/**
 * A lead names things in the browser (issue #14 items 1 and 8): a label that
 * only looks different from an existing one is refused, saying which one; a
 * label called "constructor" is an ordinary label whose usage the editor shows.
 */
import { test, expect } from '@playwright/test';
import { apiAs, gotoHydrated, loginUI, seedDataset } from '../helpers/api';

test('a look-alike label is refused naming the existing one; a label named constructor counts its spans', async ({ page }) => {
	const slug = await seedDataset({
		labels: [
			{ name: 'claim', key: '1', color: '#e8590c' },
			{ name: 'constructor', key: '2', color: '#1c7ed6' }
		],
		documents: [{ id: 'a', text: 'The mayor said the budget was approved.' }],
		annotators: ['ann1']
	});
	const ann1 = await apiAs('ann1');
	const saved = await ann1.put(`/api/datasets/${slug}/documents/a/annotations/me`, {
		data: { baseRevision: 0, spans: [{ start: 4, end: 9, label: 'constructor' }, { start: 19, end: 25, label: 'constructor' }] }
	});
	expect(saved.status(), await saved.text()).toBe(200);
	await ann1.dispose();

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	await expect(page.locator('tr[data-label-row="constructor"] .usage')).toHaveText('2 spans');
	await expect(page.locator('tr[data-label-row="claim"] .usage')).toHaveText('—');

	// "сlaim" with a Cyrillic "с", and spaces around it
	await page.getByRole('button', { name: 'Add label' }).click();
	const row = page.locator('table.labels tbody tr').last();
	await row.getByLabel('Label name').fill(' \u0441laim ');
	await row.getByLabel(/Keyboard key/).fill('3');
	await page.getByRole('button', { name: 'Save labels' }).click();
	await expect(page.getByRole('alert')).toContainText('label "\u0441laim" looks like the existing label "claim"');

	const lead = await apiAs('lead');
	const labels = (await (await lead.get(`/api/datasets/${slug}`)).json()).labels;
	expect(labels.map((l: { name: string }) => l.name)).toEqual(['claim', 'constructor']);
	await lead.dispose();
});
