/**
 * The PostgreSQL store (issue #20): the seam's repositories (../types.ts) over one
 * database, chosen with `SPANLAB_STORE=postgres://…`. `init` applies the schema's
 * migrations (migrate.ts) and clears what a process that died left behind.
 */
import type { Store } from '../types';
import { LOCK, connect, withAdvisoryLock, withKeyLock, type Db } from './db';
import { migrate } from './migrate';
import { postgresDatasets } from './datasets';
import { postgresDocuments } from './documents';
import { postgresSets } from './sets';
import { postgresReleases } from './releases';
import { postgresStaging } from './staging';
import { postgresImports } from './imports';
import { postgresSessions, postgresTokens, postgresUsers } from './accounts';
import { postgresGazetteers } from './gazetteers';
import { postgresRuns } from './runs';
import { postgresLoginFailures } from './loginFailures';
import { listCache } from './listCache';
import { postgresTransfer } from './transfer';

export interface PostgresStore extends Store {
	/** closes the connections */
	close(): Promise<void>;
}

/** A release draft or an import staging area this old belongs to a process that died (a cut or a check takes minutes, not a day). */
const LEFTOVER_AGE = '1 day';

export function createPostgresStore(url: string, options: { max?: number; connectTimeoutMs?: number } = {}): PostgresStore {
	const db: Db = connect(url, options);
	const list = listCache(db);
	return {
		datasets: postgresDatasets(db),
		documents: postgresDocuments(db, list),
		sets: postgresSets(db, list),
		releases: postgresReleases(db),
		staging: postgresStaging(db),
		imports: postgresImports(db),
		users: postgresUsers(db),
		tokens: postgresTokens(db),
		sessions: postgresSessions(db),
		gazetteers: postgresGazetteers(db),
		runs: postgresRuns(db),
		loginFailures: postgresLoginFailures(db),
		transfer: postgresTransfer(db),
		async init() {
			await migrate(db.sql);
			// cuts of a process that died (no release names them, a day old), their lines with them
			await db.sql`DELETE FROM release_cuts c WHERE created_at < now() - ${LEFTOVER_AGE}::interval
				AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.cut_id = c.id)`;
			// a committed import (a record at line 0, ./imports.ts) is no leftover: it is finished at start
			await db.sql`DELETE FROM import_staging s WHERE created_at < now() - ${LEFTOVER_AGE}::interval
				AND NOT EXISTS (SELECT 1 FROM import_staged_lines l WHERE l.staging_id = s.id AND l.ordinal = 0)`;
		},
		reset() {
			db.forget();
			list.forget();
		},
		startup: (fn) => withAdvisoryLock(db.locks, LOCK.startup, '0', 'exclusive', fn),
		exclusive: (key, fn) => withKeyLock(db.locks, `lock:${key}`, fn),
		settled: () => list.settled(),
		async close() {
			// a snapshot being written finishes first (its transaction would fail with the pool ended)
			await list.settled();
			await db.end();
		}
	};
}
