/**
 * Span attributes in the annotation view, as an annotator uses them: tag a date,
 * give it its TIMEX3 value and type from the keyboard, see it read back in words,
 * trust that it is saved. Real Chromium, real server, the shipped sample article.
 */
import fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { apiAs, gotoHydrated, loginUI, PASSWORD, seedDataset } from '../helpers/api';
import { charBox } from '../helpers/article';

const TEXT = fs.readFileSync('datasets/samples/fr-glilot-2024-05-04.txt', 'utf8');
const DATE = 'samedi 4 mai 2024';

const article = (page: Page) => page.locator('.article[data-ready="true"] .ProseMirror');
const saveIndicator = (page: Page) => page.locator('.save[data-state]');
const panel = (page: Page) => page.locator('[data-attributes-panel]');
const valueField = (page: Page) => panel(page).locator('[data-attribute="value"] input');

async function waitSaved(page: Page, revision: number): Promise<void> {
	await expect(saveIndicator(page)).toHaveAttribute('data-state', 'saved');
	await expect(saveIndicator(page)).toHaveAttribute('data-revision', String(revision));
}

async function dragOver(page: Page, needle: string): Promise<void> {
	const a = await charBox(page, needle, 0);
	const b = await charBox(page, needle, needle.length - 1);
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move((a.left + b.right) / 2, (a.y + b.y) / 2, { steps: 4 });
	await page.mouse.move(b.right - 1, b.y, { steps: 4 });
	await page.mouse.up();
}

/**
 * Clicks inside the span. Where the character is is read again on each try: after a
 * reload the browser may restore the scroll position after it was first read (the
 * article's paragraphs get their real heights as they are laid out), and a click at
 * the old place lands beside the span (seen once in CI). A second click on a selected span keeps it selected.
 */
async function selectSpan(page: Page, needle: string): Promise<void> {
	await expect(async () => {
		const inside = await charBox(page, needle, 3);
		await page.mouse.click(inside.x, inside.y);
		await expect(page.locator('.ProseMirror .span.selected')).toHaveCount(1, { timeout: 2000 });
	}).toPass({ timeout: 10_000 });
}

test('annotator gives «samedi 4 mai 2024» its TIMEX3 value and type with the keyboard; it survives reload', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'glilot', title: 'Glilot', text: TEXT, meta: { lang: 'fr' } }] });
	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);
	await page.goto(`/datasets/${slug}/documents/glilot`);
	await expect(article(page)).toBeVisible();

	await dragOver(page, DATE);
	await page.keyboard.press('4');
	await expect(page.locator('.ProseMirror .span[data-label="date"]')).toHaveText(DATE);
	await waitSaved(page, 1);

	await selectSpan(page, DATE);
	await expect(panel(page)).toBeVisible();
	// Enter on the selected span: the first attribute, the TIMEX3 value
	await page.keyboard.press('Enter');
	await expect(valueField(page)).toBeFocused();
	// a typo is flagged and read back as invalid, and not saved
	await page.keyboard.type('2024-13-04');
	await expect(valueField(page)).toHaveAttribute('aria-invalid', 'true');
	await expect(panel(page).locator('.reading')).toContainText('is not a TIMEX3 value');
	// number keys typed in a field are text, not label keys
	await expect(page.locator('.ProseMirror .span[data-label="date"]')).toHaveCount(1);
	await page.keyboard.press('Control+a');
	await page.keyboard.type('2024-05-04');
	await expect(valueField(page)).not.toHaveAttribute('aria-invalid', 'true');
	await expect(panel(page).locator('.reading')).toHaveText('Saturday 4 May 2024');
	// Tab: the next attribute, the type; its options have number keys
	await page.keyboard.press('Tab');
	const typeField = panel(page).locator('[data-attribute="type"] [role="radiogroup"]');
	await expect(typeField).toBeFocused();
	await waitSaved(page, 2); // leaving the value field committed it
	await page.keyboard.press('1');
	await expect(typeField.getByRole('radio', { name: 'DATE' })).toHaveAttribute('aria-checked', 'true');
	await waitSaved(page, 3);
	// Esc: back to the text, the span still selected; the label keys work again
	await page.keyboard.press('Escape');
	await expect(typeField).not.toBeFocused();
	await expect(page.locator('.ProseMirror .span.selected')).toHaveCount(1);
	// attribute changes go through undo and redo like spans, and are saved the same way
	await page.keyboard.press('Control+z');
	await expect(typeField.getByRole('radio', { name: 'DATE' })).toHaveAttribute('aria-checked', 'false');
	await waitSaved(page, 4);
	await page.keyboard.press('Control+Shift+z');
	await expect(typeField.getByRole('radio', { name: 'DATE' })).toHaveAttribute('aria-checked', 'true');
	await waitSaved(page, 5);

	const api = await apiAs('ann1');
	const saved = await (await api.get(`/api/datasets/${slug}/documents/glilot/annotations/me`)).json();
	await api.dispose();
	const start = Array.from(TEXT.slice(0, TEXT.indexOf(DATE))).length;
	expect(saved.spans).toEqual([
		{ id: expect.any(String), start, end: start + DATE.length, label: 'date', text: DATE, attrs: { type: 'DATE', value: '2024-05-04' } }
	]);
	expect(saved.revision).toBe(5);

	await page.reload();
	await expect(article(page)).toBeVisible();
	await selectSpan(page, DATE);
	await expect(valueField(page)).toHaveValue('2024-05-04');
	await expect(panel(page).locator('.reading')).toHaveText('Saturday 4 May 2024');
	await expect(panel(page).getByRole('radio', { name: 'DATE' })).toHaveAttribute('aria-checked', 'true');
});

