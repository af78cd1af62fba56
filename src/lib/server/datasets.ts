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
 */
import { PUNCTUATION_RULES } from '../punctuationSnap';
import { z } from 'zod';
import type { SessionUser } from './auth';
import { requireGlobalLead, type DatasetAccess } from './access';
import {
	createDataset,
	datasetExists,
	getDataset,
	getDocument,
	listDatasets,
	listDocumentHeaders,
	updateDataset,
	updateDatasetLabels,
	validateLabels,
	withCurrentLabels,
	withLabelChangeLock,
	type DatasetRecord
} from './store/datasets';
import { datasetSummaries, importSetsOf, loadSet, saveSet } from './store/annotations';
import { findUser, listUsers } from './store/system';
import { badRequest, conflict, isDomainError, notFound, storageFault } from './errors';
import { diffLabelSets, withAttributes, LabelChangeError, labelSetSchema, relabelSpans, type LabelChange, type LabelImpact } from '../labels';
import { checkSlug } from './store/paths';
import { GOLD, type Role } from '../types';
import { dict, own, sortedDict, type Dict } from '../dict';
import { lookAlikeMessage, lookAlikeOf } from '../names';
import { attributeRemovals, spansUsing } from '../attributes';

export const createDatasetSchema = z.object({
	slug: z.string().max(200),
	title: z.string().trim().min(1, 'title is required').max(200),
	description: z.string().max(5000).optional(),
	labels: labelSetSchema.optional(),
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
		if (parts.has('labels')) fields.labels ??= structuredClone(source.labels);
		if (parts.has('guidelines')) fields.guidelines ??= source.guidelines;
	}
	const labels = fields.labels ? validateLabels(fields.labels) : undefined;
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
	return { slug: d.slug, title: d.title, description: d.description, labels: withAttributes(d.labels), version: d.version ?? 0 };
}

export const updateDatasetSchema = z.object({
	title: z.string().trim().min(1, 'title is required').max(200).optional(),
	description: z.string().max(5000).optional(),
	labels: labelSetSchema.optional(),
	guidelines: z.string().max(200_000).optional(),
	/** old name → new name, for labels renamed in `labels` */
	renames: z.record(z.string(), z.string().trim().normalize('NFC')).optional(),
	/** remove labels even though current annotation sets use them */
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

export async function updateDatasetAs(access: DatasetAccess, patch: DatasetPatch) {
	const slug = access.dataset.slug;
	if (!patch.labels) {
		if (patch.renames && Object.keys(patch.renames).length) throw badRequest('"renames" needs the new "labels"');
		const updated = await updateDataset(slug, (d) => {
			applyDetails(d, patch);
			return d;
		});
		return { ...publicDataset(updated), guidelines: updated.guidelines, punctuation: updated.punctuation ?? 'keep', rewritten: NOTHING_REWRITTEN };
	}
	const labels = patch.labels;
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
		const { change, impact } = await labelImpact({ ...access, dataset: current }, labels, patch.renames);
		const inUse = impact.removed.filter((r) => r.spans > 0);
		if (inUse.length && !patch.force) {
			throw conflict(
				`label(s) still in use: ${inUse.map((r) => `"${r.name}" (${r.spans} span${r.spans === 1 ? '' : 's'})`).join(', ')}; send "force": true to remove them from the current annotations (their history is kept)`,
				{ inUse: dict(inUse.map((r) => [r.name, r.spans])) }
			);
		}
		// under the label-change lock: saves check attribute values against the labels that hold then
		await refuseAttributeRemovalsInUse({ ...access, dataset: current }, labels, patch.renames);
		const rewrite = change.renamed.length || change.removed.length ? change : null;
		const checked = current.version ?? 0;
		let updated = await updateDatasetLabels(slug, (d) => {
			// anything written since the check (an import adding labels, another setting) makes the diff stale
			if ((d.version ?? 0) !== checked) throw staleLabels(d, base);
			applyDetails(d, patch);
			d.labels = labels;
			if (rewrite) {
				d.labelRewrite = { renamed: rewrite.renamed, removed: rewrite.removed, by: access.user.username, at: new Date().toISOString() };
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
 * Stored values a new label set would orphan (an attribute or enum option removed,
 * an attribute's type changed) are refused while current sets hold them: values
 * are not rewritten (yet), and a set must never hold a value its label no longer
 * allows. Unused attributes and options change freely.
 */
async function refuseAttributeRemovalsInUse(access: DatasetAccess, labels: DatasetRecord['labels'], renames: Record<string, string> = {}) {
	const removals = attributeRemovals(access.dataset.labels, labels, renames);
	if (!removals.length) return;
	const counts = removals.map(() => 0);
	for (const [docId, perDoc] of await datasetSummaries(access.dataset.slug)) {
		for (const [annotator, summary] of perDoc) {
			if (summary.spans === 0) continue;
			const set = await loadSet(access.dataset.slug, docId, annotator);
			removals.forEach((r, i) => (counts[i] += spansUsing(set.spans, r)));
		}
	}
	const inUse = removals.map((r, i) => ({ ...r, spans: counts[i] })).filter((r) => r.spans > 0);
	if (!inUse.length) return;
	const describe = (r: (typeof inUse)[number]) =>
		`${r.reason === 'option removed' ? `option "${r.option}" of ` : ''}attribute "${r.attribute}" of label "${r.label}"` +
		`${r.reason === 'retyped' ? ' (its type changes)' : ''}: ${r.spans} span${r.spans === 1 ? '' : 's'}`;
	throw conflict(
		`attribute values still in use: ${inUse.map(describe).join('; ')}. Renaming or removing attributes or options that spans use is not supported yet: clear those values first, or keep the attribute`,
		{ attributesInUse: inUse }
	);
}

const REWRITE_STOPPED =
	'the new labels are saved, but applying them to the existing annotations stopped halfway ' +
	'(it is finished by the next label change or start)';

/** Applies the dataset's pending label rewrite to the existing work, then clears it. */
async function finishLabelRewrite(slug: string) {
	const dataset = await getDataset(slug);
	const pending = dataset.labelRewrite;
	if (!pending) return NOTHING_REWRITTEN;
	const change: LabelChange = { renamed: pending.renamed, removed: pending.removed, added: [] };
	const totals = await rewriteLabels(slug, pending.by, change);
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

/** Apply renames/removals to every current set that uses them, each as a new revision by `by`. */
async function rewriteLabels(slug: string, by: string, change: LabelChange) {
	const affected = new Set([...change.renamed.map((r) => r.from), ...change.removed]);
	const totals = { sets: 0, renamed: 0, removed: 0 };
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
				const uses = (spans: Array<{ label: string }> = []) => spans.some((s) => affected.has(s.label));
				if (!uses(set.spans) && !uses(set.rejected)) break;
				const next = relabelSpans(set.spans, change);
				try {
					await withCurrentLabels(slug, (current) =>
						saveSet(slug, doc, annotator, by, current, {
							baseRevision: set.revision,
							spans: next.spans,
							status: set.status,
							rejected: set.rejected && relabelSpans(set.rejected, change).spans
						})
					);
					totals.sets++;
					totals.renamed += next.renamed;
					totals.removed += next.removed;
					break;
				} catch (e) {
					if (!(isDomainError(e) && e.status === 409) || attempt >= 4) throw e;
				}
			}
		}
	}
	return totals;
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

