/**
 * Account use cases: leads manage users; everyone manages their own password and
 * API tokens. Deactivating keeps every piece of a person's work; it only stops
 * them from logging in (sessions and tokens stop working at once).
 */
import { z } from 'zod';
import {
	createApiToken,
	createUser,
	listApiTokens,
	loginLockMinutes,
	passwordSchema,
	publicUsers,
	revokeApiToken,
	roleSchema,
	setUserFields,
	unlockLogin,
	usernameSchema,
	changePassword,
	preferencesSchema,
	setDensityPreference,
	type SessionUser
} from './auth';
import { requireGlobalLead, requireUser, settle, type Later } from './access';
import { conflict, notFound } from '../http/errors';
import { findUser } from '../store';

export const createUserSchema = z.object({
	username: usernameSchema,
	password: passwordSchema,
	role: roleSchema.default('annotator')
});

export const updateUserSchema = z
	.object({
		role: roleSchema.optional(),
		active: z.boolean().optional(),
		password: passwordSchema.optional()
	})
	.refine((v) => v.role !== undefined || v.active !== undefined || v.password !== undefined, 'nothing to change: give role, active or password');

export const tokenSchema = z.object({ name: z.string().trim().min(1, 'give the token a name').max(100) });

/** The token a form revokes. */
export const tokenIdSchema = z.object({ id: z.string().min(1).max(64) });

/** The account a user-admin form acts on. */
export const userTargetSchema = z.object({ username: z.string().min(1).max(64) });

export const changePasswordSchema = z.object({
	current: z.string().min(1, 'enter your current password').max(1024),
	password: passwordSchema
});

export async function listUsersAs(user: SessionUser | null) {
	requireGlobalLead(user);
	return Promise.all((await publicUsers()).map(async (u) => ({ ...u, locked_minutes: await loginLockMinutes(u.username) })));
}

/** A lead unlocks an account that failed logins locked; `wasLocked` false when it was not locked. */
/** A target's name as a form gives it: read only after the caller is checked (a non-lead gets 403, never a 400 about the name). */
const nameOf = async (username: string | Later<string>): Promise<string> => (typeof username === 'function' ? username() : username);

export async function unlockUserAs(user: SessionUser | null, targetName: string | Later<string>): Promise<{ username: string; wasLocked: boolean }> {
	requireGlobalLead(user);
	const username = await nameOf(targetName);
	const target = await findUser(username);
	if (!target) throw notFound(`no user "${username}"`);
	return { username: target.username, wasLocked: await unlockLogin(target.username) };
}

export async function createUserAs(user: SessionUser | null, body: z.infer<typeof createUserSchema> | Later<z.infer<typeof createUserSchema>>) {
	requireGlobalLead(user);
	const input = await settle(body);
	return { ...(await createUser(input)), active: true };
}

export async function updateUserAs(user: SessionUser | null, targetName: string | Later<string>, body: z.infer<typeof updateUserSchema> | Later<z.infer<typeof updateUserSchema>>) {
	const lead = requireGlobalLead(user);
	const username = await nameOf(targetName);
	const fields = await settle(body);
	const target = await findUser(username);
	if (!target) throw notFound(`no user "${username}"`);
	const losesLead = target.role === 'lead' && target.active && (fields.active === false || fields.role === 'annotator');
	if (losesLead && username === lead.username) throw conflict('you cannot deactivate or demote yourself; ask another lead');
	// "at least one active lead" is checked inside setUserFields, in the same lock as the write
	await setUserFields(username, fields);
	const after = await findUser(username);
	return { username, role: after!.role, active: after!.active };
}

/**
 * Every session of the user ends (the caller's too), and the caller gets a new one
 * (null if a lead changed the account at the same moment); their API tokens stay.
 * `ip` feeds the login limiter: wrong current passwords count as failed logins.
 */
export async function changeOwnPassword(user: SessionUser | null, input: z.infer<typeof changePasswordSchema>, ip: string) {
	const me = requireUser(user);
	return changePassword(me.username, input.current, input.password, ip);
}

export async function tokensOf(user: SessionUser | null) {
	const me = requireUser(user);
	return (await listApiTokens(me.username)).map(({ id, name, created_at, last_used_at }) => ({ id, name, created_at, last_used_at }));
}

/** The token itself is returned once, here; only its hash is stored. */
export async function createTokenAs(user: SessionUser | null, body: z.infer<typeof tokenSchema> | Later<z.infer<typeof tokenSchema>>) {
	const me = requireUser(user);
	const input = await settle(body);
	const { id, token } = await createApiToken(me.username, input.name, me);
	return { id, name: input.name, token };
}

/** Anyone's own tokens only; someone else's token id is "not found", not "forbidden" (no probing). */
export async function revokeTokenAs(user: SessionUser | null, id: string) {
	const me = requireUser(user);
	await revokeApiToken(me.username, id);
	return { ok: true };
}

/** GET /api/me: who the caller is. */
export function whoAmI(user: SessionUser | null): SessionUser {
	return requireUser(user);
}

/** The caller's own preferences (today: `density`), kept in their account. */
export async function setOwnPreferencesAs(user: SessionUser | null, body: Later<z.infer<typeof preferencesSchema>>) {
	const me = requireUser(user);
	const { density } = await settle(body);
	await setDensityPreference(me.username, density);
	return { density };
}
