/**
 * Child process for figure 19 (issue #19): evaluating a prediction run against
 * a gold release, through `evaluate()` of src/lib/server/evaluation/evaluations.ts, the
 * code path of `GET /api/datasets/{slug}/evaluations`.
 *
 *   node --import tsx bench/evaluation-child.ts generate <dataDir> <docs> <spans>
 *   node --import tsx bench/evaluation-child.ts evaluate <dataDir> <resamples>
 *
 * `generate` (a process of its own, so its memory is not counted) writes a
 * dataset record, a gold release of <docs> news-like articles with <spans>
 * spans each (release-format JSONL through buildRecord/serializeRecord, with
 * its manifest) and a prediction run in the store's format: each gold span kept
 * (72 %), moved by a word at one end (12 %), relabelled (6 %) or dropped (10 %),
 * plus 10 % spurious spans, every span with a score. `evaluate` times the
 * evaluation (run read, release streamed, counts, 1,000-resample bootstrap,
 * 11-point threshold sweep) and reports CPU time and the peak RSS of this
 * process alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { LABELS, makeArticle, makeSpans, rng } from './corpus';
import { buildRecord, serializeRecord, versionName, type ReleaseManifest } from '../src/lib/release/record';
import { DEFAULT_LABELS } from '../src/lib/model/types';

const [mode, dataDir, a, b] = process.argv.slice(2);
const SLUG = 'evalbench';

if (mode === 'generate') {
	const docs = Number(a);
	const perDoc = Number(b);
	const dir = path.join(dataDir, SLUG);
	fs.mkdirSync(path.join(dir, 'releases'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'predictions'), { recursive: true });
	const now = new Date('2026-01-01T00:00:00Z').toISOString();
	fs.writeFileSync(
		path.join(dir, 'dataset.json'),
		JSON.stringify({ slug: SLUG, title: 'bench', description: '', created_at: now, created_by: 'bench', labels: DEFAULT_LABELS, guidelines: '', members: {}, assignments: null }, null, 2)
	);
	const release = fs.openSync(path.join(dir, 'releases', `${versionName(1)}.jsonl`), 'w');
	const runFile = `bench.000000000000.spans.jsonl`;
	const run = fs.openSync(path.join(dir, 'predictions', runFile), 'w');
	const releaseHash = createHash('sha256');
	const runHash = createHash('sha256');
	const random = rng(19);
	let goldSpans = 0;
	let predicted = 0;
	let releaseOut = '';
	let runOut = '';
	const flush = (force = false) => {
		if (force || releaseOut.length > 1 << 20) {
			const bytes = Buffer.from(releaseOut);
			releaseHash.update(bytes);
			fs.writeSync(release, bytes);
			releaseOut = '';
		}
		if (force || runOut.length > 1 << 20) {
			const bytes = Buffer.from(runOut);
			runHash.update(bytes);
			fs.writeSync(run, bytes);
			runOut = '';
		}
	};
	for (let n = 1; n <= docs; n++) {
		const article = makeArticle(n, 3000, 'doc');
		const spans = makeSpans(article, perDoc, n * 31, { overlapShare: 0.15 });
		const record = buildRecord({
			dataset: SLUG,
			version: 1,
			doc_id: article.id,
			title: article.title,
			text: article.text,
			text_sha256: article.sha256,
			meta: { lang: n % 3 ? 'fr' : 'en' },
			annotator: 'gold',
			status: 'done',
			revision: 1,
			updated_at: now,
			spans: spans.map((s, i) => ({ ...s, id: `s${i}` }))
		});
		releaseOut += serializeRecord(record);
		goldSpans += spans.length;
		const words = article.words;
		const preds: Array<{ start: number; end: number; label: string; score: number }> = [];
		for (const s of spans) {
			const r = random();
			const score = Math.round(random() * 1000) / 1000;
			if (r < 0.72) preds.push({ ...s, score });
			else if (r < 0.84) {
				const w = words.findIndex((x) => x[0] >= s.start);
				const next = words[Math.min(words.length - 1, w + 1)];
				preds.push({ start: next[0] < s.end ? next[0] : s.start, end: s.end, label: s.label, score });
			} else if (r < 0.9) preds.push({ ...s, label: LABELS[(LABELS.indexOf(s.label) + 1) % LABELS.length], score });
		}
		for (let k = 0; k < perDoc / 10; k++) {
			const w = words[Math.floor(random() * words.length)];
			preds.push({ start: w[0], end: w[1], label: LABELS[Math.floor(random() * LABELS.length)], score: Math.round(random() * 500) / 1000 });
		}
		preds.sort((x, y) => x.start - y.start || x.end - y.end);
		predicted += preds.length;
		runOut += JSON.stringify({ doc_id: article.id, text_sha256: article.sha256, spans: preds }) + '\n';
		flush();
	}
	flush(true);
	fs.fsyncSync(release);
	fs.closeSync(release);
	fs.closeSync(run);
	const manifest: Partial<ReleaseManifest> = {
		version: 1,
		name: versionName(1),
		dataset: SLUG,
		created_at: now,
		created_by: 'bench',
		source: 'gold',
		note: '',
		records: docs,
		spans: goldSpans,
		span_counts: {},
		sha256: releaseHash.digest('hex'),
		labels: DEFAULT_LABELS,
		guidelines_sha256: '',
		parent: null,
		changes: null
	};
	fs.writeFileSync(path.join(dir, 'releases', `${versionName(1)}.manifest.json`), JSON.stringify(manifest, null, 2));
	fs.writeFileSync(
		path.join(dir, 'predictions', 'bench.run.json'),
		JSON.stringify({ run: 'bench', dataset: SLUG, model: 'bench', model_version: '1', uploaded_at: now, uploaded_by: 'bench', sha256: runHash.digest('hex'), bytes: 0, documents: docs, spans: predicted, span_counts: {}, scores: { count: predicted, min: 0, max: 1 }, file: runFile }, null, 2)
	);
	console.log(JSON.stringify({ docs, goldSpans, predicted }));
} else if (mode === 'evaluate') {
	process.env.SPANLAB_DATA = dataDir;
	const { evaluate, parseEvaluationQuery } = await import('../src/lib/server/evaluation/evaluations');
	const startRssMb = process.resourceUsage().maxRSS / 1024;
	const t0 = performance.now();
	const cpu0 = process.cpuUsage();
	const report = await evaluate(SLUG, parseEvaluationQuery(new URLSearchParams({ run: 'bench', against: 'v0001', resamples: a })));
	const ms = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	console.log(
		JSON.stringify({
			ms,
			cpuMs: (cpu.user + cpu.system) / 1000,
			documents: report.documents,
			resamples: report.bootstrap.resamples,
			microF1: { exact: report.micro.exact.f1, overlap: report.micro.overlap.f1, token: report.micro.token.f1 },
			ci: report.micro.exact.ci.f1,
			thresholds: report.thresholds?.length ?? 0,
			startRssMb,
			maxRssMb: process.resourceUsage().maxRSS / 1024
		})
	);
} else {
	console.error('usage: evaluation-child.ts generate <dir> <docs> <spans> | evaluate <dir> <resamples>');
	process.exit(2);
}
