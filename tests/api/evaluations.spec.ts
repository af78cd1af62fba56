/**
 * Prediction runs and evaluations against the real server: uploads are
 * all-or-nothing with line-numbered errors (a UTF-16 mistake is named as
 * such), a name is taken once, and a report against a release carries the
 * release's and the run's sha256, as JSON and CSV. Access is in the table
 * (tests/api/access/evaluations.routes.ts); here only what the table cannot say.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { createHash } from 'node:crypto';
import { apiAs, seedDataset } from '../helpers/api';

test.describe.configure({ mode: 'serial' });

const TEXT = 'Le maire 😀 a dit que les impôts baissent.';
const OTHER = 'The mayor said taxes rise.';
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
/** code point offsets of `needle`, as Python would count them */
function at(text: string, needle: string) {
	const i = text.indexOf(needle);
	const start = Array.from(text.slice(0, i)).length;
	return { start, end: start + Array.from(needle).length, text: needle };
}

let lead: APIRequestContext;
let slug: string;

const post = (run: string, lines: unknown[]) =>
	lead.post(`/api/datasets/${slug}/predictions?run=${run}&model=tagger&model_version=1`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n'
	});

test.beforeAll(async () => {
	slug = await seedDataset({ documents: [{ id: 'a', text: TEXT, meta: { lang: 'fr' } }, { id: 'b', text: OTHER, meta: { lang: 'en' } }] });
	lead = await apiAs('lead');
	for (const [id, spans] of [
		['a', [{ ...at(TEXT, 'que les impôts baissent'), label: 'claim' }, { ...at(TEXT, 'Le maire'), label: 'attribution' }]],
		['b', [{ ...at(OTHER, 'taxes rise.'), label: 'claim' }]]
	] as const) {
		const res = await lead.put(`/api/datasets/${slug}/documents/${id}/annotations/gold`, {
			data: { baseRevision: 0, spans: spans.map(({ start, end, label }) => ({ start, end, label })), status: 'done' }
		});
		expect(res.status(), await res.text()).toBe(200);
	}
	const release = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'gold' } });
	expect(release.status()).toBe(201);
});

test.afterAll(async () => lead?.dispose());

test('a UTF-16 mistake is refused with its line named, and nothing is stored', async () => {
	const claim = at(TEXT, 'que les impôts baissent');
	const res = await post('utf16', [
		{ text_sha256: sha(OTHER), spans: [] },
		// JavaScript's indexOf counts the emoji as two: offsets one too far
		{ doc_id: 'a', spans: [{ start: TEXT.indexOf(claim.text), end: TEXT.indexOf(claim.text) + claim.text.length, label: 'claim', text: claim.text }] },
		'{"doc_id": "a", "spans": [' // and a broken line
	]);
	expect(res.status()).toBe(400);
	const body = await res.json();
	expect(body.error).toMatch(/nothing was stored: 2 problems/);
	expect(body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3]);
	expect(body.errors[0].message).toMatch(/UTF-16/);
	expect(body.errors[0].message).toMatch(/\[18:41\] is exactly that text/);
	expect((await (await lead.get(`/api/datasets/${slug}/predictions`)).json()).runs).toEqual([]);
});

