/**
 * The file store: the seam's interfaces (../types.ts) over the data folder
 * (config.dataRoot()). The only code of the server that reads or writes the data
 * folder; its modules are private to it (the rest of the server imports ../index.ts).
 */
import fs from 'node:fs/promises';
import {
	addDocuments,
	createDataset,
	datasetExists,
	documentLookup,
	findDocumentBySha,
	getDataset,
	getDocument,
	hasDocument,
	listDatasets,
	listDocumentHeaders,
	resetDatasetCache,
	updateDataset,
	updateDatasetLabels,
	withCurrentLabels,
	withLabelChangeLock
} from './datasets';
import { importSources } from './importSources';
import { commitSet, datasetSummaries, importSetNames, importSetsOf, listRevisions, loadSet, pageRevisions, resetAnnotationCache } from './annotations';
import { iterateWork } from './corpus';
import { fileReleases } from './releases';
import { fileStaging } from './staging';
import { fileImportJournal } from './importJournal';
import {
	findSession,
	findToken,
	findUser,
	hasAnyUser,
	listTokens,
	listUsers,
	revokeSession,
	revokeSessionsOf,
	unsavedRevocations,
	updateSessions,
	updateUsers
} from './system';
import { readGazetteer, removeGazetteer, writeGazetteer } from './gazetteer';
import { getRunManifest, listRuns, loadRun, uploadRun } from './predictions';
import { memoryLoginFailures } from './loginFailures';
import { changeLabels } from './labelChange';
import { fileTransfer } from './transfer';
import { removeTempFiles } from './durable';
import { documentMeta, forgetIndex, indexAdded, resetSearchCache, searchDocuments } from './search';
import { dataRoot } from '../../config';
import type { Store } from '../types';

export function fileStore(): Store {
	return {
		datasets: {
			get: getDataset,
			exists: datasetExists,
			list: listDatasets,
			create: createDataset,
			update: updateDataset,
			withCurrentLabels,
			updateLabels: updateDatasetLabels,
			changeLabels,
			withLabelChangeLock
		},
		documents: {
			headers: listDocumentHeaders,
			get: getDocument,
			has: hasDocument,
			findBySha: findDocumentBySha,
			lookup: documentLookup,
			async addMany(slug, docs) {
				let result;
				try {
					result = await addDocuments(slug, docs);
				} catch (e) {
					// the documents before a conflict are kept: the next search rebuilds from the files
					forgetIndex(slug);
					throw e;
				}
				await indexAdded(slug, result.imported);
				return result;
			},
			search: searchDocuments,
			metas: documentMeta
		},
		sets: {
			load: (key) => loadSet(key.slug, key.docId, key.annotator),
			commit: commitSet,
			revisions: (key) => listRevisions(key.slug, key.docId, key.annotator),
			pageRevisions: (key, opts) => pageRevisions(key.slug, key.docId, key.annotator, opts),
			summaries: datasetSummaries,
			importSetsOf,
			importSetNames,
			importSources,
			iterateWork
		},
		releases: fileReleases,
		staging: fileStaging,
		imports: fileImportJournal,
		users: { list: listUsers, find: findUser, hasAny: hasAnyUser, update: updateUsers },
		tokens: { list: listTokens, find: findToken },
		sessions: {
			find: findSession,
			update: updateSessions,
			revoke: revokeSession,
			revokeAllOf: revokeSessionsOf,
			unsavedRevocations
		},
		gazetteers: { read: readGazetteer, write: writeGazetteer, remove: removeGazetteer },
		runs: { list: listRuns, manifest: getRunManifest, load: loadRun, upload: uploadRun },
		loginFailures: memoryLoginFailures(),
		transfer: fileTransfer,
		async init() {
			await fs.mkdir(dataRoot(), { recursive: true });
		},
		reset() {
			resetDatasetCache();
			resetAnnotationCache();
			resetSearchCache();
		}
	};
}

/**
 * Leftovers of interrupted writes (temp files), removed; at start, in the
 * background (the walk of a large data folder takes seconds).
 */
export function sweepTempFiles(): Promise<number> {
	return removeTempFiles(dataRoot());
}
