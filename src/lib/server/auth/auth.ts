/**
 * Authentication: scrypt password hashes, cookie sessions, bearer API tokens,
 * login rate limiting. Authorisation rules live in `access.ts`.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../sha256';
import { promisify } from 'node:util';
import { z } from 'zod';
import { GOLD, type Role } from '../../model/types';
import { roleSchema } from '../../model/roles';
import { lookAlikeMessage, lookAlikeOf } from '../../model/names';
import { limits } from '../config';
import { loginFailed, loginLockedFor, loginSucceeded, resetLoginFailures, unlockUsername, usernameLockedFor } from './ratelimit';
import { badRequest, conflict, tooManyRequests, unauthorized, notFound } from '../http/errors';
import { findSessionWithUser, findToken, findUser, listTokens, listUsers, revokeSession, revokeSessionsOf, updateSessions, updateUsers, type UserRecord } from '../store';

const scryptAsync = promisify(scrypt) as (
	password: string,
	salt: Buffer,
	keylen: number,
	options: { N: number; r: number; p: number; maxmem: number }
) => Promise<Buffer>;

export const SESSION_COOKIE = 'spanlab_session';

export interface SessionUser {
	username: string;
	role: Role;
}

export const usernameSchema = z
	.string()
	.regex(/^[a-z0-9][a-z0-9_.-]{0,31}$/, 'username: 1–32 characters, lowercase letters, digits, ".", "_" or "-", starting with a letter or digit')
	.refine((u) => u !== 'gold' && u !== 'me', 'username: "gold" and "me" are reserved');
export const passwordSchema = z.string().min(8, 'password: at least 8 characters').max(1024);
export { roleSchema };

const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scryptAsync(password, salt, 64, SCRYPT);
	return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, n, r, p, salt, key] = stored.split('$');
	if (scheme !== 'scrypt') return false;
	const expected = Buffer.from(key, 'base64');
	const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		maxmem: SCRYPT.maxmem
	});
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The hash a token or session secret is stored as. */
export const sha256 = (value: string): string => sha256Hex(value);

// ---- rate limiting (the rule: ./ratelimit.ts; the counts: the store, shared by every app process)

function lockedMessage(ms: number): string {
	return `too many failed logins; try again in ${Math.ceil(ms / 60000)} minute(s)`;
}

async function checkLock(username: string, ip: string): Promise<void> {
	const ms = await loginLockedFor(username, ip);
	if (ms > 0) throw tooManyRequests(lockedMessage(ms));
}

/** Minutes a username stays locked by failed logins (0: not locked), for the Users page. */
export async function loginLockMinutes(username: string): Promise<number> {
	const ms = await usernameLockedFor(username);
	return ms > 0 ? Math.ceil(ms / 60000) : 0;
}

/**
 * A lead lifts the lock failed logins put on a username (and its failure
 * count); a lock on an address stays, since it is not this account's.
 * True when the username was locked.
 */
export function unlockLogin(username: string): Promise<boolean> {
	return unlockUsername(username);
}

export function resetRateLimits(): Promise<void> {
	return resetLoginFailures();
}

let dummy: Promise<string> | null = null;
function dummyHash(): Promise<string> {
	return (dummy ??= hashPassword(randomBytes(16).toString('hex')));
}

/** The body of `POST /api/login`. */
export const loginSchema = z.object({ username: z.string().max(200), password: z.string().max(1024) });

/** Checks credentials; returns a new session token (to put in the cookie). */
export async function login(
	username: unknown,
	password: unknown,
	ip: string
): Promise<{ token: string; user: SessionUser; expires: Date }> {
	if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
		throw badRequest('username and password are required');
	}
	await checkLock(username, ip);
	const user = await findUser(username.toLowerCase());
	// the credentials this login checks: if they change before its session is written, it gets none
	const version = user?.credential_version ?? 0;
	// unknown and deactivated accounts cost the same scrypt time as real ones: no probing for names
	const passwordOk = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
	const ok = user && user.active && passwordOk;
	if (!ok || !user) {
		await loginFailed(username, ip);
		throw unauthorized('wrong username or password');
	}
	await loginSucceeded(username);
	const session = await startSession(user.username, version);
	if (!session) throw unauthorized('wrong username or password'); // the password changed while this login checked the old one
	return session;
}

/**
 * A new session for `username`, made under the credential version `version`;
 * null when the account's version is no longer that one (a new password was set
 * meanwhile) or it is deactivated. That check only makes the answer right for the
 * common case: what makes the race safe is that the session records `version` and
 * `authenticate` compares it with the account's on every use, so a session written
 * however late after a new password never works.
 */
