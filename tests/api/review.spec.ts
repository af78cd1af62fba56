/**
 * The lead's rejections over HTTP: saved with gold by one PUT under one
 * baseRevision, read back by leads only, checked like spans, following label
 * renames and removals, never released, and still there after kill -9.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import net from 'node:net';
import { apiAs, seedDataset } from '../helpers/api';
import { startServer, killHard, tempDataDir, Client, type RunningServer } from '../helpers/server';

// code points: "maire" 3-8, "mardi" 17-22, "taxe" 30-34, length 42 (UTF-16: one more after the emoji)
const text = 'Le maire 😀 a dit mardi que la taxe baisse.';
const maire = { start: 3, end: 8, label: 'attribution' };
const mardi = { start: 17, end: 22, label: 'date' };
const taxe = { start: 30, end: 34, label: 'claim' };

type SpanLike = { start: number; end: number; label: string; text?: string };
const plain = (spans: SpanLike[]) => spans.map(({ start, end, label, text }) => ({ start, end, label, text }));

async function gold(api: APIRequestContext, slug: string) {
	const res = await api.get(`/api/datasets/${slug}/documents/d1/annotations/gold`);
	expect(res.status(), await res.text()).toBe(200);
	return res.json();
}

test('rejections are saved with gold under one base revision, read by leads only, checked like spans and never released', async () => {
	const slug = await seedDataset({ documents: [{ id: 'd1', title: 'Taxe', text }] });
	const lead = await apiAs('lead');
	const ann1 = await apiAs('ann1');
	const goldUrl = `/api/datasets/${slug}/documents/d1/annotations/gold`;
	try {
		const saved = await lead.put(goldUrl, { data: { baseRevision: 0, spans: [maire], rejected: [mardi, taxe] } });
		expect(saved.status(), await saved.text()).toBe(200);
		expect((await saved.json()).revision).toBe(1);
		const set = await gold(lead, slug);
		expect(plain(set.spans)).toEqual([{ ...maire, text: 'maire' }]);
		expect(plain(set.rejected)).toEqual([
			{ ...mardi, text: 'mardi' },
			{ ...taxe, text: 'taxe' }
		]);
		const review = await (await lead.get(`/api/datasets/${slug}/documents/d1/review`)).json();
		expect(plain(review.gold.rejected).map((s) => s.text)).toEqual(['mardi', 'taxe']);

		// a second lead session on revision 0 is stale: 409 with the current set, rejections included
		const stale = await lead.put(goldUrl, { data: { baseRevision: 0, spans: [], rejected: [] } });
		expect(stale.status()).toBe(409);
		expect(plain((await stale.json()).current.rejected).map((s) => s.text)).toEqual(['mardi', 'taxe']);

		// accepting "mardi" (a save without "rejected") takes it off the list, as a new revision
		const accepted = await lead.put(goldUrl, { data: { baseRevision: 1, spans: [maire, mardi] } });
		expect((await accepted.json()).revision).toBe(2);
		expect(plain((await gold(lead, slug)).rejected).map((s) => s.text)).toEqual(['taxe']);
		const revisions = await (await lead.get(`${goldUrl}/revisions`)).json();
		expect(revisions.map((r: { revision: number; by: string; rejected: SpanLike[] }) => [r.revision, r.by, r.rejected.map((s) => s.text)])).toEqual([
			[1, 'lead', ['mardi', 'taxe']],
			[2, 'lead', ['taxe']]
		]);

		// bad rejections: a clear 400, nothing saved
		for (const [rejected, message] of [
			[[{ start: 30, end: 43, label: 'claim' }], 'rejected span 0: end 43 is beyond the end of the text (length 42)'],
			[[taxe, { start: 0, end: 2, label: 'opinion' }], 'rejected span 1: unknown label "opinion"'],
			[[{ start: 5, end: 5, label: 'claim' }], 'rejected span 0: start must be less than end'],
			['taxe', 'rejected: ']
		] as const) {
			const res = await lead.put(goldUrl, { data: { baseRevision: 2, spans: [maire, mardi], rejected } });
			expect(res.status(), JSON.stringify(rejected)).toBe(400);
			expect((await res.json()).error).toContain(message);
		}
		const own = await ann1.put(`/api/datasets/${slug}/documents/d1/annotations/me`, { data: { baseRevision: 0, spans: [], rejected: [] } });
		expect(own.status()).toBe(400);
		expect((await own.json()).error).toContain('only the gold set records rejections');

		// annotators see none of it
		expect((await ann1.get(goldUrl)).status()).toBe(403);
		expect((await ann1.get(`${goldUrl}/revisions`)).status()).toBe(403);
		expect((await ann1.get(`/api/datasets/${slug}/documents/d1/review`)).status()).toBe(403);
		expect((await ann1.put(goldUrl, { data: { baseRevision: 2, spans: [], rejected: [maire] } })).status()).toBe(403);
		expect((await gold(lead, slug)).revision).toBe(2);

		// a gold release holds the accepted spans only
		const cut = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'gold' } });
		expect(cut.status(), await cut.text()).toBe(201);
		const release = await (await lead.get(`/api/datasets/${slug}/releases/${(await cut.json()).name}`)).text();
		const records = release.trim().split('\n').map((line) => JSON.parse(line));
		expect(records).toHaveLength(1);
		expect(records[0]).not.toHaveProperty('rejected');
		expect(records[0].spans.map((s: SpanLike) => s.text)).toEqual(['maire', 'mardi']);
		expect(release).not.toContain('taxe"');
	} finally {
		await lead.dispose();
		await ann1.dispose();
	}
});

test('label renames rewrite rejections; removing a label only rejections use needs no force and drops them', async () => {
	const slug = await seedDataset({ documents: [{ id: 'd1', title: 'Taxe', text }] });
	const lead = await apiAs('lead');
	try {
		const goldUrl = `/api/datasets/${slug}/documents/d1/annotations/gold`;
		expect((await lead.put(goldUrl, { data: { baseRevision: 0, spans: [maire], rejected: [mardi] } })).status()).toBe(200);
		const { labels } = await (await lead.get(`/api/datasets/${slug}`)).json();
		const renamed = labels.map((l: { name: string }) => (l.name === 'date' ? { ...l, name: 'when' } : l));
		const rename = await lead.patch(`/api/datasets/${slug}`, { data: { labels: renamed, renames: { date: 'when' } } });
		expect(rename.status(), await rename.text()).toBe(200);
		expect((await rename.json()).rewritten).toEqual({ sets: 1, renamed: 0, removed: 0 });
		expect(plain((await gold(lead, slug)).rejected)).toEqual([{ ...mardi, label: 'when', text: 'mardi' }]);

		const remove = await lead.patch(`/api/datasets/${slug}`, { data: { labels: renamed.filter((l: { name: string }) => l.name !== 'when') } });
		expect(remove.status(), await remove.text()).toBe(200);
		const set = await gold(lead, slug);
		expect(set).toMatchObject({ revision: 3, rejected: [] });
		expect(plain(set.spans).map((s) => s.text)).toEqual(['maire']);
	} finally {
		await lead.dispose();
	}
});

/** A port nobody listens on right now (the shared webServer has its own). */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

let own: RunningServer | null = null;
test.afterAll(async () => {
	if (own) await killHard(own);
});

test('an acknowledged rejection survives kill -9 and a restart', async () => {
	const dataDir = tempDataDir('spanlab-rejections-');
	const port = await freePort();
	own = await startServer({ port, dataDir });
	let lead = await new Client(own.url).login('lead');
	expect((await lead.call('POST', '/api/datasets', { slug: 'restart', title: 'Restart' })).status).toBe(201);
	const ndjson = JSON.stringify({ id: 'd1', title: 'Taxe', text });
	expect((await lead.call('POST', '/api/datasets/restart/documents', ndjson, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
	const goldUrl = '/api/datasets/restart/documents/d1/annotations/gold';
	const saved = await lead.call('PUT', goldUrl, { baseRevision: 0, spans: [maire], rejected: [taxe] });
	expect(saved.status, saved.text).toBe(200);

	await killHard(own);
	own = await startServer({ port, dataDir });
	lead = await new Client(own.url).login('lead');
	const after = await lead.call('GET', goldUrl);
	expect(after.status).toBe(200);
	expect(after.json.revision).toBe(1);
	expect(plain(after.json.rejected)).toEqual([{ ...taxe, text: 'taxe' }]);
});
