/**
 * Issue #15, the annotation view for a long day: stories of the walkthrough
 * (right-to-left text, keyboard navigation, density, nested spans, skip/flag).
 */
import { test, expect, type Page } from '@playwright/test';
import { PASSWORD, apiAs, gotoHydrated, loginUI, seedDataset } from '../helpers/api';
import { charBox } from '../helpers/article';
import { holdEditor } from '../helpers/editor';

const docUrl = (slug: string, id: string) => `/datasets/${slug}/documents/${id}`;
const article = (page: Page) => page.locator('.article[data-ready="true"] .ProseMirror');
const cpRange = (text: string, needle: string) => {
	const at = text.indexOf(needle);
	return { start: Array.from(text.slice(0, at)).length, end: Array.from(text.slice(0, at + needle.length)).length };
};
const direction = (page: Page, selector: string) =>
	page.locator(selector).evaluateAll((els) => els.map((el) => getComputedStyle(el).direction));

test('an Arabic paragraph reads right to left beside French ones, in the static article, the editor, the span list and the review lanes', async ({ page }) => {
	const arabic = 'قال الوزير إن الميزانية سترتفع.';
	const text = `Le ministre a parlé mardi.\n${arabic}\nLa suite en français.`;
	const slug = await seedDataset({ documents: [{ id: 'ar', title: 'Bilingue', text }] });
	const ann1 = await apiAs('ann1');
	const put = await ann1.put(`/api/datasets/${slug}/documents/ar/annotations/me`, {
		data: { baseRevision: 0, status: 'done', spans: [{ ...cpRange(text, 'الوزير'), label: 'attribution' }, { ...cpRange(text, 'ministre'), label: 'attribution' }] }
	});
	expect(put.status(), await put.text()).toBe(200);
	await ann1.dispose();
	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);

	const editorScript = await holdEditor(page);
	await page.goto(docUrl(slug, 'ar'));
	const staticParagraphs = '.article[data-ready="false"] .article-text.static p';
	await expect(page.locator(staticParagraphs)).toHaveCount(3);
	// polled: once, under load, the computed styles read empty just after the paragraphs appeared
	await expect.poll(() => direction(page, staticParagraphs)).toEqual(['ltr', 'rtl', 'ltr']);
	// the final "." of the Arabic sentence is on its left, where Arabic ends
	const stop = await charBox(page, arabic, arabic.length - 1);
	const first = await charBox(page, arabic, 0);
	expect(stop.right).toBeLessThan(first.left);
	// «mardi» is suggested as a date (issue #18): its outline is drawn in the static article too, so the swap stays invisible
	await expect(page.locator('.article-text.static .suggestion')).toHaveText(['mardi']);
	await page.mouse.move(0, 0);
	const before = await page.locator('.article').screenshot();

	editorScript.release();
	await expect(article(page)).toBeVisible();
	expect(await direction(page, '.ProseMirror p')).toEqual(['ltr', 'rtl', 'ltr']);
	const after = await page.locator('.article').screenshot();
	expect(after.equals(before), 'the editor draws the right-to-left paragraph exactly as the server did').toBe(true);
	// the span list: each excerpt takes its own direction
	const rows = page.locator('.span-list li .text');
	await expect(rows).toHaveCount(2);
	expect(await direction(page, '.span-list li .text')).toEqual(['ltr', 'rtl']);

	// the lead's review lanes
	expect((await page.request.post('/api/login', { data: { username: 'lead', password: PASSWORD } })).status()).toBe(200);
	await page.goto(`/datasets/${slug}/review/ar`);
	const arabicRows = page.locator('.lanes .text', { hasText: 'الميزانية' });
	await expect(arabicRows.first()).toBeVisible();
	const dirs = await arabicRows.evaluateAll((els) => els.map((el) => getComputedStyle(el).direction));
	expect(dirs.length).toBeGreaterThanOrEqual(2);
	expect(new Set(dirs)).toEqual(new Set(['rtl']));
	expect(await page.locator('.lanes .text', { hasText: 'Le ministre' }).first().evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
});

