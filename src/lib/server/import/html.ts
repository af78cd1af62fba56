import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { stripExtension } from './util';

export interface HtmlArticle {
	/** the headline */
	title: string;
	/** headline and body paragraphs, joined with "\n\n" */
	text: string;
	/** `url` (canonical / og:url), `published_at`, and when present `byline`, `site_name`, `lang` */
	meta: Record<string, unknown>;
}

// Minimal structural view of DOM nodes (linkedom's types are not the lib.dom ones).
interface DomNode {
	nodeType: number;
	nodeValue: string | null;
	firstChild: DomNode | null;
	nextSibling: DomNode | null;
	localName?: string;
	textContent: string | null;
	getAttribute?(name: string): string | null;
}
interface DomElement extends DomNode {
	localName: string;
	getAttribute(name: string): string | null;
	querySelector(sel: string): DomElement | null;
	querySelectorAll(sel: string): Iterable<DomElement>;
	remove(): void;
}
interface DomDocument {
	documentElement: DomElement | null;
	body: DomElement | null;
	title?: string;
	querySelector(sel: string): DomElement | null;
	querySelectorAll(sel: string): Iterable<DomElement>;
}

/** Elements that start a new paragraph. */
const BLOCK = new Set([
	'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
	'fieldset', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
	'li', 'main', 'nav', 'ol', 'p', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul'
]);
/** Elements whose text is never article text. */
const SKIP = new Set([
	'script', 'style', 'noscript', 'template', 'svg', 'math', 'canvas', 'iframe', 'object', 'embed',
	'button', 'select', 'textarea', 'input', 'audio', 'video', 'picture', 'img', 'figcaption', 'head', 'title', 'meta', 'link'
]);
/**
 * Never article text: removed before Readability runs. (Scripts stay: Readability reads
 * JSON-LD metadata from them and removes them itself.)
 */
const NOT_ARTICLE =
	'nav, aside, footer, form, dialog, [role="navigation"], [role="contentinfo"], [role="complementary"], [role="search"]';
/** Also removed before the fallback extraction (when Readability finds no article). */
const BOILERPLATE = `${NOT_ARTICLE}, script, style, noscript, template, iframe, svg, header, [role="banner"], [aria-hidden="true"]`;

const BR = '\u0000';

function collapse(s: string): string {
	return s
		.split(BR)
		.map((l) => l.replace(/[ \t\n\r\f]+/g, ' ').trim())
		.filter((l) => l !== '')
		.join('\n');
}

/** Text of `root` as paragraphs: one per block element, inline whitespace collapsed, <br> → "\n". */
function paragraphs(root: DomNode): string[] {
	const out: string[] = [];
	let buf = '';
	const flush = () => {
		const t = collapse(buf);
		if (t) out.push(t);
		buf = '';
	};
	const walk = (node: DomNode, depth: number) => {
		if (depth > 500) return;
		for (let c = node.firstChild; c; c = c.nextSibling) {
			if (c.nodeType === 3) {
				buf += c.nodeValue ?? '';
				continue;
			}
			if (c.nodeType !== 1) continue;
			const tag = (c.localName ?? '').toLowerCase();
			if (SKIP.has(tag)) continue;
			if (tag === 'br') buf += BR;
			else if (tag === 'pre') {
				flush();
				const t = (c.textContent ?? '').replace(/^\n/, '').trimEnd();
				if (t.trim()) out.push(t);
			} else if (tag === 'td' || tag === 'th') {
				buf += ' ';
				walk(c, depth + 1);
				buf += ' ';
			} else if (BLOCK.has(tag)) {
				flush();
				walk(c, depth + 1);
				flush();
			} else walk(c, depth + 1);
		}
	};
	walk(root, 0);
	flush();
	return out;
}

function attr(doc: DomDocument, selector: string, name: string): string {
	return (doc.querySelector(selector)?.getAttribute(name) ?? '').trim();
}

function text(el: DomElement | null): string {
	return el ? collapse(el.textContent ?? '').replace(/\n/g, ' ') : '';
}

