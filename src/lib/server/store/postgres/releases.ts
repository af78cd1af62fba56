/**
 * Releases on PostgreSQL: the manifest in `releases`, the JSONL one row per line
 * in `release_records`. A draft's lines go to `release_draft_lines` as they are
 * written (memory flat in the release's size); `publish` inserts the release
 * and moves the lines in one transaction, so a release appears whole or not at
 * all, and nothing is left to recover after a crash (`recover` is a no-op; the
 * drafts of a process that died are deleted by `init`).
 *
 * The bytes read back are the bytes written: every line with its "\n". A draft
 * whose bytes are not complete lines, or whose sha256 is not the manifest's, is
 * refused at publish.
 */
import { createHash, randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../http/errors';
import { versionName, type ReleaseManifest, type ReleaseRecord } from '../../../release/record';
import type { ReleaseDraft, ReleaseRepository } from '../types';
import { LOCK, json, withAdvisoryLock, type Db, type Sql } from './db';

/** lines inserted per statement, and read per query */
const LINES_BATCH = 500;

const encoder = new TextEncoder();

/** Lines of `table` in order, a batch at a time (keyset paging: memory flat). */
async function* linesOf(sql: Sql, query: (after: number) => PromiseLike<Array<{ line: number; record: string }>>): AsyncGenerator<string> {
	let after = 0;
	for (;;) {
		const rows = await query(after);
		for (const row of rows) yield row.record;
		if (rows.length < LINES_BATCH) return;
		after = rows[rows.length - 1].line;
	}
}

class PostgresDraft implements ReleaseDraft {
	readonly id = randomUUID();
	private created = false;
	private finished = false;
	private published = false;
	private pending = '';
	private lines: string[] = [];
	private count = 0;
	private bytes = 0;
	private readonly hash = createHash('sha256');
	private readonly decoder = new TextDecoder('utf-8', { fatal: true });

	constructor(
		private readonly sql: Sql,
		readonly datasetId: string,
		readonly version: number
	) {}

	private async flush(): Promise<void> {
		if (!this.created) {
			await this.sql`INSERT INTO release_drafts (id, dataset_id) VALUES (${this.id}, ${this.datasetId})`;
			this.created = true;
		}
		if (!this.lines.length) return;
		const lines = this.lines;
		this.lines = [];
		const numbers = lines.map((_, i) => this.count - lines.length + i + 1);
		const docIds = lines.map((line) => {
			try {
				return String((JSON.parse(line) as ReleaseRecord).doc_id ?? '');
			} catch {
				throw new Error(`release draft: line ${numbers[lines.indexOf(line)]} is not JSON`);
			}
		});
		await this.sql`
			INSERT INTO release_draft_lines (draft_id, line, document_id, record)
			SELECT ${this.id}, * FROM unnest(${numbers}::int[], ${docIds}::text[], ${lines}::text[])`;
	}

	async write(bytes: Uint8Array): Promise<void> {
		if (this.finished) throw new Error('release draft: write after finish');
		this.hash.update(bytes);
		this.bytes += bytes.byteLength;
		this.pending += this.decoder.decode(bytes, { stream: true });
		let newline: number;
		while ((newline = this.pending.indexOf('\n')) >= 0) {
			const line = this.pending.slice(0, newline);
			this.pending = this.pending.slice(newline + 1);
			if (line === '') throw new Error(`release draft: empty line after line ${this.count}`);
			this.lines.push(line);
			this.count++;
		}
		if (this.lines.length >= LINES_BATCH) await this.flush();
	}

	async finish(): Promise<void> {
		if (this.finished) return;
		this.pending += this.decoder.decode();
		if (this.pending !== '') throw new Error('release draft: the last line has no newline');
		await this.flush();
		this.finished = true;
	}

	records(): AsyncIterable<ReleaseRecord> {
		if (!this.finished) throw new Error('release draft: records() before finish()');
		const sql = this.sql;
		const id = this.id;
		return (async function* () {
			for await (const line of linesOf(sql, (after) =>
				sql`SELECT line, record FROM release_draft_lines WHERE draft_id = ${id} AND line > ${after} ORDER BY line LIMIT ${LINES_BATCH}`
			)) {
				yield JSON.parse(line) as ReleaseRecord;
			}
		})();
	}

	async discard(): Promise<void> {
		if (this.published || !this.created) return;
		await this.sql`DELETE FROM release_drafts WHERE id = ${this.id}`;
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

	function lines(id: string, version: number): AsyncGenerator<string> {
		return linesOf(sql, (after) => sql`
			SELECT line, record FROM release_records WHERE dataset_id = ${id} AND version = ${version} AND line > ${after}
			ORDER BY line LIMIT ${LINES_BATCH}`);
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
			await manifest(slug, version);
			const id = await db.datasetId(slug);
			return (async function* () {
				for await (const line of lines(id, version)) yield JSON.parse(line) as ReleaseRecord;
			})();
		},

		async bytes(slug, version) {
			await manifest(slug, version);
			const id = await db.datasetId(slug);
			const [{ bytes }] = await sql<{ bytes: string }[]>`SELECT bytes FROM releases WHERE dataset_id = ${id} AND version = ${version}`;
			const iterator = lines(id, version);
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
			let published = false;
			await sql.begin(async (t) => {
				const tx = t as unknown as Sql;
				const rows = await tx`
					INSERT INTO releases (dataset_id, version, manifest, sha256, bytes, created_at)
					VALUES (${id}, ${manifest.version}, ${json(manifest)}::text::json, ${manifest.sha256}, ${written.bytes}, ${manifest.created_at})
					ON CONFLICT (dataset_id, version) DO NOTHING
					RETURNING version`;
				if (!rows.length) return;
				await tx`
					INSERT INTO release_records (dataset_id, version, line, document_id, record)
					SELECT ${id}, ${manifest.version}, line, document_id, record FROM release_draft_lines WHERE draft_id = ${draft.id}`;
				await tx`DELETE FROM release_drafts WHERE id = ${draft.id}`;
				published = true;
			});
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
