/**
 * An import's commit: its documents and their pre-annotation sets as one unit
 * across a crash (issue #14, item 4).
 *
 * Pass 1 of an import (importer.ts) stages the checked documents in a temp
 * file of the dataset's folder. Once nothing is wrong with them, the commit
 * record (who imports, the label map, the labels to add) is appended, the file
 * is fsynced and renamed to `<slug>/import-commit.ndjson`, and the folder
 * fsynced: that rename is the commit point. Only then are the labels, the
 * documents and the pre-annotation sets written — by `applyImportCommit`,
 * whose every step is idempotent (labels already there, documents whose text
 * is already there, sets already saved are left as they are) — and the file is
 * removed. A crash before the commit point leaves a temp file that the next
 * start sweeps away (nothing was written); a crash after it leaves the commit
 * file, and the next start (`resumeImportCommits`), or the next import into
 * the dataset, applies it again to its end. So after a restart a dataset holds
 * all of an import — documents and every pre-annotation set — or none of it.
 * The same pattern as a label change's `labelRewrite` (datasets.ts).
 *
 * Not yet behind the store seam (issue #16): the commit journal is a file of the
 * dataset's folder, read and written here with store/file/durable (see importer.ts).
 */
import { assignImported } from '../assignments/assignments';
import type { ImportAssignment } from '../../import/importApi';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { splitLines, importSourceName, type ImportedSpan } from './';
import { addDocuments, documentLookup, getDataset, listDatasets, updateDataset, withCurrentLabels, loadSet, withLock, importAnnotatorId } from '../store';
import { saveSet } from '../annotate/saveSet';
import { fsyncDir, readLastLine } from '../store/file/durable';
import { datasetDir } from '../store/file/paths';
import { isDomainError } from '../http/errors';
import type { Label, SpanInput } from '../../model/types';
import type { ImportedRelation } from './';
import { mapImportedSpans } from './importRelations';
import { relationTypesOf } from '../../model/relations';

export const COMMIT_FILE = 'import-commit.ndjson';

export interface StagedDocument {
	id: string;
	title: string;
	text: string;
	meta: Record<string, unknown>;
	sha256: string;
	spans: ImportedSpan[];
	/** relations between `spans` (indexes), checked in pass 1; absent: none */
	relations?: ImportedRelation[];
	source: string;
}

/** The last line of a commit file. */
export interface CommitRecord {
	commit: {
		/** author of the pre-annotation sets */
		by: string;
		/** imported label → dataset label, for every label found */
		labelMap: Array<[string, string]>;
		/** labels to add to the dataset (addLabels) */
		addLabels: Label[];
		/** staged documents (lines before this one) */
		documents: number;
		/** staged documents with pre-annotations */
		withSpans: number;
		at: string;
	};
}

export interface PreAnnotationCount {
	source: string;
	annotator: string;
	documents: number;
	spans: number;
}

export interface CommitOutcome {
	imported: number;
	/** staged texts already in the dataset when applied (added by a first, interrupted apply) */
	duplicates: number;
	labelsAdded: string[];
	preAnnotations: PreAnnotationCount[];
	/** where the new documents went: the dataset's standing assignment rule applied to them */
	assignment?: ImportAssignment;
}

export interface ApplyProgress {
	phase: 'importing' | 'annotations';
	done: number;
	total: number;
}

export const commitFileOf = (slug: string) => path.join(datasetDir(slug), COMMIT_FILE);

/** Pre-annotation sets saved at once (each save fsyncs; concurrent fsyncs are committed together). */
const SAVE_CONCURRENCY = 16;

/** Runs tasks with bounded concurrency; the first failure stops new tasks and is thrown once all have settled. */
class TaskPool {
	private readonly running = new Set<Promise<void>>();
	private failure: { error: unknown } | null = null;
	constructor(private readonly size: number) {}

	/** Starts `task` once a slot is free. */
	async run(task: () => Promise<void>): Promise<void> {
		while (this.running.size >= this.size) await Promise.race(this.running);
		if (this.failure) await this.drain(); // throws
		const p: Promise<void> = task()
			.catch((error) => {
				this.failure ??= { error };
			})
			.finally(() => this.running.delete(p));
		this.running.add(p);
	}

	async drain(): Promise<void> {
		await Promise.all(this.running);
		if (this.failure) throw this.failure.error;
	}
}

async function* readStaged(file: string): AsyncGenerator<StagedDocument> {
	const decoder = new TextDecoder();
	const input = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
	for await (const line of splitLines(input)) {
		if (line.length === 0) continue;
		const record = JSON.parse(decoder.decode(line)) as StagedDocument | CommitRecord;
		if (!('commit' in record)) yield record;
	}
}

async function readCommitRecord(file: string): Promise<CommitRecord['commit']> {
	// the record is the file's last line; a file without one was not written by `commitStaged`
	const line = await readLastLine(file);
	let last: unknown = null;
	try {
		last = line === null ? null : JSON.parse(line);
	} catch {
		last = null;
	}
	if (!last || typeof last !== 'object' || !('commit' in last)) throw new Error(`${file} has no commit record`);
	return (last as CommitRecord).commit;
}

/**
 * The commit point: appends `record` to the staged file, makes it durable and
 * gives it the commit file's name. The caller holds the dataset's import lock
 * and has applied any earlier commit file first.
 */
