/**
 * Annotation sets: one annotator's (or the gold set's) spans on one document.
 *
 *   <data>/<slug>/annotations/<doc>/<annotator>.json             current state (lowdb, atomic + fsync)
 *   <data>/<slug>/annotations/<doc>/<annotator>.revisions.jsonl  every revision: who, when, the spans after
 *                                                                (a delta, or a full checkpoint: revisionLog.ts)
 *
 * A save appends the revision to the log (fsync) before replacing the state
 * file (fsync), and is acknowledged only after both. If a crash lands between
 * the two, the log is ahead; `loadSet` notices and rebuilds the state from it.
 * Commits on one set are serialised by a lock; a stale base revision is a conflict
 * (`commitSet`). What a save changes is decided outside the store
 * (src/lib/server/annotate/revision.ts).
 *
 * The gold set also keeps the lead's rejections (`rejected`: candidate spans
 * decided against) in the same state file and revision log, so a review
 * decision is one save, one revision and one base revision, whatever mix of
 * accepting and rejecting it is.
 */
import { reviewedSpans } from '../../../suggest/settings';
import { spanFactsOf } from '../../../documents/facts';
import fs from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { Low } from 'lowdb';
import { appendLineDurable, DurableJSONFile, readJsonSync, readLastLine, readLastLineSync } from './durable';
import { withLock } from './mutex';
import {
	annotationFile,
	annotationsDir,
	checkAnnotator,
	revisionLogFile,
	datasetDir,
	isImportAnnotator,
	IMPORT_ANNOTATOR_PREFIX
} from './paths';
import { storageFault } from '../../http/errors';
import type { AnnotationSet, Revision } from '../../../model/types';
import { REVISIONS_PAGE, type RevisionPage, type SetSummary } from '../../../model/work';

export { REVISIONS_PAGE };
import type { CommitResult, SetChange, SetKey } from '../types';
import { encodeRevision, isCheckpoint, type LogLine } from './revisionLog';
import { REVISION_PREFIX, readRevisionLog, revisionOfLogLine } from './revisionHistory';
import { openIndex, openedIndex, resetIndexes, type IndexChange } from './datasetIndex';
import { noteImportSet, resetImportSources } from './importSources';

export { listRevisions, pageRevisions, revisionOfLogLine } from './revisionHistory';


export type { RevisionPage, SetSummary };

export function resetAnnotationCache(): void {
	resetIndexes();
	resetImportSources();
	setCache.clear();
}

function emptySet(annotator: string): AnnotationSet {
	return {
		annotator,
		revision: 0,
		status: 'not_started',
		spans: [],
		updated_at: null,
		updated_by: null,
		active_seconds: 0
	};
}

/** What the dataset's index (datasetIndex.ts) keeps of a set: its summary. */
export function summarise(set: AnnotationSet): SetSummary {
	return {
		annotator: set.annotator,
		status: set.status,
		revision: set.revision,
		// correction mode's unreviewed spans are not the annotator's work yet (issue #18)
		spans: reviewedSpans(set.spans).length,
		updated_at: set.updated_at,
		active_seconds: set.active_seconds,
		...(set.flag ? { flag: set.flag.reason } : {}),
		...spanFactsOf(set.spans)
	};
}

/**
 * A set's state as `loadSetUnlocked` returns it, read synchronously; null when
 * the log is ahead of the state (a crash to repair) or anything looks unusual,
 * for the careful path to handle.
 */
function peekSet(slug: string, docId: string, annotator: string): AnnotationSet | null {
	let state: AnnotationSet | null;
	try {
		state = readJsonSync<AnnotationSet | null>(annotationFile(slug, docId, annotator));
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return null;
		state = null;
	}
	try {
		const logRevision = lastLogRevisionSync(revisionLogFile(slug, docId, annotator));
		if (logRevision !== null && logRevision > (state?.revision ?? 0)) return null;
	} catch {
		return null;
	}
	return state ?? emptySet(annotator);
}

/** Documents read between two turns of the event loop while summaries are read from the files. */
const SUMMARY_BATCH = 16;

/**
 * Every set of the dataset read once, for a rebuild of its index
 * (datasetIndex.ts). Through the thread pool each small file costs four round
 * trips (open, stat, read, close) that take more CPU than the read itself
 * (30,000 sets: ~10 s against ~1.5 s), so sets are read synchronously, a few
 * documents at a time, yielding to the event loop between batches; a set
 * whose log is ahead of its state (a crash to repair) goes through `loadSet`,
 * which repairs it. (A save waits for the index before it takes its set's lock,
 * so the lock `loadSet` takes is never held by a save waiting for this.)
 */
