/**
 * The import commit journal on PostgreSQL, in the staging tables (no table of its
 * own): a committed import is a staging row holding the commit record as its line
 * number 0, the staged lines as 1…n. `commit` moves the staged lines from the
 * importer's area to a new row and adds the record in one transaction (the commit
 * point), so the area's own `remove` no longer reaches them; `finish` deletes the row.
 * (The leftover sweep in ./index.ts init spares rows with a record.)
 */
import { randomUUID } from 'node:crypto';
import type { ImportCommitRecord, ImportCommitRepository, PendingImportCommit } from '../types';
import type { Db } from './db';
import { stagedLines } from './staging';


export function postgresImports(db: Db): ImportCommitRepository {
	const { sql } = db;
	const pendingOf = (id: string, record: ImportCommitRecord): PendingImportCommit => ({
		record,
		lines() {
			return stagedLines(db, id);
		}
	});
	return {
		async commit(slug, area, record) {
			const datasetId = await db.datasetId(slug);
			await area.finish();
			const id = randomUUID();
			await sql.begin(async (t) => {
				await t`INSERT INTO import_staging (id, dataset_id, finished) VALUES (${id}, ${datasetId}, true)`;
				await t`UPDATE import_staged_lines SET staging_id = ${id} WHERE staging_id = ${area.id}`;
				await t`INSERT INTO import_staged_lines (staging_id, ordinal, line) VALUES (${id}, 0, ${JSON.stringify({ commit: record })})`;
				await t`DELETE FROM import_staging WHERE id = ${area.id}`;
			});
			return pendingOf(id, record);
		},
		async pending(slug) {
			const datasetId = await db.datasetId(slug);
			const [row] = await sql<{ id: string; line: string }[]>`
				SELECT s.id, l.line FROM import_staging s JOIN import_staged_lines l ON l.staging_id = s.id AND l.ordinal = 0
				WHERE s.dataset_id = ${datasetId} ORDER BY s.created_at LIMIT 1`;
			if (!row) return null;
			return pendingOf(row.id, (JSON.parse(row.line) as { commit: ImportCommitRecord }).commit);
		},
		async finish(slug) {
			const datasetId = await db.datasetId(slug);
			await sql`DELETE FROM import_staging s WHERE s.dataset_id = ${datasetId}
				AND EXISTS (SELECT 1 FROM import_staged_lines l WHERE l.staging_id = s.id AND l.ordinal = 0)`;
		}
	};
}
