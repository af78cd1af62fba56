/**
 * Relations in the annotation view (#17 item 2), as an annotator uses them on the
 * shipped sample article: tag a quote as claim and «a déclaré le groupe» as its
 * attribution, link them from the keyboard, give the date its value; reload and
 * all is there, arrow included; the arrow follows the claim when its end moves,
 * a relabel the relation type does not allow takes it away (and says why), and
 * deleting the attribution takes the relation with it until undo. Real Chromium,
 * the production build, a user and a dataset of this test only.
 */
import fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { PASSWORD, apiAs, seedDataset, uniqueSlug } from '../helpers/api';
import { charBox } from '../helpers/article';

const TEXT = fs.readFileSync('datasets/samples/fr-glilot-2024-05-04.txt', 'utf8');
const DATE = 'samedi 4 mai 2024';
const QUOTE_START = TEXT.indexOf('Les frappes ont été menées');
const QUOTE = TEXT.slice(QUOTE_START, TEXT.indexOf('âgées»') + 'âgées'.length);
// the claim is tagged one word short first; `]` then grows it by «âgées»
const SHORT_QUOTE = QUOTE.slice(0, -' âgées'.length);
const ATTRIBUTION = 'a déclaré le groupe';
const cp = (utf16: number) => Array.from(TEXT.slice(0, utf16)).length;

const article = (page: Page) => page.locator('.article[data-ready="true"] .ProseMirror');
const saveIndicator = (page: Page) => page.locator('.save[data-state]');
const arrows = (page: Page) => page.locator('svg.relation-arrows g.arrow');
const notice = (page: Page) => page.getByTestId('relation-notice');

async function waitSaved(page: Page): Promise<number> {
	await expect(saveIndicator(page)).toHaveAttribute('data-state', 'saved');
	return Number(await saveIndicator(page).getAttribute('data-revision'));
}

async function dragOver(page: Page, needle: string): Promise<void> {
	await centre(page, needle, 0);
	const a = await charBox(page, needle, 0);
	const b = await charBox(page, needle, needle.length - 1);
	await page.mouse.move(a.left + 1, a.y);
	await page.mouse.down();
	await page.mouse.move((a.left + b.right) / 2, (a.y + b.y) / 2, { steps: 4 });
	await page.mouse.move(b.right - 1, b.y, { steps: 4 });
	await page.mouse.up();
}

/** Brings a character of the article to the middle of the window (not under the sticky label bar). */
async function centre(page: Page, needle: string, at: number): Promise<void> {
	const box = await charBox(page, needle, at);
	await page.evaluate((y) => window.scrollBy({ top: y - window.innerHeight / 2, behavior: 'instant' }), box.y);
}

async function selectSpan(page: Page, needle: string, at = 3): Promise<void> {
	await centre(page, needle, at);
	const inside = await charBox(page, needle, at);
	await page.mouse.click(inside.x, inside.y);
	await expect(page.locator('.ProseMirror .span.selected')).toHaveCount(1);
}

/** The arrow's end (path data) and where it should be: the top middle of the target span's first line box, 2 px above. */
async function arrowEnd(page: Page, targetId: string) {
	return page.evaluate((id) => {
		const host = document.querySelector('.article')!.getBoundingClientRect();
		const d = document.querySelector('svg.relation-arrows g.arrow path.line')!.getAttribute('d')!;
		const [x, y] = d.trim().split(/[ ,C]+/).slice(-2).map(Number);
		const rect = document.querySelector(`.ProseMirror [data-span-id="${id}"]`)!.getClientRects()[0];
		return { drawn: { x, y }, expected: { x: rect.left - host.left + rect.width / 2, y: rect.top - host.top - 2 } };
	}, targetId);
}

async function savedSet(slug: string, username: string) {
	const api = await apiAs(username);
	const set = await (await api.get(`/api/datasets/${slug}/documents/glilot/annotations/me`)).json();
	await api.dispose();
	return set as {
		spans: Array<{ id: string; start: number; end: number; label: string; text: string; attrs?: Record<string, unknown> }>;
		relations: Array<{ id: string; from: string; to: string; label: string }>;
	};
}

