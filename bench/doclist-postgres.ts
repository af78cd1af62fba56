/**
 * The document list's new filters on the PostgreSQL store (issue #20 item 4), in-process:
 *   node --import tsx bench/doclist-postgres.ts [docs]     (default 10,000; not a step of run.ts yet)
 * on a throwaway cluster (tests/helpers/postgres.ts): `docs` documents, 3 annotators'
 * done sets of 30 spans each (the same sets as bench/doclist.ts), then the reads a
 * list page makes (documents.headers, sets.summaries) and one page through the pure
 * list functions with the label filter, "has disagreement" and the agreement sort.
 * (The page is not queryDocumentsFor itself: the PostgreSQL store is not the
 * configured store in this branch; with SPANLAB_STORE, bench/doclist.ts measures it.)
 * Progress on stderr; the last stdout line is the JSON result.
 */
import { performance } from 'node:perf_hooks';
import { startPostgres } from '../tests/helpers/postgres';
import { createPostgresStore } from '../src/lib/server/store/postgres/index';
import { filterRows, pageOf, parseDocumentQuery, sortRows, type DocumentRow } from '../src/lib/documents/query';
import { documentAgreement, keysDiffer } from '../src/lib/agreement/documentAgreement';
import { sha256Hex } from '../src/lib/server/sha256';

const N = Number(process.argv[2] ?? 10_000);
const log = (line: string) => process.stderr.write(line + '\n');
const result: Record<string, number> = { docs: N };
const cluster = await startPostgres();
const store = createPostgresStore(await cluster.newDatabase(), { max: 4 });
try {
	await store.init();
	await store.datasets.create({ slug: 'bench', title: 'Bench', createdBy: 'lead' });
	const text = (i: number) => `${'Le préfet a parlé hier à Paris. '.repeat(100)}${i}`;
	await store.documents.addMany(
		'bench',
		Array.from({ length: N }, (_, i) => ({ id: `d${i}`, title: `Article ${i}`, text: text(i), meta: { lang: i % 2 ? 'en' : 'fr' }, sha256: sha256Hex(text(i)) }))
	);
	// as bench/doclist.ts: ann2 moves a span on every third document, ann3 relabels one (ORG) on every fifth
	const LABELS = ['PER', 'LOC', 'DATE'];
	const spansOf = (doc: number, annotator: number) =>
		Array.from({ length: 30 }, (_, j) => {
			const start = j * 100 + (annotator === 1 && doc % 3 === 0 && j === 7 ? 1 : 0);
			const label = annotator === 2 && doc % 5 === 0 && j === 11 ? 'ORG' : LABELS[(doc + j) % 3];
			return { id: `s${j}`, start, end: start + 6, label, text: 'xxxxxx' };
		});
	let t = performance.now();
	for (let from = 0; from < N; from += 64) {
		const jobs = [];
		for (let i = from; i < Math.min(N, from + 64); i++) {
			for (let a = 0; a < 3; a++) {
				const annotator = `ann${a + 1}`;
				const spans = spansOf(i, a);
				const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString();
				jobs.push(
					store.sets.commit({ slug: 'bench', docId: `d${i}`, annotator }, 0, (current) => ({
						set: { ...current, revision: 1, status: 'done', spans, updated_at: at, updated_by: annotator },
						revision: { revision: 1, at, by: annotator, status: 'done', spans, added: spans.length, removed: 0, relabelled: 0 }
					}))
				);
			}
		}
		await Promise.all(jobs);
	}
	log(`${N} docs, 3 done sets of 30 spans each: ${Math.round(performance.now() - t)} ms (setup)`);

	let lastMedian = 0;
	const time = async (label: string, fn: () => Promise<unknown>, runs = 7) => {
		const ms: number[] = [];
		for (let i = 0; i < runs; i++) {
			const s = performance.now();
			await fn();
			ms.push(performance.now() - s);
		}
		ms.sort((a, b) => a - b);
		lastMedian = ms[Math.floor(runs / 2)];
		log(`${label}: median ${lastMedian.toFixed(1)} ms`);
	};
	await time('sets.summaries (every set of the dataset)', () => store.sets.summaries('bench'));
	result.summariesMs = lastMedian;
	await time('documents.headers', () => store.documents.headers('bench'));
	result.headersMs = lastMedian;
	const page = (params: string) => async () => {
		const query = parseDocumentQuery(new URLSearchParams(params));
		const [headers, summaries] = await Promise.all([store.documents.headers('bench'), store.sets.summaries('bench')]);
		const rows: DocumentRow[] = headers.map((h) => {
			const sets = [...(summaries.get(h.id)?.values() ?? [])];
			const keys = sets.filter((s) => s.status === 'done').map((s) => s.keys);
			return {
				id: h.id,
				title: h.title,
				position: h.position,
				status: 'not_started',
				spans: 0,
				activity: null,
				sources: [],
				labels: sets.flatMap((s) => s.labels),
				disagreement: keysDiffer(keys),
				agreement: query.sort.key === 'agreement' ? documentAgreement(keys) : undefined
			};
		});
		return pageOf(sortRows(filterRows(rows, query), query), query.page);
	};
	for (const [name, params] of [
		['page', 'page=2'],
		['label', 'label=ORG&page=2'],
		['disagreement', 'disagreement=1&page=2'],
		['agreementSort', 'sort=agreement&page=2']
	] as const) {
		await time(`a page: ${params}`, page(params));
		result[`${name}Ms`] = lastMedian;
	}
	process.stdout.write(JSON.stringify(result) + '\n');
} finally {
	await store.close();
	await cluster.stop();
}
