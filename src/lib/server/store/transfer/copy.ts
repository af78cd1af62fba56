/**
 * Copies everything one store keeps into another, through the seam (../types.ts)
 * only: accounts, tokens, live sessions; then per dataset its record, its
 * documents, every annotation set with its whole history, the gazetteer, the
 * prediction runs and the releases (their JSONL bytes as published).
 *
 * Memory stays flat in the size of the corpus: documents and sets are streamed
 * (`iterateWork`), one set's history at a time. A set's history is replayed
 * revision by revision through `sets.commit` with the revisions as the source
 * keeps them (numbers, authors, times, spans), so each backend writes it the way
 * it writes a save, summaries and indexes included; the last commit writes the
 * source's state itself (its active time, its comments…).
 */
import type { AnnotationSet, Revision } from '../../../model/types';
import type { SessionRecord } from '../../../model/user';
import type { DocumentWork } from '../../../model/work';
import type { SetKey, Store } from '../types';
import { counter, type Log } from './progress';
import { TransferError } from './errors';

/** The state a revision leaves (what the file store rebuilds from its log), for the commits before the last. */
export function stateAfter(annotator: string, r: Revision): AnnotationSet {
	return {
		annotator,
		revision: r.revision,
		status: r.status,
		spans: r.spans,
		updated_at: r.at,
		updated_by: r.by,
		active_seconds: 0,
		...(r.rejected ? { rejected: r.rejected } : {}),
		...(r.rejectedRelations?.length ? { rejectedRelations: r.rejectedRelations } : {}),
		...(r.flag ? { flag: r.flag } : {}),
		...(r.comments ? { comments: r.comments } : {}),
		...(r.relations?.length ? { relations: r.relations } : {}),
		...(r.dismissed?.length ? { dismissed: r.dismissed } : {})
	};
}

const describeKey = (key: SetKey) => `${key.slug}/${key.docId}/${key.annotator}`;

/** Writes `state` and its `history` (oldest first, revisions 1…n, n = state.revision) to `target`'s empty set `key`. */
export async function copySet(target: Store, key: SetKey, state: AnnotationSet, history: Revision[]): Promise<void> {
	if (history.length !== state.revision) {
		throw new TransferError(`set ${describeKey(key)} is at revision ${state.revision} but its history holds ${history.length} revisions: not copied`);
	}
	for (const [i, revision] of history.entries()) {
		if (revision.revision !== i + 1) throw new TransferError(`set ${describeKey(key)}: revision ${revision.revision} where ${i + 1} was expected: not copied`);
		const last = i === history.length - 1;
		const set = last ? state : stateAfter(key.annotator, revision);
		const result = await target.sets.commit(key, i, () => ({ set, revision }));
		if (!result.ok) throw new TransferError(`set ${describeKey(key)}: the target changed during the copy (revision ${result.conflict.revision} found)`);
	}
}

/** The sessions that have not expired (nothing written: the read is an update that changes its mind). */
export async function liveSessions(store: Store): Promise<SessionRecord[]> {
	const seen = Symbol('read only');
	let sessions: SessionRecord[] = [];
	try {
		await store.sessions.update((data) => {
			sessions = structuredClone(data.sessions);
			throw seen;
		});
	} catch (e) {
		if (e !== seen) throw e;
	}
	return sessions;
}

/** Each set of a document as the walk gives it, then its import sets (which the walk leaves out). */
export async function* setsOf(store: Store, slug: string, work: DocumentWork): AsyncGenerator<AnnotationSet> {
	yield* work.sets;
	for (const annotator of await store.sets.importSetNames(slug, work.document.id)) {
		yield await store.sets.load({ slug, docId: work.document.id, annotator });
	}
}

/** The dataset's documents, streamed in id order, nothing else read. */
export async function* documentsOf(store: Store, slug: string, onEach?: () => void) {
	for await (const work of store.sets.iterateWork(slug, { annotator: () => false })) {
		onEach?.();
		yield work.document;
	}
}

