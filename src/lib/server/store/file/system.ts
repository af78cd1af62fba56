/**
 * Accounts, API tokens and sessions: `<data>/_system/*.json` (lowdb, durable writes).
 * Secrets are stored hashed only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJSONFile } from './durable';
import { withLock } from './mutex';
import { dataRoot } from '../../config';
import type { SessionRecord, SessionsData, TokenRecord, UserRecord, UsersData } from '../../../model/user';

export type { SessionRecord, SessionsData, TokenRecord, UserRecord, UsersData };





/**
 * A lowdb file that notices when another process (the `npm run user` CLI) has
 * replaced it, and re-reads it before the next use. Durable writes rename a new
 * file into place, so the inode changes with every write.
 */
class SharedFile<T> {
	readonly db: Low<T>;
	private stamp: string | null = null;

	constructor(readonly file: string, defaults: T) {
		this.db = new Low<T>(new DurableJSONFile<T>(file), defaults);
	}

	private async currentStamp(): Promise<string> {
		try {
			const s = await fs.stat(this.file);
			return `${s.ino}:${s.size}:${s.mtimeMs}`;
		} catch {
			return 'missing';
		}
	}

	/** replaces begun or ended (counted at both ends): a read that overlapped one is not kept */
	private writes = 0;

	/**
	 * The file's content, read again when the file changed. The read goes into an
	 * object of its own and is kept only if no replace began or ended while it ran:
	 * a read that found the file before a replace landed must not put the older
	 * content back in memory after it (the next change would be built on it, and
	 * the replace's sessions or users lost).
	 */
	async fresh(): Promise<Low<T>> {
		const writes = this.writes;
		const stamp = await this.currentStamp();
		if (stamp !== this.stamp) {
			const data = await this.db.adapter.read();
			if (this.writes === writes) {
				if (data !== null) this.db.data = data;
				this.stamp = stamp;
			}
		}
		return this.db;
	}

	/**
	 * Makes `data` the file's content. Only once it is written does it become what
	 * readers see: a write that fails (a full disk) leaves memory as the file is,
	 * so a refused change is not served from memory as if it had been saved.
	 */
	async replace(data: T): Promise<void> {
		const before = this.db.data;
		this.writes++;
		this.db.data = data;
		try {
			await this.db.write();
		} catch (e) {
			this.db.data = before;
			throw e;
		} finally {
			this.writes++;
		}
		this.stamp = await this.currentStamp();
	}
}

let usersFile: SharedFile<UsersData> | null = null;
let sessionsFile: SharedFile<SessionsData> | null = null;
let loadedFor: string | null = null;

function files(): { users: SharedFile<UsersData>; sessions: SharedFile<SessionsData> } {
	const root = dataRoot();
	if (!usersFile || !sessionsFile || loadedFor !== root) {
		const dir = path.join(root, '_system');
		usersFile = new SharedFile<UsersData>(path.join(dir, 'users.json'), { users: [], tokens: [] });
		sessionsFile = new SharedFile<SessionsData>(path.join(dir, 'sessions.json'), { sessions: [] });
		loadedFor = root;
	}
	return { users: usersFile, sessions: sessionsFile };
}

export async function listUsers(): Promise<UserRecord[]> {
	return (await files().users.fresh()).data.users;
}

export async function findUser(username: string): Promise<UserRecord | undefined> {
	return (await listUsers()).find((u) => u.username === username);
}

export async function hasAnyUser(): Promise<boolean> {
	return (await listUsers()).length > 0;
}

export async function updateUsers<T>(fn: (data: UsersData) => T): Promise<T> {
	return withLock('system:users', async () => {
		const file = files().users;
		const db = await file.fresh();
		// change a copy: a change that throws halfway leaves nothing behind
		const draft = structuredClone(db.data);
		const result = fn(draft);
		await file.replace(draft);
		return result;
	});
}

export async function listTokens(): Promise<TokenRecord[]> {
	return (await files().users.fresh()).data.tokens;
}

export async function findToken(hash: string): Promise<TokenRecord | undefined> {
	return (await files().users.fresh()).data.tokens.find((t) => t.hash === hash);
}

/**
 * Sessions ended (logout) whose removal is not on disk yet, because the disk
 * refused the write (full, read-only). They are refused from memory at once, and
 * every later write of sessions.json removes them too; a timer keeps trying.
 * Only a restart before any such write would bring them back (see revokeSession).
 */
const revokedUnsaved = new Set<string>();
let retryTimer: ReturnType<typeof setTimeout> | null = null;
const REVOCATION_RETRY_MS = 30_000;

export async function findSession(hash: string): Promise<SessionRecord | undefined> {
	if (revokedUnsaved.has(hash)) return undefined;
	return (await files().sessions.fresh()).data.sessions.find((s) => s.hash === hash);
}

export async function updateSessions<T>(fn: (data: SessionsData) => T): Promise<T> {
	return withLock('system:sessions', async () => {
		const file = files().sessions;
		const db = await file.fresh();
		const draft = structuredClone(db.data);
		const now = new Date().toISOString();
		const revoked = [...revokedUnsaved];
		draft.sessions = draft.sessions.filter((s) => s.expires_at > now && !revokedUnsaved.has(s.hash));
		const result = fn(draft);
		await file.replace(draft);
		for (const hash of revoked) revokedUnsaved.delete(hash); // on disk now
		return result;
	});
}

/**
 * Ends a session whatever the disk: refused from this moment on, in memory, then
 * removed from sessions.json. Returns false when that write failed (a full or
 * read-only disk, the error is logged): the session stays refused by this
 * process, and its removal is written with the next sessions write or by a retry
 * every 30 s. If the server restarts before any write succeeds, the session is
 * valid again until it expires — for whoever still holds its token (the browser
 * that logged out has dropped its cookie).
 */
export async function revokeSession(hash: string): Promise<boolean> {
	revokedUnsaved.add(hash);
	return removeSessions((s) => s.hash === hash, 'a logout');
}

/** `revokeSession` for every session of `username` (deactivation, new password): same promise, same limit. */
export async function revokeSessionsOf(username: string): Promise<boolean> {
	for (const s of (await files().sessions.fresh()).data.sessions) if (s.username === username) revokedUnsaved.add(s.hash);
	return removeSessions((s) => s.username === username, `the end of ${username}'s sessions`);
}

async function removeSessions(ended: (s: SessionRecord) => boolean, what: string): Promise<boolean> {
	try {
		await updateSessions((data) => {
			data.sessions = data.sessions.filter((s) => !ended(s));
		});
		return true;
	} catch (e) {
		console.error(`spanlab: ${what} could not be written to sessions.json (retrying every 30 s): ${(e as Error).message}`);
		scheduleRevocationRetry();
		return false;
	}
}

function scheduleRevocationRetry(): void {
	if (retryTimer) return;
	retryTimer = setTimeout(() => {
		retryTimer = null;
		if (revokedUnsaved.size === 0) return;
		updateSessions(() => {}).catch(() => scheduleRevocationRetry());
	}, REVOCATION_RETRY_MS);
	retryTimer.unref?.();
}

/** Logouts not yet written to disk (for tests and diagnostics). */
export function unsavedRevocations(): number {
	return revokedUnsaved.size;
}
