/**
 * Issue #15, the session stories of the walkthrough: what a browser keeps after
 * logout (item 13) and a save after the session expired (item 12).
 */
import { test, expect } from '@playwright/test';
import { PASSWORD, apiAs, anonymous, loginUI, seedDataset } from '../helpers/api';

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
	await page.goto(`/datasets/${slug}/documents/d1`);
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
