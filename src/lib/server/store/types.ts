/**
 * The store seam: what the rest of the server may ask of its data, whatever keeps
 * it. `store/file/` implements it over the data folder (JSON files, fsync, locks);
 * a second backend (PostgreSQL, `store/postgres/`) implements the same interfaces,
 * and `store/contract.ts` holds the promises both must keep.
 *
 * Rules of the seam:
 *  - Everything is async; nothing here names a file, a path or a table.
 *  - A store keeps data, it does not decide: what a valid span is, when a set
 *    becomes `in_progress`, how much active time one save may add… live in pure
 *    modules (src/lib/server/annotate/revision.ts) that run inside `sets.commit`'s
 *    `next`, so every backend applies the same rules.
 *  - Missing things are `notFound` DomainErrors (src/lib/server/http/errors.ts); a
 *    stale base revision is not an error but a `{ conflict }` result.
 *  - Names (slugs, document ids, annotators) are checked by the store's callers'
 *    schemas and again by the store (`checkSlug` & co.); any string,
 *    `__proto__` or `constructor` included, is data, never a key of an object.
 */
import type { AnnotationSet, Label, Revision } from '../../model/types';
import type { DatasetRecord, DocumentHeader, NewDataset, NewDocument, StoredDocument } from '../../model/dataset';
import type { SessionRecord, SessionsData, TokenRecord, UserRecord, UsersData } from '../../model/user';
import type { CorpusFilter, DocumentWork, RevisionPage, SetSummary } from '../../model/work';
import type { Gazetteer } from '../../model/gazetteer';
import type { ReleaseManifest, ReleaseRecord } from '../../release/record';
import type { EvalSpan } from '../../evaluation/match';
import type { RunSummary as RunManifest } from '../../evaluation/api';
import type { RunLine } from '../evaluation/runUpload';

export type { RunManifest, RunLine };

// ---------------------------------------------------------------------------
// datasets

