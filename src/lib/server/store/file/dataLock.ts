/**
 * One writer per data folder. The store's locks (mutex.ts) and caches are per
 * process, so two processes writing one folder would both acknowledge the same
 * base revision, number revisions twice and sweep each other's temp files. The
 * lock file `<data>/spanlab.lock` names the one process that may write: the
 * server for as long as it runs, or a command-line tool (`npm run import`, …)
 * for the length of its run when no server is up. A tool that finds a live
 * server sends its command to the server's control socket instead (see
 * ../control/), so the server's caches stay true.
 *
 * Taking it is atomic: the holder's record is written to a temp file, fsynced,
 * and linked to the lock's name; link() fails when the name exists, so of two
 * processes exactly one wins, and nobody ever reads a half-written record. A
 * lock whose holder is gone (kill -9, power loss; judged by pid, process start
 * time and boot id on this host), or that names another folder (it was copied
 * along with a backup), is stale: it is removed under a short
 * take-over guard (so two processes finding the same stale lock cannot remove
 * each other's fresh one) and taken. A lock of another host is never judged:
 * its holder cannot be checked from here.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDir, tempPathFor } from './durable';
import { bootId, hostname, isProcessAlive, processStartTicks } from './processes';

export const LOCK_FILE = 'spanlab.lock';
const GUARD_SUFFIX = '.takeover';

export type HolderKind = 'server' | 'cli';

export interface LockHolder {
	kind: HolderKind;
	/** what runs, for messages: `server`, `npm run import`, … */
	command: string;
	pid: number;
	hostname: string;
	/** Linux boot id and process start (clock ticks since boot), null elsewhere */
	boot_id: string | null;
	process_start: string | null;
	started_at: string;
	/** the data folder's real path: a lock copied along with the folder (a backup) is not the copy's */
	folder?: string;
	/** the server's control socket (see ../control/socket.ts) */
	socket?: string;
	/** tells this holding of the lock from any other, also of the same pid */
	nonce: string;
}

export type TakeResult =
	| { taken: true; lock: DataLock; tookOverFrom: LockHolder | null }
	| { taken: false; holder: LockHolder; lockFile: string };

export const lockFileOf = (root: string) => path.join(root, LOCK_FILE);

/** `server pid 123 on host h, since 2026-…`: who holds a lock, for messages. */
export function describeHolder(h: LockHolder): string {
	const what = h.kind === 'server' ? 'a spanlab server' : `\`${h.command}\``;
	return `${what} (pid ${h.pid} on ${h.hostname}, since ${h.started_at})`;
}

/**
 * Whether the lock's holder may still be running. Another host's holder is
 * taken to be (it cannot be checked from here); on this host the pid must be
 * running, and — where /proc tells — started when the holder did, in this
 * boot (after a reboot or in a restarted container the same pid is another process).
 */
export function holderMayBeAlive(h: LockHolder): boolean {
	if (h.hostname !== hostname()) return true;
	const boot = bootId();
	if (h.boot_id && boot && h.boot_id !== boot) return false;
	if (h.pid === process.pid) return false; // a lock of this pid that this process did not take: a previous life's
	if (!isProcessAlive(h.pid)) return false;
	const start = processStartTicks(h.pid);
	return !(h.process_start && start && start !== h.process_start);
}

