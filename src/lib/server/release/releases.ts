/**
 * Releases: numbered, immutable JSONL snapshots of a dataset's annotations
 * (the record format is src/lib/release/record.ts, described in docs/jsonl.md).
 *
 *   <data>/<slug>/releases/v0001.jsonl           the records, one per line
 *   <data>/<slug>/releases/v0001.manifest.json   who, when, what, hashes, changes against the parent
 *
 * A release exists once its manifest exists. Both files are written to fsynced temp
 * files and published with link(), the JSONL first and the manifest last, so a crash
 * never leaves a half-written file under a release name and an existing file is never
 * replaced: a clash is a 409. Releases of one dataset are cut one at a time (lock);
 * two processes (server and CLI) racing for a version are kept apart by link().
 *
 * Before the JSONL is published, the manifest is written as `v0001.pending.json`: a
 * cut interrupted after that point (kill -9, a full disk) is finished from it, or rolled
 * back, by `recoverReleases` — at the next start and before every cut — so it never
 * blocks the next release. A JSONL without a manifest and without a pending manifest is
 * not provably ours (put there by hand): it is left alone, and the cut is a 409.
 *
 * Everything streams: records are built, serialized, hashed and written one annotation
 * set at a time; diffs and format conversions read the files line by line. Memory does
 * not grow with the dataset.
 *
 * No SvelteKit imports: `cutRelease` also runs from plain Node (scripts/release.ts, benches).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead } from '../auth/access';
import { badRequest, conflict, notFound, storageFault } from '../http/errors';
import { getDataset, withLabelChangeLock, iterateWork, type CorpusFilter, withLock, checkSlug, printable, SLUG_RE } from '../store';
import { finishPendingLabelChange } from '../datasets/datasets';
import { createFileDurable, fsyncDir, makeDirs, publishFileDurable, stableJson, tempPathFor } from '../store/file/durable';
import { releasesDir } from '../store/file/paths';
import { dataRoot } from '../config';
import { splitLines } from '../import/bytes';
import { relationTypesOf } from '../../model/relations';
import { reviewedSpans } from '../../suggest/settings';
import {
	buildRecord,
	compareRecords,
	compareCodeUnits,
	parseVersionName,
	parseVersionRef,
	serializeRecord,
	versionName,
	type ReleaseManifest,
	type ReleaseRecord,
	type ReleaseSource,
	type ReleaseTokenizer,
	type Unrepresentable
} from '../../release/record';
import { diffReleases, type ReleaseDiff } from '../../release/diff';
import { conllLosses, toConll, toDoccano, toProdigy } from '../../release/formats';
import { bratConf, bratPaths, toBratAnn, toDoccanoRelations, toLabelStudioTask } from '../../release/interchange';
import { Zip, ZipDeflate } from 'fflate';
import { WORD_DEFINITION, tokenizeWords, type WordTokens } from '../../text/words';
import { GOLD, type AnnotationSet } from '../../model/types';
import { dict } from '../../model/dict';

export const RELEASE_SOURCES = ['gold', 'annotators', 'all'] as const satisfies readonly ReleaseSource[];
export const RELEASE_FORMATS = ['jsonl', 'doccano', 'prodigy', 'conll', 'doccano-relations', 'brat', 'labelstudio'] as const;
export type ReleaseFormat = (typeof RELEASE_FORMATS)[number];

export const createReleaseSchema = z.object({
	source: z.enum(RELEASE_SOURCES),
	note: z.string().max(2000, 'the note is limited to 2000 characters').optional(),
	/** refuse (409, `unchanged`) when the release would hold the same records as the last one */
	ifChanged: z.boolean().optional()
});
export type CreateReleaseInput = z.infer<typeof createReleaseSchema>;

export const releaseFormatSchema = z.enum(RELEASE_FORMATS, {
	error: `format must be one of: ${RELEASE_FORMATS.join(', ')}`
});

// ---------------------------------------------------------------------------
// files

