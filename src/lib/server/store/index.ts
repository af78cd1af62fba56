/**
 * The store seam: the one module the rest of the server imports for data
 * (interfaces in ./types.ts, their promises in ./contract.ts). `store` is the
 * configured backend, chosen once when the process starts: the PostgreSQL store
 * (./postgres/) when `SPANLAB_STORE` is a `postgres://` or `postgresql://` URL,
 * otherwise the file store over the data folder `SPANLAB_DATA` (./file/);
 * nothing outside src/lib/server/store imports ./file/ or ./postgres/ itself.
 *
 *   import { store } from '$lib/server/store';
 *   const dataset = await store.datasets.get(slug);
 *
 * The named functions below are the same calls under the names the domain used
 * before the seam (getDataset, loadSet…): each goes through `store`, so a second
 * backend serves every caller.
 */
import { fileStore } from './file';
import { withLock as withProcessLock } from './file/mutex';
import { createPostgresStore } from './postgres';
import { dataRoot } from '../config';
import type { CorpusFilter, DocumentWork, RevisionPage, SetSummary } from '../../model/work';
import type { DatasetRecord, NewDataset, NewDocument } from '../../model/dataset';
import type { AnnotationSet, Revision } from '../../model/types';
import type { SessionRecord, SessionsData, UserRecord, UsersData } from '../../model/user';
import type { Store } from './types';
import type { Gazetteer } from '../../model/gazetteer';

export type * from './types';
export type { DatasetRecord, DocumentHeader, NewDataset, NewDocument, StoredDocument } from '../../model/dataset';
export type { SessionRecord, SessionsData, TokenRecord, UserRecord, UsersData } from '../../model/user';
export type { CorpusFilter, DocumentWork, RevisionPage, SetSummary } from '../../model/work';
export { REVISIONS_PAGE } from '../../model/work';
export type { Gazetteer } from '../../model/gazetteer';
export * from './names';
/** In-process keyed locks: not data, but shared with the file store. */
export { withSharedLock, withExclusiveLock } from './file/mutex';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** Which backend `SPANLAB_STORE` names; anything else set there is refused (a typo must not start on an empty file store). */
export function storeKindOf(setting: string | undefined): 'file' | 'postgres' {
	const value = (setting ?? '').trim();
	if (value === '' || value === 'file') return 'file';
	if (POSTGRES_URL.test(value)) return 'postgres';
	throw new Error(
		`SPANLAB_STORE is "${value.replace(/\/\/([^@/]*)@/, (_, auth: string) => `//${auth.split(':')[0]}@`)}": ` +
			'it is either unset (or "file": the file store under SPANLAB_DATA) or a postgres://user:password@host:port/database URL'
	);
}

/** A database URL without its password (what the logs and messages show): `postgres://user@host:port/db`. */
export function withoutPassword(url: string): string {
	try {
		const u = new URL(url);
		return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
	} catch {
		return 'postgres://(an unreadable URL)';
	}
}

/** The configured backend: 'file' (the data folder) or 'postgres' (SPANLAB_STORE), fixed for the life of the process. */
export const storeKind = storeKindOf(process.env.SPANLAB_STORE);

export const store: Store = storeKind === 'postgres' ? createPostgresStore(process.env.SPANLAB_STORE!.trim()) : fileStore();

/** Where the data is, for the log and for messages (never the password): the data folder, or the database URL without it. */
export function whereData(): string {
	return storeKind === 'postgres' ? withoutPassword(process.env.SPANLAB_STORE!.trim()) : dataRoot();
}

/**
 * One holder of `key` at a time (one import per dataset, one lexicon build): in this process, and on a
 * store that several processes share (PostgreSQL), across them too (an advisory lock).
 */
export function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
	return withProcessLock(key, () => (store.exclusive ? store.exclusive(key, fn) : fn()));
}

/** Forgets cached state (tests, the data-root switch). */
export function resetStoreCache(): void {
	store.reset();
}
/** The store's names for the caches it forgets, as the tests call them. */
export const resetDatasetCache = resetStoreCache;
export const resetAnnotationCache = resetStoreCache;

// ---- datasets
export const getDataset = (slug: string) => store.datasets.get(slug);
export const datasetExists = (slug: string) => store.datasets.exists(slug);
export const listDatasets = () => store.datasets.list();
export const createDataset = (input: NewDataset) => store.datasets.create(input);
export const updateDataset = <T>(slug: string, mutate: (d: DatasetRecord) => T) => store.datasets.update(slug, mutate);
export const updateDatasetLabels = <T>(slug: string, mutate: (d: DatasetRecord) => T) => store.datasets.updateLabels(slug, mutate);
export const withCurrentLabels = <T>(slug: string, fn: (labelNames: string[], dataset: DatasetRecord) => Promise<T>) =>
	store.datasets.withCurrentLabels(slug, fn);
export const changeDatasetLabels = <T, R>(slug: string, mutate: (d: DatasetRecord) => T, rewrite: (how: { atomic: boolean }) => Promise<R>) =>
	store.datasets.changeLabels(slug, mutate, rewrite);
