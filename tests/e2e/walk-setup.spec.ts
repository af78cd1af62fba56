/**
 * Issue #15, a lead's set-up: stories of the walkthrough (standing assignment,
 * label colours, import messages and names, small ones on the release, users
 * and settings pages).
 */
import { test, expect, type Page } from '@playwright/test';
import { apiAs, gotoHydrated, loginUI, seedDataset } from '../helpers/api';

const jsonlFile = (name: string, records: unknown[]) => ({
	name,
	mimeType: 'application/x-ndjson',
	buffer: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n')
});

async function importInBrowser(page: Page, slug: string, files: Parameters<Page['setInputFiles']>[1]) {
	await gotoHydrated(page, `/datasets/${slug}/import`);
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
	await gotoHydrated(page, `/datasets/${slug}/assignments`);
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
	await gotoHydrated(page, `/datasets/${slug}/assignments`);
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

test('a fifth label gets a colour far from the others, two close colours are warned about, and nested spans differ by line style too', async ({ page }) => {
	const text = 'Le maire a promis le 7 octobre une baisse des impôts.';
	const slug = await seedDataset({ documents: [{ id: 'col', title: 'Couleurs', text }], annotators: ['ann1'] });
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	await expect(page.getByTestId('close-colours')).toHaveCount(0);
	await page.getByRole('button', { name: 'Add label' }).click();
	const colour = page.getByLabel('Colour of new label');
	const picked = await colour.inputValue();
	expect(picked).not.toBe('#2f9e44');
	// far (CIEDE2000 ≥ 15) from the four defaults: no warning
	await expect(page.getByTestId('close-colours')).toHaveCount(0);

	// the walkthrough's green next to date's: warned, by name
	await page.locator('tr[data-label-row=""]').getByLabel('Label name').fill('quote');
	await page.getByLabel('Colour of quote').fill('#2f9e44');
	await expect(page.getByTestId('close-colours')).toContainText('“date” and “quote”');
	await page.getByLabel('Colour of quote').fill(picked);
	await expect(page.getByTestId('close-colours')).toHaveCount(0);
	await page.getByLabel('Keyboard key for quote').fill('5');
	await page.getByRole('button', { name: 'Save labels' }).click();
	await expect(page.getByText('Labels saved.')).toBeVisible();

	// a claim with a date inside it: the two underlines differ in style, not only in colour
	const ann1 = await apiAs('ann1');
	const at = (needle: string) => {
		const i = text.indexOf(needle);
		return { start: Array.from(text.slice(0, i)).length, end: Array.from(text.slice(0, i + needle.length)).length };
	};
	const put = await ann1.put(`/api/datasets/${slug}/documents/col/annotations/me`, {
		data: { baseRevision: 0, spans: [{ ...at('a promis le 7 octobre une baisse'), label: 'claim' }, { ...at('le 7 octobre'), label: 'date' }] }
	});
	expect(put.status(), await put.text()).toBe(200);
	await ann1.dispose();
	expect((await page.request.post('/api/login', { data: { username: 'ann1', password: process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password' } })).status()).toBe(200);
	await gotoHydrated(page, `/datasets/${slug}/documents/col`);
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();
	const style = (label: string) =>
		page.locator(`.ProseMirror .span[data-label="${label}"]`).first().evaluate((el) => getComputedStyle(el).borderBottomStyle);
	const claimStyle = await style('claim');
	const dateStyle = await style('date');
	expect(claimStyle).toBe('solid');
	expect(dateStyle).not.toBe(claimStyle);
});

test('Releases: cutting one when nothing changed asks first, and the table fits a 1024 px screen', async ({ page }) => {
	const labels = ['claim', 'attribution', 'framing', 'date', 'quote-verb', 'organisation', 'location'].map((name, i) => ({
		name,
		key: String(i + 1),
		color: ['#e8590c', '#1c7ed6', '#9c36b5', '#2b8a3e', '#e03131', '#0ca678', '#f59f00'][i]
	}));
	const text = 'Le maire de Lyon a déclaré mardi que la réforme des transports serait votée.';
	const slug = await seedDataset({ documents: [{ id: 'r1', title: 'Lyon', text }], labels, annotators: ['ann1'] });
	const lead = await apiAs('lead');
	const gold = await lead.put(`/api/datasets/${slug}/documents/r1/annotations/gold`, {
		data: { baseRevision: 0, spans: labels.map((l, i) => ({ start: i, end: i + 2, label: l.name })) }
	});
	expect(gold.status(), await gold.text()).toBe(200);

	await page.setViewportSize({ width: 1024, height: 768 });
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/releases`);
	await page.getByLabel('Note').fill('Première version, pour la campagne d’entraînement de décembre avec toutes les étiquettes');
	await page.getByRole('button', { name: 'Cut release' }).click();
	await expect(page.getByRole('status')).toHaveText('Released v0001: 1 record.');

	// again, with nothing changed: the page asks instead of cutting v0002
	await page.getByRole('button', { name: 'Cut release' }).click();
	const ask = page.getByTestId('release-unchanged');
	await expect(ask).toContainText('Nothing changed since v0001');
	expect((await (await lead.get(`/api/datasets/${slug}/releases`)).json()).map((r: { name: string }) => r.name)).toEqual(['v0001']);
	await ask.getByRole('button', { name: 'Cut an identical release' }).click();
	await expect(page.getByRole('status')).toHaveText('Released v0002: 1 record.');
	expect((await (await lead.get(`/api/datasets/${slug}/releases`)).json()).map((r: { name: string }) => r.name).sort()).toEqual(['v0001', 'v0002']);
	await lead.dispose();

	// at 1024 px, nothing sticks out to the right: no horizontal scrolling of the page or the table
	const table = page.locator('table.releases');
	await expect(table.locator('tbody tr')).toHaveCount(2);
	const widths = await page.evaluate(() => ({
		page: document.documentElement.scrollWidth,
		viewport: document.documentElement.clientWidth,
		tableRight: document.querySelector('table.releases')!.getBoundingClientRect().right,
		main: document.querySelector('main')!.getBoundingClientRect().right
	}));
	expect(widths.page).toBeLessThanOrEqual(widths.viewport);
	expect(widths.tableRight).toBeLessThanOrEqual(widths.main);
	// every download link is on screen
	const links = await table.getByRole('link').all();
	expect(links.length, 'each release row has its download links').toBeGreaterThanOrEqual(2);
	for (const link of links) {
		const box = (await link.boundingBox())!;
		expect(box.x + box.width).toBeLessThanOrEqual(1024);
	}
});

test('a lead unlocks, from the Users page, an account that failed logins locked', async ({ page }) => {
	const lead = await apiAs('lead');
	const username = `locked-${Date.now().toString(36)}`;
	const created = await lead.post('/api/users', { data: { username, password: 'the-right-password', role: 'annotator' } });
	expect(created.status(), await created.text()).toBe(201);
	const anon = await (await import('../helpers/api')).anonymous();
	for (let i = 0; i < 10; i++) expect((await anon.post('/api/login', { data: { username, password: 'wrong-password' } })).status()).toBe(401);
	const refused = await anon.post('/api/login', { data: { username, password: 'the-right-password' } });
	expect(refused.status()).toBe(429);

	await loginUI(page, 'lead');
	await gotoHydrated(page, '/admin/users');
	const row = page.locator(`tr[data-user="${username}"]`);
	await expect(row.getByTestId('locked')).toHaveText('locked 15 min');
	await expect(page.locator('tr[data-user="ann1"]').getByTestId('locked')).toHaveCount(0);
	await row.getByRole('button', { name: `Unlock ${username}` }).click();
	await expect(page.getByRole('status')).toHaveText(`Saved “${username}”.`);
	await expect(row.getByTestId('locked')).toHaveCount(0);

	const ok = await anon.post('/api/login', { data: { username, password: 'the-right-password' } });
	expect(ok.status(), await ok.text()).toBe(200);
	// the API does the same, and says whether there was a lock
	const again = await lead.delete(`/api/users/${username}/lock`);
	expect(await again.json()).toEqual({ username, wasLocked: false });
	expect((await lead.delete('/api/users/nobody-here/lock')).status()).toBe(404);
	await anon.dispose();
	await lead.dispose();
});

test('the Settings page logs no console warnings or errors, also while labels are edited', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 's1', text: 'Un texte.' }], annotators: ['ann1'] });
	const messages: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'warning' || m.type() === 'error') messages.push(`${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	await expect(page.getByRole('button', { name: 'Save labels' })).toBeVisible();
	await page.getByRole('button', { name: 'Add label' }).click();
	await page.locator('tr[data-label-row=""]').getByLabel('Label name').fill('quote');
	await page.getByRole('button', { name: 'Save labels' }).click();
	await expect(page.getByText('Labels saved.')).toBeVisible();
	await page.reload();
	await expect(page.getByRole('button', { name: 'Save labels' })).toBeVisible();
	await page.waitForTimeout(300);
	expect(messages).toEqual([]);
	// the colours are still in the server's HTML, so the form works without JavaScript
	const html = await (await page.request.get(`/datasets/${slug}/settings`)).text();
	expect(html).toMatch(/<input name="color" type="color"[^>]*value="#e8590c"/);
});

test('import problems are said in words, in line order, once; a reserved label key is named by its label', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'x', text: 'Déjà là.' }], annotators: ['ann1'] });
	await loginUI(page, 'lead');
	const body = [
		JSON.stringify({ text: 'Le maire a parlé.' }),
		'{"text": "Pas fini"',
		JSON.stringify({ text: 'Le préfet aussi.' }),
		JSON.stringify({ text: 'Il a dit oui.', label: [[3, 8, 'quote-verb']] })
	].join('\n');
	const summary = await importInBrowser(page, slug, [{ name: 'walk.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(body + '\n') }]);
	await expect(summary.getByRole('heading', { name: 'Nothing was imported' })).toBeVisible();
	// the heading is not repeated below it
	await expect(summary.getByRole('alert')).toHaveText('2 problems were found; fix them and import again.');
	await expect(summary.getByText(/nothing was imported/i)).toHaveCount(1);
	const rows = summary.locator('table.errors tbody tr');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0).locator('td').nth(1)).toHaveText('2');
	await expect(rows.nth(1).locator('td').nth(1)).toHaveText('4');
	await expect(rows.nth(1).locator('td').nth(2)).toHaveText(
		"The label “quote-verb” (1 span) is not one of this dataset's labels. Choose a label of the dataset for it, or tick “Add labels the dataset does not have yet”, and import again."
	);
	await expect(summary).not.toContainText('labelMap=');
	await expect(summary).not.toContainText('addLabels=');
	// the API keeps its parameter names for scripts
	const lead = await apiAs('lead');
	const api = await lead.post(`/api/datasets/${slug}/documents`, { headers: { 'content-type': 'application/x-ndjson' }, data: body + '\n' });
	expect(api.status()).toBe(400);
	expect(JSON.stringify(await api.json())).toContain('labelMap=quote-verb:LABEL');
	await lead.dispose();

	await gotoHydrated(page, `/datasets/${slug}/settings`);
	await page.locator('tr[data-label-row="date"]').getByLabel('Keyboard key for date').fill('j');
	await page.getByRole('button', { name: 'Save labels' }).click();
	const error = page.locator('form[action="?/labels"] .error[role="alert"]');
	await expect(error).toHaveText('“date”: key: j, k, u and z are reserved for navigation and undo');
});

test('imports keep names: a .txt file keeps its name and gives the id, a pasted text is imported, a new dataset copies labels and guidelines', async ({ page }) => {
	const labels = [
		{ name: 'quote', key: 'q', color: '#0ca678', description: 'A quotation.' },
		{ name: 'speaker', key: 's', color: '#e03131', description: 'Who speaks.' }
	];
	const slug = await seedDataset({ documents: [{ id: 'seed', text: 'Un texte déjà là.' }], labels, annotators: ['ann1'] });
	const lead = await apiAs('lead');
	expect((await lead.patch(`/api/datasets/${slug}`, { data: { guidelines: '# Citations\n\nTag every quotation.' } })).status()).toBe(200);
	await loginUI(page, 'lead');

	await gotoHydrated(page, `/datasets/${slug}/import`);
	await page.getByLabel('Files to import').setInputFiles([
		{ name: 'Débat municipal (mai).txt', mimeType: 'text/plain', buffer: Buffer.from('Débat au conseil\n\nLe maire a parlé.') }
	]);
	await page.getByText('Or paste a text').click();
	await page.getByLabel('Name').fill('conseil-2024-05-03');
	await page.getByLabel('Text', { exact: true }).fill('Séance du 3 mai\n\nLe budget est adopté.');
	await page.getByRole('button', { name: 'Import 2 files' }).click();
	const summary = page.getByRole('region', { name: 'Import summary' });
	await expect(summary.getByTestId('imported')).toHaveText('2');
	const file = await (await lead.get(`/api/datasets/${slug}/documents/Debat-municipal-mai`)).json();
	expect(file).toMatchObject({ id: 'Debat-municipal-mai', title: 'Débat au conseil', meta: { filename: 'Débat municipal (mai).txt' } });
	const pasted = await (await lead.get(`/api/datasets/${slug}/documents/conseil-2024-05-03`)).json();
	expect(pasted).toMatchObject({ title: 'Séance du 3 mai', text: 'Séance du 3 mai\n\nLe budget est adopté.', meta: { filename: 'conseil-2024-05-03.txt' } });
	// the box is emptied after a successful import
	await expect(page.getByLabel('Text', { exact: true })).toHaveValue('');
	await gotoHydrated(page, `/datasets/${slug}`);
	await expect(page.getByRole('link', { name: 'Débat au conseil' })).toHaveAttribute('href', new RegExp(`/Debat-municipal-mai$`));

	// a new dataset starting from this one: its labels and guidelines, nothing else
	await gotoHydrated(page, '/datasets/new');
	const copySlug = `${slug}-copy`.slice(0, 64);
	await page.getByLabel('Title').fill('Copie');
	await page.getByLabel('Short name (slug)').fill(copySlug);
	await page.getByLabel('Start from').selectOption(slug);
	await expect(page.getByLabel('its labels, with their keys, colours and explanations')).toBeChecked();
	await page.getByRole('button', { name: 'Create dataset' }).click();
	await expect(page).toHaveURL(new RegExp(`/datasets/${copySlug}/settings`));
	const copy = await (await lead.get(`/api/datasets/${copySlug}`)).json();
	expect(copy.labels).toEqual(labels.map((l) => ({ ...l, attributes: [] }))); // as the API answers labels: with their (no) attributes
	expect(copy.guidelines).toBe('# Citations\n\nTag every quotation.');
	expect(await (await lead.get(`/api/datasets/${copySlug}/documents`)).json()).toEqual([]);
	await expect(page.locator('tr[data-label-row="quote"]')).toBeVisible();
	await lead.dispose();
});
