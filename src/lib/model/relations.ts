/**
 * Relations between spans, and the relation types of a dataset that allow them.
 * One module owns both (as ./attributes.ts owns span attributes): the settings,
 * the API, the store, the annotation view, review, agreement and the formats
 * import from here. Pure.
 *
 * A relation type is `{name, key, from: [labels], to: [labels]}`, directed: a
 * relation of that type goes from a span whose label is in `from` to a span
 * whose label is in `to`. A stored relation is `{id, from, to, label}` with
 * span ids of the same set and `id = relationId(from, to, label)`: like a span,
 * a relation is what it connects, so the same link made twice is one relation.
 *
 * A span's id changes with its label or boundaries (./spans.ts), so whoever
 * edits spans re-points their relations (`remapRelations`); the server never
 * drops a relation silently (a save whose relations name a span that is not in
 * it is refused, see `validateRelations`).
 *
 * Over 400 lines by design: one module owns relations and their types, as
 * ./attributes.ts owns attributes; its parts (the type schema, validation,
 * endpoint resolution, re-pointing on span edits, type renames) share the
 * endpoint rules and are imported from here by every layer.
 */
import { z } from 'zod';
import { DEFAULT_RELATION_TYPES, type Relation, type RelationType, type SpanInput } from './types';
import { fnv1a64Hex, spanId } from './spans';
import { reservedName } from './dict';
import { UNREVIEWED_PREFIX } from '../suggest/settings';

/**
 * Keys a relation type cannot take: the annotation view's own (J/K move through
 * the queue, U and Z undo, R starts a link and waits for a type's key, A accepts
 * and X dismisses a suggestion); a label's key is refused too (`relationTypeProblems`).
 */
export const RELATION_RESERVED_KEYS = ['j', 'k', 'u', 'z', 'r', 'a', 'x'] as const;

/** Relations in one set (and in one save); a save with more is refused with this number. */
export const MAX_RELATIONS = 20_000;

/** 'r' + FNV-1a 64 (as spanId) of `${from}>${to}:${label}`: the same link, the same id, on client and server and in Python. */
export function relationId(from: string, to: string, label: string): string {
	const key = `${from}>${to}:${label}`;
	let id = recentIds.get(key);
	if (id === undefined) {
		id = 'r' + fnv1a64Hex(key);
		if (recentIds.size >= RECENT_IDS) recentIds.clear();
		recentIds.set(key, id);
	}
	return id;
}

/**
 * Ids computed lately, by key: every save of a set sends its relations again, and a
 * lookup (the engine's own string hash) costs less than the FNV loop in JavaScript
 * (1,000 relations: ~0.5 ms a save). Bounded; an id is a pure function of its key.
 */
const recentIds = new Map<string, string>();
const RECENT_IDS = 50_000;

// stored NFC and trimmed, as label names; `__proto__` refused (./dict.ts)
const relationTypeName = z
	.string()
	.trim()
	.normalize('NFC')
	.min(1, 'relation type name is required')
	.max(64)
	.regex(/^[\p{L}\p{N}_-][\p{L}\p{N} _.:/-]*$/u, 'relation type name: letters, digits, spaces and _ - . : / only')
	.refine((name) => reservedName(name) === null, { error: (issue) => `relation type name ${reservedName(String(issue.input))}` });

const endpointLabel = z
	.string()
	.trim()
	.normalize('NFC')
	.min(1, 'a label name cannot be empty')
	.max(64)
	.refine((name) => reservedName(name) === null, { error: (issue) => `label ${reservedName(String(issue.input))}` });

export const relationTypeSchema = z
	.object({
		name: relationTypeName,
		key: z
			.string()
			.trim()
			.toLowerCase()
			.max(1)
			.regex(/^[a-z0-9]?$/, 'relation type key: a single lowercase letter or digit (or empty)')
			.refine((k) => !(RELATION_RESERVED_KEYS as readonly string[]).includes(k), {
				message: `relation type key: ${RELATION_RESERVED_KEYS.join(', ')} are reserved by the annotation view`
			})
			.default(''),
		from: z.array(endpointLabel).min(1, 'a relation type needs at least one "from" label').max(50),
		to: z.array(endpointLabel).min(1, 'a relation type needs at least one "to" label').max(50)
	})
	// one stored shape: each label once, in the order given
	.transform((t): RelationType => ({ name: t.name, key: t.key, from: [...new Set(t.from)], to: [...new Set(t.to)] }));

