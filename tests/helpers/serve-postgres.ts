/**
 * The Playwright project `api-postgres`'s web server: a throwaway PostgreSQL
 * cluster (./postgres.ts), then the production build on it (scripts/serve.js in
 * this process, with SPANLAB_STORE set to the cluster's database).
 *
 *   node --import tsx tests/helpers/serve-postgres.ts      (PORT, HOST, … as for scripts/serve.js)
 *
 * The cluster goes with this process: at its exit (serve.js exits on SIGTERM /
 * SIGINT; Playwright sends SIGTERM, see playwright.config.ts) the helper's exit
 * hook takes the postmaster down and removes the folder; if this process is
 * killed outright, the postmaster gets its death signal (setpriv --pdeathsig) and
 * the folder is swept by the next startPostgres. A cluster that cannot start
 * fails the run with its reason: it is never skipped.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostgres } from './postgres';

const USES_POSTGRES = /spanlab: data in postgres(ql)?:\/\//;

/** `postgres://user:secret@host/db` → `postgres://user@host/db` */
const withoutPassword = (url: string) => url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@]*@/, '$1@');

let pg;
try {
	pg = await startPostgres();
} catch (e) {
	console.error(`spanlab (tests): the PostgreSQL cluster for the api-postgres project did not start: ${(e as Error).message}`);
	process.exit(1);
}
process.env.SPANLAB_STORE = pg.url;
// the data folder playwright.config.ts made for this server (unused on PostgreSQL) goes with it too
const dataDir = process.env.SPANLAB_DATA ?? '';
if (path.dirname(dataDir) === tmpdir() && path.basename(dataDir).startsWith('spanlab-e2e-pg-')) {
	process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
}
console.log(`spanlab (tests): a throwaway PostgreSQL cluster, ${withoutPassword(pg.url)}`);

// the project must not pass on a file store: the server says where its data is, and it must be this database
let said = '';
const log = console.log;
console.log = (...args: unknown[]) => {
	said += `${args.map(String).join(' ')}\n`;
	log(...args);
};
await import('../../scripts/serve.js');
const deadline = Date.now() + 60_000;
while (!USES_POSTGRES.test(said)) {
	if (Date.now() > deadline) {
		console.error(`spanlab (tests): the server did not say it keeps its data in PostgreSQL ("spanlab: data in postgres://…"); it said:\n${said}`);
		process.exit(1);
	}
	// the line comes at start-up; a first request makes sure start-up ran
	await fetch(`http://127.0.0.1:${process.env.PORT}/login`).catch(() => {});
	await new Promise((resolve) => setTimeout(resolve, 200));
}
console.log = log;
