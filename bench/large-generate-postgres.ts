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
 *    `reviewedSpans`, db.ts's `json`), but 1,200 rows a statement (unnest of one
 *    array per column), two statements in flight, instead of a transaction with an
 *    advisory lock per save; the tables ANALYZEd before and after the first batch,
 *    so that the foreign key checks plan a primary key lookup (see generate);
 *  - then checks one set against the store: deleted and written again by
 *    `sets.commit` with the same change, its 18 columns must read back the same;
 *  - then opens each dataset's document list and waits for its list snapshot
 *    (store/postgres/listCache.ts), as the app that ran before the measured
 *    restart would have left it (the file store's generator leaves its index).
 *
 *   SPANLAB_STORE=postgres://… node --import tsx bench/large-generate-postgres.ts '<plan JSON>'
 * Prints one JSON line: what was written and how long it took.
 */
import pg from 'pg';
import { createDataset, datasetSummaries, listDocumentHeaders, store, updateDataset } from '../src/lib/server/store';
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
	const column = <T>(of: (r: SetRow, i: number) => T) => rows.map(of);
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		// the columns and values of sets.commit's INSERT, one row per set, each column one array parameter
		// (unnest: every value is parsed once; `state` and `body` are json(set) and json(revision) to the byte,
		// cast from text as sets.commit casts them)
		await client.query(
			`INSERT INTO annotation_sets
				(dataset_id, document_id, annotator, revision, status, updated_at, updated_by, active_seconds, state, reviewed_spans, flag_reason, span_labels, span_keys, updated_at_text)
			SELECT $1, u.document_id, u.annotator, u.revision, u.status, u.updated_at::timestamptz, u.updated_by, u.active_seconds, u.state::json, u.reviewed_spans,
				u.flag_reason, u.span_labels::text[], u.span_keys, u.updated_at
			FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::int[], $11::text[], $12::text[], $13::text[])
				AS u (document_id, annotator, revision, status, updated_at, updated_by, active_seconds, state, reviewed_spans, flag_reason, span_labels, span_keys)`,
			[
				datasetId,
				column((r) => r.docId),
				column((r) => r.set.annotator),
				column((r) => r.set.revision),
				column((r) => r.set.status),
				column((r) => r.set.updated_at),
				column((r) => r.set.updated_by),
				column((r) => r.set.active_seconds),
				column((r) => json(r.set)),
				column((r) => reviewedSpans(r.set.spans).length),
				column((r) => r.set.flag?.reason ?? null),
				// each set's labels as an array literal: unnest of a text[][] would flatten it
				column((_, i) => arrayLiteral(facts[i].labels)),
				column((_, i) => facts[i].keys)
			]
		);
		await client.query(
			`INSERT INTO revisions (dataset_id, document_id, annotator, revision, at, by, status, body)
			SELECT $1, u.document_id, u.annotator, u.revision, u.at::timestamptz, u.by, u.status, u.body::json
			FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u (document_id, annotator, revision, at, by, status, body)`,
			[
				datasetId,
				column((r) => r.docId),
				column((r) => r.set.annotator),
				column((r) => r.revision.revision),
				column((r) => r.revision.at),
				column((r) => r.revision.by),
				column((r) => r.revision.status),
				column((r) => json(r.revision))
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

/** `values` as a PostgreSQL array literal, every element quoted (labels are any text) */
function arrayLiteral(values: readonly string[]): string {
	return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
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
	// Statistics before the sets go in: the foreign key checks of every inserted row (annotation_sets → documents,
	// revisions → annotation_sets) run a query each connection plans once and caches; planned on tables without
	// statistics it may take an index on dataset_id alone and scan every row of the dataset per check (quadratic: 3 ms
	// a set at 10,000 documents). With them, it is the primary key's unique lookup.
	await pool.query('ANALYZE documents');
	const t1 = performance.now();
	// batches are computed while the two before are being inserted (two connections: the database's work is the larger part)
	const inFlight: Promise<void>[] = [];
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
			if (inFlight.length >= 2) await inFlight.shift();
			inFlight.push(insertSets(datasetId, batch));
			batch = [];
			if (n < BATCH) {
				// the first batch in, annotation_sets has rows to take statistics of (see above)
				await inFlight.shift();
				await pool.query('ANALYZE annotation_sets');
			}
		}
	}
	await Promise.all(inFlight);
	return { documentsMs, setsMs: performance.now() - t1, computeMs };
}

/**
 * The check that the rows are the store's: one set of `slug` (written by insertSets) is read, deleted, written again
 * by the store's own `sets.commit` with the same change, and read again; every column of both rows must be equal.
 */
async function checkAgainstCommit(slug: string): Promise<number> {
	const n = 3;
	const k = 1;
	const annotator = plan.annotators[k];
	const a = makeArticle(n, plan.articleChars, 'doc');
	const read = async () =>
		(
			await pool.query(
				`SELECT s.document_id, s.annotator, s.revision, s.status, s.updated_at, s.updated_by, s.active_seconds, s.state::text, s.reviewed_spans,
					s.flag_reason, s.span_labels, s.span_keys, s.updated_at_text, r.revision AS r_revision, r.at, r.by, r.status AS r_status, r.body::text
				FROM annotation_sets s JOIN revisions r USING (dataset_id, document_id, annotator)
				WHERE s.dataset_id = (SELECT id FROM datasets WHERE slug = $1) AND s.document_id = $2 AND s.annotator = $3`,
				[slug, a.id, annotator]
			)
		).rows;
	const [bulk] = await read();
	await pool.query('DELETE FROM annotation_sets WHERE dataset_id = (SELECT id FROM datasets WHERE slug = $1) AND document_id = $2 AND annotator = $3', [slug, a.id, annotator]);
	// the same change as the generator's, with the span ids it drew
	const ids = (JSON.parse(bulk.state) as AnnotationSet).spans.map((s) => s.id);
	let i = 0;
	await store.sets.commit({ slug, docId: a.id, annotator }, 0, (current) => {
		const input = makeSpans(a, plan.spans, n, { jitter: 0.15 * k, labelSeed: n + 1 });
		const prepared = prepareSave(a, annotator, LABELS, { baseRevision: 0, spans: input, status: 'done' });
		const { set, revision } = nextRevision(current, prepared, annotator, AT, () => ids[i++]);
		return { set, revision };
	});
	const [committed] = await read();
	const differ = Object.keys(bulk).filter((key) => JSON.stringify(bulk[key]) !== JSON.stringify(committed?.[key]));
	if (differ.length) throw new Error(`the generated rows are not what sets.commit writes: ${differ.join(', ')} differ`);
	return Object.keys(bulk).length;
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
	const checkedColumns = await checkAgainstCommit(plan.datasets[plan.datasets.length - 1].slug);
	let t0 = performance.now();
	await pool.query('VACUUM ANALYZE');
	timings.analyze = Math.round(performance.now() - t0);
	// the app ran before the restart that the bench measures: it had opened the datasets, and written their list
	// snapshots (store/postgres/listCache.ts), as the file store's generator leaves its index snapshot
	t0 = performance.now();
	for (const { slug } of plan.datasets) {
		await listDocumentHeaders(slug);
		await datasetSummaries(slug);
	}
	await store.settled?.();
	timings.listSnapshots = Math.round(performance.now() - t0);
	// a snapshot that failed to write (only warned of, a cache) would make the measured open a full read: said
	const snapshots = (await pool.query<{ slug: string; documents: number }>('SELECT d.slug, s.documents FROM list_snapshots s JOIN datasets d ON d.id = s.dataset_id')).rows;
	const [{ bytes }] = (await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes')).rows;
	console.log(JSON.stringify({ timings, parts, checkedColumns, databaseBytes: Number(bytes), listSnapshots: Object.fromEntries(snapshots.map((r) => [r.slug, r.documents])) }));
} finally {
	await pool.end();
}
// the store's own pool would keep the process a while
process.exit(0);
