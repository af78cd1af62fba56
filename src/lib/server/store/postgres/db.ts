/**
 * The PostgreSQL store's connections and the small helpers its repositories share.
 *
 * Two pools: `sql` runs the short transactions (a save, a read); `locks` holds
 * the transactions that only keep an advisory lock for as long as a caller's
 * function runs (`withCurrentLabels`, `withLabelChangeLock`). A lock holder
 * waits on `sql` for its function's queries, `sql` never waits on `locks`: a
 * full `locks` pool makes lock takers queue, never a deadlock.
 *
 * The driver is `pg` (node-postgres), behind a small tagged-template adapter
 * (`Sql`, below) so that the repositories read as SQL with their values in
 * place: `sql\`SELECT … WHERE id = ${id}\`` is sent as `… WHERE id = $1` with `[id]`
 * (never spliced into the text), a query nested in another is inlined as SQL
 * (a conditional `AND …`), `sql.begin(fn)` runs `fn(tx)` in a transaction on one
 * connection, `sql.reserve()` lends a connection of its own (a snapshot walk),
 * `sql.unsafe(text, params)` runs text built by code. The values read back are
 * pg's defaults, the ones the repositories were written for: timestamptz a Date
 * (`iso()`), bigint and numeric strings, json and jsonb parsed, integer and
 * double precision numbers, arrays as arrays.
 *
 * A database that goes away (killed, restarted, the network gone) is a rejected
 * promise, never a hang nor a crash: every connection has an error listener
 * (pg emits 'error' on a client whose socket dies, which would otherwise kill
 * the process), new connections time out after CONNECT_TIMEOUT_MS, TCP
 * keepalive notices a peer that vanished without a word, and the server stops
 * a statement that runs past STATEMENT_TIMEOUT_MS. A dead connection is
 * dropped by the pool, the next query opens a new one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { notFound } from '../../http/errors';
import { checkSlug } from '../names';

/** A row as pg reads it (the repositories name their rows' shapes as type arguments) */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

/** SQL text with its values, not run yet: a template's pieces. */
class Fragment {
	constructor(
		readonly strings: readonly string[],
		readonly values: readonly unknown[]
	) {}
}

/** `fragment` as text with `$n` placeholders, its values appended to `params` (nested fragments inlined). */
function compile(fragment: Fragment, params: unknown[]): string {
	let text = fragment.strings[0];
	for (let i = 0; i < fragment.values.length; i++) {
		const value = fragment.values[i];
		if (value instanceof Fragment) text += compile(value, params);
		else {
			params.push(value);
			text += `$${params.length}`;
		}
		text += fragment.strings[i + 1];
	}
	return text;
}

/**
 * A query: runs when first awaited (so that one built only to be nested in
 * another, `tx\`AND …\``, never runs on its own), then answers its rows.
 */
export class Query<T> extends Fragment implements PromiseLike<T> {
	private running: Promise<T> | null = null;

	constructor(
		strings: readonly string[],
		values: readonly unknown[],
		private readonly run: (text: string, params: unknown[]) => Promise<T>
	) {
		super(strings, values);
	}

	private start(): Promise<T> {
		if (!this.running) {
			const params: unknown[] = [];
			const text = compile(this, params);
			this.running = this.run(text, params);
		}
		return this.running;
	}

	then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
		return this.start().then(onFulfilled, onRejected);
	}

	catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
		return this.start().catch(onRejected);
	}

	finally(onFinally?: (() => void) | null): Promise<T> {
		return this.start().finally(onFinally);
	}
}

type Rows = readonly object[];