test('a lead adds an attribute in Settings; taking away one that spans use asks first with the count, and nothing changes until confirmed', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'glilot', title: 'Glilot', text: TEXT }] });
	const ann1 = await apiAs('ann1');
	const start = Array.from(TEXT.slice(0, TEXT.indexOf(DATE))).length;
	const saved = await ann1.put(`/api/datasets/${slug}/documents/glilot/annotations/me`, {
		data: { baseRevision: 0, spans: [{ start, end: start + DATE.length, label: 'date', attrs: { value: '2024-05-04', type: 'DATE' } }] }
	});
	expect(saved.status(), await saved.text()).toBe(200);
	await ann1.dispose();

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	const row = page.locator('tr[data-label-row="claim"]');
	await row.locator('summary', { hasText: 'Attributes' }).click();
	await row.getByRole('button', { name: 'Add attribute' }).click();
	await row.getByLabel('Attribute name (claim)').fill('certainty');
	await row.getByLabel('Type of certainty').selectOption('enum');
	await row.getByLabel('Options of certainty').fill('sure, unsure');
	await row.getByText('required').click();
	await page.getByRole('button', { name: 'Save labels' }).click();
	await expect(page.getByText('Labels saved.')).toBeVisible();

	const lead = await apiAs('lead');
	const labels = async () => (await (await lead.get(`/api/datasets/${slug}`)).json()).labels as Array<{ name: string; attributes: unknown[] }>;
	expect((await labels()).find((l) => l.name === 'claim')!.attributes).toEqual([{ name: 'certainty', type: 'enum', options: ['sure', 'unsure'], required: true }]);
	// the date label kept its attributes through the form
	expect((await labels()).find((l) => l.name === 'date')!.attributes).toHaveLength(2);

	// removing the date's "value", which a span uses
	const dateRow = page.locator('tr[data-label-row="date"]');
	await dateRow.locator('summary', { hasText: 'Attributes' }).click();
	await dateRow.getByRole('button', { name: 'Remove attribute value' }).click();
	await page.getByRole('button', { name: 'Save labels' }).click();
	// issue #17: no longer refused outright: a confirmation with the count (it was a refusal while values could not be rewritten)
	await expect(page.getByRole('alertdialog')).toContainText('Removing attribute “value” of “date” clears its value on 1 span.');
	expect((await labels()).find((l) => l.name === 'date')!.attributes).toHaveLength(2);
	await page.getByRole('alertdialog').getByRole('button', { name: 'Apply the change' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Labels saved.' })).toContainText('1 attribute value changed');
	expect((await labels()).find((l) => l.name === 'date')!.attributes).toEqual([{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION', 'SET'] }]);
	const ann1b = await apiAs('ann1');
	const set = await (await ann1b.get(`/api/datasets/${slug}/documents/glilot/annotations/me`)).json();
	expect(set.spans[0].attrs).toEqual({ type: 'DATE' });
	await ann1b.dispose();
	await lead.dispose();
});
