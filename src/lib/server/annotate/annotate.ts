/** The annotation use cases behind the API and pages: list, open, read and save work. */
import { FLAG_REASONS, MAX_COMMENT_CHARS, MAX_COMMENTS, MAX_FLAG_NOTE_CHARS } from '../../model/notes';
import { z } from 'zod';
import type { SessionUser } from '../auth/auth';
import { requireDataset, requireDocumentInQueue, queueOf, resolveAnnotator, requireUser, roleIn, type DatasetAccess, settle, type Later } from '../auth/access';
import { listDatasets, listDocumentHeaders, getDocument, withCurrentLabels, datasetSummaries, importSetsOf, loadSet, pageRevisions, REVISIONS_PAGE, checkAnnotator, checkDocId, isImportAnnotator, printable, findUser } from '../store';
import { saveSet } from './saveSet';
import { badRequest, conflict, notFound } from '../http/errors';
import { GOLD, STATUSES, type Role, type Status } from '../../model/types';
import { own } from '../../model/dict';
import { withAttributes } from '../../model/labels';
import { MAX_RELATIONS, MAX_SOURCE_CHARS, relationTypesOf } from '../../model/relations';
import { startCorrection } from './correction';

export async function datasetsFor(user: SessionUser | null): Promise<Array<{ slug: string; title: string; role: Role }>> {
	const caller = requireUser(user);
	const all = await listDatasets();
	const result: Array<{ slug: string; title: string; role: Role }> = [];
	for (const d of all) {
		const role = caller.role === 'lead' ? 'lead' : own(d.members, caller.username);
		if (role) result.push({ slug: d.slug, title: d.title, role });
	}
	return result;
}

/**
 * The datasets page: every dataset the caller belongs to, with the caller's own progress
 * through its queue. One pass over each dataset's cached set summaries, from the records
 * listDatasets read (no second read of a dataset to check the caller's role in it).
 */
export async function datasetsWithProgressFor(user: SessionUser | null) {
	const caller = requireUser(user);
	const result: Array<{ slug: string; title: string; role: Role; documents: number; done: number; inProgress: number }> = [];
	for (const dataset of await listDatasets()) {
		const role = roleIn(caller, dataset);
		if (!role) continue;
		const documents = await documentsOf({ user: caller, dataset, role });
		let done = 0;
		let inProgress = 0;
		for (const d of documents) {
			if (d.status === 'done') done++;
			else if (d.status === 'in_progress') inProgress++;
		}
		result.push({ slug: dataset.slug, title: dataset.title, role, documents: documents.length, done, inProgress });
	}
	return result;
}

/** GET …/datasets/{slug} (members): the dataset as annotators need it, and its members for leads. */
export async function datasetFor(user: SessionUser | null, slug: string) {
	const access = await requireDataset(user, slug);
	const { slug: name, title, labels, relationTypes, description, guidelines, version, punctuation } = datasetInfo(access);
	const forLeads = access.role === 'lead' ? { members: access.dataset.members } : {};
	return { slug: name, title, description, labels, relationTypes, guidelines, version, punctuation, ...forLeads };
}

export function datasetInfo(access: DatasetAccess) {
	const { dataset } = access;
	return {
		slug: dataset.slug,
		title: dataset.title,
		description: dataset.description,
		labels: withAttributes(dataset.labels),
		relationTypes: relationTypesOf(dataset),
		guidelines: dataset.guidelines,
		punctuation: dataset.punctuation ?? 'keep',
		role: access.role,
		version: dataset.version ?? 0
	};
}

export interface DocumentListItem {
	id: string;
	title: string;
	status: Status;
	spans: number;
}

/** The caller's queue with the caller's own status for each document (members of the dataset). */
export async function documentsFor(user: SessionUser | null, slug: string): Promise<DocumentListItem[]> {
	return documentsOf(await requireDataset(user, slug));
}

/** The same, for a caller whose access a use case checked. */
export async function documentsOf(access: DatasetAccess): Promise<DocumentListItem[]> {
	const headers = await listDocumentHeaders(access.dataset.slug);
	const queue = queueOf(access);
	const summaries = await datasetSummaries(access.dataset.slug);
	const me = access.user.username;
	const result: DocumentListItem[] = [];
	for (const h of headers) {
		if (queue && !queue.has(h.id)) continue;
		const mine = summaries.get(h.id)?.get(me);
		result.push({ id: h.id, title: h.title, status: mine?.status ?? 'not_started', spans: mine?.spans ?? 0 });
	}
	return result;
}

export async function openDocument(user: SessionUser | null, slug: string, id: string) {
	const access = await requireDataset(user, slug);
	checkDocId(id);
	requireDocumentInQueue(access, id);
	const doc = await getDocument(slug, id);
	return { access, doc };
}

/**
 * Whose work a read names: the caller, gold, an account, or an imported set this
 * document has; anyone else is 404 rather than an empty set (only leads get
 * this far for a name not their own).
 */
