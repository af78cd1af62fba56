/**
 * A throwaway PostgreSQL cluster for tests (vitest and Playwright): Debian's server
 * binaries, `initdb` into a fresh temp folder, one `postgres` process on a free
 * port of 127.0.0.1 (and a Unix socket in the folder), removed again by `stop()`
 * or, failing that, when this process exits.
 *
 * Never a skip: binaries that are missing are installed with apt when we are
 * root, otherwise the error names the one command to run; a server that does
 * not come up throws with its log.
 *
 * Running as root (CI, this machine), the cluster belongs to the `postgres`
 * system user: `initdb` and `postgres` refuse to run as root, so both run with
 * that user's uid/gid (what `runuser -u postgres --` does, minus a wrapper
 * process between us and the postmaster's pid).
 *
 * A test process can die without running any cleanup (SIGKILL, an OOM, or a
 * SIGTERM while it is busy): the postmaster is started through util-linux's
 * `setpriv --pdeathsig INT`, so it gets a fast shutdown when the process that
 * started it goes, whatever the way; the folder left behind is removed by the
 * next startPostgres (sweepOrphanClusters). No signal handlers are installed:
 * one would keep a busy process from dying of SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
	/** `postgres://postgres:…@127.0.0.1:PORT/spanlab` */
	url: string;
	/**
	 * The superuser URL of another, new database in the cluster: empty, or a copy
	 * of `template` (a database nobody is connected to; copying a migrated one is
	 * much faster than migrating each new one)
	 */
	newDatabase(name?: string, options?: { template?: string }): Promise<string>;
	/** the server's log so far (for failure messages) */
	log(): string;
	/** kill -9 of the server (the postmaster), then a start on the same folder and port: crash recovery, as after a power cut of the process */
	crashAndRestart(): Promise<void>;
	/** fast shutdown, then the folder goes; safe to call twice */
	stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';
const INSTALL_COMMAND = 'sudo apt-get install -y postgresql';

