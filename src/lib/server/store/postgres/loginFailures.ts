/**
 * Failed logins on PostgreSQL (`login_limits`, migration 0003): a counter row
 * per key, so that every app process counts the same failures and sees the
 * same locks. A failure is one statement: the upsert reads the row as it is
 * under its row lock and writes the next state (the same rule as the file
 * store's, ../file/loginFailures.ts), so racing failures are each counted once.
 * Times are the database's clock (`now()`), one clock for every process.
 */
import type { LoginFailureRepository } from '../types';
import type { Db } from './db';

/** a sweep of rows whose window and lock are over, every this many failures of a process */
const SWEEP_EVERY = 200;

export function postgresLoginFailures(db: Db): LoginFailureRepository {
	const { sql } = db;
	let failures = 0;
	let longestWindowMs = 0;
	return {
		async lockedFor(key) {
			const [row] = await sql<{ ms: number }[]>`
				SELECT greatest(0, ceil(extract(epoch FROM locked_until - now()) * 1000))::float8 AS ms
				FROM login_limits WHERE key = ${key} AND locked_until > now()`;
			return row ? row.ms : 0;
		},
		async fail(key, { limit, windowMs, lockMs }) {
			longestWindowMs = Math.max(longestWindowMs, windowMs, lockMs);
			if (++failures % SWEEP_EVERY === 0) {
				await sql`DELETE FROM login_limits WHERE first_at < now() - ${longestWindowMs}::float8 * interval '1 millisecond'
					AND (locked_until IS NULL OR locked_until <= now())`;
			}
			// in ON CONFLICT's SET every l.* is the row before this failure:
			//   locked now → unchanged; a lock over, or the window over → a new count of 1; else one more, locking at the limit
			const [row] = await sql<{ ms: number }[]>`
				WITH rule AS (SELECT ${limit}::int AS lim, ${windowMs}::float8 * interval '1 millisecond' AS win, ${lockMs}::float8 * interval '1 millisecond' AS lock)
				INSERT INTO login_limits AS l (key, count, first_at, locked_until)
				SELECT ${key}, 1, now(), CASE WHEN rule.lim <= 1 THEN now() + rule.lock END FROM rule
				ON CONFLICT (key) DO UPDATE SET
					count = CASE
						WHEN l.locked_until > now() THEN l.count
						WHEN l.locked_until IS NOT NULL OR now() - l.first_at > (SELECT win FROM rule) THEN 1
						ELSE l.count + 1 END,
					first_at = CASE
						WHEN l.locked_until > now() THEN l.first_at
						WHEN l.locked_until IS NOT NULL OR now() - l.first_at > (SELECT win FROM rule) THEN now()
						ELSE l.first_at END,
					locked_until = CASE
						WHEN l.locked_until > now() THEN l.locked_until
						WHEN l.locked_until IS NOT NULL OR now() - l.first_at > (SELECT win FROM rule) THEN
							CASE WHEN (SELECT lim FROM rule) <= 1 THEN now() + (SELECT lock FROM rule) END
						WHEN l.count + 1 >= (SELECT lim FROM rule) THEN now() + (SELECT lock FROM rule)
						ELSE NULL END
				RETURNING coalesce(greatest(0, ceil(extract(epoch FROM l.locked_until - now()) * 1000)), 0)::float8 AS ms`;
			return row.ms;
		},
		async clear(key) {
			await sql`DELETE FROM login_limits WHERE key = ${key}`;
		},
		async reset() {
			await sql`DELETE FROM login_limits`;
		}
	};
}
