/**
 * Concurrent saves: 50 annotators save to their own documents while 5 pairs of
 * sessions (one annotator, two tabs) edit the same set, some of their writes on
 * a revision known to be stale. No 5xx; every stale write gets 409; no
 * acknowledged write is lost: each set's revision and history account for
 * exactly the acknowledged saves, and its spans are the last one's.
 * The same simulation gives figure 7 of the bench (bench/concurrency.ts).
 * In the `api-postgres` project the server runs on a PostgreSQL database of its own
 * (tests/helpers/server.ts); tests/api/two-process.spec.ts runs it on two servers.
 */
import { test, expect } from '@playwright/test';
import { freePort, startServer, killHard, tempDataDir, type RunningServer } from '../helpers/server';
import { runConcurrency, setupConcurrency } from '../../bench/concurrency';

const PORT = await freePort();
const DURATION_MS = Number(process.env.SPANLAB_CONCURRENCY_MS || 5000);

let server: RunningServer | null = null;
test.afterAll(async () => {
	if (server) await killHard(server);
});

test('concurrent saves: no 5xx, stale writes get 409, no acknowledged write is lost', async () => {
	test.setTimeout(120_000);
	server = await startServer({ port: PORT, dataDir: tempDataDir('spanlab-concurrency-') });
	const setup = await setupConcurrency(server.url, { slug: 'concurrent', annotators: 50, pairs: 5 });
	const report = await runConcurrency(setup, { durationMs: DURATION_MS, seed: 7 });

	expect(report.serverErrors, 'no 5xx or failed requests').toEqual([]);
	expect(report.violations, 'every acknowledged write kept, every conflict justified').toEqual([]);
	expect(Object.keys(report.statuses).sort()).toEqual(expect.arrayContaining(['200']));
	expect(Object.keys(report.statuses).every((s) => s === '200' || s === '409')).toBe(true);
	expect(report.staleSent, 'the pairs sent stale writes').toBeGreaterThan(0);
	expect(report.staleRejected).toBe(report.staleSent);
	expect(report.starvedSets, 'every annotator got work through').toEqual([]);
});
