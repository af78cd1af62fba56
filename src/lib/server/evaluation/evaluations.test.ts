import { describe, it, expect, beforeEach } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDocuments, createDataset, resetDatasetCache, loadSet, resetAnnotationCache, listRuns, loadRun, uploadRun, problemsOf } from '../store';
import { saveSet } from '../annotate/saveSet';
import { cutRelease } from '../release/releases';
import { isDomainError } from '../http/errors';
import { predictionsDir } from '../store/file/predictions';
import { documentLanes, evaluate, parseEvaluationQuery } from './evaluations';
import { evaluationCsv } from '../../evaluation/csv';
import type { SpanInput } from '../../model/types';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const labels = ['claim', 'attribution', 'framing', 'date'];
// "Le maire 😀 a dit" : the emoji is one code point, two UTF-16 units
const docs = [
	{ id: 'a', title: 'A', text: 'Le maire 😀 a dit que les impôts baissent.', meta: { lang: 'fr' } },
	{ id: 'b', title: 'B', text: 'The mayor said taxes rise.', meta: { lang: 'en' } }
];
const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
let root: string;

async function gold(docId: string, spans: SpanInput[]) {
	const doc = docs.find((d) => d.id === docId)!;
	const { revision } = await loadSet('unit', docId, 'gold');
	await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: revision, spans, status: 'done' });
}

