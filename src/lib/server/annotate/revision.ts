/**
 * The rule of a save: from a set's current state and a checked input, the next
 * state and the revision that records it (src/lib/server/store/types.ts SetChange).
 * Pure — no I/O, no clock, no randomness (`now` and `newId` are given) — so every
 * store backend applies the same rules inside its `sets.commit`:
 *  - a set starts (`not_started` → `in_progress`) with its first span, or in gold
 *    its first decision; time spent reading does not start it;
 *  - one save adds 0–3600 s of active time, whole seconds;
 *  - gold's rejections never hold an accepted span or relation, sorted, once each;
 *  - a revision is written only when something changed (spans, their labels,
 *    values or sources, rejections, notes, relations, dismissed suggestions, status);
 *    a save that only adds active time replaces the state without a revision;
 *  - relations are never dropped silently: a save that removes a related span
 *    without saying what becomes of its relations is a 400 naming them.
 */
import { diffSpans, materializeSpans, sameDismissed } from '../../model/spans';
import { normalizeRejected } from '../../review/review';
import { countAttrChanges, missingRequired, sameAttrs } from '../../model/attributes';
import { addReply, mergeComments, sameComments, sameFlag } from '../../model/notes';
import { GOLD, type AnnotationSet, type Relation, type Revision, type Span, type Status } from '../../model/types';
import { badRequest } from '../http/errors';
import { checkRelations, type PreparedSave, type SaveInput } from './saveChecks';
import type { SetChange } from '../store/types';

/** Seconds of active time one save may add at most. */
export const MAX_ACTIVE_SECONDS_PER_SAVE = 3600;

/**
 * The next state of `current` after the save `prepared` by `by` at `now` (ISO
 * time); `newId()` names new comments. `set` is `current` itself when nothing is
 * to be written.
 */
export function nextRevision(
	current: AnnotationSet,
	prepared: PreparedSave,
	by: string,
	now: string,
	newId: () => string
): SetChange & { changed: boolean } {
	const { input, text, annotator, labels, given, givenRelations } = prepared;
	const spans = given ?? current.spans;
	const relations = nextRelations(input, givenRelations, current, spans, labels);
	if (input.attributeLabels && input.status === 'done' && !given) {
		const missing = missingRequired(spans, input.attributeLabels, 'stored span');
		if (missing.length) throw badRequest(missing.slice(0, 20).map((p) => p.message).join('; '), { problems: missing.slice(0, 100) });
	}
	const rejected =
		annotator === GOLD ? materializeSpans(text, normalizeRejected(prepared.rejected ?? current.rejected ?? [], spans)) : undefined;
	const rejectedRelations =
		annotator === GOLD ? normalizeRejectedRelations(prepared.rejectedRelations ?? current.rejectedRelations ?? [], relations) : undefined;
	// A document starts with its first span (or, in gold, its first decision): time spent reading it does not start it.
	const started = spans.length > 0 || (rejected?.length ?? 0) > 0 || (rejectedRelations?.length ?? 0) > 0;
	const status: Status =
		input.status ?? (current.status === 'not_started' && started ? 'in_progress' : current.status);
	const delta = Math.max(0, Math.min(MAX_ACTIVE_SECONDS_PER_SAVE, Math.round(input.activeSecondsDelta ?? 0)));
	const changes = diffSpans(current.spans, spans);
	// a value changed on a span that stays (same id) is a change of that span, not a new one
	const reattributed = countAttrChanges(current.spans, spans);
	const spansChanged =
		changes.added + changes.removed + changes.relabelled + reattributed > 0 ||
		current.spans.length !== spans.length ||
		sourcesChanged(current.spans, spans);
	const rejectedChanged = rejected !== undefined && !sameIds(rejected, current.rejected ?? []);
	const rejectedRelationsChanged =
		rejectedRelations !== undefined && rejectedRelations.join('\n') !== (current.rejectedRelations ?? []).join('\n');
	const keptRejectedRelations = rejectedRelations?.length ? { rejectedRelations } : {};
	const flag = input.flag === undefined ? current.flag : (input.flag ?? undefined);
	let comments =
		input.comments === undefined ? (current.comments ?? []) : mergeComments(current.comments ?? [], input.comments, by, now, newId);
	if (input.reply) {
		try {
			comments = addReply(comments, input.reply.replyTo, input.reply.text, by, now, newId());
		} catch (e) {
			throw badRequest((e as Error).message);
		}
	}
	const notesChanged = !sameFlag(flag, current.flag) || !sameComments(comments, current.comments ?? []);
	const notes = { ...(flag ? { flag } : {}), ...(comments.length ? { comments } : {}) };
	const relationChanges = relations === current.relations ? { added: 0, removed: 0 } : diffRelations(current.relations ?? [], relations);
	const nextDismissed = prepared.dismissed ?? current.dismissed ?? [];
	const dismissedChanged = !sameDismissed(nextDismissed, current.dismissed ?? []);
	const links = { ...(relations.length ? { relations } : {}), ...(nextDismissed.length ? { dismissed: nextDismissed } : {}) };
	const changed =
		spansChanged ||
		rejectedChanged ||
		rejectedRelationsChanged ||
		notesChanged ||
		relationChanges.added + relationChanges.removed > 0 ||
		dismissedChanged ||
		status !== current.status;
	if (!changed) {
		return { set: delta > 0 ? { ...current, active_seconds: current.active_seconds + delta } : current, revision: null, changed };
	}
	const set: AnnotationSet = {
		annotator,
		revision: current.revision + 1,
		status,
		spans,
		updated_at: now,
		updated_by: by,
		active_seconds: current.active_seconds + delta,
		...(rejected ? { rejected } : {}),
		...keptRejectedRelations,
		...notes,
		...links
	};
	const revision: Revision = {
		revision: set.revision,
		at: now,
		by,
		status,
		spans,
		...changes,
		...(reattributed ? { reattributed } : {}),
		...(relationChanges.added ? { relationsAdded: relationChanges.added } : {}),
		...(relationChanges.removed ? { relationsRemoved: relationChanges.removed } : {}),
		...(rejected ? { rejected } : {}),
		...keptRejectedRelations,
		...notes,
		...links
	};
	return { set, revision, changed };
}

