/**
 * Changes of a dataset's schema (labels, attributes, options, relation types) that touch existing
 * work: what they would do (usage, impact), the rewrite of every set as a revision, and its journal
 * (`labelRewrite`), finished at the next start after a crash. The rule is at the top of ./datasets.ts.
 */
import { type DatasetAccess } from '../auth/access';
import { getDataset, getDocument, listDatasets, listDocumentHeaders, updateDataset, withCurrentLabels, withLabelChangeLock, type DatasetRecord, validateLabels, datasetSummaries, importSetsOf, loadSet } from '../store';
import { saveSet } from '../annotate/saveSet';
import { badRequest, conflict, isDomainError } from '../http/errors';
import { diffLabelSets, LabelChangeError, type LabelChange, type LabelImpact } from '../../model/labels';
import { GOLD } from '../../model/types';
import { dict, own, type Dict } from '../../model/dict';
import { AttributeChangeError, applyAttributeEdits, attributeEdits, spansTouchedBy, type AttributeEdit } from '../../model/attributes';
import { diffRelationTypes, disallowedRelations, relationTypeProblems, relationTypesOf, remapRelations, retypeRelations, type RelationTypeChange } from '../../model/relations';
import { spanId } from '../../model/spans';
import type { Label, Relation, RelationType, Span } from '../../model/types';
import { reservedName } from '../../model/dict';
import type { DatasetPatch } from './datasets';

export function checkRelationTypes(types: readonly RelationType[], labels: readonly Label[]): void {
	const problems = relationTypeProblems(types, labels);
	if (problems.length) throw badRequest(problems.slice(0, 10).join('; '));
}

export async function labelUsage(slug: string): Promise<Dict<{ spans: number; sets: number }>> {
	// keyed by label name: any name, `constructor` or `__proto__` included, is an own entry
	const usage = dict<{ spans: number; sets: number }>();
	for (const [docId, perDoc] of await datasetSummaries(slug)) {
		for (const [annotator, summary] of perDoc) {
			if (summary.spans === 0) continue;
			const set = await loadSet(slug, docId, annotator);
			const seen = new Set<string>();
			for (const span of set.spans) {
				const u = (usage[span.label] ??= { spans: 0, sets: 0 });
				u.spans++;
				if (!seen.has(span.label)) {
					u.sets++;
					seen.add(span.label);
				}
			}
		}
	}
	return usage;
}

/** Relations per type over the current annotation sets (gold included). */
export async function relationUsage(slug: string): Promise<Dict<number>> {
	const usage = dict<number>();
	for (const [docId, perDoc] of await datasetSummaries(slug)) {
		for (const [annotator, summary] of perDoc) {
			if (summary.spans < 2) continue;
			for (const r of (await loadSet(slug, docId, annotator)).relations ?? []) usage[r.label] = (own(usage, r.label) ?? 0) + 1;
		}
	}
	return usage;
}

/** What a new label set would change, with the spans it touches; throws 400 on an impossible rename. */
export async function labelImpact(access: DatasetAccess, labels: DatasetRecord['labels'], renames: Record<string, string> = {}): Promise<{ change: LabelChange; impact: LabelImpact }> {
	validateLabels(labels, access.dataset.labels);
	let change: LabelChange;
	try {
		change = diffLabelSets(access.dataset.labels, labels, renames);
	} catch (e) {
		if (e instanceof LabelChangeError) throw badRequest(e.message);
		throw e;
	}
	const usage = change.renamed.length || change.removed.length ? await labelUsage(access.dataset.slug) : dict<{ spans: number }>();
	return {
		change,
		impact: {
			renamed: change.renamed.map((r) => ({ ...r, spans: own(usage, r.from)?.spans ?? 0 })),
			removed: change.removed.map((name) => ({ name, spans: own(usage, name)?.spans ?? 0 })),
			added: change.added
		}
	};
}

/** What `updateDatasetAs` answers after a change that rewrote nothing. */
export const NOTHING_REWRITTEN = { sets: 0, renamed: 0, removed: 0 };

/** The rewrite's totals as answered: spans renamed and removed, and (when any) values and relations changed. */
function rewrittenTotals(t: { sets: number; renamed: number; removed: number; values: number; relationsRetyped: number; relationsRemoved: number }) {
	return {
		sets: t.sets,
		renamed: t.renamed,
		removed: t.removed,
		...(t.values ? { values: t.values } : {}),
		...(t.relationsRetyped ? { relationsRetyped: t.relationsRetyped } : {}),
		...(t.relationsRemoved ? { relationsRemoved: t.relationsRemoved } : {})
	};
}