export const relationTypesSchema = z
	.array(relationTypeSchema)
	.max(20, 'at most 20 relation types')
	.superRefine((list, ctx) => {
		const names = new Set<string>();
		const keys = new Set<string>();
		for (const t of list) {
			if (names.has(t.name)) ctx.addIssue({ code: 'custom', message: `relation type "${t.name}" appears twice` });
			if (t.key && keys.has(t.key)) ctx.addIssue({ code: 'custom', message: `key "${t.key}" is used by two relation types` });
			names.add(t.name);
			if (t.key) keys.add(t.key);
		}
	});

/**
 * What is wrong with relation types against the label set they live beside:
 * endpoint labels that are not labels, keys that a label already has. Empty
 * when they fit. (Shape, names and keys among themselves: `relationTypesSchema`.)
 */
export function relationTypeProblems(
	types: readonly RelationType[],
	labels: ReadonlyArray<{ name: string; key: string }>
): string[] {
	const names = new Set(labels.map((l) => l.name));
	const labelKeys = new Map(labels.filter((l) => l.key).map((l) => [l.key, l.name]));
	const problems: string[] = [];
	for (const t of types) {
		for (const side of ['from', 'to'] as const) {
			for (const label of t[side]) {
				if (!names.has(label)) problems.push(`relation type "${t.name}": "${side}" label "${label}" is not a label of the dataset`);
			}
		}
		const clash = t.key ? labelKeys.get(t.key) : undefined;
		if (clash !== undefined) problems.push(`relation type "${t.name}": key "${t.key}" is the key of label "${clash}"`);
	}
	return problems;
}

/** The default relation types that fit a label set (all of their labels are in it): a new dataset's. */
export function defaultRelationTypes(labels: ReadonlyArray<{ name: string }>): RelationType[] {
	const names = new Set(labels.map((l) => l.name));
	return structuredClone(DEFAULT_RELATION_TYPES.filter((t) => [...t.from, ...t.to].every((l) => names.has(l))));
}

/** Relation types as the API shows them: every dataset has a list (`[]` for one saved before relations existed). */
export function relationTypesOf(dataset: { relationTypes?: RelationType[] }): RelationType[] {
	return dataset.relationTypes ?? [];
}

/** A relation as a client sends it: endpoints are indexes into the same request's spans, or those spans' ids. */
export interface RelationInput {
	from: number | string;
	to: number | string;
	label: string;
}

export type RelationProblem = { index: number; message: string };

/**
 * Checks relations against the spans of the same save (in request order, as
 * `validateSpans` saw them) and the dataset's relation types: each endpoint is a
 * span of the request (index in range, or the id of one of them), the type is
 * known, the labels of both ends are a pair the type allows, no span is related
 * to itself, no relation is given twice. Messages name the relation by its
 * index: `relation 3: "source-of" goes from attribution to claim, not from claim to date`.
 * Linear in spans + relations.
 */
export function validateRelations(
	spans: readonly SpanInput[],
	relations: readonly RelationInput[],
	types: readonly RelationType[],
	labels?: readonly string[]
): RelationProblem[] {
	return checkRelations(spans, relations, types, labels).problems;
}

/**
 * `validateRelations` and, when there is no problem, the stored relations
 * (endpoints as span ids) in one pass; sorted (`sortRelations`) over `ordered`
 * when given (the materialised spans), else in input order.
 */
