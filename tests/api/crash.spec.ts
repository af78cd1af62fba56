/**
 * Crash safety: annotators save in a loop while the server is killed with
 * SIGKILL at random moments and restarted. Every acknowledged save (200) must
 * be present with its revision; every file must parse; no temp files remain.
 * The release form: a lead cuts releases in a loop through the same kills; after
 * each restart the releases are consistent (every manifest's file there with its
 * hash, numbered without gaps, no half-published cut left) and the next cut works.
 * The import form kills the server during large imports (while documents are
 * added, and while their pre-annotations are saved): after the restart the
 * dataset holds all of the import or none of it, and importing the file
 * again completes it.
 * Short form in `npm test`; `npm run test:crash` runs 25 rounds of the first two
 * (and 4 kills of 8,000-line imports).
 * In the `api-postgres` project the servers run on a PostgreSQL database (the same
 * one across restarts: tests/helpers/store.ts) and the same promises are read back
 * through the API where the file form reads the data folder (release bytes), or
 * from the database's rows (import counts); the data folder's own checks (temp
 * files, files that parse) are the file store's only.
 */
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startServer, killHard, stopServer, tempDataDir, Client, type RunningServer } from '../helpers/server';
import { onPostgres } from '../helpers/store';
import { TEMP_MARKER } from '../../src/lib/server/store';

const ROUNDS = Number(process.env.SPANLAB_CRASH_ROUNDS || 4);
const PORT = await freePort(); // kept across restarts
const ANNOTATORS = ['ann1', 'ann2', 'lead'];
const TEXT = 'Le 3 mai 2024 😀, le maire a déclaré que la hausse était « inévitable ». '.repeat(20);

test.setTimeout(60_000 + ROUNDS * 15_000);

// deterministic pseudo-random (mulberry32) so a failure can be replayed
function rng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Acked {
	revision: number;
	spans: Array<{ start: number; end: number; label: string }>;
}

/** Every regular file under `dir` (not the server's control socket). */
function allFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? allFiles(full) : e.isFile() ? [full] : [];
	});
}

let server: RunningServer = null as unknown as RunningServer;
test.afterEach(async ({}, testInfo) => {
	// a failure says what the server said (and whether it was still running)
	if (server && testInfo.status !== testInfo.expectedStatus) {
		console.log(`server exit code: ${server.process.exitCode}; its output:\n${server.output().slice(-8000)}`);
	}
});
test.afterAll(async () => {
	if (server) await killHard(server); // also when the test failed midway
});

