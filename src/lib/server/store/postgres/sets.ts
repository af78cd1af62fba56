/**
 * Annotation sets on PostgreSQL. A set is one row (its state as json, plus the
 * summary columns lists read), its history one row per revision.
 *
 * `commit` is one transaction: the set's row locked (`FOR UPDATE`; a set with
 * no row yet: a transaction-level advisory lock on its key first, so that two
 * first saves of a set are serialised too, across processes), the compare of
 * `baseRevision` with the stored revision, then the state, its summary and the
 * revision row written in one statement. A stale base writes nothing and
 * returns the current state. Inside a save's label lock (withCurrentLabels) the
 * commit runs on that transaction: the save is one transaction of four
 * statements (lock, dataset, set, write) and its COMMIT.
 */
import { notFound } from '../../http/errors';
import { checkAnnotator, checkDocId, IMPORT_ANNOTATOR_PREFIX } from '../names';
import { reviewedSpans } from '../../../suggest/settings';
import { REVISIONS_PAGE } from '../../../model/work';
import type { AnnotationSet, Revision, Status } from '../../../model/types';
import type { CorpusFilter, DocumentWork, SetSummary } from '../../../model/work';
import type { AnnotationSetRepository, SetKey } from '../types';
import { iso, json, type Db, type Sql } from './db';
import { storedDocument } from './documents';
import { spanFactsOf } from '../../../documents/facts';
import { importSources } from './importSources';
import type { ListCache } from './listCache';

function emptySet(annotator: string): AnnotationSet {
	return { annotator, revision: 0, status: 'not_started', spans: [], updated_at: null, updated_by: null, active_seconds: 0 };
}

export interface SummaryRow {
	document_id: string;
	annotator: string;
	status: Status;
	revision: number;
	reviewed_spans: number;
	updated_at: string | null;
	active_seconds: number;
	flag_reason: string | null;
	span_labels: string[];
	span_keys: string | null;
	/** only for a row written before migration 0002 (span_keys NULL): its spans, for its facts */
	legacy_spans: AnnotationSet['spans'] | null;
}

/** The file store's summarise(): same keys, same order. */
export function summaryOf(row: SummaryRow): SetSummary {
	const { labels, keys } = row.span_keys !== null ? { labels: row.span_labels, keys: row.span_keys } : spanFactsOf(row.legacy_spans ?? []);
	// two literals rather than a spread: the list cache makes one a set (300,000 at 100,000 documents)
	return row.flag_reason !== null
		? { annotator: row.annotator, status: row.status, revision: row.revision, spans: row.reviewed_spans, updated_at: row.updated_at, active_seconds: row.active_seconds, flag: row.flag_reason as SetSummary['flag'], labels, keys }
		: { annotator: row.annotator, status: row.status, revision: row.revision, spans: row.reviewed_spans, updated_at: row.updated_at, active_seconds: row.active_seconds, labels, keys };
}

/** the summary columns, `updated_at` as the state has it (the exact string, migration 0002); no column reads the state but a pre-0002 row's spans */
export const SUMMARY_COLUMNS =
	"document_id, annotator, status, revision, reviewed_spans, updated_at_text AS updated_at, active_seconds, flag_reason, " +
	"span_labels, span_keys, CASE WHEN span_keys IS NULL THEN state->'spans' END AS legacy_spans";

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Documents read per query of the corpus walk */
const WALK_BATCH = 64;

