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
 */
import type { DocumentHeader } from '../../../model/dataset';
import type { SetSummary } from '../../../model/work';
import type { Db, Sql } from './db';
import { SUMMARY_COLUMNS, summaryOf, type SummaryRow } from './sets';

type Summaries = Map<string, Map<string, SetSummary>>;

interface Entry {
	/** list_generation when everything was last read */
	generation: string;
	/** the last refresh's snapshot xmin (xid8 as text) */
	xmin: string;
	byId: Map<string, DocumentHeader>;
	/** in position order (then id) */
	headers: DocumentHeader[];
	/** document id → annotator → summary, both in code unit order */
	summaries: Summaries;
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
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPosition = (a: DocumentHeader, b: DocumentHeader) => a.position - b.position || byCodeUnit(a.id, b.id);

/** Headers of the dataset, all of them or those stamped since `since`, in position order. */
export async function readHeaders(sql: Sql, datasetId: string, since: string | null = null): Promise<DocumentHeader[]> {
	const rows = await sql<DocumentHeader[]>`
		SELECT id, title, sha256, position, length FROM documents
		WHERE dataset_id = ${datasetId} ${since === null ? sql`` : sql`AND change_xid >= ${since}::xid8`}
		ORDER BY position, id COLLATE "C"`;
	return rows.map((r) => ({ id: r.id, title: r.title, sha256: r.sha256, position: r.position, length: r.length }));
}

/** Summary rows of the dataset's sets (import sets aside), all of them or those stamped since `since`, in document then annotator order. */
export async function readSummaryRows(sql: Sql, datasetId: string, since: string | null = null): Promise<SummaryRow[]> {
	return sql.unsafe<SummaryRow[]>(
		`SELECT ${SUMMARY_COLUMNS} FROM annotation_sets WHERE dataset_id = $1 AND annotator NOT LIKE 'import~%'
		 ${since === null ? '' : 'AND change_xid >= $2::xid8'} ORDER BY document_id COLLATE "C", annotator COLLATE "C"`,
		since === null ? [datasetId] : [datasetId, since]
	);
}

export function summariesOf(rows: SummaryRow[]): Summaries {
	const result: Summaries = new Map();
	for (const row of rows) {
		let perDoc = result.get(row.document_id);
		if (!perDoc) result.set(row.document_id, (perDoc = new Map()));
		perDoc.set(row.annotator, summaryOf(row));
	}
	return result;
}

/** `rows` (changed since the entry's last refresh) applied to it. */
function apply(entry: Entry, headerRows: DocumentHeader[], setRows: SummaryRow[]): void {
	if (headerRows.length) {
		let appendOnly = true;
		let last = entry.headers.at(-1);
		for (const h of headerRows) {
			if (entry.byId.has(h.id) || (last && byPosition(last, h) >= 0)) appendOnly = false;
			entry.byId.set(h.id, h);
			last = h;
		}
		// new documents come after the others (an import): appended; anything else is sorted again
		entry.headers = appendOnly ? [...entry.headers, ...headerRows] : [...entry.byId.values()].sort(byPosition);
	}
	let newDocuments = false;
	for (const row of setRows) {
		const summary = summaryOf(row);
		const perDoc = entry.summaries.get(row.document_id);
		if (!perDoc) {
			newDocuments = true;
			entry.summaries.set(row.document_id, new Map([[row.annotator, summary]]));
		} else if (perDoc.has(row.annotator)) perDoc.set(row.annotator, summary);
		else {
			// a new annotator of the document: its map again in annotator order
			perDoc.set(row.annotator, summary);
			entry.summaries.set(row.document_id, new Map([...perDoc].sort(([a], [b]) => byCodeUnit(a, b))));
		}
	}
	if (newDocuments) entry.summaries = new Map([...entry.summaries].sort(([a], [b]) => byCodeUnit(a, b)));
}

export function listCache(db: Db): ListCache {
	const entries = new Map<string, Entry>();
	const refreshes = new Map<string, Refresh>();

	async function refresh(datasetId: string): Promise<Entry> {
		const prior = entries.get(datasetId);
		const read = await db.sql.begin(async (tx) => {
			await tx`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`;
			const [snapshot] = await tx<{ xmin: string; generation: string }[]>`
				SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, (SELECT value FROM list_generation)::text AS generation`;
			const since = prior && prior.generation === snapshot.generation ? prior.xmin : null;
			return { ...snapshot, since, headerRows: await readHeaders(tx, datasetId, since), setRows: await readSummaryRows(tx, datasetId, since) };
		});
		if (read.since === null) {
			const entry: Entry = {
				generation: read.generation,
				xmin: read.xmin,
				byId: new Map(read.headerRows.map((h) => [h.id, h])),
				headers: read.headerRows,
				summaries: summariesOf(read.setRows)
			};
			entries.set(datasetId, entry);
			return entry;
		}
		// forgotten meanwhile (Store.reset): the changes alone are not the dataset
		if (entries.get(datasetId) !== prior) return refresh(datasetId);
		apply(prior!, read.headerRows, read.setRows);
		prior!.xmin = read.xmin;
		return prior!;
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
			if (db.sql.inTransaction()) return summariesOf(await readSummaryRows(db.sql, datasetId));
			return (await fresh(datasetId)).summaries;
		},
		forget() {
			entries.clear();
		}
	};
}
