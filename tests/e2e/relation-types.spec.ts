/**
 * The label editor's relation types, as a lead uses them (issue #17 item 1):
 * the default type is there, a rename of a type that relations use asks for
 * confirmation with the count and then follows into the annotations, renaming
 * an attribute carries its values over, and a new type joins labels by row.
 */
import { test, expect } from '@playwright/test';
import { apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';

const TEXT = '«Les frappes ont été menées», a déclaré le groupe samedi 4 mai 2024.';
const cp = (needle: string) => Array.from(TEXT.slice(0, TEXT.indexOf(needle))).length;
const span = (needle: string, label: string, extra: Record<string, unknown> = {}) => ({ start: cp(needle), end: cp(needle) + Array.from(needle).length, label, ...extra });

test('lead renames a relation type in use and an attribute, confirms the counts, and the annotations follow', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const ann1 = await apiAs('ann1');
	const url = `/api/datasets/${slug}/documents/a/annotations/me`;
	const saved = await ann1.put(url, {
		data: {
			baseRevision: 0,
			spans: [span('Les frappes ont été menées', 'claim'), span('a déclaré le groupe', 'attribution'), span('samedi 4 mai 2024', 'date', { attrs: { value: '2024-05-04' } })],
			relations: [{ from: 1, to: 0, label: 'source-of' }]
		}
	});
	expect(saved.status(), await saved.text()).toBe(200);

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	const row = page.locator('[data-relation-type-row="source-of"]');
	await expect(row).toBeVisible();
	await expect(row.getByRole('checkbox', { name: 'attribution' }).first()).toBeChecked();
	await expect(row).toContainText('1 relation');

	await row.getByLabel('Relation type name').fill('attributed-by');
	await expect(page.locator('[data-relation-type-row="attributed-by"]')).toContainText('renamed from “source-of”');
	// the date's "value" attribute becomes "timex"
	const dateRow = page.locator('[data-label-row="date"]');
	await dateRow.locator('summary').click();
	await dateRow.getByLabel('Attribute name (date)').first().fill('timex');
	await page.getByRole('button', { name: 'Save labels' }).click();

	const confirm = page.getByRole('alertdialog');
	await expect(confirm).toContainText('Renaming relation type “source-of” to “attributed-by” changes 1 relation.');
	await expect(confirm).toContainText('Renaming attribute “value” of “date” to “timex” carries the values of 1 span over.');
	await confirm.getByRole('button', { name: 'Apply the change' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Labels saved.' })).toContainText('1 relation retyped');

	const set = await (await ann1.get(url)).json();
	expect(set.relations.map((r: { label: string }) => r.label)).toEqual(['attributed-by']);
	expect(set.spans.find((s: { label: string }) => s.label === 'date').attrs).toEqual({ timex: '2024-05-04' });
	const lead = await apiAs('lead');
	expect((await (await lead.get(`/api/datasets/${slug}`)).json()).relationTypes).toEqual([{ name: 'attributed-by', key: 's', from: ['attribution'], to: ['claim'] }]);

	// a new type, from framing to claim, with a key that a label has: refused in words
	await page.getByRole('button', { name: 'Add relation type' }).click();
	const added = page.locator('[data-relation-type-row=""]');
	await added.getByLabel('Relation type name').fill('frames');
	await page.locator('[data-relation-type-row="frames"]').getByLabel('Key of relation type frames').fill('1');
	await expect(page.getByText('Key “1” of “frames” is a label’s key')).toBeVisible();
	await page.locator('[data-relation-type-row="frames"]').getByLabel('Key of relation type frames').fill('f');
	const frames = page.locator('[data-relation-type-row="frames"]');
	await frames.getByRole('group', { name: 'From labels of frames' }).getByRole('checkbox', { name: 'framing' }).check();
	await frames.getByRole('group', { name: 'To labels of frames' }).getByRole('checkbox', { name: 'claim' }).check();
	await page.getByRole('button', { name: 'Save labels' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Labels saved.' })).toBeVisible();
	// the status of the first save is still on the page: wait for the second one to land
	await expect.poll(async () => (await (await lead.get(`/api/datasets/${slug}`)).json()).relationTypes).toEqual([
		{ name: 'attributed-by', key: 's', from: ['attribution'], to: ['claim'] },
		{ name: 'frames', key: 'f', from: ['framing'], to: ['claim'] }
	]);
	await lead.dispose();
	await ann1.dispose();
});