/** Sorted (code units), duplicates dropped, and never a relation gold has (accepting a relation takes it off the list). */
function normalizeRejectedRelations(keys: readonly string[], relations: readonly Relation[]): string[] {
	const accepted = new Set(relations.map((r) => `${r.from}>${r.to}:${r.label}`));
	return [...new Set(keys)].filter((k) => !accepted.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The relations after a save: the given ones (resolved against the save's spans,
 * or the stored ones), or else the current ones, which must still join spans of
 * the set. Never drops one: a relation left without its span is a 400 naming it.
 */
function nextRelations(input: SaveInput, given: Relation[] | undefined, current: AnnotationSet, spans: Span[], labels: string[]): Relation[] {
	const kept = current.relations ?? [];
	if (input.relations) {
		// relations of the stored spans (none sent): checked against them here, under the lock
		const next = given ?? checkRelations(spans, input.relations, input.relationTypes!, labels, spans);
		// the same relations as stored: the stored list itself, so the revision log sees at once that nothing changed
		return sameRelations(kept, next) ? kept : next;
	}
	if (!kept.length) return [];
	if (spans === current.spans) return kept;
	const ids = new Set(spans.map((s) => s.id));
	const orphans = kept.flatMap((r, index) => (ids.has(r.from) && ids.has(r.to) ? [] : [{ index, r }]));
	if (orphans.length) {
		const problems = orphans.map(({ index, r }) => ({
			index,
			message:
				`stored relation ${index} ("${r.label}" ${r.id} from ${r.from} to ${r.to}) joins a span this save ` +
				`${ids.has(r.from) ? 'removes or changes (its end)' : 'removes or changes (its start)'}; send "relations" without it, or re-pointed`
		}));
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	// spans that stay keep their relative order (compareSpans), so the relations keep theirs
	return kept;
}

/** Relations that came and went (a relation is its id). */
function diffRelations(before: readonly Relation[], after: readonly Relation[]): { added: number; removed: number } {
	if (before.length === 0 || after.length === 0) return { added: after.length, removed: before.length };
	const had = new Set(before.map((r) => r.id));
	let added = 0;
	for (const r of after) if (!had.has(r.id)) added++;
	return { added, removed: before.length - (after.length - added) };
}

function sameRelations(a: readonly Relation[], b: readonly Relation[]): boolean {
	return a.length === b.length && a.every((r, i) => r.id === b[i].id);
}

/** Whether a span that stays (same id) got or lost a source; free when neither list has any. */
function sourcesChanged(before: readonly Span[], after: readonly Span[]): boolean {
	if (!before.some((s) => s.source) && !after.some((s) => s.source)) return false;
	const was = new Map(before.map((s) => [s.id, s.source]));
	return after.some((s) => was.has(s.id) && was.get(s.id) !== s.source);
}

function sameIds(a: Span[], b: Span[]): boolean {
	return a.length === b.length && a.every((s, i) => s.id === b[i].id && s.source === b[i].source && sameAttrs(s.attrs, b[i].attrs));
}
