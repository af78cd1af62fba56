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
 * A checkpoint is written for revision 1, every CHECKPOINT_EVERY revisions
 * (1, 51, 101, …), and whenever the delta would be as long as the full list,
 * so rebuilding any revision reads at most CHECKPOINT_EVERY lines. `revision`
 * stays the first key (the store reads it from the line's start).
 */
import { compareSpans } from '../../spans';
import type { Revision, Span } from '../../types';

export const CHECKPOINT_EVERY = 50;

export interface SpanDelta {
	remove: string[];
	add: Span[];
}

type Common = Omit<Revision, 'spans' | 'rejected'>;
export type CheckpointLine = Revision;
export type DeltaLine = Common & { delta: SpanDelta; rejectedDelta?: SpanDelta };
export type LogLine = CheckpointLine | DeltaLine;

const sameSpan = (a: Span, b: Span) => a.id === b.id && (a.attrs === b.attrs || JSON.stringify(a.attrs) === JSON.stringify(b.attrs));

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

const deltaSize = (d: SpanDelta) => d.remove.length + d.add.length;

/**
 * The line for `revision`, given the revision before it (null: none, or not
 * known): a delta when that is shorter than the full lists and no checkpoint
 * is due.
 */
export function encodeRevision(revision: Revision, previous: Pick<Revision, 'spans' | 'rejected'> | null): LogLine {
	if (!previous || revision.revision % CHECKPOINT_EVERY === 1) return revision;
	const delta = spanDelta(previous.spans, revision.spans);
	const rejectedDelta = revision.rejected ? spanDelta(previous.rejected ?? [], revision.rejected) : undefined;
	const full = revision.spans.length + (revision.rejected?.length ?? 0);
	if (deltaSize(delta) + (rejectedDelta ? deltaSize(rejectedDelta) : 0) >= Math.max(1, full)) return revision;
	// every other field of the revision (counts, notes, …) rides along as it is; `revision` stays first
	const { revision: number, at, by, status, spans: _spans, rejected: _rejected, ...rest } = revision;
	return { revision: number, at, by, status, delta, ...rest, ...(rejectedDelta ? { rejectedDelta } : {}) };
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
		if (isCheckpoint(line)) {
			prev = line;
		} else if (prev) {
			const { revision, at, by, status, delta, rejectedDelta, ...rest } = line;
			const before: Revision = prev;
			const spans = applySpanDelta(before.spans, delta);
			const rejected: Span[] | undefined = rejectedDelta ? applySpanDelta(before.rejected ?? [], rejectedDelta) : undefined;
			prev = { revision, at, by, status, spans, ...rest, ...(rejected ? { rejected } : {}) };
		} else continue;
		out.push(prev);
	}
	return out;
}
