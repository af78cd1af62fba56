/**
 * Prediction runs on PostgreSQL: reads only, so far. An upload validates every
 * line against the dataset's documents; that check lives inside the file store's
 * upload (src/lib/server/store/file/predictions.ts) and has to move out of it into
 * a pure module both stores call before this one can take uploads (issue #16).
 */
import { notFound } from '../../http/errors';
import type { EvalSpan } from '../../../evaluation/match';
import type { PredictionRunRepository, RunManifest } from '../types';
import type { Db } from './db';

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
				spans.set(row.document_id, row.spans);
			}
			return { manifest: m, spans };
		},
		async upload() {
			throw new Error('prediction run uploads are not implemented on the PostgreSQL store yet');
		}
	};
}
