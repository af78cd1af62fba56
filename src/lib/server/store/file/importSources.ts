/**
 * `sets.importSources` on the file store (store/types.ts): import sets are not in
 * the dataset's index (they are nobody's work), so the first call walks the
 * dataset's annotation folders once (their names only: no file is read), and the
 * answer is kept; a commit of an import set adds its source to the kept answer
 * (`noteImportSet`, called by commitSet once the set's files are written), also
 * while a walk is under way. Import sets are never deleted; one process owns a
 * data folder, so nothing else changes them behind this process's back.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { datasetDir } from './paths';
import { IMPORT_ANNOTATOR_PREFIX, isImportAnnotator } from '../names';

const LOG_SUFFIX = '.revisions.jsonl';
/** folders read at once during the walk */
const WALK_BATCH = 64;

interface Kept {
	sources: Map<string, string[]> | null;
	walking: Promise<Map<string, string[]>> | null;
	/** commits seen while the walk runs (its readdir may have come before them) */
	during: Array<[string, string]>;
}
const kept = new Map<string, Kept>();

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function add(sources: Map<string, string[]>, docId: string, name: string): void {
	const perDoc = sources.get(docId);
	if (!perDoc) sources.set(docId, [name]);
	else if (!perDoc.includes(name)) {
		perDoc.push(name);
		perDoc.sort(byCodeUnit);
	}
}

async function walk(slug: string): Promise<Map<string, string[]>> {
	const root = path.join(datasetDir(slug), 'annotations');
	let folders: string[];
	try {
		folders = await fs.readdir(root);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
		throw e;
	}
	folders.sort(byCodeUnit);
	const sources = new Map<string, string[]>();
	for (let i = 0; i < folders.length; i += WALK_BATCH) {
		const batch = folders.slice(i, i + WALK_BATCH);
		const listed = await Promise.all(batch.map((f) => fs.readdir(path.join(root, f)).catch(() => [] as string[])));
		batch.forEach((docId, j) => {
			const names: string[] = [];
			for (const file of listed[j]) {
				if (!file.startsWith(IMPORT_ANNOTATOR_PREFIX) || !file.endsWith(LOG_SUFFIX)) continue;
				const annotator = file.slice(0, -LOG_SUFFIX.length);
				if (isImportAnnotator(annotator)) names.push(annotator.slice(IMPORT_ANNOTATOR_PREFIX.length));
			}
			if (names.length) sources.set(docId, names.sort(byCodeUnit));
		});
	}
	return sources;
}

export async function importSources(slug: string): Promise<ReadonlyMap<string, readonly string[]>> {
	const known = kept.get(slug);
	if (known?.sources) return known.sources;
	if (known?.walking) return known.walking;
	const entry: Kept = { sources: null, walking: null, during: [] };
	entry.walking = walk(slug).then(
		(sources) => {
			for (const [docId, name] of entry.during) add(sources, docId, name);
			entry.during = [];
			entry.sources = sources;
			entry.walking = null;
			return sources;
		},
		(e) => {
			if (kept.get(slug) === entry) kept.delete(slug);
			throw e;
		}
	);
	kept.set(slug, entry);
	return entry.walking;
}

/** commitSet: an import set's files are written (its source is one of the document's now). */
export function noteImportSet(slug: string, docId: string, annotator: string): void {
	const entry = kept.get(slug);
	if (!entry) return;
	const name = annotator.slice(IMPORT_ANNOTATOR_PREFIX.length);
	if (entry.sources) add(entry.sources, docId, name);
	else entry.during.push([docId, name]);
}

/** tests: forget every kept answer (as a restart does) */
export function resetImportSources(): void {
	kept.clear();
}