async function requireKnownAnnotator(access: DatasetAccess, docId: string, name: string): Promise<string> {
	checkAnnotator(name);
	if (name === access.user.username || name === GOLD) return name;
	const known = isImportAnnotator(name)
		? (await importSetsOf(access.dataset.slug, docId)).some((s) => s.annotator === name)
		: (await findUser(name)) !== undefined;
	if (!known) throw notFound(`no annotator "${printable(name)}" on document "${docId}"`);
	return name;
}

export async function readAnnotations(user: SessionUser | null, slug: string, id: string, annotatorParam: string) {
	const { access, doc } = await openDocument(user, slug, id);
	const annotator = await requireKnownAnnotator(access, doc.id, resolveAnnotator(access, annotatorParam, 'read'));
	let set = await loadSet(slug, doc.id, annotator);
	// correction mode (issue #18): the caller's unsaved set starts from the chosen source's spans, unreviewed
	if (annotator === access.user.username) set = await startCorrection(access.dataset, doc, set);
	return {
		annotator: set.annotator,
		revision: set.revision,
		status: set.status,
		updated_at: set.updated_at,
		spans: set.spans,
		relations: set.relations ?? [],
		dismissed: set.dismissed ?? [],
		...(annotator === GOLD ? { rejected: set.rejected ?? [], rejectedRelations: set.rejectedRelations ?? [] } : {}),
		// only the author and leads get this far (annotation is blind)
		flag: set.flag ?? null,
		comments: set.comments ?? []
	};
}

/**
 * The history of a set: who changed what when, a page at a time (the latest
 * first; oldest first within a page, see pageRevisions). Same access as
 * reading the set.
 */
export async function readRevisions(
	user: SessionUser | null,
	slug: string,
	id: string,
	annotatorParam: string,
	page: { limit?: number; before?: number } = {}
) {
	const { access, doc } = await openDocument(user, slug, id);
	const annotator = await requireKnownAnnotator(access, doc.id, resolveAnnotator(access, annotatorParam, 'read'));
	return pageRevisions(slug, doc.id, annotator, page);
}

/** `?limit=&before=` of the revisions route, checked: whole numbers in range, else a 400 naming the parameter. */
export function revisionPageParams(params: URLSearchParams): { limit?: number; before?: number } {
	const read = (name: string, min: number, max: number) => {
		const raw = params.get(name);
		if (raw === null) return undefined;
		const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
		if (!(n >= min && n <= max)) throw badRequest(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw.slice(0, 40))}`);
		return n;
	};
	return { limit: read('limit', 1, REVISIONS_PAGE.maxLimit), before: read('before', 1, Number.MAX_SAFE_INTEGER) };
}

const spanInputSchema = z.object({
	start: z.number(),
	end: z.number(),
	label: z.string().max(200),
	/** checked against the label's attributes by the store (src/lib/model/attributes.ts), names `__proto__` included */
	attrs: z.unknown().optional(),
	/** where an accepted suggestion came from; checked by the store (src/lib/model/relations.ts spanSourceProblem) */
	source: z.string().max(MAX_SOURCE_CHARS, `span source: at most ${MAX_SOURCE_CHARS} characters`).optional()
});

/**
 * A relation `{from, to, label}`: ends are indexes into the request's spans or span ids.
 * Relations are checked item by item by the store (src/lib/model/relations.ts checkRelations: every end,
 * type and pair, by index), so the schema only bounds the list: a 1,000-relation save parsed
 * through a union per end cost more than the rest of its checks.
 */
const relationInputSchema = z.unknown() as z.ZodType<{ from: number | string; to: number | string; label: string }>;

const dismissedSchema = z.object({
	start: z.number(),
	end: z.number(),
	label: z.string().max(200),
	source: z.string().max(MAX_SOURCE_CHARS, `dismissed source: at most ${MAX_SOURCE_CHARS} characters`)
});

export const saveBodySchema = z.object({
	baseRevision: z.number().int().min(0),
	/** omitted: the spans stay as they are (a save of the active time, or of the status, alone) */
	spans: z.array(spanInputSchema).optional(),
	/** gold only: the candidates the lead rejected */
	rejected: z.array(spanInputSchema).optional(),
	/** gold only: the relation candidates the lead rejected, as keys (checked by the store: checkRejectedRelations) */
	rejectedRelations: z
		.array(z.string().max(200, 'rejectedRelations: a key is at most 200 characters'))
		.max(MAX_RELATIONS, `too many rejected relations (limit ${MAX_RELATIONS})`)
		.optional(),
	/** the whole list of relations; omitted keeps them (they must still join spans of the set) */
	relations: z.array(relationInputSchema).max(MAX_RELATIONS, `too many relations (limit ${MAX_RELATIONS})`).optional(),
	/** the whole list of dismissed suggestions; omitted keeps them */
	dismissed: z.array(dismissedSchema).optional(),
	status: z.enum(STATUSES).optional(),
	activeSeconds: z.number().min(0).max(3600).optional(),
	/** the document's flag (skip, with a reason); null removes it; omitted keeps it */
	flag: z
		.object({ reason: z.enum(FLAG_REASONS), note: z.string().max(MAX_FLAG_NOTE_CHARS, `flag note: at most ${MAX_FLAG_NOTE_CHARS} characters`).default('') })
		.nullable()
		.optional(),
	/** the whole list of comments; omitted keeps them */
	comments: z
		.array(
			z.object({
				id: z.string().max(40).optional(),
				text: z.string().trim().min(1, 'comment: write something').max(MAX_COMMENT_CHARS, `comment: at most ${MAX_COMMENT_CHARS} characters`),
				span: spanInputSchema.optional()
			})
		)
		.max(MAX_COMMENTS, `at most ${MAX_COMMENTS} comments`)
		.optional()
});

export async function writeAnnotations(
	user: SessionUser | null,
	slug: string,
	id: string,
	annotatorParam: string,
	input: z.infer<typeof saveBodySchema> | Later<z.infer<typeof saveBodySchema>>
) {
	const { access, doc } = await openDocument(user, slug, id);
	const annotator = resolveAnnotator(access, annotatorParam, 'write');
	const body = await settle(input); // read only once the caller may write this set
	// validated against the labels that hold when the set is written (see withCurrentLabels)
	const result = await withCurrentLabels(slug, (labelNames, dataset) => {
		const gone = labelsGoneSince(access.dataset.labels, labelNames, [...(body.spans ?? []), ...(body.rejected ?? []), ...(body.dismissed ?? [])]);
		if (gone.length) {
			throw conflict(
				`the dataset's labels changed while you were working: ${gone.map((l) => `"${l}"`).join(', ')} ` +
					`${gone.length === 1 ? 'is' : 'are'} no longer a label (renamed or removed); nothing was saved; reload the document`,
				{ labels: dataset.labels }
			);
		}
		return saveSet(slug, doc, annotator, access.user.username, labelNames, {
			baseRevision: body.baseRevision,
			spans: body.spans,
			status: body.status,
			activeSecondsDelta: body.activeSeconds,
			rejected: body.rejected,
			rejectedRelations: body.rejectedRelations,
			flag: body.flag,
			comments: body.comments,
			// attribute values are checked against the same current labels
			attributeLabels: dataset.labels,
			relations: body.relations,
			relationTypes: relationTypesOf(dataset),
			dismissed: body.dismissed
		});
	});
	return { revision: result.revision, status: result.status, updated_at: result.set.updated_at };
}

