/**
 * `npm run migrate-store -- --from <store> --to <store>` (scripts/migrate-store.ts):
 * everything one store keeps copied into another, empty one, then both read back
 * and compared (./verify.ts). A store is a data folder (the file store) or a
 * `postgres://` URL; folder → database, database → folder and database →
 * database (a folder to a folder is a copy of the folder).
 *
 * Nothing may write to either store meanwhile: a folder's data lock is taken
 * for the run (a server using it is named and the run refused); app servers on
 * a database must be stopped by hand (a save during the copy shows as a
 * mismatch).
 */
import path from 'node:path';
import { createPostgresStore, type PostgresStore } from '../postgres';
import { fileStore } from '../file';
import { describeFolder } from '../file/transfer';
import { describeHolder, tryTakeDataLock } from '../file/dataLock';
import type { Store } from '../types';
import { copyStore, type CopyCounts } from './copy';
import { compare, fingerprint, formatTable, type Row } from './verify';
import type { Log } from './progress';

export { formatTable, type Row } from './verify';
export type { Log } from './progress';

import { TransferError } from './errors';

export { TransferError } from './errors';

type Endpoint = { kind: 'postgres'; url: string } | { kind: 'folder'; root: string };

const isPostgresUrl = (spec: string) => /^postgres(ql)?:\/\//i.test(spec);

/** A database URL for messages: no password. */
export function describeUrl(url: string): string {
	try {
		const u = new URL(url);
		return `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
	} catch {
		return 'the database';
	}
}

export function parseEndpoint(option: string, spec: string): Endpoint {
	if (!spec.trim()) throw new TransferError(`${option}: give a data folder or a postgres:// URL`);
	if (isPostgresUrl(spec)) {
		let url: URL;
		try {
			url = new URL(spec);
		} catch {
			throw new TransferError(`${option}: not a valid URL (expected postgres://user:password@host:port/database)`);
		}
		if (!url.hostname && !url.searchParams.get('host')) throw new TransferError(`${option}: the URL names no host (expected postgres://user:password@host:port/database)`);
		return { kind: 'postgres', url: spec };
	}
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) throw new TransferError(`${option}: "${spec.split('://')[0]}://" is not a store: give a data folder or a postgres:// URL`);
	return { kind: 'folder', root: path.resolve(spec) };
}

const describeEndpoint = (e: Endpoint) => (e.kind === 'postgres' ? describeUrl(e.url) : e.root);

interface Opened {
	store: Store;
	close(): Promise<void>;
}

async function openPostgres(option: string, url: string): Promise<Opened> {
	let store: PostgresStore | null = null;
	try {
		store = createPostgresStore(url, { max: 4 });
		// the schema brought up to date (what an app process does at start); an empty database gets it whole
		await store.init();
		return { store, close: () => store!.close() };
	} catch (e) {
		await store?.close().catch(() => {});
		throw new TransferError(`${option}: could not open ${describeUrl(url)}: ${(e as Error).message}`);
	}
}

/** One folder at a time: the file store reads its folder from SPANLAB_DATA. */
async function openFolder(option: string, root: string, role: 'source' | 'target'): Promise<Opened> {
	const holds = describeFolder(root);
	if (role === 'source' && holds !== 'data') {
		throw new TransferError(
			holds === 'missing' ? `${option}: there is no folder ${root}` : `${option}: ${root} holds no spanlab data (no _system/ folder, no <dataset>/dataset.json)`
		);
	}
	if (role === 'target' && holds !== 'missing' && holds !== 'empty') {
		throw new TransferError(`${option}: ${root} is not empty; migrate-store copies into an empty or new folder only (nothing was changed)`);
	}
	const taken = await tryTakeDataLock(root, { kind: 'cli', command: 'npm run migrate-store' });
	if (!taken.taken) throw new TransferError(`${option}: ${root} is in use by ${describeHolder(taken.holder)}: stop it first (nothing was changed)`);
	const before = process.env.SPANLAB_DATA;
	process.env.SPANLAB_DATA = root;
	const store = fileStore();
	store.reset();
	try {
		await store.init();
	} catch (e) {
		taken.lock.release();
		throw e;
	}
	return {
		store,
		async close() {
			store.reset();
			taken.lock.release();
			if (before === undefined) delete process.env.SPANLAB_DATA;
			else process.env.SPANLAB_DATA = before;
		}
	};
}

const open = (option: string, e: Endpoint, role: 'source' | 'target') => (e.kind === 'postgres' ? openPostgres(option, e.url) : openFolder(option, e.root, role));

/** Refuses a target that holds anything (an account or a dataset). */
async function checkEmpty(target: Store, where: string): Promise<void> {
	const datasets = await target.datasets.list();
	const users = await target.users.list();
	if (datasets.length || users.length) {
		const slugs = datasets.slice(0, 5).map((d) => d.slug).join(', ');
		throw new TransferError(
			`--to: ${where} is not empty (${users.length} users, ${datasets.length} datasets${slugs ? `: ${slugs}${datasets.length > 5 ? ', …' : ''}` : ''}); ` +
				'migrate-store copies into an empty store only: give a new database or an empty folder (nothing was changed)'
		);
	}
}

export interface TransferResult {
	ok: boolean;
	counts: CopyCounts;
	rows: Row[];
}

/** Copies `from` into the empty `to`, then compares the two; `ok` false when any line of the comparison differs. */
export async function migrateStore(options: { from: string; to: string }, log: Log): Promise<TransferResult> {
	const from = parseEndpoint('--from', options.from);
	const to = parseEndpoint('--to', options.to);
	if (from.kind === 'folder' && to.kind === 'folder') {
		throw new TransferError('--from and --to are both folders: copy the folder instead (cp -a, with no server running on it)');
	}
	if (from.kind === 'postgres' && to.kind === 'postgres' && describeUrl(from.url) === describeUrl(to.url)) {
		throw new TransferError('--from and --to are the same database');
	}
	const source = await open('--from', from, 'source');
	try {
		const target = await open('--to', to, 'target');
		try {
			await checkEmpty(target.store, describeEndpoint(to));
			for (const r of await source.store.releases.recoverAll()) log(`${r.slug}: release v${String(r.version).padStart(4, '0')} ${r.outcome} (a cut a crash had interrupted)`);
			log(`copying ${describeEndpoint(from)} → ${describeEndpoint(to)}`);
			const counts = await copyStore(source.store, target.store, log);
			log('checking: reading both stores back');
			// two stores of their own (never two folders): read side by side
			const [before, after] = await Promise.all([fingerprint(source.store, log, 'source'), fingerprint(target.store, log, 'target')]);
			const rows = compare(before, after);
			return { ok: rows.every((r) => r.ok), counts, rows };
		} finally {
			await target.close();
		}
	} finally {
		await source.close();
	}
}
