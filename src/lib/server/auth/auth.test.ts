import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDomainError } from '../http/errors';

// a small IP budget so the per-IP rule can be tested quickly (read when config loads)
process.env.SPANLAB_LOGIN_FAILURES_PER_IP = '12';
const auth = await import('./auth');
const users = await import('./users');

const PASSWORD = 'unit-test-password';
let root: string;

beforeEach(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-auth-'));
	process.env.SPANLAB_DATA = root;
	auth.resetRateLimits();
	await auth.createUser({ username: 'boss', password: PASSWORD, role: 'lead' });
	await auth.createUser({ username: 'ann', password: PASSWORD, role: 'annotator' });
});

afterEach(() => {
	vi.useRealTimers();
	fs.rmSync(root, { recursive: true, force: true });
});

async function status(p: Promise<unknown>): Promise<number> {
	try {
		await p;
		return 200;
	} catch (e) {
		if (isDomainError(e)) return e.status;
		throw e;
	}
}

const boss = { username: 'boss', role: 'lead' as const };

describe('sessions', () => {
	it('expire after the configured 7 days', async () => {
		const { token, expires } = await auth.login('ann', PASSWORD, '10.0.0.1');
		expect(Math.round((expires.getTime() - Date.now()) / 86_400_000)).toBe(7);
		expect(await auth.authenticate(token, null)).toEqual({ username: 'ann', role: 'annotator' });
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(Date.now() + 7 * 86_400_000 + 1000);
		expect(await auth.authenticate(token, null)).toBeNull();
	});

	it('end when the account is deactivated, which also refuses new logins and tokens', async () => {
		const { token } = await auth.login('ann', PASSWORD, '10.0.0.1');
		const api = await auth.createApiToken('ann', 'script');
		await users.updateUserAs(boss, 'ann', { active: false });
		expect(await auth.authenticate(token, null)).toBeNull();
		expect(await auth.authenticate(undefined, `Bearer ${api.token}`)).toBeNull();
		expect(await status(auth.login('ann', PASSWORD, '10.0.0.1'))).toBe(401);
		await users.updateUserAs(boss, 'ann', { active: true });
		expect(await auth.authenticate(undefined, `Bearer ${api.token}`)).toEqual({ username: 'ann', role: 'annotator' });
	});

	it('end when a lead resets the password', async () => {
		const { token } = await auth.login('ann', PASSWORD, '10.0.0.1');
		await users.updateUserAs(boss, 'ann', { password: 'another-password' });
		expect(await auth.authenticate(token, null)).toBeNull();
		expect(await status(auth.login('ann', 'another-password', '10.0.0.1'))).toBe(200);
	});
});

describe('API tokens', () => {
	it('are stored hashed, listed without the secret, and stop working when revoked', async () => {
		const { id, token } = await auth.createApiToken('ann', 'script');
		expect(fs.readFileSync(path.join(root, '_system', 'users.json'), 'utf8')).not.toContain(token);
		expect(await auth.listApiTokens('ann')).toEqual([expect.not.objectContaining({ hash: expect.anything() })]);
		expect((await auth.listApiTokens('ann'))[0].last_used_at).toBeNull();
		expect(await auth.authenticate(undefined, `Bearer ${token}`)).toEqual({ username: 'ann', role: 'annotator' });
		expect((await auth.listApiTokens('ann'))[0].last_used_at).not.toBeNull();
		expect(await status(auth.revokeApiToken('boss', id))).toBe(404); // not boss's token
		await auth.revokeApiToken('ann', id);
		expect(await auth.authenticate(undefined, `Bearer ${token}`)).toBeNull();
	});
});

describe('login rate limit', () => {
	it('locks a username after 10 failures, wherever they come from', async () => {
		for (let i = 0; i < 10; i++) expect(await status(auth.login('ann', 'wrong-password', `10.0.1.${i}`))).toBe(401);
		expect(await status(auth.login('ann', PASSWORD, '10.0.2.1'))).toBe(429);
		expect(await status(auth.login('boss', PASSWORD, '10.0.2.1'))).toBe(200);
	});

	it('locks an address after its own budget of failures, across usernames', async () => {
		for (let i = 0; i < 12; i++) expect(await status(auth.login(`nobody${i}`, 'wrong-password', '10.0.3.1'))).toBe(401);
		expect(await status(auth.login('boss', PASSWORD, '10.0.3.1'))).toBe(429);
		expect(await status(auth.login('boss', PASSWORD, '10.0.3.2'))).toBe(200);
	});
});

