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

/**
 * Documents that are read ahead of the consumer: enough to keep the disk busy
 * (each document is a handful of small files) while memory stays bounded.
 */
const READ_AHEAD = 32;

/**
 * Documents (in id order) with their annotation sets, read from disk one document at a time.
 * Reads run up to READ_AHEAD documents ahead of the consumer; they still come out in id order.
 */
export async function* iterateWork(slug: string, filter: CorpusFilter = {}): AsyncGenerator<DocumentWork> {
	const headers = [...(await listDocumentHeaders(slug))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const summaries = await datasetSummaries(slug);
	const read = async (id: string, names: string[]): Promise<DocumentWork> => {
		const [document, sets] = await Promise.all([
			getDocument(slug, id),
			Promise.all(names.map((name) => loadSet(slug, id, name)))
		]);
		return { document, sets };
	};
	const pending: Promise<DocumentWork>[] = [];
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
		const work = read(header.id, names);
		work.catch(() => {}); // reported when its turn comes; silenced if the consumer stops early
		pending.push(work);
		if (pending.length >= READ_AHEAD) yield await pending.shift()!;
	}
	while (pending.length) yield await pending.shift()!;
}