export function checkRelations(
	spans: readonly SpanInput[],
	relations: readonly unknown[],
	/** null: the types are not checked (relations that passed the checks before, being resolved) */
	types: readonly RelationType[] | null,
	labels?: readonly string[],
	ordered?: ReadonlyArray<{ id: string }>,
	/** materializeSpans's `positions` for `spans` into `ordered`: ends' ids and the order come from them, without a hash or a lookup per end */
	positions?: Int32Array
): { problems: RelationProblem[]; relations: Relation[] } {
	const problems: RelationProblem[] = [];
	const byName = new Map((types ?? []).map((t) => [t.name, { from: new Set(t.from), to: new Set(t.to), type: t }]));
	const known = types?.length ? `known: ${types.map((t) => t.name).join(', ')}` : 'this dataset has no relation types';
	const knownLabels = labels ? new Set(labels) : null;
	const ends = endpointResolver(spans, ordered && positions ? (i) => ordered[positions[i]].id : undefined);
	const keys: number[] = [];
	// relation id → index of the relation that has it (an id is its ends and label: the same id, the same relation)
	const seen = new Map<string, number>();
	const resolved: Relation[] = [];
	// This runs on every save of a set with relations (1,000 of them on a 2,000-span article): no
	// allocation per relation beyond its stored form, one hash per relation, the ends' ids computed once.
	for (let index = 0; index < relations.length; index++) {
		const relation = relations[index] as RelationInput;
		if (typeof relation !== 'object' || relation === null || Array.isArray(relation)) {
			problems.push({ index, message: `relation ${index}: must be an object {from, to, label}` });
			continue;
		}
		const f = ends.index(relation.from);
		const t = ends.index(relation.to);
		if (f < 0) problems.push({ index, message: `relation ${index}: ${ends.problem(relation.from, 'from')}` });
		if (t < 0) problems.push({ index, message: `relation ${index}: ${ends.problem(relation.to, 'to')}` });
		const label = relation.label;
		const type = typeof label === 'string' ? (types ? byName.get(label) : ANY_TYPE) : undefined;
		if (!type) problems.push({ index, message: `relation ${index}: unknown relation type ${JSON.stringify(label)?.slice(0, 80) ?? String(label)} (${known})` });
		if (f < 0 || t < 0) continue;
		const fromId = ends.id(f);
		const toId = ends.id(t);
		if (fromId === toId) {
			problems.push({ index, message: `relation ${index}: a span cannot be related to itself (span ${f}${f !== t ? ` and span ${t} are the same span` : ''})` });
			continue;
		}
		if (!type) continue;
		const fromLabel = spans[f].label;
		const toLabel = spans[t].label;
		if (knownLabels && (!knownLabels.has(fromLabel) || !knownLabels.has(toLabel))) continue; // the span's own problem (validateSpans)
		if (type !== ANY_TYPE && (!type.from.has(fromLabel) || !type.to.has(toLabel))) {
			problems.push({
				index,
				message: `relation ${index}: "${type.type.name}" goes from ${type.type.from.join(' or ')} to ${type.type.to.join(' or ')}, not from ${fromLabel} (span ${f}) to ${toLabel} (span ${t})`
			});
			continue;
		}
		const id = relationId(fromId, toId, label);
		const earlier = seen.get(id);
		if (earlier !== undefined) {
			problems.push({ index, message: `relation ${index}: the same relation as relation ${earlier} (send each relation once)` });
			continue;
		}
		seen.set(id, index);
		if (!problems.length) {
			resolved.push({ id, from: fromId, to: toId, label });
			if (positions) keys.push(positions[f] * (spans.length + 1) + positions[t]);
		}
	}
	if (problems.length) return { problems: problems.sort((a, b) => a.index - b.index), relations: [] };
	if (!ordered) return { problems, relations: resolved };
	return { problems, relations: positions ? sortByKeys(resolved, keys) : sortRelations(resolved, ordered) };
}

/** Relations in sortRelations order, given each one's (from position, to position) as one number: checked in one pass, sorted only when out of order. */
function sortByKeys(relations: Relation[], keys: readonly number[]): Relation[] {
	let sorted = true;
	for (let i = 1; i < relations.length && sorted; i++) {
		if (keys[i] < keys[i - 1] || (keys[i] === keys[i - 1] && compareStrings(relations[i - 1].label, relations[i].label) > 0)) sorted = false;
	}
	if (sorted) return relations;
	const order = Array.from({ length: relations.length }, (_, i) => i);
	order.sort((a, b) => keys[a] - keys[b] || compareStrings(relations[a].label, relations[b].label));
	return order.map((i) => relations[i]);
}