export interface DatasetRepository {
	/** @throws notFound */
	get(slug: string): Promise<DatasetRecord>;
	exists(slug: string): Promise<boolean>;
	/** every dataset, by slug (code-unit order) */
	list(): Promise<DatasetRecord[]>;
	/** @throws conflict when the slug is taken */
	create(input: NewDataset): Promise<DatasetRecord>;
	/**
	 * Applies `mutate` to a copy of the record and saves it durably, bumping
	 * `version`; a `mutate` that throws changes nothing. Updates of one dataset
	 * are serialised (across processes for a backend shared by several).
	 * @throws notFound
	 */
	update<T>(slug: string, mutate: (draft: DatasetRecord) => T): Promise<T>;
	/**
	 * Runs `fn` with the dataset's current label names, which cannot change until
	 * `fn` settles (a save validates and writes inside it).
	 */
	withCurrentLabels<T>(slug: string, fn: (labelNames: string[], dataset: DatasetRecord) => Promise<T>): Promise<T>;
	/** `update` for a change of the label set: waits for every `withCurrentLabels` under way. */
	updateLabels<T>(slug: string, mutate: (draft: DatasetRecord) => T): Promise<T>;
	/**
	 * A change of the label set with its rewrite of the existing work: `mutate` as
	 * `updateLabels`, then `rewrite()`, which rewrites the sets through this store
	 * (each changed set a new revision). Saves racing the change either land
	 * before it (and are rewritten) or after it (validated against the new labels).
	 * - `atomic: true` (PostgreSQL): one transaction, holding the label lock from
	 *   `mutate` to the end of `rewrite`; if either throws, nothing of it is kept.
	 * - `atomic: false` (the file store): the new labels are written first (with
	 *   the journal entry `mutate` adds, `labelRewrite`), then the rewrite runs set
	 *   by set; one that stops halfway is finished later from the journal.
	 * `rewrite` is told which, to say truthfully what a failure left behind.
	 */
	changeLabels<T, R>(
		slug: string,
		mutate: (draft: DatasetRecord) => T,
		rewrite: (how: { atomic: boolean }) => Promise<R>
	): Promise<{ result: T; rewritten: R }>;
	/** One label change (or one release's reading of labels and work) at a time per dataset. */
	withLabelChangeLock<T>(slug: string, fn: () => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------------------
// documents

export interface DocumentLookup {
	/** the id of the document with this text's sha256, if any */
	idOfText(sha: string): string | undefined;
	hasId(id: string): boolean;
}

export interface DocumentRepository {
	/** the dataset's documents in import order (`position`, then id); read-only (both stores answer a copy they keep, shared by callers) */
	headers(slug: string): Promise<DocumentHeader[]>;
	/** @throws notFound */
	get(slug: string, id: string): Promise<StoredDocument>;
	has(slug: string, id: string): Promise<boolean>;
	findBySha(slug: string, sha256: string): Promise<string | undefined>;
	/** a snapshot for checking many documents at once (an import's validation) */
	lookup(slug: string): Promise<DocumentLookup>;
	/**
	 * Adds documents in order, streaming (memory stays flat in their number);
	 * a text already there (same sha256) is skipped and counted. All are durable
	 * when this resolves.
	 * @throws conflict when an id exists with a different text (the documents before it are kept)
	 */
	addMany(slug: string, docs: Iterable<NewDocument> | AsyncIterable<NewDocument>): Promise<{ imported: string[]; duplicates: number }>;
	/**
	 * Search over titles and texts: the ids of the documents holding every
	 * whole word and "phrase" of `query`, accent- and case-insensitive
	 * ($lib/text/fold, $lib/documents/query searchTerms), best first; [] for a
	 * query without words.
	 */
	search(slug: string, query: string): Promise<string[]>;
	/** each document's `meta`, by id (the document list's `meta.<key>` filters) */
	metas(slug: string): Promise<Map<string, Record<string, unknown>>>;
}

// ---------------------------------------------------------------------------
// annotation sets

export interface SetKey {
	slug: string;
	docId: string;
	/** an annotator's name, `gold`, or an import set `import~<source>` */
	annotator: string;
}

/**
 * What a commit writes, as the pure rule (`nextRevision`) computed it from the
 * current state:
 *  - `revision` given: appended to the set's history (its number is
 *    `current.revision + 1`, as is `set.revision`), and `set` becomes the state;
 *  - no `revision` but `set` !== the current state (active time only): the state
 *    is replaced, the history does not grow;
 *  - `set` is the current state itself: nothing is written.
 */
export interface SetChange {
	set: AnnotationSet;
	revision: Revision | null;
}

export type CommitResult =
	| { ok: true; set: AnnotationSet; changed: boolean }
	/** the base revision was stale: nothing was written; `current` is the state to show */
	| { ok: false; conflict: AnnotationSet };

export interface AnnotationSetRepository {
	/** the set's state; a set never saved is revision 0, `not_started`, no spans */
	load(key: SetKey): Promise<AnnotationSet>;
	/**
	 * Compare-and-swap: under the set's lock (one commit per set at a time, across
	 * processes for a shared backend), reads the current state; if `baseRevision`
	 * is a number other than its revision, returns `{ conflict: current }` without
	 * calling `next`; otherwise writes what `next(current)` returns. Acknowledged
	 * means durable (survives kill -9). `baseRevision` null: no check (a reply to
	 * a comment). A `next` that throws writes nothing and the commit rejects.
	 */
	commit(key: SetKey, baseRevision: number | null, next: (current: AnnotationSet) => SetChange): Promise<CommitResult>;
	/** the whole history, oldest first, each revision with its full span list */
	revisions(key: SetKey): Promise<Revision[]>;
	/** a page of the history, oldest first, newest page first (see REVISIONS_PAGE) */
	pageRevisions(key: SetKey, opts?: { limit?: number; before?: number }): Promise<RevisionPage>;
	/** doc id → annotator → summary: people's work and gold, not import sets; read-only (both stores answer a copy they keep, shared by callers) */
	summaries(slug: string): Promise<Map<string, Map<string, SetSummary>>>;
	/** the import sets (`import~…`) of one document, by annotator id */
	importSetsOf(slug: string, docId: string): Promise<SetSummary[]>;
	/** their names alone (nothing of them read), in code-unit order */
	importSetNames(slug: string, docId: string): Promise<string[]>;
	/**
	 * Each document's import sources (the `<name>` of its `import~<name>` sets), in
	 * code-unit order; documents without one are absent. The document list's `source`
	 * filter; read-only (a store may answer a copy it keeps, shared by callers).
	 */
	importSources(slug: string): Promise<ReadonlyMap<string, readonly string[]>>;
	/**
	 * The dataset's documents with their sets, one document at a time in
	 * document order, sets in annotator order; memory flat in the corpus.
	 */
	iterateWork(slug: string, filter?: CorpusFilter): AsyncIterable<DocumentWork>;
}

// ---------------------------------------------------------------------------
// releases

/** A release being cut: its JSONL written and hashed by the caller, readable back before it is published. */
export interface ReleaseDraft {
	/** appends bytes of the JSONL */
	write(bytes: Uint8Array): Promise<void>;
	/** all written: made durable, no more writes */
	finish(): Promise<void>;
	/** the records written so far (after `finish`), in order */
	records(): AsyncIterable<ReleaseRecord>;
	/** gone without trace (after a publish too: a no-op then) */
	discard(): Promise<void>;
}

export type ReleaseRecovery = { version: number; outcome: 'finished' | 'rolled back' | 'cleaned up' };

export interface ReleaseRepository {
	/** manifests, newest first */
	list(slug: string): Promise<ReleaseManifest[]>;
	/** published version numbers, ascending */
	versions(slug: string): Promise<number[]>;
	/** @throws notFound */
	manifest(slug: string, version: number): Promise<ReleaseManifest>;
	/** @throws notFound (resolves before the first record is read) */
	records(slug: string, version: number): Promise<AsyncIterable<ReleaseRecord>>;
	/** the JSONL as published, byte for byte. @throws notFound */
	bytes(slug: string, version: number): Promise<{ size: number; body: ReadableStream<Uint8Array> }>;
	/**
	 * A new, empty draft of release `version` of `slug`.
	 * @throws conflict when anything of that version exists already (published, or left there by hand)
	 */
	draft(slug: string, version: number): Promise<ReleaseDraft>;
	/**
	 * Publishes the finished draft as release `manifest.version`, all or nothing,
	 * never replacing anything: the records and the manifest appear together.
	 * @throws conflict when that version exists (or is being published by another process)
	 */
	publish(slug: string, draft: ReleaseDraft, manifest: ReleaseManifest): Promise<void>;
	/**
	 * Runs `fn` with no other `exclusive` of the same dataset running (one cut of a
	 * dataset at a time: version numbers are taken inside it).
	 */
	exclusive<T>(slug: string, fn: () => Promise<T>): Promise<T>;
	/**
	 * Finishes or rolls back publishes a crash interrupted (a no-op for a
	 * transactional backend). Called inside `exclusive`.
	 */
	recover(slug: string): Promise<ReleaseRecovery[]>;
	/** `recover` of every dataset, each inside its `exclusive`, at start; a storage fault is logged, not thrown */
	recoverAll(): Promise<Array<ReleaseRecovery & { slug: string }>>;
}

// ---------------------------------------------------------------------------
// import staging

/** An import's validated, normalised documents, one NDJSON line each, kept until committed. */
export interface StagingArea {
	readonly id: string;
	append(line: string): Promise<void>;
	/** durable, no more appends */
	finish(): Promise<void>;
	lines(): AsyncIterable<string>;
	remove(): Promise<void>;
}

export interface ImportStagingRepository {
	create(slug: string): Promise<StagingArea>;
}

// ---------------------------------------------------------------------------
// import commits (the journal that finishes an import interrupted after its commit point)

/** What an import's commit says besides its staged lines (src/lib/server/import/importCommit.ts). */
export interface ImportCommitRecord {
	/** author of the pre-annotation sets */
	by: string;
	/** imported label → dataset label, for every label found */
	labelMap: Array<[string, string]>;
	/** labels to add to the dataset (addLabels) */
	addLabels: Label[];
	/** staged documents */
	documents: number;
	/** staged documents with pre-annotations */
	withSpans: number;
	at: string;
}

/** A dataset's committed, not yet finished import. */
export interface PendingImportCommit {
	readonly record: ImportCommitRecord;
	/** the staged lines, in the order they were appended */
	lines(): AsyncIterable<string>;
}

export interface ImportCommitRepository {
	/**
	 * The commit point: the finished staging area and `record` become the dataset's
	 * pending commit, durably (it survives a crash and a reopen); the area is used up
	 * (its `remove` is then a no-op). One pending commit per dataset: the caller holds
	 * the dataset's import lock and has finished any earlier one.
	 */
	commit(slug: string, area: StagingArea, record: ImportCommitRecord): Promise<PendingImportCommit>;
	/** The dataset's pending commit, or null; throws when what is there was never completely committed. */
	pending(slug: string): Promise<PendingImportCommit | null>;
	/** Forgets the dataset's pending commit, durably; nothing pending: nothing done (idempotent). */
	finish(slug: string): Promise<void>;
}

// ---------------------------------------------------------------------------
// accounts, tokens, sessions

export interface UserRepository {
	list(): Promise<UserRecord[]>;
	find(username: string): Promise<UserRecord | undefined>;
	hasAny(): Promise<boolean>;
	/** accounts and tokens changed together, on a copy (a `mutate` that throws changes nothing), durably */
	update<T>(mutate: (data: UsersData) => T): Promise<T>;
}

export interface TokenRepository {
	list(): Promise<TokenRecord[]>;
	/** by the token's hash */
	find(hash: string): Promise<TokenRecord | undefined>;
}

export interface SessionRepository {
	/** by the session token's hash; a revoked session is never found again */
	find(hash: string): Promise<SessionRecord | undefined>;
	/**
	 * `find` and the session's user (undefined: no such user) as one read, where the store can (PostgreSQL: one
	 * statement instead of two on every request); without it, callers `find` then look the user up.
	 */
	findWithUser?(hash: string): Promise<{ session: SessionRecord; user: UserRecord | undefined } | undefined>;
	/** on a copy, expired sessions dropped first, durably */
	update<T>(mutate: (data: SessionsData) => T): Promise<T>;
	/** refused at once, whatever the disk; false when the removal could not be written yet (retried) */
	revoke(hash: string): Promise<boolean>;
	revokeAllOf(username: string): Promise<boolean>;
	/** revocations not yet durable (diagnostics) */
	unsavedRevocations(): number;
}

// ---------------------------------------------------------------------------
// suggestion sources and evaluation runs

export interface GazetteerRepository {
	/** the gazetteer and a stamp that changes when it does; none: null */
	read(slug: string): Promise<{ gazetteer: Gazetteer; stamp: string } | null>;
	write(slug: string, gazetteer: Gazetteer): Promise<void>;
	remove(slug: string): Promise<void>;
}

export interface PredictionRunRepository {
	/** newest first. */
	list(slug: string): Promise<RunManifest[]>;
	/** @throws notFound */
	manifest(slug: string, run: string): Promise<RunManifest>;
	/** the run's spans by document id */
	load(slug: string, run: string): Promise<{ manifest: RunManifest; spans: Map<string, EvalSpan[]> }>;
	/**
	 * Stores an uploaded NDJSON run, validated line by line against the dataset's
	 * documents; all or nothing, runs are immutable.
	 * @throws badRequest (problems), conflict (name taken), tooLarge
	 */
	upload(
		slug: string,
		run: string,
		chunks: AsyncIterable<Uint8Array>,
		options: { by: string; model?: string; model_version?: string; maxBytes: number; now?: Date }
	): Promise<{ run: string; documents: number; spans: number; manifest: RunManifest }>;
}

// ---------------------------------------------------------------------------
// transfer (npm run migrate-store, ./transfer/): what the domain only ever creates
// through its rules (a dataset's creation time and version, a document's position,
// an uploaded run's bytes' hash), written as another store read it. Sets and
// their histories need nothing here: `sets.commit` replays each revision as given.

export interface TransferRepository {
	/**
	 * Writes `record` as given (created_at, version, members, settings), durably.
	 * @throws conflict when the slug exists
	 */
	restoreDataset(record: DatasetRecord): Promise<void>;
	/**
	 * Writes documents as given (created_at and position kept), durably, in
	 * batches (memory flat in their number); the dataset's caches and indexes
	 * know them when this resolves. Returns how many were written.
	 * @throws conflict when an id is taken (the documents before it are kept)
	 */
	restoreDocuments(slug: string, docs: AsyncIterable<StoredDocument>): Promise<number>;
	/** a run's lines as stored (each span with its text), in order. @throws notFound */
	runLines(slug: string, run: string): AsyncIterable<RunLine>;
	/**
	 * Writes a run as given: its manifest (hash of the bytes once uploaded
	 * included) and its stored lines, all or nothing.
	 * @throws conflict when the name is taken
	 */
	restoreRun(slug: string, manifest: RunManifest, lines: AsyncIterable<RunLine>): Promise<void>;
}

// ---------------------------------------------------------------------------

/** The rule of a failure counter: `limit` failures within `windowMs` of the first lock the key for `lockMs`. */
export interface FailureLimits {
	limit: number;
	windowMs: number;
	lockMs: number;
}

/**
 * Failed logins, counted per key (`user:<name>`, `ip:<address>`; the rule's
 * budgets are the caller's, src/lib/server/auth/ratelimit.ts). Every process of a
 * store counts the same failures: in memory on the file store (one process per
 * data folder), a table on PostgreSQL, where a failure is one atomic statement,
 * so failures racing in from several processes are all counted.
 */
export interface LoginFailureRepository {
	/** milliseconds the key stays locked; 0 when it may try */
	lockedFor(key: string): Promise<number>;
	/**
	 * Counts a failure of `key`: the first in a window starts the count, the
	 * `limit`-th locks the key for `lockMs`; a failure while locked changes
	 * nothing; after a lock or a window is over, the count starts again.
	 * Returns `lockedFor(key)` after it.
	 */
	fail(key: string, limits: FailureLimits): Promise<number>;
	/** forgets the key's failures and lock (a successful login, a lead's unlock) */
	clear(key: string): Promise<void>;
	/** forgets every key (tests) */
	reset(): Promise<void>;
}

export interface Store {
	readonly datasets: DatasetRepository;
	readonly documents: DocumentRepository;
	readonly sets: AnnotationSetRepository;
	readonly releases: ReleaseRepository;
	readonly staging: ImportStagingRepository;
	readonly imports: ImportCommitRepository;
	readonly users: UserRepository;
	readonly tokens: TokenRepository;
	readonly sessions: SessionRepository;
	readonly gazetteers: GazetteerRepository;
	readonly runs: PredictionRunRepository;
	readonly loginFailures: LoginFailureRepository;
	readonly transfer: TransferRepository;
	/**
	 * Makes the store ready before the first request: creates what must exist
	 * (the data folder; a schema). Safe to call again. (The file store's sweep of
	 * leftovers of interrupted writes runs apart, in the background: sweepTempFiles.)
	 */
	init(): Promise<void>;
	/** Forgets cached state (tests, the data-root switch). */
	reset(): void;
	/**
	 * Runs `fn` (the start-up recoveries and the demo seed) while no other process
	 * of this store runs its own: two app processes starting on one database do not
	 * both finish one interrupted import or both create the demo accounts. Absent on
	 * a store only one process may open (the file store: its data folder's lock).
	 */
	startup?<T>(fn: () => Promise<T>): Promise<T>;
	/**
	 * Runs `fn` while no other process of this store runs one under the same `key`
	 * (one import per dataset, one lexicon build). Absent where one process is all
	 * there is (the file store); `withLock` in ./index.ts adds the in-process lock.
	 */
	exclusive?<T>(key: string, fn: () => Promise<T>): Promise<T>;
	/**
	 * Once what the store does in the background has been done (the PostgreSQL
	 * store's list snapshots, ./postgres/listCache.ts). Absent where nothing is.
	 */
	settled?(): Promise<void>;
}