function isAbsoluteUrl(s: string): boolean {
	try {
		const u = new URL(s);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

/** First `datePublished` in the page's JSON-LD (articles first, then anything). */
function jsonLdDate(doc: DomDocument): string {
	const found: { date: string; article: boolean }[] = [];
	const visit = (v: unknown, depth: number) => {
		if (depth > 20 || v === null || typeof v !== 'object') return;
		if (Array.isArray(v)) {
			for (const x of v) visit(x, depth + 1);
			return;
		}
		const o = v as Record<string, unknown>;
		if (typeof o.datePublished === 'string' && o.datePublished.trim()) {
			const t = ([] as unknown[]).concat(o['@type'] ?? []).map(String);
			found.push({ date: o.datePublished.trim(), article: t.some((x) => /Article|BlogPosting|Report/i.test(x)) });
		}
		for (const k of Object.keys(o)) if (k !== 'datePublished') visit(o[k], depth + 1);
	};
	for (const s of doc.querySelectorAll('script[type="application/ld+json"]')) {
		try {
			visit(JSON.parse(s.textContent ?? ''), 0);
		} catch {
			/* broken JSON-LD is common; ignore it */
		}
	}
	return (found.find((f) => f.article) ?? found[0])?.date ?? '';
}

function extractMeta(doc: DomDocument): Record<string, unknown> {
	const meta: Record<string, unknown> = {};
	const canonical = attr(doc, 'link[rel~="canonical"]', 'href');
	const ogUrl = attr(doc, 'meta[property="og:url"]', 'content') || attr(doc, 'meta[name="og:url"]', 'content');
	let url = '';
	if (canonical && isAbsoluteUrl(canonical)) url = canonical;
	else if (canonical && isAbsoluteUrl(ogUrl)) url = new URL(canonical, ogUrl).href;
	else url = ogUrl || canonical;
	if (url) meta.url = url;

	const published =
		attr(doc, 'meta[property="article:published_time"]', 'content') ||
		attr(doc, 'meta[name="article:published_time"]', 'content') ||
		jsonLdDate(doc) ||
		attr(doc, '[itemprop="datePublished"][content]', 'content') ||
		attr(doc, '[itemprop="datePublished"][datetime]', 'datetime') ||
		attr(doc, 'article time[datetime]', 'datetime') ||
		attr(doc, 'time[datetime]', 'datetime') ||
		attr(doc, 'meta[name="pubdate"]', 'content') ||
		attr(doc, 'meta[name="date"]', 'content');
	if (published) meta.published_at = published;

	const site = attr(doc, 'meta[property="og:site_name"]', 'content');
	if (site) meta.site_name = site;
	const lang = doc.documentElement?.getAttribute('lang')?.trim();
	if (lang) meta.lang = lang;
	return meta;
}

function headlineBeforeReadability(doc: DomDocument): string {
	return (
		text(doc.querySelector('article h1')) ||
		text(doc.querySelector('[itemprop="headline"]')) ||
		attr(doc, 'meta[property="og:title"]', 'content').replace(/\s+/g, ' ')
	);
}

/**
 * linkedom does not build the implied <html>/<head>/<body> of a fragment the way a
 * browser does (it makes the first element the document element), so fragments and
 * pages without explicit <html> and <body> are re-wrapped before parsing.
 */
export function normalizeHtml(html: string): string {
	if (/<html[\s>]/i.test(html) && /<body[\s>]/i.test(html)) return html;
	let rest = html.replace(/<!doctype[^>]*>/gi, '').replace(/<\/?(?:html|body)(?:\s[^>]*)?>/gi, '');
	let head = '';
	const m = /<head(?:\s[^>]*)?>([\s\S]*?)<\/head\s*>/i.exec(rest);
	if (m) {
		head = m[1];
		rest = rest.slice(0, m.index) + rest.slice(m.index + m[0].length);
	}
	return `<!DOCTYPE html><html><head>${head}</head><body>${rest}</body></html>`;
}

const same = (a: string, b: string) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Main text of a news page: headline + body paragraphs (joined with "\n\n"), found with
 * @mozilla/readability over a linkedom document; navigation, scripts, styles, asides
 * ("related articles"), footers and image captions are left out. When Readability finds
 * no article, falls back to the <article>/<main>/<body> text minus boilerplate elements.
 */
export function extractHtmlArticle(html: string, fileName: string): HtmlArticle {
	html = normalizeHtml(html);
	const { document } = parseHTML(html) as unknown as { document: DomDocument };
	const meta = extractMeta(document);
	let title = headlineBeforeReadability(document);
	const firstH1 = text(document.querySelector('h1'));
	const docTitle = text(document.querySelector('title'));
	for (const el of [...document.querySelectorAll(NOT_ARTICLE)]) el.remove();

	let blocks: string[] | null = null;
	try {
		const reader = new Readability<DomNode>(document as unknown as Document, {
			serializer: (node) => node as unknown as DomNode,
			keepClasses: false
		});
		const article = reader.parse();
		if (article?.content) {
			blocks = paragraphs(article.content);
			if (!title) title = (article.title ?? '').replace(/\s+/g, ' ').trim();
			if (article.byline?.trim()) meta.byline = article.byline.trim();
			if (!meta.published_at && article.publishedTime?.trim()) meta.published_at = article.publishedTime.trim();
			if (!meta.site_name && article.siteName?.trim()) meta.site_name = article.siteName.trim();
		}
	} catch {
		blocks = null; // fall back below
	}
	if (!blocks || blocks.length === 0) {
		const { document: again } = parseHTML(html) as unknown as { document: DomDocument };
		for (const el of [...again.querySelectorAll(BOILERPLATE)]) el.remove();
		const root = again.querySelector('article') ?? again.querySelector('main') ?? again.querySelector('[role="main"]') ?? again.body;
		blocks = root ? paragraphs(root) : [];
	}
	if (!title) title = firstH1 || docTitle || stripExtension(fileName);
	const body = blocks.length > 0 && same(blocks[0], title) ? blocks.slice(1) : blocks;
	const text_ = body.length > 0 ? [title, ...body].join('\n\n') : '';
	return { title, text: text_, meta };
}

/** Elements may nest this deep in an imported page; deeper pages are refused before they are parsed. */
export const MAX_HTML_DEPTH = 128;

/** Elements that never have content (no end tag), and those whose end tag may be left out (an open one does not nest). */
const NO_NESTING = new Set([
	'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
	'p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'colgroup', 'caption', 'rb', 'rt', 'rtc', 'rp',
	'html', 'head', 'body'
]);
/** Elements whose content is text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)|<!--|<!\[CDATA\[/g;

/**
 * How deep the elements of `html` nest, as a linear scan of its tags (no
 * parsing): start tags open, end tags close back to the last element of their
 * name, comments and raw text (scripts, styles) are skipped, void elements and
 * those whose end tag is optional (p, li, td…) do not count, nor does a start
 * tag closed with "/>". Parsing with linkedom and Readability takes time that
 * grows with the cube of the depth (1,000 nested divs: 8-12 s), so a page
 * deeper than MAX_HTML_DEPTH is refused by this count first. Returns the
 * depth, or max + 1 as soon as it passes `max`. Cost: O(length).
 */
export function htmlDepth(html: string, max = MAX_HTML_DEPTH): number {
	const open: string[] = [];
	let deepest = 0;
	TAG.lastIndex = 0;
	for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
		if (m[0] === '<!--' || m[0] === '<![CDATA[') {
			const end = html.indexOf(m[0] === '<!--' ? '-->' : ']]>', TAG.lastIndex);
			if (end < 0) break;
			TAG.lastIndex = end + 3;
			continue;
		}
		const name = m[2].toLowerCase();
		const close = html.indexOf('>', TAG.lastIndex);
		if (close < 0) break;
		if (m[1]) {
			// an end tag closes back to the innermost open element of its name (nothing if none is open)
			const at = open.lastIndexOf(name);
			if (at >= 0) open.length = at;
			TAG.lastIndex = close + 1;
			continue;
		}
		const selfClosing = html[close - 1] === '/';
		TAG.lastIndex = close + 1;
		if (RAW_TEXT.has(name)) {
			const endTag = new RegExp(`</${name}`, 'gi');
			endTag.lastIndex = TAG.lastIndex;
			if (!endTag.exec(html)) break;
			TAG.lastIndex = endTag.lastIndex - name.length - 2;
			continue;
		}
		if (selfClosing || NO_NESTING.has(name)) continue;
		open.push(name);
		if (open.length > deepest) {
			deepest = open.length;
			if (deepest > max) return max + 1;
		}
	}
	return deepest;
}