/** Stands for any type when types are not checked (checkRelations with `types` null). */
const ANY_TYPE = { from: new Set<string>(), to: new Set<string>(), type: { name: '', key: '', from: [], to: [] } as RelationType };

/**
 * Endpoints of relations as spans of the request: an index, or a span id. `index`
 * is the span's index (-1: not one; `problem` says why), `id` its span id
 * (computed once per span, on first need; equal spans resolve to the first).
 */
function endpointResolver(spans: readonly SpanInput[], known?: (i: number) => string) {
	let byId: Map<string, number> | null = null;
	const ids: Array<string | undefined> = new Array(spans.length).fill(undefined);
	const id = known ?? ((i: number): string => ids[i] ?? (ids[i] = spanId(spans[i])));
	const lookup = (end: string) => {
		if (!byId) {
			byId = new Map();
			// the first of equal spans, as materializeSpans keeps it
			for (let i = spans.length - 1; i >= 0; i--) byId.set(id(i), i);
		}
		return byId.get(end) ?? -1;
	};
	return {
		id,
		index(end: unknown): number {
			if (typeof end === 'number') return Number.isInteger(end) && end >= 0 && end < spans.length ? end : -1;
			return typeof end === 'string' ? lookup(end) : -1;
		},
		problem(end: unknown, side: 'from' | 'to'): string {
			if (typeof end === 'number') {
				if (!Number.isInteger(end)) return `${side} ${end} is not a whole number (a span index or a span id)`;
				return `${side} ${end} is out of range (the request has ${spans.length} span${spans.length === 1 ? '' : 's'}: 0 to ${spans.length - 1})`;
			}
			if (typeof end === 'string') {
				return `${side} ${JSON.stringify(end.slice(0, 40))} is not the id of a span of this save (a span that was deleted or relabelled: drop or re-point its relations)`;
			}
			return `${side} must be a span index or a span id, got ${end === null ? 'null' : Array.isArray(end) ? 'an array' : typeof end}`;
		}
	};
}

/**
 * The stored relations of relations that passed `validateRelations` against the
 * same `spans` (endpoints resolved to span ids), in `sortRelations` order over
 * `ordered` (the materialised spans).
 */
export function resolveRelations(spans: readonly SpanInput[], relations: readonly RelationInput[], ordered: ReadonlyArray<{ id: string }>): Relation[] {
	const { problems, relations: resolved } = checkRelations(spans, relations, null, undefined, ordered);
	if (problems.length) throw new RangeError(`resolveRelations: relations must pass validateRelations first (${problems[0].message})`);
	return resolved;
}

