/**
 * The concurrency half of figure 20 on PostgreSQL alone, to iterate on it without the
 * rest of the bench: a throwaway cluster, the production build in this folder (run
 * `npm run build` first), then `rounds` rounds of one app process and of two on a
 * new database each (the order alternates, so that a drift of the machine's load
 * favours neither), as bench/large-postgres.ts runs them once. Each run prints its
 * saves/s, latencies, broken promises, the load average, and the CPU spent per
 * acknowledged save by the app processes, the database (every backend of the
 * cluster) and this load client.
 *
 *   node --import tsx bench/concurrency-postgres.ts [--rounds 2] [--annotators 190] [--pairs 5] [--ms 10000] [--statements] [--only 1|2] [--profile DIR] [--app DIR]
 *
 * `--statements` first logs the SQL of one HTTP save (the cluster's log_statement
 * turned on around it) and prints the statements in order.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../tests/helpers/postgres';
import { Client, freePort, startServer, stopServer, type RunningServer } from '../tests/helpers/server';
import { runConcurrency, setupConcurrency, type ConcurrencyReport } from './concurrency';
import { makeArticle, makeSpans } from './corpus';
import { processCpuMs, round } from './lib';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rounds = option('rounds', 2);
const annotators = option('annotators', 190);
const pairs = option('pairs', 5);
const durationMs = option('ms', 10_000);
/** `--profile DIR`: the app processes write V8 CPU profiles there as they stop (a preload of node:inspector: NODE_OPTIONS refuses --cpu-prof) */
const profileIndex = args.indexOf('--profile');
const profileDir = profileIndex >= 0 ? path.resolve(args[profileIndex + 1]) : null;
/** `--app DIR`: the app processes run the build/ and scripts/ of DIR (a snapshot, for an A/B against another build); default this folder */
const appIndex = args.indexOf('--app');
const appDir = appIndex >= 0 ? path.resolve(args[appIndex + 1]) : undefined;
/** `--only 1` or `--only 2`: that many app processes only */
const only = option('only', 0);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

/** the postmaster of the cluster behind `url` and every process it started (backends, walwriter, …) */
async function clusterPids(url: string): Promise<number[]> {
	const client = new pg.Client({ connectionString: url });
	client.on('error', () => {});
	await client.connect();
	const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
	const ppid = (pid: number) => {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		} catch {
			return -1;
		}
	};
	const postmaster = ppid(rows[0].pid);
	await client.end();
	const children = readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number)
		.filter((pid) => ppid(pid) === postmaster);
	return [postmaster, ...children];
}

const cpuOf = (pids: number[]) =>
	pids.reduce((sum, pid) => {
		try {
			return sum + processCpuMs(pid);
		} catch {
			return sum; // a backend that ended meanwhile
		}
	}, 0);

