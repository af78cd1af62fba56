/**
 * Prediction runs on PostgreSQL. An upload is checked line by line by the
 * rules both stores share (evaluation/runUpload.ts) as the body arrives, with
 * no transaction open (a slow client holds no pool connection): the good lines
 * are staged as they come (the import staging tables, in batches; memory stays
 * flat), and only once every line is good does one short transaction insert
 * the run's row and move its lines in. A refusal, a 413 or a crash keeps
 * nothing of the run (a crash's staged lines are swept by init): all or
 * nothing. Two uploads of one name: the primary key lets exactly one commit,
 * the other gets the same 409 as on the file store.
 */
import { notFound } from '../../http/errors';
import { checkSlug } from '../names';
import {
	checkRunName,
	checkRunUpload,
	keepCheckedLines,
	runExists,
	runManifest,
	type RunDocuments
} from '../../evaluation/runUpload';
import type { EvalSpan } from '../../../evaluation/match';
import type { PredictionRunRepository, RunManifest } from '../types';
import { json, type Db } from './db';
import { postgresStaging } from './staging';

const evalSpan = (s: EvalSpan): EvalSpan =>
	s.score === undefined ? { start: s.start, end: s.end, label: s.label } : { start: s.start, end: s.end, label: s.label, score: s.score };

export function postgresRuns(db: Db): PredictionRunRepository {
	const { sql } = db;
	const staging = postgresStaging(db);
	async function manifest(slug: string, run: string): Promise<RunManifest> {
		const id = await db.datasetId(slug);
		const [row] = await sql<{ manifest: RunManifest }[]>`SELECT manifest FROM prediction_runs WHERE dataset_id = ${id} AND run = ${run}`;
		if (!row) throw notFound(`dataset "${slug}" has no prediction run "${run}"`);
		return row.manifest;
	}
	return {
		async list(slug) {
			const id = await db.datasetId(slug);
			const rows = await sql<{ manifest: RunManifest }[]>`
				SELECT manifest FROM prediction_runs WHERE dataset_id = ${id} ORDER BY uploaded_at DESC, run COLLATE "C"`;
			return rows.map((r) => r.manifest);
		},
		manifest,
		async load(slug, run) {
			const m = await manifest(slug, run);
			const id = await db.datasetId(slug);
			const spans = new Map<string, EvalSpan[]>();
			for (const row of await sql<{ document_id: string; spans: EvalSpan[] }[]>`
				SELECT document_id, spans FROM prediction_run_lines WHERE dataset_id = ${id} AND run = ${run} ORDER BY line`) {
				// stored as uploaded (each span with its text, as in the file store's spans file); read as the evaluation's spans
				spans.set(row.document_id, row.spans.map(evalSpan));
			}
			return { manifest: m, spans };
		},
		async upload(slug, run, chunks, options) {
			checkSlug(slug);
			checkRunName(run);
			const id = await db.datasetId(slug);
			const [taken] = await sql`SELECT 1 FROM prediction_runs WHERE dataset_id = ${id} AND run = ${run}`;
			if (taken) throw runExists(run);
			// The body is read and checked first, its good lines staged (short autocommit batches, the
			// import staging tables: swept by init if this process dies), with no transaction open: a client
			// sending slowly holds no connection of the pool. Then one short transaction moves them in.
			const area = await staging.create(slug);
			let result!: { run: string; documents: number; spans: number; manifest: RunManifest };
			try {
				// the last document a hasId found, for the document() that follows it
				let last: { id: string; text: string; sha256: string } | null = null;
				const docs: RunDocuments = {
					async hasId(docId) {
						const [row] = await sql<{ text: string; sha256: string }[]>`
							SELECT text, sha256 FROM documents WHERE dataset_id = ${id} AND id = ${docId}`;
						last = row ? { id: docId, text: row.text, sha256: row.sha256 } : null;
						return row !== undefined;
					},
					async idOfText(sha256) {
						const [row] = await sql<{ id: string }[]>`
							SELECT id FROM documents WHERE dataset_id = ${id} AND sha256 = ${sha256} ORDER BY position LIMIT 1`;
						return row?.id;
					},
					async document(docId) {
						if (last?.id === docId) return last;
						const [row] = await sql<{ text: string; sha256: string }[]>`
							SELECT text, sha256 FROM documents WHERE dataset_id = ${id} AND id = ${docId}`;
						if (!row) throw notFound(`no document "${docId}" in dataset "${slug}"`);
						return row;
					}
				};
				const checked = await keepCheckedLines(checkRunUpload(slug, chunks, docs, options), (line, record) =>
					area.append(JSON.stringify({ line, doc_id: record.doc_id, text_sha256: record.text_sha256, spans: record.spans }))
				);
				await area.finish();
				const m = runManifest(checked, { run, dataset: slug, file: `${run}.spans.jsonl` }, options);
				await sql.begin(async (tx) => {
					await tx`INSERT INTO prediction_runs (dataset_id, run, manifest, uploaded_at) VALUES (${id}, ${run}, ${json(m)}::text::json, ${m.uploaded_at})`;
					// json's -> keeps the value's text as staged (JSON.stringify's), as the spans were stored before
					await tx`
						INSERT INTO prediction_run_lines (dataset_id, run, line, document_id, text_sha256, spans)
						SELECT ${id}, ${run}, (l.line::json->>'line')::int, l.line::json->>'doc_id', l.line::json->>'text_sha256', l.line::json->'spans'
						FROM import_staged_lines l WHERE l.staging_id = ${area.id}`;
					await tx`DELETE FROM import_staging WHERE id = ${area.id}`;
				});
				result = { run, documents: checked.documents, spans: checked.spans, manifest: m };
			} catch (e) {
				await area.remove().catch(() => {});
				if ((e as { code?: string }).code === '23505') throw runExists(run);
				throw e;
			}
			return result;
		}
	};
}
