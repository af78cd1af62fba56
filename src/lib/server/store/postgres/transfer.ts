/**
 * The PostgreSQL store's side of `npm run migrate-store` (../transfer/): a
 * dataset record, documents and prediction runs written exactly as another
 * store read them (TransferRepository in ../types.ts). Each write is one
 * statement (a dataset with its members, a batch of documents, a run with its
 * lines), so each is all or nothing without a transaction of its own.
 */
import { conflict, notFound } from '../../http/errors';
import { checkDocId, checkSlug } from '../names';
import { checkRunName, runExists, type RunLine } from '../../evaluation/runUpload';
import type { StoredDocument } from '../../../model/dataset';
import type { TransferRepository } from '../types';
import { json, type Db } from './db';
import { insertDocumentRows } from './documents';
import { settingsOf } from './datasets';

/** Documents inserted by one statement (as addMany) */
const BATCH = 256;
/** Run lines read per query */
const LINES_BATCH = 500;

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

export function postgresTransfer(db: Db): TransferRepository {
	const { sql } = db;

	return {
		async restoreDataset(record) {
			const slug = checkSlug(record.slug);
			const members = Object.keys(record.members ?? {});
			try {
				await sql`
					WITH dataset AS (
						INSERT INTO datasets (slug, title, description, created_at, created_by, guidelines, labels, relation_types, settings, assignments, version)
						VALUES (${slug}, ${record.title}, ${record.description ?? ''}, ${record.created_at}, ${record.created_by}, ${record.guidelines ?? ''},
							${json(record.labels)}::text::json,
							${record.relationTypes === undefined ? null : json(record.relationTypes)}::text::json,
							${json(settingsOf(record))}::text::json,
							${record.assignments == null ? null : json(record.assignments)}::text::json,
							${record.version ?? 0})
						RETURNING id
					)
					INSERT INTO dataset_members (dataset_id, username, role, ordinal)
					SELECT dataset.id, m.username, m.role, m.ordinal FROM dataset,
						unnest(${members}::text[], ${members.map((n) => record.members[n])}::text[], ${members.map((_, i) => i)}::int[]) AS m(username, role, ordinal)`;
			} catch (e) {
				if (isUniqueViolation(e)) throw conflict(`dataset "${slug}" already exists`);
				throw e;
			}
		},

		async restoreDocuments(slug, docs) {
			const datasetId = await db.datasetId(slug);
			let written = 0;
			let batch: StoredDocument[] = [];
			const flush = async () => {
				if (!batch.length) return;
				for (const d of batch) checkDocId(d.id);
				try {
					await insertDocumentRows(sql, datasetId, batch);
				} catch (e) {
					if (isUniqueViolation(e)) throw conflict(`a document id (or position) of ${batch[0].id}…${batch.at(-1)!.id} already exists in dataset "${slug}"`);
					throw e;
				}
				written += batch.length;
				batch = [];
			};
			for await (const doc of docs) {
				batch.push(doc);
				if (batch.length >= BATCH) await flush();
			}
			await flush();
			return written;
		},

		async *runLines(slug, run) {
			checkRunName(run);
			const datasetId = await db.datasetId(slug);
			const [exists] = await sql`SELECT 1 FROM prediction_runs WHERE dataset_id = ${datasetId} AND run = ${run}`;
			if (!exists) throw notFound(`dataset "${slug}" has no prediction run "${run}"`);
			let after = 0;
			for (;;) {
				const rows = await sql<{ line: number; document_id: string; text_sha256: string; spans: RunLine['spans'] }[]>`
					SELECT line, document_id, text_sha256, spans FROM prediction_run_lines
					WHERE dataset_id = ${datasetId} AND run = ${run} AND line > ${after} ORDER BY line LIMIT ${LINES_BATCH}`;
				for (const row of rows) yield { doc_id: row.document_id, text_sha256: row.text_sha256, spans: row.spans };
				if (rows.length < LINES_BATCH) return;
				after = rows[rows.length - 1].line;
			}
		},

		async restoreRun(slug, manifest, lines) {
			const run = checkRunName(manifest.run);
			const datasetId = await db.datasetId(slug);
			// a run is bounded by the upload limit: its lines go in the one statement that inserts it
			const all: RunLine[] = [];
			for await (const line of lines) all.push(line);
			try {
				await sql`
					WITH run AS (
						INSERT INTO prediction_runs (dataset_id, run, manifest, uploaded_at)
						VALUES (${datasetId}, ${run}, ${json(manifest)}::text::json, ${manifest.uploaded_at})
						RETURNING run
					)
					INSERT INTO prediction_run_lines (dataset_id, run, line, document_id, text_sha256, spans)
					SELECT ${datasetId}, run.run, l.line, l.document_id, l.text_sha256, l.spans::json FROM run,
						unnest(
							${all.map((_, i) => i + 1)}::int[],
							${all.map((l) => l.doc_id)}::text[],
							${all.map((l) => l.text_sha256)}::text[],
							${all.map((l) => json(l.spans))}::text[]
						) AS l(line, document_id, text_sha256, spans)`;
			} catch (e) {
				if (isUniqueViolation(e)) throw runExists(run);
				throw e;
			}
		}
	};
}
