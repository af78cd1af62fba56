/**
 * Two app servers on one PostgreSQL database (issue #20, item 2): `PORT=A` and
 * `PORT=B`, each its own process and data folder, the same SPANLAB_STORE, as
 * behind any load balancer. Requests alternate between them and every promise of
 * one server holds across the two: a login on A is a login on B; a stale write is
 * a 409 whichever process wrote the newer revision; no acknowledged save is lost,
 * not even when A is killed with SIGKILL mid-save; a label change on A is what B
 * validates against; releases cut on both at once are numbered without gaps, with
 * deterministic bytes.
 *
 * PostgreSQL only (the api-postgres project). On the file store a second server
 * on a data folder in use is refused at start: tests/api/writers.spec.ts.
 */
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { freePort, startServer, killHard, tempDataDir, Client, type RunningServer } from '../helpers/server';
import { databaseFor, onPostgres } from '../helpers/store';
import { runConcurrency, setupConcurrency } from '../../bench/concurrency';

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const TEXT = 'Le 3 mai 2024 😀, le maire a déclaré que la hausse était « inévitable ». '.repeat(10);
const LABELS = ['claim', 'attribution', 'framing', 'date'];

let a: RunningServer | null = null;
let b: RunningServer | null = null;
let store = '';
let dirA = '';
let dirB = '';
let portA = 0;

test.beforeAll(async () => {
	test.skip(!onPostgres(), 'two app servers share one database only on PostgreSQL; on the file store a second server is refused (writers.spec.ts)');
	// each server a data folder of its own (the PostgreSQL store keeps nothing there)
	dirA = tempDataDir('spanlab-two-a-');
	dirB = tempDataDir('spanlab-two-b-');
	store = await databaseFor(dirA);
	portA = await freePort();
});

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) {
		for (const [name, s] of [['A', a], ['B', b]] as const) {
			if (s) console.log(`server ${name} (exit code ${s.process.exitCode}), its output:\n${s.output().slice(-6000)}`);
		}
	}
});