/** Queries as tagged templates over a pool, or over one connection (a transaction's `tx`, a reserved connection). */
export interface Sql {
	<T extends Rows = Row[]>(strings: TemplateStringsArray, ...values: unknown[]): Query<T>;
	/**
	 * Text built by code (a column list, a migration's statements), with `$n` placeholders for `params`.
	 * Without params it is sent as a simple query: several statements may run as one.
	 */
	unsafe<T extends Rows = Row[]>(text: string, params?: readonly unknown[]): Query<T>;
	/**
	 * `text` (as `unsafe`, with params), each row handed to `onRow` as it arrives and none kept: a read of
	 * 300,000 rows holds no array of them (what the young generation's collections would copy); answers how
	 * many there were. An error thrown by `onRow` is the promise's, once the statement has ended.
	 */
	each(text: string, params: readonly unknown[], onRow: (row: Row) => void): Promise<number>;
	/**
	 * `fn(tx)` inside BEGIN … COMMIT on one connection; rolled back when `fn` throws (which rethrows).
	 * Inside a `transaction` of the same Db: a SAVEPOINT of it instead (`fn`'s writes undone alone when it throws).
	 */
	begin<T>(fn: (tx: Sql) => T | Promise<T>): Promise<T>;
	/**
	 * `fn()` inside one transaction that every query of this Db (both pools, `begin`s as savepoints) made
	 * while `fn` runs joins, however deep in the repositories (its async context: AsyncLocalStorage). What
	 * the store's own use cases do through the seam becomes all or nothing (a label change and its rewrite
	 * of every set). Already inside one: `fn()` joins it. `reserve` inside one is refused (its connection
	 * would not see the transaction's writes).
	 */
	transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
	/** whether a query made now runs inside a transaction (a `transaction` of this Db, or this is a `tx`): it may see writes not committed yet */
	inTransaction(): boolean;
	/** a connection of its own until `release()` (a pool only) */
	reserve(): Promise<ReservedSql>;
	/** closes the pool (waits up to `timeout` seconds for connections in use) */
	end(options?: { timeout?: number }): Promise<void>;
}

/** How a `transaction` that is not inside another one opens, and what `begin` does inside it. */
export interface TransactionOptions {
	/**
	 * SQL text sent with the BEGIN as one simple query (one round trip instead of two), e.g. an advisory lock.
	 * Text built by code from constants and numbers only: no value from outside belongs in it.
	 */
	opening?: string;
	/**
	 * `begin` inside it runs its function on the transaction itself instead of a savepoint (no SAVEPOINT and
	 * RELEASE round trips): for one unit of work that is kept or undone whole (a save: its label lock and its
	 * commit), where nothing catches a failed `begin` and goes on. Two `begin`s at once are refused, as savepoints are.
	 */
	flat?: boolean;
}

export interface ReservedSql extends Sql {
	release(): void;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

async function rowsOf(target: Queryable, text: string, params: readonly unknown[]): Promise<Row[]> {
	const result = (await target.query(text, params.length ? [...params] : undefined)) as pg.QueryResult | pg.QueryResult[];
	// a simple query of several statements answers each one's result: the last one's rows
	return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
}

/** `Sql.each` on one connection: pg emits each row and keeps none when the query has a 'row' listener and no callback. */
function eachRow(client: Queryable, text: string, params: readonly unknown[], onRow: (row: Row) => void): Promise<number> {
	return new Promise((resolve, reject) => {
		const query = new pg.Query(text, params.length ? [...params] : undefined);
		let count = 0;
		let failed: { error: unknown } | null = null;
		query.on('row', (row: Row) => {
			if (failed) return;
			try {
				onRow(row);
				count++;
			} catch (error) {
				failed = { error };
			}
		});
		query.on('error', reject);
		query.on('end', () => (failed ? reject(failed.error) : resolve(count)));
		client.query(query);
	});
}

function tagged(target: Queryable, each: Sql['each']): Pick<Sql, 'unsafe' | 'each'> & ((strings: TemplateStringsArray, ...values: unknown[]) => Query<never>) {
	const query = (strings: TemplateStringsArray, ...values: unknown[]) =>
		new Query<never>(strings, values, (text, params) => rowsOf(target, text, params) as Promise<never>);
	return Object.assign(query, {
		unsafe: <T extends Rows>(text: string, params: readonly unknown[] = []) =>
			new Query<T>([text], [], () => rowsOf(target, text, params) as unknown as Promise<T>),
		each
	});
}

/** A transaction that a Db's queries join while it runs (Sql.transaction): its connection, for the Db that opened it. */
interface Joined {
	owner: object;
	client: pg.PoolClient;
	savepoints: number;
	/** the savepoints open now, innermost last */
	open: string[];
	/** TransactionOptions.flat: `begin` joins the transaction itself; whether one runs now */
	flat?: { running: boolean };
}
const joined = new AsyncLocalStorage<Joined>();
/** the savepoint the code running now is inside (null: the transaction itself) */
const inSavepoint = new AsyncLocalStorage<string | null>();

function joinedBy(owner: object): Joined | undefined {
	const current = joined.getStore();
	return current && current.owner === owner ? current : undefined;
}

/**
 * `fn` inside a savepoint of the joined transaction. Savepoints nest; two side by side at once (a Promise.all
 * of two commits inside one label change) would interleave on the one connection, so that is refused.
 */
async function savepoint<T>(j: Joined, fn: (tx: Sql) => T | Promise<T>): Promise<T> {
	if (j.flat) {
		if (j.flat.running) throw new Error('two transactions at once in one flat transaction (run the store calls inside it one after another)');
		j.flat.running = true;
		try {
			return await fn(onClient(j.client, j));
		} finally {
			j.flat.running = false;
		}
	}
	const parent = inSavepoint.getStore() ?? null;
	if ((j.open.at(-1) ?? null) !== parent) throw new Error('two savepoints at once in one transaction (run the store calls inside a transaction one after another)');
	const name = `spanlab_${++j.savepoints}`;
	await j.client.query(`SAVEPOINT ${name}`);
	j.open.push(name);
	try {
		const result = await inSavepoint.run(name, () => fn(onClient(j.client, j)));
		await j.client.query(`RELEASE SAVEPOINT ${name}`);
		return result;
	} catch (e) {
		await j.client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {});
		throw e;
	} finally {
		j.open.pop();
	}
}