function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Relations in their one order: by the position of the `from` span in `spans`
 * (the set's spans, in compareSpans order), then of the `to` span, then label
 * (code units). Relations whose ends are not in `spans` come last, by id.
 */
export function sortRelations<R extends { from: string; to: string; label: string; id?: string }>(
	relations: readonly R[],
	spans: ReadonlyArray<{ id: string }>
): R[] {
	const n = relations.length;
	if (n < 2) return relations.slice();
	const position = new Map<string, number>();
	for (let i = 0; i < spans.length; i++) position.set(spans[i].id, i);
	const missing = spans.length; // ends not in `spans` sort last
	// one number per relation for the two positions (exact below 2^53), labels only for ties
	const keys = new Float64Array(n);
	let sorted = true;
	for (let i = 0; i < n; i++) {
		const r = relations[i];
		keys[i] = (position.get(r.from) ?? missing) * (missing + 1) + (position.get(r.to) ?? missing);
		if (sorted && i > 0 && (keys[i] < keys[i - 1] || (keys[i] === keys[i - 1] && tieOrder(relations[i - 1], r) > 0))) sorted = false;
	}
	// what a client sends back from a GET is in order already: checked in one pass, not sorted again
	if (sorted) return relations.slice();
	const order = Array.from({ length: n }, (_, i) => i);
	order.sort((a, b) => keys[a] - keys[b] || tieOrder(relations[a], relations[b]));
	return order.map((i) => relations[i]);
}

/** Relations at the same two positions: by label, then (ends missing from the spans) by their ids. */
function tieOrder(a: { from: string; to: string; label: string }, b: { from: string; to: string; label: string }): number {
	return compareStrings(a.label, b.label) || compareStrings(a.from, b.from) || compareStrings(a.to, b.to);
}

/**
 * Relations re-pointed after an edit of spans: `oldSpans[i]` became `newSpans[i]`
 * (null: deleted). A relation whose end was deleted, or whose two ends became one
 * span, is returned in `dropped` (for the caller to say so, or undo); two that
 * became the same relation are one. Ends not in `oldSpans` stay as they are.
 * Ids are recomputed; the order is `sortRelations` over `spans` when given.
 */
export function remapRelations(
	relations: readonly Relation[],
	oldSpans: ReadonlyArray<{ id: string } | SpanInput>,
	newSpans: ReadonlyArray<{ id: string } | SpanInput | null>,
	spans?: ReadonlyArray<{ id: string }>
): { relations: Relation[]; dropped: Relation[] } {
	const idOf = (s: { id: string } | SpanInput) => ('id' in s && typeof s.id === 'string' ? s.id : spanId(s as SpanInput));
	const map = new Map<string, string | null>();
	oldSpans.forEach((s, i) => {
		const next = newSpans[i];
		map.set(idOf(s), next ? idOf(next) : null);
	});
	const kept: Relation[] = [];
	const dropped: Relation[] = [];
	const seen = new Set<string>();
	for (const r of relations) {
		const from = map.has(r.from) ? map.get(r.from)! : r.from;
		const to = map.has(r.to) ? map.get(r.to)! : r.to;
		if (from === null || to === null || from === to) {
			dropped.push(r);
			continue;
		}
		const id = relationId(from, to, r.label);
		if (seen.has(id)) continue;
		seen.add(id);
		kept.push({ id, from, to, label: r.label });
	}
	return { relations: spans ? sortRelations(kept, spans) : kept, dropped };
}

/**
 * Relations whose type no longer allows the labels of their ends (after a
 * relabel, or a change of the relation types), or whose type is gone; `spans`:
 * the set's spans (ids and labels).
 */
export function disallowedRelations(
	relations: readonly Relation[],
	spans: ReadonlyArray<{ id: string; label: string }>,
	types: readonly RelationType[]
): Relation[] {
	const labelOf = new Map(spans.map((s) => [s.id, s.label]));
	const byName = new Map(types.map((t) => [t.name, t]));
	return relations.filter((r) => {
		const t = byName.get(r.label);
		const from = labelOf.get(r.from);
		const to = labelOf.get(r.to);
		return !t || from === undefined || to === undefined || !t.from.includes(from) || !t.to.includes(to);
	});
}

/** Relations per type name (for the manifest, confirmations), keys in code unit order. */
export function countRelationsByType(relations: Iterable<{ label: string }>): Map<string, number> {
	const counts = new Map<string, number>();
	for (const r of relations) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
	return new Map([...counts].sort(([a], [b]) => compareStrings(a, b)));
}

/** What a new list of relation types does to the old one: renames are explicit (old → new name). */
export interface RelationTypeChange {
	renamed: Array<{ from: string; to: string }>;
	removed: string[];
}

/** Renames and removals between two lists of relation types (`renames`: old → new names, as label renames). */
export function diffRelationTypes(
	before: readonly RelationType[],
	after: readonly RelationType[],
	renames: Readonly<Record<string, string>> = {}
): RelationTypeChange {
	const oldNames = new Set(before.map((t) => t.name));
	const newNames = new Set(after.map((t) => t.name));
	const renamed: RelationTypeChange['renamed'] = [];
	for (const from of Object.keys(renames)) {
		const to = renames[from];
		if (from === to || !oldNames.has(from) || newNames.has(from) || !newNames.has(to) || oldNames.has(to)) continue;
		renamed.push({ from, to });
	}
	const renamedFrom = new Set(renamed.map((r) => r.from));
	return { renamed, removed: [...oldNames].filter((n) => !newNames.has(n) && !renamedFrom.has(n)) };
}

/** Relations with types renamed and removed ones dropped; ids recomputed. Says how many of each it did. */
export function retypeRelations(
	relations: readonly Relation[],
	change: RelationTypeChange
): { relations: Relation[]; renamed: number; removed: number } {
	const to = new Map(change.renamed.map((r) => [r.from, r.to]));
	const gone = new Set(change.removed);
	let renamed = 0;
	let removed = 0;
	const out: Relation[] = [];
	for (const r of relations) {
		if (gone.has(r.label)) {
			removed++;
			continue;
		}
		const next = to.get(r.label);
		if (next === undefined) out.push(r);
		else {
			renamed++;
			out.push({ id: relationId(r.from, r.to, next), from: r.from, to: r.to, label: next });
		}
	}
	return { relations: out, renamed, removed };
}

/** The longest `spans[].source` kept. */
export const MAX_SOURCE_CHARS = 200;
// UNREVIEWED_PREFIX + a source: a span correction mode put in a set, not yet reviewed (issue #18, $lib/suggest/settings)
const SOURCE_RE = new RegExp(`^(?:${UNREVIEWED_PREFIX})?(?:dates|lexicon|cues|(?:import|run)~[^\\s\\p{Cc}]+)$`, 'u');

/** Why `source` is not a span source (`dates`, `lexicon`, `cues`, `import~<name>`, `run~<name>`), or null. */
export function spanSourceProblem(source: unknown): string | null {
	if (typeof source !== 'string') return `source must be a string, got ${source === null ? 'null' : typeof source}`;
	if (source.length > MAX_SOURCE_CHARS) return `source is longer than ${MAX_SOURCE_CHARS} characters`;
	if (!SOURCE_RE.test(source)) {
		return `source ${JSON.stringify(source.slice(0, 64))} is not one of dates, lexicon, cues, import~<name>, run~<name>`;
	}
	return null;
}

/** A JSON field of a form: what is not JSON (or too long) stays a string, which the schema then refuses ("expected array"). */
function jsonField(value: FormDataEntryValue | null): unknown {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	if (value.length > 200_000) return 'too long';
	try {
		return JSON.parse(value);
	} catch {
		return 'not JSON';
	}
}

/**
 * The label editor's fields beyond the labels (RelationTypeEditor and each
 * row's AttributeEditor): relation types, their renames, and each row's
 * attribute and option renames keyed by the row's (new) label name. Unchecked:
 * the server parses the result with the dataset PATCH schema. A form without a
 * field leaves that part out (a script using the older form keeps the types).
 */
export function schemaFieldsFromForm(form: FormData, labelNames: readonly string[]) {
	const fields: { relationTypes?: unknown; relationTypeRenames?: unknown; attributeRenames?: unknown; optionRenames?: unknown } = {};
	if (form.has('relationTypes')) fields.relationTypes = jsonField(form.get('relationTypes')) ?? [];
	if (form.has('relationTypeRenames')) fields.relationTypeRenames = jsonField(form.get('relationTypeRenames')) ?? {};
	if (form.has('attributeRenames')) {
		const rows = form.getAll('attributeRenames');
		const attributes = new Map<string, unknown>();
		const options = new Map<string, unknown>();
		labelNames.forEach((name, i) => {
			const row = jsonField(rows[i] ?? null) as { attributes?: unknown; options?: unknown } | undefined;
			if (!row || typeof row !== 'object') return;
			if (row.attributes && Object.keys(row.attributes).length) attributes.set(name, row.attributes);
			if (row.options && Object.keys(row.options).length) options.set(name, row.options);
		});
		// prototype-free: label names are any names (`constructor`…)
		if (attributes.size) fields.attributeRenames = Object.assign(Object.create(null), Object.fromEntries(attributes));
		if (options.size) fields.optionRenames = Object.assign(Object.create(null), Object.fromEntries(options));
	}
	return fields;
}