/**
 * Documents whose sets are copied at the same time: a commit waits on its fsync (a
 * file, or the database's WAL), and commits of different sets wait side by side.
 * Memory holds this many documents' work, whatever the corpus.
 */
const DOCUMENTS_AT_ONCE = 4;

/** `fn` over `items` with at most `limit` running; the first failure stops the reading and is thrown once all running ones settle. */
export async function forEachAtOnce<T>(items: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	const running = new Set<Promise<void>>();
	let failed = false;
	let failure: unknown;
	for await (const item of items) {
		const task: Promise<void> = fn(item).then(
			() => void running.delete(task),
			(e) => {
				running.delete(task);
				if (!failed) [failed, failure] = [true, e];
			}
		);
		running.add(task);
		if (running.size >= limit) await Promise.race(running);
		if (failed) break;
	}
	await Promise.all(running);
	if (failed) throw failure;
}

export interface CopyCounts {
	users: number;
	sessions: number;
	datasets: number;
	documents: number;
	sets: number;
	revisions: number;
	releases: number;
	runs: number;
}

/**
 * Everything of `source` into `target`, which the caller has found empty.
 * What the source has half done is refused before anything is written: an
 * import past its commit point and not finished (the server finishes it at its
 * next start).
 */
export async function copyStore(source: Store, target: Store, log: Log): Promise<CopyCounts> {
	const counts: CopyCounts = { users: 0, sessions: 0, datasets: 0, documents: 0, sets: 0, revisions: 0, releases: 0, runs: 0 };
	const datasets = await source.datasets.list();
	for (const d of datasets) {
		if (await source.imports.pending(d.slug)) {
			throw new TransferError(`dataset "${d.slug}" has an import that is not finished: start the server on the source once (it finishes it at start), stop it, and run this again`);
		}
	}

	const users = await source.users.list();
	const tokens = await source.tokens.list();
	await target.users.update((data) => {
		data.users = structuredClone(users);
		data.tokens = structuredClone(tokens);
	});
	const sessions = await liveSessions(source);
	await target.sessions.update((data) => {
		data.sessions = sessions;
	});
	counts.users = users.length;
	counts.sessions = sessions.length;
	log(`accounts: ${users.length} users, ${tokens.length} API tokens, ${sessions.length} sessions`);

	for (const record of datasets) {
		const slug = record.slug;
		await target.transfer.restoreDataset(record);
		const total = (await source.documents.headers(slug)).length;
		const docs = counter(log, `${slug}: documents copied`, total);
		counts.documents += await target.transfer.restoreDocuments(slug, documentsOf(source, slug, () => docs.tick()));
		docs.done();

		const sets = counter(log, `${slug}: documents with their annotation sets copied`, total);
		await forEachAtOnce(source.sets.iterateWork(slug), DOCUMENTS_AT_ONCE, async (work) => {
			for await (const state of setsOf(source, slug, work)) {
				const key = { slug, docId: work.document.id, annotator: state.annotator };
				const history = await source.sets.revisions(key);
				await copySet(target, key, state, history);
				counts.sets++;
				counts.revisions += history.length;
			}
			sets.tick();
		});
		sets.done();

		const gazetteer = await source.gazetteers.read(slug);
		if (gazetteer) await target.gazetteers.write(slug, gazetteer.gazetteer);

		for (const manifest of await source.runs.list(slug)) {
			await target.transfer.restoreRun(slug, manifest, source.transfer.runLines(slug, manifest.run));
			counts.runs++;
		}

		await target.releases.exclusive(slug, async () => {
			for (const version of await source.releases.versions(slug)) {
				const manifest = await source.releases.manifest(slug, version);
				const { body } = await source.releases.bytes(slug, version);
				const draft = await target.releases.draft(slug, version);
				try {
					for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) await draft.write(chunk);
					await draft.finish();
					await target.releases.publish(slug, draft, manifest);
				} catch (e) {
					await draft.discard().catch(() => {});
					throw e;
				}
				counts.releases++;
				log(`${slug}: release ${manifest.name} copied`);
			}
		});
		counts.datasets++;
	}
	return counts;
}
