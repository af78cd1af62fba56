/**
 * Bring the PostgreSQL store's schema up to date (the app does the same at start):
 *
 *   SPANLAB_STORE=postgres://user:password@host:5432/spanlab npm run migrate
 *
 * Applies the migrations of src/lib/server/store/postgres/migrations/ the
 * database does not have yet, each in its own transaction; safe while app
 * processes run or start (they wait for one another), and a no-op when the
 * schema is current. Refuses a database whose applied migrations were edited
 * since, or that newer code migrated.
 */
import { migrate, MigrationError } from '../src/lib/server/store/postgres/migrate';
import { createSql } from '../src/lib/server/store/postgres/db';

const USAGE = 'usage: SPANLAB_STORE=postgres://user:password@host:5432/database npm run migrate';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
	console.log(USAGE);
	process.exit(0);
}
if (args.length) {
	console.error(`migrate: takes no arguments (the database is SPANLAB_STORE)\n${USAGE}`);
	process.exit(2);
}
const url = process.env.SPANLAB_STORE ?? '';
if (!/^postgres(ql)?:\/\//.test(url)) {
	console.error(
		url
			? `migrate: SPANLAB_STORE is not a postgres:// URL (the file store has no schema to migrate)\n${USAGE}`
			: `migrate: SPANLAB_STORE is not set\n${USAGE}`
	);
	process.exit(2);
}

/** where, without the password */
function describe(target: string): string {
	try {
		const u = new URL(target);
		return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
	} catch {
		return 'the database';
	}
}

const sql = createSql(url, { max: 1 });
try {
	const result = await migrate(sql, { log: (line) => console.log(`migrate: ${line}`) });
	console.log(
		result.applied.length
			? `migrate: ${describe(url)} is at migration ${String(result.version).padStart(4, '0')} (${result.applied.length} applied now)`
			: `migrate: ${describe(url)} is up to date (migration ${String(result.version).padStart(4, '0')})`
	);
} catch (e) {
	console.error(e instanceof MigrationError ? `migrate: ${e.message}` : `migrate: could not migrate ${describe(url)}: ${(e as Error).message}`);
	process.exitCode = 1;
} finally {
	await sql.end({ timeout: 5 });
}
