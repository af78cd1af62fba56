/**
 * Releases: numbered, immutable JSONL snapshots of a dataset's annotations
 * (the record format is src/lib/release/record.ts, described in docs/jsonl.md).
 * What goes into one is decided here; the store keeps the bytes and publishes
 * them all or nothing (store/types.ts ReleaseRepository; on disk,
 * the file store's releases.ts). Downloads and comparisons: ./downloads.ts.
 *
 * Releases of one dataset are cut one at a time (`store.releases.exclusive`), and
 * no label change runs while one is read. A cut another process left halfway is
 * finished or rolled back before the next one (`store.releases.recover`).
 *
 * Everything streams: records are built, serialized, hashed and written one annotation
 * set at a time; diffs and format conversions read the records line by line. Memory does
 * not grow with the dataset.
 *
 * No SvelteKit imports: `cutRelease` also runs from plain Node (scripts/release.ts, benches).
 */
import { z } from 'zod';
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead, settle, type Later } from '../auth/access';
import { badRequest, conflict } from '../http/errors';
import { checkSlug, getDataset, iterateWork, printable, store, withLabelChangeLock, type CorpusFilter, type ReleaseDraft } from '../store';
import { finishPendingLabelChange } from '../datasets/datasets';
import { sha256Hasher, sha256Hex } from '../sha256';
import { relationTypesOf } from '../../model/relations';
import { reviewedSpans } from '../../suggest/settings';
import {
	buildRecord,
	compareRecords,
	compareCodeUnits,
	parseVersionRef,
	serializeRecord,
	versionName,
	type ReleaseManifest,
	type ReleaseRecord,
	type ReleaseSource,
	type Unrepresentable
} from '../../release/record';
import { diffReleases } from '../../release/diff';
import type { WordTokens } from '../../text/words';
import { GOLD, type AnnotationSet } from '../../model/types';
import { dict } from '../../model/dict';
import { countUnrepresentable, currentTokenizer, noLosses } from './losses';
import { compareReleases, openRelease, type ReleaseComparison, type ReleaseDownload } from './downloads';

export { currentTokenizer } from './losses';
export { compareReleases, openRelease, type ReleaseComparison, type ReleaseDownload } from './downloads';
export type { ReleaseRecovery } from '../store';

/** Every release's manifest, newest first. */
export const listReleases = (slug: string): Promise<ReleaseManifest[]> => store.releases.list(slug);
export const getReleaseManifest = (slug: string, version: number): Promise<ReleaseManifest> => store.releases.manifest(slug, version);
/** Publishes a crash interrupted, of one dataset, finished or rolled back (callers are inside `store.releases.exclusive`, or before any request). */
export const recoverReleases = (slug: string) => store.releases.recover(slug);
/** `recoverReleases` for every dataset, at start (before any request). */
export const recoverAllReleases = () => store.releases.recoverAll();

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

/** Streams the dataset's records into `draft`, hashing the bytes as they go; the draft is finished (durable) when this returns. */
async function writeRecords(draft: ReleaseDraft, slug: string, version: number, source: ReleaseSource): Promise<WrittenRecords> {
	const hash = sha256Hasher();
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
		await draft.write(bytes);
	};
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
	await draft.finish();
	const span_counts = dict<number>();
	for (const label of [...counts.keys()].sort(compareCodeUnits)) span_counts[label] = counts.get(label)!;
	const relation_counts = dict<number>();
	for (const label of [...relationCounts.keys()].sort(compareCodeUnits)) relation_counts[label] = relationCounts.get(label)!;
	return { records, spans, span_counts, relations, relation_counts, unreviewed_spans: unreviewed, sha256: hash.hex(), unrepresentable };
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
	return store.releases.exclusive(slug, () => withLabelChangeLock(slug, async () => {
		await finishPendingLabelChange(slug);
		const dataset = await getDataset(slug);
		await store.releases.recover(slug); // a cut another process (the CLI) left halfway does not block this one
		const released = await store.releases.versions(slug);
		const parent = released.length > 0 ? released[released.length - 1] : null;
		const version = (parent ?? 0) + 1;
		const name = versionName(version);
		// a conflict when anything of this version is there already (releases are never overwritten)
		const draft = await store.releases.draft(slug, version);
		try {
			const written = await writeRecords(draft, slug, version, source);
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
					: (await diffReleases(await store.releases.records(slug, parent), draft.records(), { limit: 0 }))
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
			await store.releases.publish(slug, draft, manifest);
			return manifest;
		} finally {
			await draft.discard(); // a refused release leaves the store as it was; a published one stays
		}
	}));
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
	return store.releases.list(slug);
}

export async function createReleaseAs(user: SessionUser | null, slug: string, body: CreateReleaseInput | Later<CreateReleaseInput>): Promise<ReleaseManifest> {
	const access = await requireDatasetLead(user, slug);
	const input = await settle(body);
	return cutRelease(slug, { source: input.source, note: input.note, ifChanged: input.ifChanged, createdBy: access.user.username });
}

export async function releaseManifestFor(user: SessionUser | null, slug: string, ref: string): Promise<ReleaseManifest> {
	await requireDatasetLead(user, slug);
	return store.releases.manifest(slug, versionOf(ref));
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
