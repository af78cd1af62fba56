/**
 * Find in the article (Ctrl+F) and "find spans" across the corpus (issue #20
 * item 4): an annotator finds a word in a long article, steps through the
 * hits, closes the bar and tags the hit with a label key, and it is saved; a
 * lead finds spans by label and text and opens one where it is.
 */
import { test, expect, type Page } from '@playwright/test';
import { PASSWORD, apiAs, seedDataset } from '../helpers/api';

const article = (page: Page) => page.locator('.article[data-ready="true"] .ProseMirror');
const findInput = (page: Page) => page.getByRole('searchbox', { name: 'Find in the article' });
const findCount = (page: Page) => page.locator('[data-find-count]');
const currentHit = (page: Page) => page.locator('.ProseMirror mark.find-hit.current');

async function login(page: Page, username: string): Promise<void> {
	const res = await page.request.post('/api/login', { data: { username, password: PASSWORD } });
	expect(res.status()).toBe(200);
}

test('Ctrl+F finds in the article, steps through the hits, and Esc leaves the hit selected so a label key tags it', async ({ page }) => {
	// a long article (the hits are far apart), with accents, an emoji before them and Arabic
	const filler = Array.from({ length: 120 }, (_, i) => `Line ${i} of the report about the budget.`).join('\n');
	const text = `🎉 Le Préfet a parlé.\n${filler}\nLe PREFET de Lyon et مُحَمَّد.\n${filler}\nUn préfet-adjoint.`;
	const slug = await seedDataset({ documents: [{ id: 'a', title: 'Préfets', text }] });
	await login(page, 'ann1');
	await page.goto(`/datasets/${slug}/documents/a`);
	await expect(article(page)).toBeVisible();

	await page.keyboard.press('Control+f');
	await expect(findInput(page)).toBeFocused();
	await page.keyboard.type('prefet');
	await expect(page.locator('.ProseMirror mark.find-hit')).toHaveCount(3);
	await expect(findCount(page)).toHaveText('1 of 3');
	await expect(currentHit(page)).toHaveText('Préfet');

	await page.keyboard.press('Enter');
	await expect(findCount(page)).toHaveText('2 of 3');
	await expect(currentHit(page)).toHaveText('PREFET');
	await expect(currentHit(page)).toBeInViewport();
	await page.keyboard.press('F3');
	await expect(findCount(page)).toHaveText('3 of 3');
	await expect(currentHit(page)).toHaveText('préfet');
	await page.keyboard.press('Enter');
	await expect(findCount(page)).toHaveText('1 of 3');
	await page.keyboard.press('Shift+Enter');
	await expect(findCount(page)).toHaveText('3 of 3');
	await page.keyboard.press('Shift+F3');
	await expect(findCount(page)).toHaveText('2 of 3');

	// Arabic without its vowel marks finds the word with them
	await findInput(page).fill('محمد');
	await expect(findCount(page)).toHaveText('1 of 1');
	await expect(currentHit(page)).toHaveText('مُحَمَّد');
	await findInput(page).fill('nowhere');
	await expect(findCount(page)).toHaveText('No matches');
	await findInput(page).fill('PRÉFET');
	await expect(findCount(page)).toHaveText('1 of 3');
	await page.keyboard.press('Enter');
	await expect(findCount(page)).toHaveText('2 of 3');

	// Esc: the bar goes, the highlights with it, the hit is the text selection, the label key tags it
	await page.keyboard.press('Escape');
	await expect(findInput(page)).toHaveCount(0);
	await expect(page.locator('.ProseMirror mark.find-hit')).toHaveCount(0);
	await expect(page.locator('.label-bar .hint')).toContainText('PREFET');
	await page.keyboard.press('1');
	await expect(page.locator('.ProseMirror .span[data-label="claim"]')).toHaveText('PREFET');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');

	const ann1 = await apiAs('ann1');
	const saved = await (await ann1.get(`/api/datasets/${slug}/documents/a/annotations/me`)).json();
	const start = Array.from(text.slice(0, text.indexOf('PREFET'))).length; // code points: the emoji is one
	expect(saved.spans).toEqual([expect.objectContaining({ start, end: start + 6, label: 'claim', text: 'PREFET' })]);

	// the editor goes on as before: undo takes the span away and the save follows
	await page.keyboard.press('Control+z');
	await expect(page.locator('.ProseMirror .span')).toHaveCount(0);
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-revision', '2');
	await ann1.dispose();
});

