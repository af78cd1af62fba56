/**
 * A lead cuts a release from the Releases page, sees it listed, downloads the JSONL
 * through its link and finds the annotators' work in it, offsets intact.
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';

test('a lead cuts a release in the browser and downloads its JSONL', async ({ page }) => {
	const text = 'Le maire 👨‍👩‍👧 a dit que 𠮷野家 ouvrira lundi.';
	const slug = await seedDataset({ documents: [{ id: 'doc-1', title: 'Maire', text }] });
	const cp = (needle: string) => {
		const start = Array.from(text.slice(0, text.indexOf(needle))).length;
		return { start, end: start + Array.from(needle).length };
	};
	const ann1 = await apiAs('ann1');
	const saved = await ann1.put(`/api/datasets/${slug}/documents/doc-1/annotations/me`, {
		data: { baseRevision: 0, spans: [{ ...cp('Le maire'), label: 'attribution' }, { ...cp('𠮷野家 ouvrira'), label: 'claim' }], status: 'done' }
	});
	expect(saved.status(), await saved.text()).toBe(200);
	await ann1.dispose();

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/releases`);
	await expect(page.getByText('No releases yet.')).toBeVisible();

	await page.getByLabel('Source').selectOption('annotators');
	await page.getByLabel('Note').fill('first look');
	await page.getByRole('button', { name: 'Cut release' }).click();
	await expect(page.getByRole('status')).toHaveText('Released v0001: 1 record.');

	const row = page.locator('tr[data-version="v0001"]');
	await expect(row).toBeVisible();
	await expect(row).toContainText('lead');
	await expect(row).toContainText('annotators');
	await expect(row).toContainText('first look');
	await expect(row).toContainText('attribution 1');

	const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'JSONL' }).click()]);
	expect(download.suggestedFilename()).toBe(`${slug}-v0001.jsonl`);
	const body = fs.readFileSync((await download.path())!, 'utf8');
	expect(body.endsWith('\n')).toBe(true);
	const records = body.split('\n').slice(0, -1).map((line) => JSON.parse(line));
	expect(records).toHaveLength(1);
	expect(records[0]).toMatchObject({ dataset: slug, version: 1, doc_id: 'doc-1', annotator: 'ann1', status: 'done', text });
	const chars = Array.from(text);
	for (const s of records[0].spans) expect(chars.slice(s.start, s.end).join('')).toBe(s.text);
	expect(records[0].spans.map((s: { text: string }) => s.text)).toEqual(['Le maire', '𠮷野家 ouvrira']);
});
