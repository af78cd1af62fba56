/**
 * A dataset's persistent index: every document's header and meta, and every
 * set's summary (people's work and gold), kept in memory once the dataset is
 * open and on disk so that opening it after a restart reads two files instead
 * of every document and set:
 *
 *   <data>/<slug>/index/snapshot.ndjson   the whole index as of change `through`, written atomically
 *   <data>/<slug>/index/log.ndjson        the changes after it, one line each, appended
 *
 * The rule that makes it crash-safe: **a change's line is in the log, fsynced,
 * before any file it describes changes** (a save appends its set's summary here,
 * then its revision log, then its state file, and is acknowledged after all three;
 * an import logs each batch's headers before it writes the batch's files). Lines
 * that fsync together share one fsync (group commit). So after a `kill -9` or a
 * power loss the log names every set and document that may have changed, and the
 * only doubt is whether the files followed the line. Each line carries `s`, the
 * last change of this process whose files are known to be written (every change
 * up to `s` is settled; a line `{"s":…}` alone says so when nothing is in flight);
 * at open, the changes of the lines after the last `s` — the few that were in
 * flight — are checked against their files, and the files win.
 *
 * Opening: the snapshot is read line by line (a line holds a thousand documents
 * as columns, snapshotRows.ts; yielding to the event loop between lines), the
 * log's lines after `through` applied, the doubtful ones checked. A snapshot of
 * an earlier layout (arrays a line, or a document a line) is read too, and written again. The index is
 * rebuilt from the files when the snapshot or the log is missing, unreadable, or
 * of another format (`indexFormat()`: a version and the fields of a header and of
 * a summary, so a new summary field forces a rebuild). A documents folder changed
 * behind the store's back (its stamp, one stat, differs from the one recorded
 * after our own writes) is listed again for the documents it gained or lost.
 * A set file edited by hand is noticed when the set is next read (annotations.ts
 * `noticeSet`) and the index corrected. When the log has grown past COMPACT_AFTER
 * changes, a new snapshot is written from memory (temp file, fsync, rename, fsync of
 * the folder) and the log restarted with the lines after it.
 *
 * One writer per data folder (dataLock.ts), so one process appends to a log.
 */
import fs from 'node:fs';
import { isAscii } from 'node:buffer';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileLines, fsyncDir, makeDirs, readJsonSync, tempPathFor } from './durable';
import { datasetDir, documentsDir } from './paths';
import { summarise, summariesFromFiles, summaryFromFiles } from './annotations';
import { LINE_LAYOUTS, readSnapshotLine, ROWS_PER_LINE, SnapshotLine, SNAPSHOT_LAYOUT } from './snapshotRows';
import type { DocumentHeader, StoredDocument } from '../../../model/dataset';
import type { SetSummary } from '../../../model/work';
import type { AnnotationSet } from '../../../model/types';

/** Bump when the files' layout changes (the code fingerprint in indexFormat covers the shapes). */
const INDEX_VERSION = 1;
/** Changes in the log after which a new snapshot is written. */
const COMPACT_AFTER = 20_000;
/** Lines of a snapshot of layout 1 (a document each) read between two turns of the event loop. */
const LINES_PER_TURN = 2_000;

export type DocumentMeta = Record<string, unknown>;

/** One change, as a log line holds it. */
export type IndexChange =
	| { doc: [DocumentHeader, DocumentMeta] }
	| { dropDoc: string }
	| { set: [string, SetSummary] }
	| { dropSet: [string, string] }
	| { docsStamp: string };

export interface Ticket {
	readonly seq: number;
	/** resolves once the line is on disk (fsync) */
	readonly durable: Promise<void>;
}

export function headerOf(doc: StoredDocument): DocumentHeader {
	return { id: doc.id, title: doc.title, sha256: doc.sha256, position: doc.position, length: doc.text.length };
}

/** A set with every optional part, so that its summary has every field a summary can have. */
const PROBE_SET = {
	annotator: 'probe',
	revision: 1,
	status: 'done',
	spans: [{ id: 's1', start: 0, end: 1, label: 'probe', text: 'p' }],
	updated_at: '2026-01-01T00:00:00.000Z',
	updated_by: 'probe',
	active_seconds: 1,
	rejected: [],
	rejectedRelations: [],
	flag: { reason: 'not_news', note: 'probe', at: '2026-01-01T00:00:00.000Z', by: 'probe' },
	comments: [],
	relations: [],
	dismissed: []
} as unknown as AnnotationSet;
const PROBE_DOC = { id: 'p', title: 'p', text: 'p', meta: {}, sha256: 'p', created_at: '2026-01-01T00:00:00.000Z', position: 0 } as StoredDocument;

