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
 * Saves on one set are serialised by a lock; a stale `baseRevision` is a 409.
 *
 * The gold set also keeps the lead's rejections (`rejected`: candidate spans
 * decided against) in the same state file and revision log, so a review
 * decision is one save, one revision and one base revision, whatever mix of
 * accepting and rejecting it is.
 */
import { reviewedSpans } from '../../../suggest/settings';
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
import { badRequest, conflict, storageFault, tooLarge } from '../../http/errors';
import { diffSpans, materializeSpans, normalizeDismissed, sameDismissed, validateSpans } from '../../../model/spans';
import { MAX_RELATIONS, checkRelations as checkRelationList, spanSourceProblem, type RelationInput } from '../../../model/relations';
import { normalizeRejected } from '../../../review/review';
import { conflictingDuplicates, countAttrChanges, missingRequired, sameAttrs, validateSpanAttrs } from '../../../model/attributes';
import {
	GOLD,
	type AnnotationSet,
	type DismissedSuggestion,
	type Label,
	type Relation,
	type RelationType,
	type Revision,
	type Span,
	type SpanInput,
	type Status
} from '../../../model/types';
import { limits } from '../../config';
import type { RevisionPage, SetSummary } from '../../../model/work';
import { decodeRevisions, encodeRevision, isCheckpoint, lineIsCheckpoint, type LogLine } from './revisionLog';
import { randomBytes } from 'node:crypto';
import { MAX_COMMENTS, addReply, mergeComments, sameComments, sameFlag, type CommentInput, type DocumentFlag, type FlagReason } from '../../../model/notes';


export type { RevisionPage, SetSummary };

/**
 * slug → doc id → annotator → summary, built on first use of a dataset. People's
 * work and gold only: imported pre-annotation sets (`import~…`) are not anyone's
 * work (progress, assignments), see `importSetsOf`.
 */
const summaries = new Map<string, Promise<Map<string, Map<string, SetSummary>>>>();

