/**
 * Suggestions in the annotation view (issue #18 item 2), as an annotator uses
 * them: the sample article's dates arrive as dashed outlines after the page is
 * up; Tab goes through them, Enter or A accepts, X rejects, Shift+A accepts all
 * of a source after asking. Accepted suggestions are spans with their TIMEX3
 * values and their source; a rejection is saved and stays gone after reload.
 * Real Chromium, the production build, a dataset and accounts of this test's own.
 */
import fs from 'node:fs';
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { PASSWORD, apiAs, uniqueSlug } from '../helpers/api';
import { charBox } from '../helpers/article';

const TEXT = fs.readFileSync('datasets/samples/fr-glilot-2024-05-04.txt', 'utf8');
/** code point offset of the `occurrence`-th `needle` */
const cpAt = (needle: string, occurrence = 0) => {
	let at = -1;
	for (let k = 0; k <= occurrence; k++) at = TEXT.indexOf(needle, at + 1);
	return Array.from(TEXT.slice(0, at)).length;
};
const keyOf = (needle: string) => `${cpAt(needle)}:${cpAt(needle) + Array.from(needle).length}:date`;
/** «3» of «du 3 au 4 mai» */
const THREE = `${cpAt('3 au')}:${cpAt('3 au') + 1}:date`;
/** «samedi» of «ont rapporté samedi que», the last date of the article */
const LAST = `${cpAt('samedi que')}:${cpAt('samedi que') + 6}:date`;
/** the dates the tagger finds in the sample article with a reference date of Monday 2024-05-06 (see src/lib/server/suggest/suggestions.ts) */
const DATES = 9;

const article = (page: Page) => page.locator('.article[data-ready="true"] .ProseMirror');
const suggestionsIn = (page: Page) => article(page).locator('.suggestion');
const focused = (page: Page) => article(page).locator('.suggestion.focused');
const panel = (page: Page) => page.locator('section.suggestions');
const saveIndicator = (page: Page) => page.locator('.save[data-state]');
const dateSpans = (page: Page) => article(page).locator('.span[data-label="date"]');

/** Everything saved (and, when given, as that revision: a burst of edits may go in one save). */
/** The focused suggestion is on screen and nothing (the label bar that sticks at the top) covers it. */
async function expectFocusedInSight(page: Page): Promise<void> {
	await expect(focused(page)).toBeInViewport();
	await expect
		.poll(() =>
			focused(page).evaluate((el) => {
				const r = el.getClientRects()[0];
				const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				return !!hit && (el.contains(hit) || hit.contains(el));
			})
		)
		.toBe(true);
}

async function waitSaved(page: Page, revision?: number): Promise<void> {
	await expect(saveIndicator(page)).toHaveAttribute('data-state', 'saved');
	if (revision !== undefined) await expect(saveIndicator(page)).toHaveAttribute('data-revision', String(revision));
}

/**
 * A lead and an annotator of this test only (made by the demo lead, whose
 * account is used for nothing else), and a dataset of theirs with the sample article.
 */
async function seed(): Promise<{ slug: string; annotator: string; lead: APIRequestContext }> {
	const admin = await apiAs('lead');
	const [leadName, annotator] = [uniqueSlug('sgl'), uniqueSlug('sga')];
	for (const [username, role] of [[leadName, 'lead'], [annotator, 'annotator']]) {
		const res = await admin.post('/api/users', { data: { username, password: PASSWORD, role } });
		expect(res.status(), await res.text()).toBe(201);
	}
	await admin.dispose();
	const lead = await apiAs(leadName);
	const slug = uniqueSlug('sug');
	const created = await lead.post('/api/datasets', { data: { slug, title: 'Suggestions' } });
	expect(created.status(), await created.text()).toBe(201);
	const imported = await lead.post(`/api/datasets/${slug}/documents`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: JSON.stringify({ id: 'glilot', title: 'Glilot', text: TEXT, meta: { lang: 'fr', date: '2024-05-06' } }) + '\n'
	});
	expect(imported.status(), await imported.text()).toBe(200);
	const member = await lead.put(`/api/datasets/${slug}/members/${annotator}`, { data: { role: 'annotator' } });
	expect(member.status(), await member.text()).toBe(200);
	return { slug, annotator, lead };
}

