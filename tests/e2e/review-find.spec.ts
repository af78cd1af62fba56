/**
 * Find in the document in the review view (Ctrl+F, issue #20): a lead finds a
 * word in a long article, accents and case aside, steps through the hits in
 * every lane, closes the bar and tags the hit into gold with a label key, and
 * the review keys work again. The hits are drawn without touching the lanes.
 */
import { test, expect, type Page } from '@playwright/test';
import { apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';

const findInput = (page: Page) => page.getByRole('searchbox', { name: 'Find in the article' });
const findCount = (page: Page) => page.locator('[data-find-count]');
const lanesText = (page: Page) => page.locator('.lanes').evaluate((el) => el.textContent);

/** The drawn hits (CSS highlights), each its text and its row: a lane's name, or "text" for the text shown once. */
async function highlights(page: Page): Promise<{ hits: string[]; current: string[] }> {
	return page.evaluate(() => {
		const list = (name: string) =>
			[...(CSS.highlights.get(name) ?? [])].map((r) => {
				const row = r.startContainer.parentElement?.closest('[data-lane]')?.getAttribute('data-lane') ?? 'text';
				return `${row}: ${r.toString()}`;
			});
		return { hits: list('find-hit'), current: list('find-current') };
	});
}

/** Whether the current hit (its first row) is inside the window. */
async function currentInViewport(page: Page): Promise<boolean> {
	return page.evaluate(() => {
		const range = [...(CSS.highlights.get('find-current') ?? [])][0] as Range | undefined;
		const rect = range?.getBoundingClientRect();
		return !!rect && rect.height > 0 && rect.top >= 0 && rect.bottom <= window.innerHeight;
	});
}

async function annotate(slug: string, user: string, spans: Array<{ start: number; end: number; label: string }>): Promise<void> {
	const api = await apiAs(user);
	const res = await api.put(`/api/datasets/${slug}/documents/r1/annotations/me`, { data: { baseRevision: 0, spans, status: 'done' } });
	expect(res.status(), await res.text()).toBe(200);
	await api.dispose();
}

/** [start, end) in code points of the n-th `needle` in `text` (the emoji is one). */
function codePoints(text: string, needle: string, from = 0): { start: number; end: number } {
	const at = text.indexOf(needle, from);
	const start = Array.from(text.slice(0, at)).length;
	return { start, end: start + Array.from(needle).length };
}

test('Ctrl+F in the review view highlights every hit in every lane, steps through them, and Esc leaves the hit to tag into gold', async ({ page }) => {
	const filler = Array.from({ length: 120 }, (_, i) => `Line ${i} of the report about the budget.`).join('\n');
	const text = `🎉 Le Préfet a parlé.\n${filler}\nLe PREFET de Lyon et le maire.\n${filler}\nUn préfet-adjoint.`;
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'Préfets', text }] });
	// ann1: "Préfet" attribution, "maire" claim; ann2: "PREFET" attribution
	await annotate(slug, 'ann1', [
		{ ...codePoints(text, 'Préfet'), label: 'attribution' },
		{ ...codePoints(text, 'maire'), label: 'claim' }
	]);
	await annotate(slug, 'ann2', [{ ...codePoints(text, 'PREFET'), label: 'attribution' }]);
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/review/r1`);
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();
	const progress = page.getByTestId('review-progress');
	const open = await progress.textContent();
	const before = await lanesText(page);

	await page.keyboard.press('Control+f');
	await expect(findInput(page)).toBeFocused();
	// "prefet" holds p, r and e, review keys (previous, reject, edit): typed into the bar, they do nothing else
	await page.keyboard.type('prefet');
	await expect(findCount(page)).toHaveText('1 of 3');
	await expect(page.getByTestId('focused-span')).toHaveCount(0);
	await expect(progress).toHaveText(open!);
	// every hit in every row that shows the text: the first line has the text, ann1's row and gold's (ann2 has
	// nothing there); the middle one the text and all three lanes; the last line only the text
	await expect.poll(() => highlights(page)).toEqual({
		current: ['text: Préfet', 'ann1: Préfet', 'gold: Préfet'],
		hits: ['text: PREFET', 'ann1: PREFET', 'ann2: PREFET', 'gold: PREFET', 'text: préfet']
	});
	expect(await lanesText(page)).toBe(before);

	await page.keyboard.press('Enter');
	await expect(findCount(page)).toHaveText('2 of 3');
	await expect.poll(async () => (await highlights(page)).current).toEqual(['text: PREFET', 'ann1: PREFET', 'ann2: PREFET', 'gold: PREFET']);
	await expect.poll(() => currentInViewport(page)).toBe(true);
	await page.keyboard.press('Enter');
	await expect(findCount(page)).toHaveText('3 of 3');
	await expect.poll(async () => (await highlights(page)).current).toEqual(['text: préfet']);
	await expect.poll(() => currentInViewport(page)).toBe(true);
	await page.keyboard.press('Shift+Enter');
	await expect(findCount(page)).toHaveText('2 of 3');
	await expect.poll(() => currentInViewport(page)).toBe(true);
	// accents and case the other way round
	await findInput(page).fill('PRÉFET-ADJ');
	await expect(findCount(page)).toHaveText('1 of 1');
	await expect.poll(async () => (await highlights(page)).current).toEqual(['text: préfet-adj']);
	await findInput(page).fill('préfet');
	await expect(findCount(page)).toHaveText('1 of 3');
	await page.keyboard.press('Enter');
	await expect(findCount(page)).toHaveText('2 of 3');
	expect(await lanesText(page)).toBe(before);

	// Esc: the bar and the highlights go, the text is as it was, the hit is selected: a label key tags it into gold
	await page.keyboard.press('Escape');
	await expect(findInput(page)).toHaveCount(0);
	await expect.poll(() => highlights(page)).toEqual({ hits: [], current: [] });
	expect(await lanesText(page)).toBe(before);
	await expect(page.getByTestId('selection-card')).toContainText('PREFET');
	await page.keyboard.press('1');
	await expect(page.locator('.row[data-lane="gold"] .span[data-label="claim"]')).toHaveText('PREFET');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	// and the review keys work again: Esc clears the focus, n goes to the first disagreement
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('focused-span')).toHaveCount(0);
	await page.keyboard.press('n');
	await expect(page.getByTestId('focused-span')).toContainText('Préfet');

	const lead = await apiAs('lead');
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/r1/annotations/gold`)).json();
	expect(gold.spans).toEqual([expect.objectContaining({ ...codePoints(text, 'PREFET'), label: 'claim', text: 'PREFET' })]);
	await lead.dispose();
});

