/**
 * Accounts, API tokens and sessions: `<data>/_system/*.json` (lowdb, durable writes).
 * Secrets are stored hashed only.
 */
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJSONFile } from './durable';
import { withLock } from './mutex';
import { dataRoot } from '../config';
import type { Role } from '../../types';

export interface UserRecord {
	username: string;
	role: Role;
	password_hash: string;
	active: boolean;
	created_at: string;
}

export interface TokenRecord {
	id: string;
	username: string;
	name: string;
	hash: string;
	created_at: string;
	last_used_at: string | null;
}

export interface SessionRecord {
	hash: string;
	username: string;
	created_at: string;
	expires_at: string;
}

interface UsersData {
	users: UserRecord[];
	tokens: TokenRecord[];
}
interface SessionsData {
	sessions: SessionRecord[];
}

let usersDb: Low<UsersData> | null = null;
let sessionsDb: Low<SessionsData> | null = null;
let loadedFor: string | null = null;

async function open(): Promise<{ users: Low<UsersData>; sessions: Low<SessionsData> }> {
	const root = dataRoot();
	if (!usersDb || !sessionsDb || loadedFor !== root) {
		const dir = path.join(root, '_system');
		const users = new Low<UsersData>(new DurableJSONFile(path.join(dir, 'users.json')), {
			users: [],
			tokens: []
		});
		const sessions = new Low<SessionsData>(new DurableJSONFile(path.join(dir, 'sessions.json')), {
			sessions: []
		});
		await users.read();
		await sessions.read();
		usersDb = users;
		sessionsDb = sessions;
		loadedFor = root;
	}
	return { users: usersDb, sessions: sessionsDb };
}

export async function listUsers(): Promise<UserRecord[]> {
	return (await open()).users.data.users;
}

export async function findUser(username: string): Promise<UserRecord | undefined> {
	return (await listUsers()).find((u) => u.username === username);
}

export async function hasAnyUser(): Promise<boolean> {
	return (await listUsers()).length > 0;
}

export async function updateUsers<T>(fn: (data: UsersData) => T): Promise<T> {
	return withLock('system:users', async () => {
		const db = (await open()).users;
		const result = fn(db.data);
		await db.write();
		return result;
	});
}

export async function listTokens(): Promise<TokenRecord[]> {
	return (await open()).users.data.tokens;
}

export async function findToken(hash: string): Promise<TokenRecord | undefined> {
	return (await open()).users.data.tokens.find((t) => t.hash === hash);
}

export async function findSession(hash: string): Promise<SessionRecord | undefined> {
	return (await open()).sessions.data.sessions.find((s) => s.hash === hash);
}

export async function updateSessions<T>(fn: (data: SessionsData) => T): Promise<T> {
	return withLock('system:sessions', async () => {
		const db = (await open()).sessions;
		const now = new Date().toISOString();
		db.data.sessions = db.data.sessions.filter((s) => s.expires_at > now);
		const result = fn(db.data);
		await db.write();
		return result;
	});
}