test('a correct run is stored once; the same name again is a 409', async () => {
	const lines = [
		{ doc_id: 'a', spans: [{ ...at(TEXT, 'que les impôts baissent'), label: 'claim', score: 0.9 }, { ...at(TEXT, 'maire'), label: 'attribution', score: 0.3 }] },
		{ text_sha256: sha(OTHER), spans: [{ ...at(OTHER, 'taxes rise'), label: 'claim', score: 0.8 }] }
	];
	const res = await post('v1', lines);
	expect(res.status(), await res.text()).toBe(201);
	const body = await res.json();
	expect(body).toMatchObject({ run: 'v1', documents: 2, spans: 3, model: 'tagger', model_version: '1' });
	expect(body.sha256).toBe(sha(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
	const again = await post('v1', [{ doc_id: 'a', spans: [] }]);
	expect(again.status()).toBe(409);
	expect((await again.json()).error).toMatch(/already exists/);
	const list = (await (await lead.get(`/api/datasets/${slug}/predictions`)).json()).runs;
	expect(list.map((r: { run: string }) => r.run)).toEqual(['v1']);
	expect(list[0]).toMatchObject({ documents: 2, spans: 3, scores: { count: 3, min: 0.3, max: 0.9 } });
	expect(list[0].sha256).toBe(body.sha256);
});

test('the report against a release: the documented shape, both sha256, CSV', async () => {
	const manifest = await (await lead.get(`/api/datasets/${slug}/releases/v0001/manifest`)).json();
	const res = await lead.get(`/api/datasets/${slug}/evaluations?run=v1&against=v0001&slice=lang&slice=length_quartile`);
	expect(res.status(), await res.text()).toBe(200);
	const r = await res.json();
	expect(r).toMatchObject({ run: 'v1', against: 'v0001', documents: 2, bootstrap: { resamples: 1000, seed: 2013 } });
	expect(r.reference).toMatchObject({ version: 'v0001', records: 'gold', sha256: manifest.sha256 });
	expect(r.run_info.sha256).toMatch(/^[0-9a-f]{64}$/);
	for (const key of ['exact', 'overlap', 'token']) {
		expect(Object.keys(r.micro[key]).sort()).toEqual(['ci', 'f1', 'fn', 'fp', 'precision', 'recall', 'tp']);
		expect(Object.keys(r.micro[key].ci).sort()).toEqual(['f1', 'precision', 'recall']);
	}
	// claim: a exact; b "taxes rise" vs "taxes rise." (boundaries). attribution: "maire" inside "Le maire"
	expect(r.labels.claim.exact).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
	expect(r.labels.claim.overlap).toMatchObject({ tp: 2, fp: 0, fn: 0 });
	expect(r.labels.claim.errors).toEqual({ correct: 1, wrong_label: 0, wrong_boundaries: 1, wrong_label_and_boundaries: 0, missed: 0, spurious: 0 });
	expect(r.labels.attribution.errors.wrong_boundaries).toBe(1);
	expect(r.labels.date.exact).toMatchObject({ tp: 0, fp: 0, fn: 0, precision: null, recall: null, f1: null });
	expect(r.slices.map((s: { by: string; value: string }) => `${s.by}=${s.value}`).sort()).toEqual(['lang=en', 'lang=fr', 'length_quartile=Q1', 'length_quartile=Q4']);
	expect(r.thresholds[0]).toMatchObject({ threshold: 0, predicted: 3 });
	const csv = await lead.get(`/api/datasets/${slug}/evaluations?run=v1&against=v0001&format=csv&resamples=100`);
	expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
	expect((await csv.text()).split('\r\n')[0]).toMatch(/^run,slice_by,slice,label,mode,tp,fp,fn,precision,recall,f1,precision_lo/);
});

test('labels named like Object.prototype members are ordinary labels, in the API and on the page', async () => {
	const res = await post('proto', [{ doc_id: 'a', spans: [{ ...at(TEXT, 'Le maire'), label: '__proto__' }, { ...at(TEXT, 'dit'), label: 'constructor' }] }]);
	expect(res.status(), await res.text()).toBe(201);
	const runs = await (await lead.get(`/api/datasets/${slug}/predictions`)).text();
	expect(JSON.parse(runs).runs.find((r: { run: string }) => r.run === 'proto').span_counts).toEqual(JSON.parse('{"__proto__": 1, "constructor": 1}'));
	const report = JSON.parse(await (await lead.get(`/api/datasets/${slug}/evaluations?run=proto&against=v0001&resamples=50`)).text());
	expect(Object.hasOwn(report.labels, '__proto__')).toBe(true);
	expect(report.labels['__proto__'].exact).toMatchObject({ tp: 0, fp: 1, fn: 0 });
	expect(report.labels.constructor.errors.spurious).toBe(1);
	const page = await lead.get(`/datasets/${slug}/evaluations?run=proto&against=v0001&resamples=50`);
	expect(page.status()).toBe(200);
	expect(await page.text()).toContain('__proto__');
});

test('bad queries are 400s that name what is wrong', async () => {
	const q = async (s: string) => {
		const res = await lead.get(`/api/datasets/${slug}/evaluations?${s}`);
		return [res.status(), (await res.json()).error];
	};
	expect(await q('against=v0001')).toEqual([400, expect.stringMatching(/run/)]);
	expect(await q('run=v1&against=nope')).toEqual([400, expect.stringMatching(/neither a release/)]);
	expect(await q('run=v1&against=v0001&resamples=1000000')).toEqual([400, expect.stringMatching(/resamples/)]);
	expect(await q('run=__proto__&against=v0001')).toEqual([400, expect.stringMatching(/invalid run name/)]);
	expect(await q('run=constructor&against=v0001')).toEqual([404, expect.stringMatching(/no prediction run "constructor"/)]);
	expect(await q('run=v1&against=v0009')).toEqual([404, expect.stringMatching(/no release v0009/)]);
	const named = await lead.post(`/api/datasets/${slug}/predictions?run=${encodeURIComponent('../x')}`, { headers: { 'content-type': 'application/x-ndjson' }, data: '{}\n' });
	expect(named.status()).toBe(400);
});
