/**
 * Teams, as a lead and annotators live them: build a dataset with its own label,
 * add people, assign the work, annotate one's own queue, watch progress; plus the
 * account stories (deactivation, API tokens, login rate limit, session cookie).
 * Real Chromium, real server; documents come in through the API.
 */
import { test, expect, type Page, type Browser } from '@playwright/test';
import { PASSWORD, anonymous, apiAs, gotoHydrated, loginUI, seedDataset, uniqueSlug } from '../helpers/api';

const stamp = () => Date.now().toString(36).slice(-6) + Math.floor(Math.random() * 1296).toString(36);

/** A new account through the API (as lead). */
async function newUser(prefix: string, role: 'lead' | 'annotator' = 'annotator'): Promise<string> {
	const lead = await apiAs('lead');
	const username = `${prefix}-${stamp()}`;
	const res = await lead.post('/api/users', { data: { username, password: PASSWORD, role } });
	expect(res.status(), await res.text()).toBe(201);
	await lead.dispose();
	return username;
}

async function pageAs(browser: Browser, username: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await loginUI(page, username);
	return page;
}

/** Select `word` in the article by dragging the mouse across it. */
async function dragOverWord(page: Page, word: string): Promise<void> {
	const box = await page.evaluate((word) => {
		const root = document.querySelector('.ProseMirror')!;
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		while (walker.nextNode()) {
			const node = walker.currentNode as Text;
			const at = node.data.indexOf(word);
			if (at < 0) continue;
			const range = document.createRange();
			range.setStart(node, at);
			range.setEnd(node, at + word.length);
			const r = range.getBoundingClientRect();
			return { left: r.left, right: r.right, y: (r.top + r.bottom) / 2 };
		}
		throw new Error(`"${word}" is not in the article`);
	}, word);
	await page.mouse.move(box.left + 1, box.y);
	await page.mouse.down();
	await page.mouse.move((box.left + box.right) / 2, box.y, { steps: 4 });
	await page.mouse.move(box.right - 1, box.y, { steps: 4 });
	await page.mouse.up();
}

const DOCS = [
	{ id: 'd1', title: 'Budget vote', text: 'The council approved the budget on Tuesday, the mayor said.' },
	{ id: 'd2', title: 'Bridge repairs', text: 'Repairs to the old bridge will take two years, engineers warned.' },
	{ id: 'd3', title: 'School meals', text: 'Free school meals reach every pupil from September, officials confirmed.' },
	{ id: 'd4', title: 'Harbour strike', text: 'Dock workers began an indefinite strike at the harbour on Monday.' },
	{ id: 'd5', title: 'Rail timetable', text: 'The new rail timetable adds forty trains a day, the operator claimed.' },
	{ id: 'd6', title: 'Library hours', text: 'The central library will open on Sundays again, the council announced.' }
];

