/**
 * A lead audits a model in the browser: a run with a UTF-16 mistake is refused
 * with its line named, a correct one is stored, the report against a release
 * shows the tables, and an error from the error browser opens the document
 * with the reference and the prediction as two lanes.
 */
import { test, expect } from '@playwright/test';
import { apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';

const TEXT = 'Le maire 😀 a dit que les impôts baissent. Selon le préfet, la route reste fermée.';
function at(needle: string) {
	const i = TEXT.indexOf(needle);
	const start = Array.from(TEXT.slice(0, i)).length;
	return { start, end: start + Array.from(needle).length };
}
const ndjson = (lines: unknown[]) => Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

test('a lead uploads predictions, reads the report and opens an error in two lanes', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'doc-1', title: 'Maire', text: TEXT }, { id: 'doc-2', title: 'Autre', text: 'Rien à signaler.' }] });
	const lead = await apiAs('lead');
	const gold = await lead.put(`/api/datasets/${slug}/documents/doc-1/annotations/gold`, {
		data: { baseRevision: 0, status: 'done', spans: [{ ...at('que les impôts baissent'), label: 'claim' }, { ...at('Selon le préfet'), label: 'attribution' }] }
	});
	expect(gold.status(), await gold.text()).toBe(200);
	expect((await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'gold' } })).status()).toBe(201);
	await lead.dispose();

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}`);
	await page.getByRole('navigation', { name: 'dataset management' }).getByRole('link', { name: 'Evaluations' }).click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${slug}/evaluations$`));
	await expect(page.getByText('No prediction runs yet')).toBeVisible();

	// 1. JavaScript offsets (UTF-16): one too far after the emoji
	const claim = 'que les impôts baissent';
	const upload = page.getByRole('form', { name: 'upload a prediction run' });
	await upload.getByLabel('Run name').fill('tagger-v1');
	await upload.getByLabel('File (.jsonl)').setInputFiles({
		name: 'preds.jsonl',
		mimeType: 'application/x-ndjson',
		buffer: ndjson([
			{ doc_id: 'doc-2', spans: [] },
			{ doc_id: 'doc-1', spans: [{ start: TEXT.indexOf(claim), end: TEXT.indexOf(claim) + claim.length, label: 'claim', text: claim }] }
		])
	});
	await upload.getByRole('button', { name: 'Upload run' }).click();
	const alert = upload.getByRole('alert');
	await expect(alert).toContainText('nothing was stored: 1 problem found');
	await expect(alert.locator('li[data-line="2"]')).toContainText('line 2:');
	await expect(alert.locator('li[data-line="2"]')).toContainText('UTF-16');
	await expect(page.locator('table.runs')).toHaveCount(0);

	// 2. the same predictions in code points (one boundary wrong, one span missing)
	await upload.getByLabel('Run name').fill('tagger-v1');
	await upload.getByLabel('File (.jsonl)').setInputFiles({
		name: 'preds.jsonl',
		mimeType: 'application/x-ndjson',
		buffer: ndjson([
			{ doc_id: 'doc-2', spans: [] },
			{ doc_id: 'doc-1', model: 'tagger', spans: [{ ...at('les impôts baissent'), label: 'claim', text: 'les impôts baissent' }] }
		])
	});
	await upload.getByRole('button', { name: 'Upload run' }).click();
	await expect(upload.getByRole('status')).toHaveText('Stored run tagger-v1: 2 documents, 1 spans.');
	await expect(page.locator('tr[data-run="tagger-v1"]')).toContainText('tagger');

	// 3. the report against the release
	const picker = page.getByRole('form', { name: 'evaluate a run' });
	await picker.getByLabel('Against').selectOption('v0001');
	await picker.getByLabel('document length quartile').check();
	await picker.getByRole('button', { name: 'Evaluate' }).click();
	await expect(page).toHaveURL(/run=tagger-v1&against=v0001.*slice=length_quartile/);
	const report = page.getByRole('region', { name: 'evaluation report' });
	await expect(report.getByRole('heading', { name: 'tagger-v1 against release v0001' })).toBeVisible();
	const claimRow = report.locator('.overall table.metrics tr[data-label="claim"]');
	await expect(claimRow.locator('td').nth(1)).toHaveText('0'); // exact tp
	await report.getByLabel('overlap').check();
	await expect(report.locator('.overall table.metrics')).toHaveAttribute('data-mode', 'overlap');
	await expect(claimRow.locator('td').nth(1)).toHaveText('1');
	await expect(page).toHaveURL(/mode=overlap/); // the link to the report shows the same rule
	await expect(report.locator('table.categories tr[data-label="attribution"] td[data-category="missed"]')).toHaveText('1');
	await expect(report.locator('svg.f1chart circle[data-label="claim"]')).toHaveCount(1);
	await expect(report.locator('table.slices[data-by="length_quartile"] tr[data-value="Q1"] td').nth(1)).toHaveText('1');

	// 4. the error browser: the boundary error, in its sentence, opens two lanes
	const browser = page.getByRole('region', { name: 'error browser' });
	const claimErrors = browser.locator('details.label[data-label="claim"]');
	await expect(claimErrors).toHaveAttribute('open', ''); // few labels: open from the start
	await claimErrors.locator('details[data-category="wrong_boundaries"] > summary').click();
	const item = browser.locator('.error-item').filter({ hasText: 'que les impôts baissent' }).first();
	await expect(item.locator('mark')).toHaveText('que les impôts baissent');
	await item.getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${slug}/evaluations/doc-1\\?`));
	const reference = page.locator('.row[data-lane="reference"] span.span[data-label="claim"]');
	const prediction = page.locator('.row[data-lane="prediction"] span.span[data-label="claim"]');
	await expect(reference).toHaveText('que les impôts baissent');
	await expect(prediction).toHaveText('les impôts baissent');
	await expect(reference).toHaveClass(/focused/);
	await expect(page.locator('.row[data-lane="reference"] span.span[data-label="attribution"]')).toHaveText('Selon le préfet');
});