describe('user management rules', () => {
	it('keeps at least one active lead, and a lead cannot demote or deactivate themselves', async () => {
		expect(await status(users.updateUserAs(boss, 'boss', { active: false }))).toBe(409);
		await auth.createUser({ username: 'boss2', password: PASSWORD, role: 'lead' });
		expect(await status(users.updateUserAs(boss, 'boss', { role: 'annotator' }))).toBe(409);
		expect(await status(users.updateUserAs(boss, 'boss2', { role: 'annotator' }))).toBe(200);
		expect(await status(users.updateUserAs({ username: 'ann', role: 'annotator' }, 'boss2', { role: 'lead' }))).toBe(403);
	});
});

describe('users.json shared with the CLI', () => {
	it('sees an account another process wrote, and keeps it on its next write', async () => {
		const { writeFileDurable } = await import('../store/file/durable');
		const { findUser } = await import('../store');
		const file = path.join(root, '_system', 'users.json');
		const data = JSON.parse(fs.readFileSync(file, 'utf8'));
		data.users.push({ ...data.users[0], username: 'fromcli' });
		await writeFileDurable(file, JSON.stringify(data)); // what `npm run user -- add` does
		expect((await findUser('fromcli'))?.role).toBe('lead');
		await auth.createUser({ username: 'later', password: PASSWORD, role: 'annotator' });
		const names = JSON.parse(fs.readFileSync(file, 'utf8')).users.map((u: { username: string }) => u.username);
		expect(names).toEqual(['boss', 'ann', 'fromcli', 'later']);
	});
});

describe('credential changes end what was made with the old credentials', () => {
	it('24 logins racing a lead’s reset: not one of their sessions works afterwards', async () => {
		// the reset is hashing the new password while the logins read the old one; they check it (each
		// scrypt takes tens of ms, four at a time) and write their sessions before and after the reset lands
		const reset = users.updateUserAs(boss, 'ann', { password: 'the-new-password' });
		const logins = Array.from({ length: 24 }, (_, i) => auth.login('ann', PASSWORD, `10.0.9.${i}`));
		const results = await Promise.allSettled([...logins, reset]);
		expect(results.at(-1)!.status).toBe('fulfilled');
		const tokens = results.slice(0, -1).flatMap((r) => (r.status === 'fulfilled' ? [(r.value as { token: string }).token] : []));
		for (const r of results.slice(0, -1)) if (r.status === 'rejected') expect(r.reason.status).toBe(401);
		for (const token of tokens) expect(await auth.authenticate(token, null)).toBeNull();
		expect(await status(auth.login('ann', PASSWORD, '10.0.9.100'))).toBe(401);
		const fresh = await auth.login('ann', 'the-new-password', '10.0.9.101');
		expect(await auth.authenticate(fresh.token, null)).toEqual({ username: 'ann', role: 'annotator' });
	});

	it('a session written under an older credential version does not work, even if nothing removed it', async () => {
		const { token } = await auth.login('ann', PASSWORD, '10.0.9.200');
		const { updateUsers } = await import('../store');
		// what a login that checked the old password leaves when its session lands after the reset ended the others
		await updateUsers((data) => {
			const ann = data.users.find((u) => u.username === 'ann')!;
			ann.credential_version = (ann.credential_version ?? 0) + 1;
		});
		expect(await auth.authenticate(token, null)).toBeNull();
	});

	it('a token asked for with a session checked before a reset is not made', async () => {
		const { token } = await auth.login('ann', PASSWORD, '10.0.9.201');
		const caller = (await auth.authenticate(token, null))!; // the request's session check passed...
		await users.updateUserAs(boss, 'ann', { password: 'the-new-password' }); // ...then the reset lands
		expect(await status(users.createTokenAs(caller, { name: 'sneaky' }))).toBe(401);
		expect(await auth.listApiTokens('ann')).toEqual([]);
		// a caller checked after the reset gets one
		const fresh = await auth.login('ann', 'the-new-password', '10.0.9.202');
		expect(await status(users.createTokenAs((await auth.authenticate(fresh.token, null))!, { name: 'fine' }))).toBe(200);
	});

	it('a lead’s reset revokes the user’s API tokens too', async () => {
		const api = await auth.createApiToken('ann', 'script');
		await users.updateUserAs(boss, 'ann', { password: 'the-new-password' });
		expect(await auth.authenticate(undefined, `Bearer ${api.token}`)).toBeNull();
		expect(await auth.listApiTokens('ann')).toEqual([]);
	});

	it('the user’s own change ends their other sessions, gives them a fresh one, and keeps their tokens', async () => {
		const here = await auth.login('ann', PASSWORD, '10.0.8.1');
		const elsewhere = await auth.login('ann', PASSWORD, '10.0.8.2');
		const api = await auth.createApiToken('ann', 'script');
		const ann = { username: 'ann', role: 'annotator' as const };
		const session = await users.changeOwnPassword(ann, { current: PASSWORD, password: 'the-new-password' }, '10.0.8.1');
		expect(await auth.authenticate(here.token, null)).toBeNull();
		expect(await auth.authenticate(elsewhere.token, null)).toBeNull();
		expect(await auth.authenticate(session!.token, null)).toEqual(ann);
		expect(await auth.authenticate(undefined, `Bearer ${api.token}`)).toEqual(ann);
		expect((await users.tokensOf(ann)).map((t) => t.name)).toEqual(['script']);
	});

	it('checking the current password uses the login limiter: 10 wrong ones lock the account for logins too', async () => {
		const ann = { username: 'ann', role: 'annotator' as const };
		for (let i = 0; i < 10; i++) {
			expect(await status(users.changeOwnPassword(ann, { current: `wrong-${i}-password`, password: 'the-new-password' }, `10.0.7.${i}`))).toBe(400);
		}
		expect(await status(users.changeOwnPassword(ann, { current: PASSWORD, password: 'the-new-password' }, '10.0.7.50'))).toBe(429);
		expect(await status(auth.login('ann', PASSWORD, '10.0.7.51'))).toBe(429);
		expect(await status(auth.login('boss', PASSWORD, '10.0.7.51'))).toBe(200);
	});
});

