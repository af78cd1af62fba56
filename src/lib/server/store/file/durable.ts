/**
 * Durable file writes. An acknowledged save must survive `kill -9` and power
 * loss, so every write goes to a temp file, is fsynced, renamed over the
 * target, and the directory is fsynced so the rename itself is durable.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'lowdb';
import { isProcessAlive } from './processes';

export const TEMP_MARKER = '.tmp-';

/**
 * Temp names carry a tag of the process that writes them, its pid and a
 * random part (`.tmp-<pid>.<random>-<name>.<random>`), so the sweep for a
 * crashed run's leftovers (`removeTempFiles`) can go on in the background
 * while this process writes, and never takes the files of another live
 * process (a command-line tool, a server starting up) either.
 */
const PROCESS_TAG = `${process.pid}.${randomBytes(4).toString('hex')}`;
const OWN_TEMP = `${TEMP_MARKER}${PROCESS_TAG}-`;
/** `.tmp-<pid>.<hex>-`: the pid of the process that writes the file */
const TAGGED_TEMP = /^\.tmp-(\d+)\.[0-9a-f]+-/;

/** A fresh temp path next to `file` (same directory, so it can be linked or renamed into place). */
export function tempPathFor(file: string, suffix = randomBytes(4).toString('hex')): string {
	return path.join(path.dirname(file), `${OWN_TEMP}${path.basename(file)}.${suffix}`);
}

/**
 * `mkdir -p`, returning the first directory it created (as fs.mkdir does). Node's
 * recursive mkdir reports ENOENT when the file system refuses the creation
 * (read-only: EROFS), which would read as "not found": the real cause is asked
 * for by creating the first missing directory alone.
 */
export async function makeDirs(dir: string): Promise<string | undefined> {
	try {
		return await fsp.mkdir(dir, { recursive: true });
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
		let missing = dir;
		while (path.dirname(missing) !== missing && !(await fsp.stat(path.dirname(missing)).then(() => true, () => false))) {
			missing = path.dirname(missing);
		}
		await fsp.mkdir(missing); // throws the real error (EROFS, EACCES…); if it works, the original stands
		await fsp.rmdir(missing).catch(() => {});
		throw e;
	}
}

