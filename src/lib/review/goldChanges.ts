/**
 * "Changed since gold": a document whose gold set is done, and whose annotators
 * saved a new revision after that (another span, a relabel, done → reopened…).
 * The lead adjudicated an older version of their work, so the review list, the
 * dataset page and the review view say so, with what changed.
 */
import type { Status } from '../model/types';

/** What the in-memory summaries know of a set. */
export interface SetStamp {
	annotator: string;
	status: Status;
	revision: number;
	updated_at: string | null;
}

export interface ChangeSinceGold {
	annotator: string;
	/** the annotator's revision now, and when it was saved */
	revision: number;
	updated_at: string;
	/** the revision gold was adjudicated against (0: none yet), and what changed since (the review view reads the history for these) */
	since?: number;
	added?: number;
	removed?: number;
	relabelled?: number;
	/** status then → now, when it changed */
	status?: { from: Status; to: Status };
}

/**
 * The annotators whose set changed after gold was last saved as done, by name.
 * Nothing while gold is not done (the lead is still at it) or has no revision.
 * Sets named `gold` or `import~…` are not people's work and never count.
 */
export function changedSinceGold(gold: SetStamp | undefined, sets: Iterable<SetStamp>): ChangeSinceGold[] {
	if (!gold || gold.status !== 'done' || gold.revision === 0 || !gold.updated_at) return [];
	const out: ChangeSinceGold[] = [];
	for (const s of sets) {
		if (s.annotator === 'gold' || s.annotator.startsWith('import~') || s.revision === 0 || !s.updated_at) continue;
		if (s.updated_at > gold.updated_at) out.push({ annotator: s.annotator, revision: s.revision, updated_at: s.updated_at });
	}
	return out.sort((a, b) => (a.annotator < b.annotator ? -1 : a.annotator > b.annotator ? 1 : 0));
}

const STATUS_WORDS: Record<Status, string> = { not_started: 'not started', in_progress: 'in progress', done: 'done' };

/** One change in words: "ann1: 1 span added, 1 relabelled (revision 2 → 4)". */
export function describeChange(c: ChangeSinceGold): string {
	const parts: string[] = [];
	if (c.added) parts.push(`${c.added} span${c.added === 1 ? '' : 's'} added`);
	if (c.removed) parts.push(`${c.removed} removed`);
	if (c.relabelled) parts.push(`${c.relabelled} relabelled`);
	if (c.status) parts.push(`${STATUS_WORDS[c.status.from]} → ${STATUS_WORDS[c.status.to]}`);
	const what = parts.length ? parts.join(', ') : 'new revision';
	const revisions = c.since !== undefined ? `revision ${c.since} → ${c.revision}` : `revision ${c.revision}`;
	return `${c.annotator}: ${what} (${revisions})`;
}