test('closing the find bar without a hit gives back the span that was selected', async ({ page }) => {
	const text = 'The minister said the economy grew.';
	const slug = await seedDataset({ documents: [{ id: 'a', title: 'Growth', text }] });
	const ann1 = await apiAs('ann1');
	const put = await ann1.put(`/api/datasets/${slug}/documents/a/annotations/me`, {
		data: { baseRevision: 0, spans: [{ start: 4, end: 12, label: 'claim' }] }
	});
	expect(put.status(), await put.text()).toBe(200);
	await ann1.dispose();
	await login(page, 'ann1');
	await page.goto(`/datasets/${slug}/documents/a`);
	await expect(article(page)).toBeVisible();
	await page.locator('.span-list button.item').first().click();
	await expect(page.locator('.ProseMirror .span.selected')).toHaveText('minister');

	await page.keyboard.press('Control+f');
	await page.keyboard.type('zzz');
	await expect(findCount(page)).toHaveText('No matches');
	await page.keyboard.press('Escape');
	await expect(findInput(page)).toHaveCount(0);
	await expect(page.locator('.ProseMirror .span.selected')).toHaveText('minister');
	// the selected span still takes the label keys: relabelled
	await page.keyboard.press('2');
	await expect(page.locator('.ProseMirror .span[data-label="attribution"]')).toHaveText('minister');
});

test('find spans: an annotator filters by label and text, opens a hit, and the document opens at the span', async ({ page }) => {
	const filler = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} about nothing in particular.`).join('\n');
	const text = `Intro.\n${filler}\nLe préfet a parlé hier.`;
	const slug = await seedDataset({
		documents: [
			{ id: 'a', title: 'Le préfet', text },
			{ id: 'b', title: 'Autre', text: 'Rien du préfet ici.' }
		]
	});
	const start = Array.from(text.slice(0, text.indexOf('préfet'))).length;
	const ann1 = await apiAs('ann1');
	for (const [doc, spans] of [
		['a', [{ start, end: start + 6, label: 'claim' }, { start: 0, end: 5, label: 'date' }]],
		['b', [{ start: 0, end: 4, label: 'claim' }]]
	] as const) {
		const res = await ann1.put(`/api/datasets/${slug}/documents/${doc}/annotations/me`, { data: { baseRevision: 0, spans } });
		expect(res.status(), await res.text()).toBe(200);
	}
	await ann1.dispose();
	await login(page, 'ann1');

	await page.goto(`/datasets/${slug}`);
	await page.getByRole('navigation', { name: 'dataset' }).getByRole('link', { name: 'Find spans' }).click();
	await expect(page.getByText('Choose a label or type some text, then press Find.')).toBeVisible();
	const form = page.getByRole('search', { name: 'Find spans' });
	await form.getByLabel('Label').selectOption('claim');
	await form.getByLabel('Text contains').fill('nowhere');
	await form.getByRole('button', { name: 'Find' }).click();
	await expect(page.getByTestId('no-spans')).toContainText('No spans match');

	await form.getByLabel('Text contains').fill('PREFET');
	await form.getByRole('button', { name: 'Find' }).click();
	await expect(page).toHaveURL(/label=claim&text=PREFET/);
	await expect(page.getByTestId('span-count')).toHaveText('1 span');
	const row = page.locator('.span-hits tbody tr');
	await expect(row).toHaveCount(1);
	await expect(row.locator('mark')).toHaveText('préfet');
	await expect(row).toContainText(`${start}–${start + 6}`);

	await row.getByRole('link', { name: 'Le préfet', exact: true }).click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${slug}/documents/a\\?span=`));
	const selected = page.locator('.article .span.selected');
	await expect(selected).toHaveText('préfet');
	await expect(selected).toBeInViewport();
	await expect(page.locator('.workspace[data-flash]')).toHaveCount(1);
});

test('find spans: a lead finds an annotator’s span and opens it in the review view, on its lane', async ({ page }) => {
	const text = 'Le maire a parlé. Le préfet aussi.';
	const slug = await seedDataset({ documents: [{ id: 'a', title: 'Maire', text }] });
	const start = Array.from(text.slice(0, text.indexOf('préfet'))).length;
	const ann2 = await apiAs('ann2');
	const res = await ann2.put(`/api/datasets/${slug}/documents/a/annotations/me`, { data: { baseRevision: 0, spans: [{ start, end: start + 6, label: 'attribution' }] } });
	expect(res.status(), await res.text()).toBe(200);
	await ann2.dispose();
	await login(page, 'lead');

	await page.goto(`/datasets/${slug}/spans?label=attribution&text=pref`);
	const row = page.locator('.span-hits tbody tr');
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('ann2');
	await row.getByRole('link', { name: 'Open Maire at “préfet”' }).click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${slug}/review/a\\?lane=ann2&span=`));
	await expect(page.locator('.span.focused[data-lane="ann2"]')).toHaveText('préfet');
	await expect(page.locator('.layout[data-flash]')).toHaveCount(1);
});
