/**
 * Datasets and their documents.
 *
 * Layout (one file per document, so saving or adding one never rewrites the corpus):
 *   <data>/<slug>/dataset.json              title, labels, guidelines, members, assignments
 *   <data>/<slug>/documents/<id>.json       { id, title, text, meta, sha256, created_at, position }
 * The document headers are in the dataset's persistent index (datasetIndex.ts),
 * opened on first use of a dataset. Both the record and the index notice when
 * another process (`npm run import`) has changed the files, and are read again.
 */
import fs from 'node:fs/promises';
import { Low } from 'lowdb';
import { DurableJSONFile, writeFileDurable, stableJson } from './durable';
import { writeFilesDurable } from './durableBatch';
import { withExclusiveLock, withLock, withSharedLock } from './mutex';
import { dataRoot } from '../../config';
import { documentsChanged, headerOf, openIndex, resetIndexes, stampOf, type DatasetIndex, type IndexChange } from './datasetIndex';
import { badRequest, conflict, notFound } from '../../http/errors';
import { checkSlug, datasetFile, documentFile, documentsDir, SLUG_RE } from './paths';
import { defaultRelationTypes } from '../../../model/relations';
import { DEFAULT_LABELS, type Label } from '../../../model/types';
import type { DatasetRecord, DocumentHeader, NewDataset, NewDocument, StoredDocument } from '../../../model/dataset';
import { lookAlikeMessage, lookAlikeOf } from '../../../model/names';



export type { DatasetRecord, DocumentHeader, NewDataset, NewDocument, StoredDocument };

const datasets = new Map<string, { db: Low<DatasetRecord>; stamp: string }>();

/** Forget cached state (tests and the data-root switch use this). */
export function resetDatasetCache(): void {
	datasets.clear();
	resetIndexes();
}

/**
 * Writes of this process per slug, counted when one begins and when it ends. A
 * read (outside the dataset lock) reads into an object of its own and puts it in
 * the cache only if no write began or ended meanwhile: a read that found the file
 * before a write landed must not make the cache (and the next change built on it)
 * the older record again.
 */
const writes = new Map<string, number>();

async function openDataset(slug: string): Promise<Low<DatasetRecord> | null> {
	checkSlug(slug);
	const generation = writes.get(slug) ?? 0;
	const stamp = await stampOf(datasetFile(slug));
	const cached = datasets.get(slug);
	if (cached?.stamp === stamp) return cached.db;
	const db = new Low<DatasetRecord>(new DurableJSONFile(datasetFile(slug)), null as unknown as DatasetRecord);
	await db.read();
	const settled = (writes.get(slug) ?? 0) === generation;
	if (!db.data) {
		if (settled) datasets.delete(slug);
		return null;
	}
	if (settled) datasets.set(slug, { db, stamp });
	return db;
}

export async function getDataset(slug: string): Promise<DatasetRecord> {
	const db = await openDataset(slug);
	if (!db) throw notFound(`no dataset "${slug}"`);
	return db.data;
}

export async function datasetExists(slug: string): Promise<boolean> {
	return SLUG_RE.test(slug) && (await openDataset(slug).catch(() => null)) !== null;
}

export async function listDatasets(): Promise<DatasetRecord[]> {
	let entries: string[] = [];
	try {
		entries = await fs.readdir(dataRoot());
	} catch {
		return [];
	}
	const result: DatasetRecord[] = [];
	for (const name of entries.sort()) {
		if (!SLUG_RE.test(name) || name === 'samples') continue;
		const db = await openDataset(name).catch(() => null);
		if (db) result.push(db.data);
	}
	return result;
}

export async function createDataset(input: NewDataset): Promise<DatasetRecord> {
	const slug = checkSlug(input.slug);
	return withLock(`dataset:${slug}`, async () => {
		if (await openDataset(slug)) throw conflict(`dataset "${slug}" already exists`);
		const record: DatasetRecord = {
			slug,
			title: input.title,
			description: input.description ?? '',
			created_at: new Date().toISOString(),
			created_by: input.createdBy,
			labels: input.labels ?? DEFAULT_LABELS,
			// the default relation type joins default labels: kept when the dataset has them
			relationTypes: input.relationTypes ?? defaultRelationTypes(input.labels ?? DEFAULT_LABELS),
			guidelines: input.guidelines ?? '',
			members: {},
			assignments: null,
			version: 1
		};
		await writeFileDurable(datasetFile(slug), stableJson(record));
		datasets.delete(slug);
		return (await getDataset(slug));
	});
}