async function startSession(username: string, version: number): Promise<{ token: string; user: SessionUser; expires: Date } | null> {
	const user = await findUser(username);
	if (!user || !user.active || (user.credential_version ?? 0) !== version) return null;
	const token = randomBytes(32).toString('base64url');
	const now = new Date();
	const expires = new Date(now.getTime() + limits.sessionDays * 86400_000);
	await updateSessions((data) => {
		data.sessions.push({
			hash: sha256(token),
			username,
			created_at: now.toISOString(),
			expires_at: expires.toISOString(),
			credential_version: version
		});
	});
	return { token, user: { username: user.username, role: user.role }, expires };
}

/**
 * Checks a signed-in user's current password (before a change of it) under the
 * same limiter as login: failures here count against the username and the address
 * as failed logins do, so a stolen session is no unlimited password oracle.
 */
export async function checkCurrentPassword(username: string, password: string, ip: string): Promise<void> {
	await checkLock(username, ip);
	const user = await findUser(username);
	const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
	if (!ok || !user) {
		await loginFailed(username, ip);
		throw badRequest('your current password is not right');
	}
	await loginSucceeded(username); // as a successful login does
}

/**
 * Ends the session of `token`, whatever the disk (see revokeSession): true when
 * that is written to disk, false when only this process knows it yet.
 */
export async function logout(token: string | undefined): Promise<boolean> {
	if (!token) return true;
	return revokeSession(sha256(token));
}

/**
 * The credential version each authenticated caller was checked under (kept beside
 * the object, not in it: a SessionUser is sent to pages as it is). Lets a change
 * made with a session refuse to go through once the password changed after the
 * session was checked (`createApiToken`).
 */
const checkedUnder = new WeakMap<SessionUser, number>();

async function activeUser(username: string, credentialVersion?: number): Promise<SessionUser | null> {
	return checkedUser(await findUser(username), credentialVersion);
}

function checkedUser(user: UserRecord | undefined, credentialVersion?: number): SessionUser | null {
	if (!user || !user.active) return null;
	const current = user.credential_version ?? 0;
	if (credentialVersion !== undefined && credentialVersion !== current) return null;
	const caller: SessionUser = { username: user.username, role: user.role };
	checkedUnder.set(caller, current);
	return caller;
}

const TOKEN_USE_GRANULARITY_MS = 60 * 60 * 1000;

/** Record when a token was last used, at most once an hour (so scripts do not rewrite users.json on every call). */
async function noteTokenUse(id: string, lastUsed: string | null): Promise<void> {
	const now = Date.now();
	if (lastUsed && now - Date.parse(lastUsed) < TOKEN_USE_GRANULARITY_MS) return;
	await updateUsers((data) => {
		const token = data.tokens.find((t) => t.id === id);
		if (token) token.last_used_at = new Date(now).toISOString();
	});
}

/** Resolves the caller from a session cookie or an `Authorization: Bearer` API token. */
export async function authenticate(
	cookieToken: string | undefined,
	authorization: string | null
): Promise<SessionUser | null> {
	if (authorization?.startsWith('Bearer ')) {
		const token = authorization.slice(7).trim();
		const record = await findToken(sha256(token));
		if (!record) return null;
		const user = await activeUser(record.username);
		// bookkeeping, not the request's purpose: a full or read-only disk must not refuse the call
		if (user) await noteTokenUse(record.id, record.last_used_at).catch((e) => console.error(`spanlab: token use not recorded: ${(e as Error).message}`));
		return user;
	}
	if (cookieToken) {
		const found = await findSessionWithUser(sha256(cookieToken));
		if (!found || found.session.expires_at <= new Date().toISOString()) return null;
		return checkedUser(found.user, found.session.credential_version ?? 0);
	}
	return null;
}

// ---- user management (lead-only callers are checked in access.ts)

export async function createUser(input: { username: string; password: string; role: Role }): Promise<SessionUser> {
	const username = usernameSchema.parse(input.username);
	const password_hash = await hashPassword(passwordSchema.parse(input.password));
	const role = roleSchema.parse(input.role);
	return updateUsers((data) => {
		if (data.users.some((u) => u.username === username)) throw conflict(`user "${username}" already exists`);
		// "ann1" beside "annl", "lead" beside "1ead": one could pass for the other in a member list or an assignment
		const twin = lookAlikeOf(username, data.users.map((u) => u.username));
		if (twin !== undefined) throw conflict(lookAlikeMessage('user', username, twin));
		// nor for the gold set ("g0ld") in the review lanes and releases
		if (lookAlikeOf(username, [GOLD]) !== undefined) throw badRequest(`username "${username}" looks like the reserved name "${GOLD}"`);
		data.users.push({ username, role, password_hash, active: true, created_at: new Date().toISOString() });
		return { username, role };
	});
}

