/**
 * Figure 20 (issue #20) on PostgreSQL: the file store's figures of bench/large.ts on
 * a throwaway cluster (tests/helpers/postgres.ts), plus the two that only a
 * database has a target for:
 *  - the dataset (`docs` articles × 3 annotators × 30 spans, and a 100-document one)
 *    written straight into the database by bench/large-generate-postgres.ts;
 *  - fresh child processes with SPANLAB_STORE=<url>, as app processes after a
 *    restart: bench/large-child.ts (open, a list page, a phrase search, the save
 *    ratio), bench/agreement-child.ts (agreement over the whole dataset),
 *    bench/release-child.ts (a release of every set, its time and peak RSS);
 *  - concurrency: the production build (`app`, run.ts's snapshot) started once, then
 *    twice on one database, each time with `annotators` lone annotators and `pairs`
 *    pairs of tabs (bench/concurrency.ts), requests alternating between the two;
 *    every promise checked, and the saves/s of two processes against one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round, runChild, type Figure } from './lib';
import type { LargePlan } from './large-generate';
import { startPostgres } from '../tests/helpers/postgres';
import { freePort, startServer, stopServer, type RunningServer } from '../tests/helpers/server';
import { runConcurrency, setupConcurrency, type ConcurrencyReport } from './concurrency';

export interface LargePostgresOptions {
	docs: number;
	password: string;
	rounds: number;
	saves: number;
	/** the folder holding a snapshot of build/ and scripts/ (run.ts's `app`); none: no concurrency figures */
	app: string | null;
	annotators: number;
	pairs: number;
	concurrentMs: number;
}

const k = (n: number) => n.toLocaleString('en-US');

