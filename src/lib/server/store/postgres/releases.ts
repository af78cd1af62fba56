/**
 * Releases on PostgreSQL: the manifest in `releases`, the JSONL one row per line.
 * A cut writes its lines to `release_lines` as they come, under its own id (a
 * `release_cuts` row: memory flat in the release's size); `publish` is one row,
 * the release, naming that cut (migration 0008: until then the lines were copied
 * into `release_records` at publish, 2 GB at 100,000 documents written twice;
 * releases published so keep them there). A release appears whole or not at all:
 * every read of its lines starts from its `releases` row, inserted last. A cut no
 * release names is unfinished: discarded by its process, or deleted by a start a
 * day later when that process died (`init`); `recover` has nothing to do.
 *
 * A draft sends its lines as they come, about 2 MB a statement: the bytes as they
 * are, one text value that the server splits into rows at "\n" (nothing decoded,
 * escaped or parsed here but each line's doc id, read at its head), one statement
 * in flight while the caller builds the next lines.
 *
 * The bytes read back are the bytes written: every line with its "\n". A draft
 * whose bytes are not complete lines, or whose sha256 is not the manifest's, is
 * refused at publish.
 */
import { isUtf8 } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../http/errors';
import { versionName, type ReleaseManifest, type ReleaseRecord } from '../../../release/record';
import type { ReleaseDraft, ReleaseRepository } from '../types';
import { LOCK, json, withAdvisoryLock, type Db, type Sql } from './db';

/** lines read per query */
const LINES_BATCH = 500;
/** the draft sends its complete lines once this many bytes are waiting (one statement each, one in flight while the next fills) */
const DRAFT_FLUSH_BYTES = 2 << 20;

const encoder = new TextEncoder();

/** Where a release's lines are: its cut's (since migration 0008), or release_records (published before). */
type LinesOf = { cut: string } | { datasetId: string; version: number };

