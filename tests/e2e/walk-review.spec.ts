/**
 * Issue #15, adjudication a lead can finish: stories of the walkthrough in the
 * review view (what "decided" means, changes after gold, gold edited directly).
 */
import { test, expect, type Page } from '@playwright/test';
import { apiAs, loginUI, seedDataset, gotoHydrated } from '../helpers/api';

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
	await gotoHydrated(page, `/datasets/${slug}/review/c1`);
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

test('an annotator edits a document after its gold is done: the dataset page, the review list and the review view say what changed', async ({ page }) => {
	const text = 'Le maire a annoncé mardi une hausse des impôts.';
	const slug = await seedDataset({ documents: [{ id: 'g1', title: 'Impôts', text }] });
	await saveAs('ann1', slug, 'g1', [{ ...cp(text, 'maire'), label: 'attribution' }]);
	await saveAs('ann2', slug, 'g1', [{ ...cp(text, 'maire'), label: 'attribution' }, { ...cp(text, 'mardi'), label: 'date' }]);
	const lead = await apiAs('lead');
	const gold = await lead.put(`/api/datasets/${slug}/documents/g1/annotations/gold`, {
		data: { baseRevision: 0, spans: [{ ...cp(text, 'maire'), label: 'attribution' }, { ...cp(text, 'mardi'), label: 'date' }], status: 'done' }
	});
	expect(gold.status(), await gold.text()).toBe(200);
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}`);
	await expect(page.getByTestId('changed-since-gold')).toHaveCount(0);

	// ann1 comes back after the adjudication and adds a claim (their set stays done)
	await new Promise((r) => setTimeout(r, 20)); // a later timestamp than gold's
	const ann1 = await apiAs('ann1');
	const later = await ann1.put(`/api/datasets/${slug}/documents/g1/annotations/me`, {
		data: { baseRevision: 1, spans: [{ ...cp(text, 'maire'), label: 'attribution' }, { ...cp(text, 'une hausse des impôts'), label: 'claim' }] }
	});
	expect(later.status(), await later.text()).toBe(200);
	await ann1.dispose();

	await page.reload();
	await expect(page.getByTestId('changed-since-gold')).toHaveText('changed since gold (ann1)');
	await gotoHydrated(page, `/datasets/${slug}/agreement`);
	await expect(page.locator('table.docs tr[data-doc="g1"]').getByTestId('changed-since-gold')).toHaveText('changed since gold (ann1)');
	await page.locator('table.docs tr[data-doc="g1"]').getByRole('link', { name: 'Impôts' }).click();
	await ready(page);
	const notice = page.getByTestId('changed-since-gold');
	await expect(notice).toContainText('Changed since gold was marked done');
	await expect(notice.locator('li')).toHaveText(['ann1: 1 span added (revision 1 → 2)']);

	// the lead saves gold again (reopens and marks it done): it is adjudicated against the current work, and the marks go
	await page.keyboard.press('Control+Enter');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-revision', '2');
	await expect(notice).toHaveCount(0);
	await page.keyboard.press('Control+Enter');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-revision', '3');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	await gotoHydrated(page, `/datasets/${slug}`);
	await expect(page.getByTestId('changed-since-gold')).toHaveCount(0);
	const review = await (await lead.get(`/api/datasets/${slug}/documents/g1/review`)).json();
	expect(review.changedSinceGold).toEqual([]);
	await lead.dispose();
});

/** Drag over `needle` inside the lane row `lane` (the gold row by default), from character `from` to `to`. */
async function dragInLane(page: Page, needle: string, opts: { lane?: string; from?: number; to?: number; alt?: boolean } = {}) {
	const { lane = 'gold', from = 0, to = needle.length - 1, alt = false } = opts;
	const box = (i: number) =>
		page.evaluate(
			([lane, needle, i]) => {
				const root = document.querySelector(`.row[data-lane="${lane}"] .text[data-start]`)!;
				const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
				const nodes: Text[] = [];
				let all = '';
				const starts: number[] = [];
				while (walker.nextNode()) {
					starts.push(all.length);
					nodes.push(walker.currentNode as Text);
					all += (walker.currentNode as Text).data;
				}
				const pos = all.indexOf(needle) + i;
				let k = starts.length - 1;
				while (starts[k] > pos) k--;
				const r = document.createRange();
				r.setStart(nodes[k], pos - starts[k]);
				r.setEnd(nodes[k], pos - starts[k] + 1);
				const b = r.getBoundingClientRect();
				return { left: b.left, right: b.right, y: (b.top + b.bottom) / 2 };
			},
			[lane, needle, i] as const
		);
	const a = await box(from);
	const b = await box(to);
	if (alt) await page.keyboard.down('Alt');
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move(b.right - 1, b.y, { steps: 5 });
	await page.mouse.up();
	if (alt) await page.keyboard.up('Alt');
}

test('the lead adds, relabels and removes spans in gold directly: select + label key, click + key, Delete, undo, word snapping and Alt', async ({ page }) => {
	const text = 'Le ministre a déclaré le 7 octobre que la réforme serait votée.';
	const slug = await seedDataset({ documents: [{ id: 'd1', title: 'Réforme', text }] });
	await saveAs('ann1', slug, 'd1', [{ ...cp(text, 'ministre'), label: 'attribution' }]);
	await saveAs('ann2', slug, 'd1', [{ ...cp(text, 'ministre'), label: 'attribution' }, { ...cp(text, 'réforme'), label: 'claim' }]);
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/review/d1`);
	await ready(page);
	const goldSpans = page.locator('.row[data-lane="gold"] .span');
	const save = page.locator('.save[data-state]');

	// «7 octobre», missed by both annotators: select part of it in the gold row, the words snap, 4 tags it as a date
	await dragInLane(page, '7 octobre', { from: 0, to: 4 }); // "7 oct"
	await expect(page.getByTestId('selection-card')).toContainText('“7 octobre”');
	await page.keyboard.press('4');
	await expect(goldSpans).toHaveText(['7 octobre']);
	await expect(goldSpans.first()).toHaveAttribute('data-label', 'date');
	await expect(save).toHaveAttribute('data-revision', '1');

	// click it and press 1: relabelled as a claim
	await goldSpans.first().click();
	await page.keyboard.press('1');
	await expect(page.locator('.row[data-lane="gold"] .span[data-label="claim"]')).toHaveText('7 octobre');
	await expect(save).toHaveAttribute('data-revision', '2');

	// Delete removes it; Ctrl+Z brings it back
	await page.locator('.row[data-lane="gold"] .span[data-label="claim"]').click();
	await page.keyboard.press('Delete');
	await expect(goldSpans).toHaveCount(0);
	await page.keyboard.press('Control+z');
	await expect(page.locator('.row[data-lane="gold"] .span[data-label="claim"]')).toHaveText('7 octobre');

	// Alt keeps exact characters: "form" inside "réforme"; selecting in an annotator's row works too
	await dragInLane(page, 'réforme', { lane: 'ann1', from: 2, to: 5, alt: true });
	await expect(page.getByTestId('selection-card')).toContainText('“form”');
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('selection-card')).toHaveCount(0);
	await dragInLane(page, 'déclaré', { lane: 'ann1', from: 1, to: 3 });
	await page.getByTestId('selection-card').getByRole('button', { name: /^framing/ }).click();
	await expect(page.locator('.row[data-lane="gold"] .span[data-label="framing"]')).toHaveText('déclaré');
	await expect(save).toHaveAttribute('data-state', 'saved');

	const lead = await apiAs('lead');
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/d1/annotations/gold`)).json();
	expect(gold.spans.map((s: { label: string; text: string }) => [s.label, s.text])).toEqual([
		['framing', 'déclaré'],
		['claim', '7 octobre']
	]);
	await lead.dispose();
});

test('a boundary disagreement is one decision: the versions aligned with their differing edges highlighted, one key takes one', async ({ page }) => {
	const text = 'Selon le ministre, « la réforme sera votée mardi ».';
	const quoted = '« la réforme sera votée mardi »';
	const bare = 'la réforme sera votée mardi';
	const slug = await seedDataset({ documents: [{ id: 'b1', title: 'Bornes', text }] });
	await saveAs('ann1', slug, 'b1', [{ ...cp(text, quoted), label: 'claim' }]);
	await saveAs('ann2', slug, 'b1', [{ ...cp(text, bare), label: 'claim' }]);
	await loginUI(page, 'lead');
	await gotoHydrated(page, `/datasets/${slug}/review/b1`);
	await ready(page);

	// both list items say they are one decision
	await expect(page.locator('.disagreements li[data-group]')).toHaveCount(2);
	await expect(page.locator('.disagreements li .boundary')).toHaveText(['boundaries differ · 1 of 2', 'boundaries differ · 2 of 2']);
	await page.keyboard.press('n');
	const card = page.getByTestId('boundary-group');
	await expect(card).toContainText('Boundaries differ');
	const rows = card.locator('li');
	await expect(rows).toHaveCount(2);
	// the rows are the same stretch of text; ann1's extra guillemets are its highlighted edges, ann2 has none
	await expect(rows.nth(0).locator('.aligned')).toHaveText(quoted);
	await expect(rows.nth(1).locator('.aligned')).toHaveText(quoted);
	await expect(rows.nth(0).locator('.edge')).toHaveText(['« ', ' »']);
	await expect(rows.nth(1).locator('.edge')).toHaveCount(0);
	await expect(rows.nth(1).locator('.outside')).toHaveText(['« ', ' »']);
	const x = async (row: number) => (await rows.nth(row).locator('.aligned').boundingBox())!.x;
	expect(await x(0)).toBe(await x(1));

	// one key: ann2's boundaries go into gold, ann1's is recorded as rejected; both are decided
	await page.keyboard.press('2');
	await expect(page.getByTestId('review-progress')).toHaveText('· 2 decided, 0 open');
	await expect(page.locator('.save[data-state]')).toHaveAttribute('data-state', 'saved');
	const lead = await apiAs('lead');
	const gold = await (await lead.get(`/api/datasets/${slug}/documents/b1/annotations/gold`)).json();
	expect(gold.spans.map((s: { text: string }) => s.text)).toEqual([bare]);
	expect(gold.rejected.map((s: { text: string }) => s.text)).toEqual([quoted]);
	await lead.dispose();
});
