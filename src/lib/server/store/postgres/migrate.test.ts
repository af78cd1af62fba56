import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from './db';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { MigrationError, bundledMigrations, migrate, migrationsFrom, type Migration } from './migrate';

let cluster: TestPostgres;
const clients: Sql[] = [];

beforeAll(async () => {
	cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
	await Promise.all(clients.map((c) => c.end()));
	await cluster?.stop();
});

/** a client of a new, empty database */
async function freshDatabase(max = 2): Promise<Sql> {
	const sql = createSql(await cluster.newDatabase(), { max });
	clients.push(sql);
	return sql;
}

const tables = async (sql: Sql) =>
	(await sql<{ table_name: string }[]>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`).map((r) => r.table_name);

/** two small migrations whose effect is visible: a row counts how often 0002 ran */
const toy = (second = 'INSERT INTO counter (n) VALUES (1);'): Migration[] =>
	migrationsFrom({
		'0001_counter.sql': 'CREATE TABLE counter (n integer NOT NULL);',
		'0002_count.sql': second
	});

describe('the migrations of the PostgreSQL store', () => {
	it('apply to an empty database and create every table of the schema', async () => {
		const sql = await freshDatabase();
		const result = await migrate(sql);
		expect(result.applied).toEqual(bundledMigrations().map((m) => m.name));
		expect(result.applied[0]).toBe('0001_init.sql');
		expect(result.version).toBe(bundledMigrations().at(-1)!.version);
		expect(await tables(sql)).toEqual(
			[
				'annotation_sets',
				'api_tokens',
				'dataset_members',
				'datasets',
				'documents',
				'gazetteers',
				'import_staged_lines',
				'import_staging',
				'list_generation',
				'list_snapshot_parts',
				'list_snapshots',
				'login_limits',
				'prediction_run_lines',
				'prediction_runs',
				'release_cuts',
				'release_lines',
				'release_records',
				'releases',
				'revisions',
				'schema_migrations',
				'sessions',
				'users'
			].sort()
		);
		const recorded = await sql<{ name: string; checksum: string }[]>`SELECT name, checksum FROM schema_migrations ORDER BY version`;
		expect(recorded).toEqual(bundledMigrations().map((m) => ({ name: m.name, checksum: m.checksum })));
	});

	it('apply again as a no-op', async () => {
		const sql = await freshDatabase();
		await migrate(sql);
		const appliedAt = await sql`SELECT version, applied_at FROM schema_migrations ORDER BY version`;
		const again = await migrate(sql);
		expect(again.applied).toEqual([]);
		expect(again.version).toBe(bundledMigrations().at(-1)!.version);
		expect(await sql`SELECT version, applied_at FROM schema_migrations ORDER BY version`).toEqual(appliedAt);
	});

	it('search folds accents and case, finds whole words and phrases in French and English', async () => {
		const sql = await freshDatabase();
		await migrate(sql);
		const [{ id }] = await sql`
			INSERT INTO datasets (slug, title, created_at, created_by, labels)
			VALUES ('news', 'News', now(), 'lead', '[]') RETURNING id`;
		const docs = [
			['a', 'Élections à Besançon', 'Le préfet a annoncé les résultats du scrutin.'],
			['b', 'Budget vote', 'The Senate passed the budget on Friday.'],
			['c', 'Météo', 'Il pleut sur la ville.']
		];
		for (const [i, [docId, title, text]] of docs.entries()) {
			await sql`
				INSERT INTO documents (dataset_id, id, position, title, text, sha256, length, created_at)
				VALUES (${id}, ${docId}, ${i}, ${title}, ${text}, ${'0'.repeat(64)}, ${[...text].length}, now())`;
		}
		const search = async (query: string) =>
			(
				await sql<{ id: string }[]>`
					SELECT id FROM documents
					WHERE dataset_id = ${id} AND search @@ websearch_to_tsquery('spanlab_search', ${query})
					ORDER BY position`
			).map((r) => r.id);
		expect(await search('PREFET')).toEqual(['a']);
		expect(await search('besancon')).toEqual(['a']);
		expect(await search('"passed the budget"')).toEqual(['b']);
		expect(await search('"budget passed"')).toEqual([]);
		// whole words: a prefix is not a word
		expect(await search('bud')).toEqual([]);
		// title substring search through the trigram index's expression
		const titles = await sql<{ id: string }[]>`
			SELECT id FROM documents WHERE dataset_id = ${id} AND spanlab_fold(title) LIKE '%' || spanlab_fold(${'METEO'}) || '%'`;
		expect(titles.map((r) => r.id)).toEqual(['c']);
	});

	it('a long document is still stored: search covers its first 250,000 characters, within the 1 MB a tsvector may hold', async () => {
		const sql = await freshDatabase();
		await migrate(sql);
		const [{ id }] = await sql`INSERT INTO datasets (slug, title, created_at, created_by, labels) VALUES ('d', 'D', now(), 'lead', '[]') RETURNING id`;
		// the worst case for the index: every word distinct, every character 4 bytes in UTF-8
		const words: string[] = [];
		for (let i = 0; i < 400_000; i++) words.push(String.fromCodePoint(0x20000 + i));
		const text = words.join(' ') + ' needle';
		await sql`
			INSERT INTO documents (dataset_id, id, position, title, text, sha256, length, created_at)
			VALUES (${id}, 'long', 0, 'Long', ${text}, ${'0'.repeat(64)}, ${text.length}, now())`;
		const [{ size }] = await sql`SELECT pg_column_size(search) AS size FROM documents WHERE id = 'long'`;
		expect(size).toBeLessThan(1024 * 1024);
		expect(await sql`SELECT id FROM documents WHERE search @@ to_tsquery('spanlab_search', ${String.fromCodePoint(0x20000 + 5)})`).toEqual([{ id: 'long' }]);
		// past the first 250,000 characters: stored, not searched
		expect(await sql`SELECT id FROM documents WHERE search @@ to_tsquery('spanlab_search', 'needle')`).toEqual([]);
	});

	it('revisions are append-only', async () => {
		const sql = await freshDatabase();
		await migrate(sql);
		const [{ id }] = await sql`INSERT INTO datasets (slug, title, created_at, created_by, labels) VALUES ('d', 'D', now(), 'lead', '[]') RETURNING id`;
		await sql`INSERT INTO documents (dataset_id, id, position, title, text, sha256, length, created_at) VALUES (${id}, 'x', 0, 't', 'text', ${'0'.repeat(64)}, 4, now())`;
		await sql`INSERT INTO annotation_sets (dataset_id, document_id, annotator, revision, status, state) VALUES (${id}, 'x', 'ann1', 1, 'in_progress', '{}')`;
		await sql`INSERT INTO revisions (dataset_id, document_id, annotator, revision, at, by, status, body) VALUES (${id}, 'x', 'ann1', 1, now(), 'ann1', 'in_progress', '{}')`;
		await expect(sql`UPDATE revisions SET body = '{"spans":[]}'`).rejects.toThrow(/append-only/);
	});

	it('two runners at once apply each migration once', async () => {
		const url = await cluster.newDatabase();
		const a = createSql(url, { max: 2 });
		const b = createSql(url, { max: 2 });
		clients.push(a, b);
		const migrations = toy();
		const [ra, rb] = await Promise.all([migrate(a, { migrations }), migrate(b, { migrations })]);
		expect([...ra.applied, ...rb.applied].sort()).toEqual(['0001_counter.sql', '0002_count.sql']);
		expect(await a`SELECT count(*)::int AS n FROM counter`).toEqual([{ n: 1 }]);
		expect(await a`SELECT count(*)::int AS n FROM schema_migrations`).toEqual([{ n: 2 }]);

		// and the real schema, which is not idempotent SQL: a second run of 0001 would fail
		const url2 = await cluster.newDatabase();
		const c = createSql(url2, { max: 1 });
		const d = createSql(url2, { max: 1 });
		clients.push(c, d);
		const [rc, rd] = await Promise.all([migrate(c), migrate(d)]);
		expect([...rc.applied, ...rd.applied].sort()).toEqual(bundledMigrations().map((m) => m.name));
	});

	it('an edited applied migration is refused, naming it, and nothing after it runs', async () => {
		const sql = await freshDatabase();
		await migrate(sql, { migrations: toy() });
		const edited = [
			...migrationsFrom({
				'0001_counter.sql': 'CREATE TABLE counter (n integer NOT NULL);',
				'0002_count.sql': 'INSERT INTO counter (n) VALUES (2);',
				'0003_more.sql': 'INSERT INTO counter (n) VALUES (3);'
			})
		];
		const error = await migrate(sql, { migrations: edited }).catch((e) => e);
		expect(error).toBeInstanceOf(MigrationError);
		expect(error.message).toMatch(/migration 0002 was changed after it was applied/);
		expect(error.message).toContain('0002_count.sql');
		expect(await sql`SELECT n FROM counter ORDER BY n`).toEqual([{ n: 1 }]);
		expect(await sql`SELECT count(*)::int AS n FROM schema_migrations`).toEqual([{ n: 2 }]);
	});

	it('a database migrated by newer code is refused', async () => {
		const sql = await freshDatabase();
		await migrate(sql, { migrations: toy() });
		const error = await migrate(sql, { migrations: toy().slice(0, 1) }).catch((e) => e);
		expect(error).toBeInstanceOf(MigrationError);
		expect(error.message).toMatch(/0002_count\.sql applied, which this code has no file for/);
	});

	it('a migration that fails leaves nothing of itself behind', async () => {
		const sql = await freshDatabase();
		const migrations = migrationsFrom({
			'0001_counter.sql': 'CREATE TABLE counter (n integer NOT NULL);',
			'0002_broken.sql': 'CREATE TABLE half (x integer); INSERT INTO counter (n) VALUES (NULL);'
		});
		const error = await migrate(sql, { migrations }).catch((e) => e);
		expect(error).toBeInstanceOf(MigrationError);
		expect(error.message).toMatch(/migration 0002_broken\.sql failed, nothing of it was applied/);
		expect(await tables(sql)).toEqual(['counter', 'schema_migrations']);
		expect(await sql`SELECT name FROM schema_migrations`).toEqual([{ name: '0001_counter.sql' }]);
	});

	it('refuses badly named or duplicate migration files', () => {
		expect(() => migrationsFrom({ 'init.sql': '' })).toThrow(/not named NNNN_name\.sql/);
		expect(() => migrationsFrom({ '0001_a.sql': '', '0001_b.sql': '' })).toThrow(/same version 0001/);
		expect(() => migrationsFrom({ '0000_a.sql': '' })).toThrow(/start at 0001/);
	});
});