/** Everything a change of the label set and relation types does to the stored work (see the rules at the top). */
export interface SchemaRewrite {
	labels: LabelChange;
	attributes: AttributeEdit[];
	relationTypes: RelationTypeChange;
	/** the relation types after the change: relations they do not allow go */
	types: RelationType[];
}

type SetParts = {
	spans: readonly Span[];
	rejected?: readonly Span[];
	relations?: readonly Relation[];
	dismissed?: AnnotationDismissed;
	rejectedRelations?: readonly string[];
};
type AnnotationDismissed = ReadonlyArray<{ start: number; end: number; label: string; source: string }>;

/** One set after a schema change, and what the change did to it. Pure; the same for the count and the rewrite. */
export function rewriteSet(set: SetParts, rewrite: SchemaRewrite) {
	const to = new Map(rewrite.labels.renamed.map((r) => [r.from, r.to]));
	const gone = new Set(rewrite.labels.removed);
	const values = rewrite.attributes.map(() => 0);
	let renamed = 0;
	let removed = 0;
	let touched = false;
	const mapSpan = (s: Span): Span | null => {
		if (gone.has(s.label)) return null;
		const label = to.get(s.label) ?? s.label;
		const attrs = applyAttributeEdits(label, s.attrs, rewrite.attributes);
		if (label === s.label && attrs === s.attrs) return s;
		rewrite.attributes.forEach((e, i) => (values[i] += spansTouchedBy([{ label, attrs: s.attrs }], e)));
		const { attrs: _old, ...rest } = s;
		return { ...rest, id: spanId({ start: s.start, end: s.end, label }), label, ...(attrs ? { attrs: attrs as Span['attrs'] } : {}) };
	};
	const mapped = set.spans.map((s) => {
		const next = mapSpan(s);
		if (next !== s) touched = true;
		if (next === null) removed++;
		else if (next.label !== s.label) renamed++;
		return next;
	});
	const spans = mapped.filter((s): s is Span => s !== null);
	const rejectedMapped = set.rejected?.map(mapSpan);
	const rejected = rejectedMapped?.filter((s): s is Span => s !== null);
	if (rejected && (rejected.length !== set.rejected!.length || rejected.some((s, i) => s !== set.rejected![i]))) touched = true;
	const rejectedRelations = set.rejectedRelations && rewriteRejectedRelations(set, mapped, rejectedMapped, rewrite.relationTypes);
	if (rejectedRelations && rejectedRelations.join('\n') !== set.rejectedRelations!.join('\n')) touched = true;
	// relations: types renamed or removed, ends re-pointed to the spans' new ids, what the types no longer allow
	const relationsRemoved = new Map<string, number>();
	const drop = (r: Relation) => relationsRemoved.set(r.label, (relationsRemoved.get(r.label) ?? 0) + 1);
	const before = set.relations ?? [];
	const retyped = retypeRelations(before, rewrite.relationTypes);
	for (const r of before) if (rewrite.relationTypes.removed.includes(r.label)) drop(r);
	const remapped = remapRelations(retyped.relations, set.spans, mapped);
	remapped.dropped.forEach(drop);
	const disallowed = new Set(disallowedRelations(remapped.relations, spans, rewrite.types).map((r) => r.id));
	for (const r of remapped.relations) if (disallowed.has(r.id)) drop(r);
	const relations = remapped.relations.filter((r) => !disallowed.has(r.id));
	if (relations.length !== before.length || relations.some((r, i) => r.id !== before[i].id)) touched = true;
	const dismissed = set.dismissed
		?.filter((d) => !gone.has(d.label))
		.map((d) => (to.has(d.label) ? { ...d, label: to.get(d.label)! } : d));
	if (dismissed && dismissed.some((d, i) => d !== set.dismissed![i])) touched = true;
	if (dismissed && dismissed.length !== set.dismissed!.length) touched = true;
	return { touched, spans, rejected, rejectedRelations, relations, dismissed, renamed, removed, values, relationsRetyped: retyped.renamed, relationsRemoved };
}