/** The queries of one checked-out connection (a transaction's, a reserved one's). */
function onClient(client: pg.PoolClient, within?: Joined): Sql {
	const sql = Object.assign(tagged(client, (text, params, onRow) => eachRow(client, text, params, onRow)), {
		begin<T>(fn: (tx: Sql) => T | Promise<T>): Promise<T> {
			if (within) return savepoint(within, fn);
			throw new Error('Sql.begin: already inside a transaction (no nested transactions)');
		},
		transaction<T>(fn: () => Promise<T>): Promise<T> {
			if (within) return fn();
			throw new Error('Sql.transaction: already inside a transaction');
		},
		inTransaction: () => true,
		reserve(): Promise<never> {
			throw new Error('Sql.reserve: a connection of a pool only');
		},
		async end() {}
	});
	return sql as unknown as Sql;
}

/** New connections that do not answer in this time are an error (not a wait forever). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** The server cancels a statement that runs longer (a release's largest INSERT … SELECT takes seconds; lock waits behind a release cut, under a minute). */
export const STATEMENT_TIMEOUT_MS = 10 * 60_000;
/** Idle connections probed after this long without traffic (a server that vanished without closing is noticed). */
const KEEPALIVE_MS = 10_000;

/** Called with each error of a connection that is not a query's (a query's rejects its promise). */
let reportConnectionError = (error: Error) => console.error(`spanlab: database connection lost: ${error.message}`);

/** The pool's clients: each has an error listener from birth, and a connect timeout of its own (not the pool's queue wait). */
function clientClass(connectTimeoutMs: number) {
	return class SpanlabClient extends pg.Client {
		constructor(config: pg.ClientConfig) {
			super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
			// pg emits 'error' on a client whose connection dies, in use or not: unheard, Node would end the process
			this.on('error', () => {});
		}
	};
}

export interface SqlOptions {
	/** connections (default 10) */
	max?: number;
	/** an idle connection is closed after this long (default 30) */
	idleSeconds?: number;
	/** a new connection not ready after this long is an error (default CONNECT_TIMEOUT_MS) */
	connectTimeoutMs?: number;
	/** pools with one owner join each other's `transaction` (a Db's two pools); default: this pool alone */
	owner?: object;
}

