/**
 * The login rate limit's policy. Per username: `SPANLAB_LOGIN_FAILURES_PER_USER`
 * (10) failures → locked for 15 minutes (guessing one account's password, from
 * anywhere). Per IP: the same rule with a larger budget
 * (`SPANLAB_LOGIN_FAILURES_PER_IP`, 50), because a whole team often shares one
 * office/NAT address and ten typos between them must not lock everyone out; it
 * still stops one host from spraying guesses across many usernames.
 *
 * The failures are kept by the store (`store.loginFailures`), so that every app
 * process on one PostgreSQL database counts the same ones; here is only the rule.
 */
import { limits } from '../config';
import { store, type FailureLimits } from '../store';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

const perUser = (): FailureLimits => ({ limit: limits.loginFailuresPerUser, windowMs: LOGIN_WINDOW_MS, lockMs: LOGIN_WINDOW_MS });
const perIp = (): FailureLimits => ({ limit: limits.loginFailuresPerIp, windowMs: LOGIN_WINDOW_MS, lockMs: LOGIN_WINDOW_MS });

const userKey = (username: string) => `user:${username.toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

/** Milliseconds before `username` may try again from `ip` (the longer of the two locks); 0 when it may. */
export async function loginLockedFor(username: string, ip: string): Promise<number> {
	const [user, address] = await Promise.all([store.loginFailures.lockedFor(userKey(username)), store.loginFailures.lockedFor(ipKey(ip))]);
	return Math.max(user, address);
}

/** A failed login (or a wrong current password) of `username` from `ip`: counted against both. */
export async function loginFailed(username: string, ip: string): Promise<void> {
	await Promise.all([store.loginFailures.fail(userKey(username), perUser()), store.loginFailures.fail(ipKey(ip), perIp())]);
}

/** A successful login clears the username's count (not the address's: it is not this account's). */
export async function loginSucceeded(username: string): Promise<void> {
	await store.loginFailures.clear(userKey(username));
}

/** Milliseconds the username stays locked (0: not locked), for the Users page. */
export function usernameLockedFor(username: string): Promise<number> {
	return store.loginFailures.lockedFor(userKey(username));
}

/** Lifts the lock and count of a username (a lead's unlock); true when it was locked. */
export async function unlockUsername(username: string): Promise<boolean> {
	const was = (await usernameLockedFor(username)) > 0;
	await store.loginFailures.clear(userKey(username));
	return was;
}

/** Forgets every count (tests). */
export function resetLoginFailures(): Promise<void> {
	return store.loginFailures.reset();
}
