/**
 * Which documents changed since their gold was done, for the dataset's leads
 * (see $lib/goldChanges): every document at once from the in-memory
 * summaries, and one document in detail (what changed, from the history).
 */
import { changedSinceGold, type ChangeSinceGold } from '../../review/goldChanges';
import { datasetSummaries, listRevisions } from '../store';
import { diffSpans } from '../../model/spans';
import { GOLD, type Span, type Status } from '../../model/types';

/** doc id → the annotators who changed it since gold was done (documents without changes are absent). */
export async function changesSinceGoldByDocument(slug: string): Promise<Map<string, ChangeSinceGold[]>> {
	const out = new Map<string, ChangeSinceGold[]>();
	for (const [docId, perDoc] of await datasetSummaries(slug)) {
		const changes = changedSinceGold(perDoc.get(GOLD), perDoc.values());
		if (changes.length) out.set(docId, changes);
	}
	return out;
}

/**
 * The same for one document, with what changed: each annotator's current set
 * against the revision gold was adjudicated against (their last one saved
 * before gold was last saved).
 */
export async function changesSinceGoldOf(
	slug: string,
	docId: string,
	gold: { annotator: string; status: Status; revision: number; updated_at: string | null },
	sets: ReadonlyArray<{ annotator: string; status: Status; revision: number; updated_at: string | null; spans: Span[] }>
): Promise<ChangeSinceGold[]> {
	const changes = changedSinceGold(gold, sets);
	return Promise.all(
		changes.map(async (change) => {
			const current = sets.find((s) => s.annotator === change.annotator)!;
			const history = await listRevisions(slug, docId, change.annotator);
			const before = history.filter((r) => r.at <= gold.updated_at!).at(-1);
			const counts = diffSpans(before?.spans ?? [], current.spans);
			const from: Status = before?.status ?? 'not_started';
			return {
				...change,
				since: before?.revision ?? 0,
				...counts,
				...(from !== current.status ? { status: { from, to: current.status } } : {})
			};
		})
	);
}
