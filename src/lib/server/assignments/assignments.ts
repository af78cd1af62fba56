/**
 * Assignment use cases (dataset leads). An assignment only decides whose queue a
 * document is in; it never touches annotation sets, so reassigning deletes no
 * one's work. Automatic assignment keeps people on documents they have started.
 */
import { z } from 'zod';
import type { DatasetAccess } from '../auth/access';
import type { ImportAssignment } from '../../import/importApi';
import { badRequest } from '../http/errors';
import { getDataset, hasDocument, listDocumentHeaders, updateDataset, datasetSummaries } from '../store';
import { AssignmentError, autoAssign, loadsOf, type Assignment, type AssignmentPolicy } from '../../assignments/assignment';
import { assignedTo } from '../../progress/progress';
import { GOLD, type Status } from '../../model/types';
import { dict, type Dict } from '../../model/dict';

const annotatorList = z.array(z.string().max(64)).max(1000);

export const assignmentSchema = z.discriminatedUnion('mode', [
	z.object({
		mode: z.literal('auto'),
		annotatorsPerDocument: z.number().int().min(1).max(100),
		/** percentage of documents that get `annotatorsPerDocument` annotators; the rest get one */
		share: z.number().min(0).max(100).optional(),
		/** default: every annotator member of the dataset */
		annotators: annotatorList.optional(),
		/** keep this rule for documents imported later (default true) */
		standing: z.boolean().optional()
	}),
	z.object({
		mode: z.literal('manual'),
		documentId: z.string().max(200),
		annotators: annotatorList
	}),
	/** back to "every annotator member sees every document" */
	z.object({ mode: z.literal('everyone') }),
	/** keep the queues as they are; documents imported from now on are assigned by hand */
	z.object({ mode: z.literal('stop') })
]);
export type AssignmentInput = z.infer<typeof assignmentSchema>;

export interface AssignmentView {
	mode: 'everyone' | 'assigned';
	annotators: Array<{ username: string; documents: number }>;
	documents: Array<{
		id: string;
		title: string;
		annotators: string[];
		/** status of everyone (but gold) who has a set on this document */
		work: Dict<Status>;
	}>;
	unassigned: number;
	/** the rule new imports follow (null: they are in nobody's queue until assigned) */
	policy: AssignmentPolicy | null;
}

function annotatorMembers(access: Pick<DatasetAccess, 'dataset'>): string[] {
	return Object.entries(access.dataset.members)
		.filter(([, role]) => role === 'annotator')
		.map(([name]) => name)
		.sort();
}

function checkAnnotators(access: DatasetAccess, names: string[]): string[] {
	const members = new Set(annotatorMembers(access));
	const strangers = names.filter((n) => !members.has(n));
	if (strangers.length) {
		throw badRequest(`not annotators of this dataset: ${strangers.map((s) => `"${s}"`).join(', ')}; add them as members first`);
	}
	return [...new Set(names)].sort();
}

/** Who has started (or finished) which document: their place there is kept on reassignment. */
async function startedWork(slug: string): Promise<Dict<string[]>> {
	const keep = dict<string[]>();
	for (const [docId, perDoc] of await datasetSummaries(slug)) {
		for (const [annotator, set] of perDoc) {
			if (annotator !== GOLD && set.revision > 0) (keep[docId] ??= []).push(annotator);
		}
	}
	return keep;
}

export async function assignmentView(access: DatasetAccess): Promise<AssignmentView> {
	const { dataset } = access;
	const headers = await listDocumentHeaders(dataset.slug);
	const summaries = await datasetSummaries(dataset.slug);
	const documents = headers.map((h) => {
		const work = dict<Status>();
		for (const [annotator, set] of summaries.get(h.id) ?? []) {
			if (annotator !== GOLD && set.revision > 0) work[annotator] = set.status;
		}
		return { id: h.id, title: h.title, annotators: assignedTo(dataset, h.id), work };
	});
	const explicit: Assignment = dict(documents.map((d) => [d.id, d.annotators]));
	const loads = loadsOf(explicit, annotatorMembers(access));
	return {
		mode: dataset.assignments === null ? 'everyone' : 'assigned',
		annotators: Object.entries(loads).map(([username, count]) => ({ username, documents: count })),
		documents,
		unassigned: documents.filter((d) => d.annotators.length === 0).length,
		policy: dataset.assignments === null ? null : (dataset.assignmentPolicy ?? null)
	};
}

