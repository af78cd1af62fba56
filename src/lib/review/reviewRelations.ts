/**
 * Review and adjudication of relations and attribute values (issue #17 item 5),
 * the pure parts beside ./review.ts (which decides spans):
 *  - which relations the annotators proposed (candidates, keyed like relation ids:
 *    endpoint span ids and type) and where each stands against gold;
 *  - accepting a relation (only with both ends in gold: the ends still open are
 *    accepted with it, a rejected end is refused and named) and rejecting it;
 *  - gold relations kept valid when gold spans go or change (pruned, re-pointed);
 *  - the values annotators gave a span's attributes, to carry into gold on accept
 *    and to choose from where they differ.
 *
 * Gold relations point at gold spans by span id (`spanId`: start, end, label), the
 * same id on every annotator's copy of a span, so a relation two annotators drew
 * between the same spans is one candidate.
 */
import { dict, own } from '../model/dict';
import { normalizeAttrs, type AttrValue, type AttributeDef, type Attrs } from '../model/attributes';
import { spanId } from '../model/spans';
import type { Span, SpanInput } from '../model/types';

/** A relation as gold stores it: ends are span ids of gold spans. */
export interface GoldRelation {
	from: string;
	to: string;
	label: string;
}

/** What a relation type allows (the dataset's `relationTypes`). */
export interface RelationTypeLike {
	name: string;
	key?: string;
	from: string[];
	to: string[];
}

/** One set as the review sees it: spans with ids and attrs, and its relations (span ids of the same set). */
export interface RelationVoter {
	name: string;
	spans: ReadonlyArray<SpanInput & { id?: string; attrs?: Span['attrs'] }>;
	relations?: ReadonlyArray<{ from: string; to: string; label: string }>;
}

/** A distinct relation proposed by at least one voter. */
export interface RelationCandidate {
	/** `${from id}>${to id}:${type}`, the key relation ids are hashed from */
	key: string;
	label: string;
	from: SpanInput;
	to: SpanInput;
	/** voters who drew it, sorted */
	annotators: string[];
	/** every voter drew it, and there are at least two */
	agreed: boolean;
}

export const relationKey = (r: GoldRelation) => `${r.from}>${r.to}:${r.label}`;

const plain = (s: SpanInput): SpanInput => ({ start: s.start, end: s.end, label: s.label });
const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Every voter's relations with their ends looked up; unknown ends are left out. Sorted by from, to, type. */
export function collectRelationCandidates(voters: readonly RelationVoter[]): RelationCandidate[] {
	const names = [...new Set(voters.map((v) => v.name))].sort(cmp);
	const byKey = new Map<string, RelationCandidate>();
	for (const voter of voters) {
		const spans = new Map<string, SpanInput>();
		for (const s of voter.spans) spans.set(s.id ?? spanId(s), s);
		for (const r of voter.relations ?? []) {
			const from = spans.get(r.from);
			const to = spans.get(r.to);
			if (!from || !to) continue;
			const key = relationKey({ from: spanId(from), to: spanId(to), label: r.label });
			let c = byKey.get(key);
			if (!c) byKey.set(key, (c = { key, label: r.label, from: plain(from), to: plain(to), annotators: [], agreed: false }));
			if (!c.annotators.includes(voter.name)) c.annotators.push(voter.name);
		}
	}
	const order = (s: SpanInput) => [s.start, s.end] as const;
	const out = [...byKey.values()].sort((x, y) => {
		const [a, b] = [order(x.from), order(y.from)];
		const [c, d] = [order(x.to), order(y.to)];
		return a[0] - b[0] || a[1] - b[1] || c[0] - d[0] || c[1] - d[1] || cmp(x.key, y.key);
	});
	for (const c of out) {
		c.annotators.sort(cmp);
		c.agreed = names.length >= 2 && c.annotators.length === names.length;
	}
	return out;
}

export type RelationDecision = 'accepted' | 'rejected' | 'open';

