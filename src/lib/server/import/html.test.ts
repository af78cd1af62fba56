import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractHtmlArticle } from './html';
import { bytes, enc, runImport, shown } from './test-helpers';

const FIXTURE = readFileSync(new URL('./fixtures/news-article.html', import.meta.url), 'utf8');

const PARAGRAPHS = [
	'Flood barriers hold as River Wend peaks overnight',
	'Temporary flood barriers along the River Wend held overnight as the water reached its highest level in more than a decade, the Environment Agency said on Thursday morning.',
	'The river peaked at 4.61 metres at the Quay Street gauge shortly after 2am, just 19 centimetres below the top of the barriers installed on Monday. About 300 homes in the Lower Town had been told to prepare to leave.',
	'“The barriers did exactly what they were designed to do,” said Tom Hallam, the agency’s area manager. “But the ground is saturated, and more rain is forecast for the weekend, so we are not out of the woods yet.”',
	'Council leader Maria Okafor said emergency shelters at the leisure centre and St Anne’s church hall would stay open until at least Saturday. Only 41 people used them on Wednesday night, she said, far fewer than the 500 places prepared.',
	'Residents on Mill Lane, which is outside the barrier scheme, spent the night moving furniture upstairs. “We have been flooded twice in six years,” said shopkeeper Daniel Reyes. “Every time they promise a permanent wall, and every time the money goes somewhere else.”',
	'The permanent defence scheme, costed at £28 million in 2019, is due to start construction next year after delays that the council blames on rising material prices and a lengthy planning inquiry.',
	'Forecasters expect a further 30 to 40 millimetres of rain across the catchment between Friday evening and Sunday, with river levels likely to rise again early next week.'
];

describe('HTML article extraction', () => {
	it('extracts headline and body paragraphs from a news page, leaving boilerplate out', () => {
		const a = extractHtmlArticle(FIXTURE, 'news-article.html');
		expect(a.title).toBe('Flood barriers hold as River Wend peaks overnight');
		expect(a.text).toBe(PARAGRAPHS.join('\n\n'));
		expect(a.meta).toEqual({
			url: 'https://www.riverside-gazette.example/news/2024/03/14/flood-barriers-hold',
			published_at: '2024-03-14T06:45:00+00:00',
			site_name: 'The Riverside Gazette',
			lang: 'en-GB',
			byline: 'Priya Natarajan'
		});
		for (const junk of [
			'SCRIPT_TEXT_MUST_NOT_APPEAR',
			'SECOND_SCRIPT_MUST_NOT_APPEAR',
			'__TRACKING_SECRET__',
			'STYLE_RULE_MUST_NOT_APPEAR',
			'font-family',
			'Related articles',
			'Flood defence scheme delayed again',
			'Sport',
			'cookies',
			'morning briefing',
			'All rights reserved',
			'Privacy policy',
			'Photo: Gazette staff'
		])
			expect(a.text).not.toContain(junk);
	});

	it('finds the date in <time datetime> or JSON-LD, and the URL in og:url', () => {
		const body = '<p>' + 'The council met on Tuesday and approved the budget, after a long debate. '.repeat(6) + '</p>';
		const withTime = extractHtmlArticle(
			`<html><head><meta property="og:url" content="https://news.example/a/1"></head><body><article><h1>Budget approved</h1><time datetime="2024-05-02">2 May</time>${body}</article></body></html>`,
			'a.html'
		);
		expect(withTime.meta).toEqual({ url: 'https://news.example/a/1', published_at: '2024-05-02' });
		expect(withTime.title).toBe('Budget approved');

		const withJsonLd = extractHtmlArticle(
			`<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"N"},{"@type":["NewsArticle"],"datePublished":"2024-06-01T08:00:00Z"}]}</script><link rel="canonical" href="/a/2"><meta property="og:url" content="https://news.example/ignored?x=1"></head><body><h1>Budget approved</h1>${body}</body></html>`,
			'b.html'
		);
		expect(withJsonLd.meta).toEqual({ url: 'https://news.example/a/2', published_at: '2024-06-01T08:00:00Z' });
		expect(withJsonLd.text.startsWith('Budget approved\n\nThe council met on Tuesday')).toBe(true);
	});

	it('keeps <br> as a line break and falls back to the page title / file name', () => {
		const a = extractHtmlArticle('<html><head><title>Short note</title></head><body><p>Line one<br>line two</p></body></html>', 'n.html');
		expect(a).toEqual({ title: 'Short note', text: 'Short note\n\nLine one\nline two', meta: {} });
		const b = extractHtmlArticle('<html><body><p>Only text here.</p></body></html>', 'dir/only-text.html');
		expect(b.title).toBe('only-text');
		expect(b.text).toBe('only-text\n\nOnly text here.');
	});

	it('handles fragments and pages without explicit <html>/<body>', () => {
		expect(extractHtmlArticle('<p>Hello <b>there</b> world.</p><p>Second.</p>', 'frag.html')).toEqual({
			title: 'frag',
			text: 'frag\n\nHello there world.\n\nSecond.',
			meta: {}
		});
		expect(extractHtmlArticle('<!doctype html><title>Tee</title><p>x y z</p>', 'a.html')).toEqual({
			title: 'Tee',
			text: 'Tee\n\nx y z',
			meta: {}
		});
		expect(
			extractHtmlArticle('<html><head><title>T2</title><meta property="og:url" content="https://a.example/x"></head><p>Para.</p></html>', 'b.html')
		).toEqual({ title: 'T2', text: 'T2\n\nPara.', meta: { url: 'https://a.example/x' } });
		expect(extractHtmlArticle('', 'empty.html')).toEqual({ title: 'empty', text: '', meta: {} });
	});
});

describe('HTML files in an import', () => {
	it('imports the fixture as one document with meta', async () => {
		const { docs, report } = await runImport([{ name: 'flood.html', data: enc(FIXTURE) }]);
		expect(shown(report)).toEqual([]);
		expect(docs).toHaveLength(1);
		expect(docs[0]).toMatchObject({
			title: 'Flood barriers hold as River Wend peaks overnight',
			text: PARAGRAPHS.join('\n\n'),
			spans: [],
			source: 'flood.html',
			meta: { url: 'https://www.riverside-gazette.example/news/2024/03/14/flood-barriers-hold', filename: 'flood.html' }
		});
		// the id comes from the file name (issue #15 item 17), the text-derived one is the fallback
		expect(docs[0].id).toBe('flood');
		expect(docs[0].fallbackId).toMatch(/^d[0-9a-f]{16}$/);
	});

	it('honours a declared legacy charset, rejects undeclared invalid UTF-8 with its line', async () => {
		const latin = bytes('<html><head><meta charset="windows-1252"></head><body><h1>Caf', [0xe9], '</h1><p>Le caf', [0xe9], ' ferme.</p></body></html>');
		const broken = bytes('<html>\n<body>\n<p>caf', [0xe9], '</p></body></html>');
		const empty = enc('<html><head><script>var x = 1;</script></head><body><nav>Home</nav></body></html>');
		const { docs, report } = await runImport([
			{ name: 'latin.htm', data: latin },
			{ name: 'broken.html', data: broken },
			{ name: 'empty.html', data: empty }
		]);
		expect(docs.map((d) => [d.title, d.text])).toEqual([['Café', 'Café\n\nLe café ferme.']]);
		expect(shown(report)).toEqual([
			{ file: 'broken.html', line: 3, message: 'line 3: invalid UTF-8 (at byte 21 of the file)' },
			{ file: 'empty.html', message: 'no article text found in the HTML' }
		]);
	});
});
