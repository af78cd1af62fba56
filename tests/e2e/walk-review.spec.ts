/**
 * Issue #15, adjudication a lead can finish: stories of the walkthrough in the
 * review view (what "decided" means, changes after gold, gold edited directly).
 */
import { test, expect, type Page } from '@playwright/test';
import { apiAs, loginUI, seedDataset } from '../helpers/api';

const cp = (text: string, needle: string) => {
	const at = text.indexOf(needle);
	if (at < 0) throw new Error(`${needle} not in text`);
	return { start: Array.from(text.slice(0, at)).length, end: Array.from(text.slice(0, at + needle.length)).length };
};

async function saveAs(user: string, slug: string, id: string, spans: Array<{ start: number; end: number; label: string }>, status = 'done') {
	const api = await apiAs(user);
	const res = await api.put(`/api/datasets/${slug}/documents/${id}/annotations/me`, { data: { baseRevision: 0, spans, status } });
	expect(res.status(), await res.text()).toBe(200);
	await api.dispose();
}

const ready = (page: Page) => expect(page.locator('.layout[data-ready="true"]')).toBeVisible();

test('accepting a long claim leaves the shorter claim inside it open: only an accept, a reject or an edit of it decides it', async ({ page }) => {
	const text = 'Selon le ministre, « la réforme sera votée mardi et appliquée en janvier ».';
	const long = '« la réforme sera votée mardi et appliquée en janvier »';
	const short = 'la réforme sera votée mardi';
	const slug = await seedDataset({ documents: [{ id: 'c1', title: 'Réforme', text }] });
	await saveAs('ann1', slug, 'c1', [{ ...cp(text, long), label: 'claim' }]);
	await saveAs('ann2', slug, 'c1', [{ ...cp(text, short), label: 'claim' }]);

	await loginUI(page, 'lead');
	await page.goto(`/datasets/${slug}/review/c1`);
	await ready(page);
	const progress = page.getByTestId('review-progress');
	const item = (needle: string) => page.locator('.disagreements li', { hasText: needle });
	const save = page.locator('.save[data-state]');
	await expect(progress).toHaveText('· 0 decided, 2 open');

	await page.keyboard.press('n');
	await expect(page.getByTestId('focused-span')).toContainText('appliquée en janvier');
	await page.keyboard.press('a');
	await expect(save).toHaveAttribute('data-revision', '1');
	// the shorter claim is not "settled otherwise": it is still open, and the focus moved to it
	await expect(item('appliquée')).toHaveAttribute('data-decision', 'accepted');
	const shortItem = page.locator('.disagreements li').filter({ hasNotText: 'appliquée' });
	await expect(shortItem).toHaveAttribute('data-decision', 'open');
	await expect(shortItem.locator('.state')).toHaveText('open');
	await expect(progress).toHaveText('· 1 decided, 1 open');
	await expect(page.getByTestId('focused-span')).toHaveAttribute('data-decision', 'open');
	await expect(page.getByTestId('focused-span')).toContainText(`“${short}”`);

	// still open after a reload
	await page.reload();
	await ready(page);
	await expect(progress).toHaveText('· 1 decided, 1 open');

	// an edit of it decides it: the edited span goes into gold, the original is recorded as rejected
	await shortItem.getByRole('button').click();
	await page.keyboard.press('e');
	await expect(page.getByTestId('span-editor')).toBeVisible();
	await page.keyboard.press('ArrowLeft'); // end one word back: "la réforme sera votée"
	await page.keyboard.press('Enter');
	await expect(save).toHaveAttribute('data-revision', '2');
	await expect(save).toHaveAttribute('data-state', 'saved');
	await expect(progress).toHaveText('· 2 decided, 0 open');
	await expect(shortItem).toHaveAttribute('data-decision', 'rejected');
	const lead = await apiAs('lead');
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/c1/annotations/gold`)).json();
	expect(gold.spans.map((s: { text: string }) => s.text).sort()).toEqual([long, 'la réforme sera votée'].sort());
	expect(gold.rejected.map((s: { text: string }) => s.text)).toEqual([short]);
	await lead.dispose();
});
