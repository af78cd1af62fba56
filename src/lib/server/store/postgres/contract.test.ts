/**
 * The store contract (../contract.ts) against the PostgreSQL store: one throwaway
 * cluster for the file (tests/helpers/postgres.ts), a database per test copied
 * from one migrated template (a copy takes a fraction of a migration).
 */
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { storeContract } from '../contract';
import { createPostgresStore } from './index';
import { migrate } from './migrate';
import { createSql } from './db';

let cluster: TestPostgres;
const TEMPLATE = 'spanlab_template';

beforeAll(async () => {
	cluster = await startPostgres();
	const sql = createSql(await cluster.newDatabase(TEMPLATE), { max: 1 });
	try {
		await migrate(sql);
	} finally {
		await sql.end();
	}
}, 60_000);

afterAll(async () => {
	await cluster?.stop();
});

storeContract('postgres', async () => {
	const store = createPostgresStore(await cluster.newDatabase(undefined, { template: TEMPLATE }), { max: 4 });
	await store.init();
	return { store, close: () => store.close() };
});
