/** Import use case: parse + validate everything first, then add; all or nothing. (Interim: NDJSON only.) */
import { createHash } from 'node:crypto';
import type { DatasetAccess } from './access';
import { addDocuments } from './store/datasets';
import { badRequest } from './errors';

export interface ImportSummary {
	imported: number;
	duplicates: number;
	errors: Array<{ file?: string; line?: number; message: string }>;
}

export async function importNdjsonText(access: DatasetAccess, text: string): Promise<ImportSummary> {
	const docs = [];
	const errors: ImportSummary['errors'] = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i].replace(/\r$/, '');
		if (!line.trim()) continue;
		try {
			const obj = JSON.parse(line);
			if (typeof obj.text !== 'string' || !obj.text) throw new Error('"text" must be a non-empty string');
			const sha256 = createHash('sha256').update(obj.text).digest('hex');
			docs.push({
				id: obj.id ? String(obj.id) : 'd' + sha256.slice(0, 16),
				title: obj.title ?? obj.text.split('\n')[0].slice(0, 200),
				text: obj.text,
				meta: obj.meta ?? {},
				sha256
			});
		} catch (e) {
			errors.push({ line: i + 1, message: (e as Error).message });
		}
	}
	if (errors.length) throw badRequest('nothing was imported', { imported: 0, duplicates: 0, errors });
	const result = await addDocuments(access.dataset.slug, docs);
	return { imported: result.imported.length, duplicates: result.duplicates, errors: [] };
}