test('density: compact fits more text, is kept for this user only; the article uses the width beside the side panel; blank lines are gaps, not empty paragraphs', async ({ page, context }) => {
	const paragraphs = Array.from({ length: 24 }, (_, i) => `Paragraphe ${i + 1} : le conseil municipal a débattu longuement du budget, des transports et des écoles de la ville.`);
	const text = `Titre de l’article\nUne ligne juste après, sans ligne vide.\n\n${paragraphs.join('\n\n')}`;
	const slug = await seedDataset({ documents: [{ id: 'long', title: 'Long', text }] });
	await page.setViewportSize({ width: 1440, height: 900 });
	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);
	await page.goto(docUrl(slug, 'long'));
	await expect(article(page)).toBeVisible();

	// the column beside the side panel is used (the walkthrough measured ~620 px)
	const width = await page.locator('.article').evaluate((el) => el.getBoundingClientRect().width);
	expect(width).toBeGreaterThan(850);
	// blank lines are not drawn; the line before them ends a paragraph with a gap, a single line break has none
	const shown = await page.locator('.ProseMirror p').evaluateAll((ps) => ps.filter((p) => getComputedStyle(p).display !== 'none').length);
	expect(shown).toBe(2 + paragraphs.length);
	const gaps = await page.locator('.ProseMirror p').evaluateAll((ps) => {
		const visible = ps.filter((p) => getComputedStyle(p).display !== 'none');
		return visible.slice(0, 3).map((p, i) => (i + 1 < 3 ? visible[i + 1].getBoundingClientRect().top - p.getBoundingClientRect().bottom : 0));
	});
	expect(gaps[0]).toBe(0); // "Titre" → the next line: a line break
	expect(gaps[1]).toBeGreaterThan(5); // a blank line: a paragraph gap

	const visibleParagraphs = () =>
		page.locator('.ProseMirror p').evaluateAll((ps) => ps.filter((p) => getComputedStyle(p).display !== 'none' && p.getBoundingClientRect().bottom <= innerHeight).length);
	const comfortable = await visibleParagraphs();
	await page.getByRole('button', { name: 'Compact' }).click();
	await expect(page.locator('.article')).toHaveAttribute('data-density', 'compact');
	const compact = await visibleParagraphs();
	expect(compact).toBeGreaterThan(comfortable);

	// kept: after a reload and on the next document, the server renders it compact at once
	const html = await (await page.request.get(docUrl(slug, 'long'))).text();
	expect(html).toContain('data-density="compact"');
	await page.reload();
	await expect(page.locator('.article')).toHaveAttribute('data-density', 'compact');

	// the static article and the editor still look the same, to the pixel, in compact too
	const editorScript = await holdEditor(page);
	await page.reload();
	await expect(page.locator('.article[data-ready="false"] .article-text.static')).toBeVisible();
	await page.mouse.move(0, 0);
	const before = await page.locator('.article').screenshot();
	editorScript.release();
	await expect(article(page)).toBeVisible();
	const after = await page.locator('.article').screenshot();
	expect(after.equals(before)).toBe(true);
	await page.unroute('**/_app/immutable/**/*.js');

	// another user in the same browser has their own setting
	expect((await page.request.post('/api/login', { data: { username: 'ann2', password: PASSWORD } })).status()).toBe(200);
	await page.goto(docUrl(slug, 'long'));
	await expect(page.locator('.article')).toHaveAttribute('data-density', 'comfortable');
	expect((await context.cookies()).some((c) => c.name === 'spanlab_density_ann1' && c.value === 'compact')).toBe(true);
});

