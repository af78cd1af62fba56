/** The lexicon source's gazetteers on PostgreSQL: one row per dataset, replaced whole. */
import type { Gazetteer } from '../../../model/gazetteer';
import type { GazetteerRepository } from '../types';
import { iso, json, type Db } from './db';

export function postgresGazetteers(db: Db): GazetteerRepository {
	const { sql } = db;
	return {
		async read(slug) {
			const id = await db.datasetId(slug);
			const [row] = await sql<{ entries: Gazetteer['entries']; uploaded_at: Date; uploaded_by: string; file: string | null; stamp: string }[]>`
				SELECT entries, uploaded_at, uploaded_by, file, xmin::text AS stamp FROM gazetteers WHERE dataset_id = ${id}`;
			if (!row) return null;
			const gazetteer = {
				entries: row.entries,
				uploaded_at: iso(row.uploaded_at)!,
				uploaded_by: row.uploaded_by,
				...(row.file !== null ? { file: row.file } : {})
			} as Gazetteer;
			return { gazetteer, stamp: `${row.stamp}:${gazetteer.uploaded_at}` };
		},
		async write(slug, gazetteer) {
			const id = await db.datasetId(slug);
			const file = (gazetteer as Gazetteer & { file?: string }).file ?? null;
			await sql`
				INSERT INTO gazetteers (dataset_id, entries, uploaded_at, uploaded_by, file)
				VALUES (${id}, ${json(gazetteer.entries)}::text::json, ${gazetteer.uploaded_at}, ${gazetteer.uploaded_by}, ${file})
				ON CONFLICT (dataset_id) DO UPDATE SET
					entries = excluded.entries, uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by, file = excluded.file`;
		},
		async remove(slug) {
			const id = await db.datasetId(slug);
			await sql`DELETE FROM gazetteers WHERE dataset_id = ${id}`;
		}
	};
}