test.afterAll(async () => {
	for (const s of [a, b]) if (s) await killHard(s);
	for (const dir of [dirA, dirB]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A client on `to` holding the session `from` logged in elsewhere. */
function sameSession(from: Client, to: RunningServer): Client {
	const client = new Client(to.url);
	client.cookie = from.cookie;
	return client;
}

const setUrl = (slug: string, doc: string, who = 'me') => `/api/datasets/${slug}/documents/${doc}/annotations/${who}`;

async function newDataset(lead: Client, slug: string, docs: string[], members: string[] = ['ann1', 'ann2']): Promise<void> {
	expect((await lead.call('POST', '/api/datasets', { slug, title: slug })).status).toBe(201);
	const ndjson = docs.map((id) => JSON.stringify({ id, text: `${id}: ${TEXT}` })).join('\n');
	const imported = await lead.call('POST', `/api/datasets/${slug}/documents`, ndjson, { 'content-type': 'application/x-ndjson' });
	expect(imported.status, imported.text).toBe(200);
	for (const m of members) expect((await lead.call('PUT', `/api/datasets/${slug}/members/${m}`, { role: 'annotator' })).status).toBe(200);
}

test('two servers started at the same moment on one new database both come up, with one set of demo accounts', async () => {
	// both run the migrations and look for users at once: one database, one schema, one demo
	[a, b] = await Promise.all([
		startServer({ port: portA, dataDir: dirA, store }),
		startServer({ port: await freePort(), dataDir: dirB, store })
	]);
	const onA = await new Client(a.url).login('lead');
	const onB = await new Client(b.url).login('lead');
	const users = async (c: Client) => ((await c.call('GET', '/api/users')).json as Array<{ username: string }>).map((u) => u.username).sort();
	expect(await users(onA)).toEqual(['ann1', 'ann2', 'lead']);
	expect(await users(onB)).toEqual(['ann1', 'ann2', 'lead']);
	const datasets = async (c: Client) => ((await c.call('GET', '/api/datasets')).json as Array<{ slug: string }>).map((d) => d.slug);
	expect(await datasets(onA)).toEqual(['demo-news']);
	expect(await datasets(onB)).toEqual(['demo-news']);
});

test('a login on A is a login on B; a logout on B ends it on A; an account made on B logs in on A', async () => {
	const lead = await new Client(a!.url).login('lead');
	const onB = sameSession(lead, b!);
	const me = await onB.call('GET', '/api/me');
	expect(me.status, me.text).toBe(200);
	expect(me.json.username).toBe('lead');

	const ann = await new Client(a!.url).login('ann1');
	expect((await sameSession(ann, b!).call('POST', '/api/logout')).status).toBe(200);
	expect((await ann.call('GET', '/api/me')).status).toBe(401);
	expect((await sameSession(ann, b!).call('GET', '/api/me')).status).toBe(401);

	const made = await onB.call('POST', '/api/users', { username: 'twoproc', password: 'two-process-password', role: 'annotator' });
	expect(made.status, made.text).toBe(201);
	const newcomer = await new Client(a!.url).login('twoproc', 'two-process-password');
	expect((await newcomer.call('GET', '/api/me')).json.username).toBe('twoproc');
});

test('a save on A, then a save on B from the same base: 409 carrying what A wrote; the next save on B from it lands', async () => {
	const lead = await new Client(a!.url).login('lead');
	await newDataset(lead, 'two-cas', ['d1']);
	const onA = await new Client(a!.url).login('ann1');
	const onB = sameSession(onA, b!);
	const first = [{ start: 0, end: 2, label: 'claim' }];
	const saved = await onA.call('PUT', setUrl('two-cas', 'd1'), { baseRevision: 0, spans: first });
	expect(saved.status, saved.text).toBe(200);
	expect(saved.json.revision).toBe(1);

	const stale = await onB.call('PUT', setUrl('two-cas', 'd1'), { baseRevision: 0, spans: [{ start: 4, end: 7, label: 'date' }] });
	expect(stale.status, stale.text).toBe(409);
	expect(stale.json.current.revision).toBe(1);
	expect(stale.json.current.spans.map((s: { start: number; end: number; label: string }) => [s.start, s.end, s.label])).toEqual([[0, 2, 'claim']]);

	const next = await onB.call('PUT', setUrl('two-cas', 'd1'), { baseRevision: 1, spans: [{ start: 4, end: 7, label: 'date' }] });
	expect(next.status, next.text).toBe(200);
	expect(next.json.revision).toBe(2);
	const history = await onA.allRevisions(`${setUrl('two-cas', 'd1')}/revisions`);
	expect(history.json.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
});

test('saves alternating between A and B: no 5xx, every stale write 409 across processes, no acknowledged write lost', async () => {
	// the concurrency short form (tests/api/concurrency.spec.ts), each session's requests going A, B, A, B…
	const setup = await setupConcurrency(a!.url, { slug: 'two-concurrent', annotators: 20, pairs: 5 });
	const report = await runConcurrency(setup, { durationMs: Number(process.env.SPANLAB_CONCURRENCY_MS || 5000), seed: 11, urls: [a!.url, b!.url] });
	console.log(
		`two processes: ${report.acknowledged} acknowledged saves (${report.throughput.toFixed(0)}/s, p50 ${report.p50.toFixed(0)} ms), ` +
			`${report.staleSent} stale writes, statuses ${JSON.stringify(report.statuses)}`
	);
	expect(report.serverErrors, 'no 5xx or failed requests').toEqual([]);
	expect(report.violations, 'every acknowledged write kept, every conflict justified').toEqual([]);
	expect(Object.keys(report.statuses).every((s) => s === '200' || s === '409')).toBe(true);
	expect(report.staleSent, 'the pairs sent stale writes').toBeGreaterThan(0);
	expect(report.staleRejected).toBe(report.staleSent);
	expect(report.starvedSets, 'every annotator got work through').toEqual([]);
});

test('a label change on A is what B shows and validates against, at once', async () => {
	const lead = await new Client(a!.url).login('lead');
	await newDataset(lead, 'two-labels', ['d1', 'd2']);
	const ann = await new Client(b!.url).login('ann1');
	expect((await ann.call('PUT', setUrl('two-labels', 'd1'), { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] })).status).toBe(200);
	// B has read the dataset (and may keep it): the change must still reach it
	expect((await sameSession(lead, b!).call('GET', '/api/datasets/two-labels')).json.labels.map((l: { name: string }) => l.name)).toEqual(LABELS);

	const before = (await lead.call('GET', '/api/datasets/two-labels')).json;
	const labels = before.labels.map((l: { name: string }) => (l.name === 'claim' ? { ...l, name: 'assertion' } : l));
	const changed = await lead.call('PATCH', '/api/datasets/two-labels', { labels, renames: { claim: 'assertion' }, baseVersion: before.version });
	expect(changed.status, changed.text).toBe(200);

	const onB = await sameSession(lead, b!).call('GET', '/api/datasets/two-labels');
	expect(onB.json.labels.map((l: { name: string }) => l.name)).toEqual(['assertion', 'attribution', 'framing', 'date']);
	expect(onB.json.version).toBe(changed.json.version);
	// the set saved through B before the change was rewritten; B reads it so
	const set = await ann.call('GET', setUrl('two-labels', 'd1'));
	expect(set.json.spans.map((s: { label: string }) => s.label)).toEqual(['assertion']);
	// B refuses the old name and takes the new one
	const old = await ann.call('PUT', setUrl('two-labels', 'd2'), { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
	expect(old.status, old.text).toBe(400);
	expect(old.json.error).toMatch(/claim/);
	expect((await ann.call('PUT', setUrl('two-labels', 'd2'), { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'assertion' }] })).status).toBe(200);
});

test('A killed with SIGKILL mid-save: B keeps serving, every acknowledged save is there, A restarts on the same database', async () => {
	const lead = await new Client(a!.url).login('lead');
	const docs = ['k1', 'k2', 'k3'];
	await newDataset(lead, 'two-kill', docs);
	const annotators = ['ann1', 'ann2', 'lead'];
	const sessions = await Promise.all(annotators.map((name) => new Client(a!.url).login(name)));
	const acked = new Map<string, Array<{ revision: number; spans: Array<{ start: number; end: number; label: string }> }>>();
	const base = new Map<string, number>();
	let aDown = false;
	let running = true;
	let afterKill = 0;
	const loops = sessions.map(async (session, i) => {
		const clients = [session, sameSession(session, b!)];
		for (let n = 0; running; n++) {
			const onA = n % 2 === 0;
			if (onA && aDown) continue; // a balancer takes a dead server out
			const doc = docs[(n + i) % docs.length];
			const key = `${doc}/${annotators[i]}`;
			const spans = Array.from({ length: 1 + ((n * 7 + i) % 30) }, (_, k) => ({ start: k * 3, end: k * 3 + 2, label: LABELS[(k + n) % 4] }));
			let res;
			try {
				res = await clients[onA ? 0 : 1].call('PUT', setUrl('two-kill', doc), { baseRevision: base.get(key) ?? 0, spans });
			} catch (e) {
				if (onA) continue; // A went down under this request: not acknowledged
				throw new Error(`B failed while A was killed: ${(e as Error).message}`);
			}
			if (res.status === 200) {
				base.set(key, res.json.revision);
				acked.set(key, [...(acked.get(key) ?? []), { revision: res.json.revision, spans }]);
				if (aDown) afterKill++;
			} else if (res.status === 409) {
				base.set(key, res.json.current.revision);
			} else {
				throw new Error(`unexpected ${res.status} from ${onA ? 'A' : 'B'}: ${res.text}`);
			}
		}
	});
	await new Promise((r) => setTimeout(r, 1500));
	await killHard(a!);
	aDown = true;
	await new Promise((r) => setTimeout(r, 1500));
	running = false;
	await Promise.all(loops);
	expect(afterKill, 'B acknowledged saves after A was killed').toBeGreaterThan(0);

	const check = async (reader: Client) => {
		for (const [key, list] of acked) {
			const [doc, annotator] = key.split('/');
			const current = await reader.call('GET', setUrl('two-kill', doc, annotator));
			expect(current.status, current.text).toBe(200);
			const last = list[list.length - 1];
			// an unacknowledged write of A's may have landed too, never fewer
			expect(current.json.revision, key).toBeGreaterThanOrEqual(last.revision);
			if (current.json.revision === last.revision) {
				expect(current.json.spans.map((s: { start: number; end: number; label: string }) => [s.start, s.end, s.label])).toEqual(
					last.spans.map((s) => [s.start, s.end, s.label])
				);
			}
			const history = await reader.allRevisions(`${setUrl('two-kill', doc, annotator)}/revisions`);
			const revisions = new Set(history.json.map((r: { revision: number }) => r.revision));
			for (const ack of list) expect(revisions.has(ack.revision), `${key} revision ${ack.revision}`).toBe(true);
		}
	};
	await check(await new Client(b!.url).login('lead'));
	a = await startServer({ port: portA, dataDir: dirA, store });
	await check(await new Client(a.url).login('lead'));
	console.log(`two processes, kill -9 of A: ${[...acked.values()].reduce((n, l) => n + l.length, 0)} acknowledged saves (${afterKill} by B after the kill), all present`);
});

test('releases cut on A and on B at the same moment: numbered without gaps, the same bytes apart from the version', async () => {
	const lead = await new Client(a!.url).login('lead');
	const docs = Array.from({ length: 40 }, (_, i) => `g${String(i).padStart(2, '0')}`);
	await newDataset(lead, 'two-release', docs, []);
	for (const [i, id] of docs.entries()) {
		const spans = Array.from({ length: 20 }, (_, k) => ({ start: k * 6 + (i % 3), end: k * 6 + (i % 3) + 4, label: LABELS[k % 4] }));
		const saved = await lead.call('PUT', setUrl('two-release', id, 'gold'), { baseRevision: 0, spans });
		expect(saved.status, saved.text).toBe(200);
	}
	const onB = sameSession(lead, b!);
	const download = async (c: Client, version: number) => {
		const res = await fetch(`${c.base}/api/datasets/two-release/releases/${version}`, { headers: { cookie: c.cookie } });
		expect(res.status).toBe(200);
		return Buffer.from(await res.arrayBuffer());
	};
	const unversioned = (s: string) => s.replaceAll(/^(\{"dataset":"[^"]*","version":)\d+,/gm, '$1#,');
	let serialised = 0;
	let refused = 0;
	const ROUNDS = 3;
	for (let round = 0; round < ROUNDS; round++) {
		const cuts = await Promise.all([lead, onB].map((c) => c.call('POST', '/api/datasets/two-release/releases', { source: 'gold', note: `round ${round}` })));
		const won = cuts.filter((c) => c.status === 201);
		// one wins and the other is told (409), or both are cut one after the other; never a 5xx, never one number twice
		expect(won.length, cuts.map((c) => `${c.status} ${c.text.slice(0, 200)}`).join('; ')).toBeGreaterThanOrEqual(1);
		for (const c of cuts) expect([201, 409], c.text).toContain(c.status);
		if (won.length === 2) serialised++;
		else refused++;
		expect(new Set(won.map((c) => c.json.version)).size).toBe(won.length);
	}
	const list = (await onB.call('GET', '/api/datasets/two-release/releases')).json as Array<{ version: number; sha256: string; records: number }>;
	const versions = list.map((m) => m.version).sort((x, y) => x - y);
	expect(versions).toEqual(versions.map((_, i) => i + 1));
	expect(versions.length).toBe(serialised * 2 + refused);
	// every release downloads with its hash from either server; all hold the same records (one state)
	let first = '';
	for (const m of list) {
		const fromA = await download(lead, m.version);
		const fromB = await download(onB, m.version);
		expect(fromB.equals(fromA), `v${m.version}: the same bytes from A and B`).toBe(true);
		expect(createHash('sha256').update(fromA).digest('hex')).toBe(m.sha256);
		expect(fromA.toString('utf8').split('\n').filter(Boolean)).toHaveLength(docs.length);
		first ||= unversioned(fromA.toString('utf8'));
		expect(unversioned(fromA.toString('utf8')), `v${m.version} against v1`).toBe(first);
	}
	console.log(`two processes, simultaneous cuts: ${serialised} rounds serialised, ${refused} with one refused`);
});
