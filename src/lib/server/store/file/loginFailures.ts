/**
 * Failed logins on the file store: counted in memory, which is every process of
 * the store (one per data folder, its lock sees to that). A restart forgets
 * them, as it always did. The clock is injectable for tests.
 */
import type { FailureLimits, LoginFailureRepository } from '../types';

interface Entry {
	count: number;
	first: number;
	lockedUntil: number;
}

export interface MemoryLoginFailureOptions {
	now?: () => number;
	/** entries kept before stale ones are pruned, so random usernames cannot grow the map without bound */
	maxEntries?: number;
}

export function memoryLoginFailures(options: MemoryLoginFailureOptions = {}): LoginFailureRepository {
	const entries = new Map<string, Entry>();
	const now = options.now ?? (() => Date.now());
	const lockedFor = (key: string, at: number) => {
		const entry = entries.get(key);
		return entry ? Math.max(0, entry.lockedUntil - at) : 0;
	};
	/** drops entries whose lock and window are over (the longest window asked for so far) */
	let longestWindow = 0;
	const prune = (at: number) => {
		if (entries.size < (options.maxEntries ?? 10_000)) return;
		for (const [key, entry] of entries) {
			if (entry.lockedUntil <= at && at - entry.first > longestWindow) entries.delete(key);
		}
	};
	return {
		async lockedFor(key) {
			return lockedFor(key, now());
		},
		async fail(key, limits: FailureLimits) {
			const at = now();
			longestWindow = Math.max(longestWindow, limits.windowMs);
			const entry = entries.get(key);
			if (entry && entry.lockedUntil > at) return lockedFor(key, at);
			const lockOver = entry !== undefined && entry.lockedUntil > 0;
			if (!entry || lockOver || at - entry.first > limits.windowMs) {
				prune(at);
				entries.set(key, { count: 1, first: at, lockedUntil: limits.limit <= 1 ? at + limits.lockMs : 0 });
			} else {
				entry.count++;
				if (entry.count >= limits.limit) entry.lockedUntil = at + limits.lockMs;
			}
			return lockedFor(key, at);
		},
		async clear(key) {
			entries.delete(key);
		},
		async reset() {
			entries.clear();
		}
	};
}
