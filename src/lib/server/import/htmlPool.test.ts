import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { extractHtmlInWorker } from './htmlPool';
import { MAX_HTML_DEPTH, extractHtmlArticle, htmlDepth } from './html';

const fixture = readFileSync(new URL('./fixtures/news-article.html', import.meta.url), 'utf8');
const nested = (depth: number) => `<html><body>${'<div>'.repeat(depth)}<p>Deep text.</p>${'</div>'.repeat(depth)}</body></html>`;

describe('htmlDepth', () => {
	it('counts nested elements, not void ones, raw text, comments or optional end tags', () => {
		expect(htmlDepth('<div><span>a</span><div><b>x</b></div></div>')).toBe(3);
		expect(htmlDepth('<div><br><img src=x><hr/><input></div>')).toBe(1);
		expect(htmlDepth('<ul><li>a<li>b<li>c</ul><p>one<p>two<p>three')).toBe(1);
		expect(htmlDepth('<script>"<div><div><div>"</script><style>/* <div> */</style><!-- <div><div> --><div></div>')).toBe(1);
		expect(htmlDepth('<DIV><Div></div></DIV><section/>')).toBe(2);
		// an end tag closes back to its element: unclosed inline elements inside do not pile up
		expect(htmlDepth('<div><span><b></div>'.repeat(500))).toBe(3);
		expect(htmlDepth(fixture)).toBeLessThan(20);
	});

	it('stops past the limit, in time linear in the page (100,000 nested divs)', () => {
		const t0 = performance.now();
		expect(htmlDepth(nested(100_000))).toBe(MAX_HTML_DEPTH + 1);
		expect(htmlDepth(nested(MAX_HTML_DEPTH))).toBe(MAX_HTML_DEPTH);
		expect(htmlDepth(nested(MAX_HTML_DEPTH + 1))).toBe(MAX_HTML_DEPTH + 1);
		expect(performance.now() - t0).toBeLessThan(500);
	});
});

describe('extractHtmlInWorker', () => {
	it('extracts the same article as on the main thread', async () => {
		const result = await extractHtmlInWorker(fixture, 'news-article.html');
		expect(result).toEqual({ article: extractHtmlArticle(fixture, 'news-article.html') });
	});

	it('refuses a page nested too deep before parsing it, and carries on', async () => {
		const t0 = performance.now();
		const [deep, deeper, ok] = await Promise.all([
			extractHtmlInWorker(nested(1000), 'deep.html'),
			extractHtmlInWorker(nested(100_000), 'deeper.html'),
			extractHtmlInWorker(nested(20), 'ok.html')
		]);
		expect(deep).toEqual({ problem: `the HTML nests elements more than ${MAX_HTML_DEPTH} deep: refused without parsing it` });
		expect(deeper).toEqual(deep);
		expect(ok).toMatchObject({ article: { text: expect.stringContaining('Deep text.') } });
		expect(performance.now() - t0).toBeLessThan(10_000);
	});

	it('kills a worker past its time budget, refuses that page, and parses the next in a new worker', async () => {
		// 120 nested divs (under the depth limit) take a few hundred ms to parse: far past a 20 ms budget
		const slow = extractHtmlInWorker(nested(120), 'slow.html', { timeoutMs: 20 });
		const next = extractHtmlInWorker(fixture, 'next.html');
		expect(await slow).toEqual({ problem: 'the HTML took longer than 20 ms to parse: refused' });
		expect(await next).toMatchObject({ article: { title: expect.any(String) } });
	});
});
