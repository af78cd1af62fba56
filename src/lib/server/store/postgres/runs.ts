/**
 * Prediction runs on PostgreSQL. An upload is checked line by line by the
 * rules both stores share (evaluation/runUpload.ts) inside one transaction:
 * the good lines go to a temporary table as they come (memory stays flat),
 * and only once every line is good are the run's row and its lines inserted.
 * A refusal, a 413 or a crash rolls everything back: all or nothing. Two
 * uploads of one name: the primary key lets exactly one commit, the other
 * gets the same 409 as on the file store.
 */
import { notFound } from '../../http/errors';
import { checkSlug } from '../names';
import {
	checkRunName,
	checkRunUpload,
	keepCheckedLines,
	runExists,
	runManifest,
	type RunDocuments,
	type RunLine
} from '../../evaluation/runUpload';
import type { EvalSpan } from '../../../evaluation/match';
import type { PredictionRunRepository, RunManifest } from '../types';
import { json, type Db } from './db';

/** lines inserted at once while an upload streams in */
const BATCH = 500;

const evalSpan = (s: EvalSpan): EvalSpan =>
	s.score === undefined ? { start: s.start, end: s.end, label: s.label } : { start: s.start, end: s.end, label: s.label, score: s.score };

export function postgresRuns(db: Db): PredictionRunRepository {
	const { sql } = db;
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
			let result!: { run: string; documents: number; spans: number; manifest: RunManifest };
			try {
				await sql.begin(async (tx) => {
					await tx`CREATE TEMPORARY TABLE spanlab_run_upload (line integer, document_id text, text_sha256 text, spans json) ON COMMIT DROP`;
					// the last document a hasId found, for the document() that follows it
					let last: { id: string; text: string; sha256: string } | null = null;
					const docs: RunDocuments = {
						async hasId(docId) {
							const [row] = await tx<{ text: string; sha256: string }[]>`
								SELECT text, sha256 FROM documents WHERE dataset_id = ${id} AND id = ${docId}`;
							last = row ? { id: docId, text: row.text, sha256: row.sha256 } : null;
							return row !== undefined;
						},
						async idOfText(sha256) {
							const [row] = await tx<{ id: string }[]>`
								SELECT id FROM documents WHERE dataset_id = ${id} AND sha256 = ${sha256} ORDER BY position LIMIT 1`;
							return row?.id;
						},
						async document(docId) {
							if (last?.id === docId) return last;
							const [row] = await tx<{ text: string; sha256: string }[]>`
								SELECT text, sha256 FROM documents WHERE dataset_id = ${id} AND id = ${docId}`;
							if (!row) throw notFound(`no document "${docId}" in dataset "${slug}"`);
							return row;
						}
					};
					let batch: Array<{ line: number; record: RunLine }> = [];
					const flush = async () => {
						if (batch.length === 0) return;
						const rows = batch;
						batch = [];
						await tx`
							INSERT INTO spanlab_run_upload (line, document_id, text_sha256, spans)
							SELECT l, d, s, j::json FROM unnest(
								${rows.map((r) => r.line)}::int[],
								${rows.map((r) => r.record.doc_id)}::text[],
								${rows.map((r) => r.record.text_sha256)}::text[],
								${rows.map((r) => json(r.record.spans))}::text[]
							) AS u(l, d, s, j)`;
					};
					const checked = await keepCheckedLines(checkRunUpload(slug, chunks, docs, options), async (line, record) => {
						batch.push({ line, record });
						if (batch.length >= BATCH) await flush();
					});
					await flush();
					const m = runManifest(checked, { run, dataset: slug, file: `${run}.spans.jsonl` }, options);
					await tx`INSERT INTO prediction_runs (dataset_id, run, manifest, uploaded_at) VALUES (${id}, ${run}, ${json(m)}::text::json, ${m.uploaded_at})`;
					await tx`
						INSERT INTO prediction_run_lines (dataset_id, run, line, document_id, text_sha256, spans)
						SELECT ${id}, ${run}, line, document_id, text_sha256, spans FROM spanlab_run_upload`;
					result = { run, documents: checked.documents, spans: checked.spans, manifest: m };
				});
			} catch (e) {
				if ((e as { code?: string }).code === '23505') throw runExists(run);
				throw e;
			}
			return result;
		}
	};
}
