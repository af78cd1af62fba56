/**
 * Import staging on PostgreSQL: an import's checked lines in `import_staged_lines`,
 * appended in batches, read back in order a batch at a time.
 */
import { randomUUID } from 'node:crypto';
import type { ImportStagingRepository, StagingArea } from '../types';
import type { Db } from './db';

const BATCH = 500;

/** The staged lines of one staging row (line 0, a commit's record, left out), in order, BATCH rows a query. */
export async function* stagedLines(db: Db, id: string): AsyncGenerator<string> {
	let after = 0;
	for (;;) {
		const rows = await db.sql<{ ordinal: number; line: string }[]>`
			SELECT ordinal, line FROM import_staged_lines WHERE staging_id = ${id} AND ordinal > ${after}
			ORDER BY ordinal LIMIT ${BATCH}`;
		for (const row of rows) yield row.line;
		if (rows.length < BATCH) return;
		after = rows[rows.length - 1].ordinal;
	}
}

export function postgresStaging(db: Db): ImportStagingRepository {
	const { sql } = db;
	return {
		async create(slug) {
			const datasetId = await db.datasetId(slug);
			const id = randomUUID();
			await sql`INSERT INTO import_staging (id, dataset_id) VALUES (${id}, ${datasetId})`;
			let pending: string[] = [];
			let count = 0;
			let finished = false;
			const flush = async () => {
				if (!pending.length) return;
				const lines = pending;
				pending = [];
				const ordinals = lines.map((_, i) => count - lines.length + i + 1);
				await sql`INSERT INTO import_staged_lines (staging_id, ordinal, line) SELECT ${id}, * FROM unnest(${ordinals}::int[], ${lines}::text[])`;
			};
			const area: StagingArea = {
				id,
				async append(line) {
					if (finished) throw new Error('staging: append after finish');
					if (line.includes('\n')) throw new Error('staging: a line holds no newline');
					pending.push(line);
					count++;
					if (pending.length >= BATCH) await flush();
				},
				async finish() {
					if (finished) return;
					await flush();
					await sql`UPDATE import_staging SET finished = true WHERE id = ${id}`;
					finished = true;
				},
				lines() {
					return stagedLines(db, id);
				},
				async remove() {
					pending = [];
					await sql`DELETE FROM import_staging WHERE id = ${id}`;
				}
			};
			return area;
		}
	};
}