const MANIFEST_SUFFIX = '.manifest.json';
const PENDING_SUFFIX = '.pending.json';
const jsonlPath = (slug: string, version: number) => path.join(releasesDir(slug), `${versionName(version)}.jsonl`);
const manifestPath = (slug: string, version: number) =>
	path.join(releasesDir(slug), `${versionName(version)}${MANIFEST_SUFFIX}`);
const pendingPath = (slug: string, version: number) =>
	path.join(releasesDir(slug), `${versionName(version)}${PENDING_SUFFIX}`);

function isMissing(e: unknown): boolean {
	return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

async function exists(file: string): Promise<boolean> {
	try {
		await fsp.access(file);
		return true;
	} catch (e) {
		if (isMissing(e)) return false;
		throw e;
	}
}

/** Versions with a manifest (= complete releases), ascending. */
async function releasedVersions(slug: string): Promise<number[]> {
	let names: string[];
	try {
		names = await fsp.readdir(releasesDir(slug));
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
	const versions: number[] = [];
	for (const name of names) {
		if (!name.endsWith(MANIFEST_SUFFIX)) continue;
		const version = parseVersionName(name.slice(0, -MANIFEST_SUFFIX.length));
		if (version !== null) versions.push(version);
	}
	return versions.sort((a, b) => a - b);
}

async function readManifest(slug: string, version: number): Promise<ReleaseManifest> {
	try {
		return JSON.parse(await fsp.readFile(manifestPath(slug, version), 'utf8')) as ReleaseManifest;
	} catch (e) {
		if (isMissing(e)) throw notFound(`dataset "${slug}" has no release ${versionName(version)}`);
		throw e;
	}
}

async function fileSha256(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

function sameRelease(a: ReleaseManifest, b: ReleaseManifest): boolean {
	return stableJson(a) === stableJson(b);
}

export type ReleaseRecovery = { version: number; outcome: 'finished' | 'rolled back' | 'cleaned up' };

/**
 * Finishes or rolls back the cuts of `slug` that were interrupted after writing
 * their pending manifest (see the top of this file):
 *   manifest there           → the cut had finished: the pending file goes
 *   JSONL there, same sha256 → finished: the manifest is published from the pending one
 *   otherwise                → rolled back: the pending file goes (a JSONL that does
 *                              not match it is not ours, and stays)
 * Callers hold `releases:${slug}` (or run before the server takes requests).
 */
export async function recoverReleases(slug: string): Promise<ReleaseRecovery[]> {
	let names: string[];
	try {
		names = await fsp.readdir(releasesDir(slug));
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
	const done: ReleaseRecovery[] = [];
	for (const name of names.sort()) {
		if (!name.endsWith(PENDING_SUFFIX)) continue;
		const version = parseVersionName(name.slice(0, -PENDING_SUFFIX.length));
		if (version === null) continue;
		const pending = pendingPath(slug, version);
		let manifest: ReleaseManifest | null = null;
		try {
			manifest = JSON.parse(await fsp.readFile(pending, 'utf8')) as ReleaseManifest;
		} catch (e) {
			if (isMissing(e)) continue; // finished by another process meanwhile
			if (!(e instanceof SyntaxError)) throw e;
		}
		let outcome: ReleaseRecovery['outcome'];
		if (await exists(manifestPath(slug, version))) {
			outcome = 'cleaned up';
		} else if (manifest && (await exists(jsonlPath(slug, version))) && (await fileSha256(jsonlPath(slug, version))) === manifest.sha256) {
			const published = await createFileDurable(manifestPath(slug, version), stableJson(manifest));
			outcome = published ? 'finished' : 'cleaned up';
		} else {
			outcome = 'rolled back';
		}
		await fsp.rm(pending, { force: true });
		done.push({ version, outcome });
	}
	if (done.length > 0) await fsyncDir(releasesDir(slug));
	return done;
}

/** `recoverReleases` for every dataset in the data folder, at start (before any request). */
export async function recoverAllReleases(): Promise<Array<ReleaseRecovery & { slug: string }>> {
	let entries: fs.Dirent[];
	try {
		entries = await fsp.readdir(dataRoot(), { withFileTypes: true });
	} catch (e) {
		if (isMissing(e)) return [];
		throw e;
	}
	const all: Array<ReleaseRecovery & { slug: string }> = [];
	for (const entry of entries) {
		if (!entry.isDirectory() || !SLUG_RE.test(entry.name)) continue;
		try {
			for (const r of await withLock(`releases:${entry.name}`, () => recoverReleases(entry.name))) all.push({ slug: entry.name, ...r });
		} catch (e) {
			// a read-only or full disk must not keep the server from starting (and serving reads): the next cut tries again
			const fault = storageFault(e, `an interrupted release of "${entry.name}" is left as it is for now`);
			if (!fault) throw e;
			console.error(`spanlab: ${fault.message}`);
		}
	}
	return all;
}

/** Every release's manifest, newest first. */
export async function listReleases(slug: string): Promise<ReleaseManifest[]> {
	checkSlug(slug);
	const versions = await releasedVersions(slug);
	const manifests: ReleaseManifest[] = [];
	for (const v of versions.reverse()) manifests.push(await readManifest(slug, v));
	return manifests;
}

export async function getReleaseManifest(slug: string, version: number): Promise<ReleaseManifest> {
	checkSlug(slug);
	return readManifest(slug, version);
}

/** A release's records, parsed one line at a time from its file. */
export async function* readReleaseRecords(file: string): AsyncGenerator<ReleaseRecord> {
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
	for await (const line of splitLines(fs.createReadStream(file, { highWaterMark: 1 << 20 }))) {
		if (line.length > 0) yield JSON.parse(decoder.decode(line)) as ReleaseRecord;
	}
}

// ---------------------------------------------------------------------------
// cutting a release

/** Which annotation sets a source exports: gold with any saved revision; annotators' sets marked done. */
function exported(source: ReleaseSource, set: AnnotationSet): boolean {
	if (set.revision === 0) return false;
	if (set.annotator === GOLD) return source !== 'annotators';
	return source !== 'gold' && set.status === 'done';
}

/** A pre-filter on the in-memory summaries, so sets that cannot qualify are never read from disk. */
function corpusFilter(source: ReleaseSource): CorpusFilter {
	if (source === 'gold') return { annotator: (name) => name === GOLD, skipEmpty: true };
	if (source === 'annotators')
		return { annotator: (name) => name !== GOLD, status: (status) => status === 'done', skipEmpty: true };
	return { skipEmpty: true };
}

function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

interface WrittenRecords {
	records: number;
	spans: number;
	span_counts: Record<string, number>;
	relations: number;
	relation_counts: Record<string, number>;
	/** correction mode's spans still unreviewed, left out of the records */
	unreviewed_spans: number;
	sha256: string;
	unrepresentable: Unrepresentable;
}

/** The tokenizer of this runtime, as manifests record it. */
export function currentTokenizer(): ReleaseTokenizer {
	return { definition: WORD_DEFINITION, icu: process.versions.icu ?? null, unicode: process.versions.unicode ?? null };
}

function sameTokenizer(a: ReleaseTokenizer | undefined, b: ReleaseTokenizer): boolean {
	return !!a && a.definition === b.definition && a.icu === b.icu && a.unicode === b.unicode;
}

/** Adds what the exports of one record lose to `into`; `words` caches the tokens of the last text (records of a document follow each other). */
function countUnrepresentable(record: ReleaseRecord, into: Unrepresentable, words: { text: string | null; tokens?: WordTokens }): void {
	if (words.text !== record.text || !words.tokens) {
		words.tokens = tokenizeWords(record.text, words.tokens);
		words.text = record.text;
	}
	const { levels, lost } = conllLosses(record, words.tokens);
	into.conll_columns = Math.max(into.conll_columns, levels);
	into.conll_reasons.crossing += lost.crossing;
	into.conll_reasons.off_token_boundary += lost.off_token_boundary;
	into.conll_reasons.no_token += lost.no_token;
	into.conll_reasons.too_deep += lost.too_deep;
	into.conll += lost.crossing + lost.off_token_boundary + lost.no_token + lost.too_deep;
}

function noLosses(): Unrepresentable {
	return {
		jsonl: 0,
		doccano: 0,
		prodigy: 0,
		conll: 0,
		conll_reasons: { crossing: 0, off_token_boundary: 0, no_token: 0, too_deep: 0 },
		conll_columns: 1
	};
}

/** Streams the dataset's records into `file` (created, must not exist), hashing the bytes as they go. */
async function writeRecords(file: string, slug: string, version: number, source: ReleaseSource): Promise<WrittenRecords> {
	const handle = await fsp.open(file, 'wx');
	const hash = createHash('sha256');
	const counts = new Map<string, number>();
	const relationCounts = new Map<string, number>();
	let records = 0;
	let spans = 0;
	let relations = 0;
	let unreviewed = 0;
	const unrepresentable = noLosses();
	const words: { text: string | null; tokens?: WordTokens } = { text: null };
	let pending = '';
	let previous: ReleaseRecord | null = null;
	const flush = async () => {
		if (pending === '') return;
		const bytes = Buffer.from(pending, 'utf8');
		pending = '';
		hash.update(bytes);
		await handle.writeFile(bytes);
	};
	try {
		for await (const { document, sets } of iterateWork(slug, corpusFilter(source))) {
			const textSha256 = sha256Hex(document.text);
			for (const set of sets) {
				if (!exported(source, set)) continue;
				// correction mode (issue #18): a span still `unreviewed:` is the model's, not the annotator's
				// judgement; it is left out with its relations, and counted in the manifest
				const { spans: setSpans, relations: setRelations, left } = reviewedWork(set);
				unreviewed += left;
				const record = buildRecord({
					dataset: slug,
					version,
					doc_id: document.id,
					title: document.title,
					text: document.text,
					text_sha256: textSha256,
					meta: document.meta,
					annotator: set.annotator,
					status: set.status,
					revision: set.revision,
					updated_at: set.updated_at,
					spans: setSpans,
					relations: setRelations
				});
				// diffs merge-join on this order; iterateWork promises it, check rather than trust
				if (previous && compareRecords(previous, record) >= 0) {
					throw new Error(`release records out of order at ${record.doc_id}/${record.annotator}`);
				}
				previous = record;
				pending += serializeRecord(record);
				records++;
				spans += record.spans.length;
				for (const s of record.spans) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
				relations += record.relations.length;
				for (const r of record.relations) relationCounts.set(r.label, (relationCounts.get(r.label) ?? 0) + 1);
				countUnrepresentable(record, unrepresentable, words);
				if (pending.length >= 1 << 20) await flush();
			}
		}
		await flush();
		await handle.sync();
	} finally {
		await handle.close();
	}
	const span_counts = dict<number>();
	for (const label of [...counts.keys()].sort(compareCodeUnits)) span_counts[label] = counts.get(label)!;
	const relation_counts = dict<number>();
	for (const label of [...relationCounts.keys()].sort(compareCodeUnits)) relation_counts[label] = relationCounts.get(label)!;
	return { records, spans, span_counts, relations, relation_counts, unreviewed_spans: unreviewed, sha256: hash.digest('hex'), unrepresentable };
}

/** A set's spans and relations without correction mode's unreviewed spans (and the relations to them); `left` says how many spans went. */
export function reviewedWork(set: Pick<AnnotationSet, 'spans' | 'relations'>): { spans: AnnotationSet['spans']; relations: NonNullable<AnnotationSet['relations']>; left: number } {
	const spans = reviewedSpans(set.spans);
	const relations = set.relations ?? [];
	if (spans.length === set.spans.length) return { spans: set.spans, relations, left: 0 };
	const kept = new Set(spans.map((s) => s.id));
	return { spans, relations: relations.filter((r) => kept.has(r.from) && kept.has(r.to)), left: set.spans.length - spans.length };
}

const SOURCE_WORDS: Record<ReleaseSource, string> = {
	gold: 'no document has adjudicated (gold) annotations yet',
	annotators: 'no annotator has marked a document done yet',
	all: 'there is no gold annotation and no annotation set marked done yet'
};

export interface CutReleaseOptions {
	source: ReleaseSource;
	note?: string;
	createdBy: string;
	/** for tests and benches; default: now */
	now?: Date;
	/** refuse with 409 `{unchanged: "v0003"}` when nothing changed since the last release (the page asks first) */
	ifChanged?: boolean;
}

/**
 * Cuts the next release of `slug` and returns its manifest.
 * @throws DomainError 404 (no such dataset), 409 (the version's file already exists,
 * or there is nothing to release)
 */
export async function cutRelease(slug: string, options: CutReleaseOptions): Promise<ReleaseManifest> {
	checkSlug(slug);
	const { source } = createReleaseSchema.parse({ source: options.source, note: options.note });
	// One snapshot: no label change starts or runs while the labels and the work are read
	// (saves go on, each validated against these same labels; see withCurrentLabels).
	return withLock(`releases:${slug}`, () => withLabelChangeLock(slug, async () => {
		await finishPendingLabelChange(slug);
		const dataset = await getDataset(slug);
		await recoverReleases(slug); // a cut another process (the CLI) left halfway does not block this one
		// created here: removed again if this release is refused, so a refusal leaves the data folder as it was
		const createdDir = await makeDirs(releasesDir(slug));
		const released = await releasedVersions(slug);
		const parent = released.length > 0 ? released[released.length - 1] : null;
		const version = (parent ?? 0) + 1;
		const name = versionName(version);
		const target = jsonlPath(slug, version);
		const targetManifest = manifestPath(slug, version);
		const clash = () =>
			conflict(
				`release ${name} of "${slug}" already exists on disk (${name}.jsonl without a manifest: left by an ` +
					`interrupted release or put there by hand); releases are never overwritten — move the file away to continue`,
				{ version }
			);
		if ((await exists(target)) || (await exists(targetManifest))) throw clash();

		const temp = tempPathFor(target);
		try {
			const written = await writeRecords(temp, slug, version, source);
			if (written.records === 0) throw conflict(`nothing to release from source "${source}": ${SOURCE_WORDS[source]}`);
			// the locks make this impossible in one process; another process (a copy of the data folder
			// edited by hand, a tool that bypassed the server) could still break it, and releases are immutable
			const known = new Set(dataset.labels.map((l) => l.name));
			const unknown = Object.keys(written.span_counts).filter((label) => !known.has(label));
			if (unknown.length) {
				throw conflict(
					`release refused: spans use label(s) the dataset does not have (${unknown.map((l) => `"${printable(l)}"`).join(', ')}); nothing was published`
				);
			}
			const changes =
				parent === null
					? null
					: (await diffReleases(readReleaseRecords(jsonlPath(slug, parent)), readReleaseRecords(temp), { limit: 0 }))
							.summary;
			if (options.ifChanged && changes && changes.records.added + changes.records.removed + changes.records.changed === 0) {
				const last = versionName(parent!);
				throw conflict(`nothing changed since ${last}: a new release would hold the same records`, { unchanged: last });
			}
			const manifest: ReleaseManifest = {
				version,
				name,
				dataset: slug,
				created_at: (options.now ?? new Date()).toISOString(),
				created_by: options.createdBy,
				source,
				note: options.note ?? '',
				records: written.records,
				spans: written.spans,
				span_counts: written.span_counts,
				relations: written.relations,
				relation_counts: written.relation_counts,
				unreviewed_spans: written.unreviewed_spans,
				sha256: written.sha256,
				labels: dataset.labels,
				relation_types: relationTypesOf(dataset),
				guidelines_sha256: sha256Hex(dataset.guidelines ?? ''),
				parent,
				changes,
				tokenizer: currentTokenizer(),
				unrepresentable: written.unrepresentable
			};
			await publish(slug, version, temp, manifest, clash);
			return manifest;
		} finally {
			await fsp.rm(temp, { force: true });
			if (createdDir) await fsp.rmdir(releasesDir(slug)).catch(() => {}); // fails, as it should, once a release is in it
		}
	}));
}

/**
 * Publishes a cut: pending manifest, JSONL (from the fsynced `temp`), manifest,
 * then the pending manifest goes. A failure anywhere (a full disk, a clash) undoes
 * what this call published, so the release is all there or not at all; a kill
 * midway is finished or undone by `recoverReleases`.
 */
async function publish(slug: string, version: number, temp: string, manifest: ReleaseManifest, clash: () => Error): Promise<void> {
	const pending = pendingPath(slug, version);
	const target = jsonlPath(slug, version);
	if (!(await createFileDurable(pending, stableJson(manifest)))) {
		throw conflict(`release ${manifest.name} of "${slug}" is being cut by another process right now; try again`, { version });
	}
	let published = false;
	try {
		if (!(await publishFileDurable(temp, target))) throw clash();
		published = true;
		if (!(await createFileDurable(manifestPath(slug, version), stableJson(manifest)))) {
			// finished for us (another process ran recoverReleases on our pending manifest)?
			const existing = await readManifest(slug, version).catch(() => null);
			if (existing && sameRelease(existing, manifest)) return;
			throw conflict(`release ${manifest.name} of "${slug}" was created by someone else meanwhile; try again`, { version });
		}
	} catch (e) {
		if (published) await fsp.rm(target, { force: true }).catch(() => {}); // ours, published a moment ago
		throw e;
	} finally {
		await fsp.rm(pending, { force: true }).catch(() => {});
	}
}

// ---------------------------------------------------------------------------
// downloads and diffs

export interface ReleaseDownload {
	body: ReadableStream<Uint8Array>;
	contentType: string;
	filename: string;
	/** bytes, when known in advance (the stored JSONL) */
	size?: number;
	/** spans of the release this format does not hold (X-Spanlab-Unrepresentable-Spans) */
	unrepresentable: number;
	/** the tokenizer the conversion used, when it tokenises (X-Spanlab-Tokenizer) */
	tokenizer?: ReleaseTokenizer;
	/** the tokenizer of the runtime that cut the release, when it differs from `tokenizer` or was not recorded (X-Spanlab-Release-Tokenizer) */
	releaseTokenizer?: ReleaseTokenizer | null;
}

const FORMAT_FILES: Record<ReleaseFormat, { suffix: string; contentType: string }> = {
	jsonl: { suffix: '.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	doccano: { suffix: '.doccano.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	prodigy: { suffix: '.prodigy.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	conll: { suffix: '.conll', contentType: 'text/plain; charset=utf-8' },
	'doccano-relations': { suffix: '.doccano-relations.jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
	brat: { suffix: '.brat.zip', contentType: 'application/zip' },
	labelstudio: { suffix: '.labelstudio.json', contentType: 'application/json; charset=utf-8' }
};

/** The formats with relations and attributes (../release/interchange.ts): they hold every span of a release. */
type InterchangeFormat = 'doccano-relations' | 'brat' | 'labelstudio';
const isInterchange = (f: ReleaseFormat): f is InterchangeFormat => f === 'doccano-relations' || f === 'brat' || f === 'labelstudio';

/** Label Studio's export is one JSON array: its tasks, one a line, between "[" and "]". */
async function* labelStudioPieces(records: AsyncIterable<ReleaseRecord>): AsyncGenerator<string> {
	let n = 0;
	for await (const r of records) yield (n++ === 0 ? '[\n' : ',\n') + JSON.stringify(toLabelStudioTask(r, n));
	yield n === 0 ? '[]\n' : '\n]\n';
}

/**
 * A brat standoff zip, built as it streams: `annotation.conf` (the release's
 * label set and relation types), then `<annotator>/<doc_id>.txt` and `.ann`
 * per record. Each entry is deflated whole (records are one document each).
 */
async function* bratZip(records: AsyncIterable<ReleaseRecord>, manifest: ReleaseManifest): AsyncGenerator<Uint8Array> {
	const out: Uint8Array[] = [];
	let failure: Error | null = null;
	const zip = new Zip((err, chunk) => {
		if (err) failure = err;
		else out.push(chunk);
	});
	const encoder = new TextEncoder();
	const add = (name: string, text: string) => {
		const entry = new ZipDeflate(name, { level: 6 });
		zip.add(entry);
		entry.push(encoder.encode(text), true);
	};
	// none in releases cut before relations
	const relationTypes = manifest.relation_types ?? [];
	add('annotation.conf', bratConf(manifest.labels, relationTypes));
	const drain = function* () {
		if (failure) throw failure;
		while (out.length) yield out.shift()!;
	};
	yield* drain();
	for await (const r of records) {
		const paths = bratPaths(r);
		add(paths.txt, r.text);
		add(paths.ann, toBratAnn(r));
		yield* drain();
	}
	zip.end();
	yield* drain();
}

/** A pull-based byte stream over byte chunks; cancelling stops the source. */
function byteStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
	const it = chunks[Symbol.asyncIterator]();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { value, done } = await it.next();
			if (done) controller.close();
			else controller.enqueue(value);
		},
		async cancel() {
			await it.return?.(undefined);
		}
	});
}

function interchangeBody(format: InterchangeFormat, file: string, manifest: ReleaseManifest): ReadableStream<Uint8Array> {
	const records = readReleaseRecords(file);
	if (format === 'brat') return byteStream(bratZip(records, manifest));
	if (format === 'labelstudio') return textStream(labelStudioPieces(records));
	return textStream(convert(records, toDoccanoRelations));
}

const CONVERTERS: Record<Exclude<ReleaseFormat, 'jsonl' | InterchangeFormat>, (r: ReleaseRecord, losses: Unrepresentable) => string> = {
	doccano: toDoccano,
	prodigy: toProdigy,
	conll: (r, losses) => toConll(r, losses.conll_columns).lines
};

/**
 * What the exports of a release lose, from its manifest when this runtime
 * tokenises as the one that cut it, otherwise counted again from the file
 * (one streaming pass: releases cut before the counts were recorded, or
 * after an ICU or word-definition change).
 */
async function unrepresentableOf(manifest: ReleaseManifest, file: string): Promise<Unrepresentable> {
	if (manifest.unrepresentable && sameTokenizer(manifest.tokenizer, currentTokenizer())) return manifest.unrepresentable;
	const losses = noLosses();
	const words: { text: string | null; tokens?: WordTokens } = { text: null };
	for await (const record of readReleaseRecords(file)) countUnrepresentable(record, losses, words);
	return losses;
}

async function* convert(records: AsyncIterable<ReleaseRecord>, fn: (r: ReleaseRecord) => string): AsyncGenerator<string> {
	for await (const r of records) yield fn(r);
}

/** A pull-based byte stream over text pieces, batched into chunks of ~64 KiB; cancelling stops the source. */
function textStream(pieces: AsyncIterable<string>): ReadableStream<Uint8Array> {
	const it = pieces[Symbol.asyncIterator]();
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			let chunk = '';
			while (chunk.length < 64 * 1024) {
				const { value, done } = await it.next();
				if (done) {
					if (chunk) controller.enqueue(encoder.encode(chunk));
					controller.close();
					return;
				}
				chunk += value;
			}
			controller.enqueue(encoder.encode(chunk));
		},
		async cancel() {
			await it.return?.(undefined);
		}
	});
}