/** The lines in order, a batch at a time (keyset paging: memory flat). */
async function* linesOf(sql: Sql, of: LinesOf): AsyncGenerator<string> {
	let after = 0;
	for (;;) {
		const rows = await sql<Array<{ line: number; record: string }>>`${
			'cut' in of
				? sql`SELECT line, record FROM release_lines WHERE cut_id = ${of.cut} AND line > ${after}`
				: sql`SELECT line, record FROM release_records WHERE dataset_id = ${of.datasetId} AND version = ${of.version} AND line > ${after}`
		} ORDER BY line LIMIT ${LINES_BATCH}`;
		for (const row of rows) yield row.record;
		if (rows.length < LINES_BATCH) return;
		after = rows[rows.length - 1].line;
	}
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const DATASET_KEY = Buffer.from('{"dataset":"');
const VERSION_KEY = Buffer.from(',"version":');
const DOC_ID_KEY = Buffer.from(',"doc_id":"');

/** The index of the quote closing the JSON string whose opening quote is at `open`, or -1 before `end`. */
function stringEnd(buf: Buffer, open: number, end: number): number {
	for (let i = open + 1; i < end; i++) {
		const c = buf[i];
		if (c === BACKSLASH) i++;
		else if (c === QUOTE) return i;
	}
	return -1;
}

const startsAt = (buf: Buffer, key: Buffer, at: number, end: number) => at + key.length <= end && buf.compare(key, 0, key.length, at, at + key.length) === 0;

/**
 * The `doc_id` of the JSONL line buf[start, end). A line as serializeRecord writes it
 * (`{"dataset":"…","version":N,"doc_id":"…",…`) is read at its head, without parsing the
 * rest (a record is kilobytes, its text included); any other line is parsed whole.
 */
export function lineDocId(buf: Buffer, start: number, end: number): string {
	if (startsAt(buf, DATASET_KEY, start, end)) {
		const datasetEnd = stringEnd(buf, start + DATASET_KEY.length - 1, end);
		if (datasetEnd >= 0 && startsAt(buf, VERSION_KEY, datasetEnd + 1, end)) {
			let i = datasetEnd + 1 + VERSION_KEY.length;
			while (i < end && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
			if (startsAt(buf, DOC_ID_KEY, i, end)) {
				const open = i + DOC_ID_KEY.length - 1;
				const close = stringEnd(buf, open, end);
				if (close >= 0) return JSON.parse(buf.toString('utf8', open, close + 1)) as string;
			}
		}
	}
	return String((JSON.parse(buf.toString('utf8', start, end)) as ReleaseRecord).doc_id ?? '');
}

class PostgresDraft implements ReleaseDraft {
	readonly id = randomUUID();
	private created = false;
	private finished = false;
	private published = false;
	/** bytes written and not sent yet (the last of them may be part of a line) */
	private waiting: Buffer[] = [];
	private waitingBytes = 0;
	/** the statement sending the previous lines, not awaited yet */
	private sending: Promise<void> | null = null;
	private count = 0;
	private bytes = 0;
	private readonly hash = createHash('sha256');

	constructor(
		private readonly sql: Sql,
		readonly datasetId: string,
		readonly version: number
	) {}

	/**
	 * Sends the complete lines waiting, as one text value split into rows by the server
	 * (no array literal to escape, no decoding here: the bytes go as they are, and the
	 * server checks they are UTF-8), their doc ids beside them. The statement runs while
	 * the caller builds the next lines; its error comes out of the next write or finish.
	 */
	private async flush(all: boolean): Promise<void> {
		if (!this.created) {
			await this.sql`INSERT INTO release_cuts (id, dataset_id) VALUES (${this.id}, ${this.datasetId})`;
			this.created = true;
		}
		if (!this.waitingBytes) return;
		const buf = this.waiting.length === 1 ? this.waiting[0] : Buffer.concat(this.waiting, this.waitingBytes);
		const cut = buf.lastIndexOf(NEWLINE) + 1;
		if (all && cut !== buf.length) throw new Error('release draft: the last line has no newline');
		if (cut === 0) {
			this.waiting = [buf];
			return;
		}
		const lines = buf.subarray(0, cut);
		const rest = buf.subarray(cut);
		this.waiting = rest.length ? [Buffer.from(rest)] : [];
		this.waitingBytes = rest.length;
		if (!isUtf8(lines)) throw new Error(`release draft: the bytes after line ${this.count} are not UTF-8`);
		const first = this.count + 1;
		const docIds: string[] = [];
		for (let start = 0; start < cut; ) {
			const newline = lines.indexOf(NEWLINE, start);
			if (newline === start) throw new Error(`release draft: empty line after line ${this.count}`);
			try {
				docIds.push(lineDocId(lines, start, newline));
			} catch {
				throw new Error(`release draft: line ${this.count + 1} is not JSON`);
			}
			this.count++;
			start = newline + 1;
		}
		const previous = this.sending;
		this.sending = null;
		if (previous) await previous;
		const sent = this.sql`
			INSERT INTO release_lines (cut_id, line, document_id, record)
			SELECT ${this.id}, ${first - 1} + t.n, t.doc, t.rec
			FROM unnest(string_to_array(${lines.subarray(0, cut - 1)}::text, chr(10)), ${docIds}::text[]) WITH ORDINALITY AS t (rec, doc, n)`.then(() => {});
		// not awaited here; a rejection is kept for the next flush (never unhandled)
		sent.catch(() => {});
		this.sending = sent;
	}

	async write(bytes: Uint8Array): Promise<void> {
		if (this.finished) throw new Error('release draft: write after finish');
		this.hash.update(bytes);
		this.bytes += bytes.byteLength;
		// a copy: the caller may reuse its buffer
		this.waiting.push(Buffer.from(bytes));
		this.waitingBytes += bytes.byteLength;
		if (this.waitingBytes >= DRAFT_FLUSH_BYTES) await this.flush(false);
	}

	async finish(): Promise<void> {
		if (this.finished) return;
		await this.flush(true);
		const sending = this.sending;
		this.sending = null;
		if (sending) await sending;
		this.finished = true;
	}

	records(): AsyncIterable<ReleaseRecord> {
		if (!this.finished) throw new Error('release draft: records() before finish()');
		const lines = linesOf(this.sql, { cut: this.id });
		return (async function* () {
			for await (const line of lines) yield JSON.parse(line) as ReleaseRecord;
		})();
	}

	async discard(): Promise<void> {
		if (this.published || !this.created) return;
		const sending = this.sending;
		this.sending = null;
		await sending?.catch(() => {}); // its rows go with the cut
		// not one a release names (another cut of this version may have been published under this one's id: never)
		await this.sql`DELETE FROM release_cuts c WHERE id = ${this.id} AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.cut_id = c.id)`;
	}

	/** called by publish */
	summary(): { sha256: string; bytes: number; lines: number } {
		return { sha256: this.hash.copy().digest('hex'), bytes: this.bytes, lines: this.count };
	}

	markPublished(): void {
		this.published = true;
	}

	get isFinished(): boolean {
		return this.finished;
	}
}

export function postgresReleases(db: Db): ReleaseRepository {
	const { sql } = db;

	async function manifest(slug: string, version: number): Promise<ReleaseManifest> {
		const id = await db.datasetId(slug);
		const [row] = await sql<{ manifest: ReleaseManifest }[]>`SELECT manifest FROM releases WHERE dataset_id = ${id} AND version = ${version}`;
		if (!row) throw notFound(`dataset "${slug}" has no release ${versionName(version)}`);
		return row.manifest;
	}

	/** the release's lines (its row read first: a version without one is a 404, whatever lines a cut wrote) */
	async function lines(slug: string, version: number): Promise<{ bytes: string; lines: AsyncGenerator<string> }> {
		const id = await db.datasetId(slug);
		const [row] = await sql<{ bytes: string; cut_id: string | null }[]>`SELECT bytes, cut_id FROM releases WHERE dataset_id = ${id} AND version = ${version}`;
		if (!row) throw notFound(`dataset "${slug}" has no release ${versionName(version)}`);
		return { bytes: row.bytes, lines: linesOf(sql, row.cut_id ? { cut: row.cut_id } : { datasetId: id, version }) };
	}

	return {
		async list(slug) {
			const id = await db.datasetId(slug);
			return (await sql<{ manifest: ReleaseManifest }[]>`SELECT manifest FROM releases WHERE dataset_id = ${id} ORDER BY version DESC`).map(
				(r) => r.manifest
			);
		},

		async versions(slug) {
			const id = await db.datasetId(slug);
			return (await sql<{ version: number }[]>`SELECT version FROM releases WHERE dataset_id = ${id} ORDER BY version`).map((r) => r.version);
		},

		manifest,

		async records(slug, version) {
			const release = await lines(slug, version);
			return (async function* () {
				for await (const line of release.lines) yield JSON.parse(line) as ReleaseRecord;
			})();
		},

		async bytes(slug, version) {
			const { bytes, lines: iterator } = await lines(slug, version);
			const body = new ReadableStream<Uint8Array>({
				async pull(controller) {
					const next = await iterator.next();
					if (next.done) controller.close();
					else controller.enqueue(encoder.encode(next.value + '\n'));
				},
				async cancel() {
					await iterator.return(undefined);
				}
			});
			return { size: Number(bytes), body };
		},

		async draft(slug, version) {
			const id = await db.datasetId(slug);
			const [taken] = await sql`SELECT 1 FROM releases WHERE dataset_id = ${id} AND version = ${version}`;
			if (taken) throw conflict(`release ${versionName(version)} of "${slug}" already exists`);
			return new PostgresDraft(sql, id, version);
		},

		async publish(slug, draft, manifest) {
			const id = await db.datasetId(slug);
			if (!(draft instanceof PostgresDraft) || draft.datasetId !== id) throw new Error(`publish: not a draft of "${slug}" on this store`);
			if (!draft.isFinished) throw new Error('publish: the draft is not finished');
			if (draft.version !== manifest.version) throw new Error(`publish: a draft of ${versionName(draft.version)} cannot be published as ${manifest.name}`);
			const written = draft.summary();
			if (written.sha256 !== manifest.sha256) {
				throw new Error(`publish: the manifest of ${manifest.name} says sha256 ${manifest.sha256}, the draft's bytes are ${written.sha256}`);
			}
			// one row: the cut's lines are the release's from now on (finish made the cut's row, whatever it wrote)
			const rows = await sql`
				INSERT INTO releases (dataset_id, version, manifest, sha256, bytes, created_at, cut_id)
				VALUES (${id}, ${manifest.version}, ${json(manifest)}::text::json, ${manifest.sha256}, ${written.bytes}, ${manifest.created_at}, ${draft.id})
				ON CONFLICT (dataset_id, version) DO NOTHING
				RETURNING version`;
			const published = rows.length > 0;
			if (!published) throw conflict(`release ${versionName(manifest.version)} of "${slug}" already exists`);
			draft.markPublished();
		},

		async exclusive(slug, fn) {
			const id = await db.datasetId(slug);
			return withAdvisoryLock(db.locks, LOCK.releases, id, 'exclusive', fn);
		},

		async recover() {
			return [];
		},

		async recoverAll() {
			return [];
		}
	};
}
