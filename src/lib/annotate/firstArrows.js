/**
 * Relation arrows in the first paint (issue #17, figure 17). The page's own
 * script draws the arrows (RelationArrows.svelte) only once the whole page is
 * hydrated, hundreds of milliseconds after the static article is on screen.
 * This file is also loaded on its own, unbundled, as a same-origin module
 * script in the page's head (the CSP allows `script-src 'self'`, not inline
 * scripts; `blocking="render"`, so the first paint waits for it): it runs
 * once the HTML is parsed, reads the relations the server wrote beside the
 * article (`data-first-arrows`) and, in the first frame (keepFirstArrows),
 * measures the spans of the static article and draws the same arrows on a layer of its own
 * (`svg.first-arrows`, in the body over the article), which RelationArrows
 * removes when it draws its own.
 *
 * Plain JavaScript and self-contained (no imports) because the browser loads
 * it as it is; the TypeScript side imports the same functions (arrowShape, the
 * encoding), so there is one geometry.
 */

/** @typedef {{ left: number; top: number; width: number; height: number }} Box */
/** @typedef {{ d: string; mid: { x: number; y: number } }} ArrowShape */
/** @typedef {{ from: string; to: string; label: string; color: string }} FirstArrow */

/** @param {number} n */
const round1 = (n) => Math.round(n * 10) / 10;

/**
 * A curved arrow from the top middle of one box to the top middle of the other, arching above both
 * (higher the farther apart they are, up to 48 px), and the middle of the curve (for its label).
 * @param {Box} from
 * @param {Box} to
 * @returns {ArrowShape}
 */
export function arrowShape(from, to) {
	const x1 = from.left + from.width / 2;
	const y1 = from.top - 2;
	const x2 = to.left + to.width / 2;
	const y2 = to.top - 2;
	const lift = Math.min(48, 12 + Math.abs(x2 - x1) / 10);
	const cy = Math.min(y1, y2) - lift;
	const d = `M${round1(x1)} ${round1(y1)} C${round1(x1)} ${round1(cy)} ${round1(x2)} ${round1(cy)} ${round1(x2)} ${round1(y2)}`;
	// a cubic Bézier at t = 1/2: (P0 + 3 P1 + 3 P2 + P3) / 8
	return { d, mid: { x: round1((x1 + 3 * x1 + 3 * x2 + x2) / 8), y: round1((y1 + 3 * cy + 3 * cy + y2) / 8) } };
}

/**
 * The arrows as one attribute value: a line per relation, `color from to label` separated by tabs,
 * each field URI-encoded (a name may hold any character; the attribute stays short, no `&quot;`).
 * @param {FirstArrow[]} arrows
 * @returns {string}
 */
export function encodeFirstArrows(arrows) {
	return arrows.map((a) => [a.color, a.from, a.to, a.label].map(encodeURIComponent).join('\t')).join('\n');
}

/**
 * The arrows back from `encodeFirstArrows`; a malformed line is skipped, never thrown on.
 * @param {string} value
 * @returns {FirstArrow[]}
 */
export function decodeFirstArrows(value) {
	/** @type {FirstArrow[]} */
	const arrows = [];
	for (const line of value ? value.split('\n') : []) {
		const fields = line.split('\t');
		if (fields.length !== 4) continue;
		try {
			const [color, from, to, label] = fields.map(decodeURIComponent);
			arrows.push({ color, from, to, label });
		} catch {
			// a broken escape: that arrow waits for the page script
		}
	}
	return arrows;
}

/** @param {string} s */
const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The SVG markup of the arrows (paths from `arrowShape`, one marker per colour), as RelationArrows draws them.
 * @param {Array<{ shape: ArrowShape; label: string; color: string }>} drawn
 * @returns {string}
 */
