/**
 * Failure counting for login: after `limit` failures within `windowMs` a key is
 * locked for `lockMs`. In memory (one server process); the clock is injectable
 * for tests.
 */
export interface FailureLimiterOptions {
	limit: number;
	windowMs: number;
	lockMs: number;
	now?: () => number;
	/** entries kept before stale ones are pruned, so random usernames cannot grow the map without bound */
	maxEntries?: number;
}

interface Entry {
	count: number;
	first: number;
	lockedUntil: number;
}

export class FailureLimiter {
	private entries = new Map<string, Entry>();
	private readonly now: () => number;

	constructor(private readonly options: FailureLimiterOptions) {
		this.now = options.now ?? Date.now;
	}

	/** Milliseconds the key stays locked; 0 when it may try. */
	lockedFor(key: string): number {
		const entry = this.entries.get(key);
		return entry ? Math.max(0, entry.lockedUntil - this.now()) : 0;
	}

	fail(key: string): void {
		const now = this.now();
		const entry = this.entries.get(key);
		if (entry && entry.lockedUntil > now) return;
		const lockOver = entry !== undefined && entry.lockedUntil > 0;
		if (!entry || lockOver || now - entry.first > this.options.windowMs) {
			this.prune(now);
			this.entries.set(key, { count: 1, first: now, lockedUntil: this.options.limit <= 1 ? now + this.options.lockMs : 0 });
			return;
		}
		entry.count++;
		if (entry.count >= this.options.limit) entry.lockedUntil = now + this.options.lockMs;
	}

	clear(key: string): void {
		this.entries.delete(key);
	}

	reset(): void {
		this.entries.clear();
	}

	private prune(now: number): void {
		if (this.entries.size < (this.options.maxEntries ?? 10_000)) return;
		for (const [key, entry] of this.entries) {
			if (entry.lockedUntil <= now && now - entry.first > this.options.windowMs) this.entries.delete(key);
		}
	}
}
