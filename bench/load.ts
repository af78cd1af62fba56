/**
 * Figures 2 and 3: opening a long article (50,000 characters, 2,000 spans).
 *  - server: GET document + GET annotations (API), and the SSR page response
 *  - browser: Chromium, from navigation start until every span
 *    (`.span[data-span-id]`, one per span id; overlaps split a span into
 *    several elements) is in the DOM, and until the next frame is painted:
 *    the server renders the article with its spans, so this is what the reader
 *    sees first; and until the editor has replaced that static article with
 *    every span drawn (`.article[data-ready=true] .ProseMirror`): from then on
 *    the view is the editor.
 */
import { chromium } from '@playwright/test';
import { Client } from '../tests/helpers/server';
import { median, timeIt } from './lib';

export const LONG_SLUG = 'long';
export const LONG_DOC = 'long-000001';

export interface ServerLoad {
	apiMedian: number;
	documentMedian: number;
	annotationsMedian: number;
	pageMedian: number;
	pageFirstByteMedian: number;
	pageBytes: number;
}

export async function benchServerLoad(opts: { url: string; annotator: string; iterations: number; spans: number }): Promise<ServerLoad> {
	const client = await new Client(opts.url).login(opts.annotator);
	const base = `/api/datasets/${LONG_SLUG}/documents/${LONG_DOC}`;
	const api: number[] = [];
	const document: number[] = [];
	const annotations: number[] = [];
	const page: number[] = [];
	const firstByte: number[] = [];
	let pageBytes = 0;
	for (let i = -3; i < opts.iterations; i++) {
		const d = await timeIt(() => client.call('GET', base));
		const a = await timeIt(() => client.call('GET', `${base}/annotations/me`));
		if (d.result.status !== 200 || a.result.status !== 200) throw new Error(`GET document/annotations: ${d.result.status}/${a.result.status}`);
		if (a.result.json.spans.length !== opts.spans) throw new Error(`expected ${opts.spans} spans, got ${a.result.json.spans.length}`);
		const p = await timePage(`${opts.url}/datasets/${LONG_SLUG}/documents/${LONG_DOC}`, client.cookie);
		if (i < 0) continue; // warm-up
		document.push(d.ms);
		annotations.push(a.ms);
		api.push(d.ms + a.ms);
		page.push(p.total);
		firstByte.push(p.firstByte);
		pageBytes = p.bytes;
	}
	return {
		apiMedian: median(api),
		documentMedian: median(document),
		annotationsMedian: median(annotations),
		pageMedian: median(page),
		pageFirstByteMedian: median(firstByte),
		pageBytes
	};
}

async function timePage(url: string, cookie: string): Promise<{ firstByte: number; total: number; bytes: number }> {
	const t0 = performance.now();
	const res = await fetch(url, { headers: { cookie } });
	const firstByte = performance.now() - t0;
	const body = await res.arrayBuffer();
	const total = performance.now() - t0;
	if (res.status !== 200) throw new Error(`page ${url}: ${res.status}`);
	return { firstByte, total, bytes: body.byteLength };
}

interface LoadTiming {
	spansInDom: number | null;
	painted: number | null;
	editor: number | null;
	found: number;
	responseEnd: number;
	domContentLoaded: number;
	firstContentfulPaint: number | null;
	largestContentfulPaint: number | null;
}

export interface BrowserLoad {
	/** median ms from navigation start to all span decorations in the DOM; null if they never all appeared */
	spansInDomMedian: number | null;
	paintedMedian: number | null;
	responseEndMedian: number;
	domContentLoadedMedian: number;
	/**
	 * median ms from navigation start to the first paint of the page (the
	 * server-rendered article, with the spans on screen), navigating in an open
	 * tab: how a reader gets to an article (a link, J/K, the address bar)
	 */
	firstPaintMedian: number | null;
	/** the same, each load in a tab opened for it (Chromium's own tab set-up runs alongside) */
	newTabFirstPaintMedian: number | null;
	/** median ms to the largest contentful paint (an article paragraph with its spans) */
	largestPaintMedian: number | null;
	/** the login page, which has almost nothing on it, in an open tab: the floor on this machine */
	baselineFirstPaintMedian: number | null;
	/** the same in a new tab */
	baselineNewTabFirstPaintMedian: number | null;
	/** median ms from navigation start to the editor shown with every span (ready to tag) */
	editorMedian: number | null;
	loads: LoadTiming[];
	newTabLoads: LoadTiming[];
}

declare global {
	interface Window {
		__spanBench?: { want: number; found: number; editor: number | null; inDom: number | null; painted: number | null };
	}
}

const medianOrNull = (values: Array<number | null>) => (values.length && values.every((v) => v !== null) ? median(values as number[]) : null);

/**
 * Two ways of opening the article, `loads` times each after one unmeasured
 * load that fills the HTTP cache:
 *  - in an open tab: the tab goes to about:blank, then to the article, so each
 *    load is a whole navigation (new document, new renderer) with nothing kept
 *    but the HTTP cache; this is the figure with the target;
 *  - in a tab opened for the load. Headless Chromium then also sets up the
 *    tab's browser UI (on this machine ~70 ms for a bare HTML page), on the
 *    same two cores; reported for comparison.
 * Loads alternate between the two, so machine drift hits both alike.
 */
