import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDomainError } from './errors';

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
		const { writeFileDurable } = await import('./store/durable');
		const { findUser } = await import('./store/system');
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