test('a lead builds a team dataset in the browser, ann1 annotates their own queue, the lead sees progress move', async ({ browser }) => {
	test.setTimeout(120_000);
	// a third annotator whose name sorts after ann1 and ann2, created through the users page
	const third = `tm-${stamp()}`;
	const lead = await pageAs(browser, 'lead');
	await gotoHydrated(lead, '/admin/users');
	await lead.getByLabel('Username').fill(third);
	await lead.getByLabel('Initial password').fill(PASSWORD);
	await lead.getByRole('button', { name: 'Create user' }).click();
	await expect(lead.getByRole('status')).toContainText(`User “${third}” created`);
	await expect(lead.locator(`tr[data-user="${third}"]`)).toBeVisible();

	// 1. a new dataset, from the home page
	const slug = uniqueSlug('team');
	await gotoHydrated(lead, '/');
	await lead.getByRole('link', { name: 'New dataset' }).click();
	// typed key by key: every keystroke is kept, and the slug is suggested from it (accents dropped)
	await lead.getByLabel('Title').pressSequentially('Équipe story', { delay: 20 });
	await expect(lead.getByLabel('Title')).toHaveValue('Équipe story');
	await expect(lead.getByLabel('Short name (slug)')).toHaveValue('equipe-story');
	await lead.getByLabel('Title').fill('Team story');
	await expect(lead.getByLabel('Short name (slug)')).toHaveValue('team-story');
	await lead.getByLabel('Short name (slug)').fill(slug);
	await lead.getByLabel('Description').fill('Local news, annotated by a team.');
	await lead.getByRole('button', { name: 'Create dataset' }).click();
	await expect(lead).toHaveURL(`/datasets/${slug}/settings?created=1`);

	// a bad slug is refused with a clear message
	const api = await apiAs('lead');
	const bad = await api.post('/api/datasets', { data: { slug: 'Not A Slug!', title: 'x' } });
	expect(bad.status()).toBe(400);

	// 2. a custom label "quote" on key q, next to the default four
	await lead.getByRole('button', { name: 'Add label' }).click();
	const row = lead.locator('table.labels tbody tr').last();
	await row.getByLabel('Label name').fill('quote');
	await row.getByLabel(/Keyboard key/).fill('q');
	await row.getByLabel(/Description of/).fill('Words reported between quotation marks.');
	await lead.getByRole('button', { name: 'Save labels' }).click();
	await expect(lead.getByText('Labels saved.')).toBeVisible();
	const labels = (await (await api.get(`/api/datasets/${slug}`)).json()).labels;
	expect(labels.map((l: { name: string; key: string }) => `${l.name}:${l.key}`)).toEqual(['claim:1', 'attribution:2', 'framing:3', 'date:4', 'quote:q']);

	// 3. documents come in through the import API (another page's job)
	const imported = await api.post(`/api/datasets/${slug}/documents`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: DOCS.map((d) => JSON.stringify(d)).join('\n') + '\n'
	});
	expect(imported.status(), await imported.text()).toBe(200);
	// the lead's document list says the new documents are in nobody's queue yet
	const leadDocs = await lead.context().newPage();
	await leadDocs.goto(`/datasets/${slug}`);
	await expect(leadDocs.getByTestId('team-summary')).toContainText("6 documents are in nobody's queue: assign them");
	await expect(leadDocs.locator('tbody tr td.team-cell')).toHaveText(Array(6).fill('unassigned'));

	// 4. members: ann1, ann2 and the new account, as annotators
	await lead.reload();
	for (const name of ['ann1', 'ann2', third]) {
		await lead.getByLabel('User to add').selectOption(name);
		await lead.getByRole('button', { name: 'Add member' }).click();
		await expect(lead.locator(`tr[data-member="${name}"]`)).toBeVisible();
	}

	// 5. automatic assignment: every document to 2 annotators
	await lead.getByRole('link', { name: 'Assignments' }).click();
	await expect(lead).toHaveURL(`/datasets/${slug}/assignments`);
	await expect(lead.getByText('Everyone sees every document')).toBeVisible();
	await lead.getByLabel('Annotators per document').fill('2');
	await lead.getByLabel('Every document').check();
	await lead.getByRole('button', { name: 'Assign automatically' }).click();
	await expect(lead.getByText('Assignment updated.')).toBeVisible();
	// 6 documents × 2 = 12 slots, 4 each; worked out in src/lib/assignment.test.ts style:
	// d1 ann1+ann2, d2 ann1+tm, d3 ann2+tm, d4 ann1+ann2, d5 ann1+tm, d6 ann2+tm
	for (const name of ['ann1', 'ann2', third]) {
		await expect(lead.locator(`li[data-annotator="${name}"] strong`)).toHaveText('4');
	}
	const assignment = await (await api.get(`/api/datasets/${slug}/assignments`)).json();
	expect(Object.fromEntries(assignment.documents.map((d: { id: string; annotators: string[] }) => [d.id, d.annotators]))).toEqual({
		d1: ['ann1', 'ann2'],
		d2: ['ann1', third],
		d3: ['ann2', third],
		d4: ['ann1', 'ann2'],
		d5: ['ann1', third],
		d6: ['ann2', third]
	});

	// the progress page before anyone starts
	await lead.getByRole('link', { name: 'Progress' }).click();
	const ann1Row = lead.locator('tr[data-annotator="ann1"]');
	await expect(ann1Row.locator('[data-col="assigned"]')).toHaveText('4');
	await expect(ann1Row.locator('[data-col="in-progress"]')).toHaveText('0');
	await expect(ann1Row.locator('[data-col="done"]')).toHaveText('0');

	// 6. ann1 sees exactly their four documents and tags a word with the new key
	const ann1 = await pageAs(browser, 'ann1');
	await ann1.goto(`/datasets/${slug}`);
	await expect(ann1.locator('tbody tr')).toHaveCount(4);
	await expect(ann1.locator('tbody tr td:nth-child(2)')).toHaveText(['Budget vote', 'Bridge repairs', 'Harbour strike', 'Rail timetable']);
	await expect(ann1.getByRole('link', { name: 'Settings' })).toHaveCount(0);
	// a document outside the queue is refused
	const outside = await ann1.goto(`/datasets/${slug}/documents/d3`);
	expect(outside?.status()).toBe(403);

	await ann1.goto(`/datasets/${slug}`);
	await ann1.getByRole('link', { name: 'Start annotating' }).click();
	await expect(ann1).toHaveURL(`/datasets/${slug}/documents/d1`);
	await expect(ann1.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();
	await dragOverWord(ann1, 'approved');
	await ann1.keyboard.press('q');
	await expect(ann1.locator('.ProseMirror .span[data-label="quote"]')).toHaveText('approved');
	await expect(ann1.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');

	// 7. the lead sees it move: in progress, then done
	await lead.reload();
	await expect(ann1Row.locator('[data-col="in-progress"]')).toHaveText('1');
	await expect(ann1Row.locator('[data-col="not-started"]')).toHaveText('3');
	await expect(ann1Row.locator('[data-col="last-activity"]')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
	await ann1.keyboard.press('Control+Enter');
	await expect(ann1.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	await expect.poll(async () => (await (await api.get(`/api/datasets/${slug}/progress`)).json()).annotators.find((a: { annotator: string }) => a.annotator === 'ann1').done).toBe(1);
	await lead.reload();
	await expect(ann1Row.locator('[data-col="done"]')).toHaveText('1');
	await expect(ann1Row.locator('[data-col="in-progress"]')).toHaveText('0');
	// and on the document list: the team's count per document, not only the lead's own status
	await leadDocs.reload();
	await expect(leadDocs.getByTestId('team-summary')).toContainText('Team: 0 of 6 documents finished by everyone assigned to them.');
	await expect(leadDocs.locator('tbody tr td.team-cell')).toHaveText(['1 / 2 done', ...Array(5).fill('0 / 2 done')]);
	// an annotator's list has no team column
	await ann1.goto(`/datasets/${slug}`);
	await expect(ann1.locator('td.team-cell')).toHaveCount(0);
	await expect(ann1.getByTestId('team-summary')).toHaveCount(0);

	await api.dispose();
});

test('renaming a label in use asks for confirmation and relabels the current work as a new revision; removal needs force', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: 'The mayor said the budget was approved.' }], annotators: ['ann1'] });
	const ann1 = await apiAs('ann1');
	const saved = await ann1.put(`/api/datasets/${slug}/documents/a/annotations/me`, {
		data: { baseRevision: 0, spans: [{ start: 4, end: 9, label: 'attribution' }, { start: 19, end: 25, label: 'date' }] }
	});
	expect(saved.status(), await saved.text()).toBe(200);

	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/settings`);
	const row = page.locator('tr[data-label-row="attribution"]');
	await expect(row.locator('.usage')).toHaveText('1 span');
	await row.getByLabel('Label name').fill('source');
	await page.getByRole('button', { name: 'Save labels' }).click();
	const confirm = page.getByRole('alertdialog');
	await expect(confirm).toContainText('Renaming “attribution” to “source” relabels 1 span');
	await confirm.getByRole('button', { name: 'Apply the change' }).click();
	await expect(page.getByText('Labels saved. 1 annotation set updated (1 relabelled, 0 removed).')).toBeVisible();

	const now = await (await ann1.get(`/api/datasets/${slug}/documents/a/annotations/me`)).json();
	expect(now.revision).toBe(2);
	expect(now.spans.map((s: { label: string; text: string }) => `${s.label}:${s.text}`)).toEqual(['source:mayor', 'date:budget']);
	const lead = await apiAs('lead');
	const history = await (await lead.get(`/api/datasets/${slug}/documents/a/annotations/ann1/revisions`)).json();
	expect(history.map((r: { revision: number; by: string; relabelled: number }) => [r.revision, r.by, r.relabelled])).toEqual([
		[1, 'ann1', 0],
		[2, 'lead', 1]
	]);

	// removing "date" while a span uses it: refused, then forced
	const info = await (await lead.get(`/api/datasets/${slug}`)).json();
	const withoutDate = info.labels.filter((l: { name: string }) => l.name !== 'date');
	const refused = await lead.patch(`/api/datasets/${slug}`, { data: { labels: withoutDate } });
	expect(refused.status()).toBe(409);
	expect(await refused.json()).toMatchObject({ inUse: { date: 1 } });
	const forced = await lead.patch(`/api/datasets/${slug}`, { data: { labels: withoutDate, force: true } });
	expect(forced.status(), await forced.text()).toBe(200);
	expect((await forced.json()).rewritten).toEqual({ sets: 1, renamed: 0, removed: 1 });
	const after = await (await ann1.get(`/api/datasets/${slug}/documents/a/annotations/me`)).json();
	expect(after.spans.map((s: { label: string }) => s.label)).toEqual(['source']);
	// the history still has the removed span
	const full = await (await lead.get(`/api/datasets/${slug}/documents/a/annotations/ann1/revisions`)).json();
	expect(full[1].spans.map((s: { label: string }) => s.label)).toContain('date');
	await ann1.dispose();
	await lead.dispose();
});

test('a deactivated user cannot log in, their sessions end, and their work is kept', async ({ browser, page }) => {
	const name = await newUser('gone');
	const slug = await seedDataset({ documents: [{ id: 'a', text: 'Work that must survive deactivation.' }], annotators: [name] });
	const worker = await pageAs(browser, name);
	const own = await apiAs(name);
	expect((await own.put(`/api/datasets/${slug}/documents/a/annotations/me`, { data: { baseRevision: 0, spans: [{ start: 0, end: 4, label: 'claim' }] } })).status()).toBe(200);

	await loginUI(page, 'lead');
	await gotoHydrated(page, '/admin/users');
	await page.getByRole('button', { name: `Deactivate ${name}` }).click();
	await expect(page.locator(`tr[data-user="${name}"] .badge`)).toHaveText('deactivated');

	// their open session is over
	await worker.goto('/');
	await expect(worker).toHaveURL(/\/login/);
	expect((await own.get('/api/me')).status()).toBe(401);
	// and they cannot log in again
	await worker.getByLabel('Username').fill(name);
	await worker.getByLabel('Password').fill(PASSWORD);
	await worker.getByRole('button', { name: 'Log in' }).click();
	await expect(worker.getByRole('alert')).toHaveText('wrong username or password');
	const anon = await anonymous();
	expect((await anon.post('/api/login', { data: { username: name, password: PASSWORD } })).status()).toBe(401);

	// the lead still reads their work
	const lead = await apiAs('lead');
	const work = await (await lead.get(`/api/datasets/${slug}/documents/a/annotations/${name}`)).json();
	expect(work.spans.map((s: { text: string }) => s.text)).toEqual(['Work']);

	// reactivated, they are back
	await page.getByRole('button', { name: `Reactivate ${name}` }).click();
	await expect(page.locator(`tr[data-user="${name}"] .badge`)).toHaveText('active');
	expect((await anon.post('/api/login', { data: { username: name, password: PASSWORD } })).status()).toBe(200);
	await Promise.all([own.dispose(), lead.dispose(), anon.dispose()]);
});

test('an API token works as a Bearer token until it is revoked', async ({ page }) => {
	const name = await newUser('tok');
	await loginUI(page, name);
	await gotoHydrated(page, '/account');
	await expect(page.getByText('No API tokens.')).toBeVisible();
	await page.getByLabel('Token name').fill('my script');
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = (await page.getByTestId('new-token').textContent())!.trim();
	expect(token).toMatch(/^slp_/);

	const script = await anonymous();
	const me = await script.get('/api/me', { headers: { authorization: `Bearer ${token}` } });
	expect(me.status()).toBe(200);
	expect(await me.json()).toEqual({ username: name, role: 'annotator' });
	// shown once: after a reload only its name is listed
	await page.reload();
	await expect(page.getByTestId('new-token')).toHaveCount(0);
	await expect(page.locator('tr[data-token="my script"]')).toBeVisible();

	await page.getByRole('button', { name: 'Revoke my script' }).click();
	await expect(page.getByText('No API tokens.')).toBeVisible();
	expect((await script.get('/api/me', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
	expect((await script.get('/api/datasets', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
	await script.dispose();
});

test('the 11th failed login in a row is refused with 429, even with the right password', async ({ page }) => {
	const name = await newUser('rl');
	const anon = await anonymous();
	for (let i = 1; i <= 10; i++) {
		const res = await anon.post('/api/login', { data: { username: name, password: `wrong-${i}-password` } });
		expect(res.status(), `attempt ${i}`).toBe(401);
	}
	const eleventh = await anon.post('/api/login', { data: { username: name, password: PASSWORD } });
	expect(eleventh.status()).toBe(429);
	expect((await eleventh.json()).error).toMatch(/too many failed logins; try again in 15 minute/);
	// the login page says so too
	await gotoHydrated(page, '/login');
	await page.getByLabel('Username').fill(name);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toContainText('too many failed logins');
	// other accounts are not affected
	expect((await anon.post('/api/login', { data: { username: 'ann2', password: PASSWORD } })).status()).toBe(200);
	await anon.dispose();
});

test('the session cookie is httpOnly, SameSite=Lax, not Secure over http, and expires', async () => {
	const anon = await anonymous();
	const res = await anon.post('/api/login', { data: { username: 'ann2', password: PASSWORD } });
	const cookie = res.headers()['set-cookie'];
	expect(cookie).toMatch(/^spanlab_session=[A-Za-z0-9_-]{40,};/);
	expect(cookie).toMatch(/; HttpOnly/i);
	expect(cookie).toMatch(/; SameSite=Lax/i);
	expect(cookie).not.toMatch(/; Secure/i);
	const expires = new Date(/Expires=([^;]+)/i.exec(cookie)![1]).getTime();
	const days = (expires - Date.now()) / 86_400_000;
	expect(days).toBeGreaterThan(6.9);
	expect(days).toBeLessThanOrEqual(7.01);
	// logging out ends the session on the server, not just in the browser
	const stored = (await anon.storageState()).cookies.find((c) => c.name === 'spanlab_session')!;
	await anon.post('/api/logout');
	const replay = await anonymous();
	expect((await replay.get('/api/me', { headers: { cookie: `spanlab_session=${stored.value}` } })).status()).toBe(401);
	await Promise.all([anon.dispose(), replay.dispose()]);
});
