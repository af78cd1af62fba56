/**
 * Figure 17, the annotation view's side (issue #17): the long article (2,000
 * spans) with 1,000 source-of relations, opened in Chromium: from navigation
 * start to the first paint (the static article, as figure 3), and to the
 * arrows drawn over it and the frame that shows them: every relation with an
 * end in a paragraph the browser has laid out (on or near the screen) drawn
 * (`data-arrows`), the others counted as waiting for theirs (`data-pending`), by either layer: the
 * first paint's own script (`svg.first-arrows`, src/lib/annotate/firstArrows.js) or the page script's
 * (`svg.relation-arrows`). "Painted" is the first contentful paint when the first paint's script drew
 * them all in the first rendering update (its layer's `data-frame` is 1; that paint waited for the
 * script), else the frame after the one they were first seen in. The set is put back as it was afterwards (no
 * relations), so later figures see the same data.
 */
import { chromium } from '@playwright/test';
import { Client } from '../tests/helpers/server';
import { median } from './lib';
import { LONG_DOC, LONG_SLUG } from './load';

export interface ArrowPaint {
	relations: number;
	firstPaintMedian: number | null;
	arrowsDrawnMedian: number | null;
	arrowsPaintedMedian: number | null;
	/** loads whose first contentful paint had the arrows already */
	inFirstPaint: number;
	/** arrows found when a load gave up (15 s), else null */
	incomplete: number | null;
	loads: number;
}

type PlainSpan = { start: number; end: number; label: string; attrs?: Record<string, unknown> };

/** Up to `n` source-of links: every attribution to its nearest claim, then to its second nearest, and so on. */
export function sourceOfLinks(spans: PlainSpan[], n: number): Array<{ from: number; to: number; label: string }> {
	const attributions = spans.flatMap((s, i) => (s.label === 'attribution' ? [i] : []));
	const claims = spans.flatMap((s, i) => (s.label === 'claim' ? [i] : []));
	const byDistance = attributions.map((a) => claims.slice().sort((x, y) => Math.abs(spans[x].start - spans[a].start) - Math.abs(spans[y].start - spans[a].start)));
	const links: Array<{ from: number; to: number; label: string }> = [];
	for (let round = 0; round < claims.length && links.length < n; round++) {
		attributions.forEach((a, k) => {
			if (links.length < n && round < byDistance[k].length) links.push({ from: a, to: byDistance[k][round], label: 'source-of' });
		});
	}
	return links;
}

export async function benchArrowPaint(opts: { url: string; annotator: string; relations: number; loads: number }): Promise<ArrowPaint> {
	const client = await new Client(opts.url).login(opts.annotator);
	const api = `/api/datasets/${LONG_SLUG}/documents/${LONG_DOC}/annotations/me`;
	const read = async () => {
		const res = await client.call('GET', api);
		if (res.status !== 200) throw new Error(`GET annotations: ${res.status}`);
		return res.json as { revision: number; spans: Array<PlainSpan & { id: string }> };
	};
	const before = await read();
	const spans: PlainSpan[] = before.spans.map(({ start, end, label, attrs }) => (attrs ? { start, end, label, attrs } : { start, end, label }));
	const relations = sourceOfLinks(spans, opts.relations);
	if (relations.length < opts.relations) throw new Error(`the long article allows only ${relations.length} source-of links`);
	const put = async (body: object, revision: number) => {
		const res = await client.call('PUT', api, { baseRevision: revision, spans, ...body });
		if (res.status !== 200) throw new Error(`PUT annotations: ${res.status} ${JSON.stringify(res.json)}`);
		return res.json.revision as number;
	};
	const linked = await put({ relations }, before.revision);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const [name, ...value] = client.cookie.split('=');
		await context.addCookies([{ name, value: value.join('='), url: opts.url }]);
		await context.addInitScript(watchArrows(relations.length));
		// BENCH_NO_FIRST_ARROWS=1: without the first paint's own script (the arrows wait for the page script), for a before/after
		if (process.env.BENCH_NO_FIRST_ARROWS === '1') await context.route('**/firstArrows.*', (route) => route.abort());
		const tab = await context.newPage();
		const loads: Array<{ fcp: number | null; drawn: number | null; painted: number | null; found: number; inFirstPaint: boolean }> = [];
		for (let i = -1; i < opts.loads; i++) {
			await tab.goto('about:blank');
			await tab.goto(`${opts.url}/datasets/${LONG_SLUG}/documents/${LONG_DOC}`, { waitUntil: 'domcontentloaded' });
			// and the first contentful paint's entry, which can come after the arrows now
			await tab
				.waitForFunction(() => window.__arrowBench?.painted != null && performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 15_000 })
				.catch(() => {});
			const m = await tab.evaluate(() => ({
				fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
				drawn: window.__arrowBench!.drawn,
				painted: window.__arrowBench!.painted,
				found: window.__arrowBench!.found,
				inFirstPaint: window.__arrowBench!.inFirstPaint
			}));
			// drawn in the first rendering update: painted with the first contentful paint
			if (m.inFirstPaint && m.fcp !== null) m.painted = m.fcp;
			if (i >= 0 || m.drawn === null) loads.push(m); // the first load fills the HTTP cache
			if (m.drawn === null) break;
		}
		const all = <K extends 'fcp' | 'drawn' | 'painted'>(key: K) => (loads.every((l) => l[key] !== null) ? median(loads.map((l) => l[key] as number)) : null);
		return {
			relations: relations.length,
			firstPaintMedian: all('fcp'),
			arrowsDrawnMedian: all('drawn'),
			arrowsPaintedMedian: all('painted'),
			incomplete: loads.find((l) => l.drawn === null)?.found ?? null,
			inFirstPaint: loads.filter((l) => l.inFirstPaint && l.fcp !== null).length,
			loads: loads.length
		};
	} finally {
		await browser.close();
		const now = await read();
		await put({ relations: [] }, Math.max(now.revision, linked));
	}
}

declare global {
	interface Window {
		__arrowBench?: { want: number; found: number; drawn: number | null; painted: number | null; inFirstPaint: boolean };
	}
}

function watchArrows(want: number): string {
	return `(() => {
		const state = { want: ${want}, found: 0, drawn: null, painted: null, inFirstPaint: false };
		window.__arrowBench = state;
		const check = () => {
			if (state.drawn !== null) return;
			// drawn, plus those waiting for their paragraphs to be laid out (both ends far off screen), by the page
			// script (svg.relation-arrows) or, before it is up, by the first paint's own script (svg.first-arrows)
			const count = (svg) => (svg ? Number(svg.getAttribute('data-arrows')) + Number(svg.getAttribute('data-pending')) : 0);
			const first = document.querySelector('svg.first-arrows');
			state.found = Math.max(count(document.querySelector('svg.relation-arrows')), count(first));
			if (state.found >= state.want) {
				// drawn in the first rendering update (the first paint: it waited for that script), by its own count
				state.inFirstPaint = count(first) >= state.want && first.getAttribute('data-frame') === '1';
				state.drawn = performance.now();
				requestAnimationFrame(() => setTimeout(() => (state.painted = performance.now()), 0));
				return;
			}
			requestAnimationFrame(check);
		};
		requestAnimationFrame(check);
	})();`;
}
