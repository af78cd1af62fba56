/**
 * Child process for figure 20 on PostgreSQL (issue #20, the large dataset): writes
 * the same dataset as bench/large-generate.ts (`docs` articles × `annotators` done
 * sets of `spans` spans) straight into the database of SPANLAB_STORE:
 *  - the datasets, members and the lead through the store's own functions, the
 *    documents through the store's own import (`documents.addMany`: batched
 *    unnest inserts in one transaction);
 *  - the sets and their first revisions as the rows `sets.commit` writes
 *    (store/postgres/sets.ts: the state as json, the summary columns
 *    reviewed_spans, span_labels, span_keys, updated_at_text, the revision row),
 *    computed by the same functions (`prepareSave`, `nextRevision`, `spanFactsOf`,
 *    `reviewedSpans`, db.ts's `json`), but many rows a statement (unnest) instead of
 *    one transaction with an advisory lock per save.
 *
 *   SPANLAB_STORE=postgres://… node --import tsx bench/large-generate-postgres.ts '<plan JSON>'
 * Prints one JSON line: what was written and how long it took.
 */
import pg from 'pg';
import { createDataset, store, updateDataset } from '../src/lib/server/store';
import { createUser } from '../src/lib/server/auth/auth';
import { prepareSave } from '../src/lib/server/annotate/saveChecks';
import { nextRevision } from '../src/lib/server/annotate/revision';
import { reviewedSpans } from '../src/lib/suggest/settings';
import { spanFactsOf } from '../src/lib/documents/facts';
import { json } from '../src/lib/server/store/postgres/db';
import { makeArticle, makeSpans, LABELS } from './corpus';
import type { AnnotationSet, Revision, Role } from '../src/lib/model/types';
import type { LargePlan } from './large-generate';

const plan = JSON.parse(process.argv[2]) as LargePlan;
const url = process.env.SPANLAB_STORE;
if (!url?.startsWith('postgres')) throw new Error('SPANLAB_STORE must be a postgres:// URL');
const timings: Record<string, number> = {};
const AT = '2026-12-01T12:00:00.000Z';
/** documents whose sets go in one statement pair */
const BATCH = 400;

const empty = (annotator: string): AnnotationSet => ({ annotator, revision: 0, status: 'not_started', spans: [], updated_at: null, updated_by: null, active_seconds: 0 });

let n0 = 0;
const id = () => (n0++).toString(16);

const pool = new pg.Pool({ connectionString: url, max: 2 });

interface SetRow {
	docId: string;
	set: AnnotationSet;
	revision: Revision;
}

async function insertSets(datasetId: string, rows: SetRow[]): Promise<void> {
	if (!rows.length) return;
	const facts = rows.map((r) => spanFactsOf(r.set.spans));
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		// the columns and values of sets.commit's INSERT, one row per set
		await client.query(
			`INSERT INTO annotation_sets
				(dataset_id, document_id, annotator, revision, status, updated_at, updated_by, active_seconds, state, reviewed_spans, flag_reason, span_labels, span_keys, updated_at_text)
			SELECT $1, document_id, annotator, revision, status, updated_at, updated_by, active_seconds, state::json, reviewed_spans, flag_reason,
				ARRAY(SELECT json_array_elements_text(span_labels::json)), span_keys, updated_at_text
			FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[], $7::text[], $8::float8[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[])
				AS t(document_id, annotator, revision, status, updated_at, updated_by, active_seconds, state, reviewed_spans, flag_reason, span_labels, span_keys, updated_at_text)`,
			[
				datasetId,
				rows.map((r) => r.docId),
				rows.map((r) => r.set.annotator),
				rows.map((r) => r.set.revision),
				rows.map((r) => r.set.status),
				rows.map((r) => r.set.updated_at),
				rows.map((r) => r.set.updated_by),
				rows.map((r) => r.set.active_seconds),
				rows.map((r) => json(r.set)),
				rows.map((r) => reviewedSpans(r.set.spans).length),
				rows.map((r) => r.set.flag?.reason ?? null),
				facts.map((f) => JSON.stringify(f.labels)),
				facts.map((f) => f.keys),
				rows.map((r) => r.set.updated_at)
			]
		);
		await client.query(
			`INSERT INTO revisions (dataset_id, document_id, annotator, revision, at, by, status, body)
			SELECT $1, document_id, annotator, revision, at, by, status, body::json
			FROM unnest($2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
				AS t(document_id, annotator, revision, at, by, status, body)`,
			[
				datasetId,
				rows.map((r) => r.docId),
				rows.map((r) => r.set.annotator),
				rows.map((r) => r.revision.revision),
				rows.map((r) => r.revision.at),
				rows.map((r) => r.revision.by),
				rows.map((r) => r.revision.status),
				rows.map((r) => json(r.revision))
			]
		);
		await client.query('COMMIT');
	} catch (e) {
		await client.query('ROLLBACK').catch(() => {});
		throw e;
	} finally {
		client.release();
	}
}