test('with the bar open, a click on a span and a drag over the text work as before, and the hits follow the lanes as they change', async ({ page }) => {
	const text = 'Le ministre a déclaré mardi.\nLa réforme serait votée, dit le Ministre.';
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'La réforme', text }] });
	await annotate(slug, 'ann1', [{ ...codePoints(text, 'ministre'), label: 'attribution' }]);
	await annotate(slug, 'ann2', [{ ...codePoints(text, 'réforme'), label: 'claim' }]);
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/review/r1`);
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();

	await page.keyboard.press('Control+f');
	await page.keyboard.type('ministre');
	await expect(findCount(page)).toHaveText('1 of 2');
	// the first line: the text, ann1's row and gold's (ann2 has nothing there); the second: the text, ann2's and gold's
	await expect.poll(() => highlights(page)).toEqual({
		current: ['text: ministre', 'ann1: ministre', 'gold: ministre'],
		hits: ['text: Ministre', 'ann2: Ministre', 'gold: Ministre']
	});

	// a click on ann1's span focuses it (the bar stays open); a accepts it into gold: the gold row is drawn anew, its hit too
	await page.locator('.row[data-lane="ann1"] .span[data-label="attribution"]').click();
	await expect(page.getByTestId('focused-span')).toContainText('ministre');
	await page.keyboard.press('a');
	await expect(page.locator('.row[data-lane="gold"] .span[data-label="attribution"]')).toHaveText('ministre');
	await expect.poll(async () => (await highlights(page)).current).toEqual(['text: ministre', 'ann1: ministre', 'gold: ministre']);
	await expect(findCount(page)).toHaveText('1 of 2');

	// a drag over "réforme" in gold's row selects it for gold, highlights and all; 1 tags it
	const drag = await page.locator('.para').nth(1).locator('.row.gold .text').evaluate((el, needle) => {
		const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		let node = walker.nextNode() as Text;
		while (!node.data.includes(needle)) node = walker.nextNode() as Text;
		const at = node.data.indexOf(needle);
		const range = document.createRange();
		range.setStart(node, at);
		range.setEnd(node, at + 1);
		const first = range.getBoundingClientRect();
		range.setStart(node, at + needle.length - 1);
		range.setEnd(node, at + needle.length);
		const last = range.getBoundingClientRect();
		return { from: first.left + 1, to: last.right - 1, y: first.top + first.height / 2 };
	}, 'réforme');
	await page.mouse.move(drag.from, drag.y);
	await page.mouse.down();
	await page.mouse.move(drag.to, drag.y, { steps: 6 });
	await page.mouse.up();
	await expect(page.getByTestId('selection-card')).toContainText('réforme');
	await expect(findInput(page)).toBeVisible();
	await page.keyboard.press('1');
	await expect(page.locator('.row[data-lane="gold"] .span[data-label="claim"]')).toHaveText('réforme');
	await expect.poll(() => highlights(page)).toEqual({
		current: ['text: ministre', 'ann1: ministre', 'gold: ministre'],
		hits: ['text: Ministre', 'ann2: Ministre', 'gold: Ministre']
	});
});

test('a one-letter query on a 50,000-character document is capped and the page keeps up', async ({ page }) => {
	const line = 'The committee met every week to review the budget.'; // 50 characters, 12 "e"
	const text = Array.from({ length: 1000 }, () => line).join('\n');
	expect(text.length).toBeGreaterThan(50_000);
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'Long', text }] });
	await annotate(slug, 'ann1', [{ ...codePoints(text, 'committee'), label: 'attribution' }]);
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/review/r1`);
	await expect(page.locator('.layout[data-ready="true"]')).toBeVisible();

	await page.keyboard.press('Control+f');
	const started = Date.now();
	await page.keyboard.type('e');
	await expect(findCount(page)).toHaveText('1 of 1,000+');
	// at most FIND_LIMIT (1,000) hits, each in the rows that show its line
	const { hits, current } = await highlights(page);
	expect(current).toEqual(['text: e', 'ann1: e', 'gold: e']);
	expect(hits.filter((h) => h.startsWith('text:'))).toHaveLength(999);
	await page.keyboard.press('Enter');
	await expect(findCount(page)).toHaveText('2 of 1,000+');
	await page.keyboard.press('Escape');
	await expect(findInput(page)).toHaveCount(0);
	// generous for a 2-core machine running two workers; without the cap this is many seconds
	const took = Date.now() - started;
	test.info().annotations.push({ type: 'find, type to Esc', description: `${took} ms` });
	expect(took).toBeLessThan(5_000);
});
