/**
 * Evaluations: a prediction run (the file store's predictions.ts) against a
 * reference, computed by the pure module src/lib/evaluation. The reference is
 *   - a release's gold records (`against=v0003`, the default `reference=gold`),
 *   - a release's annotator records (`reference=annotators`, or one annotator's name),
 *   - the current gold (`against=gold`).
 * The report names the reference's version and sha256 (a release: its JSONL
 * file's; the current gold: of its canonical lines, see `goldReference`) and
 * the run's sha256, so anyone can recompute it.
 *
 * The reference streams one record at a time; only the runs' spans and each
 * document's row of counts are held. The work yields to the event loop every
 * few documents and between batches of bootstrap resamples, so a long
 * evaluation never stops the server from answering others.
 *
 * No SvelteKit imports: the CLI (scripts/evaluate.ts) and the bench use this.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DatasetAccess } from '../auth/access';
import { badRequest } from '../http/errors';
import { getReleaseManifest } from '../release/releases';
import type { ReleaseRecord } from '../../release/record';
import { iterateWork, loadSet, getDataset, getDocument, listDocumentHeaders, checkSlug, printable, checkRunName, getRunManifest, listRuns, loadRun, store, type RunManifest } from '../store';
import { dataRoot as dataRootKey } from '../config';
import { Evaluation, LENGTH_QUARTILE, thresholdsFor } from '../../evaluation/report';
import { documentErrors, type ErrorItem } from '../../evaluation/errors';
import type { EvaluationReport, ReferenceInfo, RunInfo } from '../../evaluation/api';
export type { EvaluationReport, ReferenceInfo, RunInfo };
import { TooManyOverlaps, type EvalSpan } from '../../evaluation/match';
import { parseVersionRef } from '../../release/record';
import { GOLD } from '../../model/types';

export const MAX_RESAMPLES = 10_000;
export const MAX_SLICE_FIELDS = 5;
/** errors listed for the error browser at most */
export const MAX_LISTED_ERRORS = 5000;

const nameOrList = z.string().max(500);

export const evaluationQuerySchema = z.object({
	run: z.string({ error: 'give the run to evaluate as ?run=NAME' }).min(1, 'give the run to evaluate as ?run=NAME'),
	against: z.string().min(1).default('gold'),
	reference: z.string().max(64).default(GOLD),
	compare: z.string().optional(),
	slice: nameOrList.optional(),
	seed: z.coerce.number().int('seed must be an integer').min(0).max(0xffffffff).optional(),
	resamples: z.coerce.number().int('resamples must be an integer').min(0).max(MAX_RESAMPLES, `resamples: at most ${MAX_RESAMPLES}`).optional(),
	format: z.enum(['json', 'csv'], { error: 'format must be json or csv' }).default('json')
});
export type EvaluationQuery = z.infer<typeof evaluationQuerySchema>;

/** The query of `GET …/evaluations` (repeated `slice` values are joined). */
export function parseEvaluationQuery(params: URLSearchParams): EvaluationQuery {
	const raw: Record<string, string> = Object.create(null);
	for (const key of ['run', 'against', 'reference', 'compare', 'seed', 'resamples', 'format']) {
		const v = params.get(key);
		if (v !== null && v !== '') raw[key] = v;
	}
	const slices = params.getAll('slice').filter((s) => s !== '');
	if (slices.length) raw.slice = slices.join(',');
	const parsed = evaluationQuerySchema.safeParse(raw);
	if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
	return parsed.data;
}