export function firstArrowsMarkup(drawn) {
	/** @type {string[]} */
	const colors = [...new Set(drawn.map((a) => a.color))];
	const heads = colors
		.map(
			(c, i) =>
				`<marker id="first-arrow-head-${i}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L8 4 L0 8 z" fill="${escapeXml(c)}"/></marker>`
		)
		.join('');
	const paths = drawn
		.map((a) => {
			const c = escapeXml(a.color);
			return (
				`<path d="${a.shape.d}" fill="none" stroke="${c}" stroke-width="1.5" opacity="0.75" marker-end="url(#first-arrow-head-${colors.indexOf(a.color)})"/>` +
				`<text x="${a.shape.mid.x}" y="${round1(a.shape.mid.y - 2)}" fill="${c}" stroke="#fff" stroke-width="3" paint-order="stroke" text-anchor="middle" font-size="10" font-weight="600" font-family="system-ui, sans-serif">${escapeXml(a.label)}</text>`
			);
		})
		.join('');
	return `<defs>${heads}</defs>${paths}`;
}

/**
 * Where each relation's arrow goes, in `host`'s coordinates: from the first line box of its source's
 * first drawn element to its target's. Reads only (one layout, however many arrows). Measuring a span in
 * a paragraph the browser has not laid out (content-visibility: auto, far off screen) lays that paragraph
 * out, and measuring all of them would lay out the whole article: a relation with both ends in such
 * paragraphs is counted as pending instead (drawn when one of them is). A relation with an end not drawn
 * at all (a hidden nesting lane) is left out.
 * @template {{ from: string; to: string }} R
 * @param {{ getBoundingClientRect(): { left: number; top: number } }} host
 * @param {readonly R[]} relations
 * @param {(id: string) => { getClientRects(): ArrayLike<{ left: number; top: number; width: number; height: number }>; checkVisibility?: (options?: object) => boolean } | undefined} firstElementOf
 * @returns {{ placed: Array<{ relation: R; shape: ArrowShape }>; pending: number }}
 */
export function placeArrows(host, relations, firstElementOf) {
	const origin = host.getBoundingClientRect();
	/** @param {string} id */
	const laidOut = (id) => {
		const el = firstElementOf(id);
		return el && typeof el.checkVisibility === 'function' ? el.checkVisibility({ contentVisibilityAuto: true }) : true;
	};
	/** @param {string} id @returns {Box | null} */
	const box = (id) => {
		const rect = firstElementOf(id)?.getClientRects()[0];
		return rect ? { left: rect.left - origin.left, top: rect.top - origin.top, width: rect.width, height: rect.height } : null;
	};
	/** @type {Array<{ relation: R; shape: ArrowShape }>} */
	const placed = [];
	let pending = 0;
	for (const relation of relations) {
		if (!laidOut(relation.from) && !laidOut(relation.to)) {
			pending++;
			continue;
		}
		const from = box(relation.from);
		const to = box(relation.to);
		if (from && to) placed.push({ relation, shape: arrowShape(from, to) });
	}
	return { placed, pending };
}

/**
 * Draws the arrows over the static article, once, before the page script is up: reads every span's
 * place first (placeArrows, as RelationArrows does), then writes once (one layout, no thrash).
 * @param {Document} doc
 * @returns {SVGSVGElement | null | undefined} the layer drawn; null: nothing to do; undefined: too early, no span laid out yet
 */
