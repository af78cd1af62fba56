/**
 * Dataset management use cases (leads): create, settings, labels, members.
 *
 * Label renames and removals touch existing work. The rule:
 *  - a rename rewrites every current annotation set that uses the old name, as a
 *    new revision by the lead (status and time untouched), so the revision log
 *    records who renamed what and when;
 *  - a removal is refused (409, with the number of spans per label) while
 *    current sets use the label, unless `force` is given; then those spans are
 *    removed from the current sets the same way, as a new revision by the lead.
 *    The revision logs keep every earlier state, spans included.
 *  - the lead's rejections in gold sets follow the same renames and removals;
 *    they never keep a label in use (a rejection is not an annotation);
 *  - imported pre-annotations (`import~<source>` sets) follow them too;
 *  - the new labels and the pending rewrite are written together (see
 *    `labelRewrite` in the dataset record); a server stopped halfway takes the
 *    rewrite up again at its next start (`resumeLabelRewrites`), so no set is
 *    left with a label the dataset no longer has.
 *  - attributes, enum options and relation types go the same way: a rename
 *    (`attributeRenames`, `optionRenames`, `relationTypeRenames`) rewrites the
 *    values and relations that use it; a removal of one in use is refused (409,
 *    with counts) unless `force` is given, then the values or relations go, as a
 *    revision. Relations follow their spans' new ids, and relations the new
 *    relation types no longer allow (a type removed, a label taken out of its
 *    `from`/`to`, an end's label removed) go with them. All of it is one journal
 *    entry (`labelRewrite`), finished at the next start after a crash.
 */
import { PUNCTUATION_RULES } from '../../annotate/punctuationSnap';
import { z } from 'zod';
import type { SessionUser } from '../auth/auth';
import { requireGlobalLead, type DatasetAccess } from '../auth/access';
import { createDataset, datasetExists, getDataset, getDocument, listDatasets, listDocumentHeaders, updateDataset, updateDatasetLabels, withCurrentLabels, withLabelChangeLock, type DatasetRecord, validateLabels, datasetSummaries, importSetsOf, loadSet, findUser, listUsers, checkSlug } from '../store';
import { saveSet } from '../annotate/saveSet';
import { badRequest, conflict, isDomainError, notFound, storageFault } from '../http/errors';
import { diffLabelSets, withAttributes, LabelChangeError, labelSetSchema, relabelSpans, type LabelChange, type LabelImpact } from '../../model/labels';
import { DEFAULT_LABELS, GOLD, type Role } from '../../model/types';
import { dict, own, sortedDict, type Dict } from '../../model/dict';
import { lookAlikeMessage, lookAlikeOf } from '../../model/names';
import { AttributeChangeError, applyAttributeEdits, attributeEdits, spansTouchedBy, type AttributeEdit } from '../../model/attributes';
import {
	diffRelationTypes,
	disallowedRelations,
	relationTypeProblems,
	relationTypesOf,
	relationTypesSchema,
	remapRelations,
	retypeRelations,
	type RelationTypeChange
} from '../../model/relations';
import { spanId } from '../../model/spans';
import type { Label, Relation, RelationType, Span } from '../../model/types';
import { reservedName } from '../../model/dict';

export const createDatasetSchema = z.object({
	slug: z.string().max(200),
	title: z.string().trim().min(1, 'title is required').max(200),
	description: z.string().max(5000).optional(),
	labels: labelSetSchema.optional(),
	/** absent: the default relation types that fit the labels (source-of, from attribution to claim) */
	relationTypes: relationTypesSchema.optional(),
	guidelines: z.string().max(200_000).optional(),
	/** an existing dataset to start from: its labels and guidelines (what `copy` says) unless given here */
	copyFrom: z.string().max(200).optional(),
	copy: z.array(z.enum(['labels', 'guidelines'])).max(2).optional()
});

