/**
 * `sets.importSources` on PostgreSQL (store/types.ts): one query on the dataset's
 * `import~…` set rows, their names only (the document list's `source` filter).
 */
import { IMPORT_ANNOTATOR_PREFIX } from '../names';
import type { Db } from './db';

export async function importSources(db: Db, slug: string): Promise<Map<string, string[]>> {
	const id = await db.datasetId(slug);
	const rows = await db.sql<{ document_id: string; annotator: string }[]>`
		SELECT document_id, annotator FROM annotation_sets WHERE dataset_id = ${id} AND starts_with(annotator, ${IMPORT_ANNOTATOR_PREFIX})
		ORDER BY document_id COLLATE "C", annotator COLLATE "C"`;
	const sources = new Map<string, string[]>();
	for (const { document_id, annotator } of rows) {
		const name = annotator.slice(IMPORT_ANNOTATOR_PREFIX.length);
		const perDoc = sources.get(document_id);
		if (perDoc) perDoc.push(name);
		else sources.set(document_id, [name]);
	}
	return sources;
}
