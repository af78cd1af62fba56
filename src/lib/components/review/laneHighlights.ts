/**
 * The find bar's hits (Ctrl+F) over the review view's lanes, drawn with the
 * CSS Custom Highlight API: Ranges over the text nodes the rows already have,
 * registered as the highlights `find-hit` and `find-current` (styled with
 * `::highlight(…)`). No element is added or changed, so the rows' text, their
 * span elements, the text selection (and the offsets the view reads from it)
 * and clicks on spans are as they were. A browser without the API finds and
 * counts, but draws nothing.
 */
import { cutAtMatches, type TextMatch, type TextRun } from '$lib/text/match';
import type { OffsetMap } from '$lib/text/offsets';

/** One match as shown in one row's text. */
export interface LaneHit {
	/** the row's text element (`.text[data-start]`) */
	container: Element;
	/** index into the matches */
	match: number;
	range: Range;
}

const HIT = 'find-hit';
const CURRENT = 'find-current';

/** The text nodes of a row's text and where each is in the document (UTF-16); `data-start` is in code points. */
function textRuns(container: Element, offsets: OffsetMap): { nodes: Text[]; runs: TextRun[] } {
	const nodes: Text[] = [];
	const runs: TextRun[] = [];
	let at = offsets.toUtf16(Number(container.getAttribute('data-start')));
	const walker = container.ownerDocument.createTreeWalker(container, NodeFilter.SHOW_TEXT);
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		const length = (node as Text).data.length;
		nodes.push(node as Text);
		runs.push({ start: at, end: at + length });
		at += length;
	}
	return { nodes, runs };
}

/**
 * Every match in every row under `root` that shows the text (the reference
 * row, each lane's, gold's), rows in page order: one Range each, over as many
 * text nodes as the row cut the match into (a word half inside a span).
 */
export function laneHits(root: Element, offsets: OffsetMap, matches: readonly TextMatch[]): LaneHit[] {
	const hits: LaneHit[] = [];
	if (matches.length === 0) return hits;
	for (const container of root.querySelectorAll('.text[data-start]')) {
		const { nodes, runs } = textRuns(container, offsets);
		let last = null as LaneHit | null;
		for (const piece of cutAtMatches(runs, matches)) {
			if (last?.match === piece.match) {
				last.range.setEnd(nodes[piece.run], piece.end);
				continue;
			}
			const range = container.ownerDocument.createRange();
			range.setStart(nodes[piece.run], piece.start);
			range.setEnd(nodes[piece.run], piece.end);
			last = { container, match: piece.match, range };
			hits.push(last);
		}
	}
	return hits;
}

const supported = (): boolean => typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';

/** Draws `hits`, those of match `current` as the current one. */
export function showLaneHits(hits: readonly LaneHit[], current: number): void {
	if (!supported()) return;
	const others: Range[] = [];
	const now: Range[] = [];
	for (const hit of hits) (hit.match === current ? now : others).push(hit.range);
	const currentHighlight = new Highlight(...now);
	currentHighlight.priority = 1;
	CSS.highlights.set(HIT, new Highlight(...others));
	CSS.highlights.set(CURRENT, currentHighlight);
}

export function clearLaneHits(): void {
	if (!supported()) return;
	CSS.highlights.delete(HIT);
	CSS.highlights.delete(CURRENT);
}

/** Scrolls the window so the hit is in view, clear of the find bar floating at the top (a hit in view stays put). */
export function scrollHitIntoView(range: Range): void {
	const rect = range.getBoundingClientRect();
	const top = 7 * parseFloat(getComputedStyle(document.documentElement).fontSize);
	if (rect.top >= top && rect.bottom <= window.innerHeight - 48) return;
	window.scrollBy({ top: rect.top - window.innerHeight / 2 });
}