/** A pool of `max` connections to `url` as a tagged-template `Sql`. */
export function createSql(url: string, options: SqlOptions = {}): Sql {
	const pool = new pg.Pool({
		connectionString: url,
		max: options.max ?? 10,
		idleTimeoutMillis: (options.idleSeconds ?? 30) * 1000,
		// no connectionTimeoutMillis on the pool: it would also limit the wait for a free connection (a queue under load is not an error);
		// each new connection has its own timeout (clientClass)
		Client: clientClass(options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS) as unknown as new () => pg.ClientBase,
		keepAlive: true,
		keepAliveInitialDelayMillis: KEEPALIVE_MS,
		statement_timeout: STATEMENT_TIMEOUT_MS,
		application_name: 'spanlab',
		// acknowledged means durable: a commit returns once its WAL is flushed, whatever the server's default
		options: '-c synchronous_commit=on',
		allowExitOnIdle: true
	});
	// an idle connection that dies is dropped by the pool, which then emits 'error': unheard, it would end the process
	let ending = false;
	pool.on('error', (error) => {
		if (!ending) reportConnectionError(error);
	});
	// the connections still open, so that end() returns once their sockets are closed (pool.end() does not wait)
	const open = new Set<pg.Client>();
	pool.on('connect', (client) => {
		open.add(client);
		client.once('end', () => open.delete(client));
	});

	const owner = options.owner ?? {};
	// a query joins the transaction its caller runs in (Sql.transaction), else takes any connection of the pool
	const target: Queryable = {
		query: ((text: string, params?: unknown[]) => (joinedBy(owner)?.client ?? pool).query(text, params)) as Queryable['query']
	};

	async function begin<T>(fn: (client: pg.PoolClient) => Promise<T>, opening?: string): Promise<T> {
		const client = await pool.connect();
		let broken = false;
		try {
			await client.query(opening ? `BEGIN; ${opening}` : 'BEGIN');
			const result = await fn(client);
			await client.query('COMMIT');
			return result;
		} catch (e) {
			// a connection that cannot even roll back is not given back to the pool
			await client.query('ROLLBACK').catch(() => (broken = true));
			throw e;
		} finally {
			client.release(broken);
		}
	}

	// a pool hands a streamed query a connection of its own (the joined transaction's, inside one)
	async function each(text: string, params: readonly unknown[], onRow: (row: Row) => void): Promise<number> {
		const within = joinedBy(owner)?.client;
		if (within) return eachRow(within, text, params, onRow);
		const client = await pool.connect();
		try {
			return await eachRow(client, text, params, onRow);
		} finally {
			client.release();
		}
	}

	const sql = Object.assign(tagged(target, each), {
		begin<T>(fn: (tx: Sql) => T | Promise<T>): Promise<T> {
			const j = joinedBy(owner);
			if (j) return savepoint(j, fn);
			return begin(async (client) => fn(onClient(client)));
		},
		transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
			if (joinedBy(owner)) return fn();
			const flat = options.flat ? { running: false } : undefined;
			return begin((client) => joined.run({ owner, client, savepoints: 0, open: [], flat }, () => inSavepoint.run(null, fn)), options.opening);
		},
		inTransaction: () => Boolean(joinedBy(owner)),
		async reserve(): Promise<ReservedSql> {
			if (joinedBy(owner)) throw new Error('Sql.reserve inside a transaction of the same store: its connection would not see the transaction\'s writes');
			const client = await pool.connect();
			let released = false;
			return Object.assign(onClient(client), {
				release() {
					if (released) return;
					released = true;
					client.release();
				}
			});
		},
		async end({ timeout = 5 }: { timeout?: number } = {}) {
			if (ending) return;
			ending = true;
			const closed = (async () => {
				await pool.end();
				while (open.size) await Promise.race([...open].map((client) => new Promise((resolve) => client.once('end', resolve))));
			})();
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout * 1000)))]);
			clearTimeout(timer);
		}
	});
	return sql as unknown as Sql;
}

/** Replaces where connection errors are reported (tests; the default logs a line). */
export function onConnectionError(report: (error: Error) => void): void {
	reportConnectionError = report;
}

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
	releases: 6,
	/** one process's start-up steps at a time (Store.startup; second key 0) */
	startup: 7,
	/** one writer of a dataset's list snapshot at a time (tried, never waited for: ./listCache.ts) */
	listSnapshot: 8
} as const;

export function connect(url: string, options: { max?: number; lockMax?: number; connectTimeoutMs?: number } = {}): Db {
	// one owner: a transaction opened on either pool is joined by the queries of both
	const owner = {};
	const sql = createSql(url, { max: options.max ?? 10, connectTimeoutMs: options.connectTimeoutMs, owner });
	const locks = createSql(url, { max: options.lockMax ?? 20, connectTimeoutMs: options.connectTimeoutMs, owner });
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

/** Runs `fn` inside a transaction of `pool` holding the advisory lock of a text key (its 64-bit hash; a collision only makes two keys wait for each other). */
export async function withKeyLock<T>(pool: Sql, key: string, fn: () => Promise<T>): Promise<T> {
	let result!: T;
	await pool.begin(async (tx) => {
		await tx`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
		result = await fn();
	});
	return result;
}
