/** The dataset's own page: the caller's queue, and for its leads the team's progress and what changed since gold. */
import type { SessionUser } from '../auth/auth';
import { queueOf, requireDataset, type DatasetAccess } from '../auth/access';
import { documentsOf } from './annotate';
import { changesSinceGoldByDocument } from '../review/goldChanges';
import { datasetSummaries, getDocument, listDocumentHeaders, store } from '../store';
import { forbidden } from '../http/errors';
import type { Status } from '../../model/types';
import { leadOnlyAsked, searchTerms, type DocumentQuery, type Page } from '../../documents/query';
import { activityOf, agreementOf, listPage, teamCountsOf } from '../../documents/list';
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
	// per-document figures for the page's rows only: the page stays small on a large dataset
	const shown = new Set(list.documents.map((d) => d.id));
	const team = lead ? await teamOf(access, shown) : null;
	const changed = lead ? await changesSinceGoldByDocument(access.dataset.slug) : null;
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

/** The team's counts the list shows a lead (what `teamCounts(datasetProgress(…))` says, without the whole progress page). */
async function teamOf(access: DatasetAccess, shown: ReadonlySet<string>) {
	const slug = access.dataset.slug;
	const [headers, summaries] = await Promise.all([listDocumentHeaders(slug), datasetSummaries(slug)]);
	return teamCountsOf({ headers, summaries, assignments: access.dataset.assignments }, access.dataset.members, shown);
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
	const [headers, summaries] = await Promise.all([listDocumentHeaders(slug), datasetSummaries(slug)]);
	// what only some queries read is fetched only for them
	const metas = query.meta.length > 0 ? await store.documents.metas(slug) : null;
	const sources = query.source !== undefined ? await store.sets.importSources(slug) : null;
	const rank = query.q ? new Map((await store.documents.search(slug, query.q)).map((id, i) => [id, i])) : null;
	const me = access.user.username;
	const page = listPage({ headers, summaries, queue: queueOf(access), me, lead, assignments: access.dataset.assignments, metas, sources, rank }, query);
	const { words, phrases } = searchTerms(query.q);
	const terms = [...words, ...phrases.flatMap((p) => p.split(' '))];
	const documents = await Promise.all(
		page.documents.map(async ({ header, sets, agreement }): Promise<ListedDocument> => {
			const mine = sets?.get(me);
			const item: ListedDocument = {
				id: header.id,
				title: header.title,
				status: mine?.status ?? 'not_started',
				spans: mine?.spans ?? 0,
				activity: activityOf({ me, lead }, sets)
			};
			// the page's rows only (or all of them, computed already for the sort)
			if (lead) item.agreement = agreement !== undefined ? agreement : agreementOf(sets);
			if (terms.length) item.hits = { title: highlight(header.title, terms), snippet: snippet((await getDocument(slug, header.id)).text, terms) };
			return item;
		})
	);
	return { ...page, documents };
}