export async function* summariesFromFiles(slug: string): AsyncGenerator<[string, SetSummary]> {
	const root = `${datasetDir(slug)}/annotations`;
	let docs: string[] = [];
	try {
		docs = await fs.readdir(root);
	} catch {
		return;
	}
	let inBatch = 0;
	for (const doc of docs) {
		if (++inBatch > SUMMARY_BATCH) {
			inBatch = 1;
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
		let files: string[] = [];
		try {
			files = readdirSync(`${root}/${doc}`);
		} catch {
			continue;
		}
		for (const file of files) {
			const match = /^([a-z0-9][a-z0-9_.-]*)\.revisions\.jsonl$/.exec(file);
			if (!match) continue;
			const set = peekSet(slug, doc, match[1]) ?? (await loadSet(slug, doc, match[1]));
			yield [doc, summarise(set)];
		}
	}
}

/** One set's summary as its files say (read by `loadSet`, which repairs a crash); null when it has no revision log. */
export async function summaryFromFiles(slug: string, docId: string, annotator: string): Promise<SetSummary | null> {
	if (isImportAnnotator(annotator)) return null;
	try {
		await fs.stat(revisionLogFile(slug, docId, annotator));
	} catch {
		return null;
	}
	return summarise(await loadSet(slug, docId, annotator));
}

export async function datasetSummaries(slug: string): Promise<Map<string, Map<string, SetSummary>>> {
	return (await openIndex(slug)).sets;
}

const sameSummary = (a: SetSummary | undefined, b: SetSummary): boolean => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/**
 * A set read from its files that the open index summarises otherwise (a file
 * edited or restored by hand, a crash repaired with its active time): the index
 * is corrected. An index not open yet reads the files when it opens.
 */
function noticeSet(slug: string, docId: string, set: AnnotationSet): void {
	if (isImportAnnotator(set.annotator)) return;
	const index = openedIndex(slug);
	if (!index) return;
	if (set.revision === 0) {
		// never saved, or its files taken away by hand: no summary
		if (index.sets.get(docId)?.has(set.annotator)) index.correct([{ dropSet: [docId, set.annotator] }]);
		return;
	}
	const summary = summarise(set);
	if (!sameSummary(index.sets.get(docId)?.get(set.annotator), summary)) index.correct([{ set: [docId, summary] }]);
}

/** Enough of a log line for the revision number at its start (see revisionOfLogLine). */
const REVISION_HEAD_BYTES = 32;

/** The revision of a log's last complete line, decoding only the start of the line when it can; null for an empty log. */
function lastLogRevisionSync(file: string): number | null {
	const head = readLastLineSync(file, REVISION_HEAD_BYTES);
	if (head === null) return null;
	const match = REVISION_PREFIX.exec(head);
	return match ? Number(match[1]) : revisionOfLogLine(readLastLineSync(file) ?? head);
}

/**
 * Sets as last read or written, by state file, while their two files are
 * unchanged. Parsing a 2,000-span set and finding its log's last line cost
 * ~7 ms; two stats cost ~0.1 ms. The key is the state file's inode, size and
 * nanosecond times (every write replaces it: a new inode) and the log's size
 * (it only grows), so a write by anyone, in this process or another, or a file
 * restored by hand, is a miss. Cached sets are frozen: a caller that changed
 * one would throw instead of changing what the next caller reads.
 */
const setCache = new Map<string, { key: string; set: AnnotationSet }>();
const SET_CACHE_ENTRIES = 256;

async function setFilesKey(stateFile: string, logFile: string): Promise<string | null> {
	const stat = (file: string) =>
		fs.stat(file, { bigint: true }).catch((e: NodeJS.ErrnoException) => {
			if (e.code === 'ENOENT') return null;
			throw e;
		});
	const [state, log] = await Promise.all([stat(stateFile), stat(logFile)]);
	if (!state) return null; // nothing saved yet (or a crash before the first state write): not cached
	return `${state.ino}:${state.size}:${state.mtimeNs}:${state.ctimeNs}|${log?.size ?? -1n}`;
}

function remember(stateFile: string, key: string | null, set: AnnotationSet): AnnotationSet {
	if (key === null) return set;
	for (const span of set.spans) Object.freeze(span);
	for (const span of set.rejected ?? []) Object.freeze(span);
	for (const relation of set.relations ?? []) Object.freeze(relation);
	for (const item of set.dismissed ?? []) Object.freeze(item);
	if (set.relations) Object.freeze(set.relations);
	if (set.dismissed) Object.freeze(set.dismissed);
	Object.freeze(set.spans);
	if (set.rejected) Object.freeze(set.rejected);
	if (set.rejectedRelations) Object.freeze(set.rejectedRelations);
	Object.freeze(set);
	setCache.delete(stateFile);
	setCache.set(stateFile, { key, set });
	if (setCache.size > SET_CACHE_ENTRIES) setCache.delete(setCache.keys().next().value!);
	return set;
}

/**
 * A set as its files say, without writing: the state file, or, when the
 * revision log is ahead of it (a crash between the log's append and the state's
 * write), the set rebuilt from the log (`rebuilt`, for the caller to write back).
 */
async function readSetFiles(slug: string, docId: string, annotator: string): Promise<{ set: AnnotationSet; rebuilt: boolean }> {
	const stateFile = annotationFile(slug, docId, annotator);
	const logFile = revisionLogFile(slug, docId, annotator);
	const db = new Low<AnnotationSet | null>(new DurableJSONFile(stateFile), null);
	await db.read();
	const state = db.data ?? emptySet(annotator);
	const lastLine = await readLastLine(logFile);
	const lastParsed = lastLine && revisionOfLogLine(lastLine) > state.revision ? (JSON.parse(lastLine) as LogLine) : null;
	// a delta line is rebuilt from the log's last checkpoint on (none decodable: a log cut by hand, the state stands)
	const last = lastParsed && (isCheckpoint(lastParsed) ? lastParsed : ((await readRevisionLog(logFile)).at(-1) ?? null));
	if (!last || last.revision <= state.revision) return { set: state, rebuilt: false };
	// crash between log append and state write: the log is the truth
	const rebuilt: AnnotationSet = {
		annotator,
		revision: last.revision,
		status: last.status,
		spans: last.spans,
		updated_at: last.at,
		updated_by: last.by,
		active_seconds: state.active_seconds,
		...(last.rejected ? { rejected: last.rejected } : {}),
		...(last.rejectedRelations?.length ? { rejectedRelations: last.rejectedRelations } : {}),
		...(last.flag ? { flag: last.flag } : {}),
		...(last.comments ? { comments: last.comments } : {}),
		...(last.relations?.length ? { relations: last.relations } : {}),
		...(last.dismissed?.length ? { dismissed: last.dismissed } : {})
	};
	return { set: rebuilt, rebuilt: true };
}

async function loadSetUnlocked(slug: string, docId: string, annotator: string): Promise<AnnotationSet> {
	checkAnnotator(annotator);
	const stateFile = annotationFile(slug, docId, annotator);
	const logFile = revisionLogFile(slug, docId, annotator);
	const key = await setFilesKey(stateFile, logFile);
	const cached = setCache.get(stateFile);
	if (cached && key !== null && cached.key === key) {
		setCache.delete(stateFile); // most recently used last
		setCache.set(stateFile, cached);
		return cached.set;
	}
	const { set, rebuilt } = await readSetFiles(slug, docId, annotator);
	noticeSet(slug, docId, set);
	if (rebuilt) {
		try {
			await new Low(new DurableJSONFile<AnnotationSet>(stateFile), set).write();
		} catch (e) {
			// a full disk: the log still holds it, the repair is tried again at the next read
			if (!storageFault(e)) throw e;
			return set;
		}
		return remember(stateFile, await setFilesKey(stateFile, logFile), set);
	}
	// a key taken before the read: if the files changed in between, the next read misses
	return remember(stateFile, key, set);
}

export async function loadSet(slug: string, docId: string, annotator: string): Promise<AnnotationSet> {
	return withLock(`set:${slug}/${docId}/${annotator}`, () => loadSetUnlocked(slug, docId, annotator));
}

/**
 * `sets.commit` (src/lib/server/store/types.ts): compare-and-swap under the set's
 * lock. The set's new summary goes to the dataset's index log (fsync) before the
 * revision goes to the set's log (fsync), before the state file (fsync); all are
 * done when this resolves (datasetIndex.ts: a line before the files it describes).
 * The rule of what changes is `next`'s (src/lib/server/annotate/revision.ts
 * nextRevision), not the store's.
 */
export async function commitSet(
	key: SetKey,
	baseRevision: number | null,
	next: (current: AnnotationSet) => SetChange
): Promise<CommitResult> {
	const { slug, docId, annotator } = key;
	checkAnnotator(annotator);
	// people's work and gold are in the index; import sets are not anyone's work
	const index = isImportAnnotator(annotator) ? null : await openIndex(slug);
	return withLock(`set:${slug}/${docId}/${annotator}`, async () => {
		const current = await loadSetUnlocked(slug, docId, annotator);
		if (baseRevision !== null && baseRevision !== current.revision) return { ok: false, conflict: current };
		const { set, revision } = next(current);
		if (revision && (revision.revision !== current.revision + 1 || set.revision !== revision.revision)) {
			throw new Error(`commit: revision ${revision.revision} does not follow ${current.revision}`);
		}
		if (set === current) return { ok: true, set, changed: false };
		const after = summarise(set);
		const summary: IndexChange[] = [{ set: [docId, after] }];
		// a change the index would not see (a comment, say) logs nothing
		const indexed = index && !sameSummary(index.sets.get(docId)?.get(annotator), after) ? index : null;
		const ticket = indexed ? await indexed.intend(summary) : null;
		try {
			await ticket?.durable;
			await writeSet(slug, docId, annotator, current, set, revision);
		} catch (e) {
			// what the files say now (the revision may be in the log: then it is saved), in place of the line
			if (ticket) await indexed!.abandon(ticket, async () => [{ set: [docId, summarise((await readSetFiles(slug, docId, annotator)).set)] }]);
			throw e;
		}
		if (ticket) indexed!.settle(ticket, summary);
		if (!index) noteImportSet(slug, docId, annotator);
		return { ok: true, set, changed: revision !== null };
	});
}

/** The revision to the set's log (fsync), then the state file (fsync). */
async function writeSet(slug: string, docId: string, annotator: string, current: AnnotationSet, set: AnnotationSet, revision: Revision | null): Promise<void> {
	if (revision) {
		// A delta against the current state: it is the log's last revision (the log is written first,
		// and a log found ahead is repaired on load), so no read of the log is needed here.
		const previous = current.revision > 0 ? current : null;
		await appendLineDurable(revisionLogFile(slug, docId, annotator), JSON.stringify(encodeRevision(revision, previous)));
	}
	const stateFile = annotationFile(slug, docId, annotator);
	try {
		await new Low(new DurableJSONFile<AnnotationSet>(stateFile), set).write();
		remember(stateFile, await setFilesKey(stateFile, revisionLogFile(slug, docId, annotator)), set);
	} catch (e) {
		// Once the revision is in the log it is saved (reads rebuild the state file from the log),
		// so a full disk now does not make it "not saved". Without a revision there is nothing to keep.
		if (!(revision && storageFault(e))) throw e;
		console.error(`spanlab: ${stateFile} not updated (${(e as Error).message}); revision ${set.revision} is in the log`);
	}
}

/** Annotators (and gold) with any saved work on a document. */
export async function annotatorsOf(slug: string, docId: string): Promise<SetSummary[]> {
	const perDoc = (await datasetSummaries(slug)).get(docId);
	return perDoc ? [...perDoc.values()] : [];
}

/** The names of a document's imported pre-annotation sets (`import~<source>`), sorted; from its folder. */
export async function importSetNames(slug: string, docId: string): Promise<string[]> {
	let files: string[] = [];
	try {
		files = await fs.readdir(annotationsDir(slug, docId));
	} catch {
		return [];
	}
	const names: string[] = [];
	for (const file of files.sort()) {
		if (!file.startsWith(IMPORT_ANNOTATOR_PREFIX) || !file.endsWith('.revisions.jsonl')) continue;
		const name = file.slice(0, -'.revisions.jsonl'.length);
		if (isImportAnnotator(name)) names.push(name);
	}
	return names;
}

/** Imported pre-annotation sets (`import~<source>`) of a document, by annotator id; read from disk. */
export async function importSetsOf(slug: string, docId: string): Promise<SetSummary[]> {
	const result: SetSummary[] = [];
	for (const name of await importSetNames(slug, docId)) result.push(summarise(await loadSet(slug, docId, name)));
	return result;
}

export { annotationsDir };