interface ReferenceDocument {
	id: string;
	text: string;
	meta: Record<string, unknown>;
	/** [annotator, spans] per reference record */
	records: Array<[string, EvalSpan[]]>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const plainSpans = (spans: ReadonlyArray<{ start: number; end: number; label: string }>): EvalSpan[] =>
	spans.map((s) => ({ start: s.start, end: s.end, label: s.label }));

function recordFilter(records: string): (annotator: string) => boolean {
	if (records === GOLD) return (a) => a === GOLD;
	if (records === 'annotators') return (a) => a !== GOLD;
	return (a) => a === records;
}

/** A release's records of the chosen kind, grouped by document (records are sorted by doc id, then annotator). */
async function* releaseReference(releaseRecords: AsyncIterable<ReleaseRecord>, records: string): AsyncGenerator<ReferenceDocument> {
	const keep = recordFilter(records);
	let current: ReferenceDocument | null = null;
	for await (const record of releaseRecords) {
		if (!keep(record.annotator)) continue;
		if (current && current.id !== record.doc_id) {
			yield current;
			current = null;
		}
		current ??= { id: record.doc_id, text: record.text, meta: record.meta ?? {}, records: [] };
		current.records.push([record.annotator, plainSpans(record.spans)]);
	}
	if (current) yield current;
}

/**
 * The current gold, document by document. Its sha256 is over canonical lines,
 * one per document with gold, in document id order:
 * `JSON.stringify([doc_id, text_sha256, [[start, end, label], …]]) + "\n"`,
 * spans sorted by start, end, label.
 */
async function* goldReference(slug: string, hash: ReturnType<typeof createHash>): AsyncGenerator<ReferenceDocument> {
	for await (const { document, sets } of iterateWork(slug, { annotator: (a) => a === GOLD, skipEmpty: true })) {
		const gold = sets.find((s) => s.annotator === GOLD);
		if (!gold) continue;
		const spans = plainSpans(gold.spans).sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
		hash.update(JSON.stringify([document.id, document.sha256, spans.map((s) => [s.start, s.end, s.label])]) + '\n');
		yield { id: document.id, text: document.text, meta: document.meta ?? {}, records: [[GOLD, spans]] };
	}
}

function runInfo(m: RunManifest): RunInfo {
	return { name: m.run, model: m.model, model_version: m.model_version, uploaded_at: m.uploaded_at, sha256: m.sha256 };
}

function sliceFields(slice: string | undefined): string[] {
	if (!slice) return [];
	const fields = [...new Set(slice.split(',').map((s) => s.trim()).filter(Boolean))];
	if (fields.length > MAX_SLICE_FIELDS) throw badRequest(`slice: at most ${MAX_SLICE_FIELDS} fields`);
	for (const f of fields) if (f.length > 100) throw badRequest(`slice: the field name "${printable(f)}" is too long`);
	return fields;
}

export interface EvaluateOptions {
	/** collect the error browser's items (at most this many) */
	errors?: number;
	/** yield to the event loop now and then (default on) */
	cooperative?: boolean;
}

/** Evaluations running at once in this process at most: each holds its runs' spans and rows, so memory stays bounded. */
export const MAX_CONCURRENT_EVALUATIONS = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
	if (running >= MAX_CONCURRENT_EVALUATIONS) await new Promise<void>((resolve) => waiting.push(resolve));
	running++;
	try {
		return await fn();
	} finally {
		running--;
		waiting.shift()?.();
	}
}

/**
 * Evaluates `query.run` of `slug` against its reference (at most
 * MAX_CONCURRENT_EVALUATIONS at a time; others wait their turn).
 * @throws DomainError 400 (bad query, a reference with no records), 404 (no such run or release)
 */
export async function evaluate(slug: string, query: EvaluationQuery, options: EvaluateOptions = {}): Promise<EvaluationReport> {
	const key = await cacheKey(slug, query, options);
	if (key === null) return limited(() => evaluateNow(slug, query, options));
	const hit = cache.get(key);
	if (hit) {
		cache.delete(key);
		cache.set(key, hit); // most recently used last
		return hit;
	}
	const pending = limited(() => evaluateNow(slug, query, options));
	cache.set(key, pending);
	pending.catch(() => cache.delete(key));
	while (cache.size > CACHED_REPORTS) cache.delete(cache.keys().next().value!);
	return pending;
}

