/**
 * Find spans goes through the seam only (`sets.iterateWork`): the same walk on
 * the file store and on PostgreSQL (a throwaway cluster, tests/helpers/postgres.ts)
 * gives the same page, count and order for the same work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from '../store/postgres/index';
import { store as fileStore } from '../store';
import type { SetChange, Store } from '../store/types';
import { prepareSave } from './saveChecks';
import { nextRevision } from './revision';
import { walkSpans, type SpanWalk } from './spanSearch';
import { parseSpanQuery } from '../../find/spanQuery';
import type { AnnotationSet } from '../../model/types';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const LABELS = ['claim', 'attribution', 'framing', 'date'];
// an emoji before the spans: code point offsets, not UTF-16
const texts = ['🎉 Le Préfet parle au maire.', 'Le maire répond au préfet 🎉.', 'Rien ici.'];
const cp = (text: string, needle: string) => Array.from(text.slice(0, text.indexOf(needle))).length;
const span = (text: string, needle: string, label: string) => ({ start: cp(text, needle), end: cp(text, needle) + Array.from(needle).length, label });

let cluster: TestPostgres;
let pg: PostgresStore;
let root: string;

async function seed(store: Store): Promise<void> {
	await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
	await store.documents.addMany('news', texts.map((text, i) => ({ id: `d${i}`, title: `Doc ${i}`, text, meta: {}, sha256: `sha${i}` })));
	const work: Array<[number, string, Array<{ start: number; end: number; label: string }>]> = [
		[0, 'ann1', [span(texts[0], 'Préfet', 'claim'), span(texts[0], 'maire', 'attribution')]],
		[0, 'ann2', [span(texts[0], 'Préfet', 'claim')]],
		[1, 'ann1', [span(texts[1], 'préfet', 'claim'), span(texts[1], 'maire', 'claim')]],
		[1, 'gold', [span(texts[1], 'préfet', 'claim')]],
		[1, 'import~wire', [span(texts[1], 'préfet', 'claim')]]
	];
	for (const [doc, annotator, spans] of work) {
		const prepared = prepareSave({ text: texts[doc] }, annotator, LABELS, { baseRevision: 0, spans });
		const result = await store.sets.commit({ slug: 'news', docId: `d${doc}`, annotator }, 0, (current: AnnotationSet): SetChange =>
			nextRevision(current, prepared, annotator, '2026-01-01T00:00:00.000Z', () => 'c1')
		);
		expect(result.ok).toBe(true);
	}
}

const walk = (store: Store, query: string, over: Partial<SpanWalk> = {}) =>
	walkSpans((slug, filter) => store.sets.iterateWork(slug, filter), {
		slug: 'news',
		query: parseSpanQuery(new URLSearchParams(query)),
		whose: (a) => !a.startsWith('import~'),
		queue: null,
		reviewLane: (a) => (a === 'ann1' ? null : a),
		budgetMs: 5000,
		...over
	});

beforeAll(async () => {
	root = freshDataFolder('spanlab-spans-stores-');
	await seed(fileStore);
	cluster = await startPostgres();
	pg = createPostgresStore(await cluster.newDatabase(), { max: 2 });
	await pg.init();
	await seed(pg);
}, 90_000);

afterAll(async () => {
	await pg?.close();
	await cluster?.stop();
	if (root) removeDataFolder(root);
});

describe('walkSpans on both stores', () => {
	it('finds the same spans, in the same order, with the same code point offsets', async () => {
		const onFiles = await walk(fileStore, 'label=claim&text=PREFET');
		const onPostgres = await walk(pg, 'label=claim&text=PREFET');
		expect(onFiles.hits.map((h) => `${h.document.id}/${h.annotator}/${h.span.start}-${h.span.end}/${h.span.text}`)).toEqual([
			'd0/ann1/5-11/Préfet',
			'd0/ann2/5-11/Préfet',
			'd1/ann1/19-25/préfet',
			'd1/gold/19-25/préfet'
		]);
		expect(onFiles.hits[1].href).toBe(`/datasets/news/review/d0?lane=ann2&span=${onFiles.hits[1].span.id}`);
		expect(onPostgres).toEqual(onFiles);
	});
	it('gives the same answers to the other queries', async () => {
		for (const query of ['', 'text=maire', 'label=attribution', 'label=date', 'text=zzz', 'page=2']) {
			expect(await walk(pg, query), query).toEqual(await walk(fileStore, query));
		}
		expect((await walk(pg, 'text=maire')).total).toBe(2);
		const ann1Only = { whose: (a: string) => a === 'ann1', queue: new Set(['d1']) };
		expect((await walk(pg, 'label=claim', ann1Only)).hits.map((h) => h.span.text)).toEqual(['maire', 'préfet']);
		expect(await walk(pg, 'label=claim', ann1Only)).toEqual(await walk(fileStore, 'label=claim', ann1Only));
	});
});
