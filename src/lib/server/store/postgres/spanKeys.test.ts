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
import { bundledMigrations, migrate } from './migrate';
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

/** an ISO string as a client may send it (not what a timestamptz prints back) */
const at = '2026-01-02T03:04:05.678Z';
const spans = [span('a', 20, 25, 'LOC'), span('b', 3, 9, 'PER'), span('c', 0, 2, 'ORG', 'unreviewed:import~x')];

function save(spans: Span[]) {
	return (current: AnnotationSet): SetChange => {
		const revision = current.revision + 1;
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
		await store.sets.commit({ slug: 'news', docId: 'd1', annotator: 'ann1' }, 0, save(spans));
		const written = (await store.sets.summaries('news')).get('d1')!.get('ann1')!;
		expect(written).toMatchObject({ labels: ['LOC', 'PER'], keys: spanFactsOf(spans).keys, updated_at: at });
		const [row] = await db.sql<{ span_labels: string[]; span_keys: string; updated_at_text: string }[]>`
			SELECT span_labels, span_keys, updated_at_text FROM annotation_sets WHERE document_id = 'd1'`;
		expect(row).toEqual({ span_labels: ['LOC', 'PER'], span_keys: written.keys, updated_at_text: at });

		await db.sql`UPDATE annotation_sets SET span_keys = NULL, span_labels = '{}' WHERE document_id = 'd1'`;
		expect((await store.sets.summaries('news')).get('d1')!.get('ann1')).toEqual(written);
		const walked: SetSummary[] = [];
		for await (const work of store.sets.iterateWork('news', { document: (chosen) => (walked.push(...chosen), true) })) expect(work.sets).toHaveLength(1);
		expect(walked).toEqual([written]);
	});

	it('migration 0002 fills in the exact updated_at of the rows before it', async () => {
		const url = await cluster.newDatabase();
		const old = connect(url, { max: 1 });
		try {
			await migrate(old.sql, { migrations: bundledMigrations().slice(0, 1) });
			const [{ id }] = await old.sql`INSERT INTO datasets (slug, title, created_at, created_by, labels) VALUES ('old', 'Old', now(), 'lead', '[]') RETURNING id`;
			await old.sql`INSERT INTO documents (dataset_id, id, position, title, text, sha256, length, created_at) VALUES (${id}, 'x', 0, 't', 'text', ${'0'.repeat(64)}, 4, now())`;
			const state = { annotator: 'ann1', revision: 1, status: 'done', spans, updated_at: at, updated_by: 'ann1', active_seconds: 0 };
			await old.sql`INSERT INTO annotation_sets (dataset_id, document_id, annotator, revision, status, updated_at, state, reviewed_spans, span_labels)
				VALUES (${id}, 'x', 'ann1', 1, 'done', ${at}, ${JSON.stringify(state)}::text::json, 2, '{LOC,ORG,PER}')`;
		} finally {
			await old.end();
		}
		const upgraded = createPostgresStore(url, { max: 2 });
		try {
			await upgraded.init();
			expect((await upgraded.sets.summaries('old')).get('x')!.get('ann1')).toEqual({
				annotator: 'ann1',
				status: 'done',
				revision: 1,
				spans: 2,
				updated_at: at,
				active_seconds: 0,
				// from the state: the unreviewed ORG suggestion is not the annotator's work
				labels: ['LOC', 'PER'],
				keys: spanFactsOf(spans).keys
			});
		} finally {
			await upgraded.close();
		}
	});
});