const ndjson = (lines: unknown[]) => [Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')];
async function* chunks(parts: Uint8Array[]) {
	for (const p of parts) yield p;
}
const upload = (run: string, lines: unknown[], extra = {}) => uploadRun('unit', run, chunks(ndjson(lines)), { by: 'lead', maxBytes: 1 << 20, ...extra });

async function refusal(p: Promise<unknown>, status: number) {
	try {
		await p;
	} catch (e) {
		if (isDomainError(e)) {
			expect(e.status).toBe(status);
			return e;
		}
		throw e;
	}
	throw new Error(`expected a ${status} error`);
}

// "que les impôts baissent" in doc a: code points 17..40 (UTF-16 18..41)
const A_CLAIM = { start: 17, end: 40, label: 'claim' };
const A_ATTR = { start: 0, end: 8, label: 'attribution' };

beforeEach(async () => {
	root = freshDataFolder('spanlab-eval-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments('unit', docs.map((d) => ({ ...d, sha256: sha256(d.text) })));
	await gold('a', [A_ATTR, A_CLAIM]);
	await gold('b', [{ start: 0, end: 9, label: 'attribution' }, { start: 15, end: 26, label: 'claim' }]);
});

describe('prediction runs', () => {
	it('stores a run matched by doc_id or text_sha256, with its manifest', async () => {
		const body = [
			{ doc_id: 'a', model: 'tagger', model_version: '1.0', spans: [{ ...A_CLAIM, text: 'que les impôts baissent', score: 0.9 }] },
			{ text_sha256: sha256(docs[1].text), spans: [{ start: 0, end: 9, label: 'attribution', score: 0.4 }] }
		];
		const result = await upload('v1', body);
		expect(result).toMatchObject({ run: 'v1', documents: 2, spans: 2 });
		const [m] = await listRuns('unit');
		expect(m).toMatchObject({ run: 'v1', model: 'tagger', model_version: '1.0', documents: 2, spans: 2, uploaded_by: 'lead', scores: { count: 2, min: 0.4, max: 0.9 } });
		expect(m.sha256).toBe(sha256(ndjson(body)[0]));
		const { spans } = await loadRun('unit', 'v1');
		expect(spans.get('b')).toEqual([{ start: 0, end: 9, label: 'attribution', score: 0.4 }]);
	});

	it('a second upload under the same name is a 409 and changes nothing', async () => {
		await upload('v1', [{ doc_id: 'a', spans: [] }]);
		const before = fs.readdirSync(predictionsDir('unit')).sort();
		const e = await refusal(upload('v1', [{ doc_id: 'b', spans: [] }]), 409);
		expect(e.message).toMatch(/already exists/);
		expect(fs.readdirSync(predictionsDir('unit')).sort()).toEqual(before);
		// two at once: exactly one wins
		const both = await Promise.allSettled([upload('v2', [{ doc_id: 'a', spans: [] }]), upload('v2', [{ doc_id: 'b', spans: [] }])]);
		expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
	});

	it('UTF-16 offsets are refused with the line named and the cause said', async () => {
		const e = await refusal(
			upload('bad', [
				{ doc_id: 'b', spans: [] },
				// UTF-16 offsets of the same words: one more, after the emoji
				{ doc_id: 'a', spans: [{ start: 18, end: 41, label: 'claim', text: 'que les impôts baissent' }] }
			]),
			400
		);
		const problems = problemsOf(e);
		expect(problems).toHaveLength(1);
		expect(problems[0].line).toBe(2);
		expect(problems[0].message).toMatch(/^line 2: span 1 \(start 18, end 41\)/);
		expect(problems[0].message).toMatch(/code points/);
		expect(problems[0].message).toMatch(/read as UTF-16 code units, \[18:41\] is exactly that text/);
		expect(fs.existsSync(predictionsDir('unit')) ? fs.readdirSync(predictionsDir('unit')) : []).toEqual([]);
		expect(await listRuns('unit')).toEqual([]);
	});

	it('all-or-nothing: every problem listed by line, nothing stored', async () => {
		const e = await refusal(
			upload('bad', [
				{ doc_id: 'a', spans: [A_CLAIM] },
				{ doc_id: 'nope', spans: [] },
				'not an object',
				{ doc_id: 'a', spans: [] },
				{ doc_id: 'b', spans: [{ start: 5, end: 2, label: 'x' }] },
				{ doc_id: 'b', spans: [{ start: 0, end: 999, label: 'x' }] }
			]),
			400
		);
		const lines = problemsOf(e).map((p) => p.line);
		expect(lines).toEqual([2, 3, 4, 5, 6]);
		expect(problemsOf(e)[2].message).toMatch(/already given on line 1/);
		expect(problemsOf(e)[3].message).toMatch(/end must be greater than start/);
		expect(problemsOf(e)[4].message).toMatch(/already given on line 5/);
		const beyond = await refusal(upload('far', [{ doc_id: 'b', spans: [{ start: 0, end: 999, label: 'x' }] }]), 400);
		expect(problemsOf(beyond)[0].message).toMatch(/line 1: .*end 999 is beyond the end of the document \(26 code points\)/);
		expect(await listRuns('unit')).toEqual([]);
		await refusal(upload('empty', []), 400);
		await refusal(upload('../x', [{ doc_id: 'a', spans: [] }]), 400);
		await refusal(uploadRun('unit', 'big', chunks([Buffer.alloc(2000, 0x20)]), { by: 'lead', maxBytes: 1000 }), 413);
		expect(await listRuns('unit')).toEqual([]);
	});

	it('what a crash leaves behind (a spans file without its manifest, a temp file) is no run and takes no name', async () => {
		fs.mkdirSync(predictionsDir('unit'), { recursive: true });
		fs.writeFileSync(path.join(predictionsDir('unit'), 'v1.0123456789ab.spans.jsonl'), '{"doc_id":"a","spans":[]}\n');
		fs.writeFileSync(path.join(predictionsDir('unit'), '.tmp-deadbeef-v1.run.json.1234'), '{"run":');
		expect(await listRuns('unit')).toEqual([]);
		await refusal(loadRun('unit', 'v1'), 404);
		expect(await upload('v1', [{ doc_id: 'a', spans: [A_CLAIM] }])).toMatchObject({ run: 'v1', documents: 1, spans: 1 });
		const { spans } = await loadRun('unit', 'v1');
		expect(spans.get('a')).toEqual([A_CLAIM]);
	});

	it('lines of one run must name one model', async () => {
		const e = await refusal(upload('m', [{ doc_id: 'a', model: 'x', spans: [] }, { doc_id: 'b', model: 'y', spans: [] }]), 400);
		expect(problemsOf(e)[0].message).toMatch(/line 2: model "y" differs from "x" given on line 1/);
	});
});

describe('evaluations', () => {
	it('against a release: counts, the release sha256 and the run sha256 in the report; CSV', async () => {
		const release = await cutRelease('unit', { source: 'gold', createdBy: 'lead' });
		await upload('v1', [
			{ doc_id: 'a', spans: [A_CLAIM, { start: 0, end: 5, label: 'attribution' }] },
			{ doc_id: 'b', spans: [{ start: 15, end: 25, label: 'claim' }] }
		]);
		const r = await evaluate('unit', parseEvaluationQuery(new URLSearchParams('run=v1&against=v0001&resamples=100&slice=lang')));
		expect(r).toMatchObject({ run: 'v1', against: 'v0001', documents: 2, bootstrap: { resamples: 100, seed: 2013 } });
		expect(r.reference).toMatchObject({ version: 'v0001', records: 'gold', sha256: release.sha256 });
		expect(r.run_info.sha256).toMatch(/^[0-9a-f]{64}$/);
		// claim: a exact, b boundary; attribution: a boundary, b missed
		expect(r.labels.claim.exact).toMatchObject({ tp: 1, fp: 1, fn: 1 });
		expect(r.labels.attribution.errors).toMatchObject({ wrong_boundaries: 1, missed: 1 });
		expect(Object.keys(r.labels)).toEqual(labels);
		expect(r.slices!.map((s) => s.value).sort()).toEqual(['en', 'fr']);
		// a run and a release never change: the same question is answered from the cache
		const again = await evaluate('unit', parseEvaluationQuery(new URLSearchParams('run=v1&against=v0001&resamples=100&slice=lang')));
		expect(again).toBe(r);
		const other = await evaluate('unit', parseEvaluationQuery(new URLSearchParams('run=v1&against=v0001&resamples=100&seed=5')));
		expect(other).not.toBe(r);
		expect(other.bootstrap.seed).toBe(5);
		const csv = evaluationCsv(r);
		expect(csv.split('\r\n')[0]).toMatch(/^run,slice_by,slice,label,mode,tp,fp,fn,precision,recall,f1/);
		expect(csv).toContain('v1,,,claim,exact,1,1,1,0.5,0.5,0.5,');
	});

	it('against the current gold, compared with a second run', async () => {
		await upload('v1', [{ doc_id: 'a', spans: [A_CLAIM] }]);
		await upload('v2', [{ doc_id: 'a', spans: [A_CLAIM, A_ATTR] }, { doc_id: 'b', spans: [{ start: 0, end: 9, label: 'attribution' }, { start: 15, end: 26, label: 'claim' }] }]);
		const r = await evaluate('unit', parseEvaluationQuery(new URLSearchParams('run=v1&against=gold&compare=v2&resamples=200')), { errors: 100 });
		expect(r.reference.version).toBe('gold');
		expect(r.reference.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(r.documents_without_predictions).toBe(1);
		expect(r.compare!.micro.exact.b).toBe(1);
		expect(r.compare!.micro.exact.diff).toBeGreaterThan(0);
		expect(r.errors!.every((e) => e.category === 'missed')).toBe(true);
		expect(r.errors_total).toBe(3);
	});

	it("against a release's annotator records: all of them, or one annotator's", async () => {
		for (const [annotator, spans] of [
			['ann1', [A_CLAIM]],
			['ann2', [A_CLAIM, A_ATTR]]
		] as const) {
			const { revision } = await loadSet('unit', 'a', annotator);
			await saveSet('unit', docs[0], annotator, annotator, labels, { baseRevision: revision, spans: [...spans], status: 'done' });
		}
		const release = await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		await upload('v1', [{ doc_id: 'a', spans: [A_CLAIM] }]);
		const q = (s: string) => evaluate('unit', parseEvaluationQuery(new URLSearchParams(`run=v1&against=${release.name}&resamples=50&${s}`)));
		const all = await q('reference=annotators');
		expect(all.reference.records).toBe('annotators');
		expect(all.documents).toBe(1); // one document, two records
		expect(all.labels.claim.exact).toMatchObject({ tp: 2, fp: 0, fn: 0 });
		expect(all.labels.attribution.exact).toMatchObject({ tp: 0, fp: 0, fn: 1 });
		const ann1 = await q('reference=ann1');
		expect(ann1.micro.exact).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
		const gold = await q('reference=gold');
		expect(gold.documents).toBe(2);
		expect(gold.labels.attribution.exact.fn).toBe(2);
	});

	it('the two lanes of one document, from the current gold or a release', async () => {
		await upload('v1', [{ doc_id: 'a', spans: [A_CLAIM] }]);
		const fromGold = await documentLanes('unit', 'a', { run: 'v1', against: 'gold', reference: 'gold' });
		expect(fromGold).toMatchObject({ found: true, text: docs[0].text, predicted: [A_CLAIM] });
		expect(fromGold.reference).toEqual(expect.arrayContaining([A_ATTR, A_CLAIM]));
		await cutRelease('unit', { source: 'gold', createdBy: 'lead' });
		const fromRelease = await documentLanes('unit', 'b', { run: 'v1', against: 'v0001', reference: 'gold' });
		expect(fromRelease).toMatchObject({ found: true, text: docs[1].text, predicted: [] });
		expect(fromRelease.reference).toHaveLength(2);
	});

	it('evaluations asked for at once all answer, the same', async () => {
		await upload('v1', [{ doc_id: 'a', spans: [A_CLAIM] }]);
		const q = parseEvaluationQuery(new URLSearchParams('run=v1&against=gold&resamples=300'));
		const reports = await Promise.all(Array.from({ length: 5 }, () => evaluate('unit', q)));
		for (const r of reports) expect(r.micro).toEqual(reports[0].micro);
	});

	it('refuses what it cannot evaluate', async () => {
		await upload('v1', [{ doc_id: 'a', spans: [] }]);
		await refusal(evaluate('unit', parseEvaluationQuery(new URLSearchParams('run=nope&against=gold'))), 404);
		await refusal(evaluate('unit', parseEvaluationQuery(new URLSearchParams('run=v1&against=v0009'))), 404);
		await refusal(Promise.resolve().then(() => parseEvaluationQuery(new URLSearchParams('against=gold'))), 400);
		await refusal(Promise.resolve().then(() => parseEvaluationQuery(new URLSearchParams('run=v1&resamples=99999'))), 400);
		await refusal(evaluate('unit', parseEvaluationQuery(new URLSearchParams('run=v1&against=bogus'))), 400);
		const release = await cutRelease('unit', { source: 'gold', createdBy: 'lead' });
		const e = await refusal(evaluate('unit', parseEvaluationQuery(new URLSearchParams(`run=v1&against=${release.name}&reference=annotators`))), 400);
		expect(e.message).toMatch(/no annotators' records/);
	});
});
