/**
 * The review (adjudication) view's data: a document with every annotator's
 * work and the gold set, for the dataset's leads only. Gold itself, with the
 * lead's rejections, is written through the ordinary annotation API
 * (`PUT …/annotations/gold`).
 */
import { requireDatasetLead } from '../auth/access';
import type { SessionUser } from '../auth/auth';
import { datasetSummaries, importSetsOf, loadSet, getDocument, listDocumentHeaders, checkDocId } from '../store';
import { GOLD } from '../../model/types';
import type { ReviewData, ReviewSet } from '../../review/review';
import { changesSinceGoldOf } from './goldChanges';

function reviewSet(set: Awaited<ReturnType<typeof loadSet>>): ReviewSet {
	const { annotator, status, revision, spans, updated_at, updated_by } = set;
	// the annotator's flag and comments are for leads, and this view is leads' only
	// relations (issue #17, the shared contract's `AnnotationSet.relations`): each lane's, and gold's
	const relations = set.relations;
	return {
		annotator,
		status,
		revision,
		spans,
		updated_at,
		updated_by,
		...(set.flag ? { flag: set.flag } : {}),
		...(set.comments?.length ? { comments: set.comments } : {}),
		...(Array.isArray(relations) && relations.length ? { relations } : {})
	};
}

export async function reviewDocument(user: SessionUser | null, slug: string, id: string): Promise<ReviewData> {
	const access = await requireDatasetLead(user, slug);
	checkDocId(id);
	const doc = await getDocument(access.dataset.slug, id);
	const summaries = await datasetSummaries(access.dataset.slug);
	const names = [...(summaries.get(id)?.values() ?? [])]
		.filter((s) => s.annotator !== GOLD && s.revision > 0)
		.map((s) => s.annotator)
		.sort();
	// imported pre-annotations (import~<source>) get a lane too, after the people
	for (const imported of await importSetsOf(slug, id)) if (imported.revision > 0) names.push(imported.annotator);
	const annotators = await Promise.all(names.map(async (name) => reviewSet(await loadSet(slug, id, name))));
	const goldSet = await loadSet(slug, id, GOLD);
	const gold = { ...reviewSet(goldSet), rejected: goldSet.rejected ?? [], rejectedRelations: goldSet.rejectedRelations ?? [] };

	const reviewable: string[] = [];
	let goldDone = 0;
	for (const h of await listDocumentHeaders(slug)) {
		const perDoc = summaries.get(h.id);
		if (!perDoc) continue;
		let done = 0;
		for (const s of perDoc.values()) if (s.annotator !== GOLD && s.status === 'done' && s.revision > 0) done++;
		if (done < 2) continue;
		reviewable.push(h.id);
		if (perDoc.get(GOLD)?.status === 'done') goldDone++;
	}
	const i = reviewable.indexOf(id);
	return {
		dataset: {
			slug: access.dataset.slug,
			title: access.dataset.title,
			labels: access.dataset.labels,
			punctuation: access.dataset.punctuation ?? 'keep',
			relationTypes: (access.dataset.relationTypes ?? []).map(({ name, key, from, to }) => ({ name, key, from, to }))
		},
		document: { id: doc.id, title: doc.title, text: doc.text },
		annotators,
		gold,
		changedSinceGold: await changesSinceGoldOf(slug, id, gold, annotators),
		nav: {
			previous: i > 0 ? reviewable[i - 1] : null,
			next: i >= 0 && i < reviewable.length - 1 ? reviewable[i + 1] : i < 0 ? (reviewable[0] ?? null) : null,
			position: i + 1,
			total: reviewable.length,
			goldDone
		}
	};
}