/**
 * Documents just imported, put into queues as the dataset says: nothing to do
 * when everyone sees everything; by the standing automatic rule when there is
 * one (only the new documents are assigned, to the least loaded annotators
 * counting their current queues; nobody else's queue changes); otherwise they
 * wait for the lead. Read and written under the dataset's lock, so an
 * assignment made meanwhile is not overwritten.
 */
export async function assignImported(slug: string, ids: string[]): Promise<ImportAssignment> {
	if (ids.length === 0) return { mode: 'manual', unassigned: 0 };
	return updateDataset(slug, (d): ImportAssignment => {
		if (d.assignments === null) return { mode: 'everyone' };
		const current = d.assignments;
		const fresh = ids.filter((id) => !Object.hasOwn(current, id) || current[id].length === 0);
		const policy = d.assignmentPolicy;
		if (!policy) return { mode: 'manual', unassigned: fresh.length };
		const members = annotatorMembers({ dataset: d });
		const annotators = policy.annotators ? policy.annotators.filter((a) => members.includes(a)) : members;
		let assigned: Assignment;
		try {
			assigned = autoAssign({
				documents: fresh,
				annotators,
				annotatorsPerDocument: policy.annotatorsPerDocument,
				share: policy.share,
				startLoad: loadsOf(current, annotators)
			});
		} catch (e) {
			if (e instanceof AssignmentError) return { mode: 'manual', unassigned: fresh.length, reason: e.message };
			throw e;
		}
		const perAnnotator: Record<string, number> = Object.fromEntries(annotators.map((a) => [a, 0]));
		for (const [doc, list] of Object.entries(assigned)) {
			current[doc] = list;
			for (const a of list) perAnnotator[a]++;
		}
		return { mode: 'auto', documents: fresh.length, annotatorsPerDocument: policy.annotatorsPerDocument, share: policy.share, annotators: perAnnotator };
	});
}

function policyOf(input: Extract<AssignmentInput, { mode: 'auto' }>, annotators: string[], members: string[]): AssignmentPolicy | null {
	if (input.standing === false) return null;
	const everyone = annotators.length === members.length;
	return { annotatorsPerDocument: input.annotatorsPerDocument, share: input.share ?? 100, ...(everyone ? {} : { annotators }) };
}

export async function applyAssignment(access: DatasetAccess, input: AssignmentInput): Promise<AssignmentView> {
	const slug = access.dataset.slug;
	if (input.mode === 'everyone') {
		await updateDataset(slug, (d) => {
			d.assignments = null;
			d.assignmentPolicy = null;
		});
	} else if (input.mode === 'stop') {
		await updateDataset(slug, (d) => {
			d.assignmentPolicy = null;
		});
	} else if (input.mode === 'auto') {
		const annotators = checkAnnotators(access, input.annotators ?? annotatorMembers(access));
		const documents = (await listDocumentHeaders(slug)).map((h) => h.id);
		let next: Assignment;
		try {
			next = autoAssign({
				documents,
				annotators,
				annotatorsPerDocument: input.annotatorsPerDocument,
				share: input.share,
				keep: await startedWork(slug)
			});
		} catch (e) {
			if (e instanceof AssignmentError) throw badRequest(e.message);
			throw e;
		}
		const policy = policyOf(input, annotators, annotatorMembers(access));
		await updateDataset(slug, (d) => {
			d.assignments = next;
			d.assignmentPolicy = policy;
		});
	} else {
		if (!(await hasDocument(slug, input.documentId))) throw badRequest(`no document "${input.documentId}" in this dataset`);
		const annotators = checkAnnotators(access, input.annotators);
		const documents = (await listDocumentHeaders(slug)).map((h) => h.id);
		await updateDataset(slug, (d) => {
			// "everyone sees everything" becomes explicit first, so one change does not empty the other queues
			const current: Assignment = d.assignments ?? dict(documents.map((id) => [id, assignedTo(d, id)]));
			d.assignments = dict([...Object.entries(current), [input.documentId, annotators] as const]);
		});
	}
	return assignmentView({ ...access, dataset: await getDataset(slug) });
}