test('acknowledged saves survive kill -9 and restart', async () => {
	const seed = Number(process.env.SPANLAB_CRASH_SEED || Date.now() % 100000);
	const random = rng(seed);
	const dataDir = tempDataDir('spanlab-crash-');
	server = await startServer({ port: PORT, dataDir });
	const slug = 'crash';
	const lead = await new Client(server.url).login('lead');
	expect((await lead.call('POST', '/api/datasets', { slug, title: 'Crash' })).status).toBe(201);
	const docs = ['d1', 'd2', 'd3'];
	const ndjson = docs.map((id) => JSON.stringify({ id, text: `${id}: ${TEXT}` })).join('\n');
	expect((await lead.call('POST', `/api/datasets/${slug}/documents`, ndjson, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
	for (const a of ['ann1', 'ann2']) {
		expect((await lead.call('PUT', `/api/datasets/${slug}/members/${a}`, { role: 'annotator' })).status).toBe(200);
	}

	// last acknowledged state per (doc, annotator), and every acked revision
	const acked = new Map<string, Acked[]>();
	const base = new Map<string, number>();
	const labels = ['claim', 'attribution', 'framing', 'date'];
	let acknowledged = 0;

	for (let round = 0; round < ROUNDS; round++) {
		const clients = await Promise.all(ANNOTATORS.map((a) => new Client(server.url).login(a)));
		let running = true;
		const loops = clients.map(async (client, i) => {
			const annotator = ANNOTATORS[i];
			let n = 0;
			while (running) {
				const doc = docs[(n + i) % docs.length];
				const key = `${doc}/${annotator}`;
				n++;
				const count = 1 + Math.floor(random() * 40);
				const spans = Array.from({ length: count }, (_, k) => {
					const start = (k * 7 + n) % 1000;
					return { start, end: start + 1 + (k % 5), label: labels[(k + n) % 4] };
				});
				let res;
				try {
					res = await client.call('PUT', `/api/datasets/${slug}/documents/${doc}/annotations/me`, {
						baseRevision: base.get(key) ?? 0,
						spans
					});
				} catch {
					return; // connection reset by the kill: not acknowledged
				}
				if (res.status === 200) {
					base.set(key, res.json.revision);
					const list = acked.get(key) ?? [];
					list.push({ revision: res.json.revision, spans });
					acked.set(key, list);
					acknowledged++;
				} else if (res.status === 409) {
					base.set(key, res.json.current.revision);
				} else {
					throw new Error(`unexpected ${res.status}: ${res.text}`);
				}
			}
		});
		await new Promise((r) => setTimeout(r, 150 + random() * 600));
		await killHard(server);
		running = false;
		await Promise.all(loops);

		server = await startServer({ port: PORT, dataDir });
		// every acknowledged save is there, with its revision
		const reader = await new Client(server.url).login('lead');
		for (const [key, list] of acked) {
			const [doc, annotator] = key.split('/');
			const current = await reader.call('GET', `/api/datasets/${slug}/documents/${doc}/annotations/${annotator}`);
			expect(current.status).toBe(200);
			const last = list[list.length - 1];
			// an unacknowledged write may have landed too, never fewer
			expect(current.json.revision, `${key} (seed ${seed})`).toBeGreaterThanOrEqual(last.revision);
			if (current.json.revision === last.revision) {
				expect(current.json.spans.map((s: Acked['spans'][0]) => [s.start, s.end, s.label])).toEqual(
					[...new Map(last.spans.map((s) => [`${s.start}:${s.end}:${s.label}`, s])).values()]
						.sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : 1))
						.map((s) => [s.start, s.end, s.label])
				);
			}
			base.set(key, current.json.revision);
			const history = await reader.allRevisions(`/api/datasets/${slug}/documents/${doc}/annotations/${annotator}/revisions`);
			const revisions = new Set(history.json.map((r: { revision: number }) => r.revision));
			for (const a of list) expect(revisions.has(a.revision), `${key} revision ${a.revision} (seed ${seed})`).toBe(true);
		}
		if (onPostgres()) continue; // no data folder: the database is the state, read back above
		// no temp files survive a restart (swept in the background after start); no file fails to parse
		await expect.poll(() => allFiles(dataDir).filter((f) => path.basename(f).startsWith(TEMP_MARKER)), { timeout: 10_000 }).toEqual([]);
		for (const file of allFiles(dataDir)) {
			const raw = fs.readFileSync(file, 'utf8');
			if (file.endsWith('.json')) expect(() => JSON.parse(raw), file).not.toThrow();
		}
	}
	await stopServer(server);
	console.log(`crash test: ${ROUNDS} kills, ${acknowledged} acknowledged saves, all present (seed ${seed})`);
	expect(acknowledged).toBeGreaterThan(ROUNDS);
	fs.rmSync(dataDir, { recursive: true, force: true });
});

test('releases cut through kill -9 stay consistent, and the next cut works', async () => {
	const seed = Number(process.env.SPANLAB_CRASH_SEED || Date.now() % 100000);
	const random = rng(seed + 1);
	const dataDir = tempDataDir('spanlab-crash-rel-');
	server = await startServer({ port: PORT, dataDir });
	const slug = 'crash-rel';
	const lead = await new Client(server.url).login('lead');
	expect((await lead.call('POST', '/api/datasets', { slug, title: 'Crash releases' })).status).toBe(201);
	// enough gold that a cut takes a while (records, hashes, a diff against the parent)
	const docs = Array.from({ length: 120 }, (_, i) => `r${String(i).padStart(3, '0')}`);
	const ndjson = docs.map((id) => JSON.stringify({ id, text: `${id}: ${TEXT}` })).join('\n');
	expect((await lead.call('POST', `/api/datasets/${slug}/documents`, ndjson, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
	const goldRevision = new Map<string, number>();
	const saveGold = async (client: Client, id: string, n: number) => {
		const spans = Array.from({ length: 30 }, (_, k) => ({ start: k * 20 + (n % 7), end: k * 20 + (n % 7) + 5, label: k % 2 ? 'claim' : 'date' }));
		const res = await client.call('PUT', `/api/datasets/${slug}/documents/${id}/annotations/gold`, { baseRevision: goldRevision.get(id) ?? 0, spans });
		if (res.status === 200) goldRevision.set(id, res.json.revision);
		return res.status;
	};
	for (const id of docs) expect(await saveGold(lead, id, 0)).toBe(200);

	const releasesDir = path.join(dataDir, slug, 'releases');
	const acked: Array<{ version: number; sha256: string }> = [];
	let cuts = 0;
	const recovered: string[] = []; // what the restarts said they did with interrupted cuts
	const check = async (reader: Client) => {
		const list = (await reader.call('GET', `/api/datasets/${slug}/releases`)).json as Array<{ version: number; sha256: string; records: number }>;
		const versions = list.map((m) => m.version).reverse();
		// numbered without gaps, and every acknowledged cut is there as it was acknowledged
		expect(versions, `seed ${seed}`).toEqual(versions.map((_, i) => i + 1));
		for (const a of acked) expect(list.find((m) => m.version === a.version)?.sha256, `v${a.version} (seed ${seed})`).toBe(a.sha256);
		if (onPostgres()) {
			// no release files: every listed release downloads whole, with its hash and record count
			for (const m of list) {
				const download = await fetch(`${reader.base}/api/datasets/${slug}/releases/${m.version}`, { headers: { cookie: reader.cookie } });
				expect(download.status, `v${m.version} (seed ${seed})`).toBe(200);
				const bytes = Buffer.from(await download.arrayBuffer());
				expect(createHash('sha256').update(bytes).digest('hex'), `v${m.version} (seed ${seed})`).toBe(m.sha256);
				expect(bytes.toString('utf8').split('\n').filter(Boolean)).toHaveLength(m.records);
			}
			return list.length;
		}
		for (const m of list) {
			const name = `v${String(m.version).padStart(4, '0')}`;
			const bytes = fs.readFileSync(path.join(releasesDir, `${name}.jsonl`));
			expect(createHash('sha256').update(bytes).digest('hex'), `${name} (seed ${seed})`).toBe(m.sha256);
			expect(bytes.toString('utf8').split('\n').filter(Boolean)).toHaveLength(m.records);
		}
		// nothing half-published: only complete pairs under release names (temp files are swept at start)
		const names = fs.existsSync(releasesDir) ? fs.readdirSync(releasesDir).filter((f) => !f.startsWith(TEMP_MARKER)) : [];
		expect(names.sort(), `seed ${seed}`).toEqual(
			list.flatMap((m) => [`v${String(m.version).padStart(4, '0')}.jsonl`, `v${String(m.version).padStart(4, '0')}.manifest.json`]).sort()
		);
		return list.length;
	};

	for (let round = 0; round < ROUNDS; round++) {
		const cutter = await new Client(server.url).login('lead');
		const editor = await new Client(server.url).login('lead');
		let running = true;
		// one lead cuts releases back to back while another changes gold between them
		const cutting = (async () => {
			while (running) {
				let res;
				try {
					res = await cutter.call('POST', `/api/datasets/${slug}/releases`, { source: 'gold', note: `round ${round}` });
				} catch {
					return; // killed: not acknowledged
				}
				if (res.status !== 201) throw new Error(`unexpected ${res.status}: ${res.text}`);
				acked.push({ version: res.json.version, sha256: res.json.sha256 });
				cuts++;
			}
		})();
		const editing = (async () => {
			for (let n = 1; running; n++) {
				try {
					const status = await saveGold(editor, docs[n % docs.length], n);
					if (status === 409) goldRevision.delete(docs[n % docs.length]);
				} catch {
					return;
				}
			}
		})();
		await new Promise((r) => setTimeout(r, 200 + random() * 800));
		await killHard(server);
		running = false;
		await Promise.all([cutting, editing]);

		server = await startServer({ port: PORT, dataDir });
		recovered.push(...(server.output().match(/interrupted by a stop: [a-z ]+/g) ?? []).map((m) => m.slice('interrupted by a stop: '.length)));
		const reader = await new Client(server.url).login('lead');
		// gold revisions after the restart (a save may have landed unacknowledged)
		for (const id of docs) {
			goldRevision.set(id, (await reader.call('GET', `/api/datasets/${slug}/documents/${id}/annotations/gold`)).json.revision);
		}
		if (!onPostgres()) {
			await expect.poll(() => allFiles(dataDir).filter((f) => path.basename(f).startsWith(TEMP_MARKER)), { timeout: 10_000 }).toEqual([]);
		}
		const count = await check(reader);
		// the next cut works, and is the next number (the read first: a write is not sent twice, so it
		// must not go out on a pooled connection the server closed while idle during the checks)
		expect((await reader.call('GET', '/api/me')).status).toBe(200);
		const next = await reader.call('POST', `/api/datasets/${slug}/releases`, { source: 'gold', note: 'after restart' });
		expect(next.status, next.text).toBe(201);
		expect(next.json.version).toBe(count + 1);
		acked.push({ version: next.json.version, sha256: next.json.sha256 });
		await check(reader);
	}
	await stopServer(server);
	console.log(
		`crash test (releases): ${ROUNDS} kills, ${cuts} acknowledged cuts during the kills, all consistent; ` +
			`interrupted cuts found at restart: ${recovered.length ? recovered.join(', ') : 'none'} (seed ${seed})`
	);
	expect(acked.length).toBeGreaterThan(ROUNDS);
	fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A dataset's documents and its sets of the import source `batch.jsonl`, and whether an import is still
 * pending (past its commit point, not all written): the data folder on the file store (files, and
 * `import-commit.ndjson`); on PostgreSQL, the database's rows (documents, annotation_sets, and a
 * finished import_staging area: a committed import waiting to be written).
 */
async function importedCounts(server: RunningServer, slug: string): Promise<{ documents: number; sets: number; pending: boolean }> {
	if (!server.store) {
		return { ...importedFiles(server.dataDir, slug), pending: fs.existsSync(path.join(server.dataDir, slug, 'import-commit.ndjson')) };
	}
	const { default: pg } = await import('pg');
	const db = new pg.Client({ connectionString: server.store });
	db.on('error', () => {});
	await db.connect();
	try {
		const { rows } = await db.query(
			`WITH d AS (SELECT id FROM datasets WHERE slug = $1)
			SELECT (SELECT count(*) FROM documents WHERE dataset_id IN (SELECT id FROM d))::int AS documents,
				(SELECT count(*) FROM annotation_sets WHERE dataset_id IN (SELECT id FROM d) AND annotator = 'import~batch.jsonl' AND revision > 0)::int AS sets,
				(SELECT count(*) FROM import_staging WHERE dataset_id IN (SELECT id FROM d) AND finished)::int AS pending`,
			[slug]
		);
		return { documents: rows[0].documents, sets: rows[0].sets, pending: rows[0].pending > 0 };
	} finally {
		await db.end();
	}
}

function importedFiles(dataDir: string, slug: string): { documents: number; sets: number } {
	const dir = path.join(dataDir, slug);
	const documents = fs.existsSync(path.join(dir, 'documents'))
		? fs.readdirSync(path.join(dir, 'documents')).filter((f) => f.endsWith('.json') && !f.startsWith('.')).length
		: 0;
	const annotations = path.join(dir, 'annotations');
	const sets = fs.existsSync(annotations)
		? fs.readdirSync(annotations).filter((doc) => fs.existsSync(path.join(annotations, doc, 'import~batch.jsonl.json'))).length
		: 0;
	return { documents, sets };
}

test('an import killed at any moment, pre-annotations included, is all there or none of it after restart; importing the file again completes it', async () => {
	const seed = Number(process.env.SPANLAB_CRASH_SEED || Date.now() % 100000);
	const random = rng(seed + 1);
	const long = ROUNDS >= 25;
	const rounds = long ? 4 : 2;
	const lines = long ? 8000 : 1200;
	test.setTimeout(120_000 + rounds * (long ? 300_000 : 60_000));
	const dataDir = tempDataDir('spanlab-crash-import-');
	server = await startServer({ port: PORT, dataDir });
	const killedIn: string[] = [];
	for (let round = 0; round < rounds; round++) {
		const slug = `import-${round}`;
		let lead = await new Client(server.url).login('lead');
		expect((await lead.call('POST', '/api/datasets', { slug, title: `Import ${round}` })).status).toBe(201);
		// every line pre-annotated: "maire" as attribution, "inévitable" as claim
		const body = Array.from({ length: lines }, (_, i) => {
			const text = `N°${String(i).padStart(5, '0')} (${slug}) : le maire a déclaré 😀 que la hausse était « inévitable ».`;
			const start = text.indexOf('maire');
			const claim = [...text].indexOf('i', [...text].indexOf('«'));
			return JSON.stringify({ id: `doc-${i}`, text, spans: [{ start: [...text.slice(0, start)].length, end: [...text.slice(0, start)].length + 5, label: 'attribution' }, { start: claim, end: claim + 10, label: 'claim' }] });
		}).join('\n');
		// kill while documents are added in odd rounds, while pre-annotations are saved in even ones, at a random point
		const target = round % 2 === 0 ? 'annotations' : 'importing';
		const fraction = 0.1 + random() * 0.8;
		const res = await fetch(`${server.url}/api/datasets/${slug}/imports?progress=1&filename=batch.jsonl`, {
			method: 'POST',
			headers: { cookie: lead.cookie, origin: server.url, 'content-type': 'application/x-ndjson' },
			body
		});
		expect(res.status).toBe(200);
		const reader = res.body!.getReader();
		const decoder = new TextDecoder();
		let buffered = '';
		let killed = 'after the result';
		try {
			reading: for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				buffered += decoder.decode(value, { stream: true });
				for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
					const event = JSON.parse(buffered.slice(0, nl));
					buffered = buffered.slice(nl + 1);
					if (event.type === 'result') break reading;
					if (event.phase === target && event.done >= fraction * event.total) {
						killed = `${event.phase} ${event.done}/${event.total}`;
						break reading;
					}
				}
			}
		} catch {
			// the connection went down with the server
		}
		await killHard(server);
		killedIn.push(killed);

		// the start finishes the interrupted import before it answers: 8,000 sets take a while on a busy machine
		server = await startServer({ port: PORT, dataDir, startTimeoutMs: 240_000 });
		// all of it or none of it: documents and pre-annotation sets
		const { pending, ...after } = await importedCounts(server, slug);
		expect([{ documents: 0, sets: 0 }, { documents: lines, sets: lines }], `round ${round}, killed in ${killed} (seed ${seed})`).toContainEqual(after);
		expect(pending).toBe(false);
		lead = await new Client(server.url).login('lead');
		expect((await lead.call('GET', `/api/datasets/${slug}/documents`)).json).toHaveLength(after.documents);
		if (!onPostgres()) {
			await expect.poll(() => allFiles(dataDir).filter((f) => path.basename(f).startsWith(TEMP_MARKER)), { timeout: 10_000 }).toEqual([]);
		}

		// the same file again completes the dataset, whichever way it went
		const again = await lead.call('POST', `/api/datasets/${slug}/imports?filename=batch.jsonl`, body, { 'content-type': 'application/x-ndjson' });
		expect(again.status, again.text).toBe(200);
		expect(again.json.imported + again.json.duplicates).toBe(lines);
		expect(again.json.imported).toBe(after.documents === 0 ? lines : 0);
		expect(await importedCounts(server, slug)).toEqual({ documents: lines, sets: lines, pending: false });
		for (const i of [0, Math.floor(lines / 2), lines - 1]) {
			const set = await lead.call('GET', `/api/datasets/${slug}/documents/doc-${i}/annotations/import~batch.jsonl`);
			expect(set.status).toBe(200);
			expect(set.json.revision).toBe(1);
			expect(set.json.spans.map((s: { label: string; text: string }) => [s.label, s.text])).toEqual([
				['attribution', 'maire'],
				['claim', 'inévitable']
			]);
		}
	}
	await stopServer(server);
	console.log(`crash test (import): ${rounds} kills of ${lines}-line imports, in: ${killedIn.join('; ')} (seed ${seed})`);
	expect(killedIn.some((k) => k.startsWith('annotations'))).toBe(true);
	fs.rmSync(dataDir, { recursive: true, force: true });
});