/**
 * Reports against a release are kept (the last few): a run and a release never
 * change, so the same question has the same answer, and going back from the
 * error browser's document view to the report costs nothing. The key holds the
 * run's and the release's sha256 and upload/cut times, the query and the
 * dataset's label names. Reports against the current gold are always computed.
 */
const CACHED_REPORTS = 8;
const cache = new Map<string, Promise<EvaluationReport>>();

async function cacheKey(slug: string, query: EvaluationQuery, options: EvaluateOptions): Promise<string | null> {
	if (query.against === GOLD) return null;
	try {
		checkSlug(slug);
		const version = parseVersionRef(query.against);
		if (version === null) return null;
		const release = await getReleaseManifest(slug, version);
		const runs = await Promise.all([query.run, ...(query.compare !== undefined ? [query.compare] : [])].map((r) => getRunManifest(slug, r)));
		const dataset = await getDataset(slug);
		return JSON.stringify([
			dataRootKey(),
			slug,
			release.name,
			release.sha256,
			release.created_at,
			runs.map((r) => [r.run, r.sha256, r.uploaded_at, r.file]),
			dataset.labels.map((l) => l.name),
			query.reference,
			query.slice ?? '',
			query.seed ?? null,
			query.resamples ?? null,
			options.errors ?? 0
		]);
	} catch {
		return null; // the evaluation itself says what is wrong
	}
}

async function evaluateNow(slug: string, query: EvaluationQuery, options: EvaluateOptions): Promise<EvaluationReport> {
	checkSlug(slug);
	checkRunName(query.run);
	if (query.compare !== undefined) checkRunName(query.compare);
	const fields = sliceFields(query.slice);
	const dataset = await getDataset(slug);
	const pause = options.cooperative === false ? undefined : nextTurn;

	const runA = await loadRun(slug, query.run);
	const runB = query.compare !== undefined ? await loadRun(slug, query.compare) : null;

	// the reference
	const goldHash = createHash('sha256');
	let documents: AsyncIterable<ReferenceDocument>;
	let reference: ReferenceInfo;
	if (query.against === GOLD) {
		if (query.reference !== GOLD) throw badRequest('against=gold is the current gold; annotators\' records are compared from a release (against=v0003&reference=annotators)');
		documents = goldReference(slug, goldHash);
		reference = { version: GOLD, records: GOLD, sha256: '' };
	} else {
		const version = parseVersionRef(query.against);
		if (version === null) throw badRequest(`against: "${printable(query.against)}" is neither a release (v0003) nor "gold"`);
		const manifest = await getReleaseManifest(slug, version);
		documents = releaseReference(await store.releases.records(slug, version), query.reference);
		reference = { version: manifest.name, records: query.reference, sha256: manifest.sha256, created_at: manifest.created_at };
	}

	const thresholds = runA.manifest.scores ? thresholdsFor(runA.manifest.scores.min, runA.manifest.scores.max) : [];
	const evaluation = new Evaluation({
		labels: dataset.labels.map((l) => l.name),
		sliceBy: fields,
		thresholds,
		compare: runB !== null
	});
	const errors: ErrorItem[] = [];
	let errorsTotal = 0;
	const covered = new Set<string>();
	let withoutPredictions = 0;
	let n = 0;
	for await (const doc of documents) {
		const predicted = runA.spans.get(doc.id);
		if (predicted) covered.add(doc.id);
		else withoutPredictions++;
		try {
			evaluation.add({
				id: doc.id,
				text: doc.text,
				meta: doc.meta,
				references: doc.records.map(([, spans]) => spans),
				predicted: predicted ?? [],
				compared: runB?.spans.get(doc.id) ?? []
			});
			if (options.errors) {
				for (const [annotator, spans] of doc.records) {
					const items = documentErrors(doc.id, annotator, doc.text, spans, predicted ?? []);
					errorsTotal += items.length;
					for (const item of items) if (errors.length < options.errors) errors.push(item);
				}
			}
		} catch (e) {
			if (e instanceof TooManyOverlaps) throw badRequest(`document "${doc.id}" cannot be evaluated: ${e.message}`);
			throw e;
		}
		if (pause && ++n % 64 === 0) await pause();
	}
	if (evaluation.documents === 0) {
		throw badRequest(
			query.against === GOLD
				? 'there is no gold yet to evaluate against: adjudicate some documents first, or evaluate against a release'
				: `release ${reference.version} has no ${query.reference === GOLD ? 'gold' : query.reference === 'annotators' ? "annotators'" : `"${printable(query.reference)}"`} records to evaluate against`
		);
	}
	if (query.against === GOLD) reference.sha256 = goldHash.digest('hex');

	const result = await evaluation.finish({ resamples: query.resamples, seed: query.seed, pause });
	const report: EvaluationReport = {
		run: query.run,
		against: reference.version,
		reference,
		run_info: runInfo(runA.manifest),
		documents: result.documents,
		documents_without_predictions: withoutPredictions,
		predictions_without_reference: runA.spans.size - covered.size,
		bootstrap: result.bootstrap,
		labels: result.table.labels,
		micro: result.table.micro,
		macro: result.table.macro
	};
	if (result.slices) report.slices = result.slices;
	if (result.compare && runB) {
		report.compare = {
			run: runB.manifest.run,
			run_info: runInfo(runB.manifest),
			labels: result.compare.labels,
			micro: result.compare.micro,
			macro: result.compare.macro,
			report: { labels: result.compare.table.labels, micro: result.compare.table.micro, macro: result.compare.table.macro }
		};
	}
	if (result.thresholds) report.thresholds = result.thresholds;
	if (options.errors) {
		report.errors = errors;
		report.errors_total = errorsTotal;
	}
	return report;
}