async function generate(slug: string, docs: number): Promise<Record<string, number>> {
	const t0 = performance.now();
	await createDataset({ slug, title: slug, createdBy: 'lead' });
	await updateDataset(slug, (d) => {
		d.members = Object.fromEntries(plan.annotators.map((a) => [a, 'annotator' as Role]));
	});
	const meta = (n: number) => ({ source: 'bench', n, lang: n % 2 ? 'en' : 'fr' });
	async function* articles() {
		for (let n = 0; n < docs; n++) {
			const a = makeArticle(n, plan.articleChars, 'doc');
			yield { id: a.id, title: a.title, text: a.text, meta: meta(n), sha256: a.sha256 };
		}
	}
	const added = await store.documents.addMany(slug, articles());
	if (added.imported.length !== docs) throw new Error(`${added.imported.length} of ${docs} documents imported (${added.duplicates} duplicates)`);
	const documentsMs = performance.now() - t0;

	const [{ id: datasetId }] = (await pool.query<{ id: string }>('SELECT id::text FROM datasets WHERE slug = $1', [slug])).rows;
	const t1 = performance.now();
	// one batch is computed while the one before is being inserted
	let pending: Promise<void> = Promise.resolve();
	let batch: SetRow[] = [];
	let computeMs = 0;
	for (let n = 0; n < docs; n++) {
		const c0 = performance.now();
		const a = makeArticle(n, plan.articleChars, 'doc');
		for (let k = 0; k < plan.annotators.length; k++) {
			const annotator = plan.annotators[k];
			// as bench/large-generate.ts: same positions for everyone, a share shifted by a word
			const input = makeSpans(a, plan.spans, n, { jitter: k === 0 ? 0 : 0.15 * k, labelSeed: n + 1 });
			const prepared = prepareSave(a, annotator, LABELS, { baseRevision: 0, spans: input, status: 'done' });
			const { set, revision } = nextRevision(empty(annotator), prepared, annotator, AT, id);
			batch.push({ docId: a.id, set, revision: revision! });
		}
		computeMs += performance.now() - c0;
		if (batch.length >= BATCH * plan.annotators.length || n === docs - 1) {
			await pending;
			pending = insertSets(datasetId, batch);
			batch = [];
		}
	}
	await pending;
	return { documentsMs, setsMs: performance.now() - t1, computeMs };
}

try {
	await store.init();
	await createUser({ username: 'lead', password: plan.password, role: 'lead' });
	const parts: Record<string, Record<string, number>> = {};
	for (const { slug, docs } of plan.datasets) {
		const t0 = performance.now();
		parts[slug] = await generate(slug, docs);
		timings[slug] = Math.round(performance.now() - t0);
	}
	const t0 = performance.now();
	await pool.query('VACUUM ANALYZE');
	timings.analyze = Math.round(performance.now() - t0);
	const [{ bytes }] = (await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes')).rows;
	console.log(JSON.stringify({ timings, parts, databaseBytes: Number(bytes) }));
} finally {
	await pool.end();
	await store.close?.();
}
