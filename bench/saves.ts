/**
 * Figure 1: latency of one autosave (PUT …/annotations/me, 50 spans) against
 * the real server, in datasets of different sizes. Rounds interleave the sizes
 * (one save per dataset per round) so drift of the machine hits all alike.
 */
import { Client } from '../tests/helpers/server';
import { makeArticle, makeSpans } from './corpus';
import { median, percentile, timeIt } from './lib';

export interface SaveLatency {
	size: number;
	median: number;
	p95: number;
	samples: number;
}

/** Sets saved in turn per dataset (after a first, unmeasured save on each). */
const SETS_PER_DATASET = 10;
const SPANS = 50;

export async function benchSaves(opts: {
	url: string;
	sizes: number[];
	saves: number;
	articleChars: number;
}): Promise<SaveLatency[]> {
	const client = await new Client(opts.url).login('ann1');
	const targets = opts.sizes.map((size) => {
		// documents spread over the whole dataset
		const docs = Array.from({ length: SETS_PER_DATASET }, (_, k) =>
			makeArticle(Math.floor(((k + 0.5) * size) / SETS_PER_DATASET), opts.articleChars, 'doc')
		);
		return { size, slug: `save-${size}`, docs, revisions: new Map<string, number>(), times: [] as number[] };
	});

	let round = 0;
	const saveOnce = async (t: (typeof targets)[number]) => {
		const doc = t.docs[round % t.docs.length];
		const spans = makeSpans(doc, SPANS, round);
		const { ms, result } = await timeIt(() =>
			client.call('PUT', `/api/datasets/${t.slug}/documents/${doc.id}/annotations/me`, {
				baseRevision: t.revisions.get(doc.id) ?? 0,
				spans
			})
		);
		if (result.status !== 200) throw new Error(`save in ${t.slug}: ${result.status} ${result.text}`);
		t.revisions.set(doc.id, result.json.revision);
		return ms;
	};

	// warm-up: the first use of a dataset builds its index; each set gets a first revision
	for (; round < SETS_PER_DATASET; round++) {
		for (const t of targets) await saveOnce(t);
	}
	for (let i = 0; i < opts.saves; i++, round++) {
		for (const t of targets) t.times.push(await saveOnce(t));
	}
	return targets.map((t) => ({ size: t.size, median: median(t.times), p95: percentile(t.times, 95), samples: t.times.length }));
}
