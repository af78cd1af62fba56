/**
 * Accounts, API tokens and sessions on PostgreSQL, so that every app process
 * sees the same ones. The repositories' `update(mutate)` keeps the file store's
 * contract (the whole list changed on a copy, a throwing `mutate` changes
 * nothing) as one transaction: the rows are read under an advisory lock, the
 * copy mutated, and only the rows that differ are written.
 */
import type { SessionRecord, SessionsData, TokenRecord, UserRecord, UsersData } from '../../../model/user';
import type { SessionRepository, TokenRepository, UserRepository } from '../types';
import { LOCK, iso, json, type Db, type Sql } from './db';

interface UserRow {
	username: string;
	role: UserRecord['role'];
	password_hash: string;
	active: boolean;
	created_at: Date;
	credential_version: number | null;
	preferences: UserRecord['preferences'] | null;
}

interface TokenRow {
	id: string;
	username: string;
	name: string;
	hash: string;
	created_at: Date;
	last_used_at: Date | null;
}

interface SessionRow {
	hash: string;
	username: string;
	created_at: Date;
	expires_at: Date;
	credential_version: number | null;
}

/** The file store's key order. */
function userOf(r: UserRow): UserRecord {
	return {
		username: r.username,
		role: r.role,
		password_hash: r.password_hash,
		active: r.active,
		created_at: iso(r.created_at)!,
		...(r.credential_version !== null ? { credential_version: r.credential_version } : {}),
		...(r.preferences !== null ? { preferences: r.preferences } : {})
	};
}

function tokenOf(r: TokenRow): TokenRecord {
	return { id: r.id, username: r.username, name: r.name, hash: r.hash, created_at: iso(r.created_at)!, last_used_at: iso(r.last_used_at) };
}

function sessionOf(r: SessionRow): SessionRecord {
	return {
		hash: r.hash,
		username: r.username,
		created_at: iso(r.created_at)!,
		expires_at: iso(r.expires_at)!,
		...(r.credential_version !== null ? { credential_version: r.credential_version } : {})
	};
}

const same = (a: unknown, b: unknown) => json(a) === json(b);

async function readUsers(tx: Sql): Promise<UsersData> {
	const users = (await tx<UserRow[]>`SELECT * FROM users ORDER BY ordinal`).map(userOf);
	const tokens = (await tx<TokenRow[]>`SELECT * FROM api_tokens ORDER BY ordinal`).map(tokenOf);
	return { users, tokens };
}

function keyed<T>(items: T[], key: (item: T) => string, what: string): Map<string, T> {
	const map = new Map<string, T>();
	for (const item of items) {
		if (map.has(key(item))) throw new Error(`two ${what} with the same key "${key(item)}"`);
		map.set(key(item), item);
	}
	return map;
}

async function writeUsers(tx: Sql, before: UsersData, after: UsersData): Promise<void> {
	const oldUsers = keyed(before.users, (u) => u.username, 'users');
	const newUsers = keyed(after.users, (u) => u.username, 'users');
	const oldTokens = keyed(before.tokens, (t) => t.id, 'tokens');
	const newTokens = keyed(after.tokens, (t) => t.id, 'tokens');
	for (const id of oldTokens.keys()) if (!newTokens.has(id)) await tx`DELETE FROM api_tokens WHERE id = ${id}`;
	for (const name of oldUsers.keys()) if (!newUsers.has(name)) await tx`DELETE FROM users WHERE username = ${name}`;
	for (const u of after.users) {
		const old = oldUsers.get(u.username);
		if (old && same(old, u)) continue;
		const values = [u.role, u.password_hash, u.active, u.created_at, u.credential_version ?? null, u.preferences === undefined ? null : json(u.preferences)] as const;
		if (old) {
			await tx`
				UPDATE users SET role = ${values[0]}, password_hash = ${values[1]}, active = ${values[2]}, created_at = ${values[3]},
					credential_version = ${values[4]}, preferences = ${values[5]}::text::json
				WHERE username = ${u.username}`;
		} else {
			await tx`
				INSERT INTO users (username, role, password_hash, active, created_at, credential_version, preferences)
				VALUES (${u.username}, ${values[0]}, ${values[1]}, ${values[2]}, ${values[3]}, ${values[4]}, ${values[5]}::text::json)`;
		}
	}
	for (const t of after.tokens) {
		const old = oldTokens.get(t.id);
		if (old && same(old, t)) continue;
		if (old) {
			await tx`
				UPDATE api_tokens SET username = ${t.username}, name = ${t.name}, hash = ${t.hash}, created_at = ${t.created_at}, last_used_at = ${t.last_used_at}
				WHERE id = ${t.id}`;
		} else {
			await tx`
				INSERT INTO api_tokens (id, username, name, hash, created_at, last_used_at)
				VALUES (${t.id}, ${t.username}, ${t.name}, ${t.hash}, ${t.created_at}, ${t.last_used_at})`;
		}
	}
}

