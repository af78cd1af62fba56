/**
 * Versioned SQL migrations of the PostgreSQL store: `migrations/NNNN_name.sql`,
 * applied in order, each in its own transaction, recorded in `schema_migrations`
 * with the sha256 of the file.
 *
 * - Two app processes starting together do not both migrate: every transaction
 *   of the runner first takes one transaction-level advisory lock, and checks
 *   again under it what is applied (the second runner finds the first one's work
 *   done and applies nothing).
 * - An applied migration whose file has changed since is refused, naming it: the
 *   database was built from the old text, and running on as if it had the new one
 *   would be a lie (add a new migration instead).
 * - A database migrated by newer code (a version this code has no file for) is
 *   refused too: this code does not know that schema.
 *
 * No SvelteKit imports: `npm run migrate` (scripts/migrate.ts) runs this with tsx.
 * A migration cannot hold statements that refuse a transaction
 * (`CREATE INDEX CONCURRENTLY`, `VACUUM`).
 *
 * Reads its own SQL files with node:fs (code shipped with the app, not data): the
 * one reader of files in src/lib/server outside store/file/ besides the control socket.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Sql } from './db';

export interface Migration {
	version: number;
	/** the file name, e.g. `0001_init.sql` */
	name: string;
	sql: string;
	/** lowercase hex sha256 of the file's text */
	checksum: string;
}

export interface MigrateResult {
	/** names of the migrations this run applied, in order */
	applied: string[];
	/** the database's version afterwards (0: none) */
	version: number;
}

export class MigrationError extends Error {
	override name = 'MigrationError';
}

/** Key of the advisory lock every runner transaction takes (advisory locks are per database). */
export const MIGRATION_LOCK_KEY = 2_024_200_001n;

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Migrations from `files` (name → text): checked for names and duplicate versions, sorted. */
export function migrationsFrom(files: Record<string, string>): Migration[] {
	const migrations: Migration[] = [];
	const seen = new Map<number, string>();
	for (const [file, sql] of Object.entries(files)) {
		const name = path.basename(file);
		const match = FILE_RE.exec(name);
		if (!match) throw new MigrationError(`migration file "${name}" is not named NNNN_name.sql (four digits, lowercase letters, digits, underscores)`);
		const version = Number(match[1]);
		if (version === 0) throw new MigrationError(`migration file "${name}": versions start at 0001`);
		const other = seen.get(version);
		if (other) throw new MigrationError(`migration files "${other}" and "${name}" have the same version ${match[1]}`);
		seen.set(version, name);
		migrations.push({ version, name, sql, checksum: sha256Hex(sql) });
	}
	return migrations.sort((a, b) => a.version - b.version);
}

/** The `.sql` files of a folder (other files are ignored). */
export function readMigrations(dir: string): Migration[] {
	const files: Record<string, string> = {};
	for (const name of readdirSync(dir)) {
		if (name.endsWith('.sql')) files[name] = readFileSync(path.join(dir, name), 'utf8');
	}
	return migrationsFrom(files);
}

/**
 * This module's own migrations. Bundled by Vite where it builds this module (the
 * app, vitest): a built server has no `migrations/` folder beside its chunks;
 * read from the folder beside this file under tsx (`npm run migrate`), where
 * `import.meta.glob` is not there to call.
 */
export function bundledMigrations(): Migration[] {
	let files: Record<string, string> | null = null;
	try {
		files = import.meta.glob('./migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
	} catch {
		files = null;
	}
	if (files && Object.keys(files).length) return migrationsFrom(files);
	return readMigrations(path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'));
}

interface AppliedRow {
	version: number;
	name: string;
	checksum: string;
}

const label = (version: number) => String(version).padStart(4, '0');

/** Refuses a database whose applied migrations do not match `migrations` (edited, renamed, or unknown). */
function checkApplied(applied: AppliedRow[], migrations: Migration[]): void {
	const byVersion = new Map(migrations.map((m) => [m.version, m]));
	for (const row of applied) {
		const file = byVersion.get(row.version);
		if (!file) {
			throw new MigrationError(
				`the database has migration ${row.name} applied, which this code has no file for: it was migrated by newer code (known up to ` +
					`${migrations.length ? migrations[migrations.length - 1].name : 'none'}); run that version of spanlab, or restore a backup`
			);
		}
		if (file.name !== row.name || file.checksum !== row.checksum) {
			throw new MigrationError(
				`migration ${label(row.version)} was changed after it was applied: the database ran ${row.name} with sha256 ${row.checksum}, ` +
					`the file is now ${file.name} with sha256 ${file.checksum}. Applied migrations are never edited: put the file back as it was ` +
					`and add the change as a new migration`
			);
		}
	}
}

/**
 * Applies the migrations the database does not have yet; returns what it applied.
 * Safe to run from several processes at once, and again and again.
 */
export async function migrate(
	sql: Sql,
	options: { migrations?: Migration[]; log?: (line: string) => void } = {}
): Promise<MigrateResult> {
	const migrations = options.migrations ?? bundledMigrations();
	const log = options.log ?? (() => {});
	const applied: string[] = [];

	const lockAndRead = async (tx: Sql): Promise<AppliedRow[]> => {
		await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
		await tx`
			CREATE TABLE IF NOT EXISTS schema_migrations (
				version integer PRIMARY KEY,
				name text NOT NULL,
				checksum text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now()
			)`;
		const rows = await tx<AppliedRow[]>`SELECT version, name, checksum FROM schema_migrations ORDER BY version`;
		checkApplied(rows, migrations);
		return rows;
	};

	// first, under the lock: is what is applied what these files say? (nothing runs otherwise)
	const before = await sql.begin((tx) => lockAndRead(tx as unknown as Sql));
	const done = new Set(before.map((row) => row.version));

	for (const migration of migrations) {
		if (done.has(migration.version)) continue;
		const ran = await sql.begin(async (t) => {
			const tx = t as unknown as Sql;
			const now = await lockAndRead(tx);
			// another runner applied it between our transactions
			if (now.some((row) => row.version === migration.version)) return false;
			try {
				// no params: one simple query, its statements run in this transaction
				await tx.unsafe(migration.sql);
			} catch (e) {
				throw new MigrationError(`migration ${migration.name} failed, nothing of it was applied: ${(e as Error).message}`, { cause: e });
			}
			await tx`INSERT INTO schema_migrations (version, name, checksum) VALUES (${migration.version}, ${migration.name}, ${migration.checksum})`;
			return true;
		});
		if (ran) {
			applied.push(migration.name);
			log(`applied ${migration.name}`);
		}
	}

	const [{ version }] = await sql<{ version: number }[]>`SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations`;
	return { applied, version };
}
