/**
 * The revision log's line format, pure (no I/O): a log grows with what changed.
 *
 * A line is either a checkpoint, the revision with its full span list (as
 * every line used to be, so old logs read as all checkpoints):
 *
 *   {"revision":51,"at":…,"by":…,"status":…,"spans":[…],"added":…,"removed":…,"relabelled":…,"rejected":[…]?}
 *
 * or a delta against the line before it: the ids of the spans that went and
 * the spans that came (a span is its id; one whose attrs changed goes and comes):
 *
 *   {"revision":52,"at":…,"by":…,"status":…,"delta":{"remove":["s…"],"add":[{…}]},"added":…,…,"rejectedDelta":{…}?}
 *
 * Relations go the same way: a delta line carries `relationsDelta` (the ids
 * of the relations that went and the relations that came; a relation is its
 * id) instead of the full `relations`, and none when they did not change.
 * Dismissed suggestions ride along in full, as flag and comments do.
 *
 * A checkpoint is written for revision 1, every CHECKPOINT_EVERY revisions
 * (1, 51, 101, …), and whenever the delta would be as long as the full list,
 * so rebuilding any revision reads at most CHECKPOINT_EVERY lines. `revision`
 * stays the first key (the store reads it from the line's start).
 */
import { compareSpans } from '../../../model/spans';
import { sortRelations } from '../../../model/relations';
import { sameAttrs } from '../../../model/attributes';
import type { Relation, Revision, Span } from '../../../model/types';

export const CHECKPOINT_EVERY = 50;

export interface SpanDelta {
	remove: string[];
	add: Span[];
}

export interface RelationDelta {
	remove: string[];
	add: Relation[];
}

type Common = Omit<Revision, 'spans' | 'rejected' | 'relations'>;
export type CheckpointLine = Revision;
export type DeltaLine = Common & { delta: SpanDelta; rejectedDelta?: SpanDelta; relationsDelta?: RelationDelta };
export type LogLine = CheckpointLine | DeltaLine;

// stored attrs are normalised (keys sorted, ./attributes.ts): compared key by key, not through JSON.stringify of each (every save, every date)
const sameSpan = (a: Span, b: Span) => a.id === b.id && a.source === b.source && (a.attrs === b.attrs || sameAttrs(a.attrs, b.attrs));

/** What turns `before` into `after` (both in compareSpans order, ids unique). Cost: O(n). */
export function spanDelta(before: readonly Span[], after: readonly Span[]): SpanDelta {
	const old = new Map(before.map((s) => [s.id, s]));
	const add: Span[] = [];
	for (const s of after) {
		const was = old.get(s.id);
		if (was && sameSpan(was, s)) old.delete(s.id);
		else add.push(s);
	}
	// what is left of `before` went (or changed, and came back in `add`)
	return { remove: [...old.keys()], add };
}

/**
 * `before` with `delta` applied, in compareSpans order: the `after` that
 * `spanDelta` was given. The few added spans are sorted and merged in.
 * Cost: O(n + k log k) for n spans and k added.
 */
export function applySpanDelta(before: readonly Span[], delta: SpanDelta): Span[] {
	const gone = new Set(delta.remove);
	const kept = gone.size ? before.filter((s) => !gone.has(s.id)) : before.slice();
	if (delta.add.length === 0) return kept;
	const added = delta.add.slice().sort(compareSpans);
	const out: Span[] = [];
	let i = 0;
	for (const s of kept) {
		while (i < added.length && compareSpans(added[i], s) < 0) out.push(added[i++]);
		out.push(s);
	}
	while (i < added.length) out.push(added[i++]);
	return out;
}

/** What turns relations `before` into `after` (ids unique in each). Cost: O(n). */
export function relationDelta(before: readonly Relation[], after: readonly Relation[]): RelationDelta {
	const old = new Set(before.map((r) => r.id));
	const add: Relation[] = [];
	for (const r of after) {
		if (old.has(r.id)) old.delete(r.id);
		else add.push(r);
	}
	return { remove: [...old], add };
}

/** `before` with `delta` applied, in sortRelations order over `spans` (the revision's spans). */
export function applyRelationDelta(before: readonly Relation[], delta: RelationDelta, spans: readonly Span[]): Relation[] {
	const gone = new Set(delta.remove);
	const kept = gone.size ? before.filter((r) => !gone.has(r.id)) : before.slice();
	return sortRelations([...kept, ...delta.add], spans);
}

