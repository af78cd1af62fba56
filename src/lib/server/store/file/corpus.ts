/**
 * Reading a whole dataset's work, one document at a time, so memory stays
 * flat in the size of the corpus (releases, agreement, progress).
 */
import { listDocumentHeaders, type StoredDocument } from './datasets';
import { datasetSummaries, loadSet, type SetSummary } from './annotations';
import { readJsonSync } from './durable';
import { FileReadAhead } from './readAhead';
import { datasetFiles } from './paths';
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
 * A file's JSON from the text the read-ahead worker brought (`text`), or read
 * here when it brought none or the text does not parse (readJsonSync then
 * throws what it throws).
 */
function jsonOf<T>(file: string, text: string | null | undefined): T {
	if (text != null) {
		try {
			return JSON.parse(text) as T;
		} catch {
			// read it again here: readJsonSync tells what is wrong
		}
	}
	return readJsonSync<T>(file);
}

/**
 * One set, read for a corpus walk (its text may have been read ahead).
 * `loadSet` also reads the revision log's last line, to repair a state file a
 * crash left behind; the summaries were built through it, and a summary's
 * revision only moves after its state file is written (atomically), so a
 * state file at the summary's revision is current and one read is enough.
 * Anything else takes the careful path.
 */
function readSetFast(file: string, summary: SetSummary, text?: string | null): AnnotationSet | null {
	let state: AnnotationSet;
	try {
		state = jsonOf<AnnotationSet>(file, text);
	} catch {
		return null;
	}
	return state.revision === summary.revision && state.annotator === summary.annotator ? state : null;
}

/** The files of a document's work: its own, then its chosen sets' (in the same order). */
const filesOf = (files: ReturnType<typeof datasetFiles>, id: string, chosen: SetSummary[]) => [files.documentFile(id), ...chosen.map((s) => files.annotationFile(id, s.annotator))];

/** `paths` as `filesOf` lists them; `texts`: the same files as read ahead, when they were. */
async function readWork(slug: string, id: string, chosen: SetSummary[], paths: readonly string[], texts?: readonly (string | null)[]): Promise<DocumentWork> {
	const document = jsonOf<StoredDocument>(paths[0], texts?.[0]);
	const sets: AnnotationSet[] = [];
	for (let i = 0; i < chosen.length; i++) sets.push(readSetFast(paths[i + 1], chosen[i], texts?.[i + 1]) ?? (await loadSet(slug, id, chosen[i].annotator)));
	return { document, sets };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Walks of at least this many documents read ahead in a worker thread (readAhead.ts); a thread costs a few milliseconds to start. */
export const READ_AHEAD_MIN_DOCUMENTS = 500;
/** Batches read ahead at most: 32 documents' files beyond the one the walk is at. */
const READ_AHEAD_BATCHES = 4;

/**
 * Documents (in id order) with their annotation sets, read from disk a few
 * documents at a time. A long walk (`readAhead`; by default from
 * READ_AHEAD_MIN_DOCUMENTS documents) has the files of the next batches read
 * in a worker thread meanwhile; the sets chosen for a document (and
 * `filter.document`) are then settled when its batch is sent, a few batches
 * before it is yielded.
 */
export async function* iterateWork(slug: string, filter: CorpusFilter = {}, readAhead?: boolean): AsyncGenerator<DocumentWork> {
	const headers = [...(await listDocumentHeaders(slug))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const summaries = await datasetSummaries(slug);
	const files = datasetFiles(slug);
	/** the sets of a document the walk reads, or null when it skips the document */
	const chosenFor = (id: string): SetSummary[] | null => {
		const perDoc = summaries.get(id);
		const chosen = perDoc
			? [...perDoc.values()]
					.filter((s) => s.revision > 0)
					.filter((s) => !filter.annotator || filter.annotator(s.annotator))
					.filter((s) => !filter.status || filter.status(s.status))
					.sort((a, b) => (a.annotator < b.annotator ? -1 : a.annotator > b.annotator ? 1 : 0))
			: [];
		if (filter.skipEmpty && chosen.length === 0) return null;
		if (filter.document && !filter.document(chosen)) return null;
		return chosen;
	};
	if (!(readAhead ?? headers.length >= READ_AHEAD_MIN_DOCUMENTS)) {
		let inBatch = 0;
		for (const header of headers) {
			const chosen = chosenFor(header.id);
			if (!chosen) continue;
			if (++inBatch > BATCH) {
				inBatch = 1;
				await nextTurn();
			}
			yield await readWork(slug, header.id, chosen, filesOf(files, header.id, chosen));
		}
		return;
	}
	const ahead = new FileReadAhead();
	try {
		let next = 0;
		const batches: { docs: { id: string; chosen: SetSummary[] }[]; paths: string[]; texts: Promise<(string | null)[]> }[] = [];
		const send = () => {
			while (batches.length < READ_AHEAD_BATCHES && next < headers.length) {
				const docs: { id: string; chosen: SetSummary[] }[] = [];
				const paths: string[] = [];
				while (docs.length < BATCH && next < headers.length) {
					const id = headers[next++].id;
					const chosen = chosenFor(id);
					if (!chosen) continue;
					docs.push({ id, chosen });
					paths.push(...filesOf(files, id, chosen));
				}
				if (docs.length) batches.push({ docs, paths, texts: ahead.read(paths) });
			}
		};
		send();
		while (batches.length) {
			const batch = batches.shift()!;
			send();
			const texts = await batch.texts;
			// a batch already read would resolve at once: let saves and page loads in between batches all the same
			await nextTurn();
			let at = 0;
			for (const { id, chosen } of batch.docs) {
				yield await readWork(slug, id, chosen, batch.paths.slice(at, at + 1 + chosen.length), texts.slice(at, at + 1 + chosen.length));
				at += 1 + chosen.length;
			}
		}
	} finally {
		ahead.close();
	}
}