async function openAs(page: Page, username: string, slug: string): Promise<void> {
	expect((await page.request.post('/api/login', { data: { username, password: PASSWORD } })).status()).toBe(200);
	await page.goto(`/datasets/${slug}/documents/glilot`);
	await expect(article(page)).toBeVisible();
}

test('an annotator accepts two date suggestions with the keyboard and rejects one; after reload the two are spans with values and the rejected one stays gone', async ({ page }) => {
	const { slug, annotator, lead } = await seed();
	await openAs(page, annotator, slug);

	// the suggestions arrive after the article, as dashed outlines, counted per source in the side panel
	await expect(suggestionsIn(page)).toHaveCount(DATES);
	// asked for only after the page first painted
	const timing = await page.evaluate(() => ({
		paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
		asked: performance.getEntriesByType('resource').find((r) => r.name.endsWith('/suggestions'))?.startTime ?? null
	}));
	expect(timing.paint).not.toBeNull();
	expect(timing.asked).toBeGreaterThan(timing.paint!);
	await expect(panel(page).locator('li[data-source="dates"] [data-count]')).toHaveText(String(DATES));
	await expect(dateSpans(page)).toHaveCount(0);

	// Tab: the first suggestion, shown focused and named in the panel
	await page.keyboard.press('Tab');
	await expect(focused(page)).toHaveAttribute('data-suggestion-key', keyOf('samedi 4 mai 2024'));
	await expect(focused(page)).toHaveText('samedi 4 mai 2024');
	await expect(panel(page).locator('.focused')).toContainText('2024-05-04');
	await expectFocusedInSight(page);
	// Enter accepts: a date span with its value; the focus goes on to the next suggestion («3» of «du 3 au 4 mai»)
	await page.keyboard.press('Enter');
	await expect(dateSpans(page)).toHaveText(['samedi 4 mai 2024']);
	await expect(focused(page)).toHaveAttribute('data-suggestion-key', THREE);
	await waitSaved(page, 1);

	// X rejects it: it goes; undo brings it back, redo takes it away again
	await page.keyboard.press('x');
	await expect(suggestionsIn(page)).toHaveCount(DATES - 2);
	await expect(article(page).locator(`[data-suggestion-key="${THREE}"]`)).toHaveCount(0);
	await page.keyboard.press('Control+z');
	await expect(suggestionsIn(page)).toHaveCount(DATES - 1);
	await page.keyboard.press('Control+Shift+z');
	await expect(suggestionsIn(page)).toHaveCount(DATES - 2);
	await waitSaved(page);

	// the focus is on «4 mai» now; Tab on to «le 7 octobre», A accepts it
	await expect(focused(page)).toHaveText('4 mai');
	await page.keyboard.press('Tab');
	await expect(focused(page)).toHaveText('le 7 octobre');
	await expectFocusedInSight(page);
	await page.keyboard.press('a');
	await expect(dateSpans(page)).toHaveText(['samedi 4 mai 2024', 'le 7 octobre']);
	await expect(panel(page).locator('li[data-source="dates"] [data-count]')).toHaveText(String(DATES - 3));
	await waitSaved(page);
	// Shift+Tab goes back, wrapping round to the last one, at the end of the article, brought into view
	await page.keyboard.press('Shift+Tab');
	await expect(focused(page)).toHaveText('4 mai');
	await page.keyboard.press('Shift+Tab');
	await expect(focused(page)).toHaveAttribute('data-suggestion-key', LAST);
	await expectFocusedInSight(page);
	await page.keyboard.press('Tab');
	await expect(focused(page)).toHaveText('4 mai');
	await expectFocusedInSight(page);

	// read through the API: spans with their TIMEX3 values and their source, the rejection kept with the set
	const me = await apiAs(annotator);
	const saved = await (await me.get(`/api/datasets/${slug}/documents/glilot/annotations/me`)).json();
	const samedi = cpAt('samedi 4 mai 2024');
	const octobre = cpAt('le 7 octobre');
	expect(saved.spans).toEqual([
		{ id: expect.any(String), start: samedi, end: samedi + 17, label: 'date', text: 'samedi 4 mai 2024', attrs: { type: 'DATE', value: '2024-05-04' }, source: 'dates' },
		{ id: expect.any(String), start: octobre, end: octobre + 12, label: 'date', text: 'le 7 octobre', attrs: { type: 'DATE', value: '2023-10-07' }, source: 'dates' }
	]);
	expect(saved.dismissed).toEqual([{ start: cpAt('3 au'), end: cpAt('3 au') + 1, label: 'date', source: 'dates' }]);
	await me.dispose();

	await page.reload();
	await expect(article(page)).toBeVisible();
	await expect(dateSpans(page)).toHaveText(['samedi 4 mai 2024', 'le 7 octobre']);
	await expect(suggestionsIn(page)).toHaveCount(DATES - 3);
	// the span list says where they came from
	await expect(page.locator('.span-list li .from[data-source="dates"]')).toHaveCount(2);
	await expect(article(page).locator(`[data-suggestion-key="${THREE}"]`)).toHaveCount(0);
	// an accepted span carries its value: its attribute panel reads it back
	// (the reload keeps the scroll position, which went down the article with the focused suggestion; the label bar sticks at the top)
	await dateSpans(page).first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
	await expect(dateSpans(page).first()).toBeInViewport();
	const inside = await charBox(page, 'samedi 4 mai 2024', 3);
	await page.mouse.click(inside.x, inside.y);
	await expect(page.locator('[data-attributes-panel] [data-attribute="value"] input')).toHaveValue('2024-05-04');
	// the lead sees the same through the API
	const asLead = await (await lead.get(`/api/datasets/${slug}/documents/glilot/annotations/${annotator}`)).json();
	expect(asLead.spans.map((s: { text: string; source?: string }) => [s.text, s.source])).toEqual([
		['samedi 4 mai 2024', 'dates'],
		['le 7 octobre', 'dates']
	]);
	await lead.dispose();
});

