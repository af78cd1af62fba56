/** The dataset's own page: the caller's queue, and for its leads the team's progress and what changed since gold. */
import type { SessionUser } from '../auth/auth';
import { queueOf, requireDataset, type DatasetAccess } from '../auth/access';
import { documentsOf } from './annotate';
import { datasetProgress } from '../progress/progress';
import { changesSinceGoldByDocument } from '../review/goldChanges';
import { teamCounts } from '../../progress/progress';
import { datasetSummaries, getDocument, isImportAnnotator, listDocumentHeaders, store } from '../store';
import { forbidden } from '../http/errors';
import { GOLD, type Status } from '../../model/types';
import { dict } from '../../model/dict';
import { filterRows, leadOnlyAsked, pageOf, searchTerms, sortRows, type DocumentQuery, type DocumentRow, type Page } from '../../documents/query';
import { documentAgreement, keysDiffer } from '../../agreement/documentAgreement';
import type { SetSummary } from '../../model/work';
import { highlight, snippet, type Segment } from '../../documents/highlight';

export async function documentListFor(user: SessionUser | null, slug: string, query: DocumentQuery) {
	const access = await requireDataset(user, slug);
	const lead = access.role === 'lead';
	const all = await documentsOf(access);
	let done = 0;
	let inProgress = 0;
	for (const d of all) {
		if (d.status === 'done') done++;
		else if (d.status === 'in_progress') inProgress++;
	}
	const firstOpen = all.find((d) => d.status !== 'done') ?? all[0] ?? null;
	const list = await queryDocumentsOf(access, query);
	const team = lead ? teamCounts(await datasetProgress(access)) : null;
	const changed = lead ? await changesSinceGoldByDocument(access.dataset.slug) : null;
	// per-document figures for the page's rows only: the page stays small on a large dataset
	const shown = new Set(list.documents.map((d) => d.id));
	if (team) team.perDocument = dict(Object.entries(team.perDocument).filter(([id]) => shown.has(id)));
	return {
		description: access.dataset.description,
		// the label filter's choices
		labels: access.dataset.labels.map((l) => l.name),
		// the whole queue's counts; the list itself is one page of the query
		counts: { documents: all.length, done, inProgress, firstOpen: firstOpen?.id ?? null },
		list,
		query,
		// leads also see the team's progress; annotators never see anyone else's
		team,
		// leads only: documents whose annotators changed their work after gold was done
		changedSinceGold: changed ? new Map([...changed].filter(([id]) => shown.has(id))) : null
	};
}

export interface ListedDocument {
	id: string;
	title: string;
	status: Status;
	spans: number;
	/** the caller's last save (annotators) or anyone's (leads), ISO; null: never */
	activity: string | null;
	/** leads only: the document's agreement (mean pairwise exact span F1 of the done annotators' sets); null: fewer than two */
	agreement?: number | null;
	/** with a search: the title cut into hit/non-hit segments, and a stretch of text around the first hit in it */
	hits?: { title: Segment[]; snippet: Segment[] | null };
}

/** GET …/documents with a query: one page of the caller's list. */
export async function queryDocumentsFor(user: SessionUser | null, slug: string, query: DocumentQuery): Promise<Page<ListedDocument>> {
	return queryDocumentsOf(await requireDataset(user, slug), query);
}

/**
 * Blind annotation: an annotator's list holds their own queue and status only,
 * and a filter on someone else's work (assignee, done) is 403 for them.
 */
