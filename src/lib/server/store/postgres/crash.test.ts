/**
 * The PostgreSQL store when the database goes away: the server killed with
 * SIGKILL in the middle of a save's transaction, or a server that accepts a
 * connection and never answers. A pending call must reject within seconds (not
 * hang), nothing may crash the process (vitest fails a file on an uncaught
 * error or an unhandled rejection), nothing of the interrupted save is kept,
 * and after a restart the same store and a fresh one both work.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from './index';
import { createSql, onConnectionError, type Sql } from './db';
import type { AnnotationSet } from '../../../model/types';
import type { SetChange } from '../types';

let cluster: TestPostgres;
const closing: Array<{ close?: () => Promise<void>; end?: () => Promise<void> }> = [];
const connectionErrors: string[] = [];

beforeAll(async () => {
	cluster = await startPostgres();
	onConnectionError((e) => connectionErrors.push(e.message));
}, 60_000);

afterAll(async () => {
	for (const c of closing) await (c.close ?? c.end)?.call(c);
	await cluster?.stop();
});

const text = 'Le préfet a parlé.';

function firstSave(by: string) {
	return (current: AnnotationSet): SetChange => {
		const at = new Date().toISOString();
		const spans = [{ id: 's1', start: 3, end: 9, label: 'claim', text: 'préfet' }];
		const set: AnnotationSet = { ...current, revision: current.revision + 1, status: 'in_progress', spans, updated_at: at, updated_by: by };
		return { set, revision: { revision: set.revision, at, by, status: set.status, spans, added: 1, removed: 0, relabelled: 0 } };
	};
}

/** ms until `promise` settles, and how */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
	const t0 = performance.now();
	let error: unknown = null;
	await promise.catch((e) => (error = e));
	return { ms: performance.now() - t0, error };
}

describe('PostgreSQL store: the server killed with SIGKILL', () => {
	it('rejects a save waiting inside its transaction within seconds, keeps nothing of it, and works again after the restart', async () => {
		const url = await cluster.newDatabase();
		const store = createPostgresStore(url, { max: 4 });
		closing.push(store);
		await store.init();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
		await store.documents.addMany('news', [{ id: 'd1', title: 'D1', text, meta: {}, sha256: createHash('sha256').update(text).digest('hex') }]);
		const key = { slug: 'news', docId: 'd1', annotator: 'ann1' };

		// another "process" holds the set's lock, so that the save below stops inside its transaction (BEGIN sent, waiting on the lock)
		const other: Sql = createSql(url, { max: 1 });
		closing.push(other);
		const [{ id }] = await other<{ id: string }[]>`SELECT id::text AS id FROM datasets WHERE slug = 'news'`;
		let locked!: () => void;
		const holding = new Promise<void>((resolve) => (locked = resolve));
		const holder = timed(other.begin(async (tx) => {
			await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`set:${id}/d1/ann1`}, 0))`;
			locked();
			await tx`SELECT pg_sleep(60)`;
		}));
		await holding;
		// timed from here: a handler on the promise at once (a rejection with none is an unhandled one)
		const save = timed(store.sets.commit(key, 0, firstSave('ann1')));
		// the save is queued on the lock on the server
		for (let i = 0; (await waitingOnLock(url)) === 0; i++) {
			if (i > 100) throw new Error('the save never waited on the lock');
			await new Promise((r) => setTimeout(r, 50));
		}

		await cluster.crashAndRestart();
		const [saved, held] = await Promise.all([save, holder]);
		expect(saved.error).toBeInstanceOf(Error);
		expect(held.error).toBeInstanceOf(Error);
		// the restart itself takes part of this: the rejection came when the connection died, not at a timeout
		expect(saved.ms).toBeLessThan(5_000);

		// the same store again (the pool drops the dead connections and opens new ones), and a fresh one
		expect((await store.sets.load(key)).revision).toBe(0);
		const fresh = createPostgresStore(url, { max: 2 });
		closing.push(fresh);
		await fresh.init();
		expect((await fresh.sets.load(key)).revision).toBe(0);
		const result = await fresh.sets.commit(key, 0, firstSave('ann1'));
		expect(result).toMatchObject({ ok: true, changed: true });
		expect((await store.sets.load(key)).spans.map((s) => s.text)).toEqual(['préfet']);
		expect(await store.sets.revisions(key)).toHaveLength(1);
	}, 60_000);

	it('answers a call made while the server is down with an error, not a wait', async () => {
		// a port nobody listens on: refused at once
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const port = (probe.address() as { port: number }).port;
		await new Promise<void>((resolve) => probe.close(() => resolve()));
		const store = createPostgresStore(`postgres://spanlab:secret@127.0.0.1:${port}/spanlab`, { max: 2 });
		closing.push(store);
		const { ms, error } = await timed(store.datasets.list());
		expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
		expect(ms).toBeLessThan(2_000);
	});

	it('gives up on a server that accepts the connection and never answers, after the connect timeout', async () => {
		const sockets: Socket[] = [];
		const silent: Server = createServer((socket) => sockets.push(socket));
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as { port: number }).port;
		const store = createPostgresStore(`postgres://spanlab:secret@127.0.0.1:${port}/spanlab`, { max: 2, connectTimeoutMs: 500 });
		closing.push(store);
		try {
			const { ms, error } = await timed(store.datasets.list());
			expect(String((error as Error)?.message)).toMatch(/timeout/i);
			expect(ms).toBeGreaterThanOrEqual(450);
			expect(ms).toBeLessThan(3_000);
		} finally {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => silent.close(() => resolve()));
		}
	});
});

/** how many backends of the database wait on an advisory lock */
async function waitingOnLock(url: string): Promise<number> {
	const probe = createSql(url, { max: 1 });
	try {
		const [{ n }] = await probe<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`;
		return n;
	} finally {
		await probe.end();
	}
}