async function statementsOfOneSave(cluster: TestPostgres): Promise<void> {
	const url = await cluster.newDatabase('statements');
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spanlab-cc-pg-'));
	const server = await startServer({ port: await freePort(), dataDir, store: url, cwd: appDir });
	const admin = new pg.Client({ connectionString: url });
	try {
		const setup = await setupConcurrency(server.url, { slug: 'concurrent', annotators: 1, pairs: 0 });
		const { username, docId } = setup.solo[0];
		const client = await new Client(server.url).login(username, process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password');
		const article = makeArticle(Number(docId.slice(3)), 3000, 'cc');
		const put = (base: number, n: number) =>
			client.call('PUT', `/api/datasets/concurrent/documents/${docId}/annotations/me`, { baseRevision: base, spans: makeSpans(article, 30, n) });
		// warm: the first save of the set, and one more (caches filled as under load)
		for (let i = 0; i < 2; i++) if ((await put(i, i + 1)).status !== 200) throw new Error('warm-up save failed');
		await admin.connect();
		await admin.query(`ALTER SYSTEM SET log_statement = 'all'`);
		await admin.query('SELECT pg_reload_conf()');
		await new Promise((r) => setTimeout(r, 300));
		const before = cluster.log().length;
		const ok = await put(2, 3);
		const stale = await put(1, 4);
		await new Promise((r) => setTimeout(r, 300));
		await admin.query('ALTER SYSTEM RESET log_statement');
		await admin.query('SELECT pg_reload_conf()');
		if (ok.status !== 200 || stale.status !== 409) throw new Error(`saves answered ${ok.status} / ${stale.status}`);
		const logged = cluster
			.log()
			.slice(before)
			// a statement of several lines: its continuation lines start with a tab
			.replace(/\n\t/g, ' ')
			.split('\n')
			.filter((line) => /LOG: {2}(statement|execute)/.test(line) && !/log_statement|pg_reload_conf/.test(line));
		const own = logged.filter((l) => !/ALTER SYSTEM/.test(l));
		console.log(`SQL of one save (200) then one stale save (409): ${own.length} statements`);
		for (const line of own) console.log('  ' + line.replace(/^.*?LOG: {2}/, '').replace(/\s+/g, ' ').slice(0, 220));
	} finally {
		await admin.end().catch(() => {});
		await stopServer(server);
		rmSync(dataDir, { recursive: true, force: true });
	}
}

interface Run {
	servers: number;
	report: ConcurrencyReport;
	load: string;
	/** the app's database connections by state, on average over the run */
	backends: string;
	cpuPerSave: { app: number; database: number; client: number };
}

async function concurrencyOn(cluster: TestPostgres, servers: number, n: number): Promise<Run> {
	const url = await cluster.newDatabase(`concurrent${servers}_${n}`);
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spanlab-cc-pg-'));
	const running: RunningServer[] = [];
	try {
		for (let i = 0; i < servers; i++) 
			running.push(
				await startServer({
					port: await freePort(),
					dataDir,
					store: url,
					cwd: appDir,
					env: profileDir ? { NODE_OPTIONS: `--import ${path.resolve('bench/cpu-profile.mjs')}`, CPU_PROFILE_DIR: profileDir } : {}
				})
			);
		const setup = await setupConcurrency(running[0].url, { slug: 'concurrent', annotators, pairs });
		const appPids = running.map((s) => s.process.pid!);
		// CPU counted while the saves run only (not the logins' password hashes, nor the read-back)
		const dbPids = await clusterPids(url);
		let before = { app: 0, database: 0, client: process.cpuUsage() };
		let spent = { app: 0, database: 0, client: 0 };
		let load = '';
		// what the app's backends are doing, sampled while the saves run: waiting for the app (ClientRead), for a lock, running
		const watcher = new pg.Client({ connectionString: url });
		watcher.on('error', (e) => console.error(`activity sampler: ${e.message}`));
		await watcher.connect();
		const activity = new Map<string, number>();
		let sampling = false;
		let samples = 0;
		const sampler = setInterval(async () => {
			if (sampling || !before.app) return;
			sampling = true;
			try {
				const { rows } = await watcher.query<{ what: string; n: number }>(
					`SELECT state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'running') AS what, count(*)::int AS n
					 FROM pg_stat_activity WHERE application_name = 'spanlab' AND pid <> pg_backend_pid() GROUP BY 1`
				);
				samples++;
				for (const r of rows) activity.set(r.what, (activity.get(r.what) ?? 0) + r.n);
			} catch (e) {
				console.error(`activity sampler: ${(e as Error).message}`);
			} finally {
				sampling = false;
			}
		}, 200);
		const report = await runConcurrency(setup, {
			durationMs,
			urls: running.map((s) => s.url),
			phase(event) {
				if (event === 'saving') before = { app: cpuOf(appPids), database: cpuOf(dbPids), client: process.cpuUsage() };
				else {
					const client = process.cpuUsage(before.client);
					spent = { app: cpuOf(appPids) - before.app, database: cpuOf(dbPids) - before.database, client: (client.user + client.system) / 1000 };
					load = loadavg();
				}
			}
		});
		clearInterval(sampler);
		const saves = Math.max(1, report.acknowledged);
		await watcher.end();
		const backends = [...activity].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${what} ${round(n / Math.max(1, samples), 1)}`);
		return {
			servers,
			report,
			load,
			backends: backends.join(', '),
			cpuPerSave: { app: spent.app / saves, database: spent.database / saves, client: spent.client / saves }
		};
	} finally {
		for (const s of running) await stopServer(s);
		rmSync(dataDir, { recursive: true, force: true });
	}
}

function describe(r: Run): string {
	const x = r.report;
	const broken = x.violations.length + x.serverErrors.length + (x.staleSent - x.staleRejected);
	const c = r.cpuPerSave;
	return (
		`${r.servers} process${r.servers > 1 ? 'es' : ''}: ${round(x.throughput)} saves/s, p50 ${round(x.p50)} ms, p99 ${round(x.p99)} ms, ` +
		`statuses ${JSON.stringify(x.statuses)}, stale ${x.staleSent} → 409 ${x.staleRejected}, broken ${broken}; ` +
		`CPU ms per save: app ${round(c.app, 2)}, database ${round(c.database, 2)}, client ${round(c.client, 2)}; load ${r.load}\n  database connections: ${r.backends}`
	);
}

const cluster = await startPostgres({ durable: true });
try {
	console.log(`cores ${os.cpus().length}; ${annotators} lone annotators + ${pairs} pairs, ${durationMs} ms a run; load ${loadavg()}`);
	if (args.includes('--statements')) await statementsOfOneSave(cluster);
	for (let n = 0; n < rounds; n++) {
		const order = only ? [only] : n % 2 === 0 ? [1, 2] : [2, 1];
		const runs: Run[] = [];
		for (const servers of order) {
			const run = await concurrencyOn(cluster, servers, n);
			console.log(`round ${n + 1}, ${describe(run)}`);
			for (const v of [...run.report.violations, ...run.report.serverErrors].slice(0, 5)) console.log(`  ! ${v}`);
			runs.push(run);
		}
		if (only) continue;
		const one = runs.find((r) => r.servers === 1)!.report.throughput;
		const two = runs.find((r) => r.servers === 2)!.report.throughput;
		console.log(`round ${n + 1}: two ÷ one = ${round(two / one, 2)}`);
	}
} finally {
	await cluster.stop();
}
