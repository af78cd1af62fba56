/**
 * Concurrent saves against a real server (figure 7, and tests/api/concurrency.spec.ts).
 *
 *  - solo annotators: each saves to its own document, always with the
 *    revision of its last acknowledged save; none may ever get a 409
 *  - pairs: two sessions of one annotator (two tabs) edit the same set. Each
 *    tab sends the revision it last heard of; now and then a tab sends a
 *    revision it knows is stale (older than one already acknowledged), which
 *    must get a 409
 *
 * Afterwards every set is read back: its revision and history must account
 * for exactly the acknowledged writes, and its spans must be the last one's.
 * Everything goes through the public API.
 *
 * With `urls` (several app servers on one database), each session's requests
 * go round the servers in turn (one login, its cookie sent to each), so a save
 * acknowledged by one is the base of the next on another, and a stale write
 * meets the revision another process wrote.
 */
import http from 'node:http';
import { Client } from '../tests/helpers/server';
import { makeArticle, makeSpans, rng } from './corpus';
import { median, percentile } from './lib';
import type { SpanInput } from '../src/lib/model/types';

const PASSWORD = process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password';
const ARTICLE_CHARS = 3000;
const SPANS_PER_SAVE = 30;

export interface ConcurrencySetup {
	url: string;
	slug: string;
	solo: Array<{ username: string; docId: string }>;
	pairs: Array<{ username: string; docId: string }>;
}

export interface ConcurrencyReport {
	durationMs: number;
	requests: number;
	acknowledged: number;
	/** acknowledged saves per second */
	throughput: number;
	p50: number;
	p99: number;
	statuses: Record<string, number>;
	/** 5xx responses and failed requests */
	serverErrors: string[];
	/** writes sent with a revision known to be stale, and how many of them got 409 */
	staleSent: number;
	staleRejected: number;
	/** every broken promise, in words; empty when all held */
	violations: string[];
	/** sets that never had a save acknowledged (starved) */
	starvedSets: string[];
}

/**
 * The saves' own HTTP client: node:http on a keep-alive agent, much cheaper per request
 * than fetch (the load client shares the cores with the servers it measures, so every
 * millisecond it spends is one the servers do not get). A write is sent once, never retried.
 */