/**
 * Gold's rejected relation candidates (keys `${from}>${to}:${type}`) after a schema change: a removed
 * type's go, a renamed type's are renamed; an end that is a span gold holds (accepted or rejected)
 * follows it to its new id, or takes the key with it when the span goes. Other ends (annotators' spans)
 * cannot be told from their ids and stay as they are.
 */
function rewriteRejectedRelations(
	set: SetParts,
	mapped: ReadonlyArray<Span | null>,
	rejectedMapped: ReadonlyArray<Span | null> | undefined,
	change: RelationTypeChange
): string[] {
	const ends = new Map<string, string | null>();
	set.spans.forEach((s, i) => ends.set(s.id, mapped[i]?.id ?? null));
	set.rejected?.forEach((s, i) => ends.set(s.id, rejectedMapped?.[i]?.id ?? null));
	const to = new Map(change.renamed.map((r) => [r.from, r.to]));
	const gone = new Set(change.removed);
	const out: string[] = [];
	for (const key of set.rejectedRelations ?? []) {
		const [from, rest] = [key.slice(0, 17), key.slice(18)];
		const [toEnd, type] = [rest.slice(0, 17), rest.slice(18)];
		if (gone.has(type)) continue;
		const a = ends.has(from) ? ends.get(from)! : from;
		const b = ends.has(toEnd) ? ends.get(toEnd)! : toEnd;
		if (a === null || b === null) continue;
		out.push(`${a}>${b}:${to.get(type) ?? type}`);
	}
	return out;
}

/** The label set, relation types and rewrite a PATCH asks for, checked against the dataset as it is (400 on anything impossible). */
export function planSchemaChange(current: DatasetRecord, patch: DatasetPatch) {
	const labels = patch.labels ?? current.labels;
	const renames = patch.renames ?? {};
	for (const [from, to] of Object.entries(renames)) {
		const reserved = reservedName(from) ?? reservedName(to);
		if (reserved) throw badRequest(`renames: ${reserved}`);
	}
	validateLabels(labels, current.labels);
	let change: LabelChange;
	let edits: AttributeEdit[];
	try {
		change = diffLabelSets(current.labels, labels, renames);
		edits = attributeEdits(current.labels, labels, renames, patch.attributeRenames ?? {}, patch.optionRenames ?? {});
	} catch (e) {
		if (e instanceof LabelChangeError || e instanceof AttributeChangeError) throw badRequest(e.message);
		throw e;
	}
	const labelTo = new Map(change.renamed.map((r) => [r.from, r.to]));
	const oldTypes = relationTypesOf(current);
	// Relation types left out follow the label renames; a removed label leaves their `from`/`to`, and a
	// type left without either goes (its relations with it: counted, and refused without `force`, below).
	// (A label that is not in the new set at all, removed now or by hand in old data, is a removed one.)
	const newNames = new Set(labels.map((l) => l.name));
	const follow = (list: string[]) => list.map((l) => labelTo.get(l) ?? l).filter((l) => newNames.has(l));
	const types =
		patch.relationTypes ??
		oldTypes.flatMap((t) => {
			const from = follow(t.from);
			const to = follow(t.to);
			return from.length && to.length ? [{ ...t, from, to }] : [];
		});
	checkRelationTypes(types, labels);
	const typeRenames = patch.relationTypeRenames ?? {};
	const oldTypeNames = new Set(oldTypes.map((t) => t.name));
	const newTypeNames = new Set(types.map((t) => t.name));
	for (const [from, to] of Object.entries(typeRenames)) {
		const reserved = reservedName(from) ?? reservedName(to);
		if (reserved) throw badRequest(`relationTypeRenames: ${reserved}`);
		if (from === to) continue;
		if (!oldTypeNames.has(from)) throw badRequest(`cannot rename relation type "${from}": there is no such relation type`);
		if (newTypeNames.has(from)) throw badRequest(`cannot rename relation type "${from}" to "${to}": "${from}" is still in the new relation types`);
		if (!newTypeNames.has(to)) throw badRequest(`cannot rename relation type "${from}" to "${to}": "${to}" is not in the new relation types`);
		if (oldTypeNames.has(to)) throw badRequest(`cannot rename relation type "${from}" to "${to}": "${to}" already exists`);
	}
	const relationTypes = diffRelationTypes(oldTypes, types, typeRenames);
	return { labels, types, rewrite: { labels: change, attributes: edits, relationTypes, types } satisfies SchemaRewrite };
}

