/** Accounts, API tokens and login sessions as the store keeps them (secrets hashed only). */
import type { Role } from './types';

export interface UserRecord {
	username: string;
	role: Role;
	password_hash: string;
	active: boolean;
	created_at: string;
	/**
	 * Bumped by every new password. A session carries the version it was created
	 * under and is valid only while it still matches (missing: 0), so a login that
	 * checked the old password while the new one was being set never gets a
	 * session that works.
	 */
	credential_version?: number;
	/** the user's own choices that follow them from browser to browser */
	preferences?: { density?: 'comfortable' | 'compact' };
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
	/** the user's `credential_version` when the session was created (missing: 0) */
	credential_version?: number;
}

/** The accounts and their API tokens, changed together (`users.update`). */
export interface UsersData {
	users: UserRecord[];
	tokens: TokenRecord[];
}

/** The login sessions (`sessions.update`). */
export interface SessionsData {
	sessions: SessionRecord[];
}