const agent = new http.Agent({
	keepAlive: true,
	maxSockets: Infinity,
	// an idle socket is closed well before the server's keep-alive timeout (5 s), which would otherwise close it
	// under a request being sent (ECONNRESET: a write is not sent twice)
	timeout: 1000
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function putJson(base: string, path: string, cookie: string, body: unknown): Promise<{ status: number; json: any; text: string }> {
	const payload = Buffer.from(JSON.stringify(body));
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${base}${path}`,
			{ method: 'PUT', agent, headers: { cookie, origin: base, 'content-type': 'application/json', 'content-length': payload.length } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown = text;
					try {
						json = JSON.parse(text);
					} catch {
						// not JSON: the text itself
					}
					resolve({ status: res.statusCode ?? 0, json, text });
				});
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end(payload);
	});
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
	for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function expectStatus(res: { status: number; text: string }, status: number, what: string): void {
	if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
}

/** As the demo `lead`: a dataset with one document per solo annotator and per pair, and those users as members. */
export async function setupConcurrency(url: string, opts: { slug: string; annotators: number; pairs: number }): Promise<ConcurrencySetup> {
	const lead = await new Client(url).login('lead');
	expectStatus(await lead.call('POST', '/api/datasets', { slug: opts.slug, title: 'Concurrent saves' }), 201, 'create dataset');
	const total = opts.annotators + opts.pairs;
	const articles = Array.from({ length: total }, (_, n) => makeArticle(n, ARTICLE_CHARS, 'cc'));
	const ndjson = articles.map((a) => JSON.stringify({ id: a.id, title: a.title, text: a.text })).join('\n');
	expectStatus(
		await lead.call('POST', `/api/datasets/${opts.slug}/documents`, ndjson, { 'content-type': 'application/x-ndjson' }),
		200,
		'import'
	);
	const users = [
		...Array.from({ length: opts.annotators }, (_, i) => ({ username: `solo${String(i + 1).padStart(2, '0')}`, docId: articles[i].id })),
		...Array.from({ length: opts.pairs }, (_, i) => ({ username: `pair${i + 1}`, docId: articles[opts.annotators + i].id }))
	];
	// password hashing is deliberately slow: a few at a time
	await inBatches(users, 4, async (u) => {
		expectStatus(await lead.call('POST', '/api/users', { username: u.username, password: PASSWORD, role: 'annotator' }), 201, `create ${u.username}`);
	});
	for (const u of users) {
		expectStatus(await lead.call('PUT', `/api/datasets/${opts.slug}/members/${u.username}`, { role: 'annotator' }), 200, `member ${u.username}`);
	}
	return { url, slug: opts.slug, solo: users.slice(0, opts.annotators), pairs: users.slice(opts.annotators) };
}

interface Ack {
	revision: number;
	spans: SpanInput[];
}

/** Saves for `durationMs`, then reads every set back and checks it. */
export async function runConcurrency(
	setup: ConcurrencySetup,
	opts: {
		durationMs: number;
		seed?: number;
		urls?: string[];
		/** called as the saves start and as the last one has answered (after the logins, before the read-back): to measure that span alone */
		phase?: (event: 'saving' | 'saved') => void;
	}
): Promise<ConcurrencyReport> {
	const random = rng(opts.seed ?? 1);
	const articles = new Map<string, ReturnType<typeof makeArticle>>();
	for (const u of [...setup.solo, ...setup.pairs]) {
		articles.set(u.docId, makeArticle(Number(u.docId.slice(3)), ARTICLE_CHARS, 'cc'));
	}
	const urls = opts.urls?.length ? opts.urls : [setup.url];
	/** one session; one client per server sending its cookie, taken in turn */
	const login = async (username: string): Promise<Client[]> => {
		const session = await new Client(urls[0]).login(username, PASSWORD);
		return urls.map((url, i) => {
			if (i === 0) return session;
			const client = new Client(url);
			client.cookie = session.cookie;
			return client;
		});
	};
	const soloClients = await Promise.all(setup.solo.map((u) => login(u.username)));
	const pairClients = await Promise.all(setup.pairs.map(async (u) => [await login(u.username), await login(u.username)]));
	/** per session: how many requests it sent (the next goes to the next server) */
	const turns = new WeakMap<Client[], number>();

	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	const serverErrors: string[] = [];
	const violations: string[] = [];
	/** per set (doc id): acknowledged writes, in the order the server numbered them */
	const acked = new Map<string, Ack[]>();
	let staleSent = 0;
	let staleRejected = 0;
	let writeNo = 0;
	let running = true;

	const save = async (clients: Client[], docId: string, baseRevision: number) => {
		const spans = makeSpans(articles.get(docId)!, SPANS_PER_SAVE, ++writeNo);
		const turn = turns.get(clients) ?? 0;
		turns.set(clients, turn + 1);
		const client = clients[turn % clients.length];
		const t0 = performance.now();
		let res;
		try {
			res = await putJson(client.base, `/api/datasets/${setup.slug}/documents/${docId}/annotations/me`, client.cookie, { baseRevision, spans });
		} catch (e) {
			serverErrors.push(`${docId}: request to ${client.base} failed: ${(e as Error).message}`);
			return null;
		}
		latencies.push(performance.now() - t0);
		statuses[res.status] = (statuses[res.status] ?? 0) + 1;
		if (res.status >= 500) serverErrors.push(`${docId}: ${res.status} ${res.text.slice(0, 200)}`);
		if (res.status === 200) {
			if (res.json.revision !== baseRevision + 1) {
				violations.push(`${docId}: a save on revision ${baseRevision} was acknowledged as revision ${res.json.revision}`);
			}
			const list = acked.get(docId) ?? [];
			list.push({ revision: res.json.revision, spans });
			acked.set(docId, list);
		}
		if (res.status === 409 && res.json.current.revision === baseRevision) {
			violations.push(`${docId}: a save on the current revision ${baseRevision} got 409`);
		}
		return res;
	};

	opts.phase?.('saving');
	const soloLoops = setup.solo.map(async (u, i) => {
		let base = 0;
		while (running) {
			const res = await save(soloClients[i], u.docId, base);
			if (!res) return;
			if (res.status === 200) base = res.json.revision;
			else violations.push(`${u.docId}: a lone annotator's save got ${res.status}`);
			if (res.status !== 200) return;
		}
	});

	const pairLoops = setup.pairs.flatMap((u, p) =>
		pairClients[p].map(async (client) => {
			let base = 0;
			while (running) {
				const known = acked.get(u.docId) ?? [];
				const newest = known.length ? known[known.length - 1].revision : 0;
				const stale = newest > 0 && random() < 0.25;
				// a stale write: older than a revision already acknowledged to someone
				const sent = stale ? Math.floor(random() * newest) : base;
				const res = await save(client, u.docId, sent);
				if (!res) return;
				if (stale) {
					staleSent++;
					if (res.status === 409) staleRejected++;
					else violations.push(`${u.docId}: a save on stale revision ${sent} (revision ${newest} acknowledged before) got ${res.status}`);
				}
				if (res.status === 200) base = res.json.revision;
				else if (res.status === 409) base = res.json.current.revision;
				else return;
			}
		})
	);

	const t0 = performance.now();
	await new Promise((r) => setTimeout(r, opts.durationMs));
	running = false;
	await Promise.all([...soloLoops, ...pairLoops]);
	const durationMs = performance.now() - t0;
	opts.phase?.('saved');

	// read every set back
	// (through the last server: with several, what the others wrote is read back through it)
	const everyone = [
		...setup.solo.map((u, i) => ({ ...u, client: soloClients[i][urls.length - 1] })),
		...setup.pairs.map((u, p) => ({ ...u, client: pairClients[p][0][urls.length - 1] }))
	];
	for (const u of everyone) {
		const list = acked.get(u.docId) ?? [];
		const numbers = list.map((a) => a.revision).sort((a, b) => a - b);
		if (numbers.some((n, i) => n !== i + 1)) violations.push(`${u.docId}: acknowledged revisions are not 1..${list.length}: ${numbers.slice(0, 20).join(',')}`);
		const byRevision = new Map(list.map((a) => [a.revision, a]));
		const base = `/api/datasets/${setup.slug}/documents/${u.docId}/annotations/me`;
		const current = await u.client.call('GET', base);
		const history = await u.client.allRevisions(`${base}/revisions`);
		if (current.status !== 200 || history.status !== 200) {
			violations.push(`${u.docId}: reading back: ${current.status}/${history.status}`);
			continue;
		}
		if (current.json.revision !== list.length) {
			violations.push(`${u.docId}: revision ${current.json.revision} after ${list.length} acknowledged saves`);
		}
		const last = byRevision.get(current.json.revision);
		if (list.length && (!last || spanKey(current.json.spans) !== spanKey(last.spans))) {
			violations.push(`${u.docId}: the current spans are not those of the last acknowledged save`);
		}
		const revisions = history.json as Array<{ revision: number; spans: SpanInput[] }>;
		if (revisions.length !== list.length) violations.push(`${u.docId}: ${revisions.length} revisions in the history, ${list.length} acknowledged`);
		for (const r of revisions) {
			const ack = byRevision.get(r.revision);
			if (!ack || spanKey(r.spans) !== spanKey(ack.spans)) {
				violations.push(`${u.docId}: revision ${r.revision} in the history is not the acknowledged save`);
				break;
			}
		}
	}

	const acknowledged = [...acked.values()].reduce((n, l) => n + l.length, 0);
	return {
		durationMs,
		requests: latencies.length,
		acknowledged,
		throughput: acknowledged / (durationMs / 1000),
		p50: latencies.length ? median(latencies) : 0,
		p99: latencies.length ? percentile(latencies, 99) : 0,
		statuses,
		serverErrors,
		staleSent,
		staleRejected,
		violations,
		starvedSets: everyone.filter((u) => !acked.get(u.docId)?.length).map((u) => u.docId)
	};
}

function spanKey(spans: SpanInput[]): string {
	return spans
		.map((s) => `${s.start}:${s.end}:${s.label}`)
		.sort()
		.join('|');
}
