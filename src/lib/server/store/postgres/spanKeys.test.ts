/**
 * The summary columns the document list's label filter, "has disagreement" and
 * agreement sort read (migration 0002): written with every save, and for a row
 * written before 0002 (span_keys NULL) computed from its state when read, the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from './index';
import { connect, type Db } from './db';
import { spanFactsOf } from '../../../documents/facts';
import type { AnnotationSet, Span } from '../../../model/types';
import type { SetChange } from '../types';
import type { SetSummary } from '../../../model/work';

let cluster: TestPostgres;
let store: PostgresStore;
let db: Db;

beforeAll(async () => {
	cluster = await startPostgres();
	const url = await cluster.newDatabase();
	store = createPostgresStore(url, { max: 2 });
	await store.init();
	db = connect(url, { max: 1 });
}, 60_000);

afterAll(async () => {
	await db?.end();
	await store?.close();
	await cluster?.stop();
});

const span = (id: string, start: number, end: number, label: string, source?: string): Span => ({ id, start, end, label, text: 'x', ...(source ? { source } : {}) });

function save(spans: Span[]) {
	return (current: AnnotationSet): SetChange => {
		const revision = current.revision + 1;
		const at = new Date().toISOString();
		return {
			set: { ...current, revision, status: 'done', spans, updated_at: at, updated_by: 'ann1' },
			revision: { revision, at, by: 'ann1', status: 'done', spans, added: spans.length, removed: 0, relabelled: 0 }
		};
	};
}

describe('PostgreSQL store: span labels and keys of a set', () => {
	it('are written with the save, and a row from before migration 0002 reads the same from its state', async () => {
		const text = 'Le préfet a parlé à Paris.';
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		await store.documents.addMany('news', [{ id: 'd1', title: 'T', text, meta: {}, sha256: createHash('sha256').update(text).digest('hex') }]);
		const spans = [span('a', 20, 25, 'LOC'), span('b', 3, 9, 'PER'), span('c', 0, 2, 'ORG', 'unreviewed:import~x')];
		await store.sets.commit({ slug: 'news', docId: 'd1', annotator: 'ann1' }, 0, save(spans));
		const written = (await store.sets.summaries('news')).get('d1')!.get('ann1')!;
		expect(written).toMatchObject({ labels: ['LOC', 'PER'], keys: spanFactsOf(spans).keys });
		const [row] = await db.sql<{ span_labels: string[]; span_keys: string }[]>`SELECT span_labels, span_keys FROM annotation_sets WHERE document_id = 'd1'`;
		expect(row).toEqual({ span_labels: ['LOC', 'PER'], span_keys: written.keys });

		await db.sql`UPDATE annotation_sets SET span_keys = NULL, span_labels = '{}' WHERE document_id = 'd1'`;
		expect((await store.sets.summaries('news')).get('d1')!.get('ann1')).toEqual(written);
		const walked: SetSummary[] = [];
		for await (const work of store.sets.iterateWork('news', { document: (chosen) => (walked.push(...chosen), true) })) expect(work.sets).toHaveLength(1);
		expect(walked).toEqual([written]);
	});
});