/** A header and a summary with every field they can have (indexFormat; the snapshot's round-trip test). */
export function indexProbes(): { header: DocumentHeader; summary: SetSummary } {
	return { header: headerOf(PROBE_DOC), summary: summarise(PROBE_SET) };
}

let formatCache: string | null = null;
/**
 * The index's format: its version and the fields of what it stores (a header's,
 * a summary's), so a new field of SetSummary rebuilds the indexes written
 * without it. (Not the functions' source text: the server's build, tsx and
 * vitest each print it differently.)
 */
export function indexFormat(): string {
	formatCache ??= createHash('sha256')
		.update(`${INDEX_VERSION}\n${Object.keys(indexProbes().header).join(',')}\n${Object.keys(indexProbes().summary).join(',')}`)
		.digest('hex')
		.slice(0, 16);
	return formatCache;
}

export const indexDir = (slug: string) => path.join(datasetDir(slug), 'index');
export const snapshotFile = (slug: string) => path.join(indexDir(slug), 'snapshot.ndjson');
export const logFile = (slug: string) => path.join(indexDir(slug), 'log.ndjson');

/** Changes when a file is replaced or a folder gains or loses entries. */
export async function stampOf(file: string): Promise<string> {
	try {
		const s = await fsp.stat(file, { bigint: true });
		return `${s.ino}:${s.mtimeNs}`;
	} catch {
		return 'missing';
	}
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * fdatasync of the file at `file` through a descriptor of its own (dirty pages are
 * the file's, not a descriptor's, so this flushes what any descriptor wrote).
 */
async function fsyncFile(file: string): Promise<void> {
	const handle = await fsp.open(file, 'r');
	try {
		await handle.datasync();
	} finally {
		await handle.close();
	}
}

export class DatasetIndex {
	readonly docs = new Map<string, DocumentHeader>();
	readonly metas = new Map<string, DocumentMeta>();
	readonly bySha = new Map<string, string>();
	/** doc id → annotator → summary */
	readonly sets = new Map<string, Map<string, SetSummary>>();
	nextPosition = 0;
	/** the documents folder's stamp when the index last matched it */
	docsStamp = 'missing';
	/** addDocuments calls of this process in progress (their writes go into the index as they land) */
	writers = 0;
	private orderedCache: DocumentHeader[] | null = null;

	// the log: its path once adopted. No descriptor is kept open between writes, so the
	// data folder holds no open file for writing while idle (a read-only remount, an
	// unmount, a backup tool's freeze need none)
	private log: string | null = null;
	private logBytes = 0;
	private seq = 0;
	/** the snapshot's last change */
	private through = 0;
	/** changes written whose files are not known to be written yet */
	private readonly inFlight = new Set<number>();
	private running: Promise<void> | null = null;
	private queued: Promise<void> | null = null;
	private compacting: Promise<void> | null = null;
	private closed = false;
	/** how the index was opened, for tests and the bench */
	opened: 'snapshot' | 'rebuilt' | 'memory' = 'memory';
	/** at open: the changes in doubt checked against their files, and the corrections that made */
	openChecks = { doubtful: 0, fixes: 0, documentsFolderChanged: false };
	/** why the index was rebuilt from the files (a missing file, another format…) */
	rebuiltBecause: string | null = null;

	constructor(readonly slug: string) {}

	get ordered(): DocumentHeader[] {
		this.orderedCache ??= [...this.docs.values()].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
		return this.orderedCache;
	}

	apply(change: IndexChange): void {
		if ('doc' in change) {
			const [header, meta] = change.doc;
			const before = this.docs.get(header.id);
			if (before && this.bySha.get(before.sha256) === header.id) this.bySha.delete(before.sha256);
			this.docs.set(header.id, header);
			this.metas.set(header.id, meta);
			this.bySha.set(header.sha256, header.id);
			this.nextPosition = Math.max(this.nextPosition, header.position + 1);
			this.orderedCache = null;
		} else if ('dropDoc' in change) {
			const before = this.docs.get(change.dropDoc);
			if (!before) return;
			if (this.bySha.get(before.sha256) === before.id) this.bySha.delete(before.sha256);
			this.docs.delete(before.id);
			this.metas.delete(before.id);
			this.orderedCache = null;
			if (before.position + 1 === this.nextPosition) {
				this.nextPosition = 0;
				for (const h of this.docs.values()) this.nextPosition = Math.max(this.nextPosition, h.position + 1);
			}
		} else if ('set' in change) {
			const [docId, summary] = change.set;
			let perDoc = this.sets.get(docId);
			if (!perDoc) this.sets.set(docId, (perDoc = new Map()));
			perDoc.set(summary.annotator, summary);
		} else if ('dropSet' in change) {
			const [docId, annotator] = change.dropSet;
			const perDoc = this.sets.get(docId);
			perDoc?.delete(annotator);
			if (perDoc?.size === 0) this.sets.delete(docId);
		} else if ('docsStamp' in change) {
			this.docsStamp = change.docsStamp;
		}
	}

	/** A snapshot's row, straight into the maps (`apply` for each would allocate a change per summary: 400,000 at 100,000 documents). */
	loadRow(docId: string, header: DocumentHeader | undefined, meta: DocumentMeta | undefined, summaries: SetSummary[]): void {
		if (header) {
			this.docs.set(docId, header);
			this.metas.set(docId, meta ?? {});
			this.bySha.set(header.sha256, docId);
			if (header.position >= this.nextPosition) this.nextPosition = header.position + 1;
			this.orderedCache = null;
		}
		if (summaries.length === 0) return;
		let perDoc = this.sets.get(docId);
		if (!perDoc) this.sets.set(docId, (perDoc = new Map()));
		for (const summary of summaries) perDoc.set(summary.annotator, summary);
	}

	/** every change up to this one is settled (its files written, or found out at open) */
	private mark(): number {
		let low = this.seq;
		for (const q of this.inFlight) if (q - 1 < low) low = q - 1;
		return low;
	}

	/**
	 * Appends `changes` as one line (written at once, fsynced with `durable`),
	 * before the files they describe are touched. Memory follows at `settle`.
	 * @throws what the write throws (a full disk: the line is cut back off, nothing changed)
	 */
	async intend(changes: IndexChange[]): Promise<Ticket> {
		await this.ensureLog();
		const seq = this.seq + 1;
		this.writeLine(JSON.stringify({ q: seq, s: this.mark(), c: changes }));
		this.seq = seq;
		this.inFlight.add(seq);
		return { seq, durable: this.sync() };
	}

	/** The files of `ticket` are written: its changes become what the index says. */
	settle(ticket: Ticket, changes: IndexChange[]): void {
		for (const change of changes) this.apply(change);
		this.inFlight.delete(ticket.seq);
		this.noteSettled();
		if (this.mark() - this.through > COMPACT_AFTER) void this.compact();
	}

	/**
	 * Nothing in flight: a line saying so (`{"s":…}`), not fsynced. The changes it
	 * covers and their files are on disk already, so whatever a crash keeps of it is
	 * true; without it, the open after a restart would check the last changes'
	 * files, which it does when the line is lost.
	 */
	private noteSettled(): void {
		if (this.inFlight.size > 0 || this.log === null) return;
		try {
			this.writeLine(JSON.stringify({ s: this.seq }));
		} catch {
			/* a full disk: the open checks a few more files */
		}
	}

	/**
	 * The files of `ticket` were not written as it said (a write failed): `actual`
	 * (what the files say now) is logged after it and becomes what the index says.
	 * Until that line is durable the ticket stays in doubt, so a crash before it
	 * has the ticket's changes checked against the files at the next open.
	 */
	async abandon(ticket: Ticket, actual: () => Promise<IndexChange[]>): Promise<void> {
		try {
			const changes = await actual();
			const fix = await this.intend(changes);
			await fix.durable;
			this.inFlight.delete(ticket.seq);
			this.settle(fix, changes);
		} catch (e) {
			// the next open checks it against the files
			console.error(`spanlab: index of ${this.slug}: change ${ticket.seq} stays in doubt (${(e as Error).message})`);
		}
	}

	/** A correction of what the files say now (a set found edited by hand): memory at once, the line in the background. */
	correct(changes: IndexChange[]): void {
		for (const change of changes) this.apply(change);
		this.intend(changes).then(
			(t) =>
				t.durable.then(() => {
					this.inFlight.delete(t.seq);
					this.noteSettled();
				}),
			() => {} // not logged: noticed again at the next read
		);
	}

	private writeLine(line: string): void {
		const bytes = Buffer.from(line + '\n');
		const fd = fs.openSync(this.log!, 'a');
		try {
			let done = 0;
			while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
		} catch (e) {
			// a full disk: no torn line is left (shrinking needs no space); if even that fails, readers skip it
			try {
				fs.ftruncateSync(fd, this.logBytes);
			} catch {
				/* the torn line is skipped by readers */
			}
			throw e;
		} finally {
			fs.closeSync(fd);
		}
		this.logBytes += bytes.length;
	}

	/** One fsync for every line written before it began (lines written while one runs wait for the next). */
	private sync(): Promise<void> {
		if (this.queued) return this.queued;
		const start = (): Promise<void> => {
			this.queued = null;
			const run = fsyncFile(this.log!).finally(() => {
				if (this.running === run) this.running = null;
			});
			this.running = run;
			return run;
		};
		if (!this.running) return start();
		const queued = this.running.then(start, start);
		this.queued = queued;
		return queued;
	}

	/** An index kept in memory only (its snapshot could not be written: a full disk) writes one before its first line. */
	private async ensureLog(): Promise<void> {
		if (this.closed) throw new Error(`index of ${this.slug} was closed`);
		if (this.log !== null) return;
		await this.compact();
		if (this.log === null) throw this.lastFailure ?? new Error(`index of ${this.slug} has no log`);
	}

	private lastFailure: Error | null = null;

	/** Writes a snapshot of memory as of the settled changes, then restarts the log after it; one at a time. */
	compact(): Promise<void> {
		this.compacting ??= this.writeSnapshot()
			.then(
				() => {
					this.lastFailure = null;
				},
				(e: Error) => {
					this.lastFailure = e;
					console.error(`spanlab: index of ${this.slug}: snapshot not written (${e.message}); the log keeps growing`);
				}
			)
			.finally(() => (this.compacting = null));
		return this.compacting;
	}

	private async writeSnapshot(): Promise<void> {
		const dir = indexDir(this.slug);
		await makeDirs(dir);
		// memory as of `through`: every change up to it settled; later settled ones are in memory too,
		// and their lines stay in the log after the snapshot (applying a line again changes nothing)
		const through = this.mark();
		const docs = this.ordered;
		const sets = new Map<string, SetSummary[]>();
		for (const [docId, perDoc] of this.sets) sets.set(docId, [...perDoc.values()]);
		const metas = this.metas;
		const target = snapshotFile(this.slug);
		const temp = tempPathFor(target);
		const handle = await fsp.open(temp, 'wx');
		try {
			try {
				await handle.write(JSON.stringify({ snapshot: SNAPSHOT_LAYOUT, format: indexFormat(), through, docsStamp: this.docsStamp, documents: docs.length }) + '\n');
				const line = new SnapshotLine();
				const flush = async () => {
					await handle.write(line.take() + '\n');
					await nextTurn();
				};
				for (const header of docs) {
					line.addDocument(header, metas.get(header.id) ?? {}, sets.get(header.id) ?? []);
					sets.delete(header.id);
					if (line.rows === ROWS_PER_LINE) await flush();
				}
				if (line.rows > 0) await flush();
				// sets of documents the index does not list (a folder left by hand): kept, as the files are
				for (const [docId, summaries] of sets) {
					line.addOrphan(docId, summaries);
					if (line.rows === ROWS_PER_LINE) await flush();
				}
				if (line.rows > 0) await flush();
				await handle.write(JSON.stringify({ end: docs.length }) + '\n');
				await handle.sync();
			} finally {
				await handle.close();
			}
			await fsp.rename(temp, target);
		} catch (e) {
			await fsp.rm(temp, { force: true }).catch(() => {});
			throw e;
		}
		await fsyncDir(dir);
		this.restartLog(through);
	}

	/**
	 * The log after a new snapshot: its header and the lines after `through`,
	 * written to a temp file and renamed into place, synchronously, so no line is
	 * appended meanwhile (a line written to the old log before is copied over).
	 */
	private restartLog(through: number): void {
		const target = logFile(this.slug);
		const kept: string[] = [];
		if (this.log !== null) {
			for (const line of readLines(fs.readFileSync(target))) {
				const q = seqOf(line);
				if (q !== null && q > through) kept.push(line);
			}
		}
		const text = [JSON.stringify({ log: INDEX_VERSION, format: indexFormat(), after: through }), ...kept].join('\n') + '\n';
		const temp = tempPathFor(target);
		const fd = fs.openSync(temp, 'wx');
		try {
			fs.writeSync(fd, text);
			fs.fsyncSync(fd);
		} catch (e) {
			fs.closeSync(fd);
			fs.rmSync(temp, { force: true });
			throw e;
		}
		fs.closeSync(fd);
		fs.renameSync(temp, target);
		const dirFd = fs.openSync(path.dirname(target), 'r');
		try {
			fs.fsyncSync(dirFd);
		} finally {
			fs.closeSync(dirFd);
		}
		this.adopt(target, Buffer.byteLength(text));
		this.through = through;
	}

	/** Appends go to `file` from now on (an fsync of the old file under way goes on: its lines were copied and fsynced). */
	private adopt(file: string | null, size: number): void {
		this.log = file;
		this.logBytes = size;
	}

	/**
	 * Starts appending to an existing log (at open) of `complete` bytes of whole
	 * lines: a torn last line (a crash mid-write, never acted on) is cut off, so
	 * the next line does not run on from it.
	 */
	adoptLog(seq: number, through: number, complete: number): void {
		const target = logFile(this.slug);
		const fd = fs.openSync(target, 'r+');
		try {
			if (fs.fstatSync(fd).size > complete) {
				fs.ftruncateSync(fd, complete);
				fs.fsyncSync(fd);
			}
		} finally {
			fs.closeSync(fd);
		}
		this.adopt(target, complete);
		this.seq = seq;
		this.through = through;
	}

	/** A rebuilt index numbers its changes after those of the log it replaces. */
	startAfter(seq: number): void {
		this.seq = seq;
	}

	close(): void {
		this.closed = true;
		this.adopt(null, 0);
	}
}

function* readLines(buf: Buffer, encoding: BufferEncoding = 'utf8'): Generator<string> {
	for (let start = 0; start < buf.length; ) {
		const end = buf.indexOf(0x0a, start);
		if (end < 0) return; // a torn last line (kill -9 mid-write): never acted on
		if (end > start) yield buf.toString(encoding, start, end);
		start = end + 1;
	}
}

const SEQ_HEAD = /^\{"q":(\d+),/;
function seqOf(line: string): number | null {
	const m = SEQ_HEAD.exec(line);
	return m ? Number(m[1]) : null;
}

// ---- opening

const open = new Map<string, Promise<DatasetIndex>>();

/** The dataset's index, opened (from disk, or rebuilt from the files) on first use. */
export function openIndex(slug: string): Promise<DatasetIndex> {
	const key = datasetDir(slug);
	let entry = open.get(key);
	if (!entry) {
		entry = load(slug);
		open.set(key, entry);
		entry.catch(() => {
			if (open.get(key) === entry) open.delete(key);
		});
	}
	return entry;
}

/** The index if it is open already (no waiting, no opening). */
export function openedIndex(slug: string): DatasetIndex | null {
	return loaded.get(datasetDir(slug)) ?? null;
}
const loaded = new Map<string, DatasetIndex>();

/** Forgets every open index (tests, the data-root switch); their logs are closed. */
export function resetIndexes(): void {
	for (const index of loaded.values()) index.close();
	loaded.clear();
	open.clear();
}

class Unusable extends Error {}

async function load(slug: string): Promise<DatasetIndex> {
	const key = datasetDir(slug);
	let index: DatasetIndex;
	let oldSeq = 0;
	try {
		index = await fromDisk(slug, (seq) => (oldSeq = Math.max(oldSeq, seq)));
	} catch (e) {
		if (!(e instanceof Unusable) && (e as NodeJS.ErrnoException).code !== 'ENOENT') {
			console.error(`spanlab: index of ${slug} unreadable, rebuilt from the files (${(e as Error).message})`);
		}
		index = await rebuild(slug, oldSeq);
		index.rebuiltBecause = (e as Error).message;
	}
	loaded.set(key, index);
	return index;
}

async function fromDisk(slug: string, sawSeq: (seq: number) => void): Promise<DatasetIndex> {
	const index = new DatasetIndex(slug);
	// the log first: a rebuild after a refused snapshot still numbers its changes after the log's
	const log = fs.readFileSync(logFile(slug));
	const logLines = [...readLines(log)];
	for (const line of logLines) {
		const q = seqOf(line);
		if (q !== null) sawSeq(q);
	}
	const head = logLines.length ? parse(logLines[0]) : null;
	if (!head || head.log !== INDEX_VERSION || head.format !== indexFormat()) throw new Unusable('log of another format');

	const { through, documents, ended, layout } = await readSnapshot(slug, index);
	if (!ended || index.docs.size !== documents) throw new Unusable('snapshot cut short');
	if ((head.after as number) > through) throw new Unusable('the log starts after the snapshot');

	// the log's changes after the snapshot; those after the last settled mark are checked against the files
	let seq = through;
	let settled = through;
	const lines: Array<{ q: number; c: IndexChange[] }> = [];
	for (const line of logLines.slice(1)) {
		const row = parse(line);
		if (row && typeof row.s === 'number') settled = Math.max(settled, row.s);
		if (!row || typeof row.q !== 'number' || !Array.isArray(row.c)) continue; // a mark, or torn by a crash (never acted on)
		seq = Math.max(seq, row.q);
		if (row.q > through) lines.push({ q: row.q, c: row.c as IndexChange[] });
	}
	for (const line of lines) for (const change of line.c) index.apply(change);
	const doubtful = lines.filter((l) => l.q > settled).flatMap((l) => l.c);
	const fixes = await checkAgainstFiles(slug, index, doubtful);
	index.adoptLog(seq, through, log.lastIndexOf(0x0a) + 1);
	index.opened = 'snapshot';
	index.openChecks.doubtful = doubtful.length;

	// the documents folder changed behind the store's back: what it holds now
	if ((await stampOf(documentsDir(slug))) !== index.docsStamp) {
		index.openChecks.documentsFolderChanged = true;
		fixes.push(...(await documentsChanged(slug, index)));
	}
	index.openChecks.fixes = fixes.length;
	if (fixes.length) {
		const t = await index.intend(fixes);
		await t.durable;
		index.settle(t, fixes);
	}
	// a snapshot of the earlier layout opens, and is written again in this one (the next open reads it faster)
	if (layout !== SNAPSHOT_LAYOUT) await index.compact();
	return index;
}

/**
 * The snapshot into `index`: its header's `through` and document count, and
 * whether it ended as written (its last line). Any layout: rows in lines of
 * many (snapshotRows.ts: layouts 2 and 3), or one document a line (layout 1, as written before).
 */
async function readSnapshot(slug: string, index: DatasetIndex): Promise<{ through: number; documents: number; ended: boolean; layout: number }> {
	const lines = fileLines(snapshotFile(slug));
	try {
		const first = lines.next();
		const head = first.done ? null : parse(first.value.toString('utf8'));
		if (!head || head.format !== indexFormat() || typeof head.through !== 'number') throw new Unusable('snapshot of another format');
		index.docsStamp = String(head.docsStamp);
		const read = { through: head.through, documents: head.documents as number, ended: false, layout: head.snapshot as number };
		const load = index.loadRow.bind(index);
		if (LINE_LAYOUTS.includes(head.snapshot as number)) {
			for (const bytes of lines) {
				// written as ASCII: latin1 is the same text, copied instead of decoded
				if (!isAscii(bytes)) throw new Unusable('snapshot not ASCII');
				const row = parse(bytes.toString('latin1'));
				if (!row) throw new Unusable('snapshot line unreadable');
				if ('end' in row) read.ended = row.end === read.documents;
				else readSnapshotLine(row, load);
				await nextTurn();
			}
		} else if (head.snapshot === 1) {
			// a JSON object a line: {"d":header,"m":meta,"s":[summary,…]}, or {"o":docId,"s":[…]} for sets of an unlisted document
			let n = 0;
			for (const bytes of lines) {
				const row = parse(bytes.toString('utf8'));
				if (!row) throw new Unusable('snapshot line unreadable');
				if ('end' in row) {
					read.ended = row.end === read.documents;
				} else {
					const header = row.d as DocumentHeader | undefined;
					load(header?.id ?? (row.o as string), header, row.m as DocumentMeta | undefined, row.s as SetSummary[]);
				}
				if (++n % LINES_PER_TURN === 0) await nextTurn();
			}
		} else {
			throw new Unusable('snapshot of another layout');
		}
		return read;
	} finally {
		lines.return(undefined); // the file closed, however the reading ended
	}
}

function parse(line: string): Record<string, unknown> | null {
	try {
		const v = JSON.parse(line);
		return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
	} catch {
		return null;
	}
}

/** The changes in doubt, checked against their files: what to log and apply so the index says what the files say. */
async function checkAgainstFiles(slug: string, index: DatasetIndex, doubtful: IndexChange[]): Promise<IndexChange[]> {
	const fixes: IndexChange[] = [];
	const docs = new Set<string>();
	const sets = new Map<string, [string, string]>();
	for (const change of doubtful) {
		if ('doc' in change) docs.add(change.doc[0].id);
		else if ('dropDoc' in change) docs.add(change.dropDoc);
		else if ('set' in change) sets.set(`${change.set[0]}/${change.set[1].annotator}`, [change.set[0], change.set[1].annotator]);
		else if ('dropSet' in change) sets.set(change.dropSet.join('/'), change.dropSet);
	}
	for (const id of docs) {
		const found = documentFromFile(slug, id);
		fixes.push(found ? { doc: found } : { dropDoc: id });
	}
	for (const [docId, annotator] of sets.values()) {
		const summary = await summaryFromFiles(slug, docId, annotator);
		fixes.push(summary ? { set: [docId, summary] } : { dropSet: [docId, annotator] });
	}
	for (const fix of fixes) index.apply(fix);
	return fixes;
}

function documentFromFile(slug: string, id: string): [DocumentHeader, DocumentMeta] | null {
	try {
		const doc = readJsonSync<StoredDocument>(path.join(documentsDir(slug), `${id}.json`));
		return doc.id === id ? [headerOf(doc), doc.meta ?? {}] : null;
	} catch {
		return null;
	}
}

/**
 * The documents folder changed behind the store's back (a file put there or
 * taken out by hand): the index follows what it lists. Only the names are
 * compared; a file of a listed document changed in place is not looked at.
 */
export async function documentsChanged(slug: string, index: DatasetIndex): Promise<IndexChange[]> {
	const dir = documentsDir(slug);
	const stamp = await stampOf(dir);
	let files: string[] = [];
	try {
		files = await fsp.readdir(dir);
	} catch {
		/* no folder: no documents */
	}
	const present = new Set<string>();
	const changes: IndexChange[] = [];
	let n = 0;
	for (const file of files) {
		if (!file.endsWith('.json') || file.startsWith('.')) continue;
		const id = file.slice(0, -'.json'.length);
		present.add(id);
		if (index.docs.has(id)) continue;
		const found = documentFromFile(slug, id);
		if (found) changes.push({ doc: found });
		if (++n % 32 === 0) await nextTurn();
	}
	for (const id of index.docs.keys()) if (!present.has(id)) changes.push({ dropDoc: id });
	changes.push({ docsStamp: stamp });
	for (const change of changes) index.apply(change);
	return changes;
}

/** Documents read between two turns of the event loop while an index is rebuilt. */
const REBUILD_BATCH = 32;

/**
 * Every document and set file read once (synchronously, a few at a time,
 * yielding between batches: through the thread pool each small file costs four
 * round trips that take more CPU than the read), then written as a new snapshot.
 */
async function rebuild(slug: string, afterSeq: number): Promise<DatasetIndex> {
	const index = new DatasetIndex(slug);
	const dir = documentsDir(slug);
	index.docsStamp = await stampOf(dir);
	let files: string[] = [];
	try {
		files = await fsp.readdir(dir);
	} catch {
		/* none yet */
	}
	let inBatch = 0;
	for (const file of files) {
		if (!file.endsWith('.json') || file.startsWith('.')) continue;
		if (++inBatch > REBUILD_BATCH) {
			inBatch = 1;
			await nextTurn();
		}
		const doc = readJsonSync<StoredDocument>(`${dir}/${file}`);
		index.apply({ doc: [headerOf(doc), doc.meta ?? {}] });
	}
	for await (const [docId, summary] of summariesFromFiles(slug)) index.apply({ set: [docId, summary] });
	index.opened = 'rebuilt';
	// kept in memory only where there is nothing to keep it in (no such dataset: no folder is made for it)
	if (!(await fsp.stat(datasetDir(slug)).then(() => true, () => false))) return index;
	try {
		index.startAfter(afterSeq);
		await index.compact();
	} catch (e) {
		console.error(`spanlab: index of ${slug} not written (${(e as Error).message}); it is kept in memory`);
	}
	return index;
}