export const replyBodySchema = z
	.object({
		text: z.string().trim().min(1, 'text: write something').max(MAX_COMMENT_CHARS, `text: at most ${MAX_COMMENT_CHARS} characters`),
		replyTo: z.string().min(1, 'replyTo: a comment id').max(40, 'replyTo: a comment id')
	})
	.strict();

/**
 * A reply to a comment of a set: by its author or a lead of the dataset (who
 * reads every set but writes no one's spans). A revision of that set by the
 * caller, under the set's lock; the spans, status and flag stay as they are.
 */
export async function writeReply(
	user: SessionUser | null,
	slug: string,
	id: string,
	annotatorParam: string,
	input: z.infer<typeof replyBodySchema> | Later<z.infer<typeof replyBodySchema>>
) {
	const { access, doc } = await openDocument(user, slug, id);
	const annotator = resolveAnnotator(access, annotatorParam, 'read');
	const body = await settle(input);
	const result = await withCurrentLabels(slug, (labelNames) =>
		saveSet(slug, doc, annotator, access.user.username, labelNames, { baseRevision: 0, reply: body })
	);
	const reply = result.set.comments?.at(-1);
	return { revision: result.revision, comment: reply, comments: result.set.comments ?? [] };
}

/** Labels the spans use that the dataset had when the request arrived and has no more (a 409, not a 400: the client is stale). */
function labelsGoneSince(before: Array<{ name: string }>, now: string[], spans: Array<{ label: string }>): string[] {
	const had = new Set(before.map((l) => l.name));
	const has = new Set(now);
	const gone = new Set<string>();
	for (const span of spans) if (!has.has(span.label) && had.has(span.label)) gone.add(span.label);
	return [...gone];
}

/** Previous / next documents in the caller's queue, for J/K navigation. */
export async function neighbours(access: DatasetAccess, id: string) {
	const list = await documentsOf(access);
	const i = list.findIndex((d) => d.id === id);
	return {
		previous: i > 0 ? list[i - 1].id : null,
		next: i >= 0 && i < list.length - 1 ? list[i + 1].id : null,
		position: i + 1,
		total: list.length,
		done: list.filter((d) => d.status === 'done').length
	};
}
