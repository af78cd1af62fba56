/**
 * Correction mode (issue #18 item 3): a lead uploads a model's predictions,
 * turns on correction mode in Settings → Suggestions, and an annotator opening
 * the article finds the model's spans in their set, to fix: they delete a
 * wrong one, and after a reload it stays gone while the other is still there.
 */
import { test, expect, type Page } from '@playwright/test';
import { apiAs, loginUI, seedDataset } from '../helpers/api';
import { charBox } from '../helpers/article';

const TEXT = 'Le maire de Lyon a dit samedi que le budget 😀 était en hausse.';
const cpAt = (needle: string) => {
	const i = TEXT.indexOf(needle);
	const start = Array.from(TEXT.slice(0, i)).length;
	return { start, end: start + Array.from(needle).length };
};
const spansLabelled = (page: Page, label: string) => page.locator(`.ProseMirror .span[data-label="${label}"]`);

test('a lead turns on correction mode and an annotator fixes the model’s spans', async ({ page, browser }) => {
	const slug = await seedDataset({ documents: [{ id: 'doc-1', title: 'Budget', text: TEXT }], annotators: ['ann1'] });
	const lead = await apiAs('lead');
	const run = await lead.post(`/api/datasets/${slug}/predictions?run=crf`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: JSON.stringify({ doc_id: 'doc-1', spans: [{ ...cpAt('Le maire de Lyon'), label: 'attribution', score: 0.8 }, { ...cpAt('le budget'), label: 'claim' }] }) + '\n'
	});
	expect(run.status(), await run.text()).toBe(201);
	await lead.dispose();

	// the lead: Settings → Suggestions → Correction mode
	await loginUI(page, 'lead');
	await page.goto(`/datasets/${slug}/settings`);
	const sources = page.getByRole('form', { name: 'Suggestion sources' });
	await expect(sources).toBeVisible();
	await sources.getByLabel('Correction mode').selectOption('run~crf');
	await sources.getByRole('button', { name: 'Save suggestions' }).click();
	await expect(sources.getByRole('status')).toHaveText('Saved.');
	const leadApi = await apiAs('lead');
	const settings = await (await leadApi.get(`/api/datasets/${slug}/suggestion-settings`)).json();
	expect(settings.correction).toEqual({ source: 'run~crf' });
	await leadApi.dispose();

	// the annotator: the model's spans are there to fix
	const context = await browser.newContext();
	const annotator = await context.newPage();
	await loginUI(annotator, 'ann1');
	await annotator.goto(`/datasets/${slug}/documents/doc-1`);
	await expect(spansLabelled(annotator, 'attribution')).toHaveText('Le maire de Lyon');
	await expect(spansLabelled(annotator, 'claim')).toHaveText('le budget');
	const save = annotator.locator('.save[data-state]');
	await expect(save).toHaveAttribute('data-revision', '1');

	// «le budget» is not a claim: delete it
	await annotator.locator('.ProseMirror').waitFor();
	const inside = await charBox(annotator, 'le budget', 3);
	await annotator.mouse.click(inside.x, inside.y);
	await expect(annotator.locator('.ProseMirror .span.selected')).toHaveCount(1);
	await annotator.keyboard.press('Delete');
	await expect(spansLabelled(annotator, 'claim')).toHaveCount(0);
	await expect(save).toHaveAttribute('data-state', 'saved');
	await expect(save).toHaveAttribute('data-revision', '2');

	await annotator.reload();
	await expect(spansLabelled(annotator, 'attribution')).toHaveText('Le maire de Lyon');
	await expect(spansLabelled(annotator, 'claim')).toHaveCount(0);
	const ann1 = await apiAs('ann1');
	const set = await (await ann1.get(`/api/datasets/${slug}/documents/doc-1/annotations/me`)).json();
	expect(set.revision).toBe(2);
	expect(set.spans.map((s: { text: string; label: string }) => [s.text, s.label])).toEqual([['Le maire de Lyon', 'attribution']]);
	// (that span is still unreviewed, source "unreviewed:run~crf", once the annotation view's autosave sends spans[].source: h-suggui)
	await ann1.dispose();
	await context.close();
});

test('a lead imports a gazetteer in Settings → Suggestions: a bad line is named and nothing is stored, a good file feeds the lexicon', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'doc-1', title: 'Budget', text: TEXT }], annotators: ['ann1'] });
	await loginUI(page, 'lead');
	await page.goto(`/datasets/${slug}/settings`);
	await page.waitForLoadState('networkidle'); // the file input works once the page is hydrated
	const form = page.getByRole('form', { name: 'Gazetteer' });
	await expect(form).toContainText('Gazetteer: none.');
	await form.locator('input[type=file]').setInputFiles({ name: 'g.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from('le maire de Lyon\tattribution\nle budget\tnope\n') });
	await form.getByRole('button', { name: 'Import gazetteer' }).click();
	await expect(form.getByRole('alert')).toContainText('line 2: no label "nope" in this dataset');
	await form.locator('input[type=file]').setInputFiles({ name: 'g.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from('le maire de Lyon\tattribution\n') });
	await form.getByRole('button', { name: 'Import gazetteer' }).click();
	await expect(form.getByRole('status')).toHaveText('1 entry imported.');
	// the lexicon is off until a lead switches it on
	const sources = page.getByRole('form', { name: 'Suggestion sources' });
	await expect(sources.getByLabel('Dates')).toBeChecked();
	await expect(sources.getByLabel('Dataset lexicon')).not.toBeChecked();
	await sources.getByLabel('Dataset lexicon').check();
	await sources.getByRole('button', { name: 'Save suggestions' }).click();
	await expect(sources.getByRole('status')).toHaveText('Saved.');
	await expect(form).toContainText('Gazetteer: 1 entry, uploaded by lead');
	const ann1 = await apiAs('ann1');
	const { suggestions } = await (await ann1.get(`/api/datasets/${slug}/documents/doc-1/suggestions`)).json();
	expect(suggestions.filter((s: { source: string }) => s.source === 'lexicon').map((s: { text: string; label: string }) => [s.text, s.label])).toEqual([['Le maire de Lyon', 'attribution']]);
	await ann1.dispose();
});