/** The stored JSONL as it is, or converted to another format line by line. */
export async function openRelease(slug: string, version: number, format: ReleaseFormat = 'jsonl'): Promise<ReleaseDownload> {
	const manifest = await getReleaseManifest(slug, version);
	const { suffix, contentType } = FORMAT_FILES[format];
	const filename = `${slug}-${manifest.name}${suffix}`;
	const file = jsonlPath(slug, version);
	if (!(await exists(file))) throw notFound(`the file of release ${manifest.name} is missing on the server`);
	if (isInterchange(format)) return { body: interchangeBody(format, file, manifest), contentType, filename, unrepresentable: 0 };
	if (format !== 'jsonl') {
		const losses = format === 'conll' ? await unrepresentableOf(manifest, file) : noLosses();
		const converter = CONVERTERS[format];
		const body = textStream(convert(readReleaseRecords(file), (r) => converter(r, losses)));
		const tokenizer = format === 'doccano' ? undefined : currentTokenizer();
		const download: ReleaseDownload = { body, contentType, filename, unrepresentable: losses[format], tokenizer };
		if (tokenizer && !sameTokenizer(manifest.tokenizer, tokenizer)) download.releaseTokenizer = manifest.tokenizer ?? null;
		return download;
	}
	const handle = await fsp.open(file, 'r');
	const { size } = await handle.stat();
	const body = Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
	return { body, contentType, filename, size, unrepresentable: 0 };
}

