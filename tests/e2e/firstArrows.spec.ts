/**
 * Relation arrows in the first paint (#17, figure 17): the server writes the
 * relations beside the static article and a same-origin module script draws
 * them as soon as the HTML is parsed, without the page script. Here the page
 * script never arrives: the arrow is there anyway, where the span is, and the
 * CSP (no inline scripts) has nothing to refuse. Then, with the page script,
 * its own layer replaces that one, drawn the same. Real Chromium, the
 * production build, a user and a dataset of this test only.
 */
import fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { PASSWORD, apiAs, seedDataset, uniqueSlug } from '../helpers/api';

const TEXT = fs.readFileSync('datasets/samples/fr-glilot-2024-05-04.txt', 'utf8');
const QUOTE = TEXT.slice(TEXT.indexOf('Les frappes ont été menées'), TEXT.indexOf('âgées»') + 'âgées'.length);
const ATTRIBUTION = 'a déclaré le groupe';
const cp = (utf16: number) => Array.from(TEXT.slice(0, utf16)).length;
const at = (needle: string) => ({ start: cp(TEXT.indexOf(needle)), end: cp(TEXT.indexOf(needle)) + Array.from(needle).length });

/** The arrow's two ends in `layer` (its path data from the layer's place), and where they should be: the top middle of each span's first line box, 2 px above. */
async function arrowEnds(page: Page, layer: string, fromId: string, toId: string) {
	return page.evaluate(
		({ layer, fromId, toId }) => {
			// in the window's coordinates: the layer's own place plus the path's
			const path = document.querySelector(`${layer} path[marker-end]`)!;
			const origin = path.closest('svg')!.getBoundingClientRect();
			const d = path.getAttribute('d')!;
			const numbers = d.trim().split(/[ ,MC]+/).filter(Boolean).map(Number);
			const point = (x: number, y: number) => ({ x: Math.round(origin.left + x), y: Math.round(origin.top + y) });
			const top = (id: string) => {
				const rect = document.querySelector(`.article [data-span-id="${id}"]`)!.getClientRects()[0];
				return { x: Math.round(rect.left + rect.width / 2), y: Math.round(rect.top - 2) };
			};
			return {
				d,
				drawn: { from: point(numbers[0], numbers[1]), to: point(numbers[6], numbers[7]) },
				expected: { from: top(fromId), to: top(toId) }
			};
		},
		{ layer, fromId, toId }
	);
}

test('the arrows are in the first paint without the page script, and the page script takes them over unchanged', async ({ page }) => {
	const username = uniqueSlug('firstarrows');
	const lead = await apiAs('lead');
	expect((await lead.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } })).status()).toBe(201);
	await lead.dispose();
	const slug = await seedDataset({ documents: [{ id: 'glilot', title: 'Glilot', text: TEXT }], annotators: [username] });
	const api = await apiAs(username);
	const put = await api.put(`/api/datasets/${slug}/documents/glilot/annotations/me`, {
		data: { baseRevision: 0, spans: [{ ...at(QUOTE), label: 'claim' }, { ...at(ATTRIBUTION), label: 'attribution' }], relations: [{ from: 1, to: 0, label: 'source-of' }] }
	});
	expect(put.status(), await put.text()).toBe(200);
	const set = (await (await api.get(`/api/datasets/${slug}/documents/glilot/annotations/me`)).json()) as { relations: Array<{ from: string; to: string }> };
	await api.dispose();
	const { from, to } = set.relations[0];
	expect((await page.request.post('/api/login', { data: { username, password: PASSWORD } })).status()).toBe(200);
	await page.setViewportSize({ width: 1280, height: 900 });
	const refused: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy|hydrat/i.test(m.text())) refused.push(m.text());
	});

	// the page script never arrives (its entry, chunks and route nodes): only the HTML and the first paint's script
	await page.route(/\/_app\/immutable\/(entry|chunks|nodes)\//, (route) => route.abort('failed'));
	await page.goto(`/datasets/${slug}/documents/glilot`);
	await expect(page.locator('.article[data-ready="false"] .article-text.static')).toBeVisible();
	// a same-origin file, no inline code; the first paint waits for it
	await expect(page.locator('head script[data-first-arrows-script][type="module"][blocking="render"]')).toHaveAttribute('src', /\/_app\/immutable\/assets\/firstArrows\.[\w-]+\.js$/);
	const first = page.locator('svg.first-arrows');
	await expect(first).toHaveAttribute('data-arrows', '1');
	await expect(first.locator('path[marker-end]')).toHaveCount(1);
	await expect(first.locator('text')).toHaveText('source-of');
	await expect(page.locator('svg.relation-arrows')).toHaveCount(0);
	const early = await arrowEnds(page, 'svg.first-arrows', from, to);
	expect(early.drawn).toEqual(early.expected);
	// the arrow leaves the attribution (after the quote in the text) and lands on the claim
	expect(early.drawn.from.y).toBeGreaterThan(early.drawn.to.y);
	await page.unrouteAll({ behavior: 'ignoreErrors' });

	// with the page script: its layer, the same arrow, and the first one gone
	await page.goto(`/datasets/${slug}/documents/glilot`);
	await expect(page.locator('.article[data-ready="true"] .ProseMirror')).toBeVisible();
	await expect(page.locator('svg.relation-arrows g.arrow')).toHaveCount(1);
	await expect(page.locator('svg.first-arrows')).toHaveCount(0);
	const taken = await arrowEnds(page, 'svg.relation-arrows g.arrow', from, to);
	expect(taken.d).toBe(early.d);
	expect(refused).toEqual([]);
});