test('Shift+A accepts all suggestions of a source after a confirmation naming count and source; one undo takes them back', async ({ page }) => {
	const { slug, annotator, lead } = await seed();
	await lead.dispose();
	await openAs(page, annotator, slug);
	await expect(suggestionsIn(page)).toHaveCount(DATES);

	// Cancel changes nothing
	await page.keyboard.press('Shift+A');
	const dialog = page.getByRole('dialog');
	await expect(dialog).toContainText(`Accept ${DATES} suggestions from Dates?`);
	// the label keys do not tag anything behind the dialog
	await page.keyboard.press('1');
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toHaveCount(0);
	await expect(dateSpans(page)).toHaveCount(0);
	await expect(suggestionsIn(page)).toHaveCount(DATES);

	await page.keyboard.press('Shift+A');
	await expect(dialog.getByRole('button', { name: `Accept ${DATES}` })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(dateSpans(page)).toHaveCount(DATES);
	await expect(suggestionsIn(page)).toHaveCount(0);
	await expect(panel(page)).toContainText('No suggestions for this document');
	await waitSaved(page, 1);

	await page.keyboard.press('Control+z');
	await expect(dateSpans(page)).toHaveCount(0);
	await expect(suggestionsIn(page)).toHaveCount(DATES);
	await waitSaved(page, 2);
});

test('the article is up and usable while suggestions are on their way; a failed load says so and Try again brings them', async ({ page }) => {
	const { slug, annotator, lead } = await seed();
	await lead.dispose();
	let release!: () => void;
	const held = new Promise<void>((r) => (release = r));
	let fail = true;
	await page.route('**/suggestions', async (route) => {
		await held;
		if (fail) await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"busy"}' });
		else await route.continue();
	});
	await openAs(page, annotator, slug);
	// the editor is ready, the panel waits, and Tab still moves the focus as without suggestions
	await expect(panel(page)).toContainText('Looking for suggestions');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
	await expect(suggestionsIn(page)).toHaveCount(0);

	release();
	await expect(panel(page)).toContainText('Suggestions could not be loaded');
	fail = false;
	await panel(page).getByRole('button', { name: 'Try again' }).click();
	await expect(suggestionsIn(page)).toHaveCount(DATES);
	await expect(panel(page).locator('li[data-source="dates"] [data-count]')).toHaveText(String(DATES));
});