export async function createDatasetAs(user: SessionUser | null, input: z.infer<typeof createDatasetSchema>) {
	const lead = requireGlobalLead(user);
	checkSlug(input.slug);
	const { copyFrom, copy, ...fields } = input;
	if (copyFrom !== undefined) {
		if (!(await datasetExists(copyFrom))) throw badRequest(`copyFrom: there is no dataset "${copyFrom}" to copy from`);
		const source = await getDataset(copyFrom); // global leads see every dataset
		const parts = new Set(copy ?? ['labels', 'guidelines']);
		if (parts.has('labels')) {
			// the relation types join the labels: they come along with them (those that fit, unless both are given)
			if (!fields.labels) {
				const names = new Set(source.labels.map((l) => l.name));
				fields.relationTypes ??= structuredClone(relationTypesOf(source).filter((t) => [...t.from, ...t.to].every((l) => names.has(l))));
			}
			fields.labels ??= structuredClone(source.labels);
		}
		if (parts.has('guidelines')) fields.guidelines ??= source.guidelines;
	}
	const labels = fields.labels ? validateLabels(fields.labels) : undefined;
	if (fields.relationTypes) checkRelationTypes(fields.relationTypes, labels ?? DEFAULT_LABELS);
	// "news-2024" beside "news-2o24": links and the command line would mix them up (an exact duplicate is a 409 from the store)
	const twin = lookAlikeOf(input.slug, (await listDatasets()).map((d) => d.slug));
	if (twin !== undefined) throw conflict(lookAlikeMessage('dataset', input.slug, twin));
	const dataset = await createDataset({ ...fields, labels, createdBy: lead.username });
	await updateDataset(dataset.slug, (d) => {
		d.members[lead.username] = 'lead';
	});
	return publicDataset(dataset);
}

export function publicDataset(d: DatasetRecord) {
	return {
		slug: d.slug,
		title: d.title,
		description: d.description,
		labels: withAttributes(d.labels),
		relationTypes: relationTypesOf(d),
		version: d.version ?? 0
	};
}

/** Relation types against the labels they join: endpoint labels exist, keys not a label's; else 400. */
function checkRelationTypes(types: readonly RelationType[], labels: readonly Label[]): void {
	const problems = relationTypeProblems(types, labels);
	if (problems.length) throw badRequest(problems.slice(0, 10).join('; '));
}

/** A name → name map from a request: no reserved names (`__proto__`) on either side. */
const renameMap = z.record(z.string().max(200), z.string().trim().normalize('NFC').max(200)).superRefine((m, ctx) => {
	for (const k of Object.keys(m)) {
		const reserved = reservedName(k) ?? reservedName(m[k]);
		if (reserved) ctx.addIssue({ code: 'custom', message: `renames: ${reserved}` });
	}
});

export const updateDatasetSchema = z.object({
	title: z.string().trim().min(1, 'title is required').max(200).optional(),
	description: z.string().max(5000).optional(),
	labels: labelSetSchema.optional(),
	guidelines: z.string().max(200_000).optional(),
	/** old name → new name, for labels renamed in `labels` */
	renames: z.record(z.string(), z.string().trim().normalize('NFC')).optional(),
	/** the whole list of relation types; absent keeps them (following label renames) */
	relationTypes: relationTypesSchema.optional(),
	/** old name → new name, for relation types renamed in `relationTypes` */
	relationTypeRenames: renameMap.optional(),
	/** label (its name in `labels`) → old attribute name → new one */
	attributeRenames: z.record(z.string().max(200), renameMap).optional(),
	/** label → attribute (its new name) → old option → new option */
	optionRenames: z.record(z.string().max(200), z.record(z.string().max(200), renameMap)).optional(),
	/** remove labels, attribute values, options and relations even though current annotation sets use them */
	force: z.boolean().optional(),
	/** with `labels`: the dataset's `version` the change was made from; a stale one is a 409 */
	baseVersion: z.number().int().min(0).optional(),
	/** quotes and punctuation around a selection: keep (default), include or exclude */
	punctuation: z.enum(PUNCTUATION_RULES, { error: `punctuation: one of ${PUNCTUATION_RULES.join(', ')}` }).optional()
});
export type DatasetPatch = z.infer<typeof updateDatasetSchema>;

