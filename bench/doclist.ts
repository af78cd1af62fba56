/**
 * The document list on the file store (issue #20 item 4), in-process:
 *   node --import tsx bench/doclist.ts [docs]     (also a step of bench/run.ts)
 * builds a dataset of `docs` (default 10,000) news-like articles, then measures
 * the search index's first build (and the longest the event loop was blocked
 * meanwhile), a word search, a phrase search, and one page of a searched,
 * filtered, sorted list (the same calls documentList.ts makes). Then 3
 * annotators' done sets of 30 spans on every document (straight through
 * store.sets.commit), and one page of the lead's list through the domain function
 * itself (queryDocumentsFor) filtered by a label, by "has disagreement", and sorted
 * by agreement. Progress on stderr; the last stdout line is the JSON result
 * (bench/lib.ts runChild).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const N = Number(process.argv[2] ?? 10_000);
const root = fs.mkdtempSync(path.join(existsShm() ? '/dev/shm' : os.tmpdir(), 'spanlab-doclist-'));
process.env.SPANLAB_DATA = root;
const result: Record<string, number> = { docs: N };
const log = (line: string) => process.stderr.write(line + '\n');
function existsShm() {
	return fs.existsSync('/dev/shm');
}

const { store } = await import('../src/lib/server/store');
const { parseDocumentQuery, filterRows, sortRows, pageOf } = await import('../src/lib/documents/query');

const WORDS = 'le la les un une des préfet maire président Élysée Paris Lyon Nouméa budget réforme loi vote sénat assemblée grève école hôpital police justice météo économie'.split(' ');
let seed = 1;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const article = (i: number) => Array.from({ length: 500 }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ') + (i % 100 === 7 ? ' le préfet a parlé hier' : '') + '.';

try {
	await store.datasets.create({ slug: 'bench', title: 'Bench', createdBy: 'lead' });
	const docs = Array.from({ length: N }, (_, i) => ({ id: `d${i}`, title: `${WORDS[i % WORDS.length]} ${i}`, text: article(i), meta: { lang: i % 2 ? 'en' : 'fr' }, sha256: `sha${i}` }));
	let t = performance.now();
	await store.documents.addMany('bench', docs);
	log(`import ${N} docs: ${Math.round(performance.now() - t)} ms (setup)`);

	// the longest stretch the event loop went without running a timer while the index builds
	let worst = 0;
	let last = performance.now();
	const probe = setInterval(() => {
		const now = performance.now();
		worst = Math.max(worst, now - last);
		last = now;
	}, 1);
	t = performance.now();
	await store.documents.search('bench', 'préfet');
	const build = performance.now() - t;
	clearInterval(probe);
	result.buildMs = build;
	result.buildWorstBlockMs = worst;
	log(`first search (index build over ${N} docs): ${Math.round(build)} ms; longest event-loop block ${Math.round(worst)} ms`);

	let lastMedian = 0;
	const time = async (label: string, fn: () => Promise<unknown>, runs = 10) => {
		const ms: number[] = [];
		let out: unknown;
		for (let i = 0; i < runs; i++) {
			const s = performance.now();
			out = await fn();
			ms.push(performance.now() - s);
		}
		ms.sort((a, b) => a - b);
		log(`${label}: median ${ms[Math.floor(runs / 2)].toFixed(1)} ms`);
		lastMedian = ms[Math.floor(runs / 2)];
		return out;
	};
	const hits = (await time('search a word (elysee)', () => store.documents.search('bench', 'elysee'))) as string[];
	const phrase = (await time('search a phrase ("le prefet a parle")', () => store.documents.search('bench', '"le prefet a parle"'))) as string[];
	result.phraseMs = lastMedian;
	log(`  ${hits.length} word hits, ${phrase.length} phrase hits`);
	await time('search + filter + sort + page (q=elysee paris&meta.lang=fr&sort=-title&page=2)', async () => {
		const query = parseDocumentQuery(new URLSearchParams('q=elysee paris&meta.lang=fr&sort=-title&page=2'));
		const [headers, summaries, metas, ranked] = await Promise.all([store.documents.headers('bench'), store.sets.summaries('bench'), store.documents.metas('bench'), store.documents.search('bench', query.q)]);
		const rank = new Map(ranked.map((id, i) => [id, i]));
		const rows = headers
			.filter((h) => rank.has(h.id))
			.map((h) => ({ id: h.id, title: h.title, position: h.position, status: summaries.get(h.id)?.get('lead')?.status ?? ('not_started' as const), spans: 0, activity: null, sources: [], meta: metas.get(h.id) }));
		return pageOf(sortRows(filterRows(rows, query), query), query.page);
	});
	result.pageMs = lastMedian;

	// 3 annotators × 30 spans on every document, done; ann2 moves one span on every
	// third document and ann3 relabels one on every fifth: about half disagree
	const { queryDocumentsFor } = await import('../src/lib/server/annotate/documentList');
	// ORG only where ann3 relabels a span: a label on a fifth of the documents
	const LABELS = ['PER', 'LOC', 'DATE'];
	const spansOf = (doc: number, annotator: number) =>
		Array.from({ length: 30 }, (_, j) => {
			const start = j * 100 + (annotator === 1 && doc % 3 === 0 && j === 7 ? 1 : 0);
			const label = annotator === 2 && doc % 5 === 0 && j === 11 ? 'ORG' : LABELS[(doc + j) % 3];
			return { id: `s${j}`, start, end: start + 6, label, text: 'xxxxxx' };
		});
	t = performance.now();
	const BATCH = 64;
	for (let from = 0; from < N; from += BATCH) {
		const jobs = [];
		for (let i = from; i < Math.min(N, from + BATCH); i++) {
			for (let a = 0; a < 3; a++) {
				const annotator = `ann${a + 1}`;
				const spans = spansOf(i, a);
				jobs.push(
					store.sets.commit({ slug: 'bench', docId: `d${i}`, annotator }, 0, (current) => {
						const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString();
						return {
							set: { ...current, revision: 1, status: 'done', spans, updated_at: at, updated_by: annotator },
							revision: { revision: 1, at, by: annotator, status: 'done', spans, added: spans.length, removed: 0, relabelled: 0 }
						};
					})
				);
			}
		}
		await Promise.all(jobs);
	}
	log(`3 annotators' done sets of 30 spans on ${N} docs: ${Math.round(performance.now() - t)} ms (setup)`);
	const lead = { username: 'lead', role: 'lead' as const };
	await store.sets.summaries('bench');
	let shown = 0;
	const leadPage = (params: string) => async () => {
		const page = await queryDocumentsFor(lead, 'bench', parseDocumentQuery(new URLSearchParams(params)));
		shown = page.total;
	};
	await time('lead list page (page=2), the baseline', leadPage('page=2'));
	result.leadPageMs = lastMedian;
	await time('label filter (label=ORG&page=2)', leadPage('label=ORG&page=2'));
	result.labelMs = lastMedian;
	log(`  ${shown} documents with ORG`);
	await time('has disagreement (disagreement=1&page=2)', leadPage('disagreement=1&page=2'));
	result.disagreementMs = lastMedian;
	result.disagreeing = shown;
	log(`  ${shown} documents with a disagreement`);
	await time('sort by agreement (sort=agreement&page=2)', leadPage('sort=agreement&page=2'));
	result.agreementSortMs = lastMedian;
	await time('all three (label=ORG&disagreement=1&sort=-agreement&meta.lang=fr)', leadPage('label=ORG&disagreement=1&sort=-agreement&meta.lang=fr'));
	result.allFiltersMs = lastMedian;
	result.heapMb = process.memoryUsage().heapUsed / 2 ** 20;
	process.stdout.write(JSON.stringify(result) + '\n');
	log(`heap used ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
} finally {
	fs.rmSync(root, { recursive: true, force: true });
}