export async function benchLargePostgres(o: LargePostgresOptions, details: Record<string, unknown>): Promise<Figure[]> {
	const cluster = await startPostgres({ durable: true });
	const group = '(PostgreSQL)';
	const figures: Figure[] = [];
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'spanlab-large-pg-'));
	try {
		const url = await cluster.newDatabase('large');
		// the data folder is not the store's, but the release child and the servers name one
		const env = { SPANLAB_STORE: url, SPANLAB_DATA: scratch };
		const plan: LargePlan = {
			password: o.password,
			datasets: [
				{ slug: 'large', docs: o.docs },
				{ slug: 'small', docs: 100 }
			],
			annotators: ['ann1', 'ann2', 'ann3'],
			spans: 30,
			articleChars: 3000
		};
		const made = await runChild<{ timings: Record<string, number>; parts: Record<string, Record<string, number>>; databaseBytes: number; listSnapshots: Record<string, number> }>(
			'bench/large-generate-postgres.ts',
			[JSON.stringify(plan)],
			env
		);
		if (made.listSnapshots.large !== o.docs) throw new Error(`the large dataset's list snapshot holds ${made.listSnapshots.large ?? 'no'} documents, not ${o.docs}`);
		const n = Math.floor(o.docs * 0.42);
		const phrase = `dépêche ${n}: le conseil vote`;
		const r = await runChild<Record<string, number | string>>(
			'bench/large-child.ts',
			[JSON.stringify({ large: 'large', small: 'small', rounds: o.rounds, saves: o.saves, articleChars: 3000, phrase, commonPhrase: 'selon le maire' })],
			env
		);
		const agreement = await runChild<{ ms: number; cpuMs: number; openMs: number; documents: number; alpha: number | null; maxRssMb: number }>('bench/agreement-child.ts', ['large'], env);
		const release = await runChild<{ ms: number; cpuMs: number; openMs: number; records: number; spans: number; maxRssMb: number; startRssMb: number }>(
			'bench/release-child.ts',
			['release', 'large', scratch],
			env
		);
		details.largePostgres = { generate: made, measure: r, agreement, release };
		if (r.documents !== o.docs) throw new Error(`the large dataset opened with ${r.documents} documents`);
		if (agreement.documents !== o.docs) throw new Error(`agreement used ${agreement.documents} of ${o.docs} documents`);
		if (release.records !== o.docs * 3) throw new Error(`the release has ${release.records} records, not ${o.docs * 3}`);
		const num = (key: string) => r[key] as number;
		const name = `${k(o.docs)} docs × 3 annotators × 30 spans`;
		figures.push(
			{
				id: '20',
				name: `open after a restart ${group}: ${name} (headers + summaries)`,
				value: round(num('openMs')),
				unit: 'ms',
				target: { op: '<', value: 1000 },
				note: `CPU ${round(num('openCpuMs'))} ms; headers ${round(num('headersMs'))} ms; ${k(num('sets'))} set summaries; heap ${Math.round(num('heapAfterOpenMb'))} MB after; the next process (agreement) opened it in ${round(agreement.openMs)} ms`
			},
			{
				id: '20',
				name: `document list page as a lead ${group} (queryDocumentsFor, median)`,
				value: round(num('pageMs')),
				unit: 'ms',
				target: { op: '<', value: 100 },
				note: `sorted by title, filtered by status, page 3: ${round(num('sortedPageMs'))} ms`
			},
			{
				id: '20',
				name: `search a phrase ${group} ("${phrase}", median)`,
				value: round(num('phraseMs')),
				unit: 'ms',
				target: { op: '<', value: 200 },
				note: `${num('phraseHits')} hit; the list page with it ${round(num('listSearchMs'))} ms; a phrase of words every document holds ("selon le maire"): ${round(num('commonPhraseMs'))} ms, ${num('commonPhraseHits')} hits; first search ${round(num('searchBuildMs'))} ms`
			},
			{
				id: '20',
				name: `save median ratio ${k(o.docs)}/100 docs ${group}`,
				value: round(num('saveLargeMs') / num('saveSmallMs'), 2),
				unit: '',
				target: { op: '<=', value: 1.5 },
				note: `${round(num('saveLargeMs'))} ms vs ${round(num('saveSmallMs'))} ms, ${o.saves} saves each of 30 spans (saveSet, in process)`
			},
			{
				id: '20',
				name: `release ${name} ${group}`,
				value: round(release.ms / 1000, 1),
				unit: 's',
				target: { op: '<', value: 60 },
				note: `${k(release.records)} records, ${k(release.spans)} spans; CPU of the app process ${round(release.cpuMs / 1000, 1)} s; open ${round(release.openMs)} ms before`
			},
			{
				id: '20',
				name: `release peak RSS ${group}`,
				value: Math.round(release.maxRssMb),
				unit: 'MB',
				target: { op: '<', value: 300 },
				note: `${Math.round(release.startRssMb)} MB at the process's start`
			},
			{
				id: '20',
				name: `agreement ${name} ${group}`,
				value: round(agreement.ms / 1000, 2),
				unit: 's',
				target: { op: '<', value: 20 },
				note: `CPU ${round(agreement.cpuMs / 1000, 1)} s; peak RSS ${Math.round(agreement.maxRssMb)} MB; alpha ${agreement.alpha === null ? '—' : round(agreement.alpha, 3)}; open ${round(agreement.openMs)} ms`
			},
			{
				id: '20',
				name: `generate the dataset straight into the database ${group}`,
				value: round(made.timings.large / 1000, 1),
				unit: 's',
				note: `setup, not a target: documents (addMany) ${round(made.parts.large.documentsMs / 1000, 1)} s, sets + revisions ${round(made.parts.large.setsMs / 1000, 1)} s, VACUUM ANALYZE ${round(made.timings.analyze / 1000, 1)} s; database ${k(Math.round(made.databaseBytes / 2 ** 20))} MiB`
			}
		);

		if (o.app) figures.push(...(await concurrency(o, cluster, details)));
		return figures;
	} finally {
		await cluster.stop();
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** `servers` app processes on a new database, the concurrency run alternating between them. */
async function concurrencyOn(
	o: LargePostgresOptions,
	cluster: Awaited<ReturnType<typeof startPostgres>>,
	servers: number
): Promise<{ report: ConcurrencyReport; loadAverage: number }> {
	const url = await cluster.newDatabase(`concurrent${servers}`);
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spanlab-cc-pg-'));
	const running: RunningServer[] = [];
	try {
		// one after the other: the first migrates the database and seeds the demo (its lead)
		for (let i = 0; i < servers; i++) running.push(await startServer({ port: await freePort(), dataDir, cwd: o.app!, store: url }));
		const setup = await setupConcurrency(running[0].url, { slug: 'concurrent', annotators: o.annotators, pairs: o.pairs });
		const report = await runConcurrency(setup, { durationMs: o.concurrentMs, urls: running.map((s) => s.url) });
		return { report, loadAverage: os.loadavg()[0] };
	} finally {
		for (const s of running) await stopServer(s);
		rmSync(dataDir, { recursive: true, force: true });
	}
}

async function concurrency(o: LargePostgresOptions, cluster: Awaited<ReturnType<typeof startPostgres>>, details: Record<string, unknown>): Promise<Figure[]> {
	const one = await concurrencyOn(o, cluster, 1);
	const two = await concurrencyOn(o, cluster, 2);
	const brief = (r: ConcurrencyReport) => ({ ...r, violations: r.violations.slice(0, 50), serverErrors: r.serverErrors.slice(0, 50) });
	details.concurrencyPostgres = { one: { ...brief(one.report), loadAverage: one.loadAverage }, two: { ...brief(two.report), loadAverage: two.loadAverage } };
	const who = `${o.annotators + 2 * o.pairs} simulated annotators (${o.annotators} alone, ${o.pairs} pairs of tabs), ${round(o.concurrentMs / 1000)} s`;
	const r = two.report;
	const broken = (x: ConcurrencyReport) => x.violations.length + x.serverErrors.length + (x.staleSent - x.staleRejected);
	return [
		{
			id: '20',
			name: `concurrent saves on two app processes (PostgreSQL): broken promises, ${who}`,
			value: broken(r),
			unit: '',
			target: { op: '<=', value: 0 },
			note: `5xx/failed ${r.serverErrors.length}, stale writes ${r.staleSent} → 409 ${r.staleRejected}, lost/extra revisions ${r.violations.length}; statuses ${JSON.stringify(r.statuses)}; with one process: ${broken(one.report)} broken`
		},
		{
			id: '20',
			name: 'concurrent saves (PostgreSQL): saves/s two processes ÷ one',
			value: round(r.throughput / one.report.throughput, 2),
			unit: '',
			target: { op: '>=', value: 1.6 },
			note: `${round(r.throughput)} vs ${round(one.report.throughput)} saves/s; p50 ${round(r.p50)} / ${round(one.report.p50)} ms, p99 ${round(r.p99)} / ${round(one.report.p99)} ms; PostgreSQL, the two servers and the clients share ${os.cpus().length} cores (load ${round(two.loadAverage, 1)})`
		}
	];
}