const deltaSize = (d: { remove: unknown[]; add: unknown[] }) => d.remove.length + d.add.length;

/**
 * The line for `revision`, given the revision before it (null: none, or not
 * known): a delta when that is shorter than the full lists and no checkpoint
 * is due.
 */
export function encodeRevision(revision: Revision, previous: Pick<Revision, 'spans' | 'rejected' | 'relations'> | null): LogLine {
	if (!previous || revision.revision % CHECKPOINT_EVERY === 1) return revision;
	const delta = spanDelta(previous.spans, revision.spans);
	const rejectedDelta = revision.rejected ? spanDelta(previous.rejected ?? [], revision.rejected) : undefined;
	const before = previous.relations ?? [];
	const after = revision.relations ?? [];
	// unchanged relations (the same array, or the same ids) write nothing
	const relationsDelta = before === after || (before.length === 0 && after.length === 0) ? undefined : relationDelta(before, after);
	const changedRelations = relationsDelta && deltaSize(relationsDelta) > 0 ? relationsDelta : undefined;
	const full = revision.spans.length + (revision.rejected?.length ?? 0) + after.length;
	const size = deltaSize(delta) + (rejectedDelta ? deltaSize(rejectedDelta) : 0) + (changedRelations ? deltaSize(changedRelations) : 0);
	if (size >= Math.max(1, full)) return revision;
	// every other field of the revision (counts, notes, …) rides along as it is; `revision` stays first
	const { revision: number, at, by, status, spans: _spans, rejected: _rejected, relations: _relations, ...rest } = revision;
	return {
		revision: number,
		at,
		by,
		status,
		delta,
		...rest,
		...(rejectedDelta ? { rejectedDelta } : {}),
		...(changedRelations ? { relationsDelta: changedRelations } : {})
	};
}

export function isCheckpoint(line: LogLine): line is CheckpointLine {
	return Array.isArray((line as CheckpointLine).spans);
}

/** A checkpoint line starts like this (what encodeRevision and every older version wrote); a delta line has "delta" there. */
const CHECKPOINT_HEAD = /^\{"revision":\d+,"at":"[^"\\]*","by":"[^"\\]*","status":"[a-z_]+","spans":/;
const DELTA_HEAD = /^\{"revision":\d+,"at":"[^"\\]*","by":"[^"\\]*","status":"[a-z_]+","delta":/;

/** Whether a raw line is a checkpoint, from its start when it can (no parsing of a 20,000-span line); null for a line that is not JSON. */
export function lineIsCheckpoint(raw: string): boolean | null {
	if (CHECKPOINT_HEAD.test(raw)) return true;
	if (DELTA_HEAD.test(raw)) return false;
	try {
		return isCheckpoint(JSON.parse(raw) as LogLine);
	} catch {
		return null;
	}
}

/**
 * Full revisions from parsed log lines in log order. A delta applies to the
 * revision before it; a delta with nothing before it (a log cut by hand) is
 * skipped, as is everything up to the next checkpoint.
 */
export function decodeRevisions(lines: readonly LogLine[]): Revision[] {
	const out: Revision[] = [];
	let prev: Revision | null = null;
	for (const line of lines) {
		prev = decodeLine(prev, line);
		if (prev) out.push(prev);
	}
	return out;
}

/**
 * One step of decodeRevisions: the revision `line` makes of `prev` (the one
 * decoded before it, null: none); null for a delta with nothing before it.
 */
export function decodeLine(prev: Revision | null, line: LogLine): Revision | null {
	if (isCheckpoint(line)) return line;
	if (!prev) return null;
	const { revision, at, by, status, delta, rejectedDelta, relationsDelta, ...rest } = line;
	const spans = applySpanDelta(prev.spans, delta);
	const rejected: Span[] | undefined = rejectedDelta ? applySpanDelta(prev.rejected ?? [], rejectedDelta) : undefined;
	// no relationsDelta: the relations of the revision before (spans that stay keep their relative order, so does their sort)
	const relations = relationsDelta ? applyRelationDelta(prev.relations ?? [], relationsDelta, spans) : (prev.relations ?? []);
	return { revision, at, by, status, spans, ...rest, ...(rejected ? { rejected } : {}), ...(relations.length ? { relations } : {}) };
}