type ReleaseHead = Pick<ReleaseManifest, 'version' | 'name' | 'created_at' | 'created_by' | 'source' | 'note'> & {
	/** null for releases cut before the tokenizer was recorded */
	tokenizer: ReleaseTokenizer | null;
};

export interface ReleaseComparison extends ReleaseDiff {
	a: ReleaseHead;
	b: ReleaseHead;
	/**
	 * Whether the two releases' token indices (Prodigy, CoNLL) come from the same
	 * word definition, ICU and Unicode versions: false when they differ, null when
	 * either release did not record its tokenizer.
	 */
	same_tokenizer: boolean | null;
}

function releaseHead(m: ReleaseManifest): ReleaseHead {
	return {
		version: m.version,
		name: m.name,
		created_at: m.created_at,
		created_by: m.created_by,
		source: m.source,
		note: m.note,
		tokenizer: m.tokenizer ?? null
	};
}

/** What changed from release `a` to release `b` (either order), streaming both files. */
export async function compareReleases(slug: string, a: number, b: number, limit = 1000): Promise<ReleaseComparison> {
	const [ma, mb] = [await getReleaseManifest(slug, a), await getReleaseManifest(slug, b)];
	const diff = await diffReleases(readReleaseRecords(jsonlPath(slug, a)), readReleaseRecords(jsonlPath(slug, b)), { limit });
	const same_tokenizer = ma.tokenizer && mb.tokenizer ? sameTokenizer(ma.tokenizer, mb.tokenizer) : null;
	return { a: releaseHead(ma), b: releaseHead(mb), same_tokenizer, ...diff };
}