/** Debian's server binaries folder of the highest version installed, or null. */
export function findPostgresBin(): string | null {
	if (!existsSync(PG_ROOT)) return null;
	const versions = readdirSync(PG_ROOT)
		.filter((v) => /^\d+$/.test(v) && existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(path.join(PG_ROOT, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(PG_ROOT, versions[0], 'bin') : null;
}

function ensurePostgresBin(): string {
	const found = findPostgresBin();
	if (found) return found;
	if (process.getuid?.() !== 0) {
		throw new Error(`PostgreSQL's server binaries are not installed (looked in ${PG_ROOT}/*/bin). Install them with: ${INSTALL_COMMAND}`);
	}
	const run = (args: string[]) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	let result = run(['install', '-y', 'postgresql']);
	if (result.status !== 0) {
		run(['update']);
		result = run(['install', '-y', 'postgresql']);
	}
	const bin = findPostgresBin();
	if (!bin) throw new Error(`apt-get install -y postgresql did not install PostgreSQL's server binaries (exit ${result.status}); install them with: ${INSTALL_COMMAND}`);
	return bin;
}

/** uid/gid of the `postgres` system user when we are root (initdb refuses root); otherwise ourselves. */
function clusterOwner(): { uid: number; gid: number } | null {
	if (process.getuid?.() !== 0) return null;
	const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const uid = id('-u');
	const gid = id('-g');
	if (uid.status !== 0 || gid.status !== 0) {
		throw new Error('running as root, but there is no `postgres` system user to own the test cluster (Debian\'s postgresql package creates it): apt-get install -y postgresql');
	}
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function freePort(): Promise<number> {
	return new Promise<number>((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

const DIR_PREFIX = 'spanlab-pg-';
/** in each cluster's folder: the pid of the process that started it */
const OWNER_FILE = 'owner.pid';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Clusters whose test process died without cleaning up (a SIGKILL, an OOM): their
 * postmaster is stopped and their folder removed, so that stray servers do not
 * pile up on a CI machine. A cluster's postmaster pid is the first line of its
 * `postmaster.pid`.
 */
export function sweepOrphanClusters(): number {
	let swept = 0;
	for (const name of readdirSync(tmpdir())) {
		if (!name.startsWith(DIR_PREFIX)) continue;
		const dir = path.join(tmpdir(), name);
		let owner: number;
		try {
			owner = Number(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
		} catch {
			continue; // being set up right now, or not ours
		}
		if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
		try {
			const postmaster = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
			if (Number.isInteger(postmaster) && postmaster > 0 && alive(postmaster)) process.kill(postmaster, 'SIGQUIT');
		} catch {
			/* never started, or already down */
		}
		rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
		swept++;
	}
	return swept;
}

/** Clusters of this process still running: taken down if the process exits without stop(). */
const running = new Set<{ child: ChildProcess; dir: string }>();
let exitHooked = false;

function killAllNow(): void {
	for (const cluster of running) {
		// SIGQUIT: immediate shutdown; the backends see their postmaster go and exit too
		try {
			cluster.child.kill('SIGQUIT');
		} catch {
			/* already gone */
		}
		try {
			rmSync(cluster.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
		} catch {
			/* a file still open: the temp folder is the OS's to clean */
		}
	}
	running.clear();
}

function hookExit(): void {
	if (exitHooked) return;
	exitHooked = true;
	process.once('exit', killAllNow);
}

/** util-linux's setpriv with --pdeathsig (Debian's util-linux has it), or null */
let setprivPath: string | null | undefined;
function setpriv(): string | null {
	if (setprivPath === undefined) {
		const help = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
		setprivPath = help.status === 0 && help.stdout.includes('--pdeathsig') ? 'setpriv' : null;
	}
	return setprivPath;
}

function run(bin: string, args: string[], owner: { uid: number; gid: number } | null): { status: number | null; output: string } {
	const result = spawnSync(bin, args, {
		encoding: 'utf8',
		...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }
	});
	return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

/**
 * Starts a new cluster and creates the database `spanlab` in it.
 * Takes ~1 s on an idle machine (initdb is most of it).
 */
export async function startPostgres(options: { readyTimeoutMs?: number; durable?: boolean } = {}): Promise<TestPostgres> {
	const bin = ensurePostgresBin();
	const owner = clusterOwner();
	sweepOrphanClusters();
	const dir = mkdtempSync(path.join(tmpdir(), DIR_PREFIX));
	const dataDir = path.join(dir, 'data');
	const password = randomBytes(18).toString('base64url');
	const pwfile = path.join(dir, 'pwfile');
	writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
	if (owner) {
		chownSync(dir, owner.uid, owner.gid);
		chownSync(pwfile, owner.uid, owner.gid);
	}
	const cleanupDir = () => rmSync(dir, { recursive: true, force: true });
	writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));

	const init = run(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', 'postgres', '--pwfile', pwfile, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions'],
		owner
	);
	rmSync(pwfile, { force: true });
	if (init.status !== 0) {
		cleanupDir();
		throw new Error(`initdb failed (exit ${init.status}):\n${init.output}`);
	}

	// a free port can be taken between asking and binding: a few tries
	let lastError: Error | null = null;
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		try {
			return await launch({ bin, owner, dir, dataDir, port, password, readyTimeoutMs: options.readyTimeoutMs ?? 30_000, durable: options.durable ?? false });
		} catch (e) {
			lastError = e as Error;
			if (!/could not bind|Address already in use/i.test(lastError.message)) break;
		}
	}
	cleanupDir();
	throw lastError ?? new Error('PostgreSQL did not start');
}

interface LaunchOptions {
	bin: string;
	owner: { uid: number; gid: number } | null;
	dir: string;
	dataDir: string;
	port: number;
	password: string;
	readyTimeoutMs: number;
	/** production write settings (fsync and full-page writes on, shared_buffers at its default): for the bench, whose figures must not be flattered */
	durable: boolean;
}

/** Starts the postmaster on the cluster's folder and waits until it accepts connections. */
async function spawnServer(o: LaunchOptions, onLog: (text: string) => void): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
	let log = '';
	const wrapper = setpriv();
	const postgresArgs = [
		'-D', o.dataDir,
		'-p', String(o.port),
		'-c', 'listen_addresses=127.0.0.1',
		'-c', `unix_socket_directories=${o.dir}`,
		// a throwaway cluster for tests: the speed of its disk writes is not what its tests are about (a
		// process crash loses nothing without fsync: the kernel keeps what was written); the bench asks
		// for `durable`, PostgreSQL's own defaults
		...(o.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=32MB']),
		'-c', 'max_connections=100',
		'-c', 'log_min_messages=warning',
		'-c', 'logging_collector=off'
	];
	const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
	// setpriv changes the user first and sets the death signal after (a change of user clears it), then execs postgres: same pid
	const child = wrapper
		? spawn(
				wrapper,
				[
					...(o.owner ? [`--reuid=${o.owner.uid}`, `--regid=${o.owner.gid}`, '--clear-groups'] : []),
					'--pdeathsig', 'INT',
					'--',
					path.join(o.bin, 'postgres'),
					...postgresArgs
				],
				{ env, stdio: ['ignore', 'pipe', 'pipe'] }
			)
		: spawn(path.join(o.bin, 'postgres'), postgresArgs, {
				...(o.owner ? { uid: o.owner.uid, gid: o.owner.gid } : {}),
				env,
				stdio: ['ignore', 'pipe', 'pipe']
			});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGQUIT');
			reject(new Error(`PostgreSQL did not become ready within ${o.readyTimeoutMs} ms:\n${log}`));
		}, o.readyTimeoutMs);
		const onData = (chunk: Buffer) => {
			const text = chunk.toString();
			log += text;
			onLog(text);
			if (log.includes('database system is ready to accept connections')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('error', (e) => {
			clearTimeout(timer);
			reject(new Error(`could not run ${o.bin}/postgres: ${e.message}`));
		});
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`PostgreSQL exited (code ${code}) before it was ready:\n${log}`));
		});
	});
	return { child, exited };
}

