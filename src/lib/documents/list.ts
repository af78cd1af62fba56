/**
 * The document list's filter, sort and page over the dataset's facts (headers,
 * set summaries, metas, import sources), without building a row per document:
 * 100,000 documents are filtered on what the query asks only (a Map lookup or
 * two each), the sort reads one key per kept document from a typed array, and
 * only the page's documents come back. The results are those of `filterRows`,
 * `sortRows` and `pageOf` (./query.ts) on the full rows (list.test.ts compares
 * the two on random datasets).
 */
import type { DocumentHeader } from '$lib/model/dataset';
import type { SetSummary } from '$lib/model/work';
import { GOLD, type Status } from '$lib/model/types';
import { fold } from '$lib/text/fold';
import { documentAgreement } from '$lib/agreement/documentAgreement';
import { PAGE_SIZE, metaValue, titleCollator, type DocumentQuery, type Page } from './query';
import { dict } from '$lib/model/dict';
import type { TeamCounts } from '$lib/progress/progress';

export interface ListFacts {
	/** the dataset's documents in import order */
	headers: readonly DocumentHeader[];
	/** doc id → annotator → summary (people's work and gold) */
	summaries: ReadonlyMap<string, ReadonlyMap<string, SetSummary>>;
	/** the documents an annotator may see (assignments); null: all */
	queue: ReadonlySet<string> | null;
	/** the caller's username */
	me: string;
	lead: boolean;
	/** doc id → assignees; null: the dataset has no assignments */
	assignments: Readonly<Record<string, readonly string[]>> | null;
	/** each document's meta (only needed with `meta.<key>` filters) */
	metas: ReadonlyMap<string, Record<string, unknown>> | null;
	/** doc id → the names of its import sources (only needed with `source`) */
	sources: ReadonlyMap<string, readonly string[]> | null;
	/** with `q`: the store's search rank of each matching id */
	rank: ReadonlyMap<string, number> | null;
}

export interface ListedFacts {
	header: DocumentHeader;
	/** the document's set summaries, if any */
	sets: ReadonlyMap<string, SetSummary> | undefined;
	/** computed already for `sort=agreement` (lead rows) */
	agreement?: number | null;
}

const statusOrder: Record<Status, number> = { not_started: 0, in_progress: 1, done: 2 };

/**
 * An assignee's status on a document as a lead's row has it (`DocumentRow.assignees`):
 * with assignments, listed ones only (not started until they save); without, anyone with
 * work but gold; undefined: not an assignee there.
 */
function assigneeStatus(f: ListFacts, id: string, sets: ReadonlyMap<string, SetSummary> | undefined, name: string): Status | undefined {
	const listed = f.assignments !== null && Object.hasOwn(f.assignments, id) && f.assignments[id].includes(name);
	const s = name === GOLD ? undefined : sets?.get(name);
	if (s && (f.assignments === null || listed)) return s.status;
	return listed ? 'not_started' : undefined;
}

/** Whether two annotators' done sets (gold aside) differ, reading no more than it needs. */
function doneSetsDiffer(sets: ReadonlyMap<string, SetSummary> | undefined): boolean {
	if (!sets) return false;
	let first: string | undefined;
	for (const s of sets.values()) {
		if (s.status !== 'done' || s.annotator === GOLD) continue;
		if (first === undefined) first = s.keys;
		else if (s.keys !== first) return true;
	}
	return false;
}

function doneKeysOf(sets: ReadonlyMap<string, SetSummary> | undefined): string[] {
	const keys: string[] = [];
	for (const s of sets?.values() ?? []) if (s.status === 'done' && s.annotator !== GOLD) keys.push(s.keys);
	return keys;
}

// A document's agreement by its summaries, while its done sets' keys are the same strings: decoding and
// comparing the keys of 100,000 documents is most of a `sort=agreement`, and a store that keeps its
// summaries in memory hands back the same map per document (a save changes its keys: computed again).
const agreements = new WeakMap<ReadonlyMap<string, SetSummary>, { keys: string[]; value: number | null }>();

/** The document's agreement (documentAgreement.ts) over its annotators' done sets. */
export function agreementOf(sets: ReadonlyMap<string, SetSummary> | undefined): number | null {
	const keys = doneKeysOf(sets);
	if (!sets) return documentAgreement(keys);
	const known = agreements.get(sets);
	if (known && known.keys.length === keys.length && known.keys.every((k, i) => k === keys[i])) return known.value;
	const value = documentAgreement(keys);
	agreements.set(sets, { keys, value });
	return value;
}

/** The last save on a document: the caller's (annotators) or anyone's (leads); null: never. */
export function activityOf(f: Pick<ListFacts, 'me' | 'lead'>, sets: ReadonlyMap<string, SetSummary> | undefined): string | null {
	let activity = sets?.get(f.me)?.updated_at ?? null;
	if (f.lead && sets) for (const s of sets.values()) if (s.updated_at && (!activity || s.updated_at > activity)) activity = s.updated_at;
	return activity;
}