export interface SetUserOptions {
	/** a new password keeps the user's API tokens (their own change: they see the tokens and revoke what they want) */
	keepTokens?: boolean;
}

/**
 * Changes an account in one read-check-write under the users lock: a change that
 * would leave no active lead is refused there, so two leads demoting or
 * deactivating each other at the same moment cannot both succeed. A new password
 * bumps the credential version (every session made before it stops working) and,
 * unless `keepTokens`, revokes the user's API tokens; a new password or a
 * deactivation then ends the user's sessions.
 */
export async function setUserFields(
	username: string,
	fields: { role?: Role; active?: boolean; password?: string },
	options: SetUserOptions = {}
): Promise<void> {
	const password_hash = fields.password ? await hashPassword(passwordSchema.parse(fields.password)) : undefined;
	const role = fields.role ? roleSchema.parse(fields.role) : undefined;
	await updateUsers((data) => {
		const user = data.users.find((u) => u.username === username);
		if (!user) throw notFound(`no user "${username}"`);
		const wasLead = user.role === 'lead' && user.active;
		if (role) user.role = role;
		if (fields.active !== undefined) user.active = fields.active;
		if (wasLead && !(user.role === 'lead' && user.active) && !data.users.some((u) => u.role === 'lead' && u.active)) {
			throw conflict('there must be at least one active lead');
		}
		if (password_hash) {
			user.password_hash = password_hash;
			user.credential_version = (user.credential_version ?? 0) + 1;
			if (!options.keepTokens) data.tokens = data.tokens.filter((t) => t.username !== username);
		}
	});
	// the change above is saved: the sessions end in memory at once, even if the disk refuses that write
	if (fields.active === false || password_hash) await revokeSessionsOf(username);
}

/**
 * The signed-in user's own new password: checked against the current one (rate
 * limited like login), then set; every session of theirs ends and the caller gets
 * a fresh one, made under the new credentials. Their API tokens are kept.
 */
export async function changePassword(
	username: string,
	current: string,
	password: string,
	ip: string
): Promise<{ token: string; user: SessionUser; expires: Date } | null> {
	await checkCurrentPassword(username, current, ip);
	await setUserFields(username, { password }, { keepTokens: true });
	const user = await findUser(username);
	return user ? startSession(username, user.credential_version ?? 0) : null;
}

/** The user's text density (see $lib/annotate/density), kept in their account; undefined if never chosen. */
export async function densityPreference(username: string): Promise<'comfortable' | 'compact' | undefined> {
	return (await findUser(username))?.preferences?.density;
}

export const preferencesSchema = z.object({ density: z.enum(['comfortable', 'compact']) }).strict();

/** Keeps the user's density choice in their account, so it follows them to another browser. */
export async function setDensityPreference(username: string, density: 'comfortable' | 'compact'): Promise<void> {
	await updateUsers((data) => {
		const user = data.users.find((u) => u.username === username);
		if (!user) throw notFound(`no user "${username}"`);
		user.preferences = { ...user.preferences, density };
	});
}

export async function publicUsers(): Promise<Array<Omit<UserRecord, 'password_hash'>>> {
	return (await listUsers()).map(({ password_hash: _, ...rest }) => rest);
}

/**
 * `caller`: the authenticated user asking; if their password changed since their
 * session or token was checked (a reset racing this request), no token is made.
 */
export async function createApiToken(username: string, name: string, caller?: SessionUser): Promise<{ id: string; token: string }> {
	const token = 'slp_' + randomBytes(24).toString('base64url');
	const id = randomBytes(6).toString('hex');
	const version = caller && checkedUnder.get(caller);
	await updateUsers((data) => {
		if (version !== undefined && (data.users.find((u) => u.username === username)?.credential_version ?? 0) !== version) {
			throw unauthorized('your password was changed meanwhile: log in again');
		}
		data.tokens.push({
			id,
			username,
			name: name.slice(0, 100) || 'token',
			hash: sha256(token),
			created_at: new Date().toISOString(),
			last_used_at: null
		});
	});
	return { id, token };
}

export async function revokeApiToken(username: string, id: string): Promise<void> {
	await updateUsers((data) => {
		const before = data.tokens.length;
		data.tokens = data.tokens.filter((t) => !(t.id === id && t.username === username));
		if (data.tokens.length === before) throw notFound('no such token');
	});
}

export async function listApiTokens(username: string) {
	return (await listTokens()).filter((t) => t.username === username).map(({ hash: _, ...rest }) => rest);
}