export const withLabelChangeLock = <T>(slug: string, fn: () => Promise<T>) => store.datasets.withLabelChangeLock(slug, fn);

// ---- documents
export const listDocumentHeaders = (slug: string) => store.documents.headers(slug);
export const getDocument = (slug: string, id: string) => store.documents.get(slug, id);
export const hasDocument = (slug: string, id: string) => store.documents.has(slug, id);
export const findDocumentBySha = (slug: string, sha256: string) => store.documents.findBySha(slug, sha256);
export const documentLookup = (slug: string) => store.documents.lookup(slug);
export const addDocuments = (slug: string, docs: Iterable<NewDocument> | AsyncIterable<NewDocument>) => store.documents.addMany(slug, docs);

// ---- annotation sets
export const loadSet = (slug: string, docId: string, annotator: string): Promise<AnnotationSet> =>
	store.sets.load({ slug, docId, annotator });
export const listRevisions = (slug: string, docId: string, annotator: string): Promise<Revision[]> =>
	store.sets.revisions({ slug, docId, annotator });
export const pageRevisions = (slug: string, docId: string, annotator: string, opts?: { limit?: number; before?: number }): Promise<RevisionPage> =>
	store.sets.pageRevisions({ slug, docId, annotator }, opts);
export const datasetSummaries = (slug: string): Promise<Map<string, Map<string, SetSummary>>> => store.sets.summaries(slug);
/** Annotators (and gold) with any saved work on a document. */
export async function annotatorsOf(slug: string, docId: string): Promise<SetSummary[]> {
	const perDoc = (await datasetSummaries(slug)).get(docId);
	return perDoc ? [...perDoc.values()] : [];
}
export const importSetsOf = (slug: string, docId: string): Promise<SetSummary[]> => store.sets.importSetsOf(slug, docId);
export const iterateWork = (slug: string, filter?: CorpusFilter): AsyncIterable<DocumentWork> => store.sets.iterateWork(slug, filter);

// ---- accounts, tokens, sessions
export const listUsers = () => store.users.list();
export const findUser = (username: string) => store.users.find(username);
export const hasAnyUser = () => store.users.hasAny();
export const updateUsers = <T>(mutate: (data: UsersData) => T) => store.users.update(mutate);
export const listTokens = () => store.tokens.list();
export const findToken = (hash: string) => store.tokens.find(hash);
export const findSession = (hash: string) => store.sessions.find(hash);
/** a session and its user: one read where the store has `findWithUser`, else `find` then the user */
export const findSessionWithUser = async (hash: string): Promise<{ session: SessionRecord; user: UserRecord | undefined } | undefined> => {
	if (store.sessions.findWithUser) return store.sessions.findWithUser(hash);
	const session = await store.sessions.find(hash);
	return session && { session, user: await store.users.find(session.username) };
};
export const updateSessions = <T>(mutate: (data: SessionsData) => T) => store.sessions.update(mutate);
export const revokeSession = (hash: string) => store.sessions.revoke(hash);
export const revokeSessionsOf = (username: string) => store.sessions.revokeAllOf(username);

// ---- suggestion sources and evaluation runs
export const readGazetteer = (slug: string) => store.gazetteers.read(slug);
export const writeGazetteer = (slug: string, gazetteer: Gazetteer) => store.gazetteers.write(slug, gazetteer);
export const removeGazetteer = (slug: string) => store.gazetteers.remove(slug);
export const listRuns = (slug: string) => store.runs.list(slug);
export const getRunManifest = (slug: string, run: string) => store.runs.manifest(slug, run);
export const loadRun = (slug: string, run: string) => store.runs.load(slug, run);
export const uploadRun = (...args: Parameters<Store['runs']['upload']>) => store.runs.upload(...args);
export type UploadResult = Awaited<ReturnType<Store['runs']['upload']>>;
/** The rules of a run's name and size and its upload's problems: checks, not storage (kept beside the file store's upload). */
export { RUN_NAME_RE, MAX_PREDICTED_SPANS, checkRunName, problemsOf, offsetMismatch, type UploadProblem } from './file/predictions';
/** The rule of a label set (names and keys unique, no look-alikes): a check, kept beside the datasets it guards. */
export { validateLabels } from './file/datasets';
/** The sample articles shipped with the checkout (the demo dataset), read from its folder whatever the store. */
export { sampleArticles, type SampleArticle } from './file/samples';
/** The data folder's leftovers of interrupted writes, swept at start (file store). */
export { sweepTempFiles } from './file';
/**
 * The data folder's lock: one writing process (a server, or a CLI tool while no server
 * runs) per data folder; the control socket (src/lib/server/control) reads who holds it.
 */
export {
	describeHolder,
	holderMayBeAlive,
	lockFileOf,
	readHolder,
	takeDataLockWaiting,
	tryTakeDataLock,
	type LockHolder,
	type TakeResult
} from './file/dataLock';
export { hostname } from './file/processes';
/** What the file store's temp names start with (tests look for leftovers by it). */
export { TEMP_MARKER } from './file/durable';