export function drawFirstArrows(doc) {
	const data = doc.querySelector('[data-first-arrows]');
	const host = doc.querySelector('.article[data-ready="false"]');
	// the page script already drew (or the editor is up): it owns the arrows
	if (!data || !host || doc.querySelector('svg.relation-arrows, svg.first-arrows')) return null;
	const arrows = decodeFirstArrows(data.getAttribute('data-first-arrows') ?? '');
	if (!arrows.length) return null;
	/** @type {Map<string, Element>} the first drawn element of each span */
	const first = new Map();
	for (const el of host.querySelectorAll('[data-span-id]')) {
		const id = el.getAttribute('data-span-id');
		if (id && !first.has(id)) first.set(id, el);
	}
	// no span laid out at all: the browser has not yet decided which paragraphs are on screen (before the
	// first frame), not that every arrow waits; try again when it has
	const laidOut = (/** @type {Element} */ el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility({ contentVisibilityAuto: true }) : true);
	if (first.size && ![...first.values()].some(laidOut)) return undefined;
	const { placed, pending } = placeArrows(host, arrows, (id) => first.get(id));
	const drawn = placed.map(({ relation, shape }) => ({ shape, label: relation.label, color: relation.color }));
	const origin = host.getBoundingClientRect();
	// Over the article but outside what the page script hydrates (a node of its own in the article would be
	// a hydration mismatch, and the whole page drawn again): in the body, at the article's place in the page.
	const view = doc.defaultView;
	const svg = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
	svg.setAttribute('class', 'first-arrows');
	svg.setAttribute('aria-hidden', 'true');
	svg.setAttribute(
		'style',
		`position:absolute;left:${round1(origin.left + (view?.scrollX ?? 0))}px;top:${round1(origin.top + (view?.scrollY ?? 0))}px;` +
			`width:${round1(origin.width)}px;height:${round1(origin.height)}px;overflow:visible;pointer-events:none;z-index:1`
	);
	svg.setAttribute('data-arrows', String(drawn.length));
	svg.setAttribute('data-pending', String(pending));
	svg.innerHTML = firstArrowsMarkup(drawn);
	doc.body.append(svg);
	return svg;
}

/**
 * Draws the first arrows in the first frame, and again while they are still there (the page script
 * removes them when it draws its own) whenever the article moves: resized (window, scrollbar, the rest of
 * the page), fonts loaded, a paragraph laid out. Not at once: before the first frame the browser has laid
 * out no paragraph (content-visibility: auto), so every arrow would wait. A ResizeObserver's first call
 * comes in the first frame after that layout and before its paint, and what it draws is in that paint.
 * @param {Document} doc
 */
export function keepFirstArrows(doc) {
	const host = doc.querySelector('.article[data-ready="false"]');
	if (!host || !doc.querySelector('[data-first-arrows]')) return;
	/** @type {SVGSVGElement | null} */
	let svg = null;
	const stop = () => {
		resize.disconnect();
		host.removeEventListener('contentvisibilityautostatechange', soon, true);
		doc.fonts?.removeEventListener('loadingdone', soon);
	};
	let frame = 0;
	// which rendering update drew the layer (`data-frame`): 1 is the first paint, as rendering waited for
	// this script (the bench checks the arrows were in it). A frame's animation callbacks run before its
	// ResizeObserver callbacks, so the count is right inside them.
	let frames = 0;
	requestAnimationFrame(function count() {
		if (++frames < 3) requestAnimationFrame(count);
	});
	const draw = () => {
		if (svg) {
			if (!svg.isConnected) return stop(); // the page script took over
			svg.remove();
		}
		const drawn = drawFirstArrows(doc);
		drawn?.setAttribute('data-frame', String(frames));
		svg = drawn ?? null;
		if (drawn === null) stop();
	};
	// many paragraphs laid out at once fire one event each: one redraw for them all, before the next frame
	const soon = () => {
		if (!frame) frame = requestAnimationFrame(() => ((frame = 0), draw()));
	};
	const resize = new ResizeObserver(draw);
	resize.observe(host);
	host.addEventListener('contentvisibilityautostatechange', soon, true);
	doc.fonts?.addEventListener('loadingdone', soon);
}

// Loaded on its own by the page (the script tag carries `data-first-arrows-script`): draw now. Imported by
// the page's bundle (the functions above), do nothing.
if (typeof document !== 'undefined') {
	const tag = document.querySelector('script[data-first-arrows-script]');
	if (tag instanceof HTMLScriptElement && tag.src === import.meta.url) keepFirstArrows(document);
}
