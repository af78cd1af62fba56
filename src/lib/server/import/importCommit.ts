/**
 * An import's commit: its documents and their pre-annotation sets as one unit
 * across a crash (issue #14, item 4).
 *
 * Pass 1 of an import (importer.ts) stages the checked documents in a staging
 * area (`store.staging`). Once nothing is wrong with them, `store.imports.commit`
 * makes the staged lines and the commit record (who imports, the label map, the
 * labels to add) the dataset's pending commit, durably: that is the commit point
 * (the file store keeps it as a journal file, importJournal.ts beside its staging). Only then
 * are the labels, the documents and the pre-annotation sets written — by
 * `applyImportCommit`, whose every step is idempotent (labels already there,
 * documents whose text is already there, sets already saved are left as they
 * are) — and the commit is finished (`store.imports.finish`). A crash before the
 * commit point leaves nothing (the file store sweeps the staging file at the
 * next start); a crash after it leaves the pending commit, and the next start
 * (`resumeImportCommits`), or the next import into the dataset, applies it again
 * to its end. So after a restart a dataset holds all of an import — documents
 * and every pre-annotation set — or none of it. The same pattern as a label
 * change's `labelRewrite` (datasets.ts).
 */
import { assignImported } from '../assignments/assignments';
import type { ImportAssignment } from '../../import/importApi';
import { importSourceName, type ImportedDocument } from './';
import { addDocuments, documentLookup, listDatasets, updateDataset, withCurrentLabels, loadSet, withLock, importAnnotatorId, store } from '../store';
import type { PendingImportCommit } from '../store';
import { saveSet } from '../annotate/saveSet';
import { isDomainError } from '../http/errors';
import type { SpanInput } from '../../model/types';
import { mapImportedSpans } from './importRelations';
import { relationTypesOf } from '../../model/relations';

/** A document as the first pass staged it: what the import read (with its final id), as one line of the staging area. */
export type StagedDocument = Pick<ImportedDocument, 'id' | 'title' | 'text' | 'meta' | 'sha256' | 'spans' | 'relations' | 'source'>;

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

async function* readStaged(commit: PendingImportCommit): AsyncGenerator<StagedDocument> {
	for await (const line of commit.lines()) yield JSON.parse(line) as StagedDocument;
}

/**
 * Writes what a pending commit says — labels, documents, pre-annotation sets —
 * skipping whatever an earlier, interrupted apply already wrote, then finishes
 * the commit. Safe to run any number of times.
 */
export async function applyImportCommit(slug: string, pending: PendingImportCommit, onProgress?: (p: ApplyProgress) => void): Promise<CommitOutcome> {
	const commit = pending.record;
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
		for await (const doc of readStaged(pending)) {
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
		for await (const doc of readStaged(pending)) {
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
	await store.imports.finish(slug);
	return outcome;
}

/**
 * Applies the dataset's pending commit if an import was interrupted after its
 * commit point; true if there was one. The caller holds the dataset's import lock.
 */
export async function finishInterruptedImport(slug: string): Promise<boolean> {
	const pending = await store.imports.pending(slug);
	if (!pending) return false;
	const outcome = await applyImportCommit(slug, pending);
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
