/**
 * Figure 14: the event loop while the hostile requests of issue #14 run (the
 * same as tests/security/eventloop.spec.ts, measured instead of asserted), and
 * the size of a 20,000-span set's revision log after 25 saves of one changed
 * span each.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Client } from '../tests/helpers/server';
import { EventLoopProbe, cpuShare, worstBetween } from '../tests/helpers/probeClient';
import { hostileSpanSets } from '../tests/helpers/hostileSpans';

export interface EventLoopResult {
	/** worst /api/me wait while any hostile request ran */
	worstMs: number;
	/** worst wait in a quiet window before them: what the machine's own load costs a probe */
	quietMs: number;
	phases: Array<{ name: string; worstMs: number; requestMs: number }>;
	/** the share of a core a process got during the quiet window (1 on an idle machine) */
	cpuShare: number;
	/** the setup saves (not hostile requests): worst wait during them */
	savesWorstMs: number;
	logBytes: number;
	stateBytes: number;
	spans: number;
	saves: number;
}

const nestedDivs = (depth: number) => `<!doctype html><html><body>${'<div>'.repeat(depth)}<p>Deep.</p>${'</div>'.repeat(depth)}</body></html>`;
const deepMeta = (depth: number) => `{"text":"A short article.","meta":${'{"k":'.repeat(depth)}1${'}'.repeat(depth)}}`;

export async function benchEventLoop(opts: { url: string; dataDir: string; password: string; spans: number; saves: number }): Promise<EventLoopResult> {
	const { url } = opts;
	const slug = 'hostile';
	const doc = 'nested';
	const set = hostileSpanSets(opts.spans)[0];
	const lead = await new Client(url).login('lead', opts.password);
	const ann1 = await new Client(url).login('ann1', opts.password);
	const ok = (r: { status: number; text: string }, status = 200) => {
		if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
	};
	ok(await lead.call('POST', '/api/datasets', { slug, title: 'Hostile' }), 201);
	ok(await lead.call('POST', `/api/datasets/${slug}/documents`, JSON.stringify({ id: doc, title: 'Nested', text: set.text }), { 'content-type': 'application/x-ndjson' }));
	ok(await lead.call('PUT', `/api/datasets/${slug}/members/ann1`, { role: 'annotator' }));
	const annotations = `/api/datasets/${slug}/documents/${doc}/annotations/me`;
	const page = `/datasets/${slug}/documents/${doc}`;
	// first requests load each route's module: not what is measured
	ok(await ann1.call('GET', page));
	ok(await ann1.call('GET', `${annotations}/revisions`));
	ok(await lead.call('POST', `/api/datasets/${slug}/imports?filename=warm.html`, nestedDivs(200), { 'content-type': 'text/html' }), 400);
	// and the span rendering code is compiled by the JIT on its first big set (a fresh process's first
	// 20,000-span page takes ~300-400 ms, later ones ~40-60 ms): a set of the same shape on another document
	const warm = JSON.stringify({ id: 'warm', title: 'Warm', text: set.text.replace('the', 'The') });
	ok(await lead.call('POST', `/api/datasets/${slug}/documents`, warm, { 'content-type': 'application/x-ndjson' }));
	ok(await ann1.call('PUT', `/api/datasets/${slug}/documents/warm/annotations/me`, { baseRevision: 0, spans: set.spans }));
	for (let i = 0; i < 2; i++) ok(await ann1.call('GET', `/datasets/${slug}/documents/warm`));

	const probe = await EventLoopProbe.start(url, lead.cookie);
	const phases: Array<{ name: string; from: number; to: number; hostile: boolean }> = [];
	const phase = async (name: string, run: () => Promise<void>, hostile = true) => {
		// a pause first, so that the wait of a probe sent just before (counted in, see worst) is this request's alone
		await new Promise((r) => setTimeout(r, 300));
		const from = Date.now();
		await run();
		phases.push({ name, from, to: Date.now(), hostile });
	};
	try {
		const quiet = { from: Date.now(), to: Date.now() + 2000 };
		await new Promise((r) => setTimeout(r, 2000));
		const share = cpuShare();
		const without = (left: number) => set.spans.filter((_, i) => i !== left);
		await phase('saves', async () => {
			for (let r = 0; r < opts.saves; r++) ok(await ann1.call('PUT', annotations, { baseRevision: r, spans: without(r - 1) }));
		}, false);
		await phase(`document page with ${set.spans.length} nested spans`, async () => ok(await ann1.call('GET', page)));
		await phase('GET the set', async () => ok(await ann1.call('GET', annotations)));
		await phase(`review page with ${set.spans.length} nested spans`, async () => ok(await lead.call('GET', `/datasets/${slug}/review/${doc}`)));
		await phase('HTML import, 1,000 nested divs', async () =>
			ok(await lead.call('POST', `/api/datasets/${slug}/imports?filename=d1000.html`, nestedDivs(1000), { 'content-type': 'text/html' }), 400)
		);
		await phase('HTML import, 100,000 nested divs', async () =>
			ok(await lead.call('POST', `/api/datasets/${slug}/imports?filename=d100000.html`, nestedDivs(100_000), { 'content-type': 'text/html' }), 400)
		);
		await phase('JSONL import, meta 100,000 deep', async () =>
			ok(await lead.call('POST', `/api/datasets/${slug}/documents?filename=deep.jsonl`, deepMeta(100_000), { 'content-type': 'application/x-ndjson' }), 400)
		);
		await phase('GET revisions (first page)', async () => ok(await ann1.call('GET', `${annotations}/revisions`)));
		await phase('GET revisions ?limit=100&before=2', async () => ok(await ann1.call('GET', `${annotations}/revisions?limit=100&before=2`)));
		const samples = await probe.stop();
		const worst = (p: { from: number; to: number }) => worstBetween(samples, p.from - 250, p.to);
		const hostile = phases.filter((p) => p.hostile);
		const dir = path.join(opts.dataDir, slug, 'annotations', doc);
		return {
			worstMs: Math.max(...hostile.map(worst)),
			quietMs: worstBetween(samples, quiet.from, quiet.to),
			cpuShare: share,
			phases: phases.map((p) => ({ name: p.name, worstMs: worst(p), requestMs: p.to - p.from })),
			savesWorstMs: worst(phases.find((p) => !p.hostile)!),
			logBytes: statSync(path.join(dir, 'ann1.revisions.jsonl')).size,
			stateBytes: statSync(path.join(dir, 'ann1.json')).size,
			spans: set.spans.length,
			saves: opts.saves
		};
	} finally {
		probe.kill();
	}
}