function hasLabels(f: ListFacts, sets: ReadonlyMap<string, SetSummary> | undefined, labels: readonly string[]): boolean {
	if (!f.lead) {
		const mine = sets?.get(f.me)?.labels;
		return labels.every((l) => mine?.includes(l) ?? false);
	}
	// a lead: anyone's work or gold, not necessarily in one set
	outer: for (const l of labels) {
		for (const s of sets?.values() ?? []) if (s.labels.includes(l)) continue outer;
		return false;
	}
	return true;
}

// The titles' collation order of a headers array, by index (equal titles share a rank), kept while
// the array is the same and as long: sorting 100,000 titles with a collator is the costly part of a
// title sort, and a store that keeps its headers in memory hands back the same array until it changes.
const titleRanks = new WeakMap<readonly DocumentHeader[], { length: number; ranks: Int32Array }>();

function titleRanksOf(headers: readonly DocumentHeader[]): Int32Array {
	const known = titleRanks.get(headers);
	if (known && known.length === headers.length) return known.ranks;
	const order = Array.from({ length: headers.length }, (_, i) => i);
	order.sort((a, b) => titleCollator.compare(headers[a].title, headers[b].title) || headers[a].position - headers[b].position);
	const ranks = new Int32Array(headers.length);
	let rank = 0;
	for (let k = 0; k < order.length; k++) {
		if (k > 0 && titleCollator.compare(headers[order[k - 1]].title, headers[order[k]].title) !== 0) rank++;
		ranks[order[k]] = rank;
	}
	titleRanks.set(headers, { length: headers.length, ranks });
	return ranks;
}

/**
 * Dense ranks of the values the kept documents have (equal under `compare`: one rank); `counted`
 * leaves some values out (they get no rank). Strings are put in code-unit order first and the
 * order checked with `compare` (ISO times and most titles already agree), sorted by `compare`
 * only when it does not hold.
 */
function ranksOf<T extends string | number>(
	order: Uint32Array,
	values: readonly T[],
	compare: (a: T, b: T) => number,
	counted: (v: T) => boolean = () => true
): { of: Map<T, number>; top: number } {
	const distinct = new Set<T>();
	for (const i of order) if (counted(values[i])) distinct.add(values[i]);
	const sorted = [...distinct];
	if (typeof sorted[0] === 'string') sorted.sort();
	let ordered = typeof sorted[0] === 'string';
	for (let k = 1; ordered && k < sorted.length; k++) if (compare(sorted[k - 1], sorted[k]) > 0) ordered = false;
	if (!ordered) sorted.sort(compare);
	const of = new Map<T, number>();
	let rank = 0;
	for (let k = 0; k < sorted.length; k++) {
		if (k > 0 && compare(sorted[k - 1], sorted[k]) !== 0) rank++;
		of.set(sorted[k], rank);
	}
	return { of, top: rank };
}

/**
 * `order` by `keys` ascending, ties by position. Kept documents still in import order (no search
 * rank) are counted into buckets by key, which keeps their order within a key; else a comparison sort.
 */
function sortByKeys(order: Uint32Array, keys: Int32Array, headers: readonly DocumentHeader[]): Uint32Array {
	let inPositionOrder = true;
	let top = 0;
	for (let k = 0; k < order.length; k++) {
		if (k > 0 && headers[order[k]].position < headers[order[k - 1]].position) inPositionOrder = false;
		if (keys[order[k]] > top) top = keys[order[k]];
	}
	if (!inPositionOrder) return order.sort((x, y) => keys[x] - keys[y] || headers[x].position - headers[y].position);
	const start = new Int32Array(top + 2);
	for (const i of order) start[keys[i] + 1]++;
	for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
	const sorted = new Uint32Array(order.length);
	for (const i of order) sorted[start[keys[i]]++] = i;
	return sorted;
}

