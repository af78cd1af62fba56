/**
 * The annotation view's relation logic, pure: which spans a link may go to,
 * cycling through them, keeping relations on their spans through an edit
 * (span ids are content-derived, so a relabel or a boundary edit changes the
 * id and the relation is re-pointed), and the geometry of an arrow.
 */
import { relationId, sortRelations } from '$lib/model/relations';
import { arrowShape as firstArrowShape } from './firstArrows.js';
import type { Relation, RelationType, Span } from '$lib/model/types';

export interface DroppedRelation {
	relation: Relation;
	/** for the annotator: why the edit took it away */
	reason: string;
}

export function typeAllows(type: RelationType, fromLabel: string, toLabel: string): boolean {
	return type.from.includes(fromLabel) && type.to.includes(toLabel);
}

/** "source-of (attribution → claim)" */
export function describeType(type: RelationType): string {
	return `${type.name} (${type.from.join(' / ') || 'nothing'} → ${type.to.join(' / ') || 'nothing'})`;
}

export function makeRelation(from: string, to: string, label: string): Relation {
	return { id: relationId(from, to, label), from, to, label };
}

/**
 * The relations after the spans became `spans`. `moved` maps the id a span had
 * to the id it has now (relabelled, or a boundary moved). A relation whose span
 * is gone goes with it; one whose type no longer allows its (new) labels goes
 * too, and says why. Re-pointing two ends onto one span, or two relations onto
 * one, keeps one. Cost: linear in spans + relations (plus the sort).
 */
export function repointRelations(
	relations: Relation[],
	spans: Span[],
	moved: ReadonlyMap<string, string>,
	types: RelationType[]
): { relations: Relation[]; dropped: DroppedRelation[] } {
	if (!relations.length) return { relations, dropped: [] };
	const byId = new Map(spans.map((s) => [s.id, s]));
	const typeByName = new Map(types.map((t) => [t.name, t]));
	const kept = new Map<string, Relation>();
	const dropped: DroppedRelation[] = [];
	let changed = false;
	for (const r of relations) {
		const fromId = moved.get(r.from) ?? r.from;
		const toId = moved.get(r.to) ?? r.to;
		const from = byId.get(fromId);
		const to = byId.get(toId);
		if (!from || !to) {
			changed = true;
			dropped.push({ relation: r, reason: 'its span was removed' });
			continue;
		}
		if (fromId !== r.from || toId !== r.to) {
			changed = true;
			const type = typeByName.get(r.label);
			if (from.id === to.id) {
				dropped.push({ relation: r, reason: 'both its ends are now the same span' });
				continue;
			}
			if (!type || !typeAllows(type, from.label, to.label)) {
				const rule = type ? describeType(type) : `${r.label} (no longer a relation type)`;
				dropped.push({ relation: r, reason: `${rule} cannot link ${from.label} → ${to.label}` });
				continue;
			}
		}
		const next = fromId === r.from && toId === r.to ? r : makeRelation(fromId, toId, r.label);
		if (kept.has(next.id)) changed = true;
		else kept.set(next.id, next);
	}
	return changed ? { relations: sortRelations([...kept.values()], spans), dropped } : { relations, dropped };
}

export interface LinkTargets {
	/** true: the chosen span is the relation's `from` (the source span is in the type's `to`) */
	reverse: boolean;
	/** nearest first */
	candidates: Span[];
	/** why there is nothing to link to (then `candidates` is empty) */
	problem: string | null;
}

/** Characters between two spans (0 when they overlap). */
function gap(a: Span, b: Span): number {
	return b.end <= a.start ? a.start - b.end : b.start >= a.end ? b.start - a.end : 0;
}

/**
 * The spans a link of `type` from `source` may end on: those whose label the
 * type allows at the other end, nearest first, without the ones already linked
 * to it by this type. A source in the type's `to` labels only (a claim, for
 * source-of) links backwards: the candidates are the possible sources.
 */
export function linkTargets(spans: Span[], relations: Relation[], source: Span, type: RelationType): LinkTargets {
	const forward = type.from.includes(source.label);
	const reverse = !forward && type.to.includes(source.label);
	if (!forward && !reverse) {
		return { reverse: false, candidates: [], problem: `${describeType(type)} cannot start or end on a ${source.label} span` };
	}
	const wanted = new Set(forward ? type.to : type.from);
	const linked = new Set(relations.filter((r) => r.label === type.name).map((r) => (forward ? r.from === source.id && r.to : r.to === source.id && r.from)));
	const allowed = spans.filter((s) => s.id !== source.id && wanted.has(s.label));
	const candidates = allowed.filter((s) => !linked.has(s.id)).sort((a, b) => gap(source, a) - gap(source, b) || a.start - b.start);
	const others = [...wanted].join(' or ');
	const problem = candidates.length
		? null
		: allowed.length
			? `every ${others} span is linked to this one already by ${type.name}`
			: `there is no ${others} span to link to (${describeType(type)})`;
	return { reverse, candidates, problem };
}

/** Relations as the page ships them: span ids and label only (the relation ids are rebuilt). */
export function packRelations(relations: readonly Relation[]): string {
	return JSON.stringify(relations.map((r) => [r.from, r.to, r.label]));
}

export function unpackRelations(packed: string | undefined): Relation[] {
	if (!packed) return [];
	return (JSON.parse(packed) as Array<[string, string, string]>).map(([from, to, label]) => makeRelation(from, to, label));
}

/** The next index when cycling through `n` candidates (wraps around both ways). */
export function cycle(index: number, n: number, dir: 1 | -1): number {
	return n ? (((index + dir) % n) + n) % n : 0;
}

/** A box in the arrow layer's coordinates (CSS pixels from its top left). */
export interface Box {
	left: number;
	top: number;
	width: number;
	height: number;
}

export interface ArrowShape {
	/** SVG path data: a cubic curve from the top of one span to the top of the other, above the line(s) */
	d: string;
	/** the curve's middle, where the type's name is written */
	mid: { x: number; y: number };
}

/**
 * The arrow from one span's first line box to another's: it leaves the middle
 * of the source's top edge, arcs above both and lands on the middle of the
 * target's top edge (2 px above, where the arrowhead sits). The arc rises with
 * the distance (12 to 48 px), so long links stand clear of short ones. It lives
 * in firstArrows.js, which the browser also runs on its own before the page
 * script (the arrows of the first paint): one geometry for both layers.
 */
export const arrowShape: (from: Box, to: Box) => ArrowShape = firstArrowShape;