export async function fsyncDir(dir: string): Promise<void> {
	const handle = await fsp.open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * Writes `data` to a new temp file next to `file` and fsyncs it. On any failure
 * (a full disk: ENOSPC at the write, the fsync or the close) the temp file is
 * removed before the error is passed on, so a refused write leaves nothing.
 */
export async function writeTempDurable(file: string, data: string | Uint8Array, flags = 'wx'): Promise<string> {
	const temp = tempPathFor(file);
	const handle = await fsp.open(temp, flags);
	try {
		try {
			await handle.writeFile(data);
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch (e) {
		await removeQuietly(temp);
		throw e;
	}
	return temp;
}

/** rm -f that never hides the error being handled (it is cleanup on a failure path). */
async function removeQuietly(file: string): Promise<void> {
	await fsp.rm(file, { force: true }).catch(() => {});
}

export async function writeFileDurable(file: string, data: string | Uint8Array): Promise<void> {
	const dir = path.dirname(file);
	await makeDirs(dir);
	const temp = await writeTempDurable(file, data);
	try {
		await fsp.rename(temp, file);
	} catch (e) {
		await removeQuietly(temp);
		throw e;
	}
	await fsyncDir(dir);
}

/**
 * Give an already written and fsynced temp file its final name `file`, only if `file`
 * does not exist yet (never clobbers), then remove the temp name. Returns false if
 * `file` existed (the temp file is removed either way).
 */
export async function publishFileDurable(temp: string, file: string): Promise<boolean> {
	try {
		// link() fails with EEXIST instead of replacing, unlike rename()
		await fsp.link(temp, file);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw e;
	} finally {
		await removeQuietly(temp);
	}
	await fsyncDir(path.dirname(file));
	return true;
}

/** Create `file` with `data` only if it does not exist yet (never clobbers). Returns false if it existed. */
export async function createFileDurable(file: string, data: string | Uint8Array): Promise<boolean> {
	await makeDirs(path.dirname(file));
	return publishFileDurable(await writeTempDurable(file, data), file);
}

/**
 * Append one line to a log file and fsync before returning. Repairs a torn last
 * line first. A failed append (a full disk) is cut back off, so the log ends
 * where it did: no torn line, and no line that was never acknowledged.
 */
export async function appendLineDurable(file: string, line: string): Promise<void> {
	await makeDirs(path.dirname(file));
	const handle = await fsp.open(file, 'a+');
	try {
		const { size } = await handle.stat();
		let prefix = '';
		if (size > 0) {
			const last = Buffer.alloc(1);
			await handle.read(last, 0, 1, size - 1);
			if (last[0] !== 0x0a) prefix = '\n';
		}
		try {
			await handle.appendFile(prefix + line + '\n');
			await handle.sync();
		} catch (e) {
			// shrinking needs no free space; if even this fails, the torn line is ignored by readers.
			// A log this call created goes altogether (writers of one log hold its set's lock).
			if (size === 0) await removeQuietly(file);
			else
				await handle
					.truncate(size)
					.then(() => handle.sync())
					.catch(() => {});
			throw e;
		}
	} finally {
		await handle.close();
	}
}

const TAIL_BLOCK = 64 * 1024;

/** The buffer the synchronous scans (`readLastLineSync`, `readJsonSync`) read into, reused from file to file. */
let scratch: Buffer | null = null;
const SCRATCH_BYTES = 64 * 1024;

/**
 * The last newline-terminated line in `tail` (the end of a file, read backwards
 * block by block): the line, null when the file has none, or undefined when
 * more of the file must be read first.
 */
function lastCompleteLine(tail: Buffer, atFileStart: boolean, headBytes = Infinity): string | null | undefined {
	const terminator = tail.lastIndexOf(0x0a);
	if (terminator === -1) return atFileStart ? null : undefined;
	const previous = terminator === 0 ? -1 : tail.lastIndexOf(0x0a, terminator - 1);
	if (previous === -1 && !atFileStart) return undefined;
	const start = previous + 1;
	return tail.toString('utf8', start, Math.min(terminator, start + headBytes));
}

/** The last complete (newline-terminated) line of a file, read from the end; null if none. */
export async function readLastLine(file: string): Promise<string | null> {
	let handle: fsp.FileHandle;
	try {
		handle = await fsp.open(file, 'r');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
	try {
		const { size } = await handle.stat();
		let buf = Buffer.alloc(0);
		for (let pos = size; pos > 0; ) {
			const len = Math.min(TAIL_BLOCK, pos);
			pos -= len;
			const chunk = Buffer.alloc(len);
			for (let got = 0; got < len; ) {
				const { bytesRead } = await handle.read(chunk, got, len - got, pos + got);
				if (bytesRead === 0) throw new Error(`${file} shrank while its last line was read`);
				got += bytesRead;
			}
			buf = Buffer.concat([chunk, buf]);
			const line = lastCompleteLine(buf, pos === 0);
			if (line !== undefined) return line;
		}
		return null;
	} finally {
		await handle.close();
	}
}

/**
 * `readLastLine`, synchronously: for scans over every set of a dataset, where
 * the thread pool's round trips cost more than the reads (see buildSummaries).
 * With `headBytes`, only that many bytes from the start of the line are
 * decoded: a scan after the revision number at the start of a long line need
 * not decode the rest.
 */
export function readLastLineSync(file: string, headBytes = Infinity): string | null {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
	try {
		const { size } = fs.fstatSync(fd);
		// the last line of most logs lies in their last 64 KiB: one read into the reused buffer
		const scratchBuffer = (scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES));
		const tailLength = Math.min(size, scratchBuffer.length);
		if (fs.readSync(fd, scratchBuffer, 0, tailLength, size - tailLength) === tailLength) {
			const line = lastCompleteLine(scratchBuffer.subarray(0, tailLength), tailLength === size, headBytes);
			if (line !== undefined) return line;
		}
		// a longer last line: block by block from the end
		let buf = Buffer.alloc(0);
		for (let pos = size; pos > 0; ) {
			const len = Math.min(TAIL_BLOCK, pos);
			pos -= len;
			const chunk = Buffer.alloc(len);
			for (let got = 0; got < len; ) {
				const bytesRead = fs.readSync(fd, chunk, got, len - got, pos + got);
				if (bytesRead === 0) throw new Error(`${file} shrank while its last line was read`);
				got += bytesRead;
			}
			buf = Buffer.concat([chunk, buf]);
			const line = lastCompleteLine(buf, pos === 0, headBytes);
			if (line !== undefined) return line;
		}
		return null;
	} finally {
		fs.closeSync(fd);
	}
}

/** Bytes read from a file at a time (a line longer than this grows the buffer). */
const READ_PIECE = 4 * 2 ** 20;

/**
 * The whole lines of a file, each as a view of one buffer that the file is read
 * into a piece at a time (valid until the next line is asked for): a file of
 * 80 MB (an index snapshot) is not held in memory at once, nor are its pages
 * faulted in afresh. Empty lines are skipped; a torn last line (a crash
 * mid-write) is left out, never acted on.
 */
export function* fileLines(file: string, piece = READ_PIECE): Generator<Buffer, void, undefined> {
	const fd = fs.openSync(file, 'r');
	try {
		let buf = Buffer.allocUnsafe(piece);
		let held = 0; // bytes of an unfinished line at the buffer's start
		for (;;) {
			if (held === buf.length) buf = Buffer.concat([buf], buf.length * 2);
			const n = fs.readSync(fd, buf, held, buf.length - held, null);
			if (n === 0) return;
			const view = buf.subarray(0, held + n);
			let start = 0;
			for (let end = view.indexOf(0x0a, held); end >= 0; end = view.indexOf(0x0a, start)) {
				if (end > start) yield view.subarray(start, end);
				start = end + 1;
			}
			held = view.length - start;
			buf.copy(buf, 0, start, view.length);
		}
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * A small JSON file (holding an object), read and parsed synchronously, for
 * scans over every file of a dataset. `readFileSync` reads until a read returns
 * nothing, four system calls per file (open, read, read, close); a read of a
 * regular file that returns less than asked for has reached the end, so one
 * read into a reused buffer does. Were the text cut short anyway, it would not
 * parse (no proper prefix of an object's JSON does) and is read the long way,
 * as is a file larger than the buffer.
 * @throws what readFileSync and JSON.parse throw (ENOENT, SyntaxError)
 */
export function readJsonSync<T>(file: string): T {
	const buffer = (scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES));
	const fd = fs.openSync(file, 'r');
	let length: number;
	try {
		length = fs.readSync(fd, buffer, 0, buffer.length, null);
	} finally {
		fs.closeSync(fd);
	}
	if (length < buffer.length) {
		try {
			return JSON.parse(buffer.toString('utf8', 0, length)) as T;
		} catch {
			// cut short, or not JSON: the long way tells which
		}
	}
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/**
 * Whether a temp file may be a live write: this process's own, or tagged with
 * the pid of a process running on this host. Untagged names (older versions)
 * and the files of processes that are gone are leftovers.
 */
function isLiveTemp(name: string): boolean {
	if (name.startsWith(OWN_TEMP)) return true;
	const tagged = TAGGED_TEMP.exec(name);
	if (tagged === null) return false;
	const pid = Number(tagged[1]);
	// this pid with another tag: a previous life's (a container's server is pid 1 every time)
	return pid !== process.pid && isProcessAlive(pid);
}

/**
 * Remove leftovers of writes interrupted by a crash: every temp file under
 * `root` but those of live processes (this one's and any other's, which may
 * be in the middle of being written).
 * Called at start and left to run in the background: on a large data folder
 * the walk takes seconds, and leftovers are never read, only taken out.
 */
export async function removeTempFiles(root: string): Promise<number> {
	let removed = 0;
	const walk = async (dir: string): Promise<void> => {
		let entries: fs.Dirent[];
		try {
			entries = await fsp.readdir(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) await walk(full);
			else if (entry.name.startsWith(TEMP_MARKER) && !isLiveTemp(entry.name)) {
				await fsp.rm(full, { force: true });
				removed++;
			}
		}
	};
	await walk(root);
	return removed;
}

/** Pretty, stable JSON: 2-space indent, trailing newline (diffs well in git). */
export function stableJson(data: unknown): string {
	return JSON.stringify(data, null, 2) + '\n';
}

/** lowdb adapter with durable, atomic writes. */
export class DurableJSONFile<T> implements Adapter<T> {
	constructor(readonly file: string) {}

	async read(): Promise<T | null> {
		try {
			return JSON.parse(await fsp.readFile(this.file, 'utf8')) as T;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw new Error(`cannot read ${this.file}: ${(e as Error).message}`, { cause: e });
		}
	}

	async write(data: T): Promise<void> {
		await writeFileDurable(this.file, stableJson(data));
	}
}
