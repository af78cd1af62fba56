/**
 * "Find spans" across the corpus on the file store (issue #20 item 4), in-process:
 *   node --import tsx bench/spans.ts [docs]     (also a step of bench/run.ts)
 * builds a dataset of `docs` (default 10,000) articles × 3 annotators × 30
 * spans (bench/corpus.ts, written by the store's own saveSet), then times
 * searchSpansFor as a lead: a common label + text (the walk stops 1,000 hits
 * past the page), a text no span has (the walk reads every document), an
 * annotator's own spans by label, and the longest the event loop was blocked
 * during each. Progress on stderr; the last stdout line is the JSON result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const N = Number(process.argv[2] ?? 10_000);
const root = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'spanlab-spans-'));
process.env.SPANLAB_DATA = root;
const log = (line: string) => process.stderr.write(line + '\n');
const result: Record<string, number> = { docs: N };

const { createDataset, addDocuments, updateDataset, resetStoreCache, datasetSummaries, listDocumentHeaders } = await import('../src/lib/server/store');
const { saveSet } = await import('../src/lib/server/annotate/saveSet');
const { searchSpansFor } = await import('../src/lib/server/annotate/spanSearch');
const { parseSpanQuery } = await import('../src/lib/find/spanQuery');
const { makeArticle, makeSpans, LABELS } = await import('./corpus');
type SessionUser = import('../src/lib/server/auth/auth').SessionUser;

const ANNOTATORS = ['ann1', 'ann2', 'ann3'];
const CHARS = 1500;
const lead = { username: 'lead', role: 'lead' } as SessionUser;
const ann1 = { username: 'ann1', role: 'annotator' } as SessionUser;

try {
	let t = performance.now();
	await createDataset({ slug: 'spans', title: 'Spans', createdBy: 'lead' });
	await updateDataset('spans', (d) => {
		d.members = Object.fromEntries(ANNOTATORS.map((a) => [a, 'annotator' as const]));
	});
	await addDocuments(
		'spans',
		(function* () {
			for (let n = 0; n < N; n++) {
				const a = makeArticle(n, CHARS, 'doc');
				yield { id: a.id, title: a.title, text: a.text, meta: {}, sha256: a.sha256 };
			}
		})()
	);
	for (let n = 0; n < N; n++) {
		const article = makeArticle(n, CHARS, 'doc');
		for (let k = 0; k < ANNOTATORS.length; k++) {
			const spans = makeSpans(article, 30, n, { jitter: 0.15 * k, labelSeed: n + 1 });
			await saveSet('spans', article, ANNOTATORS[k], ANNOTATORS[k], LABELS, { baseRevision: 0, spans, status: 'done' });
		}
	}
	log(`setup: ${N} docs × ${ANNOTATORS.length} annotators × 30 spans in ${Math.round(performance.now() - t)} ms`);
	// a server after a restart: nothing of the sets in memory
	resetStoreCache();

	// a word that is in many spans: the most frequent span text's first word
	const sample = makeSpans(makeArticle(0, CHARS, 'doc'), 30, 0, { labelSeed: 1 });
	const first = makeArticle(0, CHARS, 'doc');
	const common = Array.from(first.text).slice(sample[0].start, sample[0].end).join('').split(/\s+/)[0];

	const time = async (name: string, user: SessionUser, query: string, runs = 3) => {
		const ms: number[] = [];
		let worst = 0;
		let out: Awaited<ReturnType<typeof searchSpansFor>> | null = null;
		for (let i = 0; i < runs; i++) {
			let last = performance.now();
			const probe = setInterval(() => {
				const now = performance.now();
				worst = Math.max(worst, now - last);
				last = now;
			}, 1);
			const s = performance.now();
			out = await searchSpansFor(user, 'spans', parseSpanQuery(new URLSearchParams(query)));
			ms.push(performance.now() - s);
			clearInterval(probe);
		}
		ms.sort((a, b) => a - b);
		const median = ms[Math.floor(runs / 2)];
		log(`${name} (${query}): median ${median.toFixed(0)} ms, ${out!.exact ? '' : 'at least '}${out!.total} hits, longest event-loop block ${worst.toFixed(0)} ms`);
		return { median, worst, total: out!.total };
	};

	// after a restart the store first opens the dataset (its headers and set summaries: the
	// dataset page does the same; bench/open.ts measures it), then the first walk reads every file cold
	t = performance.now();
	await listDocumentHeaders('spans');
	await datasetSummaries('spans');
	result.openMs = performance.now() - t;
	log(`open after a restart (headers, summaries): ${Math.round(result.openMs)} ms`);
	const cold = await time('first search after a restart, lead', lead, 'text=zzzqqq', 1);
	result.coldMs = cold.median;
	result.coldWorstBlockMs = cold.worst;
	const commonRun = await time('common label + text, lead', lead, `label=claim&text=${encodeURIComponent(common)}`);
	result.commonMs = commonRun.median;
	result.commonHits = commonRun.total;
	const rare = await time('a text no span has, lead (whole corpus walked)', lead, 'text=zzzqqq');
	result.fullWalkMs = rare.median;
	const own = await time('own spans by label, annotator', ann1, 'label=date&page=3');
	result.annotatorMs = own.median;
	result.worstBlockMs = Math.max(commonRun.worst, rare.worst, own.worst);
	result.heapMb = process.memoryUsage().heapUsed / 2 ** 20;
	process.stdout.write(JSON.stringify(result) + '\n');
} finally {
	fs.rmSync(root, { recursive: true, force: true });
}