describe('user administration is serialised', () => {
	const activeLeads = async () => (await auth.publicUsers()).filter((u) => u.role === 'lead' && u.active).map((u) => u.username);

	it('two leads deactivating or demoting each other at the same moment: one wins, one active lead is left (10 rounds)', async () => {
		await auth.createUser({ username: 'boss2', password: PASSWORD, role: 'lead' });
		const b1 = boss;
		const b2 = { username: 'boss2', role: 'lead' as const };
		for (let round = 0; round < 10; round++) {
			const change = round % 2 ? { active: false } : { role: 'annotator' as const };
			const results = await Promise.all([status(users.updateUserAs(b1, 'boss2', change)), status(users.updateUserAs(b2, 'boss', change))]);
			expect(results.sort()).toEqual([200, 409]);
			expect(await activeLeads()).toHaveLength(1);
			// put the loser back for the next round (through the store: the winner's session would do the same)
			const [loser] = (await auth.publicUsers()).filter((u) => (u.username === 'boss' || u.username === 'boss2') && !(u.role === 'lead' && u.active));
			await auth.setUserFields(loser.username, { role: 'lead', active: true });
			expect(await activeLeads()).toEqual(['boss', 'boss2']);
		}
	});

	it('the last active lead cannot be removed from the command line either', async () => {
		expect(await status(auth.setUserFields('boss', { active: false }))).toBe(409);
		expect(await status(auth.setUserFields('boss', { role: 'annotator' }))).toBe(409);
		expect(await activeLeads()).toEqual(['boss']);
	});
});

describe('density preference (issue #15 item 7)', () => {
	it('is kept in the account, per user, and survives a new password', async () => {
		expect(await auth.densityPreference('ann')).toBeUndefined();
		await auth.setDensityPreference('ann', 'compact');
		expect(await auth.densityPreference('ann')).toBe('compact');
		expect(await auth.densityPreference('boss')).toBeUndefined();
		await auth.setUserFields('ann', { password: 'another-long-password' });
		expect(await auth.densityPreference('ann')).toBe('compact');
		const saved = JSON.parse(fs.readFileSync(path.join(root, '_system', 'users.json'), 'utf8'));
		expect(saved.users.find((u: { username: string }) => u.username === 'ann').preferences).toEqual({ density: 'compact' });
		await auth.setDensityPreference('ann', 'comfortable');
		expect(await auth.densityPreference('ann')).toBe('comfortable');
	});

	it('refuses anything but the two densities, and unknown users', async () => {
		expect(auth.preferencesSchema.safeParse({ density: 'tiny' }).success).toBe(false);
		expect(auth.preferencesSchema.safeParse({ density: 'compact', extra: 1 }).success).toBe(false);
		expect(auth.preferencesSchema.safeParse({ density: 'compact' }).success).toBe(true);
		expect(await status(auth.setDensityPreference('nobody', 'compact'))).toBe(404);
		expect(await status(auth.setDensityPreference('__proto__', 'compact'))).toBe(404);
	});
});