/**
 * Whether the stored work needs a look: anything renamed or removed, or a relation
 * type that allows less than before (a label taken out of its `from` or `to`).
 * Adding types, or labels to a type, changes no stored relation: no pass over the sets.
 */
export function needsRewrite(rewrite: SchemaRewrite, oldTypes: readonly RelationType[]): boolean {
	if (rewrite.labels.renamed.length + rewrite.labels.removed.length + rewrite.attributes.length > 0) return true;
	if (rewrite.relationTypes.renamed.length + rewrite.relationTypes.removed.length > 0) return true;
	const now = new Map(rewrite.types.map((t) => [t.name, t]));
	return oldTypes.some((t) => {
		const next = now.get(t.name);
		return !next || t.from.some((l) => !next.from.includes(l)) || t.to.some((l) => !next.to.includes(l));
	});
}

/** What a schema change would do to the current sets (gold included, imported pre-annotations not), counted. */
export async function schemaImpact(slug: string, rewrite: SchemaRewrite) {
	const values = rewrite.attributes.map(() => 0);
	const relationsRemoved = dict<number>();
	let relationsRetyped = 0;
	for (const [docId, perDoc] of await datasetSummaries(slug)) {
		for (const [annotator, summary] of perDoc) {
			if (summary.spans === 0) continue;
			const result = rewriteSet(await loadSet(slug, docId, annotator), rewrite);
			result.values.forEach((n, i) => (values[i] += n));
			relationsRetyped += result.relationsRetyped;
			for (const [type, n] of result.relationsRemoved) relationsRemoved[type] = (own(relationsRemoved, type) ?? 0) + n;
		}
	}
	return {
		attributes: rewrite.attributes.map((e, i) => ({ ...e, spans: values[i] })).filter((e) => e.spans > 0),
		relationTypes: {
			renamed: rewrite.relationTypes.renamed,
			removed: rewrite.relationTypes.removed,
			/** relations that go, by type (a type removed, a pair the types no longer allow, an end's label removed) */
			relationsRemoved,
			relationsRetyped
		}
	};
}

/** What a change of labels and relation types would do (labels, values, relations), for the settings page's confirmation. */
export async function schemaChangeImpact(access: DatasetAccess, patch: DatasetPatch) {
	const plan = planSchemaChange(access.dataset, patch);
	const { impact } = await labelImpact(access, plan.labels, patch.renames ?? {});
	const more = needsRewrite(plan.rewrite, relationTypesOf(access.dataset))
		? await schemaImpact(access.dataset.slug, plan.rewrite)
		: { attributes: [], relationTypes: { renamed: [], removed: [], relationsRemoved: dict<number>(), relationsRetyped: 0 } };
	return { ...impact, ...more };
}

function describeEdit(e: AttributeEdit & { spans: number }): string {
	const where = `attribute "${e.attribute}" of label "${e.label}"`;
	const what =
		e.kind === 'rename'
			? `${where} (renamed to "${e.to}")`
			: e.kind === 'remove'
				? `${where}${e.reason === 'retyped' ? ' (its type changes)' : ''}`
				: e.kind === 'renameOption'
					? `option "${e.option}" of ${where} (renamed to "${e.to}")`
					: `option "${e.option}" of ${where}`;
	return `${what}: ${e.spans} span${e.spans === 1 ? '' : 's'}`;
}

export async function finishPendingLabelChange(slug: string): Promise<void> {
	if ((await getDataset(slug)).labelRewrite) await finishLabelRewrite(slug);
}

/**
 * Stored values a change would take away (an attribute or enum option removed,
 * an attribute's type changed) and relations it would remove are refused while
 * current sets hold them, unless the change says `force`: then they go, as a
 * revision of each set. Renames are rewritten without asking (as label renames);
 * the settings page asks first, with these counts.
 */
