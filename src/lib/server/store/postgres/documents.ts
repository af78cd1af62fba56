/**
 * Documents on PostgreSQL: one row each. `addMany` is one transaction that
 * inserts in batches (unnest: one statement per batch, memory flat in the
 * number of documents), under a per-dataset advisory lock so two imports into
 * one dataset do not both take the same positions or both add one text.
 */
import { conflict, notFound } from '../../http/errors';
import { checkDocId } from '../names';
import type { NewDocument, StoredDocument } from '../../../model/dataset';
import type { DocumentRepository } from '../types';
import { LOCK, iso, lockKey, type Db, type Sql } from './db';
import { searchTerms } from '../../../documents/query';
import type { ListCache } from './listCache';

/** Documents inserted by one statement */
const ADD_BATCH = 256;

interface DocumentRow {
	id: string;
	title: string;
	text: string;
	meta: Record<string, unknown>;
	sha256: string;
	created_at: Date;
	position: number;
}

/** The file store's key order. */
export function storedDocument(row: DocumentRow): StoredDocument {
	return {
		id: row.id,
		title: row.title,
		text: row.text,
		meta: row.meta,
		sha256: row.sha256,
		created_at: iso(row.created_at)!,
		position: row.position
	};
}

/** One batch of documents as one multi-row INSERT (the import's `addMany` and migrate-store's restore). */
export async function insertDocumentRows(tx: Sql, datasetId: string, batch: StoredDocument[]): Promise<void> {
	if (!batch.length) return;
	await tx`
		INSERT INTO documents (dataset_id, id, position, title, text, meta, sha256, length, created_at)
		SELECT ${datasetId}, id, position, title, text, meta::json, sha256, length, created_at
		FROM unnest(
			${batch.map((d) => d.id)}::text[],
			${batch.map((d) => d.position)}::int[],
			${batch.map((d) => d.title)}::text[],
			${batch.map((d) => d.text)}::text[],
			${batch.map((d) => JSON.stringify(d.meta))}::text[],
			${batch.map((d) => d.sha256)}::text[],
			${batch.map((d) => d.text.length)}::int[],
			${batch.map((d) => d.created_at)}::timestamptz[]
		) AS t(id, position, title, text, meta, sha256, length, created_at)`;
}

/** documents in one import from which its commit refreshes the table's statistics */
const ANALYZE_AFTER = 1000;

