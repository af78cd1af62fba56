/**
 * A lead imports articles in the browser: files into the drop zone, the progress
 * bar runs to the end, the summary says what happened, the documents are listed.
 * And a round trip of doccano and Prodigy exports whose spans sit after emoji and
 * CRLF line breaks: their pre-annotations cover exactly the intended words.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { apiAs, loginUI, uniqueSlug, gotoHydrated } from '../helpers/api';

const LABELS = [
	{ name: 'place', key: '1', color: '#1c7ed6', description: 'A place.' },
	{ name: 'date', key: '2', color: '#2b8a3e', description: 'A date.' }
];

/** Code point offsets of `needle` in `text`, as a Python tool (doccano, Prodigy) writes them. */
function at(text: string, needle: string): [number, number] {
	const i = text.indexOf(needle);
	if (i < 0) throw new Error(`"${needle}" not in "${text}"`);
	const start = Array.from(text.slice(0, i)).length;
	return [start, start + Array.from(needle).length];
}

const jsonlFile = (name: string, records: unknown[]) => ({
	name,
	mimeType: 'application/x-ndjson',
	buffer: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n')
});

let lead: APIRequestContext;
test.beforeAll(async () => {
	lead = await apiAs('lead');
});
test.afterAll(async () => {
	await lead.dispose();
});

async function newDataset(): Promise<string> {
	const slug = uniqueSlug('imp-ui');
	const res = await lead.post('/api/datasets', { data: { slug, title: `Import ${slug}`, labels: LABELS } });
	expect(res.status(), await res.text()).toBe(201);
	return slug;
}

test('a lead drops files, watches the progress bar finish, reads the summary and finds the documents', async ({ page }) => {
	const slug = await newDataset();
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}`);
	await page.getByRole('link', { name: 'Import' }).first().click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${slug}/import$`));

	await page.getByLabel('Files to import').setInputFiles([
		{ name: 'brief.txt', mimeType: 'text/plain', buffer: Buffer.from('Conseil municipal du 3 mai\n\nLe budget a été voté.') },
		jsonlFile('depeches.jsonl', [
			{ id: 'dep-1', title: 'Grève à la SNCF', text: 'Les syndicats appellent à la grève mardi.' },
			{ id: 'dep-2', title: 'Météo', text: 'Orages attendus sur Lyon ce soir.' }
		])
	]);
	await expect(page.getByRole('list', { name: 'Files to import' }).getByRole('listitem')).toHaveCount(2);
	await page.getByRole('button', { name: 'Import 2 files' }).click();

	const bar = page.getByRole('progressbar', { name: 'Import progress' });
	await expect(bar).toHaveAttribute('aria-valuenow', '100');
	const summary = page.getByRole('region', { name: 'Import summary' });
	await expect(summary.getByRole('heading', { name: 'Import finished' })).toBeVisible();
	await expect(summary.getByTestId('imported')).toHaveText('3');
	await expect(summary.getByTestId('duplicates')).toHaveText('0');
	await expect(summary.getByTestId('errors')).toHaveText('0');
	await expect(summary.getByTestId('assignment-hint')).toHaveText('Every annotator of the dataset sees the new documents (nothing is assigned by hand yet).');

	// once documents are assigned by hand, the summary says where new ones stand
	expect((await lead.put(`/api/datasets/${slug}/members/ann1`, { data: { role: 'annotator' } })).status()).toBe(200);
	const assigned = await lead.post(`/api/datasets/${slug}/assignments`, { data: { mode: 'manual', documentId: 'dep-1', annotators: ['ann1'] } });
	expect(assigned.status(), await assigned.text()).toBe(200);
	await page.reload();
	await page.getByLabel('Files to import').setInputFiles([{ name: 'late.txt', mimeType: 'text/plain', buffer: Buffer.from('Late news\n\nThe vote was postponed.') }]);
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(summary.getByTestId('imported')).toHaveText('1');
	await expect(summary.getByTestId('assignment-hint')).toHaveText(
		"Documents are assigned by hand in this dataset, so the 1 new document is in nobody's queue yet: assign it."
	);
	await expect(summary.getByRole('link', { name: 'assign it' })).toHaveAttribute('href', `/datasets/${slug}/assignments`);

	await summary.getByRole('link', { name: 'See the documents' }).click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${slug}$`));
	for (const title of ['Conseil municipal du 3 mai', 'Grève à la SNCF', 'Météo']) {
		await expect(page.getByRole('link', { name: title })).toBeVisible();
	}

	// the same files again: duplicates, counted
	await gotoHydrated(page, `/datasets/${slug}/import`);
	await page.waitForLoadState('networkidle'); // the file input works once the page is hydrated
	await page.getByLabel('Files to import').setInputFiles([
		jsonlFile('depeches.jsonl', [{ id: 'dep-1', title: 'Grève à la SNCF', text: 'Les syndicats appellent à la grève mardi.' }])
	]);
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByTestId('duplicates')).toHaveText('1');
	await expect(page.getByTestId('imported')).toHaveText('0');
});

test('a bad line: the summary lists it with file and line, and nothing is imported', async ({ page }) => {
	const slug = await newDataset();
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/import`);
	await page.waitForLoadState('networkidle'); // the file input works once the page is hydrated
	await page.getByLabel('Files to import').setInputFiles([
		{ name: 'broken.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"text":"Bon."}\n{"text": 42}\n{"text":"Bon aussi."}\n') }
	]);
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	const summary = page.getByRole('region', { name: 'Import summary' });
	await expect(summary.getByRole('heading', { name: 'Nothing was imported' })).toBeVisible();
	const row = summary.getByRole('row').nth(1);
	await expect(row.getByRole('cell').nth(0)).toHaveText('broken.jsonl');
	await expect(row.getByRole('cell').nth(1)).toHaveText('2');
	await expect(row.getByRole('cell').nth(2)).toHaveText('"text" must be a non-empty string, not number');
	expect(await (await lead.get(`/api/datasets/${slug}/documents`)).json()).toEqual([]);
});

