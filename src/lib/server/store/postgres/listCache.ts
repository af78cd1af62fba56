/**
 * What the document list reads of a dataset on PostgreSQL, kept in this
 * process: every document header and every set summary (import sets aside).
 * Reading them all from the database was most of a list page (10,000
 * documents × 3 annotators: 485 ms of summaries, 117 ms of headers); a read now
 * fetches only the rows written since this process's last read of the dataset.
 *
 * Across processes: every insert or update of a document or a set stamps the
 * row with its transaction's id (migration 0004: a trigger, whoever writes).
 * A refresh runs in one REPEATABLE READ READ ONLY transaction and keeps the
 * xmin of its snapshot: every transaction with a smaller id had ended when the
 * snapshot was taken, so what it committed was read then. The next refresh
 * fetches the rows stamped with an id >= that xmin, which includes every
 * transaction that committed since, however early its id was taken (a slow
 * save that commits after a faster one is not skipped). A delete or truncate of
 * either table bumps `list_generation`: the next refresh reads everything.
 *
 * Freshness: a read starts its refresh after it was called (it may share one
 * queued behind the running refresh, never the running one, which may have
 * taken its snapshot before the caller's own save committed), so a save
 * acknowledged to anyone, in any process, is in every read that starts later.
 *
 * Inside a transaction of the store (a label change and its rewrite) the cache
 * is not used: that transaction's uncommitted rows must not be cached (it may
 * roll back, and its rows would then keep their old stamps); those reads go to
 * the database as before.
 *
 * The maps and arrays answered are shared by the callers (as the file store's
 * are): read-only. Headers are replaced by a new array when they change; a
 * summary that changes is replaced in place in its document's map.
 *
 * After a restart: the first read of a dataset starts from its snapshot in the
 * database (migration 0007), the lines of the file store's index snapshot
 * (../file/snapshotRows.ts) written by a process that had read it, then fetches
 * the rows stamped since that snapshot's xmin, as any refresh does. Reading
 * every row at 100,000 documents × 3 sets took 2.3–2.5 s here (a row a line,
 * split, and 300,000 summaries built field by field, their strings kept by the
 * young generation's copies); the snapshot's hundred lines, one JSON.parse each,
 * 1.1–1.3 s as rows (layout 2), 0.84–0.96 s as columns (layout 3; JSON.parse of the
 * 80 MB is a third of it, building the summaries a sixth). A process writes the
 * snapshot after it read everything, and again once it has applied
 * `snapshotBehind` rows since the snapshot it knows: in the background, a line
 * at a time, one transaction.
 */
import type { DocumentHeader } from '../../../model/dataset';
import type { SetSummary } from '../../../model/work';
import { lockKey, LOCK, type Db, type Sql } from './db';
import { summaryOf, type SummaryRow } from './sets';
import { readSnapshotLine, ROWS_PER_LINE, SnapshotLine } from '../file/snapshotRows';

type Summaries = Map<string, Map<string, SetSummary>>;

interface Entry {
	/** list_generation when everything was last read */
	generation: string;
	/** the last refresh's snapshot xmin (xid8 as text) */
	xmin: string;
	/** made when changes first come (a first read does not need it: 100,000 entries, ~50 ms) */
	byId: Map<string, DocumentHeader> | null;
	/** in position order (then id) */
	headers: DocumentHeader[];
	/** document id → annotator → summary, both in code unit order */
	summaries: Summaries;
	/** rows applied since the snapshot in the database this entry knows of (Infinity: it knows of none) */
	sinceSnapshot: number;
}

interface Refresh {
	running: Promise<Entry> | null;
	/** a refresh that has not started yet: callers that come now may share it */
	queued: Promise<Entry> | null;
}

export interface ListCache {
	headers(datasetId: string): Promise<DocumentHeader[]>;
	summaries(datasetId: string): Promise<Summaries>;
	/** forgets every dataset (Store.reset) */
	forget(): void;
	/** once the snapshots being written have been (Store.close waits for them; tests and the bench too) */
	settled(): Promise<void>;
	/** how the last first read of each dataset began: from the database's snapshot, or from the rows alone */
	openedFrom(datasetId: string): 'snapshot' | 'rows' | undefined;
}

/**
 * Rows (headers and summaries) applied since the snapshot before a process writes it again: a fifth of the
 * documents, at least 1,000 (a delta of 20,000 rows reads in ~0.15 s at 100,000 documents; a rewrite is 80 MB).
 */
