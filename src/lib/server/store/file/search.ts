/**
 * The file store's document search: one word index per dataset (wordIndex.ts:
 * posting lists of words and of word pairs over titles and texts), built
 * lazily on the first search from the document files, kept in memory,
 * extended when an import adds documents. Words are folded by $lib/text/fold
 * («Élysée» is `elysee`), so what is indexed and what is searched fold alike;
 * only whole words match (no prefix, no fuzzy).
 *
 * A query's candidates are the intersection of its words' lists and of its
 * phrases' pair lists, rarest first; a two-word phrase is exact from its pair
 * list, a longer one is checked on the candidates' word sequences the index
 * keeps (the pairs leave few: `"selon le maire"` is the documents holding both
 * `selon le` and `le maire`); a search reads no document file.
 * Order: the documents whose title holds more of the query's words first,
 * then the dataset's order (MiniSearch ranked by BM25 before; title hits first
 * is what the list promises).
 *
 * The index is kept on disk too (searchIndexFile.ts: written after a build
 * and after imports, crash-safe): a first search after a restart loads it
 * and reads only the documents it lacks; a file that is missing, torn or out
 * of step with the dataset's documents is rebuilt from the files. The file is
 * written whole (283 MB in ~4 s at 100,000 documents), so an import rewrites
 * it only once the documents the file lacks reach a tenth of the index (at
 * most BEHIND_MAX): a one-document import into a large dataset costs no
 * rewrite, and a restart reads at most that many document files.
 *
 * The build reads CHUNK documents at a time and adds them in slices of at
 * most SLICE_MS, yielding to the event loop (setImmediate) between slices, so
 * a first search on a large dataset never blocks other requests for long
 * (bench/doclist.ts measures it).
 */
import { foldedWords } from '../../../text/fold';
import { searchTerms } from '../../../documents/query';
import { getDocument, listDocumentHeaders, listDocumentMetas } from './datasets';
import { WordIndex } from './wordIndex';
import { readSearchIndex, writeSearchIndex } from './searchIndexFile';

const CHUNK = 100;
const SLICE_MS = 10;
/** the most documents the file on disk may lack before an import rewrites it */
const BEHIND_MAX = 1000;

/** per dataset, how many documents the index file on disk holds (as this process wrote or loaded it) */
const onDisk = new Map<string, number>();

const indexes = new Map<string, Promise<WordIndex>>();

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Doc = { id: string; title: string; text: string };

/** Adds the documents, yielding whenever a slice has run SLICE_MS. */
async function addSliced(index: WordIndex, docs: Doc[]): Promise<void> {
	let start = performance.now();
	for (const d of docs) {
		index.add(d.id, foldedWords(d.title), foldedWords(d.text));
		if (performance.now() - start > SLICE_MS) {
			await yieldToLoop();
			start = performance.now();
		}
	}
}

async function build(slug: string): Promise<WordIndex> {
	const headers = await listDocumentHeaders(slug);
	const loaded = await readSearchIndex(slug, new Map(headers.map((h) => [h.id, h])));
	const index = loaded ?? new WordIndex();
	const missing = headers.filter((h) => !index.has(h.id));
	for (let i = 0; i < missing.length; i += CHUNK) {
		await addSliced(index, await Promise.all(missing.slice(i, i + CHUNK).map((h) => getDocument(slug, h.id))));
	}
	if (missing.length > 0) index.compact();
	if (!loaded) persist(slug, index);
	else {
		onDisk.set(slug, index.docs.length - missing.length);
		persistIfBehind(slug, index);
	}
	return index;
}

/** Per dataset, the index's changes and writes one after the other (the writer walks the index between awaits). */
const queues = new Map<string, Promise<void>>();

function serial(slug: string, job: () => Promise<void>): Promise<void> {
	const next = (queues.get(slug) ?? Promise.resolve()).then(job);
	const settled = next.catch(() => {});
	queues.set(slug, settled);
	void settled.then(() => {
		if (queues.get(slug) === settled) queues.delete(slug);
	});
	return next;
}

/** Queues a write of the index to disk. A failed write only costs the next start a rebuild. */
function persist(slug: string, index: WordIndex): void {
	serial(slug, async () => {
		const docs = index.docs.length;
		await writeSearchIndex(slug, index, new Map((await listDocumentHeaders(slug)).map((h) => [h.id, h])));
		onDisk.set(slug, docs);
	}).catch(
		(e: NodeJS.ErrnoException) => {
			if (e?.code !== 'ENOENT') console.warn(`search index of ${slug} not written: ${e?.message ?? e}`);
		}
	);
}

/** Writes the index once the file lacks a tenth of its documents, or BEHIND_MAX (a small dataset: at every import). */
function persistIfBehind(slug: string, index: WordIndex): void {
	const behind = index.docs.length - (onDisk.get(slug) ?? 0);
	if (behind > 0 && behind >= Math.min(BEHIND_MAX, Math.ceil(index.docs.length / 10))) persist(slug, index);
}

/** Resolves when the index's changes and writes queued so far are done (tests). */
export async function searchIndexWritten(slug: string): Promise<void> {
	await queues.get(slug);
}

function indexOf(slug: string): Promise<WordIndex> {
	let entry = indexes.get(slug);
	if (!entry) {
		entry = build(slug);
		indexes.set(slug, entry);
		entry.catch(() => indexes.delete(slug));
	}
	return entry;
}

/** Documents an import added: into the index if it is built (else the build will read them). */
export async function indexAdded(slug: string, ids: string[]): Promise<void> {
	const entry = indexes.get(slug);
	if (!entry || ids.length === 0) return;
	const index = await entry;
	await serial(slug, async () => {
		for (let i = 0; i < ids.length; i += CHUNK) {
			await addSliced(index, await Promise.all(ids.slice(i, i + CHUNK).map((id) => getDocument(slug, id))));
		}
	});
	persistIfBehind(slug, index);
}

/** The ids of the documents matching every word and phrase of `q`, best first. */
export async function searchDocuments(slug: string, q: string): Promise<string[]> {
	const { words, phrases } = searchTerms(q);
	const all = [...new Set([...words, ...phrases.flatMap((p) => p.split(' '))])];
	if (all.length === 0) return [];
	const index = await indexOf(slug);
	let found = index.candidates(words, phrases);
	const unsure = phrases.map((p) => p.split(' ')).filter((p) => p.length > 2);
	if (unsure.length) {
		// in slices that yield, as the build: a phrase whose pairs every document holds checks them all
		const kept: number[] = [];
		let start = performance.now();
		for (const n of found) {
			if (unsure.every((p) => index.holdsPhrase(n, p))) kept.push(n);
			if (performance.now() - start > SLICE_MS) {
				await yieldToLoop();
				start = performance.now();
			}
		}
		found = kept;
	}
	const ranked = found.map((n) => ({ n, hits: index.titleHits(n, all) }));
	ranked.sort((a, b) => b.hits - a.hits || a.n - b.n);
	return ranked.map((r) => index.docs[r.n]);
}

/** Each document's meta (for the list's filters): the dataset's index keeps them (datasetIndex.ts). */
export async function documentMeta(slug: string): Promise<Map<string, Record<string, unknown>>> {
	return listDocumentMetas(slug);
}

export function forgetIndex(slug: string): void {
	indexes.delete(slug);
	onDisk.delete(slug);
}

export function resetSearchCache(): void {
	indexes.clear();
	onDisk.clear();
}