export async function refuseRemovalsInUse(slug: string, rewrite: SchemaRewrite) {
	const impact = await schemaImpact(slug, rewrite);
	const removals = impact.attributes.filter((e) => e.kind === 'remove' || e.kind === 'removeOption');
	if (removals.length) {
		throw conflict(
			`attribute values still in use: ${removals.map(describeEdit).join('; ')}. Send "force": true to remove those values from the current annotations (their history is kept), or rename them ("attributeRenames", "optionRenames")`,
			{ attributesInUse: removals }
		);
	}
	const relations = Object.entries(impact.relationTypes.relationsRemoved).filter(([, n]) => n > 0);
	if (relations.length) {
		throw conflict(
			`relations still in use: ${relations.map(([type, n]) => `"${type}" (${n} relation${n === 1 ? '' : 's'})`).join(', ')} would be removed ` +
				`(their type is removed, or no longer allows the labels of their ends); send "force": true to remove them from the current annotations (their history is kept), or rename the type ("relationTypeRenames")`,
			{ relationsInUse: dict(relations) }
		);
	}
}

export const REWRITE_STOPPED =
	'the new labels are saved, but applying them to the existing annotations stopped halfway ' +
	'(it is finished by the next label change or start)';

/** Applies the dataset's pending label rewrite to the existing work, then clears it. */
export async function finishLabelRewrite(slug: string) {
	const dataset = await getDataset(slug);
	const pending = dataset.labelRewrite;
	if (!pending) return NOTHING_REWRITTEN;
	const rewrite: SchemaRewrite = {
		labels: { renamed: pending.renamed, removed: pending.removed, added: [] },
		attributes: pending.attributes ?? [],
		relationTypes: pending.relationTypes ?? { renamed: [], removed: [] },
		// the types written with the journal entry: what the relations must fit
		types: relationTypesOf(dataset)
	};
	const totals = await rewriteLabels(slug, pending.by, rewrite);
	await updateDataset(slug, (d) => {
		delete d.labelRewrite;
	});
	return totals;
}

/** At start: finish the label rewrites a stopped server left halfway. Returns the slugs it finished. */
export async function resumeLabelRewrites(): Promise<string[]> {
	const finished: string[] = [];
	for (const dataset of await listDatasets()) {
		if (!dataset.labelRewrite) continue;
		await withLabelChangeLock(dataset.slug, () => finishLabelRewrite(dataset.slug));
		finished.push(dataset.slug);
	}
	return finished;
}

/** Apply a schema change to every current set it touches, each as a new revision by `by`. */
async function rewriteLabels(slug: string, by: string, rewrite: SchemaRewrite) {
	const totals = { sets: 0, renamed: 0, removed: 0, values: 0, relationsRetyped: 0, relationsRemoved: 0 };
	const summaries = await datasetSummaries(slug);
	for (const { id: docId } of await listDocumentHeaders(slug)) {
		const perDoc = summaries.get(docId);
		// gold may hold rejections without spans, so it is always looked at; imported pre-annotations too
		const annotators = [
			...[...(perDoc?.values() ?? [])].filter((s) => s.spans > 0 || s.annotator === GOLD).map((s) => s.annotator),
			...(await importSetsOf(slug, docId)).filter((s) => s.spans > 0).map((s) => s.annotator)
		];
		if (!annotators.length) continue;
		const doc = await getDocument(slug, docId);
		for (const annotator of annotators) {
			// an annotator saving at the same moment makes our base stale: reload and retry
			for (let attempt = 0; ; attempt++) {
				const set = await loadSet(slug, docId, annotator);
				const next = rewriteSet(set, rewrite);
				if (!next.touched) break;
				try {
					await withCurrentLabels(slug, (current) =>
						saveSet(slug, doc, annotator, by, current, {
							baseRevision: set.revision,
							spans: next.spans,
							status: set.status,
							rejected: next.rejected,
							...(next.rejectedRelations ? { rejectedRelations: next.rejectedRelations } : {}),
							relations: next.relations.map((r) => ({ from: r.from, to: r.to, label: r.label })),
							relationTypes: rewrite.types,
							...(next.dismissed ? { dismissed: [...next.dismissed] } : {})
						})
					);
					totals.sets++;
					totals.renamed += next.renamed;
					totals.removed += next.removed;
					totals.values += next.values.reduce((a, b) => a + b, 0);
					totals.relationsRetyped += next.relationsRetyped;
					for (const n of next.relationsRemoved.values()) totals.relationsRemoved += n;
					break;
				} catch (e) {
					if (!(isDomainError(e) && e.status === 409) || attempt >= 4) throw e;
				}
			}
		}
	}
	return rewrittenTotals(totals);
}