test('annotator links a quote to its attribution from the keyboard; arrow, value and relation survive reload, follow an edge move, and come back with undo', async ({ page }) => {
	const username = uniqueSlug('rel');
	const lead = await apiAs('lead');
	const created = await lead.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } });
	expect(created.status(), await created.text()).toBe(201);
	await lead.dispose();
	const slug = await seedDataset({ documents: [{ id: 'glilot', title: 'Glilot', text: TEXT, meta: { lang: 'fr' } }], annotators: [username] });
	expect((await page.request.post('/api/login', { data: { username, password: PASSWORD } })).status()).toBe(200);
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`/datasets/${slug}/documents/glilot`);
	await expect(article(page)).toBeVisible();

	// claim (one word short), attribution, date
	await dragOver(page, SHORT_QUOTE);
	await page.keyboard.press('1');
	await expect(page.locator('.ProseMirror .span[data-label="claim"]').first()).toBeVisible();
	await dragOver(page, ATTRIBUTION);
	await page.keyboard.press('2');
	await dragOver(page, DATE);
	await page.keyboard.press('4');
	await waitSaved(page);

	// the date's value: Enter, type, read back in words, Esc back to the text
	await selectSpan(page, DATE);
	await page.keyboard.press('Enter');
	const value = page.locator('[data-attributes-panel] [data-attribute="value"] input');
	await expect(value).toBeFocused();
	await page.keyboard.type('2024-05-04');
	await expect(page.locator('[data-attributes-panel] .reading')).toHaveText('Saturday 4 May 2024');
	await page.keyboard.press('Escape');

	// a date cannot take part in source-of: the view says so, nothing starts
	await page.keyboard.press('s');
	await expect(notice(page)).toContainText('cannot start or end on a date span');

	// the link, from the keyboard: R then S starts it, Esc cancels; S starts it again, Tab cycles, Enter links
	await selectSpan(page, ATTRIBUTION);
	await page.keyboard.press('r');
	await expect(notice(page)).toContainText('S source-of');
	await page.keyboard.press('s');
	await expect(notice(page)).toContainText('source-of to «Les frappes');
	await expect(page.locator('svg.relation-arrows .ring.candidate').first()).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.locator('svg.relation-arrows .ring')).toHaveCount(0);
	await expect(arrows(page)).toHaveCount(0);
	await page.keyboard.press('s');
	await page.keyboard.press('Tab'); // one candidate: Tab stays on it
	await expect(notice(page)).toContainText('(1 of 1)');
	await page.keyboard.press('Enter');
	await expect(notice(page)).toContainText('Linked «a déclaré le groupe» —source-of→ «Les frappes');
	await expect(arrows(page)).toHaveCount(1);
	await waitSaved(page);

	let set = await savedSet(slug, username);
	const claim = set.spans.find((s) => s.label === 'claim')!;
	const attribution = set.spans.find((s) => s.label === 'attribution')!;
	expect(claim).toMatchObject({ start: cp(QUOTE_START), text: SHORT_QUOTE });
	expect(attribution.text).toBe(ATTRIBUTION);
	expect(set.spans.find((s) => s.label === 'date')!.attrs).toEqual({ value: '2024-05-04' });
	expect(set.relations).toEqual([{ id: expect.stringMatching(/^r[0-9a-f]{16}$/), from: attribution.id, to: claim.id, label: 'source-of' }]);

	// reload: spans, arrow, the relation under both spans in the side panel, the value
	await page.reload();
	await expect(article(page)).toBeVisible();
	await expect(arrows(page)).toHaveCount(1);
	await expect(page.locator(`.span-list li[data-span-id="${attribution.id}"] .relation-list`)).toContainText('source-of to «Les frappes');
	await expect(page.locator(`.span-list li[data-span-id="${claim.id}"] .relation-list`)).toContainText('source-of from «a déclaré le groupe»');
	let end = await arrowEnd(page, claim.id);
	expect(Math.abs(end.drawn.x - end.expected.x)).toBeLessThan(1.5);
	expect(Math.abs(end.drawn.y - end.expected.y)).toBeLessThan(1.5);
	await selectSpan(page, DATE);
	await expect(page.locator('[data-attributes-panel] .reading')).toHaveText('Saturday 4 May 2024');
	// and, compact, next to the span in the article
	await expect(page.getByTestId('attribute-popover')).toContainText('value 2024-05-04 · Saturday 4 May 2024');

	// hovering the relation in the side panel rings both its ends in the article
	await page.locator(`.span-list li[data-span-id="${attribution.id}"] .relation-list li`).hover();
	await expect(page.locator('svg.relation-arrows .ring.end').first()).toBeVisible();
	await page.mouse.move(0, 0);
	await expect(page.locator('svg.relation-arrows .ring')).toHaveCount(0);
	// and so does hovering the arrow itself (at the middle of its curve, where its name is written)
	const mid = await page.evaluate(() => {
		const host = document.querySelector('.article')!.getBoundingClientRect();
		const label = document.querySelector('svg.relation-arrows g.arrow text')!;
		return { x: host.left + Number(label.getAttribute('x')), y: host.top + Number(label.getAttribute('y')) + 2 };
	});
	await page.mouse.move(mid.x, mid.y);
	await expect(page.locator('svg.relation-arrows g.arrow.hot')).toHaveCount(1);
	await expect(page.locator('svg.relation-arrows .ring.end').first()).toBeVisible();
	await page.mouse.move(0, 0);

	// the claim's end takes in «âgées»: a new span id, the relation re-pointed, the arrow on the new span
	await selectSpan(page, SHORT_QUOTE);
	await page.keyboard.press(']');
	await expect(page.locator('.ProseMirror .span.selected')).toHaveCount(1);
	await waitSaved(page);
	set = await savedSet(slug, username);
	const grown = set.spans.find((s) => s.label === 'claim')!;
	expect(grown.text).toBe(QUOTE);
	expect(grown.id).not.toBe(claim.id);
	expect(set.relations).toEqual([expect.objectContaining({ from: attribution.id, to: grown.id, label: 'source-of' })]);
	await expect(arrows(page)).toHaveCount(1);
	end = await arrowEnd(page, grown.id);
	expect(Math.abs(end.drawn.x - end.expected.x)).toBeLessThan(1.5);

	// relabelled as framing, which source-of does not allow: the relation goes, and the view says why; undo brings it back
	await page.keyboard.press('3');
	await expect(notice(page)).toContainText('source-of (attribution → claim) cannot link attribution → framing');
	await expect(arrows(page)).toHaveCount(0);
	await page.keyboard.press('Control+z');
	await expect(arrows(page)).toHaveCount(1);

	// deleting the attribution deletes its relation; undo brings both back
	await selectSpan(page, ATTRIBUTION);
	await page.keyboard.press('Delete');
	await expect(page.locator('.ProseMirror .span[data-label="attribution"]')).toHaveCount(0);
	await expect(arrows(page)).toHaveCount(0);
	await expect(notice(page)).toContainText('because its span was removed');
	await waitSaved(page);
	expect((await savedSet(slug, username)).relations).toEqual([]);
	await page.keyboard.press('Control+z');
	await expect(page.locator('.ProseMirror .span[data-label="attribution"]')).toHaveCount(1);
	await expect(arrows(page)).toHaveCount(1);
	await waitSaved(page);
	set = await savedSet(slug, username);
	expect(set.relations).toEqual([expect.objectContaining({ from: attribution.id, to: grown.id, label: 'source-of' })]);
});

