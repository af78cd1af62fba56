/**
 * Reading a whole dataset's work, one document at a time, so memory stays
 * flat in the size of the corpus (releases, agreement, progress).
 */
import { getDocument, listDocumentHeaders, type StoredDocument } from './datasets';
import { datasetSummaries, loadSet } from './annotations';
import type { AnnotationSet, Status } from '../../types';

export interface DocumentWork {
	document: StoredDocument;
	/** sets in annotator order (gold included when asked for) */
	sets: AnnotationSet[];
}

export interface CorpusFilter {
	/** which annotators' sets to include; default: all, gold included */
	annotator?: (name: string) => boolean;
	/** which statuses to include; default: all with at least one revision */
	status?: (status: Status) => boolean;
	/** skip documents that end up with no sets */
	skipEmpty?: boolean;
}

/** Documents (in id order) with their annotation sets, read from disk one document at a time. */
export async function* iterateWork(slug: string, filter: CorpusFilter = {}): AsyncGenerator<DocumentWork> {
	const headers = [...(await listDocumentHeaders(slug))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const summaries = await datasetSummaries(slug);
	for (const header of headers) {
		const perDoc = summaries.get(header.id);
		const names = perDoc
			? [...perDoc.values()]
					.filter((s) => s.revision > 0)
					.filter((s) => !filter.annotator || filter.annotator(s.annotator))
					.filter((s) => !filter.status || filter.status(s.status))
					.map((s) => s.annotator)
					.sort()
			: [];
		if (filter.skipEmpty && names.length === 0) continue;
		const document = await getDocument(slug, header.id);
		const sets: AnnotationSet[] = [];
		for (const name of names) sets.push(await loadSet(slug, header.id, name));
		yield { document, sets };
	}
}