export async function commitStaged(slug: string, staging: string, record: CommitRecord['commit']): Promise<string> {
	const target = commitFileOf(slug);
	const handle = await fsp.open(staging, 'a');
	try {
		await handle.appendFile(JSON.stringify({ commit: record } satisfies CommitRecord) + '\n');
		await handle.sync();
	} finally {
		await handle.close();
	}
	await fsp.rename(staging, target);
	await fsyncDir(path.dirname(target));
	return target;
}

/**
 * Writes what a commit file says — labels, documents, pre-annotation sets —
 * skipping whatever an earlier, interrupted apply already wrote, then removes
 * the file. Safe to run any number of times.
 */
export async function applyImportCommit(slug: string, file: string, onProgress?: (p: ApplyProgress) => void): Promise<CommitOutcome> {
	const commit = await readCommitRecord(file);
	const outcome: CommitOutcome = { imported: 0, duplicates: 0, labelsAdded: [], preAnnotations: [] };
	if (commit.addLabels.length > 0) {
		outcome.labelsAdded = await updateDataset(slug, (d) => {
			const names = new Set(d.labels.map((l) => l.name));
			const added = commit.addLabels.filter((l) => !names.has(l.name));
			d.labels.push(...added);
			return added.map((l) => l.name);
		});
	}

	const progress: ApplyProgress = { phase: 'importing', done: 0, total: commit.documents };
	onProgress?.({ ...progress });
	const staged = async function* () {
		for await (const doc of readStaged(file)) {
			yield doc;
			progress.done++;
			onProgress?.({ ...progress });
		}
	};
	const result = await addDocuments(slug, staged());
	outcome.imported = result.imported.length;
	outcome.duplicates = result.duplicates;
	// the standing rule (automatic assignment) applies to the new documents, after a crash too
	if (result.imported.length > 0) outcome.assignment = await assignImported(slug, result.imported);

	if (commit.withSpans > 0) {
		// a staged document is this import's when the dataset has its id with its text (the same text under
		// another id is an earlier document: the import skipped it as a duplicate, and its spans with it)
		const lookup = await documentLookup(slug);
		const labelMap = new Map(commit.labelMap);
		const sources = new Map<string, PreAnnotationCount>();
		progress.phase = 'annotations';
		progress.done = 0;
		progress.total = commit.withSpans;
		onProgress?.({ ...progress });
		const saveOne = async (doc: StagedDocument) => {
			const annotator = importAnnotatorId(doc.source);
			const current = await loadSet(slug, doc.id, annotator);
			let spans = current.spans.length;
			if (current.revision === 0) {
				try {
					// validated against the labels that hold when the set is written (a rename may run meanwhile)
					const saved = await withCurrentLabels(slug, async (names, dataset) => {
						// attribute values read as the dataset's types (checked in pass 1, against the same labels)
						const input: SpanInput[] = mapImportedSpans(doc.spans, dataset.labels, labelMap);
						const relations = doc.relations?.length ? { relations: doc.relations, relationTypes: relationTypesOf(dataset) } : {};
						return saveSet(slug, doc, annotator, commit.by, names, { baseRevision: 0, spans: input, status: 'done', ...relations });
					});
					spans = saved.set.spans.length;
				} catch (e) {
					// refused by the data as it is now (a label removed meanwhile): said, and the rest goes on
					if (!isDomainError(e) || e.status >= 500) throw e;
					console.warn(`spanlab: import into "${slug}": pre-annotations of "${doc.id}" not saved: ${e.message}`);
					return;
				}
			}
			const source = importSourceName(doc);
			let entry = sources.get(source);
			if (!entry) sources.set(source, (entry = { source, annotator, documents: 0, spans: 0 }));
			entry.documents++;
			entry.spans += spans;
		};
		const pool = new TaskPool(SAVE_CONCURRENCY);
		for await (const doc of readStaged(file)) {
			if (doc.spans.length === 0) continue;
			if (lookup.idOfText(doc.sha256) === doc.id) {
				await pool.run(async () => {
					await saveOne(doc);
					progress.done++;
					onProgress?.({ ...progress });
				});
			} else {
				progress.done++;
			}
		}
		await pool.drain();
		outcome.preAnnotations = [...sources.values()].sort((a, b) => (a.source < b.source ? -1 : 1));
	}
	await fsp.rm(file, { force: true });
	await fsyncDir(path.dirname(file));
	return outcome;
}

/**
 * Applies the dataset's commit file if an import was interrupted after its
 * commit point; true if there was one. The caller holds the dataset's import lock.
 */
export async function finishInterruptedImport(slug: string): Promise<boolean> {
	const file = commitFileOf(slug);
	if (!fs.existsSync(file)) return false;
	const outcome = await applyImportCommit(slug, file);
	console.log(
		`spanlab: finished the import into "${slug}" that a stop had interrupted ` +
			`(${outcome.imported} documents added now, ${outcome.duplicates} already in; ` +
			`${outcome.preAnnotations.reduce((n, s) => n + s.documents, 0)} pre-annotated documents complete)`
	);
	return true;
}

/** At start: every dataset's interrupted import is finished; the slugs of those there were. */
export async function resumeImportCommits(): Promise<string[]> {
	const finished: string[] = [];
	for (const dataset of await listDatasets()) {
		try {
			if (await withLock(`import:${dataset.slug}`, () => finishInterruptedImport(dataset.slug))) finished.push(dataset.slug);
		} catch (e) {
			// the server still starts; the next start or import into the dataset tries again
			console.error(`spanlab: could not finish the interrupted import into "${dataset.slug}" (tried again at the next start or import):`, e);
		}
	}
	return finished;
}