/** One page of the caller's list as the query filters and sorts it (not `q` itself: `rank` is its result). */
export function listPage(f: ListFacts, query: DocumentQuery, size = PAGE_SIZE): Page<ListedFacts> {
	const { headers, summaries, me } = f;
	const meta = query.meta.map(([k, v]) => [k, fold(v)] as const);
	// the kept documents, as indexes into headers, in import order
	const kept = new Uint32Array(headers.length);
	let n = 0;
	for (let i = 0; i < headers.length; i++) {
		const h = headers[i];
		if (f.queue && !f.queue.has(h.id)) continue;
		if (f.rank && !f.rank.has(h.id)) continue;
		const sets = summaries.get(h.id);
		if (query.status && (sets?.get(me)?.status ?? 'not_started') !== query.status) continue;
		if (query.assignee !== undefined) {
			const s = f.lead ? assigneeStatus(f, h.id, sets, query.assignee) : undefined;
			if (s === undefined) continue;
			if (query.done !== undefined && (s === 'done') !== query.done) continue;
		}
		if (query.source !== undefined && !(f.sources?.get(h.id)?.includes(query.source) ?? false)) continue;
		if (query.labels && !hasLabels(f, sets, query.labels)) continue;
		if (query.disagreement && !(f.lead && doneSetsDiffer(sets))) continue;
		if (meta.length) {
			const m = f.metas?.get(h.id);
			let ok = true;
			for (const [k, v] of meta) {
				const have = metaValue(m, k);
				if (have === undefined || fold(have) !== v) {
					ok = false;
					break;
				}
			}
			if (!ok) continue;
		}
		kept[n++] = i;
	}
	let order: Uint32Array = kept.subarray(0, n);
	const rank = f.rank;
	if (rank) order.sort((a, b) => rank.get(headers[a].id)! - rank.get(headers[b].id)!);
	const { key, descending } = query.sort;
	let agreements: Float64Array | null = null;
	if (key === 'position') {
		if (descending) order = order.slice().reverse();
	} else {
		// each kept document's place in the sort as a whole number, the direction applied (ties: import order)
		const keys = new Int32Array(headers.length);
		if (key === 'title') {
			const ranks = titleRanksOf(headers);
			let top = 0;
			for (const i of order) if (ranks[i] > top) top = ranks[i];
			for (const i of order) keys[i] = descending ? top - ranks[i] : ranks[i];
		} else if (key === 'status') {
			for (const i of order) {
				const s = statusOrder[summaries.get(headers[i].id)?.get(me)?.status ?? 'not_started'];
				keys[i] = descending ? 2 - s : s;
			}
		} else if (key === 'activity') {
			const activity: string[] = new Array(headers.length);
			for (const i of order) activity[i] = activityOf(f, summaries.get(headers[i].id)) ?? '';
			const ranks = ranksOf(order, activity, (a, b) => a.localeCompare(b));
			for (const i of order) keys[i] = descending ? ranks.top - ranks.of.get(activity[i])! : ranks.of.get(activity[i])!;
		} else {
			// NaN: no figure (fewer than two done sets), last either way
			agreements = new Float64Array(headers.length);
			for (const i of order) agreements[i] = f.lead ? (agreementOf(summaries.get(headers[i].id)) ?? NaN) : NaN;
			const figures: number[] = new Array(headers.length);
			for (const i of order) figures[i] = agreements[i];
			const ranks = ranksOf(order, figures, (a, b) => a - b, (v) => !Number.isNaN(v));
			for (const i of order) {
				const v = agreements[i];
				keys[i] = Number.isNaN(v) ? ranks.top + 1 : descending ? ranks.top - ranks.of.get(v)! : ranks.of.get(v)!;
			}
		}
		order = sortByKeys(order, keys, headers);
	}
	const pages = Math.max(1, Math.ceil(n / size));
	const documents: ListedFacts[] = [];
	for (const i of order.subarray(Math.min(n, (query.page - 1) * size), Math.min(n, query.page * size))) {
		const header = headers[i];
		const item: ListedFacts = { header, sets: summaries.get(header.id) };
		if (agreements) item.agreement = Number.isNaN(agreements[i]) ? null : agreements[i];
		documents.push(item);
	}
	return { documents, total: n, page: query.page, pages };
}

/**
 * What the document list shows a lead of the team's progress (`TeamCounts`, src/lib/progress/progress.ts)
 * — `teamCounts(computeProgress(…))` without computing the whole progress page: `complete` and
 * `unassigned` over every document, `[done, assigned]` for the `shown` ones only.
 */
export function teamCountsOf(
	f: Pick<ListFacts, 'headers' | 'summaries' | 'assignments'>,
	members: Readonly<Record<string, string>>,
	shown: ReadonlySet<string>
): TeamCounts {
	const everyone = [...new Set(Object.keys(members).filter((name) => members[name] === 'annotator'))];
	const perDocument = dict<[number, number]>();
	let complete = 0;
	let unassigned = 0;
	for (const h of f.headers) {
		const queue = f.assignments === null ? everyone : Object.hasOwn(f.assignments, h.id) ? f.assignments[h.id] : [];
		if (queue.length === 0) {
			unassigned++;
			if (shown.has(h.id)) perDocument[h.id] = [0, 0];
			continue;
		}
		const sets = f.summaries.get(h.id);
		let done = 0;
		let assigned = 0;
		for (let k = 0; k < queue.length; k++) {
			if (queue.indexOf(queue[k]) !== k) continue; // a name given twice counts once
			assigned++;
			if (sets?.get(queue[k])?.status === 'done') done++;
		}
		if (done === assigned) complete++;
		if (shown.has(h.id)) perDocument[h.id] = [done, assigned];
	}
	return { complete, unassigned, perDocument };
}