// ---------------------------------------------------------------------------
// use cases behind the API and pages: dataset leads only (the caller checked access)

export async function runsOf(access: DatasetAccess): Promise<RunManifest[]> {
	return listRuns(access.dataset.slug);
}

export { LENGTH_QUARTILE };

/** What the Evaluations page asks for: the error browser's items on top of the report. */
export const evaluationPageOptions: EvaluateOptions = { errors: 2000 };

/** Meta field names of the dataset's documents (a sample of the first 200), for the slice picker. */
export async function metaFieldsOf(slug: string): Promise<string[]> {
	const fields = new Set<string>();
	const headers = (await listDocumentHeaders(slug)).slice(0, 200);
	for (const h of headers) {
		const doc = await getDocument(slug, h.id).catch(() => null);
		for (const key of Object.keys(doc?.meta ?? {})) if (key.length <= 100 && fields.size < 50) fields.add(key);
	}
	return [...fields].sort();
}

/** The reference spans and a run's spans of one document (the error browser's two lanes). */
export async function documentLanes(
	slug: string,
	docId: string,
	query: Pick<EvaluationQuery, 'run' | 'against' | 'reference'>
): Promise<{ text: string; reference: EvalSpan[]; predicted: EvalSpan[]; found: boolean }> {
	const run = await loadRun(slug, query.run);
	if (query.against === GOLD) {
		// the current gold of one document: its set, not a walk over the corpus
		const document = await getDocument(slug, docId);
		const gold = await loadSet(slug, docId, GOLD);
		return { text: document.text, reference: plainSpans(gold.spans), predicted: run.spans.get(docId) ?? [], found: gold.revision > 0 };
	}
	const version = parseVersionRef(query.against);
	if (version === null) throw badRequest(`against: "${printable(query.against)}" is neither a release (v0003) nor "gold"`);
	const source = releaseReference(await store.releases.records(slug, version), query.reference);
	for await (const doc of source) {
		if (doc.id !== docId) continue;
		return { text: doc.text, reference: doc.records.flatMap(([, s]) => s), predicted: run.spans.get(docId) ?? [], found: true };
	}
	return { text: '', reference: [], predicted: run.spans.get(docId) ?? [], found: false };
}