export function postgresDocuments(db: Db, list: ListCache): DocumentRepository {
	const { sql } = db;

	return {
		// the document list's reads: this process's copy, brought up to date (./listCache.ts)
		async headers(slug) {
			return list.headers(await db.datasetId(slug));
		},

		async get(slug, docId) {
			const id = await db.datasetId(slug);
			const [row] = await sql<DocumentRow[]>`
				SELECT id, title, text, meta, sha256, created_at, position FROM documents WHERE dataset_id = ${id} AND id = ${docId}`;
			if (!row) throw notFound(`no document "${docId}" in dataset "${slug}"`);
			return storedDocument(row);
		},

		async has(slug, docId) {
			const id = await db.datasetId(slug);
			const [row] = await sql`SELECT 1 FROM documents WHERE dataset_id = ${id} AND id = ${docId}`;
			return Boolean(row);
		},

		async findBySha(slug, sha256) {
			const id = await db.datasetId(slug);
			const [row] = await sql<{ id: string }[]>`
				SELECT id FROM documents WHERE dataset_id = ${id} AND sha256 = ${sha256} ORDER BY position LIMIT 1`;
			return row?.id;
		},

		async lookup(slug) {
			const id = await db.datasetId(slug);
			const bySha = new Map<string, string>();
			const ids = new Set<string>();
			for (const row of await sql<{ id: string; sha256: string }[]>`
				SELECT id, sha256 FROM documents WHERE dataset_id = ${id} ORDER BY position DESC`) {
				ids.add(row.id);
				bySha.set(row.sha256, row.id);
			}
			return { idOfText: (sha) => bySha.get(sha), hasId: (docId) => ids.has(docId) };
		},

		async addMany(slug, docs) {
			const datasetId = await db.datasetId(slug);
			const imported: string[] = [];
			let duplicates = 0;
			let refused: string | null = null;
			await sql.begin(async (t) => {
				const tx = t as unknown as Sql;
				await tx`SELECT pg_advisory_xact_lock(${LOCK.documents}::int, ${lockKey(datasetId)}::int)`;
				const [{ next }] = await tx<{ next: number }[]>`
					SELECT coalesce(max(position) + 1, 0)::int AS next FROM documents WHERE dataset_id = ${datasetId}`;
				let nextPosition = next;
				const now = new Date().toISOString();
				const seenShas = new Set<string>();
				const seenIds = new Set<string>();
				let pending: NewDocument[] = [];

				/** checks `pending` against the dataset and this call's documents; inserts what passes, up to a clash */
				const flush = async (): Promise<boolean> => {
					if (!pending.length) return true;
					const candidates = pending;
					pending = [];
					const known = await tx<{ id: string; sha256: string }[]>`
						SELECT id, sha256 FROM documents WHERE dataset_id = ${datasetId}
						AND (sha256 = ANY(${candidates.map((d) => d.sha256)}::text[]) OR id = ANY(${candidates.map((d) => d.id)}::text[]))`;
					const knownShas = new Set(known.map((k) => k.sha256));
					const knownIds = new Set(known.map((k) => k.id));
					const batch: StoredDocument[] = [];
					for (const doc of candidates) {
						if (knownShas.has(doc.sha256) || seenShas.has(doc.sha256)) {
							duplicates++;
							continue;
						}
						if (knownIds.has(doc.id) || seenIds.has(doc.id)) {
							refused = doc.id;
							break;
						}
						checkDocId(doc.id);
						seenShas.add(doc.sha256);
						seenIds.add(doc.id);
						batch.push({ id: doc.id, title: doc.title, text: doc.text, meta: doc.meta, sha256: doc.sha256, created_at: now, position: nextPosition++ });
					}
					await insertDocumentRows(tx, datasetId, batch);
					for (const d of batch) imported.push(d.id);
					return refused === null;
				};

				for await (const doc of docs) {
					pending.push(doc);
					if (pending.length >= ADD_BATCH && !(await flush())) return;
				}
				await flush();
			});
			// a large import changes the table's statistics: without fresh ones the planner (and the
			// foreign-key checks' plans cached per connection) can pick a scan of the whole dataset per
			// row until autovacuum gets to it (the bench generator's 100,000 documents showed it)
			if (imported.length >= ANALYZE_AFTER) await sql`ANALYZE documents`;
			// the documents before the clash are kept (committed above), as on the file store
			if (refused !== null) throw conflict(`document id "${refused}" already exists with a different text`);
			return { imported, duplicates };
		},

		// the document list's search (issue #20 item 4): the generated `search` tsvector
		// (spanlab_search: unaccent + simple, no stemming) and its GIN index; the words and
		// phrases are the ones the file store searches (searchTerms: folded like it)
		async search(slug, query) {
			const { words, phrases } = searchTerms(query);
			if (!words.length && !phrases.length) return [];
			const datasetId = await db.datasetId(slug);
			const web = [...words, ...phrases.map((p) => `"${p}"`)].join(' ');
			const rows = await sql<{ id: string }[]>`
				SELECT id FROM documents, websearch_to_tsquery('spanlab_search', ${web}) AS query
				WHERE dataset_id = ${datasetId} AND search @@ query
				ORDER BY ts_rank(search, query) DESC, position`;
			return rows.map((r) => r.id);
		},
		async metas(slug) {
			const datasetId = await db.datasetId(slug);
			const rows = await sql<{ id: string; meta: Record<string, unknown> }[]>`SELECT id, meta FROM documents WHERE dataset_id = ${datasetId}`;
			return new Map(rows.map((r) => [r.id, r.meta]));
		}
	};
}