export function relationDecision(c: RelationCandidate, gold: readonly GoldRelation[], rejected: ReadonlySet<string>): RelationDecision {
	if (gold.some((r) => relationKey(r) === c.key)) return 'accepted';
	return rejected.has(c.key) ? 'rejected' : 'open';
}

/** What the lead decided about relations: gold's relations and the candidates rejected (keys). */
export interface RelationVerdicts {
	relations: GoldRelation[];
	rejected: string[];
}

const sortRelations = (rs: GoldRelation[]): GoldRelation[] => {
	const seen = new Set<string>();
	return rs
		.filter((r) => {
			const k = relationKey(r);
			if (seen.has(k)) return false;
			seen.add(k);
			return true;
		})
		.sort((x, y) => cmp(relationKey(x), relationKey(y)));
};

export type AcceptRelation =
	| { ok: true; verdicts: RelationVerdicts; /** ends gold did not have yet: to accept with it */ ends: SpanInput[] }
	| { ok: false; reason: string };

/**
 * Accept a candidate relation. Its ends must be in gold: those still open are
 * returned in `ends` (the caller accepts them in the same step); an end the lead
 * rejected is not overruled silently: the answer says which one to reopen.
 */
export function acceptRelation(
	v: RelationVerdicts,
	c: RelationCandidate,
	goldIds: ReadonlySet<string>,
	rejectedSpanIds: ReadonlySet<string>,
	quote: (s: SpanInput) => string = (s) => `${s.label} ${s.start}–${s.end}`
): AcceptRelation {
	const ends: SpanInput[] = [];
	for (const end of [c.from, c.to]) {
		const id = spanId(end);
		if (goldIds.has(id)) continue;
		if (rejectedSpanIds.has(id)) return { ok: false, reason: `its ${end === c.from ? 'source' : 'target'} ${quote(end)} was rejected: reopen it (o) first` };
		if (!ends.some((e) => spanId(e) === id)) ends.push(end);
	}
	const relation = { from: spanId(c.from), to: spanId(c.to), label: c.label };
	return {
		ok: true,
		verdicts: { relations: sortRelations([...v.relations, relation]), rejected: v.rejected.filter((k) => k !== c.key) },
		ends
	};
}

/** Reject a relation: out of gold, and recorded when it is a candidate (so it no longer shows as open). */
export function rejectRelation(v: RelationVerdicts, key: string, record: boolean): RelationVerdicts {
	return {
		relations: v.relations.filter((r) => relationKey(r) !== key),
		rejected: record && !v.rejected.includes(key) ? [...v.rejected, key].sort(cmp) : v.rejected
	};
}

export function reopenRelation(v: RelationVerdicts, key: string): RelationVerdicts {
	return { relations: v.relations, rejected: v.rejected.filter((k) => k !== key) };
}

/** Gold relations whose ends are both gold spans (a span left gold: its relations go with it). */
export function pruneRelations(relations: readonly GoldRelation[], gold: readonly SpanInput[], goldIds?: ReadonlySet<string>): GoldRelation[] {
	const ids = goldIds ?? new Set(gold.map(spanId));
	return relations.filter((r) => ids.has(r.from) && ids.has(r.to));
}

/**
 * A gold span changed (edit, relabel): its relations follow it to the new id,
 * unless the type no longer allows the labels; those are dropped and returned so
 * the view can say why they went.
 */
export function repointRelations(
	relations: readonly GoldRelation[],
	before: SpanInput,
	after: SpanInput,
	types: readonly RelationTypeLike[],
	labelOf: (id: string) => string | undefined
): { relations: GoldRelation[]; dropped: GoldRelation[] } {
	const [b, a] = [spanId(before), spanId(after)];
	if (a === b) return { relations: [...relations], dropped: [] };
	const kept: GoldRelation[] = [];
	const dropped: GoldRelation[] = [];
	for (const r of relations) {
		if (r.from !== b && r.to !== b) {
			kept.push(r);
			continue;
		}
		const next = { from: r.from === b ? a : r.from, to: r.to === b ? a : r.to, label: r.label };
		const type = types.find((t) => t.name === r.label);
		const fromLabel = next.from === a ? after.label : labelOf(next.from);
		const toLabel = next.to === a ? after.label : labelOf(next.to);
		if (type && fromLabel !== undefined && toLabel !== undefined && type.from.includes(fromLabel) && type.to.includes(toLabel) && next.from !== next.to) kept.push(next);
		else dropped.push(r);
	}
	return { relations: sortRelations(kept), dropped };
}