/** Spans per label over the current annotation sets (gold included), and how many sets use each. */
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
const NOTHING_REWRITTEN = { sets: 0, renamed: 0, removed: 0 };

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
function planSchemaChange(current: DatasetRecord, patch: DatasetPatch) {
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
function needsRewrite(rewrite: SchemaRewrite, oldTypes: readonly RelationType[]): boolean {
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

export async function updateDatasetAs(access: DatasetAccess, patch: DatasetPatch) {
	const slug = access.dataset.slug;
	if (!patch.labels && !patch.relationTypes) {
		if (patch.renames && Object.keys(patch.renames).length) throw badRequest('"renames" needs the new "labels"');
		if (patch.attributeRenames && Object.keys(patch.attributeRenames).length) throw badRequest('"attributeRenames" needs the new "labels"');
		if (patch.optionRenames && Object.keys(patch.optionRenames).length) throw badRequest('"optionRenames" needs the new "labels"');
		if (patch.relationTypeRenames && Object.keys(patch.relationTypeRenames).length) {
			throw badRequest('"relationTypeRenames" needs the new "relationTypes"');
		}
		const updated = await updateDataset(slug, (d) => {
			applyDetails(d, patch);
			return d;
		});
		return { ...publicDataset(updated), guidelines: updated.guidelines, punctuation: updated.punctuation ?? 'keep', rewritten: NOTHING_REWRITTEN };
	}
	// one label change at a time, from the version check to the end of its rewrite
	return withLabelChangeLock(slug, async () => {
		// The version the change was made from: the client's, or else the one this request read
		// when it arrived (before its body: a slow body cannot carry an old label set past a change).
		const base = patch.baseVersion ?? access.dataset.version ?? 0;
		let current = await getDataset(slug);
		if ((current.version ?? 0) !== base) throw staleLabels(current, base);
		// an earlier change that did not get to the end (it failed, or the server stopped): finish it first
		if (current.labelRewrite) {
			await finishLabelRewrite(slug);
			current = await getDataset(slug);
		}
		const plan = planSchemaChange(current, patch);
		const { labels, types } = plan;
		const { change, impact } = await labelImpact({ ...access, dataset: current }, labels, patch.renames);
		const inUse = impact.removed.filter((r) => r.spans > 0);
		if (inUse.length && !patch.force) {
			throw conflict(
				`label(s) still in use: ${inUse.map((r) => `"${r.name}" (${r.spans} span${r.spans === 1 ? '' : 's'})`).join(', ')}; send "force": true to remove them from the current annotations (their history is kept)`,
				{ inUse: dict(inUse.map((r) => [r.name, r.spans])) }
			);
		}
		// under the label-change lock: saves check attribute values against the labels that hold then
		const rewrite = needsRewrite(plan.rewrite, relationTypesOf(current)) ? plan.rewrite : null;
		if (rewrite && !patch.force) await refuseRemovalsInUse(slug, rewrite);
		const checked = current.version ?? 0;
		let updated = await updateDatasetLabels(slug, (d) => {
			// anything written since the check (an import adding labels, another setting) makes the diff stale
			if ((d.version ?? 0) !== checked) throw staleLabels(d, base);
			applyDetails(d, patch);
			d.labels = labels;
			d.relationTypes = types;
			if (rewrite) {
				d.labelRewrite = {
					renamed: change.renamed,
					removed: change.removed,
					...(rewrite.attributes.length ? { attributes: rewrite.attributes } : {}),
					relationTypes: rewrite.relationTypes,
					by: access.user.username,
					at: new Date().toISOString()
				};
			}
			return d;
		});
		const rewritten = rewrite
			? await finishLabelRewrite(slug).catch((e) => {
					// the new labels are on disk already: "nothing was saved" would not be true
					throw storageFault(e, REWRITE_STOPPED) ?? e;
				})
			: NOTHING_REWRITTEN;
		if (rewrite) updated = await getDataset(slug);
		return { ...publicDataset(updated), guidelines: updated.guidelines, punctuation: updated.punctuation ?? 'keep', rewritten };
	});
}

function applyDetails(d: DatasetRecord, patch: DatasetPatch): void {
	if (patch.title !== undefined) d.title = patch.title;
	if (patch.description !== undefined) d.description = patch.description;
	if (patch.guidelines !== undefined) d.guidelines = patch.guidelines;
	if (patch.punctuation !== undefined) d.punctuation = patch.punctuation;
}

/** A label change made from an older version of the dataset: refused, with what holds now. */
function staleLabels(current: DatasetRecord, base: number) {
	return conflict(
		`the dataset changed since you loaded it (you edited version ${base}, the current one is ${current.version ?? 0}): ` +
			`nothing was saved; look at the current labels and make your change again`,
		{ labels: current.labels, version: current.version ?? 0 }
	);
}

/**
 * A label change that is still pending (its rewrite failed, or the server stopped
 * halfway) is finished, so that what follows sees one label set. For releases.
 * The caller holds the label-change lock.
 */
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
async function refuseRemovalsInUse(slug: string, rewrite: SchemaRewrite) {
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

const REWRITE_STOPPED =
	'the new labels are saved, but applying them to the existing annotations stopped halfway ' +
	'(it is finished by the next label change or start)';

/** Applies the dataset's pending label rewrite to the existing work, then clears it. */
async function finishLabelRewrite(slug: string) {
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

export interface MemberRow {
	username: string;
	role: Role;
	/** the account's global role; global leads see every dataset anyway */
	globalRole: Role | null;
	active: boolean;
}

/** Members with their account state, and the active users who could be added. */
export async function membersView(access: DatasetAccess): Promise<{ members: MemberRow[]; candidates: string[] }> {
	const users = await listUsers();
	const byName = new Map(users.map((u) => [u.username, u]));
	const members = Object.entries(access.dataset.members).map(([username, role]) => ({
		username,
		role,
		globalRole: byName.get(username)?.role ?? null,
		active: byName.get(username)?.active ?? false
	}));
	const candidates = users
		.filter((u) => u.active && !Object.hasOwn(access.dataset.members, u.username))
		.map((u) => u.username)
		.sort();
	return { members, candidates };
}

export const memberSchema = z.object({ role: z.enum(['lead', 'annotator']) });

export async function setMember(access: DatasetAccess, username: string, role: Role) {
	const target = await findUser(username);
	if (!target) throw notFound(`no user "${username}"`);
	if (!target.active) throw conflict(`"${username}" is deactivated; reactivate the account first`);
	await updateDataset(access.dataset.slug, (d) => {
		d.members = sortedDict([...Object.entries(d.members), [username, role] as const]);
		// a lead of the dataset has no queue: drop them from assignments, work stays on disk
		if (role === 'lead' && d.assignments) {
			for (const [doc, annotators] of Object.entries(d.assignments)) {
				d.assignments[doc] = annotators.filter((a) => a !== username);
			}
		}
	});
	return { username, role };
}

export async function removeMember(access: DatasetAccess, username: string) {
	await updateDataset(access.dataset.slug, (d) => {
		if (!Object.hasOwn(d.members, username)) throw notFound(`"${username}" is not a member of this dataset`);
		d.members = sortedDict(Object.entries(d.members).filter(([name]) => name !== username));
		// their queue goes away, their work stays on disk
		if (d.assignments) {
			for (const [doc, annotators] of Object.entries(d.assignments)) {
				d.assignments[doc] = annotators.filter((a) => a !== username);
			}
		}
	});
	return { ok: true };
}

