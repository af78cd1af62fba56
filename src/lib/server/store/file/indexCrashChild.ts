/**
 * Test helper (datasetIndex.crash.test.ts), run as a child process: saves as fast
 * as it can into SPANLAB_DATA's dataset `news` (documents d0…d19, annotators
 * ann1…ann3, a few saves in flight at once, some adding documents), printing
 * `ack <doc> <annotator> <revision>` after each acknowledged save, until it is
 * killed (kill -9 by the test). No module of the app imports it.
 */
import { addDocuments } from './datasets';
import { loadSet } from './annotations';
import { saveSet } from '../../annotate/saveSet';

const text = (i: number) => `Le maire numéro ${i} a parlé mardi à Paris.`;
const revisions = new Map<string, number>();
let extra = 100 + Number(process.env.ROUND ?? 0) * 1000;

async function worker(seed: number): Promise<never> {
	for (let n = seed; ; n += 7) {
		if (n % 13 === 0) {
			const i = extra++;
			await addDocuments('news', [{ id: `d${i}`, title: `T${i}`, text: text(i), meta: { i }, sha256: `sha-${i}` }]);
			process.stdout.write(`doc d${i}\n`);
			continue;
		}
		const doc = n % 20;
		const annotator = `ann${(n % 3) + 1}`;
		const key = `${doc}/${annotator}`;
		if (revisions.get(key) === -1) continue; // a save of this set is under way in another worker
		revisions.set(key, -1);
		const base = (await loadSet('news', `d${doc}`, annotator)).revision; // as the last round left it
		const spans = [{ start: 0, end: 2 + (n % 5), label: 'claim' }];
		const r = await saveSet('news', { id: `d${doc}`, text: text(doc) }, annotator, annotator, ['claim'], { baseRevision: base, spans, status: n % 4 === 0 ? 'done' : undefined });
		revisions.set(key, r.revision);
		process.stdout.write(`ack d${doc} ${annotator} ${r.revision}\n`);
	}
}

await Promise.all([1, 2, 3, 4].map(worker));