// ---------------------------------------------------------------------------
// Attribute values
// ---------------------------------------------------------------------------

/** One value annotators gave an attribute of one span, with who gave it. */
export interface ValueChoice {
	value: AttrValue;
	annotators: string[];
}

/** Each voter's attrs for the span with this id (voters without the span are left out). */
export function attrsByAnnotator(voters: readonly RelationVoter[], id: string): Array<{ name: string; attrs: Attrs | undefined }> {
	const out: Array<{ name: string; attrs: Attrs | undefined }> = [];
	for (const v of voters) {
		const s = v.spans.find((x) => spanId(x) === id); // by content: the same span in every set
		if (s) out.push({ name: v.name, attrs: normalizeAttrs(s.attrs) });
	}
	return out;
}

/** The distinct values given to `attribute`, in voter order; "not set" is not a choice. */
export function valueChoices(byAnnotator: ReturnType<typeof attrsByAnnotator>, attribute: string): ValueChoice[] {
	const out: ValueChoice[] = [];
	for (const { name, attrs } of byAnnotator) {
		const v = own(attrs, attribute);
		if (v === undefined) continue;
		const same = out.find((c) => c.value === v);
		if (same) same.annotators.push(name);
		else out.push({ value: v, annotators: [name] });
	}
	return out;
}

/** The attributes on which the annotators who tagged the span do not all give the same value (unset counts). */
export function differingAttributes(byAnnotator: ReturnType<typeof attrsByAnnotator>, defs: readonly AttributeDef[]): string[] {
	if (byAnnotator.length < 2) return [];
	return defs
		.map((d) => d.name)
		.filter((name) => new Set(byAnnotator.map(({ attrs }) => JSON.stringify(own(attrs, name) ?? null))).size > 1);
}

/**
 * The values a span takes into gold when accepted from `lane`: that annotator's
 * (the lead chose the span there), else the first voter's who has it; only
 * attributes the label defines.
 */
export function attrsOnAccept(byAnnotator: ReturnType<typeof attrsByAnnotator>, lane: string, defs: readonly AttributeDef[]): Attrs | undefined {
	const chosen = byAnnotator.find((x) => x.name === lane) ?? byAnnotator[0];
	if (!chosen?.attrs) return undefined;
	const names = new Set(defs.map((d) => d.name));
	return normalizeAttrs(dict(Object.entries(chosen.attrs).filter(([k]) => names.has(k))));
}

/** `attrs` with one attribute set (or cleared, with undefined / ""): the stored form. */
export function withValue(attrs: Attrs | undefined, attribute: string, value: AttrValue | undefined): Attrs | undefined {
	const next = dict<AttrValue>(Object.entries(attrs ?? {}));
	if (value === undefined || value === '') delete next[attribute];
	else next[attribute] = value;
	return normalizeAttrs(next);
}

/**
 * What the lead can pick for one attribute, numbered 1…9 in the view: the values
 * annotators gave (in voter order, with who gave them), then for an enum its
 * other options and for a boolean the other truth value. Text and timex values
 * beyond the annotators' are typed (Enter in values mode).
 */
export function valueChoicesOf(def: AttributeDef, byAnnotator: ReturnType<typeof attrsByAnnotator>): ValueChoice[] {
	const given = valueChoices(byAnnotator, def.name);
	const more: AttrValue[] = def.type === 'enum' ? (def.options ?? []) : def.type === 'boolean' ? [true, false] : [];
	for (const v of more) if (!given.some((c) => c.value === v)) given.push({ value: v, annotators: [] });
	return given.slice(0, 9);
}