test('nested spans: every enclosing underline continues under the inner ones, and the labels under the pointer show at once', async ({ page }) => {
	const text = 'Le maire a promis le 7 octobre une baisse des impôts pour tous.';
	const claim = 'Le maire a promis le 7 octobre une baisse des impôts';
	const slug = await seedDataset({ documents: [{ id: 'n', title: 'Nested', text }] });
	const ann1 = await apiAs('ann1');
	const put = await ann1.put(`/api/datasets/${slug}/documents/n/annotations/me`, {
		data: { baseRevision: 0, spans: [{ ...cpRange(text, claim), label: 'claim' }, { ...cpRange(text, 'le 7 octobre'), label: 'date' }, { ...cpRange(text, 'maire'), label: 'attribution' }] }
	});
	expect(put.status()).toBe(200);
	await ann1.dispose();
	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);
	await page.goto(docUrl(slug, 'n'));
	await expect(article(page)).toBeVisible();

	// the claim's underline is drawn under every character it covers, inner spans included, and sits above theirs
	const underlines = await page.evaluate(() => {
		const pieces = [...document.querySelectorAll<HTMLElement>('.ProseMirror [data-label]')];
		return pieces.map((el) => ({
			label: el.dataset.label!,
			text: el.textContent,
			bottom: el.getBoundingClientRect().bottom,
			border: getComputedStyle(el).borderBottomWidth,
			style: getComputedStyle(el).borderBottomStyle
		}));
	});
	const claimPieces = underlines.filter((u) => u.label === 'claim');
	expect(claimPieces.map((p) => p.text).join('')).toBe(claim);
	for (const p of claimPieces) expect(p.border).toBe('2px');
	const claimBottom = Math.max(...claimPieces.map((p) => p.bottom));
	const inners = underlines.filter((u) => u.label !== 'claim');
	expect(inners.map((u) => u.label)).toEqual(expect.arrayContaining(['date', 'attribution']));
	for (const inner of inners) {
		expect(inner.bottom, `${inner.label} sits below the claim's line`).toBeGreaterThan(claimBottom);
		expect(inner.style).not.toBe('solid');
	}

	// the pointer over "7": the claim and the date, outermost first, without waiting for a tooltip
	const seven = await charBox(page, '7 octobre', 0);
	await page.mouse.move(seven.x, seven.y);
	const hover = page.getByTestId('hover-label');
	await expect(hover).toBeVisible({ timeout: 500 });
	await expect(hover.locator('.chip')).toHaveText(['claim', 'date']);
	await page.mouse.move(5, 5);
	await expect(hover).toHaveCount(0);
});

