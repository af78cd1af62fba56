/**
 * Which store a Playwright test runs against, and a PostgreSQL database for the
 * servers a test starts itself.
 *
 * The `api-postgres` project (playwright.config.ts) runs tests/api/** against a
 * server on a throwaway PostgreSQL cluster; its `metadata.store` is 'postgres'.
 * A test that starts servers of its own (crash, concurrency, …) gets them on
 * PostgreSQL too there: `startServer` (./server.ts) asks `databaseFor(dataDir)`,
 * so the same data folder means the same database, and a restart after a
 * `kill -9` finds the state it left. The databases live in one cluster per
 * Playwright worker, started on first use and removed when the worker exits
 * (or, if it is killed, by the postmaster's death signal; see ./postgres.ts).
 *
 * A test that reads the data folder itself (file-store specific) says so:
 *   test.skip(onPostgres(), READS_DATA_FOLDER);
 *
 * Load it only inside Playwright (the bench imports ./server.ts, which loads this module only in a test worker).
 */
import { test } from '@playwright/test';
import type { TestPostgres } from './postgres';

export const READS_DATA_FOLDER = 'reads the data folder (file store only); on PostgreSQL there is none';

/** True inside a test (or hook) of the `api-postgres` project. */
export function onPostgres(): boolean {
	const metadata = test.info().project.metadata as Record<string, unknown> | undefined;
	return metadata?.store === 'postgres';
}

let cluster: Promise<TestPostgres> | null = null;
const databases = new Map<string, Promise<string>>();

/** This worker's cluster (started on first call). */
export function workerCluster(): Promise<TestPostgres> {
	cluster ??= import('./postgres').then(({ startPostgres }) => startPostgres());
	return cluster;
}

/** The URL of the database that stands for `dataDir` in this worker: a new, empty one the first time. */
export function databaseFor(dataDir: string): Promise<string> {
	let url = databases.get(dataDir);
	if (!url) {
		url = workerCluster().then((pg) => pg.newDatabase());
		databases.set(dataDir, url);
	}
	return url;
}