/** Apply a change to a dataset record and save it durably. */
export async function updateDataset<T>(slug: string, fn: (d: DatasetRecord) => T): Promise<T> {
	return withLock(`dataset:${slug}`, async () => {
		const db = await openDataset(slug);
		if (!db) throw notFound(`no dataset "${slug}"`);
		// work on a copy so a throwing change leaves the cached record untouched
		const draft = structuredClone(db.data);
		const result = fn(draft);
		draft.version = (db.data.version ?? 0) + 1;
		const before = db.data;
		writes.set(slug, (writes.get(slug) ?? 0) + 1);
		db.data = draft;
		try {
			await db.write();
		} catch (e) {
			db.data = before; // not written (a full disk): the cached record stays what the file says
			throw e;
		} finally {
			writes.set(slug, (writes.get(slug) ?? 0) + 1);
		}
		datasets.set(slug, { db, stamp: await stampOf(datasetFile(slug)) });
		return result;
	});
}

// ---- label locks
//
// Whatever is checked against the label set must be checked against the label set
// that holds when it is written. Two locks per dataset, in one process:
//  - `labels:<slug>` (readers–writer): a save of annotations holds it shared from
//    reading the labels it validates against until its set is written; writing a
//    new label set holds it exclusive. So no save is ever between "validated" and
//    "written" while the labels change, and any save after the change sees the new
//    labels (a rename's rewrite of the existing work then finds every old name).
//  - `label-change:<slug>` (exclusive): one label change at a time, from the check
//    of the base version to the end of its rewrite; a release holds it while it
//    reads, so a release never sees a label change halfway.

/** Runs `fn` with the dataset's current label names, which cannot change until `fn` settles. */
export async function withCurrentLabels<T>(slug: string, fn: (labelNames: string[], dataset: DatasetRecord) => Promise<T>): Promise<T> {
	checkSlug(slug);
	return withSharedLock(`labels:${slug}`, async () => {
		const dataset = await getDataset(slug);
		return fn(dataset.labels.map((l) => l.name), dataset);
	});
}

/** `updateDataset` for a change of the label set: waits for the saves validated against the old one. */
export async function updateDatasetLabels<T>(slug: string, fn: (d: DatasetRecord) => T): Promise<T> {
	checkSlug(slug);
	return withExclusiveLock(`labels:${slug}`, () => updateDataset(slug, fn));
}

/** One label change (or one release's reading of the labels and the work) at a time per dataset. */
export async function withLabelChangeLock<T>(slug: string, fn: () => Promise<T>): Promise<T> {
	checkSlug(slug);
	return withLock(`label-change:${slug}`, fn);
}

// ---- documents

/**
 * The dataset's index, after a look at the documents folder's stamp (one stat):
 * a folder changed by someone else (another process, a hand) is read again for
 * the documents it gained or lost.
 */
async function documentIndex(slug: string): Promise<DatasetIndex> {
	checkSlug(slug);
	const index = await openIndex(slug);
	if (index.writers > 0 || index.docsStamp === (await stampOf(documentsDir(slug)))) return index;
	return withLock(`documents:${slug}`, async () => {
		if (index.docsStamp === (await stampOf(documentsDir(slug)))) return index;
		const changes = await documentsChanged(slug, index);
		try {
			const ticket = await index.intend(changes);
			await ticket.durable;
			index.settle(ticket, changes);
		} catch (e) {
			console.error(`spanlab: index of ${slug}: documents found on disk not logged (${(e as Error).message})`);
		}
		return index;
	});
}

export async function listDocumentHeaders(slug: string): Promise<DocumentHeader[]> {
	return (await documentIndex(slug)).ordered;
}

/** Each document's meta, by id (the document list's `meta.<key>` filters), from the index. */
export async function listDocumentMetas(slug: string): Promise<Map<string, Record<string, unknown>>> {
	return (await documentIndex(slug)).metas;
}

export async function getDocument(slug: string, id: string): Promise<StoredDocument> {
	const index = await documentIndex(slug);
	if (!index.docs.has(id)) throw notFound(`no document "${id}" in dataset "${slug}"`);
	return JSON.parse(await fs.readFile(documentFile(slug, id), 'utf8')) as StoredDocument;
}

export async function hasDocument(slug: string, id: string): Promise<boolean> {
	return (await documentIndex(slug)).docs.has(id);
}

export async function findDocumentBySha(slug: string, sha: string): Promise<string | undefined> {
	return (await documentIndex(slug)).bySha.get(sha);
}

/** For checking many documents at once (an import's validation): the dataset's texts and ids as they are now. */
export async function documentLookup(
	slug: string
): Promise<{ idOfText: (sha: string) => string | undefined; hasId: (id: string) => boolean }> {
	const index = await documentIndex(slug);
	return { idOfText: (sha) => index.bySha.get(sha), hasId: (id) => index.docs.has(id) };
}


/** Documents written (and fsynced) together by `addDocuments`. */
const ADD_BATCH = 256;

