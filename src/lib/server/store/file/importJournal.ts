/**
 * The import commit journal on disk: `<data>/<slug>/import-commit.ndjson`, the
 * staged lines of a committed import followed by its commit record
 * (`{"commit": …}`, the last line).
 *
 * `commit` appends the record to the finished staging file (a temp name of the
 * dataset's folder, ./staging.ts), fsyncs it, renames it to the journal's name
 * and fsyncs the folder: that rename is the commit point. A crash before it
 * leaves a temp file that the next start sweeps away (nothing was written); a
 * crash after it leaves the journal, which `pending` finds again until `finish`
 * removes it (src/lib/server/import/importCommit.ts applies it, idempotently).
 * A file whose last line is no commit record was never committed: `pending` refuses it.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, readLastLine } from './durable';
import { datasetDir } from './paths';
import { FileStagingArea } from './staging';
import { splitLines } from '../../import/bytes';
import type { ImportCommitRecord, ImportCommitRepository, PendingImportCommit } from '../types';

export const COMMIT_FILE = 'import-commit.ndjson';

export const commitFileOf = (slug: string) => path.join(datasetDir(slug), COMMIT_FILE);

/** The journal's lines but its last (the commit record), streamed. */
async function* stagedLines(file: string): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	const input = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
	let held: string | null = null;
	for await (const line of splitLines(input)) {
		if (line.length === 0) continue;
		if (held !== null) yield held;
		held = decoder.decode(line);
	}
}

async function readCommitRecord(file: string): Promise<ImportCommitRecord> {
	// the record is the file's last line; a file without one was not written by `commit`
	const line = await readLastLine(file);
	let last: unknown = null;
	try {
		last = line === null ? null : JSON.parse(line);
	} catch {
		last = null;
	}
	if (!last || typeof last !== 'object' || !('commit' in last)) throw new Error(`${file} has no commit record`);
	return (last as { commit: ImportCommitRecord }).commit;
}

function pendingOf(file: string, record: ImportCommitRecord): PendingImportCommit {
	return { record, lines: () => stagedLines(file) };
}

async function exists(file: string): Promise<boolean> {
	try {
		await fsp.stat(file);
		return true;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw e;
	}
}

export const fileImportJournal: ImportCommitRepository = {
	async commit(slug, area, record) {
		if (!(area instanceof FileStagingArea)) throw new Error('import commit: not a staging area of the file store');
		await area.finish();
		const target = commitFileOf(slug);
		const handle = await fsp.open(area.id, 'a');
		try {
			await handle.appendFile(JSON.stringify({ commit: record }) + '\n');
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fsp.rename(area.id, target);
		await fsyncDir(path.dirname(target));
		return pendingOf(target, record);
	},
	async pending(slug) {
		const file = commitFileOf(slug);
		if (!(await exists(file))) return null;
		return pendingOf(file, await readCommitRecord(file));
	},
	async finish(slug) {
		const file = commitFileOf(slug);
		await fsp.rm(file, { force: true });
		await fsyncDir(path.dirname(file));
	}
};