export function postgresSets(db: Db, list: ListCache): AnnotationSetRepository {
	const { sql } = db;

	async function keyIds(key: SetKey): Promise<string> {
		checkDocId(key.docId);
		checkAnnotator(key.annotator);
		return db.datasetId(key.slug);
	}

	return {
		async load(key) {
			const id = await keyIds(key);
			const [row] = await sql<{ state: AnnotationSet }[]>`
				SELECT state FROM annotation_sets WHERE dataset_id = ${id} AND document_id = ${key.docId} AND annotator = ${key.annotator}`;
			return row ? row.state : emptySet(key.annotator);
		},

		async commit(key, baseRevision, next) {
			const id = await keyIds(key);
			let outcome!: Awaited<ReturnType<AnnotationSetRepository['commit']>>;
			await sql.begin(async (t) => {
				const tx = t as unknown as Sql;
				const locked = () => tx<{ state: AnnotationSet }[]>`
					SELECT state FROM annotation_sets WHERE dataset_id = ${id} AND document_id = ${key.docId} AND annotator = ${key.annotator} FOR UPDATE`;
				// a set that has a row: its row lock (FOR UPDATE waits for a commit under way and reads what it wrote)
				let [row] = await locked();
				if (!row) {
					// none yet: two first saves have no row to lock, so they queue on the set's key, then read again
					// (a statement of its own: its snapshot is taken once the lock is held)
					await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`set:${id}/${key.docId}/${key.annotator}`}, 0))`;
					[row] = await locked();
				}
				const current = row ? row.state : emptySet(key.annotator);
				if (baseRevision !== null && baseRevision !== current.revision) {
					outcome = { ok: false, conflict: current };
					return;
				}
				const change = next(current);
				if (change.set === current) {
					outcome = { ok: true, set: current, changed: false };
					return;
				}
				const set = change.set;
				const expected = change.revision ? current.revision + 1 : current.revision;
				if (set.revision !== expected || (change.revision && change.revision.revision !== expected)) {
					throw new Error(`commit of ${key.slug}/${key.docId}/${key.annotator}: revision ${set.revision} after ${current.revision} (expected ${expected})`);
				}
				if (!row) {
					const [doc] = await tx`SELECT 1 FROM documents WHERE dataset_id = ${id} AND id = ${key.docId}`;
					if (!doc) throw notFound(`no document "${key.docId}" in dataset "${key.slug}"`);
				}
				const facts = spanFactsOf(set.spans);
				const r = change.revision;
				// the state and its revision row in one statement (the revision's INSERT a data-modifying WITH of it)
				await tx`
					${r ? tx`WITH written AS (` : tx``}
					INSERT INTO annotation_sets
						(dataset_id, document_id, annotator, revision, status, updated_at, updated_by, active_seconds, state, reviewed_spans, flag_reason, span_labels, span_keys, updated_at_text)
					VALUES (${id}, ${key.docId}, ${key.annotator}, ${set.revision}, ${set.status}, ${set.updated_at}, ${set.updated_by},
						${set.active_seconds}, ${json(set)}::text::json, ${reviewedSpans(set.spans).length}, ${set.flag?.reason ?? null}, ${facts.labels}::text[], ${facts.keys}, ${set.updated_at})
					ON CONFLICT (dataset_id, document_id, annotator) DO UPDATE SET
						revision = excluded.revision, status = excluded.status, updated_at = excluded.updated_at,
						updated_by = excluded.updated_by, active_seconds = excluded.active_seconds, state = excluded.state,
						reviewed_spans = excluded.reviewed_spans, flag_reason = excluded.flag_reason, span_labels = excluded.span_labels,
						span_keys = excluded.span_keys, updated_at_text = excluded.updated_at_text
					${
						r
							? tx`)
					INSERT INTO revisions (dataset_id, document_id, annotator, revision, at, by, status, body)
					VALUES (${id}, ${key.docId}, ${key.annotator}, ${r.revision}, ${r.at}, ${r.by}, ${r.status}, ${json(r)}::text::json)`
							: tx``
					}`;
				// what was written, as a load will read it back (JSON: no undefined members)
				outcome = { ok: true, set: JSON.parse(json(set)) as AnnotationSet, changed: change.revision !== null };
			});
			return outcome;
		},

		async revisions(key) {
			const id = await keyIds(key);
			const rows = await sql<{ body: Revision }[]>`
				SELECT body FROM revisions WHERE dataset_id = ${id} AND document_id = ${key.docId} AND annotator = ${key.annotator}
				ORDER BY revision`;
			return rows.map((r) => r.body);
		},

		async pageRevisions(key, opts = {}) {
			const id = await keyIds(key);
			const limit = Math.max(1, Math.min(REVISIONS_PAGE.maxLimit, opts.limit ?? REVISIONS_PAGE.defaultLimit));
			const before = opts.before ?? 2 ** 31 - 1;
			const rows = await sql<{ body: Revision }[]>`
				SELECT body FROM revisions
				WHERE dataset_id = ${id} AND document_id = ${key.docId} AND annotator = ${key.annotator} AND revision < ${Math.min(before, 2 ** 31 - 1)}
				ORDER BY revision DESC LIMIT ${limit}`;
			const newestFirst: Revision[] = [];
			let spans = 0;
			for (const { body } of rows) {
				const size = body.spans.length + (body.rejected?.length ?? 0);
				if (newestFirst.length > 0 && spans + size > REVISIONS_PAGE.maxSpans) break;
				newestFirst.push(body);
				spans += size;
			}
			const revisions = newestFirst.reverse();
			const oldest = revisions[0]?.revision;
			let earlier = false;
			if (oldest !== undefined) {
				const [row] = await sql`
					SELECT 1 FROM revisions WHERE dataset_id = ${id} AND document_id = ${key.docId} AND annotator = ${key.annotator}
					AND revision >= 1 AND revision < ${oldest} LIMIT 1`;
				earlier = Boolean(row);
			}
			return { revisions, nextBefore: earlier ? oldest! : null };
		},

		// the document list's reads: this process's copy, brought up to date (./listCache.ts)
		async summaries(slug) {
			return list.summaries(await db.datasetId(slug));
		},

		async importSetsOf(slug, docId) {
			checkDocId(docId);
			const id = await db.datasetId(slug);
			const rows = await sql.unsafe<SummaryRow[]>(
				`SELECT ${SUMMARY_COLUMNS} FROM annotation_sets WHERE dataset_id = $1 AND document_id = $2 AND starts_with(annotator, $3) ORDER BY annotator COLLATE "C"`,
				[id, docId, IMPORT_ANNOTATOR_PREFIX]
			);
			return rows.map(summaryOf);
		},

		async importSetNames(slug, docId) {
			checkDocId(docId);
			const id = await db.datasetId(slug);
			const rows = await sql<{ annotator: string }[]>`
				SELECT annotator FROM annotation_sets WHERE dataset_id = ${id} AND document_id = ${docId} AND starts_with(annotator, ${IMPORT_ANNOTATOR_PREFIX})
				ORDER BY annotator COLLATE "C"`;
			return rows.map((r) => r.annotator);
		},

		importSources: (slug) => importSources(db, slug),

		iterateWork(slug, filter = {}) {
			return walk(db, slug, filter);
		}
	};
}

/**
 * Documents in id order with their chosen sets, read a batch at a time inside one
 * REPEATABLE READ READ ONLY transaction on a connection of its own: the whole walk
 * sees one state of the dataset (a release never mixes a save's before and after).
 * The next batch is read while the caller works on this one (two batches in memory
 * at most: memory flat in the corpus, the database's time and the caller's overlap).
 */
async function* walk(db: Db, slug: string, filter: CorpusFilter): AsyncGenerator<DocumentWork> {
	const id = await db.datasetId(slug);
	const conn = await db.sql.reserve();
	type SetRow = SummaryRow & { state: AnnotationSet };
	type Batch = { docs: Array<Parameters<typeof storedDocument>[0]>; sets: SetRow[] };
	const read = async (after: string | null): Promise<Batch> => {
		const docs: Batch['docs'] = await conn`
			SELECT id, title, text, meta, sha256, created_at, position FROM documents
			WHERE dataset_id = ${id} ${after === null ? conn`` : conn`AND id COLLATE "C" > ${after}`}
			ORDER BY id COLLATE "C" LIMIT ${WALK_BATCH}`;
		if (!docs.length) return { docs, sets: [] };
		const sets = await conn.unsafe<SetRow[]>(
			`SELECT ${SUMMARY_COLUMNS}, state FROM annotation_sets
			 WHERE dataset_id = $1 AND document_id = ANY($2::text[]) AND annotator NOT LIKE 'import~%' AND revision > 0`,
			[id, docs.map((d) => d.id)]
		);
		return { docs, sets };
	};
	let next: Promise<Batch> | null = null;
	try {
		await conn`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`;
		next = read(null);
		while (next) {
			const { docs, sets } = await next;
			next = null;
			if (docs.length === WALK_BATCH) {
				next = read(docs[docs.length - 1].id);
				next.catch(() => {}); // awaited at the next turn, or in finally
			}
			const byDoc = new Map<string, SetRow[]>();
			for (const s of sets) {
				let list = byDoc.get(s.document_id);
				if (!list) byDoc.set(s.document_id, (list = []));
				list.push(s);
			}
			for (const doc of docs) {
				const chosen = (byDoc.get(doc.id) ?? [])
					.filter((s) => !filter.annotator || filter.annotator(s.annotator))
					.filter((s) => !filter.status || filter.status(s.status))
					.sort((a, b) => byCodeUnit(a.annotator, b.annotator));
				if (filter.skipEmpty && chosen.length === 0) continue;
				if (filter.document && !filter.document(chosen.map(summaryOf))) continue;
				yield { document: storedDocument(doc), sets: chosen.map((s) => s.state) };
			}
		}
	} finally {
		// a walk left early (break, an error) waits for the read in flight before the connection goes back
		await next?.catch(() => {});
		await conn`ROLLBACK`.catch(() => {});
		conn.release();
	}
}
