/**
 * Move everything from one store to another, and check it arrived:
 *
 *   npm run migrate-store -- --from datasets/ --to postgres://user:password@host:5432/spanlab
 *   npm run migrate-store -- --from postgres://user:password@host:5432/spanlab --to some/folder/
 *
 * Copies accounts, API tokens, live sessions, and every dataset with its
 * settings, documents, annotation sets and their whole history, gold, comments
 * and flags, gazetteer, prediction runs and releases (the same bytes), into a
 * target that must be empty (a new database, an empty or missing folder); then
 * reads both back and prints a table comparing counts and hashes. Exit 0: every
 * line matches; 1: a mismatch or a failure; 2: bad arguments. Stop the servers
 * first (a folder in use is refused; on a database, a save during the copy
 * shows as a mismatch). The code: src/lib/server/store/transfer/.
 */
import { migrateStore, formatTable, TransferError } from '../src/lib/server/store/transfer';
import { isDomainError } from '../src/lib/server/http/errors';
import { plural } from '../src/lib/text/plural';
import { CliExit, parseCli, runAsProgram, type CliIo } from './cli';

const USAGE = 'usage: npm run migrate-store -- --from <data folder | postgres://…> --to <empty folder | postgres://… of an empty database>';

export async function main(args: string[], io: CliIo): Promise<void> {
	const err = (line: string) => io.stderr.write(`${line}\n`);
	const { values, positionals, usage } = parseCli('migrate-store', USAGE, { from: { type: 'string' }, to: { type: 'string' } }, args, io);
	if (positionals.length) usage(`unexpected argument "${positionals[0]}"`);
	if (values.from === undefined || values.to === undefined) usage('give both --from and --to');
	const started = performance.now();
	let result;
	try {
		result = await migrateStore({ from: values.from!, to: values.to! }, (line) => err(`migrate-store: ${line}`));
	} catch (e) {
		err(`migrate-store: ${e instanceof TransferError || isDomainError(e) ? (e as Error).message : (e as Error).stack}`);
		throw new CliExit(1);
	}
	const c = result.counts;
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	io.stdout.write(`${formatTable(result.rows)}\n`);
	io.stdout.write(
		`copied ${plural(c.users, 'user')}, ${plural(c.sessions, 'session')}, ${plural(c.datasets, 'dataset')}, ${plural(c.documents, 'document')}, ` +
			`${plural(c.sets, 'annotation set')} (${plural(c.revisions, 'revision')}), ${plural(c.runs, 'prediction run')}, ${plural(c.releases, 'release')} in ${seconds} s\n`
	);
	if (!result.ok) {
		err(`migrate-store: ${plural(result.rows.filter((r) => !r.ok).length, 'line')} of the check differ (MISMATCH above): the target is not a faithful copy`);
		throw new CliExit(1);
	}
	io.stdout.write('every line matches\n');
}

await runAsProgram(import.meta.url, main);
