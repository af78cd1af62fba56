/**
 * Issue #15, the session stories of the walkthrough: what a browser keeps after
 * logout (item 13) and a save after the session expired (item 12).
 */
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { baseURL, PASSWORD, apiAs, anonymous, loginUI, seedDataset, gotoHydrated } from '../helpers/api';
import { charBox } from '../helpers/article';

const SECRET = 'The minister said the secret budget will double.';

test('Back after logout shows the login page, not the last document with its spans', async ({ page }) => {
	const slug = await seedDataset({ documents: [{ id: 'd1', title: 'Budget story', text: SECRET }] });
	const ann1 = await apiAs('ann1');
	const saved = await ann1.put(`/api/datasets/${slug}/documents/d1/annotations/me`, {
		data: { baseRevision: 0, spans: [{ start: 4, end: 12, label: 'attribution' }] }
	});
	expect(saved.status(), await saved.text()).toBe(200);

	// Every authenticated answer, page or API, forbids storing it and says it depends on the cookie.
	for (const path of [`/datasets/${slug}/documents/d1`, `/api/datasets/${slug}/documents/d1`, '/api/me', `/datasets/${slug}/__data.json`]) {
		const res = await ann1.get(path);
		expect(res.status(), path).toBe(200);
		expect(res.headers()['cache-control'], path).toMatch(/\bno-store\b/);
		expect(res.headers()['vary'], path).toMatch(/\bCookie\b/);
	}
	// an API error answered to a signed-in caller too
	const denied = await ann1.get(`/api/datasets/${slug}/documents/d1/annotations/ann2`);
	expect(denied.status()).toBe(403);
	expect(denied.headers()['cache-control']).toMatch(/\bno-store\b/);
	await ann1.dispose();
	// a token is authentication too
	const anon = await anonymous();
	const login = await anon.post('/api/login', { data: { username: 'ann1', password: PASSWORD } });
	expect(login.status()).toBe(200);
	const token = await anon.post('/api/tokens', { data: { name: 'cache check' } });
	expect(token.status(), await token.text()).toBe(201);
	const bearer = await anonymous();
	const viaToken = await bearer.get('/api/me', { headers: { authorization: `Bearer ${(await token.json()).token}` } });
	expect(viaToken.status()).toBe(200);
	expect(viaToken.headers()['cache-control']).toMatch(/\bno-store\b/);
	expect(viaToken.headers()['vary']).toMatch(/\bAuthorization\b/);
	await anon.dispose();
	await bearer.dispose();

	await loginUI(page, 'ann1');
	await gotoHydrated(page, `/datasets/${slug}/documents/d1`);
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toHaveText(SECRET);
	await expect(page.locator('.ProseMirror .span[data-label="attribution"]')).toHaveText('minister');

	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login/);

	await page.goBack();
	await expect(page).toHaveURL(/\/login/);
	await expect(page.getByText('secret budget')).toHaveCount(0);
	await expect(page.locator('[data-label]')).toHaveCount(0);
	await expect(page.getByLabel('Username')).toBeVisible();
});

test('a save after the session ended offers a login in place, then saves what was pending', async ({ page }) => {
	const text = 'Le ministre a promis mardi une baisse des impôts.';
	const slug = await seedDataset({ documents: [{ id: 'e1', title: 'Impôts', text }] });
	await loginUI(page, 'ann1');
	await gotoHydrated(page, `/datasets/${slug}/documents/e1`);
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();

	// the session ends on the server (as when it expires, or a logout in another tab): the browser still has its cookie
	const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const other = await playwrightRequest.newContext({ baseURL: baseURL(), extraHTTPHeaders: { cookie } });
	expect((await other.post('/api/logout')).status()).toBe(200);
	expect((await other.get('/api/me')).status()).toBe(401);
	await other.dispose();

	// tag "ministre" with the mouse and the label key
	const a = await charBox(page, 'ministre', 0);
	const b = await charBox(page, 'ministre', 'ministre'.length - 1);
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move(b.right - 1, b.y, { steps: 5 });
	await page.mouse.up();
	await page.keyboard.press('2');
	await expect(page.locator('.ProseMirror .span[data-label="attribution"]')).toHaveText('ministre');

	const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
	await expect(dialog).toBeVisible();
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'error');
	await expect(dialog.getByLabel('Username')).toHaveValue('ann1');
	// a wrong password says so and keeps the dialog
	await dialog.getByLabel('Password').fill('not-the-password');
	await dialog.getByRole('button', { name: 'Log in and save' }).click();
	await expect(dialog.getByRole('alert')).toHaveText('Wrong password.');
	await dialog.getByLabel('Password').fill(PASSWORD);
	await dialog.getByRole('button', { name: 'Log in and save' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-revision', '1');

	const ann1 = await apiAs('ann1');
	const saved = await (await ann1.get(`/api/datasets/${slug}/documents/e1/annotations/me`)).json();
	expect(saved.spans.map((s: { label: string; text: string }) => [s.label, s.text])).toEqual([['attribution', 'ministre']]);
	await ann1.dispose();
	// and the page goes on working with the new session
	await page.reload();
	await expect(page.locator('.ProseMirror .span[data-label="attribution"]')).toHaveText('ministre');
});
