/**
 * Issue #15 item 7: the density choice is kept per user, in their account, so it
 * follows them to another browser (the cookie stays as the fast path).
 */
import { test, expect } from '@playwright/test';
import { PASSWORD, apiAs, seedDataset, uniqueSlug } from '../helpers/api';

test('compact chosen in one browser opens compact in another browser of the same user, not for another user', async ({ browser }) => {
	// users of this test only: other tests' density choices of ann1 and ann2 do not reach it
	const lead = await apiAs('lead');
	const [me, them] = [uniqueSlug('dens'), uniqueSlug('peer')];
	for (const username of [me, them]) {
		const res = await lead.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } });
		expect(res.status(), await res.text()).toBe(201);
	}
	await lead.dispose();
	const slug = await seedDataset({ documents: [{ id: 'd1', title: 'Un', text: 'Le maire a promis une baisse des impôts.' }], annotators: [me, them] });
	const url = `/datasets/${slug}/documents/d1`;
	const first = await browser.newContext();
	const page = await first.newPage();
	expect((await page.request.post('/api/login', { data: { username: me, password: PASSWORD } })).status()).toBe(200);
	await page.goto(url);
	await expect(page.locator('.article')).toHaveAttribute('data-density', 'comfortable');
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible(); // hydrated: the switch works
	const saved = page.waitForResponse((r) => r.url().endsWith('/api/me/preferences') && r.request().method() === 'PUT');
	await page.getByRole('button', { name: 'Compact' }).click();
	expect((await saved).status()).toBe(200);
	await expect(page.locator('.article')).toHaveAttribute('data-density', 'compact');

	// bad input is a 400 naming the field and changes nothing
	const bad = await page.request.put('/api/me/preferences', { data: { density: 'tiny' } });
	expect(bad.status()).toBe(400);
	expect(await bad.text()).toContain('density');

	// a second browser (no density cookie) gets compact from the account, in the first paint
	const second = await browser.newContext();
	const other = await second.newPage();
	expect((await other.request.post('/api/login', { data: { username: me, password: PASSWORD } })).status()).toBe(200);
	expect((await second.cookies()).some((c) => c.name.startsWith('spanlab_density_'))).toBe(false);
	const html = await (await other.request.get(url)).text();
	expect(html).toContain('data-density="compact"');
	await other.goto(url);
	await expect(other.locator('.article')).toHaveAttribute('data-density', 'compact');
	await expect(other.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();

	// back to comfortable there: the first browser follows on its next load, its stale cookie notwithstanding
	const back = other.waitForResponse((r) => r.url().endsWith('/api/me/preferences') && r.request().method() === 'PUT');
	await other.getByRole('button', { name: 'Comfortable' }).click();
	expect((await back).status()).toBe(200);
	await page.reload();
	await expect(page.locator('.article')).toHaveAttribute('data-density', 'comfortable');

	// another user is not affected
	const third = await browser.newContext();
	const peer = await third.newPage();
	expect((await peer.request.post('/api/login', { data: { username: them, password: PASSWORD } })).status()).toBe(200);
	await page.request.put('/api/me/preferences', { data: { density: 'compact' } });
	await peer.goto(url);
	await expect(peer.locator('.article')).toHaveAttribute('data-density', 'comfortable');
	await Promise.all([first.close(), second.close(), third.close()]);
});
