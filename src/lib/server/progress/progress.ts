/** Progress of a dataset for its leads: gathers the facts, `$lib/progress` does the counting. */
import type { DatasetAccess } from '../auth/access';
import { listDocumentHeaders, datasetSummaries } from '../store';
import { computeProgress, type DatasetProgress, type SetFacts } from '../../progress/progress';

export async function datasetProgress(access: DatasetAccess): Promise<DatasetProgress> {
	const { dataset } = access;
	const headers = await listDocumentHeaders(dataset.slug);
	const sets = new Map<string, Map<string, SetFacts>>();
	for (const [docId, perDoc] of await datasetSummaries(dataset.slug)) {
		const facts = new Map<string, SetFacts>();
		for (const [annotator, s] of perDoc) {
			facts.set(annotator, { status: s.status, active_seconds: s.active_seconds, updated_at: s.updated_at, spans: s.spans, ...(s.flag ? { flag: s.flag } : {}) });
		}
		sets.set(docId, facts);
	}
	return computeProgress({
		documents: headers.map((h) => ({ id: h.id, title: h.title })),
		members: dataset.members,
		assignments: dataset.assignments,
		sets
	});
}