async function queryDocumentsOf(access: DatasetAccess, query: DocumentQuery): Promise<Page<ListedDocument>> {
	const lead = access.role === 'lead';
	if (!lead) {
		const asked = leadOnlyAsked(query);
		if (asked.length) throw forbidden(`${asked.join(', ')}: filters on the team's work are for leads`);
	}
	const slug = access.dataset.slug;
	const summaries = await datasetSummaries(slug);
	let rows = await rowsOf(access, query, summaries);
	if (query.q) {
		const rank = new Map((await store.documents.search(slug, query.q)).map((id, i) => [id, i]));
		rows = rows.filter((r) => rank.has(r.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
	}
	const page = pageOf(sortRows(filterRows(rows, query), query), query.page);
	const { words, phrases } = searchTerms(query.q);
	const terms = [...words, ...phrases.flatMap((p) => p.split(' '))];
	const documents = await Promise.all(
		page.documents.map(async (r): Promise<ListedDocument> => {
			const item: ListedDocument = { id: r.id, title: r.title, status: r.status, spans: r.spans, activity: r.activity };
			// the page's rows only (or all of them, computed already for the sort)
			if (lead) item.agreement = r.agreement !== undefined ? r.agreement : documentAgreement(doneKeys(summaries.get(r.id)));
			if (terms.length) item.hits = { title: highlight(r.title, terms), snippet: snippet((await getDocument(slug, r.id)).text, terms) };
			return item;
		})
	);
	return { ...page, documents };
}

/** The keys of the annotators' done sets (gold aside), in annotator order: what agreement and disagreement compare. */
function doneKeys(sets: Map<string, SetSummary> | undefined): string[] {
	const keys: string[] = [];
	for (const s of sets?.values() ?? []) if (s.status === 'done' && s.annotator !== GOLD) keys.push(s.keys);
	return keys;
}

/**
 * Each document of the caller's queue as the query filters and sorts it. What only
 * some queries need (meta, labels, disagreement, agreement) is computed only for them.
 */
async function rowsOf(access: DatasetAccess, query: DocumentQuery, summaries: Map<string, Map<string, SetSummary>>): Promise<DocumentRow[]> {
	const slug = access.dataset.slug;
	const headers = await listDocumentHeaders(slug);
	const queue = queueOf(access);
	const metas = query.meta.length > 0 ? await store.documents.metas(slug) : null;
	const withLabels = query.labels !== undefined;
	const withAgreement = query.sort.key === 'agreement';
	const withAssignees = query.assignee !== undefined;
	const me = access.user.username;
	const lead = access.role === 'lead';
	const assignments = access.dataset.assignments;
	const rows: DocumentRow[] = [];
	for (const h of headers) {
		if (queue && !queue.has(h.id)) continue;
		const sets = summaries.get(h.id);
		const mine = sets?.get(me);
		const row: DocumentRow = {
			id: h.id,
			title: h.title,
			position: h.position,
			status: mine?.status ?? 'not_started',
			spans: mine?.spans ?? 0,
			activity: mine?.updated_at ?? null,
			sources: []
		};
		if (lead) {
			// leads: the latest save by anyone, the import sources, and (only for the assignee filter:
			// a dictionary per row was most of a 100,000-document page) each assignee's status
			const assignees: Record<string, Status> | null = withAssignees ? Object.create(null) : null;
			if (assignees) for (const name of assignments ? (Object.hasOwn(assignments, h.id) ? assignments[h.id] : []) : []) assignees[name] = 'not_started';
			if (sets)
				for (const [name, s] of sets) {
					if (s.updated_at && (!row.activity || s.updated_at > row.activity)) row.activity = s.updated_at;
					if (isImportAnnotator(name)) row.sources.push(name.slice(name.indexOf('~') + 1));
					else if (assignees && name !== GOLD && (assignments === null || name in assignees)) assignees[name] = s.status;
				}
			if (assignees) row.assignees = assignees;
			if (withLabels) {
				// anyone's work or gold: a lead looks for the documents where the label is used at all
				// (repeats are harmless to the filter, and cheaper than a set per document)
				const labels: string[] = [];
				for (const s of sets?.values() ?? []) labels.push(...s.labels);
				row.labels = labels;
			}
			if (query.disagreement || withAgreement) {
				const keys = doneKeys(sets);
				row.disagreement = keysDiffer(keys);
				if (withAgreement) row.agreement = documentAgreement(keys);
			}
		} else if (withLabels) row.labels = mine?.labels ?? [];
		if (metas) row.meta = metas.get(h.id);
		rows.push(row);
	}
	return rows;
}
