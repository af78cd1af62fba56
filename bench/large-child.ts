/**
 * Child process for figure 20 (issue #20, the large dataset): a fresh process on
 * a data folder written by bench/large-generate.ts, as a server after a restart.
 * Measures, in this order:
 *  - opening the large dataset (document headers and set summaries: what the first
 *    page load after a restart waits for), and how the index was opened;
 *  - a page of the document list as a lead sees it (`queryDocumentsFor`, the code of
 *    `GET /api/datasets/{slug}/documents`), median of `rounds` after a warm-up;
 *  - saves of 30 spans (`saveSet`, the store's commit with its fsyncs) on a set of
 *    the large dataset and one of the small, interleaved, `saves` each;
 *  - the search index's first build (and the heap it holds), then phrase searches,
 *    medians: one with a word few documents hold, one of words all of them hold.
 * The store is the configured one (SPANLAB_STORE, default the file store under
 * SPANLAB_DATA), so the same figures can run on another backend once it is selectable.
 *
 *   SPANLAB_DATA=… node --import tsx bench/large-child.ts '<options JSON>'
 * Prints one JSON line.
 */
import { datasetSummaries, listDocumentHeaders, store } from '../src/lib/server/store';
import { queryDocumentsFor } from '../src/lib/server/annotate/documentList';
import { parseDocumentQuery } from '../src/lib/documents/query';
import { saveSet } from '../src/lib/server/annotate/saveSet';
import { makeArticle, makeSpans, LABELS } from './corpus';
import { median } from './lib';
import fs from 'node:fs';
import { resetSearchCache, searchIndexWritten } from '../src/lib/server/store/file/search';
import { searchIndexFile } from '../src/lib/server/store/file/searchIndexFile';
import v8 from 'node:v8';
import vm from 'node:vm';

interface Options {
	large: string;
	small: string;
	rounds: number;
	saves: number;
	articleChars: number;
	/** a phrase with a word few documents hold (a title's number), and one of words every document holds */
	phrase: string;
	commonPhrase: string;
}
const o = JSON.parse(process.argv[2]) as Options;
const lead = { username: 'lead', role: 'lead' as const };
const out: Record<string, unknown> = {};

async function times(rounds: number, fn: () => Promise<unknown>): Promise<number[]> {
	const ms: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const t0 = performance.now();
		await fn();
		ms.push(performance.now() - t0);
	}
	return ms;
}

// ---- open after a restart
let t0 = performance.now();
const cpu0 = process.cpuUsage();
const headers = await listDocumentHeaders(o.large);
out.headersMs = performance.now() - t0;
const summaries = await datasetSummaries(o.large);
out.openMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
// on a busy machine the wall time is mostly waiting for a core; the CPU time is the steadier reading
out.openCpuMs = (cpu.user + cpu.system) / 1000;
out.documents = headers.length;
out.sets = [...summaries.values()].reduce((n, perDoc) => n + perDoc.size, 0);
out.heapAfterOpenMb = process.memoryUsage().heapUsed / 2 ** 20;
// the file store's index says how it opened (from its snapshot, or rebuilt from the files); another backend has none
const { openedIndex } = await import('../src/lib/server/store/file/datasetIndex');
const onPostgres = process.env.SPANLAB_STORE?.startsWith('postgres') ?? false;
out.openedFrom = onPostgres ? 'database' : (openedIndex(o.large)?.opened ?? 'n/a');
out.openChecks = openedIndex(o.large)?.openChecks ?? null;

// ---- a page of the document list (the first page, then one sorted by title, page 3)
const query = (q: string) => parseDocumentQuery(new URLSearchParams(q));
await queryDocumentsFor(lead, o.large, query(''));
out.pageMs = median(await times(o.rounds, () => queryDocumentsFor(lead, o.large, query(''))));
out.sortedPageMs = median(await times(o.rounds, () => queryDocumentsFor(lead, o.large, query('sort=-title&page=3&status=done'))));

// ---- saves: one set in each dataset, alternately, each save changing the spans (so each writes a revision)
const article = makeArticle(0, o.articleChars, 'doc');
const variants = [makeSpans(article, 30, 7), makeSpans(article, 30, 8)];
const base: Record<string, number> = { [o.large]: (await store.sets.load({ slug: o.large, docId: article.id, annotator: 'ann1' })).revision, [o.small]: 0 };
base[o.small] = (await store.sets.load({ slug: o.small, docId: article.id, annotator: 'ann1' })).revision;
const saveMs: Record<string, number[]> = { [o.large]: [], [o.small]: [] };
for (let i = 0; i < o.saves + 3; i++) {
	for (const slug of i % 2 ? [o.large, o.small] : [o.small, o.large]) {
		const s = performance.now();
		const r = await saveSet(slug, article, 'ann1', 'ann1', LABELS, { baseRevision: base[slug], spans: variants[i % 2] });
		if (i >= 3) saveMs[slug].push(performance.now() - s); // the first rounds warm the code up
		base[slug] = r.revision;
	}
}
out.saveLargeMs = median(saveMs[o.large]);
out.saveSmallMs = median(saveMs[o.small]);
// ---- search: the first build, then a phrase
// a full collection on both sides, so that the difference is the index (the saves' garbage made it negative)
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
gc();
const usedMemory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers; // typed arrays live outside the heap
const heapBefore = usedMemory();
t0 = performance.now();
await store.documents.search(o.large, 'budget');
out.searchBuildMs = performance.now() - t0;
gc();
out.searchHeapMb = (usedMemory() - heapBefore) / 2 ** 20;
let hits = 0;
out.phraseMs = median(
	await times(o.rounds, async () => {
		hits = (await store.documents.search(o.large, `"${o.phrase}"`)).length;
	})
);
out.phraseHits = hits;
// every document holds every word of this one: the word-pair lists leave few candidates (MiniSearch gave all of them, each text read: ~25 s at 100,000)
out.commonPhraseMs = median(
	await times(1, async () => {
		hits = (await store.documents.search(o.large, `"${o.commonPhrase}"`)).length;
	})
);
out.commonPhraseHits = hits;
out.listSearchMs = median(await times(o.rounds, () => queryDocumentsFor(lead, o.large, query(`q=${encodeURIComponent(`"${o.phrase}"`)}`))));
// the file store's index file (written after the build): how long the write took past the queries above, its size,
// and a first search that loads it; PostgreSQL keeps its search in the database (no file, nothing to load)
if (!onPostgres) {
	t0 = performance.now();
	await searchIndexWritten(o.large);
	out.searchWriteWaitMs = performance.now() - t0;
	out.searchFileMb = fs.statSync(searchIndexFile(o.large)).size / 2 ** 20;
	resetSearchCache();
	t0 = performance.now();
	await store.documents.search(o.large, 'budget');
	out.searchLoadMs = performance.now() - t0;
}

out.maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