export async function benchBrowserLoad(opts: {
	url: string;
	cookie: string;
	spans: number;
	loads: number;
	timeoutMs?: number;
}): Promise<BrowserLoad> {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const [name, ...value] = opts.cookie.split('=');
		await context.addCookies([{ name, value: value.join('='), url: opts.url }]);
		await context.addInitScript(watchSpans(opts.spans));
		const target = `${opts.url}/datasets/${LONG_SLUG}/documents/${LONG_DOC}`;
		const loads: LoadTiming[] = [];
		const newTabLoads: LoadTiming[] = [];
		const tab = await context.newPage();
		const open = async (page: import('@playwright/test').Page): Promise<LoadTiming> => {
			await page.goto(target, { waitUntil: 'domcontentloaded' });
			await page
				.waitForFunction(() => window.__spanBench?.painted != null && window.__spanBench?.editor != null, null, { timeout: opts.timeoutMs ?? 15_000 })
				.catch(() => {});
			return page.evaluate(async () => {
				// the largest text painted: with the article server-rendered, one of its paragraphs, spans included
				const largest = await new Promise<number | null>((resolve) => {
					new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? null)).observe({ type: 'largest-contentful-paint', buffered: true });
					setTimeout(() => resolve(null), 1000);
				});
				const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
				const b = window.__spanBench!;
				return {
					spansInDom: b.inDom,
					painted: b.painted,
					editor: b.editor,
					found: b.found,
					responseEnd: nav.responseEnd,
					domContentLoaded: nav.domContentLoadedEventEnd,
					firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
					largestContentfulPaint: largest
				};
			});
		};
		for (let i = -1; i < opts.loads; i++) {
			await tab.goto('about:blank');
			const m = await open(tab);
			if (i >= 0) loads.push(m); // the first load fills the HTTP cache: not measured
			if (m.spansInDom === null) {
				// the page does not show them (yet): one failed load says enough
				if (i < 0) loads.push(m);
				break;
			}
			if (i < 0) continue;
			const page = await context.newPage();
			try {
				newTabLoads.push(await open(page));
			} finally {
				await page.close();
			}
		}
		const baseline: Array<number | null> = [];
		const baselineNewTab: Array<number | null> = [];
		const empty = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const loginTab = await empty.newPage();
		const loginPaint = async (page: import('@playwright/test').Page) => {
			await page.goto(`${opts.url}/login`, { waitUntil: 'load' });
			return page
				.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime, null, { timeout: 5000 })
				.then((h) => h.jsonValue() as Promise<number>)
				.catch(() => null);
		};
		for (let i = -1; i < opts.loads; i++) {
			await loginTab.goto('about:blank');
			const fcp = await loginPaint(loginTab);
			if (i < 0) continue;
			baseline.push(fcp);
			const page = await empty.newPage();
			baselineNewTab.push(await loginPaint(page));
			await page.close();
		}
		await empty.close();
		const complete = loads.filter((l) => l.spansInDom !== null);
		return {
			spansInDomMedian: complete.length === loads.length ? median(complete.map((l) => l.spansInDom!)) : null,
			paintedMedian: complete.length === loads.length ? median(complete.map((l) => l.painted!)) : null,
			responseEndMedian: median(loads.map((l) => l.responseEnd)),
			domContentLoadedMedian: median(loads.map((l) => l.domContentLoaded)),
			baselineFirstPaintMedian: medianOrNull(baseline),
			baselineNewTabFirstPaintMedian: medianOrNull(baselineNewTab),
			largestPaintMedian: medianOrNull(loads.map((l) => l.largestContentfulPaint)),
			firstPaintMedian: medianOrNull(loads.map((l) => l.firstContentfulPaint)),
			newTabFirstPaintMedian: medianOrNull(newTabLoads.map((l) => l.firstContentfulPaint)),
			editorMedian: medianOrNull(loads.map((l) => l.editor)),
			loads,
			newTabLoads
		};
	} finally {
		await browser.close();
	}
}

/**
 * Runs in the page before its own scripts. performance.now() counts from the
 * navigation start, so the recorded times are "navigation start → …". A string,
 * not a function: tsx would wrap a function's inner functions in helpers that
 * do not exist in the page.
 */
function watchSpans(want: number): string {
	return `(() => {
		const state = { want: ${want}, found: 0, editor: null, inDom: null, painted: null };
		window.__spanBench = state;
		const allIn = (root) => {
			const elements = root.querySelectorAll('.span[data-span-id]');
			if (elements.length < state.want) return elements.length;
			const ids = new Set();
			for (const el of elements) ids.add(el.getAttribute('data-span-id'));
			return ids.size;
		};
		const check = () => {
			if (state.inDom === null) {
				state.found = allIn(document);
				if (state.found >= state.want) {
					state.inDom = performance.now();
					// the frame that shows them: after the next animation frame has been produced
					requestAnimationFrame(() => setTimeout(() => (state.painted = performance.now()), 0));
				}
			}
			if (state.editor === null) {
				const ready = document.querySelector('.article[data-ready="true"] .ProseMirror');
				if (ready && allIn(ready) >= state.want) state.editor = performance.now();
			}
			if (state.inDom !== null && state.editor !== null) observer.disconnect();
		};
		const observer = new MutationObserver(check);
		observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-span-id', 'data-ready'] });
	})();`;
}