test('an annotator flags a document and skips it, comments on a span; the lead sees both in progress and review; a release has neither', async ({ page, browser }) => {
	const text = 'Le maire a annoncé mardi une hausse des impôts.';
	const slug = await seedDataset({
		documents: [
			{ id: 'f1', title: 'Impôts', text },
			{ id: 'f2', title: 'Suivant', text: 'Un autre article.' }
		]
	});
	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);
	await page.goto(docUrl(slug, 'f1'));
	await expect(article(page)).toBeVisible();

	// a span, selected, gets a comment
	const a = await charBox(page, 'maire', 0);
	const b = await charBox(page, 'maire', 4);
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move(b.right - 1, b.y, { steps: 4 });
	await page.mouse.up();
	await page.keyboard.press('2');
	await page.locator('.ProseMirror .span[data-label="attribution"]').click();
	await page.getByLabel('Comment', { exact: true }).fill('Is the mayor the source here?');
	await page.getByRole('button', { name: 'Comment on the selected span' }).click();
	await expect(page.getByTestId('comment')).toContainText('on “maire” (attribution)');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');

	// flag it as broken text and skip to the next document
	await page.getByLabel('Reason to flag this document').selectOption('broken_text');
	await page.getByLabel('Flag note').fill('the end is cut off');
	await page.getByRole('button', { name: 'Flag and skip' }).click();
	await expect(page).toHaveURL(new RegExp(`${docUrl(slug, 'f2')}$`));
	await page.goto(docUrl(slug, 'f1'));
	await expect(page.getByTestId('flag')).toContainText('Flagged: broken text — the end is cut off');
	await expect(page.getByTestId('comment')).toHaveCount(1);
	const mine = await (await page.request.get(`/api/datasets/${slug}/documents/f1/annotations/me`)).json();
	expect(mine.flag).toEqual({ reason: 'broken_text', note: 'the end is cut off' });
	expect(mine.comments).toEqual([{ id: expect.any(String), text: 'Is the mayor the source here?', span: { start: 3, end: 8, label: 'attribution' }, by: 'ann1', at: expect.any(String) }]);
	const history = await (await page.request.get(`/api/datasets/${slug}/documents/f1/annotations/me/revisions`)).json();
	expect(history.at(-1).flag.reason).toBe('broken_text');

	// blind: ann2 cannot read them; the lead sees them in progress and review
	const ann2 = await apiAs('ann2');
	expect((await ann2.get(`/api/datasets/${slug}/documents/f1/annotations/ann1`)).status()).toBe(403);
	await ann2.dispose();
	const leadContext = await browser.newContext();
	const lead = await leadContext.newPage();
	await loginUI(lead, 'lead');
	await lead.goto(`/datasets/${slug}/progress`);
	await expect(lead.locator('tr[data-document="f1"]').getByTestId('flag')).toHaveText('flagged: broken text');
	await lead.goto(`/datasets/${slug}/review/f1`);
	const notes = lead.getByTestId('annotator-notes');
	await expect(notes).toContainText('ann1 flagged it: broken text — the end is cut off');
	await expect(notes).toContainText('ann1 on “maire” (attribution): Is the mayor the source here?');

	// a release of the annotators' work holds neither
	await (await apiAs('ann1')).put(`/api/datasets/${slug}/documents/f1/annotations/me`, { data: { baseRevision: mine.revision, status: 'done' } });
	const leadApi = await apiAs('lead');
	const cut = await leadApi.post(`/api/datasets/${slug}/releases`, { data: { source: 'annotators' } });
	expect(cut.status(), await cut.text()).toBe(201);
	const jsonl = await (await leadApi.get(`/api/datasets/${slug}/releases/${(await cut.json()).name}`)).text();
	expect(jsonl).toContain('"doc_id":"f1"');
	expect(jsonl).not.toMatch(/flag|comment|the end is cut off|mayor the source/);
	await leadApi.dispose();
	await leadContext.close();
});

test("a dataset's quote rule: with 'snap over quote marks', a claim selected inside « » takes them, as for every annotator", async ({ page }) => {
	const text = 'Selon le ministre, « la réforme sera votée mardi ». Fin.';
	const slug = await seedDataset({ documents: [{ id: 'q1', title: 'Citation', text }] });
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	await page.getByLabel('Quotes and punctuation around a selection').selectOption('include');
	await page.getByRole('button', { name: 'Save details' }).click();
	await expect(page.getByText('Saved.')).toBeVisible();
	const lead = await apiAs('lead');
	expect((await (await lead.get(`/api/datasets/${slug}`)).json()).punctuation).toBe('include');
	await lead.dispose();

	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);
	await page.goto(docUrl(slug, 'q1'));
	await expect(article(page)).toBeVisible();
	const a = await charBox(page, 'la réforme', 1); // sloppy: from inside "la"
	const b = await charBox(page, 'votée mardi', 9); // to inside "mardi"
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move(b.right - 1, b.y, { steps: 5 });
	await page.mouse.up();
	await expect(page.locator('.label-bar .hint')).toContainText('« la réforme sera votée mardi »');
	await page.keyboard.press('1');
	await expect(page.locator('.ProseMirror .span[data-label="claim"]').first()).toBeVisible();
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	const mine = await (await page.request.get(`/api/datasets/${slug}/documents/q1/annotations/me`)).json();
	expect(mine.spans.map((s: { text: string }) => s.text)).toEqual(['« la réforme sera votée mardi »']);
});
