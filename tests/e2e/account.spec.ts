/**
 * A user changes their own password on the account page: they stay signed in
 * here, their other sessions end, and their API tokens are listed to revoke.
 */
import { test, expect } from '@playwright/test';
import { PASSWORD, anonymous, apiAs, loginUI, gotoHydrated } from '../helpers/api';

test('changing my password keeps me signed in here, ends my other sessions and shows my tokens to revoke', async ({ page }) => {
	const lead = await apiAs('lead');
	const name = `pw-${Date.now().toString(36)}`;
	expect((await lead.post('/api/users', { data: { username: name, password: PASSWORD, role: 'annotator' } })).status()).toBe(201);
	await lead.dispose();

	const elsewhere = await apiAs(name); // another device
	const token = (await (await elsewhere.post('/api/tokens', { data: { name: 'laptop script' } })).json()).token;
	await loginUI(page, name);
	await gotoHydrated(page, '/account');
	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByLabel('New password').fill('my-new-password-1');
	await page.getByRole('button', { name: 'Change password' }).click();

	const notice = page.getByRole('status').filter({ hasText: 'Password changed.' });
	await expect(notice).toContainText('Every other session of yours has ended; this one goes on.');
	await expect(notice).toContainText('Your API tokens still work: revoke any you do not trust below (one token).');
	expect((await elsewhere.get('/api/me')).status()).toBe(401);
	// still signed in here, after a reload too
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
	await expect(page).toHaveURL(/\/account$/);

	// one click revokes the token
	const script = await anonymous();
	expect((await script.get('/api/me', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);
	await page.getByRole('button', { name: 'Revoke laptop script' }).click();
	await expect(page.getByText('No API tokens.')).toBeVisible();
	expect((await script.get('/api/me', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
	await script.dispose();
	await elsewhere.dispose();
});
