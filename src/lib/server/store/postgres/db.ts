/**
 * The PostgreSQL store's connections and the small helpers its repositories share.
 *
 * Two pools: `sql` runs the short transactions (a save, a read); `locks` holds
 * the transactions that only keep an advisory lock for as long as a caller's
 * function runs (`withCurrentLabels`, `withLabelChangeLock`). A lock holder
 * waits on `sql` for its function's queries, `sql` never waits on `locks`: a
 * full `locks` pool makes lock takers queue, never a deadlock.
 */
import postgres, { type Sql } from 'postgres';
import { notFound } from '../../http/errors';
import { checkSlug } from '../names';

export interface Db {
	sql: Sql;
	locks: Sql;
	/** the dataset's row id (ids never change; cached). @throws notFound */
	datasetId(slug: string, tx?: Sql): Promise<string>;
	/** forgets cached ids (Store.reset) */
	forget(): void;
	end(): Promise<void>;
}

/** Namespaces of the two-key advisory locks (the second key: a dataset's id). */
export const LOCK = {
	/** shared by a save validating against the labels, exclusive while the label set changes */
	labels: 1,
	/** one label change (or a release's read) at a time */
	labelChange: 2,
	/** one addMany at a time per dataset (positions, duplicate texts) */
	documents: 3,
	/** one change of the accounts (users and tokens) at a time */
	users: 4,
	sessions: 5,
	/** one release cut at a time per dataset (ReleaseRepository.exclusive) */
	releases: 6
} as const;

export function connect(url: string, options: { max?: number; lockMax?: number } = {}): Db {
	const common = {
		onnotice: () => {},
		// acknowledged means durable: a commit returns once its WAL is flushed, whatever the server's default
		connection: { application_name: 'spanlab', synchronous_commit: 'on' }
	};
	const sql = postgres(url, { ...common, max: options.max ?? 10 });
	const locks = postgres(url, { ...common, max: options.lockMax ?? 20, idle_timeout: 30 });
	const ids = new Map<string, string>();
	return {
		sql,
		locks,
		async datasetId(slug, tx) {
			checkSlug(slug);
			const known = ids.get(slug);
			if (known) return known;
			const [row] = await (tx ?? sql)<{ id: string }[]>`SELECT id FROM datasets WHERE slug = ${slug}`;
			if (!row) throw notFound(`no dataset "${slug}"`);
			ids.set(slug, String(row.id));
			return String(row.id);
		},
		forget() {
			ids.clear();
		},
		async end() {
			await Promise.all([sql.end({ timeout: 5 }), locks.end({ timeout: 5 })]);
		}
	};
}

/** A timestamptz as the ISO string the file store keeps (`Date#toISOString`); null stays null. */
export function iso(value: Date | string | null | undefined): string | null {
	if (value === null || value === undefined) return null;
	return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** A value for a `json` column: its JSON text, cast in the query (`${json(v)}::json`). */
export function json(value: unknown): string {
	return JSON.stringify(value);
}

/**
 * The second key of a dataset's advisory locks: its id as an int4 (wrapped past
 * 2^31; two datasets sharing a key would only wait for each other).
 */
export const lockKey = (datasetId: string): number => Number(BigInt.asIntN(32, BigInt(datasetId)));

/** Runs `fn` inside a transaction of `pool` that holds advisory lock (space, key) shared or exclusive. */
export async function withAdvisoryLock<T>(pool: Sql, space: number, key: string, mode: 'shared' | 'exclusive', fn: () => Promise<T>): Promise<T> {
	let result!: T;
	await pool.begin(async (tx) => {
		if (mode === 'shared') await tx`SELECT pg_advisory_xact_lock_shared(${space}::int, ${lockKey(key)}::int)`;
		else await tx`SELECT pg_advisory_xact_lock(${space}::int, ${lockKey(key)}::int)`;
		result = await fn();
	});
	return result;
}
