/**
 * Prediction runs: a model's spans over a dataset's documents, uploaded once
 * under a name and never changed. They are nobody's annotations and never part
 * of a release; evaluations (src/lib/server/evaluation/evaluations.ts) read them.
 *
 *   <data>/<slug>/predictions/<run>.<random>.spans.jsonl   one line per document: {"doc_id", "text_sha256", "spans"}
 *   <data>/<slug>/predictions/<run>.run.json               the manifest: model, upload time, sha256 of the bytes sent, counts
 *
 * A run exists once its manifest exists. The spans file is written to an
 * fsynced temp file while the upload streams in and is published under a name
 * of its own; the manifest is published last with link(), which never
 * replaces a file: of two uploads of one name (two requests, or the server
 * and another process) exactly one gets it, the other a 409. A crash between
 * the two leaves a spans file that no manifest names: never read.
 *
 * Uploads are all-or-nothing: every line is checked against the document it
 * names (by the rules of evaluation/runUpload.ts, which both stores share)
 * before anything is published; problems carry 1-based line numbers. Memory
 * stays bounded by the longest line (plus one id per document seen).
 * No SvelteKit imports: the CLI and the bench use this module too.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { notFound } from '../../http/errors';
import { documentLookup, getDocument } from './datasets';
import { publishFileDurable, stableJson, tempPathFor, fsyncDir } from './durable';
import { checkSlug, datasetDir } from './paths';
import { splitLines } from '../../import/bytes';
import type { EvalSpan } from '../../../evaluation/match';
import {
	RUN_NAME_RE,
	checkRunName,
	checkRunUpload,
	keepCheckedLines,
	runExists,
	runManifest,
	type RunLine,
	type UploadOptions,
	type UploadResult
} from '../../evaluation/runUpload';

export {
	RUN_NAME_RE,
	MAX_PREDICTED_SPANS,
	checkRunName,
	offsetMismatch,
	problemsOf,
	type RunLine,
	type UploadProblem,
	type UploadOptions,
	type UploadResult
} from '../../evaluation/runUpload';

const MANIFEST_SUFFIX = '.run.json';

export type { RunSummary as RunManifest } from '../../../evaluation/api';
import type { RunSummary as RunManifest } from '../../../evaluation/api';

export const predictionsDir = (slug: string) => path.join(datasetDir(slug), 'predictions');

const manifestPath = (slug: string, run: string) => path.join(predictionsDir(slug), `${checkRunName(run)}${MANIFEST_SUFFIX}`);

function isMissing(e: unknown): boolean {
	return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

// ---------------------------------------------------------------------------
// reading

export async function getRunManifest(slug: string, run: string): Promise<RunManifest> {
	checkSlug(slug);
	try {
		return JSON.parse(await fsp.readFile(manifestPath(slug, run), 'utf8')) as RunManifest;
	} catch (e) {
		if (isMissing(e)) throw notFound(`dataset "${slug}" has no prediction run "${run}"`);
		throw e;
	}
}

/** Every run's manifest, newest first. */
export async function listRuns(slug: string): Promise<RunManifest[]> {
	checkSlug(slug);
	let names: string[];
	try {
		names = await fsp.readdir(predictionsDir(slug));
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
	const runs: RunManifest[] = [];
	for (const name of names) {
		if (!name.endsWith(MANIFEST_SUFFIX)) continue;
		const run = name.slice(0, -MANIFEST_SUFFIX.length);
		if (!RUN_NAME_RE.test(run)) continue;
		runs.push(await getRunManifest(slug, run));
	}
	return runs.sort((a, b) => (a.uploaded_at < b.uploaded_at ? 1 : a.uploaded_at > b.uploaded_at ? -1 : a.run < b.run ? -1 : 1));
}

/** A run's spans file, line by line. */
export async function* readRunLines(file: string): AsyncGenerator<RunLine> {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	for await (const line of splitLines(fs.createReadStream(file, { highWaterMark: 1 << 20 }))) {
		if (line.length > 0) yield JSON.parse(decoder.decode(line)) as RunLine;
	}
}

/** A run's spans by document id (what an evaluation joins against its reference). */
export async function readRunSpans(file: string): Promise<Map<string, EvalSpan[]>> {
	const byDoc = new Map<string, EvalSpan[]>();
	for await (const line of readRunLines(file)) {
		byDoc.set(
			line.doc_id,
			line.spans.map((s) => (s.score === undefined ? { start: s.start, end: s.end, label: s.label } : { start: s.start, end: s.end, label: s.label, score: s.score }))
		);
	}
	return byDoc;
}

export async function loadRun(slug: string, run: string): Promise<{ manifest: RunManifest; spans: Map<string, EvalSpan[]> }> {
	const manifest = await getRunManifest(slug, run);
	return { manifest, spans: await readRunSpans(path.join(predictionsDir(slug), path.basename(manifest.file))) };
}

// ---------------------------------------------------------------------------
// uploading (the rules: evaluation/runUpload.ts)

/**
 * Stores the NDJSON `chunks` as the run `run` of `slug`.
 * @throws DomainError 400 (problems, line-numbered; nothing stored), 409 (the name is taken), 413 (too large)
 */
export async function uploadRun(slug: string, run: string, chunks: AsyncIterable<Uint8Array>, options: UploadOptions): Promise<UploadResult> {
	checkSlug(slug);
	checkRunName(run);
	const dir = predictionsDir(slug);
	const manifestFile = manifestPath(slug, run);
	if (fs.existsSync(manifestFile)) throw runExists(run);
	const lookup = await documentLookup(slug);
	await fsp.mkdir(dir, { recursive: true });
	const spansName = `${run}.${randomBytes(6).toString('hex')}.spans.jsonl`;
	const spansFile = path.join(dir, spansName);
	const temp = tempPathFor(spansFile);
	const handle = await fsp.open(temp, 'wx');
	let pending = '';
	const flush = async () => {
		if (pending === '') return;
		const out = pending;
		pending = '';
		await handle.writeFile(out);
	};
	let published = false;
	try {
		const checked = await keepCheckedLines(
			checkRunUpload(slug, chunks, { ...lookup, document: async (id) => getDocument(slug, id) }, options),
			async (_line, record: RunLine) => {
				pending += JSON.stringify(record) + '\n';
				if (pending.length >= 1 << 20) await flush();
			}
		);
		await flush();
		await handle.sync();
		await handle.close();
		if (!(await publishFileDurable(temp, spansFile))) throw new Error(`${spansFile} exists already`);
		published = true;
		const manifest = runManifest(checked, { run, dataset: slug, file: spansName }, options);
		const manifestTemp = tempPathFor(manifestFile);
		const mh = await fsp.open(manifestTemp, 'wx');
		try {
			await mh.writeFile(stableJson(manifest));
			await mh.sync();
		} finally {
			await mh.close();
		}
		if (!(await publishFileDurable(manifestTemp, manifestFile))) throw runExists(run);
		return { run, documents: checked.documents, spans: checked.spans, manifest };
	} catch (e) {
		if (published) {
			await fsp.rm(spansFile, { force: true });
			await fsyncDir(dir).catch(() => {});
		}
		throw e;
	} finally {
		await handle.close().catch(() => {});
		await fsp.rm(temp, { force: true });
	}
}
