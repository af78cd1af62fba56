/**
 * Issue #15, a lead's set-up: stories of the walkthrough (standing assignment,
 * label colours, import messages and names, small ones on the release, users
 * and settings pages).
 */
import { test, expect, type Page } from '@playwright/test';
import { apiAs, loginUI, seedDataset } from '../helpers/api';

const jsonlFile = (name: string, records: unknown[]) => ({
	name,
	mimeType: 'application/x-ndjson',
	buffer: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n')
});

async function importInBrowser(page: Page, slug: string, files: Parameters<Page['setInputFiles']>[1]) {
	await page.goto(`/datasets/${slug}/import`);
	await page.getByLabel('Files to import').setInputFiles(files);
	await page.getByRole('button', { name: /^Import/ }).click();
	const summary = page.getByRole('region', { name: 'Import summary' });
	await expect(summary.getByRole('heading')).toBeVisible();
	return summary;
}

test('after "Assign automatically", new imports land in queues by the same rule, and the summary says so', async ({ page }) => {
	const slug = await seedDataset({
		documents: [1, 2, 3, 4].map((n) => ({ id: `a${n}`, title: `Article ${n}`, text: `Texte numéro ${n}.` })),
		annotators: ['ann1', 'ann2']
	});
	await loginUI(page, 'lead');
	await page.goto(`/datasets/${slug}/assignments`);
	await page.getByLabel('Annotators per document').fill('1');
	await expect(page.getByLabel('Keep this rule: documents imported later are assigned the same way')).toBeChecked();
	await page.getByRole('button', { name: 'Assign automatically' }).click();
	await expect(page.getByText('Assignment updated.')).toBeVisible();
	await expect(page.getByTestId('assignment-policy')).toHaveText(
		'New imports are assigned automatically: every document to 1 annotator, among all annotators.'
	);

	const summary = await importInBrowser(page, slug, [
		jsonlFile('later.jsonl', [
			{ id: 'b1', title: 'Later 1', text: 'Une dépêche arrivée plus tard.' },
			{ id: 'b2', title: 'Later 2', text: 'Une autre dépêche arrivée plus tard.' }
		])
	]);
	await expect(summary.getByTestId('imported')).toHaveText('2');
	await expect(summary.getByTestId('assignment-hint')).toHaveText(
		"Assigned automatically, as the dataset's standing rule says (every document to 1 annotator): 2 new documents to ann1 1, ann2 1."
	);

	// nobody's queue is empty of them: the assignments page has nothing unassigned, each annotator 3
	await page.goto(`/datasets/${slug}/assignments`);
	await expect(page.getByText('Every document is in someone\'s queue.')).toBeVisible();
	await expect(page.locator('.loads li[data-annotator="ann1"] strong')).toHaveText('3');
	await expect(page.locator('.loads li[data-annotator="ann2"] strong')).toHaveText('3');
	const ann1 = await apiAs('ann1');
	const queue = (await (await ann1.get(`/api/datasets/${slug}/documents`)).json()) as Array<{ id: string }>;
	expect(queue.filter((d) => d.id.startsWith('b'))).toHaveLength(1);
	await ann1.dispose();

	// the lead turns the rule off: the next import waits for them, and the summary says that instead
	await page.getByRole('button', { name: 'Assign new imports by hand instead' }).click();
	await expect(page.getByTestId('assignment-policy')).toHaveText("New imports wait in nobody's queue until you assign them.");
	const after = await importInBrowser(page, slug, [jsonlFile('last.jsonl', [{ id: 'c1', title: 'Last', text: 'La dernière dépêche.' }])]);
	await expect(after.getByTestId('assignment-hint')).toHaveText(
		"Documents are assigned by hand in this dataset, so the 1 new document is in nobody's queue yet: assign it."
	);
});
