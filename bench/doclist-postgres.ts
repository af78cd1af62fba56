/**
 * The document list on the PostgreSQL store (issue #20 item 4), in-process:
 *   node --import tsx bench/doclist-postgres.ts [docs]     (default 10,000; run.ts: figure 20.4)
 * on a throwaway cluster (tests/helpers/postgres.ts): `docs` documents, 3 annotators'
 * done sets of 30 spans each (the same sets as bench/doclist.ts), then the reads a
 * list page makes (documents.headers, sets.summaries: the process's list cache,
 * store/postgres/listCache.ts), cold (a process's first read) and warm, one page
 * through the pure list functions with the label filter, "has disagreement" and the
 * agreement sort, the same pages of a lead through queryDocumentsFor itself (the
 * configured store: SPANLAB_STORE is set to the cluster before the seam is
 * imported), and one right after a save by a second store on the database
 * (another app process; a page that misses the save fails the bench). The first 15 documents' sets are saved through the store;
 * the others' rows are copies of theirs made in SQL (same columns, document i copies
 * document i mod 15: the same label, disagreement and agreement mix, a fraction of
 * the setup time). Texts are 320 characters (the list reads no text).
 * Progress on stderr; the last stdout line is the JSON result.
 */
import { performance } from 'node:perf_hooks';
import { startPostgres } from '../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from '../src/lib/server/store/postgres/index';
import { createSql } from '../src/lib/server/store/postgres/db';
import { filterRows, pageOf, parseDocumentQuery, sortRows, type DocumentRow } from '../src/lib/documents/query';
import { documentAgreement, keysDiffer } from '../src/lib/agreement/documentAgreement';
import { sha256Hex } from '../src/lib/server/sha256';

const N = Number(process.argv[2] ?? 10_000);
const log = (line: string) => process.stderr.write(line + '\n');
const result: Record<string, number> = { docs: N };
const cluster = await startPostgres({ durable: true });
const url = await cluster.newDatabase();
// the configured store, as an app process started with SPANLAB_STORE has it (queryDocumentsFor reads it)
process.env.SPANLAB_STORE = url;
const store = (await import('../src/lib/server/store')).store as PostgresStore;
const { queryDocumentsFor } = await import('../src/lib/server/annotate/documentList');
// another app process on the same database
const other = createPostgresStore(url, { max: 2 });
const TEMPLATES = 15;
try {
	await store.init();
	await store.datasets.create({ slug: 'bench', title: 'Bench', createdBy: 'lead' });
	const text = (i: number) => `${'Le préfet a parlé hier à Paris. '.repeat(10)}${i}`;
	let t = performance.now();
	await store.documents.addMany(
		'bench',
		(function* () {
			for (let i = 0; i < N; i++) yield { id: `d${i}`, title: `Article ${i}`, text: text(i), meta: { lang: i % 2 ? 'en' : 'fr' }, sha256: sha256Hex(text(i)) };
		})()
	);
	log(`${N} docs added: ${Math.round(performance.now() - t)} ms`);
	// as bench/doclist.ts: ann2 moves a span on every third document, ann3 relabels one (ORG) on every fifth
	const LABELS = ['PER', 'LOC', 'DATE'];
	const spansOf = (doc: number, annotator: number) =>
		Array.from({ length: 30 }, (_, j) => {
			const start = j * 100 + (annotator === 1 && doc % 3 === 0 && j === 7 ? 1 : 0);
			const label = annotator === 2 && doc % 5 === 0 && j === 11 ? 'ORG' : LABELS[(doc + j) % 3];
			return { id: `s${j}`, start, end: start + 6, label, text: 'xxxxxx' };
		});
	t = performance.now();
	const saved = Math.min(N, TEMPLATES);
	for (let from = 0; from < saved; from += 64) {
		const jobs = [];
		for (let i = from; i < Math.min(saved, from + 64); i++) {
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
	// the other documents' sets: copies of the templates' rows (every column a list reads)
	const raw = createSql(url, { max: 1 });
	try {
		await raw`
			INSERT INTO annotation_sets (dataset_id, document_id, annotator, revision, status, updated_at, updated_by, active_seconds, state,
				reviewed_spans, flag_reason, span_labels, span_keys, updated_at_text)
			SELECT s.dataset_id, 'd' || i, s.annotator, s.revision, s.status, s.updated_at, s.updated_by, s.active_seconds, s.state,
				s.reviewed_spans, s.flag_reason, s.span_labels, s.span_keys, s.updated_at_text
			FROM generate_series(${TEMPLATES}::int, ${N - 1}::int) AS i
			JOIN annotation_sets s ON s.document_id = 'd' || (i % ${TEMPLATES})`;
		await raw`ANALYZE annotation_sets`;
		await raw`ANALYZE documents`;
	} finally {
		await raw.end();
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
	t = performance.now();
	await Promise.all([store.documents.headers('bench'), store.sets.summaries('bench')]);
	result.coldMs = performance.now() - t;
	log(`first read of headers and summaries (a process's cold cache): ${result.coldMs.toFixed(1)} ms`);
	await other.documents.headers('bench');
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
	// the lead's page through the domain function itself (what GET …/documents answers)
	const lead = { username: 'lead', role: 'lead' as const };
	const leadPage = (params: string) => () => queryDocumentsFor(lead, 'bench', parseDocumentQuery(new URLSearchParams(params)));
	for (const [name, params] of [
		['leadPage', 'page=2'],
		['leadLabel', 'label=ORG&page=2'],
		['leadDisagreement', 'disagreement=1&page=2'],
		['leadAgreementSort', 'sort=agreement&page=2'],
		['leadAll', 'label=ORG&disagreement=1&sort=-agreement&meta.lang=fr']
	] as const) {
		await time(`queryDocumentsFor: ${params}`, leadPage(params));
		result[`${name}Ms`] = lastMedian;
	}
	// a save by the other process, then a page here: the change is read, and only it
	const afterSave: number[] = [];
	for (let revision = 1; revision <= 7; revision++) {
		const key = { slug: 'bench', docId: 'd7', annotator: 'ann1' };
		const at = new Date().toISOString();
		const r = await other.sets.commit(key, revision, (current) => ({
			set: { ...current, revision: revision + 1, status: 'in_progress', updated_at: at, updated_by: 'ann1' },
			revision: { revision: revision + 1, at, by: 'ann1', status: 'in_progress', spans: current.spans, added: 0, removed: 0, relabelled: 0 }
		}));
		if (!r.ok) throw new Error('bench save refused');
		const s = performance.now();
		await leadPage('disagreement=1&page=2')();
		afterSave.push(performance.now() - s);
		const seen = (await store.sets.summaries('bench')).get('d7')?.get('ann1')?.revision;
		if (seen !== revision + 1) throw new Error(`stale read: revision ${seen}, saved ${revision + 1}`);
	}
	afterSave.sort((x, y) => x - y);
	result.afterSaveMs = afterSave[3];
	log(`a page right after a save by another process: median ${result.afterSaveMs.toFixed(1)} ms`);
	process.stdout.write(JSON.stringify(result) + '\n');
} finally {
	await Promise.all([store.close(), other.close()]);
	await cluster.stop();
}