export function resetAnnotationCache(): void {
	summaries.clear();
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

function summarise(set: AnnotationSet): SetSummary {
	return {
		annotator: set.annotator,
		status: set.status,
		revision: set.revision,
		// correction mode's unreviewed spans are not the annotator's work yet (issue #18)
		spans: reviewedSpans(set.spans).length,
		updated_at: set.updated_at,
		active_seconds: set.active_seconds,
		...(set.flag ? { flag: set.flag.reason } : {})
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

/** Documents read between two turns of the event loop while summaries are built. */
const SUMMARY_BATCH = 16;

/**
 * Every set of the dataset is read once. Through the thread pool each small
 * file costs four round trips (open, stat, read, close) that take more CPU than
 * the read itself (30,000 sets: ~10 s against ~1.5 s), so sets are read
 * synchronously, a few documents at a time, yielding to the event loop between
 * batches; a set whose log is ahead of its state goes through `loadSet`,
 * which repairs it.
 */
async function buildSummaries(slug: string): Promise<Map<string, Map<string, SetSummary>>> {
	const result = new Map<string, Map<string, SetSummary>>();
	const root = `${datasetDir(slug)}/annotations`;
	let docs: string[] = [];
	try {
		docs = await fs.readdir(root);
	} catch {
		return result;
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
		const perDoc = new Map<string, SetSummary>();
		for (const file of files) {
			const match = /^([a-z0-9][a-z0-9_.-]*)\.revisions\.jsonl$/.exec(file);
			if (!match) continue;
			// A set caught between a save's log append and its state write looks like one a crash left
			// behind: the repair takes the set's lock, so it waits for that save and then finds nothing to
			// repair. (`saveSet` never waits for these summaries under its lock; see noteSummary.)
			const set = peekSet(slug, doc, match[1]) ?? (await loadSet(slug, doc, match[1]));
			perDoc.set(set.annotator, summarise(set));
		}
		if (perDoc.size) result.set(doc, perDoc);
	}
	return result;
}

/**
 * Records a saved set in its dataset's summaries without waiting for them to be
 * built: the save holds its set's lock, and building them may need that lock to
 * repair a set. Callbacks on a promise run in the order they were attached, so
 * the updates land in the order of the saves, before anything that asks for the
 * summaries after the save. Not built yet: they will be read from disk, where
 * this save already is.
 */
function noteSummary(slug: string, docId: string, set: AnnotationSet): void {
	const entry = summaries.get(slug);
	if (!entry) return;
	const summary = summarise(set);
	entry.then(
		(all) => {
			let perDoc = all.get(docId);
			if (!perDoc) all.set(docId, (perDoc = new Map()));
			perDoc.set(set.annotator, summary);
		},
		() => {} // a failed build is dropped (datasetSummaries) and the next one reads the disk
	);
}

export async function datasetSummaries(slug: string): Promise<Map<string, Map<string, SetSummary>>> {
	let entry = summaries.get(slug);
	if (!entry) {
		entry = buildSummaries(slug);
		summaries.set(slug, entry);
		entry.catch(() => summaries.delete(slug));
	}
	return entry;
}

const REVISION_PREFIX = /^\{"revision":(\d+),/;

/**
 * The revision number of a log line without parsing its spans: lines are
 * written by JSON.stringify of a Revision, whose first key is `revision`.
 * (Parsing a 2,000-span line on every read doubled the cost of a GET.)
 */
export function revisionOfLogLine(line: string): number {
	const match = REVISION_PREFIX.exec(line);
	return match ? Number(match[1]) : (JSON.parse(line) as Revision).revision;
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
	const db = new Low<AnnotationSet | null>(new DurableJSONFile(stateFile), null);
	await db.read();
	const state = db.data ?? emptySet(annotator);
	const lastLine = await readLastLine(logFile);
	const lastParsed = lastLine && revisionOfLogLine(lastLine) > state.revision ? (JSON.parse(lastLine) as LogLine) : null;
	// a delta line is rebuilt from the log's last checkpoint on (none decodable: a log cut by hand, the state stands)
	const last = lastParsed && (isCheckpoint(lastParsed) ? lastParsed : ((await readRevisionLog(logFile)).at(-1) ?? null));
	if (last && last.revision > state.revision) {
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
		try {
			await new Low(new DurableJSONFile<AnnotationSet>(stateFile), rebuilt).write();
		} catch (e) {
			// a full disk: the log still holds it, the repair is tried again at the next read
			if (!storageFault(e)) throw e;
			return rebuilt;
		}
		return remember(stateFile, await setFilesKey(stateFile, logFile), rebuilt);
	}
	// a key taken before the read: if the files changed in between, the next read misses
	return remember(stateFile, key, state);
}

export async function loadSet(slug: string, docId: string, annotator: string): Promise<AnnotationSet> {
	return withLock(`set:${slug}/${docId}/${annotator}`, () => loadSetUnlocked(slug, docId, annotator));
}

export interface SaveInput {
	baseRevision: number;
	/** omitted: keep the current spans */
	spans?: Array<SpanInput & { attrs?: unknown; source?: string }>;
	status?: Status;
	activeSecondsDelta?: number;
	/** gold only: the rejected candidates; omitted keeps the current ones */
	rejected?: SpanInput[];
	/**
	 * gold only: the relation candidates the lead rejected, keys
	 * `${fromSpanId}>${toSpanId}:${label}` (checkRejectedRelations; needs
	 * `relationTypes`); omitted keeps the current ones
	 */
	rejectedRelations?: string[];
	/** the document's flag (null removes it); omitted keeps it */
	flag?: DocumentFlag | null;
	/** the whole list of comments (see mergeComments); omitted keeps them */
	comments?: CommentInput[];
	/**
	 * A reply to a comment of the set (see addReply in $lib/notes): appended to the
	 * current comments under the set's lock, whatever the revision (`baseRevision`
	 * is not checked: a reply changes nothing the author is editing).
	 */
	reply?: { text: string; replyTo: string };
	/**
	 * The dataset's labels with their attribute definitions: given, the `attrs` of
	 * `spans` and `rejected` are checked against them (`checkAttrs`); internal
	 * callers that move stored spans around (label rewrites) leave it out.
	 */
	attributeLabels?: Label[];
	/**
	 * The whole list of relations (./relations.ts): endpoints are indexes into
	 * `spans` or span ids (of `spans`, or of the stored spans when `spans` is
	 * omitted); omitted keeps the current relations, which must then all still
	 * join spans of the set (a save that removes a related span without saying
	 * what becomes of its relations is refused: nothing is dropped silently).
	 */
	relations?: RelationInput[];
	/** the dataset's relation types; needed with `relations` */
	relationTypes?: RelationType[];
	/** the whole list of dismissed suggestions; omitted keeps them */
	dismissed?: DismissedSuggestion[];
}

export interface SaveResult {
	revision: number;
	status: Status;
	changed: boolean;
	set: AnnotationSet;
}

/**
 * `labels`: the dataset's label names, as `withCurrentLabels` (store/file/datasets.ts)
 * gives them for the length of the save; labels read earlier may have been renamed
 * meanwhile, and the rename's rewrite would not see this save.
 */
export async function saveSet(
	slug: string,
	doc: { id: string; text: string },
	annotator: string,
	by: string,
	labels: string[],
	input: SaveInput
): Promise<SaveResult> {
	if (input.spans && input.spans.length > limits.spansPerSet) {
		throw badRequest(`too many spans: ${input.spans.length} (limit ${limits.spansPerSet})`);
	}
	const problems = input.spans ? validateSpans(doc.text, input.spans, labels) : [];
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	checkSetSize(input.spans, 'spans');
	checkSetSize(input.rejected, 'rejected spans');
	if (input.attributeLabels) checkAttrs(input, input.attributeLabels);
	if (input.spans) checkSources(input.spans, 'span');
	if (input.rejected) checkSources(input.rejected, 'rejected span');
	if (input.relations && input.relations.length > MAX_RELATIONS) {
		throw badRequest(`too many relations: ${input.relations.length} (limit ${MAX_RELATIONS})`);
	}
	if (input.relations && !input.relationTypes) throw new Error('saveSet: relations need the dataset\'s relation types');
	const dismissed = input.dismissed === undefined ? undefined : checkDismissed(doc.text, labels, input.dismissed);
	// with relations, where each span went: their ends' ids and their order come from it
	const positions = input.spans && input.relations ? new Int32Array(input.spans.length) : undefined;
	const given = input.spans && materializeSpans(doc.text, input.spans, positions);
	// equal spans (start, end, label) with different values: only possible when materializing dropped some
	if (input.attributeLabels && input.spans && given && given.length < input.spans.length) refuse(conflictingDuplicates(input.spans));
	// relations of this save's spans are checked (and resolved to span ids) now; relations of the stored spans under the lock
	const givenRelations =
		input.relations && given ? checkRelations(input.spans!, input.relations, input.relationTypes!, labels, given, positions) : undefined;
	const rejectedInput = input.rejected === undefined ? undefined : checkRejected(doc.text, annotator, labels, input.rejected);
	const rejectedRelationsInput =
		input.rejectedRelations === undefined ? undefined : checkRejectedRelations(annotator, input.rejectedRelations, input.relationTypes);
	if (input.comments) checkComments(doc.text, labels, input.comments);
	return withLock(`set:${slug}/${doc.id}/${annotator}`, async () => {
		const current = await loadSetUnlocked(slug, doc.id, annotator);
		if (input.reply === undefined && input.baseRevision !== current.revision) {
			throw conflict(
				`these annotations were changed elsewhere (you edited revision ${input.baseRevision}, the current one is ${current.revision})`,
				{
					current: {
						...current,
						relations: current.relations ?? [],
						dismissed: current.dismissed ?? [],
						...(annotator === GOLD ? { rejectedRelations: current.rejectedRelations ?? [] } : {})
					}
				}
			);
		}
		const spans = given ?? current.spans;
		const relations = nextRelations(input, givenRelations, current, spans, labels);
		if (input.attributeLabels && input.status === 'done' && !given) {
			const missing = missingRequired(spans, input.attributeLabels, 'stored span');
			if (missing.length) throw badRequest(missing.slice(0, 20).map((p) => p.message).join('; '), { problems: missing.slice(0, 100) });
		}
		const rejected =
			annotator === GOLD ? materializeSpans(doc.text, normalizeRejected(rejectedInput ?? current.rejected ?? [], spans)) : undefined;
		const rejectedRelations =
			annotator === GOLD ? normalizeRejectedRelations(rejectedRelationsInput ?? current.rejectedRelations ?? [], relations) : undefined;
		// A document starts with its first span (or, in gold, its first decision): time spent reading it does not start it.
		const started = spans.length > 0 || (rejected?.length ?? 0) > 0 || (rejectedRelations?.length ?? 0) > 0;
		const status: Status =
			input.status ?? (current.status === 'not_started' && started ? 'in_progress' : current.status);
		const delta = Math.max(0, Math.min(3600, Math.round(input.activeSecondsDelta ?? 0)));
		const changes = diffSpans(current.spans, spans);
		// a value changed on a span that stays (same id) is a change of that span, not a new one
		const reattributed = countAttrChanges(current.spans, spans);
		const spansChanged =
			changes.added + changes.removed + changes.relabelled + reattributed > 0 ||
			current.spans.length !== spans.length ||
			sourcesChanged(current.spans, spans);
		const rejectedChanged = rejected !== undefined && !sameIds(rejected, current.rejected ?? []);
		const rejectedRelationsChanged =
			rejectedRelations !== undefined && rejectedRelations.join('\n') !== (current.rejectedRelations ?? []).join('\n');
		const keptRejectedRelations = rejectedRelations?.length ? { rejectedRelations } : {};
		const now = new Date().toISOString();
		const flag = input.flag === undefined ? current.flag : (input.flag ?? undefined);
		let comments =
			input.comments === undefined ? (current.comments ?? []) : mergeComments(current.comments ?? [], input.comments, by, now, () => randomBytes(6).toString('hex'));
		if (input.reply) {
			try {
				comments = addReply(comments, input.reply.replyTo, input.reply.text, by, now, randomBytes(6).toString('hex'));
			} catch (e) {
				throw badRequest((e as Error).message);
			}
		}
		const notesChanged = !sameFlag(flag, current.flag) || !sameComments(comments, current.comments ?? []);
		const notes = { ...(flag ? { flag } : {}), ...(comments.length ? { comments } : {}) };
		const relationChanges = relations === current.relations ? { added: 0, removed: 0 } : diffRelations(current.relations ?? [], relations);
		const nextDismissed = dismissed ?? current.dismissed ?? [];
		const dismissedChanged = !sameDismissed(nextDismissed, current.dismissed ?? []);
		const links = { ...(relations.length ? { relations } : {}), ...(nextDismissed.length ? { dismissed: nextDismissed } : {}) };
		const changed =
			spansChanged ||
			rejectedChanged ||
			rejectedRelationsChanged ||
			notesChanged ||
			relationChanges.added + relationChanges.removed > 0 ||
			dismissedChanged ||
			status !== current.status;
		const next: AnnotationSet = changed
			? {
					annotator,
					revision: current.revision + 1,
					status,
					spans,
					updated_at: now,
					updated_by: by,
					active_seconds: current.active_seconds + delta,
					...(rejected ? { rejected } : {}),
					...keptRejectedRelations,
					...notes,
					...links
				}
			: { ...current, active_seconds: current.active_seconds + delta };
		if (changed) {
			const revision: Revision = {
				revision: next.revision,
				at: now,
				by,
				status,
				spans,
				...changes,
				...(reattributed ? { reattributed } : {}),
				...(relationChanges.added ? { relationsAdded: relationChanges.added } : {}),
				...(relationChanges.removed ? { relationsRemoved: relationChanges.removed } : {}),
				...(rejected ? { rejected } : {}),
				...keptRejectedRelations,
				...notes,
				...links
			};
			// A delta against the current state: it is the log's last revision (the log is written first,
			// and a log found ahead is repaired on load), so no read of the log is needed here.
			const previous = current.revision > 0 ? current : null;
			await appendLineDurable(revisionLogFile(slug, doc.id, annotator), JSON.stringify(encodeRevision(revision, previous)));
		}
		if (changed || delta > 0) {
			const stateFile = annotationFile(slug, doc.id, annotator);
			try {
				await new Low(new DurableJSONFile<AnnotationSet>(stateFile), next).write();
				remember(stateFile, await setFilesKey(stateFile, revisionLogFile(slug, doc.id, annotator)), next);
			} catch (e) {
				// Once the revision is in the log it is saved (reads rebuild the state file from the log),
				// so a full disk now does not make it "not saved". Without a revision there is nothing to keep.
				if (!(changed && storageFault(e))) throw e;
				console.error(`spanlab: ${stateFile} not updated (${(e as Error).message}); revision ${next.revision} is in the log`);
			}
		}
		if (!isImportAnnotator(annotator)) noteSummary(slug, doc.id, next);
		return { revision: next.revision, status: next.status, changed, set: next };
	});
}

/** Comments: at most MAX_COMMENTS, and a span a comment is about is a span of the document (in range, a known label). */
function checkComments(text: string, labels: string[], comments: CommentInput[]): void {
	if (comments.length > MAX_COMMENTS) throw badRequest(`too many comments: ${comments.length} (limit ${MAX_COMMENTS})`);
	const spans = comments.flatMap((c, i) => (c.span ? [{ i, span: c.span }] : []));
	const problems = validateSpans(text, spans.map((s) => s.span), labels);
	if (problems.length) {
		throw badRequest(
			problems
				.slice(0, 20)
				.map((p) => `comment ${spans[p.index]?.i !== undefined ? spans[p.index].i + 1 : '?'}: ${p.message.replace(/^span \d+: /, '')}`)
				.join('; ')
		);
	}
}

/**
 * Rejections are the gold set's alone (an annotator's set has nothing to
 * reject); they are spans of the document like any other: in range, known labels.
 */
function checkRejected(text: string, annotator: string, labels: string[], rejected: SpanInput[]): SpanInput[] {
	if (annotator !== GOLD) throw badRequest(`rejected: only the gold set records rejections, not "${annotator}"`);
	if (rejected.length > limits.spansPerSet) {
		throw badRequest(`too many rejected spans: ${rejected.length} (limit ${limits.spansPerSet})`);
	}
	const problems = validateSpans(text, rejected, labels).map((p) => ({ ...p, message: `rejected ${p.message}` }));
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	return rejected;
}

/** A rejected relation's key: `${fromSpanId}>${toSpanId}:` and then the relation type's name (src/lib/review/reviewRelations.ts relationKey). */
const REJECTED_RELATION_KEY = /^s[0-9a-f]{16}>s[0-9a-f]{16}:/;

/**
 * Rejected relation candidates are the gold set's alone, like rejected spans:
 * each a key of two span ids and a relation type of the dataset; duplicates are
 * dropped. Their ends need not be spans of gold (a candidate the lead rejected
 * usually joins spans gold does not have).
 */
function checkRejectedRelations(annotator: string, keys: string[], types: readonly RelationType[] | undefined): string[] {
	if (annotator !== GOLD) throw badRequest(`rejectedRelations: only the gold set records rejections, not "${annotator}"`);
	if (keys.length > MAX_RELATIONS) throw badRequest(`too many rejected relations: ${keys.length} (limit ${MAX_RELATIONS})`);
	if (!types) throw new Error("saveSet: rejectedRelations need the dataset's relation types");
	const names = new Set(types.map((t) => t.name));
	const problems: Array<{ index: number; message: string }> = [];
	keys.forEach((key, index) => {
		if (typeof key !== 'string' || !REJECTED_RELATION_KEY.test(key)) {
			problems.push({ index, message: `rejected relation ${index}: ${JSON.stringify(String(key).slice(0, 80))} is not "<from span id>><to span id>:<relation type>"` });
		} else if (!names.has(key.slice(36))) {
			const known = names.size ? `known: ${[...names].join(', ')}` : 'this dataset has no relation types';
			problems.push({ index, message: `rejected relation ${index}: "${key.slice(36, 100)}" is not a relation type of this dataset (${known})` });
		}
	});
	if (problems.length) throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	return keys;
}

/** Sorted (code units), duplicates dropped, and never a relation gold has (accepting a relation takes it off the list). */
function normalizeRejectedRelations(keys: readonly string[], relations: readonly Relation[]): string[] {
	const accepted = new Set(relations.map((r) => `${r.from}>${r.to}:${r.label}`));
	return [...new Set(keys)].filter((k) => !accepted.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The relations after a save: the given ones (resolved against the save's spans,
 * or the stored ones), or else the current ones, which must still join spans of
 * the set. Never drops one: a relation left without its span is a 400 naming it.
 */
function nextRelations(input: SaveInput, given: Relation[] | undefined, current: AnnotationSet, spans: Span[], labels: string[]): Relation[] {
	const kept = current.relations ?? [];
	if (input.relations) {
		// relations of the stored spans (none sent): checked against them here, under the lock
		const next = given ?? checkRelations(spans, input.relations, input.relationTypes!, labels, spans);
		// the same relations as stored: the stored list itself, so the revision log sees at once that nothing changed
		return sameRelations(kept, next) ? kept : next;
	}
	if (!kept.length) return [];
	if (spans === current.spans) return kept;
	const ids = new Set(spans.map((s) => s.id));
	const orphans = kept.flatMap((r, index) => (ids.has(r.from) && ids.has(r.to) ? [] : [{ index, r }]));
	if (orphans.length) {
		const problems = orphans.map(({ index, r }) => ({
			index,
			message:
				`stored relation ${index} ("${r.label}" ${r.id} from ${r.from} to ${r.to}) joins a span this save ` +
				`${ids.has(r.from) ? 'removes or changes (its end)' : 'removes or changes (its start)'}; send "relations" without it, or re-pointed`
		}));
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	// spans that stay keep their relative order (compareSpans), so the relations keep theirs
	return kept;
}

/** Relations that came and went (a relation is its id). */
function diffRelations(before: readonly Relation[], after: readonly Relation[]): { added: number; removed: number } {
	if (before.length === 0 || after.length === 0) return { added: after.length, removed: before.length };
	const had = new Set(before.map((r) => r.id));
	let added = 0;
	for (const r of after) if (!had.has(r.id)) added++;
	return { added, removed: before.length - (after.length - added) };
}

/** Relations checked against `spans` (a 400 naming each problem), as stored relations in order over `ordered`. */
function checkRelations(
	spans: readonly SpanInput[],
	relations: readonly RelationInput[],
	types: readonly RelationType[],
	labels: string[],
	ordered: readonly Span[],
	positions?: Int32Array
): Relation[] {
	const { problems, relations: resolved } = checkRelationList(spans, relations, types, labels, ordered, positions);
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	return resolved;
}

function sameRelations(a: readonly Relation[], b: readonly Relation[]): boolean {
	return a.length === b.length && a.every((r, i) => r.id === b[i].id);
}

/** `spans[].source`: where an accepted suggestion came from, one of the known kinds (./relations.ts). */
function checkSources(spans: readonly SpanInput[], what: string): void {
	const problems: Array<{ index: number; message: string }> = [];
	spans.forEach((span, index) => {
		const source = (span as { source?: unknown }).source;
		if (source === undefined) return;
		const problem = spanSourceProblem(source);
		if (problem) problems.push({ index, message: `${what} ${index}: ${problem}` });
	});
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
}

/** Dismissed suggestions: spans of the document (in range, known labels) with a source each; stored sorted, once each. */
function checkDismissed(text: string, labels: string[], dismissed: DismissedSuggestion[]): DismissedSuggestion[] {
	if (dismissed.length > limits.spansPerSet) {
		throw badRequest(`too many dismissed suggestions: ${dismissed.length} (limit ${limits.spansPerSet})`);
	}
	const problems = validateSpans(text, dismissed, labels).map((p) => ({ ...p, message: `dismissed ${p.message}` }));
	dismissed.forEach((d, index) => {
		const problem = spanSourceProblem(d.source);
		if (problem) problems.push({ index, message: `dismissed span ${index}: ${problem}` });
	});
	if (problems.length) {
		problems.sort((a, b) => a.index - b.index);
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	return normalizeDismissed(dismissed);
}

/** Whether a span that stays (same id) got or lost a source; free when neither list has any. */
function sourcesChanged(before: readonly Span[], after: readonly Span[]): boolean {
	if (!before.some((s) => s.source) && !after.some((s) => s.source)) return false;
	const was = new Map(before.map((s) => [s.id, s.source]));
	return after.some((s) => was.has(s.id) && was.get(s.id) !== s.source);
}

function sameIds(a: Span[], b: Span[]): boolean {
	return a.length === b.length && a.every((s, i) => s.id === b[i].id && s.source === b[i].source && sameAttrs(s.attrs, b[i].attrs));
}

/**
 * Span attributes against the labels' definitions (src/lib/model/attributes.ts): known
 * names, right types and options, TIMEX3 values; on a save that marks the set
 * `done`, required ones set. Kept apart from the span checks above so either can
 * change without the other.
 */
function checkAttrs(input: SaveInput, labels: Label[]): void {
	refuse([
		...(input.spans ? validateSpanAttrs(input.spans, labels, { done: input.status === 'done' }) : []),
		// the spans' own duplicates: after materializing, when it dropped any (saveSet)
		...(input.rejected ? validateSpanAttrs(input.rejected, labels, { what: 'rejected span' }) : []),
		...(input.rejected ? conflictingDuplicates(input.rejected, 'rejected span') : [])
	]);
}

/** A 400 listing `problems` (the first 20 in the message, 100 in the body), if there are any. */
function refuse(problems: ReadonlyArray<{ index: number; message: string }>): void {
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
}

/**
 * How much one set may hold: the lengths of its spans added up (each stored
 * span keeps its text, so 20,000 spans over a long article would make a state
 * file of gigabytes). Checked before the set's lock; 413 past it.
 */
function checkSetSize(spans: SpanInput[] | undefined, what: string): void {
	if (!spans) return;
	let covered = 0;
	for (const s of spans) covered += s.end - s.start;
	if (covered > limits.setTextChars) {
		throw tooLarge(
			`the ${what} cover ${covered} characters in total, more than the ${limits.setTextChars} one annotation set may hold (each span stores its text)`
		);
	}
}

/** The lines of a log, in order (a torn one from a crash is dropped when parsed). */
async function readLogLines(file: string): Promise<string[]> {
	let raw: string;
	try {
		raw = await fs.readFile(file, 'utf8');
	} catch {
		return [];
	}
	return raw.split('\n').filter((line) => line !== '');
}

function parseLines(lines: readonly string[]): LogLine[] {
	const parsed: LogLine[] = [];
	for (const line of lines) {
		try {
			parsed.push(JSON.parse(line) as LogLine);
		} catch {
			// a torn line from a crash: that save was never acknowledged
		}
	}
	return parsed;
}

async function readRevisionLog(file: string): Promise<Revision[]> {
	return decodeRevisions(parseLines(await readLogLines(file)));
}

/** The full history of one set, oldest first (every revision with its full span list). */
export async function listRevisions(slug: string, docId: string, annotator: string): Promise<Revision[]> {
	return readRevisionLog(revisionLogFile(slug, docId, annotator));
}

/** A page holds at most `maxSpans` spans in all (always one revision at least): no bigger than one full set's GET. */
export const REVISIONS_PAGE = { defaultLimit: 20, maxLimit: 100, maxSpans: 20_000 };


/** A log read as bytes, its complete lines found without decoding them (a 127 MB log of full revisions is one buffer, not a string). */
class LogLines {
	readonly starts: number[] = [];
	readonly ends: number[] = [];
	constructor(private readonly buf: Buffer) {
		for (let start = 0; start < buf.length; ) {
			const end = buf.indexOf(0x0a, start);
			if (end < 0) break; // a torn last line from a crash: that save was never acknowledged
			if (end > start) {
				this.starts.push(start);
				this.ends.push(end);
			}
			start = end + 1;
		}
	}
	get length(): number {
		return this.starts.length;
	}
	text(i: number): string {
		return this.buf.toString('utf8', this.starts[i], this.ends[i]);
	}
	/** The line's start, enough for its revision number and kind (see revisionLog.ts). */
	head(i: number): string {
		return this.buf.toString('utf8', this.starts[i], Math.min(this.ends[i], this.starts[i] + 256));
	}
	/** The line's revision, -1 for a line that is not one (torn). */
	revision(i: number): number {
		const match = REVISION_PREFIX.exec(this.head(i));
		if (match) return Number(match[1]);
		try {
			return revisionOfLogLine(this.text(i));
		} catch {
			return -1;
		}
	}
	isCheckpoint(i: number): boolean {
		return (lineIsCheckpoint(this.head(i)) ?? lineIsCheckpoint(this.text(i))) === true;
	}
}

/** Lines parsed one at a time, the event loop let through after every big one (a full revision of 20,000 spans takes ~20 ms to parse). */
async function parseLogRange(log: LogLines, from: number, to: number): Promise<LogLine[]> {
	const parsed: LogLine[] = [];
	for (let i = from; i < to; i++) {
		const big = log.ends[i] - log.starts[i] > 256 * 1024;
		try {
			parsed.push(JSON.parse(log.text(i)) as LogLine);
		} catch {
			// a torn line from a crash: that save was never acknowledged
		}
		if (big) await new Promise<void>((resolve) => setImmediate(resolve));
	}
	return parsed;
}

/**
 * The last `limit` revisions before revision `before` (all: the latest ones),
 * oldest first, stopping early so that the page holds at most
 * REVISIONS_PAGE.maxSpans spans in all (always at least one revision). Read
 * newest first, a checkpoint and the deltas after it at a time, so only the
 * lines the page needs are parsed (and at most one checkpoint's run beyond).
 */
export async function pageRevisions(
	slug: string,
	docId: string,
	annotator: string,
	opts: { limit?: number; before?: number } = {}
): Promise<RevisionPage> {
	const limit = Math.max(1, Math.min(REVISIONS_PAGE.maxLimit, opts.limit ?? REVISIONS_PAGE.defaultLimit));
	const before = opts.before ?? Infinity;
	let buf: Buffer;
	try {
		buf = await fs.readFile(revisionLogFile(slug, docId, annotator));
	} catch {
		return { revisions: [], nextBefore: null };
	}
	const log = new LogLines(buf);
	const numbers = log.starts.map((_, i) => log.revision(i));
	let hi = numbers.length;
	while (hi > 0 && !(numbers[hi - 1] < before)) hi--;
	const newestFirst: Revision[] = [];
	let spans = 0;
	let full = false;
	while (hi > 0 && !full) {
		let checkpoint = hi - 1;
		while (checkpoint > 0 && !log.isCheckpoint(checkpoint)) checkpoint--;
		const decoded = decodeRevisions(await parseLogRange(log, checkpoint, hi)).filter((r) => r.revision < before);
		for (let i = decoded.length - 1; i >= 0; i--) {
			const size = decoded[i].spans.length + (decoded[i].rejected?.length ?? 0);
			if (newestFirst.length >= limit || (newestFirst.length > 0 && spans + size > REVISIONS_PAGE.maxSpans)) {
				full = true;
				break;
			}
			newestFirst.push(decoded[i]);
			spans += size;
		}
		hi = checkpoint;
	}
	const revisions = newestFirst.reverse();
	const oldest = revisions[0]?.revision;
	const earlier = oldest !== undefined && numbers.some((n) => n >= 1 && n < oldest);
	return { revisions, nextBefore: earlier ? oldest : null };
}

/** Annotators (and gold) with any saved work on a document. */
export async function annotatorsOf(slug: string, docId: string): Promise<SetSummary[]> {
	const perDoc = (await datasetSummaries(slug)).get(docId);
	return perDoc ? [...perDoc.values()] : [];
}

/** Imported pre-annotation sets (`import~<source>`) of a document, by annotator id; read from disk. */
export async function importSetsOf(slug: string, docId: string): Promise<SetSummary[]> {
	let files: string[] = [];
	try {
		files = await fs.readdir(annotationsDir(slug, docId));
	} catch {
		return [];
	}
	const result: SetSummary[] = [];
	for (const file of files.sort()) {
		if (!file.startsWith(IMPORT_ANNOTATOR_PREFIX) || !file.endsWith('.revisions.jsonl')) continue;
		const name = file.slice(0, -'.revisions.jsonl'.length);
		if (!isImportAnnotator(name)) continue;
		result.push(summarise(await loadSet(slug, docId, name)));
	}
	return result;
}

export { annotationsDir };