export const snapshotBehind = (documents: number): number => Math.max(1_000, Math.ceil(documents / 5));

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** the map again with its keys in code unit order (documents, or a document's annotators) */
const byKey = <V>(map: Map<string, V>): Map<string, V> => new Map([...map].sort(([a], [b]) => byCodeUnit(a, b)));
const byPosition = (a: DocumentHeader, b: DocumentHeader) => a.position - b.position || byCodeUnit(a.id, b.id);

/**
 * The first read of a dataset is every header and every summary (100,000 documents × 3 sets): pg is asked
 * for one text column a row (a header's short fields joined too). pg reads a row of eleven typed columns
 * (an object a row, ints parsed, `text[]` through its array parser) several times slower than one string
 * split here: 2.8 s of this process's CPU against ~0.5 s at that size.
 * Fields are joined by U+001F, labels by U+001E (ids, names, labels and ISO times hold no control character:
 * src/lib/model/ids.ts, labels.ts); a nullable field has a leading `=` when it has a value ('' is NULL).
 */
const FIELD = '\x1f';
const LABEL = '\x1e';
const opt = (column: string) => `coalesce('=' || ${column}, '')`;
const SUMMARY_LINE = [
	'document_id',
	'annotator',
	'status',
	'revision',
	'reviewed_spans',
	opt('updated_at_text'),
	'active_seconds',
	opt('flag_reason'),
	"array_to_string(span_labels, E'\\x1e')",
	opt('span_keys')
].join(" || E'\\x1f' || ");
const SUMMARY_FIELDS = 10;

const optional = (field: string): string | null => (field === '' ? null : field.slice(1));

/** Strings a read meets again and again, one copy each: annotator names, statuses, lists of labels (a dataset has few). */
interface Shared {
	names: Map<string, string>;
	labels: Map<string, string[]>;
}

function shared<T>(map: Map<string, T>, key: string, make: (key: string) => T): T {
	let value = map.get(key);
	if (value === undefined) map.set(key, (value = make(key)));
	return value;
}
const same = (s: string) => s;
const labelList = (s: string) => (s === '' ? [] : s.split(LABEL));

/** A summary line's fields (split at FIELD) as the row they were read from. */
function summaryRowOf(f: string[], seen: Shared): SummaryRow {
	if (f.length !== SUMMARY_FIELDS) throw new Error(`a set summary of ${f.length} fields, not ${SUMMARY_FIELDS}`);
	return {
		document_id: f[0],
		annotator: shared(seen.names, f[1], same),
		status: shared(seen.names, f[2], same) as SummaryRow['status'],
		revision: Number(f[3]),
		reviewed_spans: Number(f[4]),
		updated_at: optional(f[5]),
		active_seconds: Number(f[6]),
		flag_reason: optional(f[7]),
		// read-only, as every answer of the cache
		span_labels: shared(seen.labels, f[8], labelList),
		span_keys: optional(f[9]),
		legacy_spans: null
	};
}

/**
 * Headers of the dataset, all of them or those stamped since `since`, in position order (a dataset's positions are
 * unique); rows taken as they arrive (`Sql.each`). Sorted here, not by the database: an ORDER BY made PostgreSQL
 * read and sort every row before sending the first (100,000 headers: a 14 MB sort on disk, ~170 ms of waiting).
 */
export async function readHeaders(sql: Sql, datasetId: string, since: string | null = null): Promise<DocumentHeader[]> {
	const headers: DocumentHeader[] = [];
	let sorted = true;
	await sql.each(
		`SELECT id, title, sha256 || ' ' || position || ' ' || length AS rest FROM documents
		 WHERE dataset_id = $1 ${since === null ? '' : 'AND change_xid >= $2::xid8'}`,
		since === null ? [datasetId] : [datasetId, since],
		(r) => {
			const [sha256, position, length] = (r.rest as string).split(' ');
			const header = { id: r.id, title: r.title, sha256, position: Number(position), length: Number(length) };
			if (sorted && headers.length && byPosition(headers[headers.length - 1], header) > 0) sorted = false;
			headers.push(header);
		}
	);
	return sorted ? headers : headers.sort(byPosition);
}

/**
 * The summaries of the dataset's sets (import sets aside), all of them or those stamped since `since`: document
 * id → annotator → summary, both in code unit order. The rows are taken as they arrive and none is kept
 * (`Sql.each`): at 100,000 documents × 3 sets, an array of 300,000 rows and one of their parsed fields, alive
 * until the last row came, were what the young generation's collections copied most. Put in order here, not by
 * the database: an ORDER BY made PostgreSQL scan and sort all 300,000 rows (~60 MB on disk) before sending the
 * first, ~650 ms this process spent waiting instead of parsing rows as a scan finds them.
 */
export async function readSummaries(sql: Sql, datasetId: string, since: string | null = null): Promise<Summaries> {
	const stamped = since === null ? '' : 'AND change_xid >= $2::xid8';
	const params = since === null ? [datasetId] : [datasetId, since];
	const seen: Shared = { names: new Map(), labels: new Map() };
	let result: Summaries = new Map();
	const legacy: SummaryRow[] = [];
	let lastId: string | undefined;
	let lastDoc: Map<string, SetSummary> | undefined;
	let lastAnnotator = '';
	let documentsInOrder = true;
	/** documents whose sets did not come in annotator order, or not one after another */
	const unsorted = new Set<string>();
	await sql.each(
		`SELECT ${SUMMARY_LINE} AS line FROM annotation_sets WHERE dataset_id = $1 AND annotator NOT LIKE 'import~%' ${stamped}`,
		params,
		(r) => {
			const row = summaryRowOf((r.line as string).split(FIELD), seen);
			const id = row.document_id;
			// rows mostly come a document at a time (a scan in the order they were written): the last map, else a lookup
			let perDoc = id === lastId ? lastDoc : result.get(id);
			if (perDoc === undefined) {
				if (lastId !== undefined && byCodeUnit(lastId, id) > 0) documentsInOrder = false;
				result.set(id, (perDoc = new Map()));
			} else if (id !== lastId || byCodeUnit(lastAnnotator, row.annotator) > 0) unsorted.add(id);
			if (row.span_keys !== null) perDoc.set(row.annotator, summaryOf(row));
			else {
				// its place kept (a map keeps the order of first insertion), its summary once its spans are read
				perDoc.set(row.annotator, null as unknown as SetSummary);
				legacy.push(row);
			}
			lastId = id;
			lastDoc = perDoc;
			lastAnnotator = row.annotator;
		}
	);
	// in code unit order: each document's annotators (a map replaced keeps its place), then the documents
	for (const id of unsorted) result.set(id, byKey(result.get(id)!));
	if (!documentsInOrder) result = byKey(result);
	// a row written before migration 0002 has no span keys: its spans, for its facts (a partial index finds
	// them); asked only when there is one, so that a refresh stays one statement
	if (!legacy.length) return result;
	const spans = await sql.unsafe<{ document_id: string; annotator: string; spans: SummaryRow['legacy_spans'] }[]>(
		`SELECT document_id, annotator, state->'spans' AS spans FROM annotation_sets
		 WHERE dataset_id = $1 AND span_keys IS NULL AND annotator NOT LIKE 'import~%' ${stamped}`,
		params
	);
	const spansOf = new Map(spans.map((r) => [`${r.document_id}\x1f${r.annotator}`, r.spans]));
	for (const row of legacy) {
		row.legacy_spans = spansOf.get(`${row.document_id}\x1f${row.annotator}`) ?? [];
		result.get(row.document_id)!.set(row.annotator, summaryOf(row));
	}
	return result;
}

/**
 * A line ends at ROWS_PER_LINE documents or once its titles and span keys reach this many characters: a line is
 * made, and parsed, in one go (20,000-span sets are 107 KB of keys each: 1,000 documents of three such sets
 * would be a 320 MB line, seconds of the event loop and near V8's longest string).
 */
const LINE_CHARS = 2_000_000;

/** What an entry is made of, as a snapshot holds it. */
type Snapshot = Pick<Entry, 'generation' | 'xmin' | 'headers' | 'summaries'>;

/**
 * The dataset's snapshot if it was written at `generation`, else null; null too when its lines do not read as
 * they were written (a cache: the caller then reads every row). Lines taken as they arrive, one JSON.parse each.
 */
async function readSnapshot(sql: Sql, datasetId: string, generation: string): Promise<Snapshot | null> {
	const [head] = await sql<{ generation: string; xmin: string; documents: number; parts: number }[]>`
		SELECT generation::text, snapshot_xmin::text AS xmin, documents, parts FROM list_snapshots WHERE dataset_id = ${datasetId}`;
	if (!head || head.generation !== generation) return null;
	const headers: DocumentHeader[] = [];
	const summaries: Summaries = new Map();
	let documentsInOrder = true;
	let lastId: string | undefined;
	let unreadable = false;
	const parts = await sql.each(`SELECT line FROM list_snapshot_parts WHERE dataset_id = $1 ORDER BY part`, [datasetId], (r) => {
		if (unreadable) return;
		try {
			readSnapshotLine(JSON.parse(r.line as string), (id, header, _meta, sets) => {
				if (!header || header.id !== id) throw new Error('a snapshot row without its header');
				headers.push(header);
				if (!sets.length) return;
				if (lastId !== undefined && byCodeUnit(lastId, id) > 0) documentsInOrder = false;
				lastId = id;
				const perDoc = new Map<string, SetSummary>();
				for (const set of sets) perDoc.set(set.annotator, set);
				summaries.set(id, perDoc);
			});
		} catch {
			unreadable = true;
		}
	});
	if (unreadable || parts !== head.parts || headers.length !== head.documents) return null;
	return { generation, xmin: head.xmin, headers, summaries: documentsInOrder ? summaries : byKey(summaries) };
}

/**
 * The entry as the dataset's snapshot, in one transaction: the lines written one at a time (a few milliseconds of
 * this process each, the event loop let through at each insert), then the head. Skipped when another process is
 * writing it, or has written one at least as recent. What is written may be newer than `xmin` for some rows (a
 * refresh may apply changes while the lines are made): those rows were stamped >= xmin, so a reader fetches them
 * again anyway.
 */
async function writeSnapshot(sql: Sql, datasetId: string, entry: Snapshot): Promise<void> {
	const { generation, xmin, headers } = entry;
	await sql.begin(async (tx) => {
		const [{ locked }] = await tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK.listSnapshot}::int, ${lockKey(datasetId)}::int) AS locked`;
		if (!locked) return;
		const [fresher] = await tx`SELECT 1 FROM list_snapshots WHERE dataset_id = ${datasetId}
			AND (generation > ${generation}::bigint OR (generation = ${generation}::bigint AND snapshot_xmin >= ${xmin}::xid8))`;
		if (fresher) return;
		await tx`DELETE FROM list_snapshots WHERE dataset_id = ${datasetId}`;
		await tx`INSERT INTO list_snapshots (dataset_id, generation, snapshot_xmin, documents, parts) VALUES (${datasetId}, ${generation}::bigint, ${xmin}::xid8, ${headers.length}, 0)`;
		const line = new SnapshotLine();
		let parts = 0;
		let chars = 0;
		for (let i = 0; i < headers.length; i++) {
			const sets = [...(entry.summaries.get(headers[i].id)?.values() ?? [])];
			line.addDocument(headers[i], {}, sets);
			chars += headers[i].title.length;
			for (const set of sets) chars += set.keys.length;
			if (line.rows === ROWS_PER_LINE || chars >= LINE_CHARS || i === headers.length - 1) {
				await tx`INSERT INTO list_snapshot_parts (dataset_id, part, line) VALUES (${datasetId}, ${parts++}, ${line.take()})`;
				chars = 0;
			}
		}
		await tx`UPDATE list_snapshots SET parts = ${parts} WHERE dataset_id = ${datasetId}`;
	});
}

/** What changed since the entry's last refresh, applied to it. */
function apply(entry: Entry, headerRows: DocumentHeader[], changed: Summaries): void {
	entry.sinceSnapshot += headerRows.length;
	for (const sets of changed.values()) entry.sinceSnapshot += sets.size;
	if (headerRows.length) {
		let appendOnly = true;
		let last = entry.headers.at(-1);
		const byId = (entry.byId ??= new Map(entry.headers.map((h) => [h.id, h])));
		for (const h of headerRows) {
			if (byId.has(h.id) || (last && byPosition(last, h) >= 0)) appendOnly = false;
			byId.set(h.id, h);
			last = h;
		}
		// new documents come after the others (an import): appended; anything else is sorted again
		entry.headers = appendOnly ? [...entry.headers, ...headerRows] : [...byId.values()].sort(byPosition);
	}
	let newDocuments = false;
	for (const [documentId, sets] of changed) {
		const perDoc = entry.summaries.get(documentId);
		if (!perDoc) {
			newDocuments = true;
			entry.summaries.set(documentId, sets);
			continue;
		}
		let newAnnotators = false;
		for (const [annotator, summary] of sets) {
			if (!perDoc.has(annotator)) newAnnotators = true;
			perDoc.set(annotator, summary);
		}
		// a new annotator of the document: its map again in annotator order
		if (newAnnotators) entry.summaries.set(documentId, byKey(perDoc));
	}
	if (newDocuments) entry.summaries = byKey(entry.summaries);
}

export function listCache(db: Db): ListCache {
	const entries = new Map<string, Entry>();
	const refreshes = new Map<string, Refresh>();
	const opened = new Map<string, 'snapshot' | 'rows'>();
	/** snapshots being written, by dataset: one at a time each */
	const writing = new Map<string, Promise<void>>();

	/** the entry written as the dataset's snapshot, in the background, when it is far enough behind */
	function maybeWriteSnapshot(datasetId: string, entry: Entry): void {
		if (entry.sinceSnapshot < snapshotBehind(entry.headers.length) || writing.has(datasetId)) return;
		const at = { generation: entry.generation, xmin: entry.xmin, headers: entry.headers, summaries: entry.summaries };
		const done = writeSnapshot(db.sql, datasetId, at)
			// a cache: a failed write (the database going away, a full disk) costs the next open its full read
			.catch((e) => console.warn(`the list snapshot of dataset ${datasetId} was not written: ${(e as Error).message}`))
			.finally(() => {
				// written, someone else's as recent, or failed: tried again once this entry has moved that far again
				entry.sinceSnapshot = 0;
				writing.delete(datasetId);
			});
		writing.set(datasetId, done);
	}

	async function refresh(datasetId: string): Promise<Entry> {
		const prior = entries.get(datasetId);
		const read = await db.sql.begin(async (tx) => {
			await tx`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`;
			// one backend streaming rows in the order they lie (as written: a document's sets together) as soon as
			// its scan finds them: parallel workers and JIT compiling took a core from this process while it parsed
			await tx`SET LOCAL max_parallel_workers_per_gather = 0`;
			await tx`SET LOCAL jit = off`;
			const [snapshot] = await tx<{ xmin: string; generation: string }[]>`
				SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, (SELECT value FROM list_generation)::text AS generation`;
			// a first read starts from the database's snapshot of the dataset when there is a current one
			const base = prior ? null : await readSnapshot(tx, datasetId, snapshot.generation);
			const since = base ? base.xmin : prior && prior.generation === snapshot.generation ? prior.xmin : null;
			return { ...snapshot, base, since, headerRows: await readHeaders(tx, datasetId, since), sets: await readSummaries(tx, datasetId, since) };
		});
		if (read.since === null) {
			const entry: Entry = {
				generation: read.generation,
				xmin: read.xmin,
				byId: null,
				headers: read.headerRows,
				summaries: read.sets,
				sinceSnapshot: Infinity
			};
			if (!prior) opened.set(datasetId, 'rows');
			entries.set(datasetId, entry);
			maybeWriteSnapshot(datasetId, entry);
			return entry;
		}
		// forgotten meanwhile (Store.reset): the changes alone are not the dataset
		if (entries.get(datasetId) !== prior) return refresh(datasetId);
		const entry: Entry = prior ?? { ...read.base!, byId: null, sinceSnapshot: 0 };
		if (!prior) {
			opened.set(datasetId, 'snapshot');
			entries.set(datasetId, entry);
		}
		apply(entry, read.headerRows, read.sets);
		entry.xmin = read.xmin;
		maybeWriteSnapshot(datasetId, entry);
		return entry;
	}

	/** the dataset's entry as of a snapshot taken after this call */
	function fresh(datasetId: string): Promise<Entry> {
		let state = refreshes.get(datasetId);
		if (!state) refreshes.set(datasetId, (state = { running: null, queued: null }));
		if (state.queued) return state.queued;
		const s = state;
		const before = s.running;
		const next: Promise<Entry> = (before ? before.catch(() => undefined) : Promise.resolve()).then(async () => {
			if (s.queued === next) s.queued = null;
			s.running = next;
			try {
				return await refresh(datasetId);
			} finally {
				if (s.running === next) s.running = null;
			}
		});
		if (before) s.queued = next;
		else s.running = next;
		return next;
	}

	return {
		async headers(datasetId) {
			if (db.sql.inTransaction()) return readHeaders(db.sql, datasetId);
			return (await fresh(datasetId)).headers;
		},
		async summaries(datasetId) {
			if (db.sql.inTransaction()) return readSummaries(db.sql, datasetId);
			return (await fresh(datasetId)).summaries;
		},
		forget() {
			entries.clear();
			opened.clear();
		},
		async settled() {
			while (writing.size) await Promise.all(writing.values());
		},
		openedFrom: (datasetId) => opened.get(datasetId)
	};
}
