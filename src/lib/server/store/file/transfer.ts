/**
 * The file store's side of `npm run migrate-store` (../transfer/): a dataset
 * record, documents and prediction runs written exactly as another store read
 * them (TransferRepository in ../types.ts), and a look at what a folder holds
 * before anything is copied into it or out of it.
 *
 * The writes are the ones the domain's own paths make (durable: temp file,
 * fsync, rename or link, folder fsync), minus what those paths decide: a
 * creation time, a position, a run's file name and hash.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { conflict } from '../../http/errors';
import { checkRunName, runExists, type RunLine } from '../../evaluation/runUpload';
import { withLock } from './mutex';
import { createFileDurable, publishFileDurable, stableJson, tempPathFor } from './durable';
import { writeFilesDurable } from './durableBatch';
import { checkSlug, datasetFile, documentFile } from './paths';
import { getDataset, resetDatasetCache } from './datasets';
import { getRunManifest, predictionsDir, readRunLines } from './predictions';
import { forgetIndex } from './search';
import { LOCK_FILE } from './dataLock';
import type { DatasetRecord, StoredDocument } from '../../../model/dataset';
import type { RunManifest, TransferRepository } from '../types';

/** Documents written (and fsynced) together, as addDocuments does. */
const BATCH = 256;

/** A run's spans file as named in its manifest: a plain name in the run's folder, nothing that reaches out of it. */
const SPANS_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.spans\.jsonl$/;

/** Names of the data folder that are not data (the running writer's lock and socket). */
const NOT_DATA = new Set([LOCK_FILE, 'spanlab.sock', `${LOCK_FILE}.takeover`]);

/** The file store's key order of a document (what addDocuments writes). */
function documentOf(d: StoredDocument): StoredDocument {
	return { id: d.id, title: d.title, text: d.text, meta: d.meta, sha256: d.sha256, created_at: d.created_at, position: d.position };
}

export const fileTransfer: TransferRepository = {
	async restoreDataset(record: DatasetRecord): Promise<void> {
		const slug = checkSlug(record.slug);
		await withLock(`dataset:${slug}`, async () => {
			if (!(await createFileDurable(datasetFile(slug), stableJson(record)))) throw conflict(`dataset "${slug}" already exists`);
		});
	},

	async restoreDocuments(slug, docs) {
		await getDataset(slug);
		return withLock(`documents:${slug}`, async () => {
			let written = 0;
			let batch: StoredDocument[] = [];
			const ids = new Set<string>();
			const flush = async () => {
				await writeFilesDurable(batch.map((d) => ({ file: documentFile(slug, d.id), data: stableJson(documentOf(d)) })));
				written += batch.length;
				batch = [];
				ids.clear();
			};
			try {
				for await (const doc of docs) {
					if (ids.has(doc.id) || fs.existsSync(documentFile(slug, doc.id))) {
						await flush();
						throw conflict(`document id "${doc.id}" already exists in dataset "${slug}"`);
					}
					ids.add(doc.id);
					batch.push(doc);
					if (batch.length >= BATCH) await flush();
				}
				await flush();
			} finally {
				// the document index and the search index are read again from the files
				resetDatasetCache();
				forgetIndex(slug);
			}
			return written;
		});
	},

	async *runLines(slug, run) {
		const manifest = await getRunManifest(slug, run);
		yield* readRunLines(path.join(predictionsDir(slug), path.basename(manifest.file)));
	},

	async restoreRun(slug: string, manifest: RunManifest, lines: AsyncIterable<RunLine>): Promise<void> {
		checkSlug(slug);
		const run = checkRunName(manifest.run);
		await getDataset(slug);
		if (!SPANS_FILE_RE.test(manifest.file)) throw new Error(`run "${run}": its manifest names the spans file "${manifest.file}", not a plain file name`);
		const dir = predictionsDir(slug);
		const manifestFile = path.join(dir, `${run}.run.json`);
		if (fs.existsSync(manifestFile)) throw runExists(run);
		await fsp.mkdir(dir, { recursive: true });
		const spansFile = path.join(dir, manifest.file);
		const temp = tempPathFor(spansFile);
		const handle = await fsp.open(temp, 'wx');
		try {
			let pending = '';
			for await (const line of lines) {
				pending += JSON.stringify(line) + '\n';
				if (pending.length >= 1 << 20) {
					await handle.writeFile(pending);
					pending = '';
				}
			}
			await handle.writeFile(pending);
			await handle.sync();
		} catch (e) {
			await handle.close().catch(() => {});
			await fsp.rm(temp, { force: true });
			throw e;
		}
		await handle.close();
		if (!(await publishFileDurable(temp, spansFile))) throw conflict(`run "${run}": its spans file ${manifest.file} exists already`);
		// the manifest last: a run exists once its manifest does
		if (!(await createFileDurable(manifestFile, stableJson(manifest)))) {
			await fsp.rm(spansFile, { force: true });
			throw runExists(run);
		}
	}
};

/**
 * What a folder holds, for the tool's refusals: `missing`; `empty` (nothing but
 * a lock or socket of a writer); `data` (accounts or a dataset); `other`
 * (files, but none spanlab keeps).
 */
export function describeFolder(root: string): 'missing' | 'empty' | 'data' | 'other' {
	let entries: string[];
	try {
		entries = fs.readdirSync(root);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
		throw e;
	}
	const rest = entries.filter((name) => !NOT_DATA.has(name));
	if (rest.length === 0) return 'empty';
	if (fs.existsSync(path.join(root, '_system'))) return 'data';
	return rest.some((name) => fs.existsSync(path.join(root, name, 'dataset.json'))) ? 'data' : 'other';
}