async function launch(o: LaunchOptions): Promise<TestPostgres> {
	let log = '';
	const onLog = (text: string) => (log += text);
	let server = await spawnServer(o, onLog);
	const entry = { child: server.child, dir: o.dir };
	running.add(entry);
	hookExit();

	const urlOf = (database: string) => `postgres://postgres:${encodeURIComponent(o.password)}@127.0.0.1:${o.port}/${database}`;
	let databases = 0;
	const plain = (name: string) => {
		if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
		return name;
	};
	const newDatabase = async (name = `db${++databases}_${randomBytes(3).toString('hex')}`, options: { template?: string } = {}): Promise<string> => {
		plain(name);
		const admin = new pg.Client({ connectionString: urlOf('postgres') });
		admin.on('error', () => {});
		await admin.connect();
		try {
			await admin.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${plain(options.template)}` : ''}`);
		} finally {
			await admin.end();
		}
		return urlOf(name);
	};
	const url = await newDatabase('spanlab');

	let stopping: Promise<void> | null = null;
	return {
		url,
		newDatabase,
		log: () => log,
		async crashAndRestart() {
			if (stopping) throw new Error('the cluster is stopped');
			server.child.kill('SIGKILL');
			await server.exited;
			// the backends notice their postmaster is gone and exit; until they have, a new one refuses the folder
			for (let attempt = 0; ; attempt++) {
				try {
					server = await spawnServer(o, onLog);
					break;
				} catch (e) {
					if (attempt >= 50) throw e;
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			}
			entry.child = server.child;
		},
		stop() {
			stopping ??= (async () => {
				const { child, exited } = server;
				if (child.exitCode === null && child.signalCode === null) {
					// SIGINT: fast shutdown (rolls back open transactions, no checkpoint wait beyond the minimum)
					child.kill('SIGINT');
					const timer = setTimeout(() => child.kill('SIGQUIT'), 5_000);
					await exited;
					clearTimeout(timer);
				}
				running.delete(entry);
				rmSync(o.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
			})();
			return stopping;
		}
	};
}
