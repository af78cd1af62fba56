/**
 * Dataset management use cases (leads): create and settings here; schema changes that touch existing
 * work in ./schemaChanges.ts, members in ./members.ts (both re-exported, so callers import from here).
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
 *    left with a label the dataset no longer has. That is the file store; on
 *    PostgreSQL `changeDatasetLabels` makes the labels and the whole rewrite one
 *    transaction (the journal entry never outlives it).
 *  - attributes, enum options and relation types go the same way: a rename
 *    (`attributeRenames`, `optionRenames`, `relationTypeRenames`) rewrites the
 *    values and relations that use it; a removal of one in use is refused (409,
 *    with counts) unless `force` is given, then the values or relations go, as a
 *    revision. Relations follow their spans' new ids, and relations the new
 *    relation types no longer allow (a type removed, a label taken out of its
 *    `from`/`to`, an end's label removed) go with them. All of it is one journal
 *    entry (`labelRewrite`), finished at the next start after a crash.
 */
import { z } from 'zod';
import { PUNCTUATION_RULES } from '../../annotate/punctuationSnap';
import type { SessionUser } from '../auth/auth';
import { requireGlobalLead, settle, type DatasetAccess, type Later } from '../auth/access';
import { changeDatasetLabels, createDataset, datasetExists, getDataset, listDatasets, updateDataset, withLabelChangeLock, type DatasetRecord, validateLabels, checkSlug } from '../store';
import { badRequest, conflict, storageFault } from '../http/errors';
import { withAttributes, labelSetSchema } from '../../model/labels';
import { DEFAULT_LABELS } from '../../model/types';
import { dict } from '../../model/dict';
import { lookAlikeMessage, lookAlikeOf } from '../../model/names';
import { relationTypesOf, relationTypesSchema } from '../../model/relations';
import type { Relation } from '../../model/types';
import { reservedName } from '../../model/dict';
import { NOTHING_REWRITTEN, REWRITE_STOPPED, checkRelationTypes, finishLabelRewrite, labelImpact, needsRewrite, planSchemaChange, refuseRemovalsInUse } from './schemaChanges';
import { setMember } from './members';
export * from './schemaChanges';
export * from './members';

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

export async function createDatasetAs(user: SessionUser | null, body: z.infer<typeof createDatasetSchema> | Later<z.infer<typeof createDatasetSchema>>) {
	const lead = requireGlobalLead(user);
	const input = await settle(body);
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
		// the labels and the rewrite of the work: one transaction on PostgreSQL; journaled on the file store
		const applied = await changeDatasetLabels(slug, (d) => {
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
		}, async ({ atomic }) =>
			rewrite
				? finishLabelRewrite(slug).catch((e) => {
						// not atomic: the new labels are on disk already, "nothing was saved" would not be true
						throw (atomic ? null : storageFault(e, REWRITE_STOPPED)) ?? e;
					})
				: NOTHING_REWRITTEN
		);
		const rewritten = applied.rewritten;
		const updated = rewrite ? await getDataset(slug) : applied.result;
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
export async function copySourcesFor(user: SessionUser | null) {
	requireGlobalLead(user);
	return (await listDatasets()).map((d) => ({ slug: d.slug, title: d.title, labels: d.labels.length }));
}

/** A new role for someone who is a member already (the settings page's role menu; setMember also adds). */