// ---------------------------------------------------------------------------
// use cases behind the API and pages: dataset leads only

function versionOf(ref: string): number {
	const version = parseVersionRef(ref);
	if (version === null) throw badRequest(`invalid release version "${printable(ref)}": use a number like 3 or a name like v0003`);
	return version;
}

export async function releasesFor(user: SessionUser | null, slug: string): Promise<ReleaseManifest[]> {
	await requireDatasetLead(user, slug);
	return listReleases(slug);
}

export async function createReleaseAs(user: SessionUser | null, slug: string, input: CreateReleaseInput): Promise<ReleaseManifest> {
	const access = await requireDatasetLead(user, slug);
	return cutRelease(slug, { source: input.source, note: input.note, ifChanged: input.ifChanged, createdBy: access.user.username });
}

export async function releaseManifestFor(user: SessionUser | null, slug: string, ref: string): Promise<ReleaseManifest> {
	await requireDatasetLead(user, slug);
	return getReleaseManifest(slug, versionOf(ref));
}

export async function downloadReleaseFor(
	user: SessionUser | null,
	slug: string,
	ref: string,
	format: string | null
): Promise<ReleaseDownload> {
	await requireDatasetLead(user, slug);
	return openRelease(slug, versionOf(ref), releaseFormatSchema.parse(format ?? 'jsonl'));
}

const diffLimitSchema = z.coerce.number().int().min(0).max(100_000).default(1000);

export async function compareReleasesFor(
	user: SessionUser | null,
	slug: string,
	a: string,
	b: string,
	limit: string | null
): Promise<ReleaseComparison> {
	await requireDatasetLead(user, slug);
	return compareReleases(slug, versionOf(a), versionOf(b), diffLimitSchema.parse(limit ?? undefined));
}
