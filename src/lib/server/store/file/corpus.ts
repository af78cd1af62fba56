/**
 * Reading a whole dataset's work, one document at a time, so memory stays
 * flat in the size of the corpus (releases, agreement, progress).
 */
import { listDocumentHeaders, type StoredDocument } from './datasets';
import { datasetSummaries, loadSet, type SetSummary } from './annotations';
import { readJsonSync } from './durable';
import { annotationFile, documentFile } from './paths';
import type { AnnotationSet } from '../../../model/types';
import type { CorpusFilter, DocumentWork } from '../../../model/work';

export type { CorpusFilter, DocumentWork };



/**
 * How the walk reads. Corpus files are small (a document, a few sets), and
 * through the thread pool each costs four round trips (open, stat, read,
 * close) that take more CPU than the read itself: 10,000 documents with three
 * sets each took ~4.5 s of CPU with fs/promises against ~1 s read
 * synchronously. So a batch of documents is read synchronously, and the walk
 * yields to the event loop between batches: a batch blocks it for about a
 * millisecond, so saves and page loads keep flowing during a long walk.
 */
const BATCH = 8;

/**
 * One set, read for a corpus walk. `loadSet` also reads the revision log's
 * last line, to repair a state file a crash left behind; the summaries were
 * built through it, and a summary's revision only moves after its state file
 * is written (atomically), so a state file at the summary's revision is
 * current and one read is enough. Anything else takes the careful path.
 */
function readSetFast(slug: string, docId: string, summary: SetSummary): AnnotationSet | null {
	let state: AnnotationSet;
	try {
		state = readJsonSync<AnnotationSet>(annotationFile(slug, docId, summary.annotator));
	} catch {
		return null;
	}
	return state.revision === summary.revision && state.annotator === summary.annotator ? state : null;
}

async function readWork(slug: string, id: string, chosen: SetSummary[]): Promise<DocumentWork> {
	const document = readJsonSync<StoredDocument>(documentFile(slug, id));
	const sets: AnnotationSet[] = [];
	for (const summary of chosen) sets.push(readSetFast(slug, id, summary) ?? (await loadSet(slug, id, summary.annotator)));
	return { document, sets };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Documents (in id order) with their annotation sets, read from disk a few documents at a time. */
export async function* iterateWork(slug: string, filter: CorpusFilter = {}): AsyncGenerator<DocumentWork> {
	const headers = [...(await listDocumentHeaders(slug))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const summaries = await datasetSummaries(slug);
	let inBatch = 0;
	for (const header of headers) {
		const perDoc = summaries.get(header.id);
		const chosen = perDoc
			? [...perDoc.values()]
					.filter((s) => s.revision > 0)
					.filter((s) => !filter.annotator || filter.annotator(s.annotator))
					.filter((s) => !filter.status || filter.status(s.status))
					.sort((a, b) => (a.annotator < b.annotator ? -1 : a.annotator > b.annotator ? 1 : 0))
			: [];
		if (filter.skipEmpty && chosen.length === 0) continue;
		if (filter.document && !filter.document(chosen)) continue;
		if (++inBatch > BATCH) {
			inBatch = 1;
			await nextTurn();
		}
		yield await readWork(slug, header.id, chosen);
	}
}