/** The lock's holder as recorded, or null when there is no lock. An unreadable record is reported as such. */
export function readHolder(root: string): LockHolder | null {
	let raw: string;
	try {
		raw = fs.readFileSync(lockFileOf(root), 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
	return parseHolder(raw);
}

function parseHolder(raw: string): LockHolder {
	try {
		const h = JSON.parse(raw) as LockHolder;
		if (typeof h.pid === 'number' && typeof h.nonce === 'string' && typeof h.hostname === 'string') return h;
	} catch {
		// below
	}
	// not written by us (link() publishes only complete records): a hand-made file; judged stale like a dead holder
	return { kind: 'cli', command: 'unknown', pid: 0, hostname: hostname(), boot_id: null, process_start: null, started_at: '?', nonce: `unreadable:${raw}` };
}

/** A lock this process holds. `release` is synchronous, so it can run in an `exit` handler. */
export class DataLock {
	private released = false;
	constructor(
		readonly root: string,
		readonly holder: LockHolder
	) {}

	get file(): string {
		return lockFileOf(this.root);
	}

	/** Still ours? (Someone removing the file by hand would make it not.) */
	held(): boolean {
		try {
			return !this.released && readHolder(this.root)?.nonce === this.holder.nonce;
		} catch {
			return false;
		}
	}

	/** Removes the lock file if it is still this holding's; idempotent. */
	release(): void {
		if (this.released) return;
		this.released = true;
		try {
			if (readHolder(this.root)?.nonce === this.holder.nonce) fs.unlinkSync(this.file);
		} catch {
			// gone already, or the folder is unreachable: the next start finds it stale
		}
	}
}

async function publish(root: string, target: string, record: string): Promise<boolean> {
	const temp = tempPathFor(target);
	const handle = await fsp.open(temp, 'wx', 0o644);
	try {
		await handle.writeFile(record);
		await handle.sync();
	} finally {
		await handle.close();
	}
	try {
		await fsp.link(temp, target);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw e;
	} finally {
		await fsp.rm(temp, { force: true });
	}
	await fsyncDir(root);
	return true;
}

function realFolder(root: string): string {
	try {
		return fs.realpathSync(root);
	} catch {
		return path.resolve(root);
	}
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the data folder's lock once (no waiting for a live holder): taken,
 * possibly from a stale holder (reported, so it can be logged), or not taken
 * with the live holder.
 */
export async function tryTakeDataLock(root: string, who: { kind: HolderKind; command: string; socket?: string }): Promise<TakeResult> {
	await fsp.mkdir(root, { recursive: true });
	const holder: LockHolder = {
		kind: who.kind,
		command: who.command,
		pid: process.pid,
		hostname: hostname(),
		boot_id: bootId(),
		process_start: processStartTicks(process.pid),
		started_at: new Date().toISOString(),
		folder: realFolder(root),
		...(who.socket ? { socket: who.socket } : {}),
		nonce: randomBytes(12).toString('hex')
	};
	const record = JSON.stringify(holder, null, 2) + '\n';
	const file = lockFileOf(root);
	let tookOverFrom: LockHolder | null = null;
	for (let attempt = 0; attempt < 100; attempt++) {
		if (await publish(root, file, record)) return { taken: true, lock: new DataLock(root, holder), tookOverFrom };
		let current: LockHolder | null;
		try {
			current = readHolder(root);
		} catch {
			current = null;
		}
		if (!current) continue; // released meanwhile: try again
		const ofThisFolder = !current.folder || current.folder === holder.folder;
		if (ofThisFolder && holderMayBeAlive(current)) return { taken: false, holder: current, lockFile: file };
		if (await removeStale(root, current)) tookOverFrom = current;
	}
	throw new Error(`could not take the lock ${file}: it keeps changing hands`);
}

/**
 * Removes the lock if it still is `stale`'s, under the take-over guard: a
 * second process that found the same stale lock waits for the guard and then
 * sees the fresh lock, instead of removing it. Returns whether it removed it.
 */
async function removeStale(root: string, stale: LockHolder): Promise<boolean> {
	const guard = lockFileOf(root) + GUARD_SUFFIX;
	const mine = JSON.stringify({ pid: process.pid, hostname: hostname(), nonce: randomBytes(12).toString('hex') });
	if (!(await publish(root, guard, mine))) {
		// someone is taking over right now, or died doing so (a guard is held for milliseconds)
		try {
			const other = parseHolder(fs.readFileSync(guard, 'utf8'));
			if (!holderMayBeAlive({ ...other, boot_id: null, process_start: null })) await fsp.rm(guard, { force: true });
		} catch {
			// gone meanwhile
		}
		await pause(20);
		return false;
	}
	try {
		if (readHolder(root)?.nonce !== stale.nonce) return false;
		await fsp.rm(lockFileOf(root), { force: true });
		return true;
	} finally {
		await fsp.rm(guard, { force: true });
	}
}

/**
 * Takes the lock, waiting while a live command-line tool holds it (their runs
 * are short). Returns the live server holding it instead of waiting for it.
 * `onWait` is told once per holder waited for.
 */
export async function takeDataLockWaiting(
	root: string,
	who: { kind: HolderKind; command: string; socket?: string },
	opts: { onWait?: (holder: LockHolder) => void; pollMs?: number; waitForServers?: boolean } = {}
): Promise<TakeResult> {
	let toldAbout = '';
	for (;;) {
		const result = await tryTakeDataLock(root, who);
		if (result.taken) return result;
		if (result.holder.kind === 'server' && !opts.waitForServers) return result;
		if (toldAbout !== result.holder.nonce) {
			toldAbout = result.holder.nonce;
			opts.onWait?.(result.holder);
		}
		await pause(opts.pollMs ?? 200);
	}
}