/**
 * Add documents; those whose text already exists (same sha256) are skipped.
 * The caller has validated every document first (imports are all-or-nothing).
 * Documents are written durably in batches; all are on disk when this returns.
 */
export async function addDocuments(
	slug: string,
	docs: Iterable<NewDocument> | AsyncIterable<NewDocument>
): Promise<{ imported: string[]; duplicates: number }> {
	await getDataset(slug);
	return withLock(`documents:${slug}`, async () => {
		const index = await documentIndex(slug);
		index.writers++;
		try {
			return await addToDataset(slug, index, docs);
		} finally {
			index.writers--;
			// the folder as our writes left it: a change after this is someone else's
			index.correct([{ docsStamp: await stampOf(documentsDir(slug)) }]);
		}
	});
}

/**
 * Adds to the dataset's folder and index; the caller holds the documents lock.
 * Each batch's headers go to the index log (fsync) before its files are written.
 */
async function addToDataset(
	slug: string,
	index: DatasetIndex,
	docs: Iterable<NewDocument> | AsyncIterable<NewDocument>
): Promise<{ imported: string[]; duplicates: number }> {
	const imported: string[] = [];
	let duplicates = 0;
	const now = new Date().toISOString();
	let batch: StoredDocument[] = [];
	const batchShas = new Set<string>();
	const batchIds = new Set<string>();
	const flush = async () => {
		if (batch.length === 0) return;
		const changes: IndexChange[] = batch.map((d) => ({ doc: [headerOf(d), d.meta] }));
		const ticket = await index.intend(changes);
		try {
			await ticket.durable;
			await writeFilesDurable(batch.map((d) => ({ file: documentFile(slug, d.id), data: stableJson(d) })));
		} catch (e) {
			// none written, or a prefix renamed into place: what the folder holds now
			await index.abandon(ticket, () => documentsChanged(slug, index));
			throw e;
		}
		index.settle(ticket, changes);
		for (const stored of batch) imported.push(stored.id);
		batch = [];
		batchShas.clear();
		batchIds.clear();
	};
	for await (const doc of docs) {
		if (index.bySha.has(doc.sha256) || batchShas.has(doc.sha256)) {
			duplicates++;
			continue;
		}
		if (index.docs.has(doc.id) || batchIds.has(doc.id)) {
			await flush();
			throw conflict(`document id "${doc.id}" already exists with a different text`);
		}
		batch.push({
			id: doc.id,
			title: doc.title,
			text: doc.text,
			meta: doc.meta,
			sha256: doc.sha256,
			created_at: now,
			position: index.nextPosition + batch.length
		});
		batchShas.add(doc.sha256);
		batchIds.add(doc.id);
		if (batch.length >= ADD_BATCH) await flush();
	}
	await flush();
	return { imported, duplicates };
}

/**
 * A label set as a whole: names and keys unique, and no new name that reads like
 * another label of the set (`previous`: the set it replaces; pairs it already had
 * are left alone, so old data stays editable).
 */
export function validateLabels(labels: Label[], previous: Label[] = []): Label[] {
	const names = new Set<string>();
	const keys = new Set<string>();
	for (const label of labels) {
		if (names.has(label.name)) throw badRequest(`label "${label.name}" appears twice`);
		if (label.key && keys.has(label.key)) throw badRequest(`key "${label.key}" is used by two labels`);
		names.add(label.name);
		if (label.key) keys.add(label.key);
	}
	if (labels.length === 0) throw badRequest('a dataset needs at least one label');
	const kept = new Set(previous.map((l) => l.name).filter((name) => names.has(name)));
	labels.forEach((label, i) => {
		if (kept.has(label.name)) return;
		// the label it is taken for: one the set keeps, else one listed before it
		const twin = lookAlikeOf(label.name, [...kept, ...labels.slice(0, i).map((l) => l.name)]);
		if (twin !== undefined) throw badRequest(lookAlikeMessage('label', label.name, twin));
	});
	for (const label of labels) validateAttributeNames(label, previous.find((l) => l.name === label.name));
	return labels;
}

/** Attribute names of one label read as distinct names (`Value` beside `value` is refused), as label names; pairs a label already had are left alone. */
function validateAttributeNames(label: Label, previous: Label | undefined): void {
	const attributes = label.attributes ?? [];
	const names = new Set(attributes.map((a) => a.name));
	const kept = new Set((previous?.attributes ?? []).map((a) => a.name).filter((name) => names.has(name)));
	attributes.forEach((a, i) => {
		if (kept.has(a.name)) return;
		const twin = lookAlikeOf(a.name, [...kept, ...attributes.slice(0, i).map((b) => b.name)]);
		if (twin !== undefined) throw badRequest(`label "${label.name}": ${lookAlikeMessage('attribute', a.name, twin)}`);
	});
}
