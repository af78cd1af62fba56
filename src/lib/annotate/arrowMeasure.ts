/**
 * Where the relation arrows and rings go (RelationArrows.svelte), measured from
 * the drawn spans over the article: the elements carrying `data-span-id` (in the
 * static article or the editor; a span is cut into several where others overlap
 * it), in the host's coordinates. Runs in the browser, in an animation frame.
 */
import type { Label, Relation, Span } from '$lib/model/types';
import { labelColor } from '$lib/model/labels';
import { arrowShape, type Box } from './relationEdits';
import { placeArrows } from './firstArrows.js';

export interface Arrow {
	id: string;
	d: string;
	x: number;
	y: number;
	label: string;
	color: string;
}

export interface Ring extends Box {
	key: string;
	kind: 'end' | 'source' | 'candidate';
}

export const MAX_RINGS_PER_SPAN = 12;

/** The drawn elements of these spans (a span is cut into several where others overlap it), in text order. */
function elementsOf(host: HTMLElement, wanted: Set<string>): Map<string, HTMLElement[]> {
	const elements = new Map<string, HTMLElement[]>();
	if (!wanted.size) return elements;
	// one pass over the drawn spans, not one query per span
	for (const el of host.querySelectorAll<HTMLElement>('[data-span-id]')) {
		const id = el.dataset.spanId!;
		if (!wanted.has(id)) continue;
		const list = elements.get(id);
		if (list) list.push(el);
		else elements.set(id, [el]);
	}
	return elements;
}

function geometry(host: HTMLElement, elements: Map<string, HTMLElement[]>) {
	const origin = host.getBoundingClientRect();
	const boxOf = (rect: DOMRect): Box => ({ left: rect.left - origin.left, top: rect.top - origin.top, width: rect.width, height: rect.height });
	// the first line box of a span's first element: where the span starts
	const firstBox = (id: string): Box | null => {
		const rect = elements.get(id)?.[0]?.getClientRects()[0];
		return rect ? boxOf(rect) : null;
	};
	return { boxOf, firstBox };
}

/** The arrows of `relations` whose ends are laid out, and how many wait for theirs (far off screen). */
export function measureArrows(host: HTMLElement, spans: readonly Span[], relations: Relation[], labels: Label[]): { arrows: Arrow[]; pending: number } {
	const wanted = new Set<string>();
	for (const r of relations) wanted.add(r.from).add(r.to);
	const elements = elementsOf(host, wanted);
	const labelOf = new Map(spans.map((s) => [s.id, s.label]));
	// relations with both ends in paragraphs not laid out yet wait (placeArrows says why)
	const { placed, pending } = placeArrows(host, relations, (id) => elements.get(id)?.[0]);
	const arrows: Arrow[] = placed.map(({ relation: r, shape }) => ({
		id: r.id,
		d: shape.d,
		x: shape.mid.x,
		y: shape.mid.y,
		label: r.label,
		color: labelColor(labels, labelOf.get(r.from) ?? '')
	}));
	return { arrows, pending };
}

/** The rings around the hovered relation's ends and the link being made, and its dashed arrow. */
export function measureMarks(
	host: HTMLElement,
	relations: readonly Relation[],
	hovered: string | null,
	linkFrom: string | null,
	linkTo: string | null
): { rings: Ring[]; preview: string | null } {
	const h = hovered ? relations.find((r) => r.id === hovered) : undefined;
	const wanted = new Set([h?.from, h?.to, linkFrom, linkTo].filter((x): x is string => !!x));
	const elements = elementsOf(host, wanted);
	const { boxOf, firstBox } = geometry(host, elements);
	const rings: Ring[] = [];
	const ring = (id: string, kind: Ring['kind']) => {
		for (const el of (elements.get(id) ?? []).slice(0, MAX_RINGS_PER_SPAN)) {
			for (const rect of el.getClientRects()) rings.push({ key: `${kind}-${rings.length}`, kind, ...boxOf(rect) });
		}
	};
	if (h) {
		ring(h.from, 'end');
		ring(h.to, 'end');
	}
	if (linkFrom) ring(linkFrom, 'source');
	if (linkTo) ring(linkTo, 'candidate');
	const a = linkFrom ? firstBox(linkFrom) : null;
	const b = linkTo ? firstBox(linkTo) : null;
	return { rings, preview: a && b ? arrowShape(a, b).d : null };
}
