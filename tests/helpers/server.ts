/** Start and kill real spanlab servers (production build) on their own port and data folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningServer {
	url: string;
	dataDir: string;
	/** SPANLAB_STORE of the server: a PostgreSQL URL, or undefined for the file store under dataDir */
	store?: string;
	process: ChildProcess;
	output: () => string;
}

export function tempDataDir(prefix = 'spanlab-srv-'): string {
	return mkdtempSync(path.join(tmpdir(), prefix));
}

/**
 * A TCP port free on 127.0.0.1 right now, picked by the kernel, so parallel
 * test runs (and engineers) on one machine never collide on a fixed port.
 * Ports fetch refuses ("bad ports", e.g. 4190 ManageSieve) are asked again.
 */
export async function freePort(): Promise<number> {
	const BAD = new Set([4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080]);
	for (;;) {
		const port = await new Promise<number>((resolve, reject) => {
			const srv = createServer();
			srv.once('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const address = srv.address();
				const p = typeof address === 'object' && address ? address.port : 0;
				srv.close(() => resolve(p));
			});
		});
		if (port && !BAD.has(port)) return port;
	}
}

export async function startServer(opts: {
	port: number;
	dataDir: string;
	env?: Record<string, string>;
	/** folder holding scripts/serve.js and build/ (default: the current one); the bench runs a snapshot of the build */
	cwd?: string;
	/** how long it may take to answer (default 30 s; a start that finishes an interrupted large import takes longer) */
	startTimeoutMs?: number;
	/**
	 * SPANLAB_STORE: a PostgreSQL URL, or 'file' for the file store under dataDir. Default: the file
	 * store, except in the Playwright project `api-postgres`, where it is the worker's database for
	 * dataDir (tests/helpers/store.ts: the same dataDir, the same database, so a restart finds its state)
	 */
	store?: string;
}): Promise<RunningServer> {
	const url = `http://127.0.0.1:${opts.port}`;
	const store = opts.store === 'file' ? undefined : (opts.store ?? (await projectDatabase(opts.dataDir)));
	let log = '';
	const child = spawn(process.execPath, ['scripts/serve.js'], {
		cwd: opts.cwd,
		env: {
			...process.env,
			PORT: String(opts.port),
			HOST: '127.0.0.1',
			SPANLAB_DATA: opts.dataDir,
			SPANLAB_DEMO_PASSWORD: process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password',
			...opts.env,
			...(store ? { SPANLAB_STORE: store } : {})
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (log += d));
	child.stderr?.on('data', (d) => (log += d));
	const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
		try {
			const res = await fetch(`${url}/login`);
			if (res.ok) break;
		} catch (e) {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	// a test on PostgreSQL must not pass on a file store: the server says where its data is
	const said = () => /spanlab: data in postgres(ql)?:\/\//.test(log);
	// (its output is a pipe: the line may arrive a moment after the first answer)
	for (const until = Date.now() + 5_000; store && !said() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
	if (store && !said()) {
		child.kill('SIGKILL');
		throw new Error(`the server was given SPANLAB_STORE but did not say it keeps its data in PostgreSQL ("spanlab: data in postgres://…"):\n${log}`);
	}
	return { url, dataDir: opts.dataDir, store, process: child, output: () => log };
}

/** In the `api-postgres` project, the worker's database standing for `dataDir`; else undefined (the file store). */
async function projectDatabase(dataDir: string): Promise<string | undefined> {
	// only a Playwright worker has a project; elsewhere (the bench) the helper and @playwright/test are not loaded
	if (process.env.TEST_WORKER_INDEX === undefined) return undefined;
	const { onPostgres, databaseFor } = await import('./store');
	return onPostgres() ? databaseFor(dataDir) : undefined;
}

export async function killHard(server: RunningServer): Promise<void> {
	// exited, or killed by a signal already (then exitCode stays null): there is no exit left to wait for
	if (server.process.exitCode !== null || server.process.signalCode !== null) return;
	const exited = new Promise((r) => server.process.once('exit', r));
	server.process.kill('SIGKILL');
	await exited;
}

export async function stopServer(server: RunningServer): Promise<void> {
	if (server.process.exitCode !== null) return;
	const exited = new Promise((r) => server.process.once('exit', r));
	server.process.kill('SIGTERM');
	await exited;
}

/**
 * fetch, tried again when the request died on a pooled connection the server
 * had just closed ("other side closed": the server drops keep-alive
 * connections idle for 5 s, and fetch may pick one in that instant). Only for
 * requests that are safe to send twice.
 */
async function fetchRetryingStaleSocket(url: string, init: RequestInit): Promise<Response> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await fetch(url, init);
		} catch (e) {
			const code = ((e as Error).cause as { code?: string } | undefined)?.code;
			if (attempt >= 3 || (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET')) throw e;
		}
	}
}

/** A tiny cookie-keeping JSON client on plain fetch (survives server restarts). */
export class Client {
	cookie = '';
	constructor(public base: string) {}
	async login(username: string, password = process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password') {
		const res = await fetchRetryingStaleSocket(`${this.base}/api/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: this.base },
			body: JSON.stringify({ username, password })
		});
		if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
		this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
		return this;
	}
	async call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
		// a read may be sent twice; a write is not (a test counts what was acknowledged)
		const res = await (method === 'GET' || method === 'HEAD' ? fetchRetryingStaleSocket : fetch)(`${this.base}${url}`, {
			method,
			headers: {
				cookie: this.cookie,
				origin: this.base,
				...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
				...headers
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		const text = await res.text();
		let json: unknown = null;
		try {
			json = JSON.parse(text);
		} catch {
			json = text;
		}
		return { status: res.status, json: json as any, text, headers: Object.fromEntries(res.headers) as Record<string, string> };
	}
	/**
	 * A set's whole history (`…/revisions` is paged, the latest first; see docs/api.md),
	 * oldest first, following `X-Next-Before`; the status of the first page that was not 200.
	 */
	async allRevisions(revisionsUrl: string): Promise<{ status: number; json: any[]; text: string }> {
		const pages: any[][] = [];
		for (let before: string | undefined; ; ) {
			const page = await this.call('GET', `${revisionsUrl}?limit=100${before ? `&before=${before}` : ''}`);
			if (page.status !== 200) return { status: page.status, json: [], text: page.text };
			pages.unshift(page.json);
			before = page.headers['x-next-before'];
			if (!before) break;
		}
		return { status: 200, json: pages.flat(), text: '' };
	}
}
