/**
 * No single request freezes the server (issue #14 item 2): each hostile
 * request of the issue runs against a real server (production build, its own
 * data folder) while a probe in a process of its own asks /api/me every 50 ms;
 * no probe sent while one of them runs may wait more than 200 ms (on a machine
 * shared with other work: 200 ms scaled to the share of a core a process gets
 * there, see the limit below; setting up,
 * e.g. 25 saves of 20,000 spans, is measured and reported, not held to it).
 * Each request must also get its answer:
 * the hostile ones a clear 4xx naming what is wrong, the allowed ones a 200.
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startServer, killHard, tempDataDir, Client, type RunningServer } from '../helpers/server';
import { EventLoopProbe, cpuShare, worstBetween, type ProbeSample } from '../helpers/probeClient';
import { hostileSpanSets } from '../helpers/hostileSpans';

const PROBE_LIMIT_MS = 200;
const slug = 'loop';
const nested = hostileSpanSets()[0]; // 20,000 spans nested over one point of a 228-character text
const DOC = 'nested';

let server: RunningServer;
let lead: Client;
let ann1: Client;
let probe: EventLoopProbe | null = null;

const nestedDivs = (depth: number) => `<!doctype html><html><body>${'<div>'.repeat(depth)}<p>Deep.</p>${'</div>'.repeat(depth)}</body></html>`;
const deepMeta = (depth: number) => JSON.stringify({ text: 'A short article.' }).replace(/}$/, `,"meta":${'{"k":'.repeat(depth)}1${'}'.repeat(depth)}}`);

test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

test.beforeAll(async () => {
	server = await startServer({ port: await freePort(), dataDir: tempDataDir('spanlab-loop-') });
	lead = await new Client(server.url).login('lead');
	expect((await lead.call('POST', '/api/datasets', { slug, title: 'Event loop' })).status).toBe(201);
	const ndjson = JSON.stringify({ id: DOC, title: 'Nested', text: nested.text });
	expect((await lead.call('POST', `/api/datasets/${slug}/documents`, ndjson, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
	expect((await lead.call('PUT', `/api/datasets/${slug}/members/ann1`, { role: 'annotator' })).status).toBe(200);
	ann1 = await new Client(server.url).login('ann1');
	// Each route's module is loaded and compiled on its first request (100-200 ms once): done here, before the
	// probe, with small requests of the same kinds (the HTML worker starts here too)
	const base = `/api/datasets/${slug}/documents/${DOC}/annotations/me`;
	expect((await ann1.call('GET', `/datasets/${slug}/documents/${DOC}`)).status).toBe(200);
	expect((await ann1.call('GET', base)).status).toBe(200);
	expect((await ann1.call('GET', `${base}/revisions`)).status).toBe(200);
	expect((await lead.call('GET', `/datasets/${slug}/review/${DOC}`)).status).toBe(200);
	expect((await lead.call('POST', `/api/datasets/${slug}/imports?filename=warm.html`, nestedDivs(200), { 'content-type': 'text/html' })).status).toBe(400);
	expect((await lead.call('POST', `/api/datasets/${slug}/documents?filename=warm.jsonl`, deepMeta(40), { 'content-type': 'application/x-ndjson' })).status).toBe(400);
	// and the code that renders spans is compiled by the JIT on its first big set (the first 20,000-span page of a
	// fresh process takes ~300-400 ms, later ones ~40-60 ms): a set of the same shape on another document, opened once
	const warm = JSON.stringify({ id: 'warm', title: 'Warm', text: nested.text.replace('the', 'The') });
	expect((await lead.call('POST', `/api/datasets/${slug}/documents`, warm, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
	expect((await ann1.call('PUT', `/api/datasets/${slug}/documents/warm/annotations/me`, { baseRevision: 0, spans: nested.spans })).status).toBe(200);
	for (let i = 0; i < 2; i++) expect((await ann1.call('GET', `/datasets/${slug}/documents/warm`)).status).toBe(200);
});

test.afterAll(async () => {
	probe?.kill();
	if (server) await killHard(server);
});


test('the hostile requests of issue #14 get their answers while /api/me never waits over 200 ms', async () => {
	probe = await EventLoopProbe.start(server.url, lead.cookie);
	// what the probe waits with nothing else asked of the server: on a loaded CI machine that is not ~1 ms
	const quiet = { from: Date.now(), to: Date.now() + 3000 };
	await new Promise((r) => setTimeout(r, quiet.to - quiet.from));
	const shareBefore = cpuShare();
	// `hostile`: the requests the issue names, held to the limit; setting up is measured and reported only
	const phases: Array<{ name: string; from: number; to: number; hostile: boolean }> = [];
	const phase = async <T>(name: string, run: () => Promise<T>, hostile = true): Promise<T> => {
		// a pause first, so that the wait of a probe sent just before (counted in, see worst) is this request's alone
		await new Promise((r) => setTimeout(r, 300));
		const from = Date.now();
		try {
			return await run();
		} finally {
			phases.push({ name, from, to: Date.now(), hostile });
		}
	};
	const annotations = `/api/datasets/${slug}/documents/${DOC}/annotations/me`;
	// the set with one span left out (another each save): one change a save
	const spans = (left: number) => nested.spans.filter((_, i) => i !== left);

	const saved = await phase('(setup) save 20,000 nested spans', () => ann1.call('PUT', annotations, { baseRevision: 0, spans: spans(-1) }), false);
	expect(saved.status, saved.text).toBe(200);
	const page = await phase('document page with 20,000 nested spans', () => ann1.call('GET', `/datasets/${slug}/documents/${DOC}`));
	expect(page.status).toBe(200);
	// drawn by the browser (src/lib/annotate/serverRendered.ts; tests/e2e/annotate.spec.ts draws it there)
	expect(page.text).toContain('Opening 20,000 spans');
	const read = await phase('GET 20,000 spans', () => ann1.call('GET', annotations));
	expect(read.json.spans).toHaveLength(20_000);
	const review = await phase('review page with 20,000 nested spans', () => lead.call('GET', `/datasets/${slug}/review/${DOC}`));
	expect(review.status).toBe(200);
	// likewise (tests/e2e/review.spec.ts draws it)
	expect(review.text).toContain('Opening 20,000 spans');

	for (const depth of [1_000, 100_000]) {
		const name = `deep${depth}.html`;
		const res = await phase(`HTML import of ${depth} nested divs`, () =>
			lead.call('POST', `/api/datasets/${slug}/imports?filename=${name}`, nestedDivs(depth), { 'content-type': 'text/html' })
		);
		expect(res.status, res.text).toBe(400);
		expect(res.json.errors, res.text).toEqual([{ file: name, message: 'the HTML nests elements more than 128 deep: refused without parsing it' }]);
	}
	const meta = await phase('JSONL import with meta nested 100,000 deep', () =>
		lead.call('POST', `/api/datasets/${slug}/documents?filename=deep.jsonl`, `{"text":"fine"}\n${deepMeta(100_000)}\n`, { 'content-type': 'application/x-ndjson' })
	);
	expect(meta.status, meta.text).toBe(400);
	expect(meta.json.errors, meta.text).toEqual([
		{ file: 'deep.jsonl', line: 2, message: '"meta" is nested more than 32 levels deep (objects and arrays inside each other)' }
	]);

	await phase(
		'(setup) 24 more saves of one changed span each',
		async () => {
			for (let r = 1; r < 25; r++) {
				const res = await ann1.call('PUT', annotations, { baseRevision: r, spans: spans(r) });
				expect(res.status, res.text).toBe(200);
			}
		},
		false
	);
	const revisions = await phase('GET the revisions of 25 saves of 20,000 spans', () => ann1.call('GET', `${annotations}/revisions`));
	expect(revisions.status).toBe(200);
	// ~20,000 spans a revision: one a page (a page holds at most 20,000 spans), the next page named
	expect(revisions.json.map((r: { revision: number }) => r.revision)).toEqual([25]);
	expect(revisions.headers['x-next-before']).toBe('25');
	const all = await phase('GET …/revisions?limit=100', () => ann1.call('GET', `${annotations}/revisions?limit=100&before=24`));
	expect(all.json.map((r: { revision: number }) => r.revision)).toEqual([23]);
	expect(all.json[0].spans).toHaveLength(19_999);

	const samples: ProbeSample[] = await probe.stop();
	probe = null;
	// a probe sent up to 250 ms before a request started may have waited for it
	const worst = (p: { from: number; to: number }) => worstBetween(samples, p.from - 250, p.to);
	// The limit is what a request may add to the wait: 200 ms over the worst wait of the quiet window (a few ms on
	// an idle machine; on a CI machine shared with other jobs, what the load alone costs a probe), and, when this
	// process gets only a share of a core (measured before and after), 200 ms of the server's own time at that
	// share: on an idle machine both are ~200 ms; a freeze of seconds (the bug: 9.5 s) fails either way.
	const share = Math.max(0.05, Math.min(shareBefore, cpuShare()));
	const baseline = worstBetween(samples, quiet.from, quiet.to);
	const limit = Math.max(PROBE_LIMIT_MS + baseline, PROBE_LIMIT_MS / share);
	const report = [
		`quiet: worst /api/me ${Math.round(baseline)} ms; share of a core ${share.toFixed(2)} (limit ${Math.round(limit)} ms)`,
		...phases.map((p) => `${p.name}: worst /api/me ${Math.round(worst(p))} ms, request ${p.to - p.from} ms`)
	].join('\n');
	console.log(report);
	expect(samples.length).toBeGreaterThan(20);
	expect(samples.every((s) => s.status === 200)).toBe(true);
	for (const p of phases.filter((p) => p.hostile)) expect(worst(p), `${p.name}\n${report}`).toBeLessThan(limit);

	// the log of 25 saves of one changed span stays under twice the state file
	const dir = path.join(server.dataDir, slug, 'annotations', DOC);
	const log = fs.statSync(path.join(dir, 'ann1.revisions.jsonl')).size;
	const state = fs.statSync(path.join(dir, 'ann1.json')).size;
	expect(log).toBeLessThan(2 * state);
});
