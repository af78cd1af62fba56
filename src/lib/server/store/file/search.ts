/**
 * The file store's document search: one MiniSearch index per dataset (titles
 * and texts), built lazily on the first search from the document files, kept
 * in memory, extended when an import adds documents. MiniSearch is given our
 * folding ($lib/text/fold) as its tokenizer so that what is indexed and what
 * is searched fold alike («Élysée» is `elysee`), and is asked for whole words
 * only (no prefix, no fuzzy). Phrases: the index's candidates for all of a
 * phrase's words, kept when the folded text holds the phrase's words in order.
 *
 * The build reads CHUNK documents at a time and adds them in slices of at
 * most SLICE_MS, yielding to the event loop (setImmediate) between slices, so
 * a first search on a large dataset never blocks other requests for long
 * (bench/doclist.ts measures it).
 */
import MiniSearch from 'minisearch';
import { foldedWords } from '../../../text/fold';
import { searchTerms } from '../../../documents/query';
import { getDocument, listDocumentHeaders, listDocumentMetas } from './datasets';

const CHUNK = 100;
const SLICE_MS = 10;

interface DatasetIndex {
	mini: MiniSearch<{ id: string; title: string; text: string }>;
}

const indexes = new Map<string, Promise<DatasetIndex>>();

function newIndex(): DatasetIndex['mini'] {
	return new MiniSearch({
		fields: ['title', 'text'],
		tokenize: (text) => foldedWords(text),
		// already folded by the tokenizer; a query goes through tokenize too
		processTerm: (term) => term,
		searchOptions: { prefix: false, fuzzy: false, combineWith: 'AND', boost: { title: 2 } }
	});
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Doc = { id: string; title: string; text: string };

/** Adds the documents, yielding whenever a slice has run SLICE_MS. */
async function addSliced(index: DatasetIndex, docs: Doc[]): Promise<void> {
	let start = performance.now();
	for (const d of docs) {
		add(index, d);
		if (performance.now() - start > SLICE_MS) {
			await yieldToLoop();
			start = performance.now();
		}
	}
}

async function build(slug: string): Promise<DatasetIndex> {
	const index: DatasetIndex = { mini: newIndex() };
	const headers = await listDocumentHeaders(slug);
	for (let i = 0; i < headers.length; i += CHUNK) {
		await addSliced(index, await Promise.all(headers.slice(i, i + CHUNK).map((h) => getDocument(slug, h.id))));
	}
	return index;
}

function add(index: DatasetIndex, d: Doc) {
	if (index.mini.has(d.id)) return;
	index.mini.add({ id: d.id, title: d.title, text: d.text });
}

function indexOf(slug: string): Promise<DatasetIndex> {
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
	for (let i = 0; i < ids.length; i += CHUNK) {
		await addSliced(index, await Promise.all(ids.slice(i, i + CHUNK).map((id) => getDocument(slug, id))));
	}
}

function holdsPhrase(title: string, text: string, phrase: string): boolean {
	// word boundaries: compare the folded word sequences, joined by one space
	const words = (s: string) => ` ${foldedWords(s).join(' ')} `;
	return words(title).includes(` ${phrase} `) || words(text).includes(` ${phrase} `);
}

/** The ids of the documents matching every word and phrase of `q`, best first. */
export async function searchDocuments(slug: string, q: string): Promise<string[]> {
	const { words, phrases } = searchTerms(q);
	const all = [...words, ...phrases.flatMap((p) => p.split(' '))];
	if (all.length === 0) return [];
	const index = await indexOf(slug);
	const ids = index.mini.search(all.join(' ')).map((r) => r.id as string);
	if (phrases.length === 0) return ids;
	const kept: string[] = [];
	for (let i = 0; i < ids.length; i += CHUNK) {
		const docs = await Promise.all(ids.slice(i, i + CHUNK).map((id) => getDocument(slug, id)));
		for (const d of docs) if (phrases.every((p) => holdsPhrase(d.title, d.text, p))) kept.push(d.id);
	}
	return kept;
}

/** Each document's meta (for the list's filters): the dataset's index keeps them (datasetIndex.ts). */
export async function documentMeta(slug: string): Promise<Map<string, Record<string, unknown>>> {
	return listDocumentMetas(slug);
}

export function forgetIndex(slug: string): void {
	indexes.delete(slug);
}

export function resetSearchCache(): void {
	indexes.clear();
}
