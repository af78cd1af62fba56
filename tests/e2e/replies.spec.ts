/**
 * Issue #15 item 11, the story: an annotator asks a question in a comment, the
 * lead replies in the review view, the annotator sees the reply after a reload
 * and answers back; the lead sees the thread.
 */
import { test, expect } from '@playwright/test';
import { PASSWORD, apiAs, loginUI, seedDataset } from '../helpers/api';

test('annotator asks, lead replies in review, annotator sees the reply after reload and replies back', async ({ page, browser }) => {
	const text = 'Le maire a annoncé mardi une hausse des impôts.';
	const slug = await seedDataset({ documents: [{ id: 'q1', title: 'Impôts', text }] });
	const ann1 = await apiAs('ann1');
	const put = await ann1.put(`/api/datasets/${slug}/documents/q1/annotations/me`, { data: { baseRevision: 0, spans: [{ start: 3, end: 8, label: 'attribution' }] } });
	expect(put.status(), await put.text()).toBe(200);
	await ann1.dispose();

	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: PASSWORD } })).status()).toBe(200);
	const docUrl = `/datasets/${slug}/documents/q1`;
	await page.goto(docUrl);
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();
	await page.getByLabel('Comment', { exact: true }).fill('Is “annoncé” a claim verb here?');
	await page.getByRole('button', { name: 'Comment on the document' }).click();
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');

	const leadContext = await browser.newContext();
	const lead = await leadContext.newPage();
	await loginUI(lead, 'lead');
	await lead.goto(`/datasets/${slug}/review/q1`);
	await expect(lead.locator('.layout[data-ready="true"]')).toBeVisible(); // hydrated: the reply box posts
	const notes = lead.getByTestId('annotator-notes');
	await expect(notes).toContainText('ann1: Is “annoncé” a claim verb here?');
	await notes.getByLabel('Reply to ann1').fill('Yes, mark the clause as a claim.');
	await notes.getByRole('button', { name: 'Reply' }).click();
	await expect(notes.getByTestId('reply')).toHaveText('lead: Yes, mark the clause as a claim.');

	// the annotator sees it after a reload, and replies back; their spans are as they were
	await page.reload();
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();
	await expect(page.getByTestId('reply')).toHaveText('lead: Yes, mark the clause as a claim.');
	await page.getByLabel('Reply to comment 1').fill('Thanks, done.');
	await page.getByRole('button', { name: 'Reply', exact: true }).click();
	await expect(page.getByTestId('reply')).toHaveCount(2);
	await expect(page.getByTestId('reply').nth(1)).toHaveText('ann1: Thanks, done.');
	// a later save of the annotator's builds on it (no conflict) and keeps the thread
	await page.getByLabel('Reason to flag this document').selectOption('unsure');
	await page.getByRole('button', { name: 'Flag', exact: true }).click();
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	const mine = await (await page.request.get(`/api/datasets/${slug}/documents/q1/annotations/me`)).json();
	expect(mine.spans.map((s: { start: number; end: number; label: string }) => [s.start, s.end, s.label])).toEqual([[3, 8, 'attribution']]);
	expect(mine.comments.map((c: { by: string }) => c.by)).toEqual(['ann1', 'lead', 'ann1']);
	expect(mine.flag.reason).toBe('unsure');

	await lead.reload();
	await expect(notes.getByTestId('reply')).toHaveText(['lead: Yes, mark the clause as a claim.', 'ann1: Thanks, done.']);
	await leadContext.close();
});