test('the arrow is drawn over the static first paint, before the editor has loaded', async ({ page }) => {
	const username = uniqueSlug('relstatic');
	const lead = await apiAs('lead');
	expect((await lead.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } })).status()).toBe(201);
	await lead.dispose();
	const slug = await seedDataset({ documents: [{ id: 'glilot', title: 'Glilot', text: TEXT }], annotators: [username] });
	const api = await apiAs(username);
	const at = (needle: string) => ({ start: cp(TEXT.indexOf(needle)), end: cp(TEXT.indexOf(needle)) + Array.from(needle).length });
	const put = await api.put(`/api/datasets/${slug}/documents/glilot/annotations/me`, {
		data: { baseRevision: 0, spans: [{ ...at(QUOTE), label: 'claim' }, { ...at(ATTRIBUTION), label: 'attribution' }], relations: [{ from: 1, to: 0, label: 'source-of' }] }
	});
	expect(put.status(), await put.text()).toBe(200);
	await api.dispose();
	expect((await page.request.post('/api/login', { data: { username, password: PASSWORD } })).status()).toBe(200);
	// the editor's script never arrives: what shows is the page as the server rendered it, hydrated
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		const response = await route.fetch();
		const body = await response.text();
		if (body.includes('ProseMirror-hideselection')) return route.abort('failed');
		await route.fulfill({ response, body });
	});
	await page.goto(`/datasets/${slug}/documents/glilot`);
	await expect(page.locator('.article[data-ready="false"] .article-text.static')).toBeVisible();
	await expect(page.locator('svg.relation-arrows g.arrow')).toHaveCount(1);
	await expect(page.locator('svg.relation-arrows g.arrow text')).toHaveText('source-of');
	// chunks still on their way when the test ends must not fail it
	await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('a link made while another tab saved is not lost: the conflict names it, and re-applying my version brings it back', async ({ page }) => {
	const username = uniqueSlug('relconflict');
	const lead = await apiAs('lead');
	expect((await lead.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } })).status()).toBe(201);
	await lead.dispose();
	const text = 'Il pleut sur Lyon, a dit Marie hier.';
	const slug = await seedDataset({ documents: [{ id: 'glilot', title: 'Pluie', text }], annotators: [username] });
	const spanOf = (needle: string, label: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length, label }); // ASCII-only text
	const spans = [spanOf('Il pleut sur Lyon', 'claim'), spanOf('a dit Marie', 'attribution')];
	const api = await apiAs(username);
	const url = `/api/datasets/${slug}/documents/glilot/annotations/me`;
	expect((await api.put(url, { data: { baseRevision: 0, spans } })).status()).toBe(200);
	expect((await page.request.post('/api/login', { data: { username, password: PASSWORD } })).status()).toBe(200);
	await page.goto(`/datasets/${slug}/documents/glilot`);
	await expect(article(page)).toBeVisible();

	// another tab saves first (a date added)
	expect((await api.put(url, { data: { baseRevision: 1, spans: [...spans, spanOf('hier', 'date')] } })).status()).toBe(200);
	await selectSpan(page, 'a dit Marie');
	await page.keyboard.press('s');
	await page.keyboard.press('Enter');
	const banner = page.getByTestId('conflict-banner');
	await expect(banner).toBeVisible();
	await expect(page.getByTestId('conflict-lost-relations')).toContainText('1 of your relations is not in the latest version (source-of)');
	await expect(arrows(page)).toHaveCount(0); // the latest version has none
	await banner.getByRole('button', { name: 'Re-apply my version' }).click();
	await expect(arrows(page)).toHaveCount(1);
	await expect(saveIndicator(page)).toHaveAttribute('data-state', 'saved');
	await expect(saveIndicator(page)).toHaveAttribute('data-revision', '3');
	const saved = await (await api.get(url)).json();
	await api.dispose();
	const [claim, attribution] = saved.spans as Array<{ id: string }>;
	expect(saved.relations).toEqual([{ id: expect.any(String), from: attribution.id, to: claim.id, label: 'source-of' }]);
});