test('doccano and Prodigy spans over emoji and CRLF land on the intended words', async ({ page }) => {
	const slug = await newDataset();
	const doccanoText = 'Fête 👨‍👩‍👧‍👦 à Paris\r\nle 3 mai 🇫🇷 à Lyon';
	const prodigyText = 'Le 14 juillet 🎆 à Nice,\r\n👩🏽‍🚀 Thomas parle à Marseille.';
	const doccano = jsonlFile('doccano.jsonl', [
		{
			id: 101,
			text: doccanoText,
			label: [
				[...at(doccanoText, 'Paris'), 'LOC'],
				[...at(doccanoText, '3 mai'), 'DATE'],
				[...at(doccanoText, 'Lyon'), 'LOC']
			],
			Comments: []
		}
	]);
	const prodigy = jsonlFile('prodigy.jsonl', [
		{
			text: prodigyText,
			_input_hash: 1234,
			_task_hash: 5678,
			spans: [
				{ start: at(prodigyText, '14 juillet')[0], end: at(prodigyText, '14 juillet')[1], label: 'DATE', token_start: 1, token_end: 2 },
				{ start: at(prodigyText, 'Nice')[0], end: at(prodigyText, 'Nice')[1], label: 'LOC' },
				{ start: at(prodigyText, 'Marseille')[0], end: at(prodigyText, 'Marseille')[1], label: 'LOC' }
			],
			answer: 'accept'
		}
	]);

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/import`);
	await page.waitForLoadState('networkidle'); // the file input works once the page is hydrated
	await page.getByLabel('Files to import').setInputFiles([doccano, prodigy]);
	await page.getByRole('button', { name: 'Import 2 files' }).click();

	// LOC and DATE are not labels of this dataset: refused, then mapped in the page
	await expect(page.getByRole('heading', { name: 'Nothing was imported' })).toBeVisible();
	const unknown = page.getByRole('region', { name: 'Unknown labels' });
	await unknown.getByLabel('New label for LOC').selectOption('place');
	await unknown.getByLabel('New label for DATE').selectOption('date');
	await unknown.getByRole('button', { name: 'Import again with these labels' }).click();
	const summary = page.getByRole('region', { name: 'Import summary' });
	await expect(summary.getByTestId('imported')).toHaveText('2');
	await expect(summary.getByText('import:doccano.jsonl')).toBeVisible();
	await expect(summary.getByText('import:prodigy.jsonl')).toBeVisible();

	const docs: Array<{ id: string; title: string }> = await (await page.request.get(`/api/datasets/${slug}/documents`)).json();
	const expected: Record<string, { source: string; spans: Array<[string, string]> }> = {
		[doccanoText]: {
			source: 'import~doccano.jsonl',
			spans: [
				['place', 'Paris'],
				['date', '3 mai'],
				['place', 'Lyon']
			]
		},
		[prodigyText]: {
			source: 'import~prodigy.jsonl',
			spans: [
				['date', '14 juillet'],
				['place', 'Nice'],
				['place', 'Marseille']
			]
		}
	};
	expect(docs.map((d) => d.id)).toContain('101');
	for (const { id } of docs) {
		const doc = await (await page.request.get(`/api/datasets/${slug}/documents/${id}`)).json();
		const want = expected[doc.text];
		expect(want, 'the text is stored exactly, CRLF and emoji included').toBeDefined();

		// the lead opens the document: the text is there, emoji and all
		await gotoHydrated(page, `/datasets/${slug}/documents/${id}`);
		await expect(page.getByText(want.spans[2][1], { exact: false }).first()).toBeVisible();

		// the review view shows each import source as a lane, with its spans on the right words
		await gotoHydrated(page, `/datasets/${slug}/review/${id}`);
		for (const [label, words] of want.spans) {
			await expect(
				page.locator(`.span[data-lane="${want.source}"][data-label="${label}"]`, { hasText: words }).first()
			).toBeVisible();
		}
		const set = await (await page.request.get(`/api/datasets/${slug}/documents/${id}/annotations/${want.source}`)).json();
		expect(set).toMatchObject({ annotator: want.source, revision: 1, status: 'done' });
		expect(set.spans.map((s: { label: string; text: string }) => [s.label, s.text])).toEqual(want.spans);
		for (const s of set.spans) expect(Array.from(doc.text).slice(s.start, s.end).join('')).toBe(s.text);
	}
});

test('a brat .txt and its .ann chosen in the browser (the .txt first) import with their relation and attributes', async ({ page }) => {
	const slug = uniqueSlug('imp-brat');
	// the default labels and relation type: claim, attribution, date (value, type) and source-of
	expect((await lead.post('/api/datasets', { data: { slug, title: `Import ${slug}` } })).status()).toBe(201);
	const text = '😀 «Les frappes ont été menées»,\r\na déclaré le groupe samedi 4 mai 2024.';
	const [c0, c1] = at(text, 'Les frappes ont été menées');
	const [a0, a1] = at(text, 'a déclaré le groupe');
	const [d0, d1] = at(text, 'samedi 4 mai 2024');
	const ann = [
		`T1\tclaim ${c0} ${c1}\tLes frappes ont été menées`,
		`T2\tattribution ${a0} ${a1}\ta déclaré le groupe`,
		`T3\tdate ${d0} ${d1}\tsamedi 4 mai 2024`,
		'R1\tsource-of Arg1:T2 Arg2:T1',
		'A1\tvalue T3 2024-05-04',
		'A2\ttype T3 DATE'
	].join('\n');

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/import`);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Files to import').setInputFiles([
		{ name: 'frappes.txt', mimeType: 'text/plain', buffer: Buffer.from(text) },
		{ name: 'frappes.ann', mimeType: 'text/plain', buffer: Buffer.from(ann + '\n') }
	]);
	await page.getByRole('button', { name: 'Import 2 files' }).click();
	const summary = page.getByRole('region', { name: 'Import summary' });
	await expect(summary.getByTestId('imported')).toHaveText('1');
	await expect(summary.getByText('import:frappes.txt')).toBeVisible();

	const set = await (await page.request.get(`/api/datasets/${slug}/documents/frappes/annotations/import~frappes.txt`)).json();
	expect(set.spans.map((s: { label: string; text: string; attrs?: object }) => [s.label, s.text, s.attrs ?? {}])).toEqual([
		['claim', 'Les frappes ont été menées', {}],
		['attribution', 'a déclaré le groupe', {}],
		['date', 'samedi 4 mai 2024', { type: 'DATE', value: '2024-05-04' }]
	]);
	expect(set.relations).toEqual([{ id: expect.any(String), from: set.spans[1].id, to: set.spans[0].id, label: 'source-of' }]);
});
