/**
 * Progress of a dataset, per annotator and per document, from its assignment and
 * the summaries of its annotation sets. Pure: the server gathers the facts.
 *
 * An annotator's queue is what `queueOf` gives them: every document when the
 * dataset has no explicit assignment (annotator members only), else the
 * documents assigned to them. Assigned/in progress/done count that queue; time
 * and last activity count all their sets, inside the queue or not (work is never
 * hidden because a document was reassigned). The gold set is not an annotator.
 */
import { GOLD, type Role, type Status } from '../model/types';
import { dict, own, type Dict } from '../model/dict';
import type { FlagReason } from '../model/notes';

export interface SetFacts {
	status: Status;
	active_seconds: number;
	updated_at: string | null;
	spans: number;
	/** the annotator flagged (skipped) the document: the reason */
	flag?: FlagReason;
}

export interface ProgressInput {
	documents: Array<{ id: string; title: string }>;
	members: Record<string, Role>;
	assignments: Record<string, string[]> | null;
	/** document id → annotator → their current set */
	sets: Map<string, Map<string, SetFacts>>;
}

export interface Counts {
	assigned: number;
	notStarted: number;
	inProgress: number;
	done: number;
}

export interface AnnotatorProgress extends Counts {
	annotator: string;
	/** role in the dataset; null when no longer a member (their work is kept) */
	role: Role | null;
	/** started or finished documents that are not (or no longer) in their queue */
	outsideQueue: number;
	spans: number;
	activeSeconds: number;
	/** mean active seconds over their finished documents */
	secondsPerDone: number | null;
	lastActivity: string | null;
}

export interface DocumentProgress {
	id: string;
	title: string;
	/** everyone assigned to it, plus anyone else with work on it */
	annotators: Array<{ annotator: string; assigned: boolean; status: Status; activeSeconds: number; updatedAt: string | null; flag?: FlagReason }>;
	activeSeconds: number;
}

export interface DatasetProgress extends Counts {
	documents: number;
	/** documents in nobody's queue */
	unassigned: number;
	/** documents whose every assigned annotator is done */
	complete: number;
	activeSeconds: number;
	lastActivity: string | null;
	annotators: AnnotatorProgress[];
	perDocument: DocumentProgress[];
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/** Whose queue a document is in. */
export function assignedTo(input: Pick<ProgressInput, 'members' | 'assignments'>, docId: string): string[] {
	if (input.assignments === null) {
		return Object.entries(input.members)
			.filter(([, role]) => role === 'annotator')
			.map(([name]) => name)
			.sort();
	}
	return [...(own(input.assignments, docId) ?? [])].sort();
}

export function computeProgress(input: ProgressInput): DatasetProgress {
	const rows = new Map<string, AnnotatorProgress>();
	const row = (annotator: string): AnnotatorProgress => {
		let r = rows.get(annotator);
		if (!r) {
			r = {
				annotator,
				role: own(input.members, annotator) ?? null,
				assigned: 0,
				notStarted: 0,
				inProgress: 0,
				done: 0,
				outsideQueue: 0,
				spans: 0,
				activeSeconds: 0,
				secondsPerDone: null,
				lastActivity: null
			};
			rows.set(annotator, r);
		}
		return r;
	};
	for (const [name, role] of Object.entries(input.members)) if (role === 'annotator') row(name);

	const total: DatasetProgress = {
		documents: input.documents.length,
		unassigned: 0,
		complete: 0,
		assigned: 0,
		notStarted: 0,
		inProgress: 0,
		done: 0,
		activeSeconds: 0,
		lastActivity: null,
		annotators: [],
		perDocument: []
	};
	const finished = new Map<string, { count: number; seconds: number }>();

	for (const doc of input.documents) {
		const queue = assignedTo(input, doc.id);
		const sets = input.sets.get(doc.id) ?? new Map<string, SetFacts>();
		const names = [...new Set([...queue, ...[...sets.keys()].filter((a) => a !== GOLD)])].sort();
		const perDoc: DocumentProgress = { id: doc.id, title: doc.title, annotators: [], activeSeconds: 0 };
		if (queue.length === 0) total.unassigned++;
		let allDone = queue.length > 0;
		for (const name of names) {
			const set = sets.get(name);
			const status: Status = set?.status ?? 'not_started';
			const assigned = queue.includes(name);
			const r = row(name);
			if (set) {
				r.spans += set.spans;
				r.activeSeconds += set.active_seconds;
				r.lastActivity = later(r.lastActivity, set.updated_at);
				if (status === 'done') {
					const f = finished.get(name) ?? { count: 0, seconds: 0 };
					finished.set(name, { count: f.count + 1, seconds: f.seconds + set.active_seconds });
				}
				total.activeSeconds += set.active_seconds;
				total.lastActivity = later(total.lastActivity, set.updated_at);
				perDoc.activeSeconds += set.active_seconds;
			}
			if (assigned) {
				const counts = [r, total];
				for (const c of counts) {
					c.assigned++;
					if (status === 'done') c.done++;
					else if (status === 'in_progress') c.inProgress++;
					else c.notStarted++;
				}
				if (status !== 'done') allDone = false;
			} else if (status !== 'not_started') {
				r.outsideQueue++;
			}
			perDoc.annotators.push({
				annotator: name,
				assigned,
				status,
				activeSeconds: set?.active_seconds ?? 0,
				updatedAt: set?.updated_at ?? null,
				...(set?.flag ? { flag: set.flag } : {})
			});
		}
		if (allDone) total.complete++;
		total.perDocument.push(perDoc);
	}

	for (const r of rows.values()) {
		const f = finished.get(r.annotator);
		r.secondsPerDone = f ? Math.round(f.seconds / f.count) : null;
	}
	total.annotators = [...rows.values()].sort((a, b) => (a.annotator < b.annotator ? -1 : 1));
	return total;
}

/** What the dataset's document list shows a lead: per document, its assigned annotators and how many of them are done. */
export interface TeamCounts {
	/** documents whose every assigned annotator is done */
	complete: number;
	/** documents in nobody's queue */
	unassigned: number;
	/** document id → [done, assigned] */
	perDocument: Dict<[number, number]>;
}

export function teamCounts(progress: DatasetProgress): TeamCounts {
	const perDocument = dict<[number, number]>();
	for (const d of progress.perDocument) {
		const assigned = d.annotators.filter((a) => a.assigned);
		perDocument[d.id] = [assigned.filter((a) => a.status === 'done').length, assigned.length];
	}
	return { complete: progress.complete, unassigned: progress.unassigned, perDocument };
}

/** "1 h 05 min", "4 min 10 s", "35 s" — for times spent annotating. */
export function formatDuration(seconds: number): string {
	const s = Math.max(0, Math.round(seconds));
	if (s < 60) return `${s} s`;
	const minutes = Math.floor(s / 60);
	if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
	const hours = Math.floor(minutes / 60);
	return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** ISO timestamp → "2025-03-01 14:05 UTC": the same on server and client, so no hydration drift. */
export function formatTimestamp(iso: string | null): string {
	if (!iso) return '—';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '—';
	return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
