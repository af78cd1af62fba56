/**
 * Correction mode (issue #18 item 3): a lead uploads a model's predictions,
 * turns on correction mode in Settings → Suggestions, and an annotator opening
 * the article finds the model's spans in their set, drawn as unreviewed, to
 * fix: they accept one with A, delete one, relabel one, and after a reload the
 * accepted and the edited are reviewed while the untouched one is still
 * unreviewed, and progress and agreement count only the reviewed ones.
 */
import { test, expect, type Page } from '@playwright/test';
import { apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';
import { charBox } from '../helpers/article';

const TEXT = 'Le maire de Lyon a dit samedi que le budget 😀 était en hausse.';
const cpAt = (needle: string) => {
	const i = TEXT.indexOf(needle);
	const start = Array.from(TEXT.slice(0, i)).length;
	return { start, end: start + Array.from(needle).length };
};
const spansLabelled = (page: Page, label: string) => page.locator(`.ProseMirror .span[data-label="${label}"]`);

test('a lead turns on correction mode and an annotator fixes the model’s spans', async ({ page, browser }) => {
	const slug = await seedDataset({ documents: [{ id: 'doc-1', title: 'Budget', text: TEXT }], annotators: ['ann1', 'ann2'] });
	const lead = await apiAs('lead');
	const model = [
		{ ...cpAt('Le maire de Lyon'), label: 'attribution', score: 0.8 }, // right: accepted as it is (A)
		{ ...cpAt('samedi'), label: 'framing' }, // wrong: deleted
		{ ...cpAt('le budget'), label: 'claim' }, // left untouched: stays unreviewed
		{ ...cpAt('en hausse'), label: 'attribution' } // wrong label: edited to a claim (label key 1)
	];
	const run = await lead.post(`/api/datasets/${slug}/predictions?run=crf`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: JSON.stringify({ doc_id: 'doc-1', spans: model }) + '\n'
	});
	expect(run.status(), await run.text()).toBe(201);
	await lead.dispose();

	// the lead: Settings → Suggestions → Correction mode
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	const sources = page.getByRole('form', { name: 'Suggestion sources' });
	await expect(sources).toBeVisible();
	await sources.getByLabel('Correction mode').selectOption('run~crf');
	await sources.getByRole('button', { name: 'Save suggestions' }).click();
	await expect(sources.getByRole('status')).toHaveText('Saved.');
	const leadApi = await apiAs('lead');
	const settings = await (await leadApi.get(`/api/datasets/${slug}/suggestion-settings`)).json();
	expect(settings.correction).toEqual({ source: 'run~crf' });

	// the annotator: the model's spans are there to fix, every one drawn as unreviewed
	const context = await browser.newContext();
	const annotator = await context.newPage();
	await loginUI(annotator, 'ann1');
	await annotator.goto(`/datasets/${slug}/documents/doc-1`);
	await expect(spansLabelled(annotator, 'attribution')).toHaveText(['Le maire de Lyon', 'en hausse']);
	await expect(spansLabelled(annotator, 'framing')).toHaveText('samedi');
	await expect(spansLabelled(annotator, 'claim')).toHaveText('le budget');
	await expect(annotator.locator('.ProseMirror .span.unreviewed')).toHaveCount(4);
	await expect(annotator.locator('[data-unreviewed]')).toHaveAttribute('data-unreviewed', '4');
	const save = annotator.locator('.save[data-state]');
	await expect(save).toHaveAttribute('data-revision', '1');
	await annotator.locator('.ProseMirror').waitFor();
	const select = async (needle: string) => {
		const inside = await charBox(annotator, needle, 2);
		await annotator.mouse.click(inside.x, inside.y);
		await expect(annotator.locator('.ProseMirror .span.selected')).toHaveText(needle);
	};
	const saved = async (revision: number) => {
		await expect(save).toHaveAttribute('data-state', 'saved');
		await expect(save).toHaveAttribute('data-revision', String(revision));
	};

	// «Le maire de Lyon» is right: A accepts it as it is
	await select('Le maire de Lyon');
	await annotator.keyboard.press('a');
	await expect(annotator.locator('.ProseMirror .span.unreviewed')).toHaveCount(3);
	await expect(spansLabelled(annotator, 'attribution').first()).not.toHaveClass(/unreviewed/);
	await saved(2);
	// «samedi» is not framing: delete it
	await select('samedi');
	await annotator.keyboard.press('Delete');
	await expect(spansLabelled(annotator, 'framing')).toHaveCount(0);
	await saved(3);
	// «en hausse» is a claim, not an attribution: the claim key relabels it
	await select('en hausse');
	await annotator.keyboard.press('1');
	await expect(spansLabelled(annotator, 'claim')).toHaveText(['le budget', 'en hausse']);
	await saved(4);
	await expect(annotator.locator('.ProseMirror .span.unreviewed')).toHaveText(['le budget']);

	await annotator.reload();
	await expect(spansLabelled(annotator, 'attribution')).toHaveText('Le maire de Lyon');
	await expect(spansLabelled(annotator, 'claim')).toHaveText(['le budget', 'en hausse']);
	await expect(spansLabelled(annotator, 'framing')).toHaveCount(0);
	await expect(annotator.locator('.ProseMirror .span.unreviewed')).toHaveText(['le budget']);
	await context.close();

	// through the API: the accepted and the edited span are reviewed (no `unreviewed:` mark), the untouched one is not
	type SpanOut = { start: number; end: number; text: string; label: string; source?: string };
	const ann1 = await apiAs('ann1');
	const set = await (await ann1.get(`/api/datasets/${slug}/documents/doc-1/annotations/me`)).json();
	expect(set.revision).toBe(4);
	expect(set.spans.map((s: SpanOut) => [s.text, s.label, s.source ?? null])).toEqual([
		['Le maire de Lyon', 'attribution', 'run~crf'],
		['le budget', 'claim', 'unreviewed:run~crf'],
		['en hausse', 'claim', null]
	]);
	// ann1 marks the document done (the set as it is); ann2 finished the same document with the two spans ann1 reviewed
	const asInput = (s: SpanOut) => ({ start: s.start, end: s.end, label: s.label, ...(s.source ? { source: s.source } : {}) });
	const done = await ann1.put(`/api/datasets/${slug}/documents/doc-1/annotations/me`, { data: { baseRevision: 4, spans: set.spans.map(asInput), status: 'done' } });
	expect(done.status(), await done.text()).toBe(200);
	await ann1.dispose();
	const ann2 = await apiAs('ann2');
	const reviewed = set.spans.filter((s: SpanOut) => !s.source?.startsWith('unreviewed:')).map((s: SpanOut) => ({ start: s.start, end: s.end, label: s.label }));
	const ann2Done = await ann2.put(`/api/datasets/${slug}/documents/doc-1/annotations/me`, { data: { baseRevision: 0, spans: reviewed, status: 'done' } });
	expect(ann2Done.status(), await ann2Done.text()).toBe(200);
	await ann2.dispose();

	// progress and agreement count only reviewed spans: ann1 has 2 (not 3), and agrees with ann2 exactly
	// (had «le budget» counted, ann1's claims would be 2 against ann2's 1: claim F1 2/3, overall 0.8)
	const progress = await (await leadApi.get(`/api/datasets/${slug}/progress`)).json();
	const spansOf = (who: string) => progress.annotators.find((a: { annotator: string }) => a.annotator === who)?.spans;
	expect([spansOf('ann1'), spansOf('ann2')]).toEqual([2, 2]);
	const agreement = await (await leadApi.get(`/api/datasets/${slug}/agreement`)).json();
	expect(agreement.documents).toBe(1);
	expect(agreement.labels.claim.pairs).toMatchObject([{ a: 'ann1', b: 'ann2', documents: 1, f1_exact: 1 }]);
	expect(agreement.overall.pairs).toMatchObject([{ a: 'ann1', b: 'ann2', f1_exact: 1 }]);
	await leadApi.dispose();
});

test('a lead imports a gazetteer in Settings → Suggestions: a bad line is named and nothing is stored, a good file feeds the lexicon', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'doc-1', title: 'Budget', text: TEXT }], annotators: ['ann1'] });
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
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