export function postgresUsers(db: Db): UserRepository {
	const { sql } = db;
	return {
		async list() {
			return (await sql<UserRow[]>`SELECT * FROM users ORDER BY ordinal`).map(userOf);
		},
		async find(username) {
			const [row] = await sql<UserRow[]>`SELECT * FROM users WHERE username = ${username}`;
			return row ? userOf(row) : undefined;
		},
		async hasAny() {
			const [row] = await sql`SELECT 1 FROM users LIMIT 1`;
			return Boolean(row);
		},
		async update(mutate) {
			let result!: ReturnType<typeof mutate>;
			await sql.begin(async (t) => {
				const tx = t as unknown as Sql;
				await tx`SELECT pg_advisory_xact_lock(${LOCK.users}::int, 0)`;
				const before = await readUsers(tx);
				const draft = structuredClone(before);
				result = mutate(draft);
				await writeUsers(tx, before, draft);
			});
			return result;
		}
	};
}

export function postgresTokens(db: Db): TokenRepository {
	const { sql } = db;
	return {
		async list() {
			return (await sql<TokenRow[]>`SELECT * FROM api_tokens ORDER BY ordinal`).map(tokenOf);
		},
		async find(hash) {
			const [row] = await sql<TokenRow[]>`SELECT * FROM api_tokens WHERE hash = ${hash}`;
			return row ? tokenOf(row) : undefined;
		}
	};
}

/**
 * Sessions. A revocation is refused at once, whatever the database: a hash whose
 * DELETE failed (the database away) is kept in memory, never found again by this
 * process, and deleted again with the next revocation or update.
 */
export function postgresSessions(db: Db): SessionRepository {
	const { sql } = db;
	const unsaved = new Set<string>();
	const unsavedUsers = new Set<string>();

	async function retryUnsaved(tx: Sql = sql): Promise<void> {
		if (unsaved.size) {
			const hashes = [...unsaved];
			await tx`DELETE FROM sessions WHERE hash = ANY(${hashes}::text[])`;
			for (const h of hashes) unsaved.delete(h);
		}
		if (unsavedUsers.size) {
			const names = [...unsavedUsers];
			await tx`DELETE FROM sessions WHERE username = ANY(${names}::text[])`;
			for (const n of names) unsavedUsers.delete(n);
		}
	}

	return {
		async find(hash) {
			if (unsaved.has(hash)) return undefined;
			const [row] = await sql<SessionRow[]>`SELECT * FROM sessions WHERE hash = ${hash}`;
			if (!row || unsaved.has(hash) || unsavedUsers.has(row.username)) return undefined;
			return sessionOf(row);
		},
		// every request's: the session and its user in one statement (one snapshot, one round trip)
		async findWithUser(hash) {
			if (unsaved.has(hash)) return undefined;
			type Joined = SessionRow & { [K in keyof UserRow as `user_${K}`]: UserRow[K] | null };
			const [row] = await sql<Joined[]>`
				SELECT s.*, u.username AS user_username, u.role AS user_role, u.password_hash AS user_password_hash, u.active AS user_active,
					u.created_at AS user_created_at, u.credential_version AS user_credential_version, u.preferences AS user_preferences
				FROM sessions s LEFT JOIN users u ON u.username = s.username WHERE s.hash = ${hash}`;
			if (!row || unsaved.has(hash) || unsavedUsers.has(row.username)) return undefined;
			const user: UserRow | null =
				row.user_username === null
					? null
					: {
							username: row.user_username,
							role: row.user_role!,
							password_hash: row.user_password_hash!,
							active: row.user_active!,
							created_at: row.user_created_at!,
							credential_version: row.user_credential_version,
							preferences: row.user_preferences
						};
			return { session: sessionOf(row), user: user ? userOf(user) : undefined };
		},
		async update(mutate) {
			let result!: ReturnType<typeof mutate>;
			await sql.begin(async (t) => {
				const tx = t as unknown as Sql;
				await tx`SELECT pg_advisory_xact_lock(${LOCK.sessions}::int, 0)`;
				await retryUnsaved(tx);
				await tx`DELETE FROM sessions WHERE expires_at <= now()`;
				const before: SessionsData = { sessions: (await tx<SessionRow[]>`SELECT * FROM sessions ORDER BY ordinal`).map(sessionOf) };
				const draft = structuredClone(before);
				result = mutate(draft);
				const old = keyed(before.sessions, (s) => s.hash, 'sessions');
				const now = keyed(draft.sessions, (s) => s.hash, 'sessions');
				const gone = [...old.keys()].filter((h) => !now.has(h));
				if (gone.length) await tx`DELETE FROM sessions WHERE hash = ANY(${gone}::text[])`;
				for (const s of draft.sessions) {
					const was = old.get(s.hash);
					if (was && same(was, s)) continue;
					if (was) {
						await tx`
							UPDATE sessions SET username = ${s.username}, created_at = ${s.created_at}, expires_at = ${s.expires_at},
								credential_version = ${s.credential_version ?? null}
							WHERE hash = ${s.hash}`;
					} else {
						await tx`
							INSERT INTO sessions (hash, username, created_at, expires_at, credential_version)
							VALUES (${s.hash}, ${s.username}, ${s.created_at}, ${s.expires_at}, ${s.credential_version ?? null})`;
					}
				}
			});
			return result;
		},
		async revoke(hash) {
			unsaved.add(hash);
			try {
				await retryUnsaved();
				return true;
			} catch {
				return false;
			}
		},
		async revokeAllOf(username) {
			unsavedUsers.add(username);
			try {
				await retryUnsaved();
				return true;
			} catch {
				return false;
			}
		},
		unsavedRevocations: () => unsaved.size + unsavedUsers.size
	};
}
