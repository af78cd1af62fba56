/**
 * The checks of a save's input that need no stored state (src/lib/server/annotate/saveSet.ts):
 * spans in range with known labels, attribute values, relation endpoints and types,
 * sources, sizes, rejections (gold only), dismissed suggestions, comments. Pure: no
 * I/O; a problem is a DomainError (400 / 413) naming it, thrown before any lock is
 * taken, so a store backend never sees an input that fails them.
 */
import { materializeSpans, normalizeDismissed, validateSpans } from '../../model/spans';
import { MAX_RELATIONS, checkRelations as checkRelationList, spanSourceProblem, type RelationInput } from '../../model/relations';
import { conflictingDuplicates, validateSpanAttrs } from '../../model/attributes';
import { MAX_COMMENTS, type CommentInput, type DocumentFlag } from '../../model/notes';
import {
	GOLD,
	type DismissedSuggestion,
	type Label,
	type Relation,
	type RelationType,
	type Span,
	type SpanInput,
	type Status
} from '../../model/types';
import { badRequest, tooLarge } from '../http/errors';
import { limits } from '../config';

export interface SaveInput {
	baseRevision: number;
	/** omitted: keep the current spans */
	spans?: Array<SpanInput & { attrs?: unknown; source?: string }>;
	status?: Status;
	activeSecondsDelta?: number;
	/** gold only: the rejected candidates; omitted keeps the current ones */
	rejected?: SpanInput[];
	/**
	 * gold only: the relation candidates the lead rejected, keys
	 * `${fromSpanId}>${toSpanId}:${label}` (checkRejectedRelations; needs
	 * `relationTypes`); omitted keeps the current ones
	 */
	rejectedRelations?: string[];
	/** the document's flag (null removes it); omitted keeps it */
	flag?: DocumentFlag | null;
	/** the whole list of comments (see mergeComments); omitted keeps them */
	comments?: CommentInput[];
	/**
	 * A reply to a comment of the set (see addReply in src/lib/model/notes.ts): appended to the
	 * current comments under the set's lock, whatever the revision (`baseRevision`
	 * is not checked: a reply changes nothing the author is editing).
	 */
	reply?: { text: string; replyTo: string };
	/**
	 * The dataset's labels with their attribute definitions: given, the `attrs` of
	 * `spans` and `rejected` are checked against them (`checkAttrs`); internal
	 * callers that move stored spans around (label rewrites) leave it out.
	 */
	attributeLabels?: Label[];
	/**
	 * The whole list of relations (src/lib/model/relations.ts): endpoints are indexes into
	 * `spans` or span ids (of `spans`, or of the stored spans when `spans` is
	 * omitted); omitted keeps the current relations, which must then all still
	 * join spans of the set (a save that removes a related span without saying
	 * what becomes of its relations is refused: nothing is dropped silently).
	 */
	relations?: RelationInput[];
	/** the dataset's relation types; needed with `relations` */
	relationTypes?: RelationType[];
	/** the whole list of dismissed suggestions; omitted keeps them */
	dismissed?: DismissedSuggestion[];
}

/** A save's input once checked: what `nextRevision` builds the next state from. */
export interface PreparedSave {
	input: SaveInput;
	text: string;
	annotator: string;
	labels: string[];
	/** the given spans, materialized (ids, text, order); undefined: keep the current ones */
	given: Span[] | undefined;
	/** the given relations resolved against the given spans; undefined when no spans were given (resolved under the lock) */
	givenRelations: Relation[] | undefined;
	rejected: SpanInput[] | undefined;
	rejectedRelations: string[] | undefined;
	dismissed: DismissedSuggestion[] | undefined;
}

/**
 * Every check of `input` that needs no stored state. `labels`: the dataset's label
 * names, as `withCurrentLabels` gives them for the length of the save.
 */
export function prepareSave(doc: { text: string }, annotator: string, labels: string[], input: SaveInput): PreparedSave {
	if (input.spans && input.spans.length > limits.spansPerSet) {
		throw badRequest(`too many spans: ${input.spans.length} (limit ${limits.spansPerSet})`);
	}
	const problems = input.spans ? validateSpans(doc.text, input.spans, labels) : [];
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	checkSetSize(input.spans, 'spans');
	checkSetSize(input.rejected, 'rejected spans');
	if (input.attributeLabels) checkAttrs(input, input.attributeLabels);
	if (input.spans) checkSources(input.spans, 'span');
	if (input.rejected) checkSources(input.rejected, 'rejected span');
	if (input.relations && input.relations.length > MAX_RELATIONS) {
		throw badRequest(`too many relations: ${input.relations.length} (limit ${MAX_RELATIONS})`);
	}
	if (input.relations && !input.relationTypes) throw new Error('saveSet: relations need the dataset\'s relation types');
	const dismissed = input.dismissed === undefined ? undefined : checkDismissed(doc.text, labels, input.dismissed);
	// with relations, where each span went: their ends' ids and their order come from it
	const positions = input.spans && input.relations ? new Int32Array(input.spans.length) : undefined;
	const given = input.spans && materializeSpans(doc.text, input.spans, positions);
	// equal spans (start, end, label) with different values: only possible when materializing dropped some
	if (input.attributeLabels && input.spans && given && given.length < input.spans.length) refuse(conflictingDuplicates(input.spans));
	// relations of this save's spans are checked (and resolved to span ids) now; relations of the stored spans under the lock
	const givenRelations =
		input.relations && given ? checkRelations(input.spans!, input.relations, input.relationTypes!, labels, given, positions) : undefined;
	const rejected = input.rejected === undefined ? undefined : checkRejected(doc.text, annotator, labels, input.rejected);
	const rejectedRelations =
		input.rejectedRelations === undefined ? undefined : checkRejectedRelations(annotator, input.rejectedRelations, input.relationTypes);
	if (input.comments) checkComments(doc.text, labels, input.comments);
	return { input, text: doc.text, annotator, labels, given, givenRelations, rejected, rejectedRelations, dismissed };
}


/** Comments: at most MAX_COMMENTS, and a span a comment is about is a span of the document (in range, a known label). */
function checkComments(text: string, labels: string[], comments: CommentInput[]): void {
	if (comments.length > MAX_COMMENTS) throw badRequest(`too many comments: ${comments.length} (limit ${MAX_COMMENTS})`);
	const spans = comments.flatMap((c, i) => (c.span ? [{ i, span: c.span }] : []));
	const problems = validateSpans(text, spans.map((s) => s.span), labels);
	if (problems.length) {
		throw badRequest(
			problems
				.slice(0, 20)
				.map((p) => `comment ${spans[p.index]?.i !== undefined ? spans[p.index].i + 1 : '?'}: ${p.message.replace(/^span \d+: /, '')}`)
				.join('; ')
		);
	}
}

/**
 * Rejections are the gold set's alone (an annotator's set has nothing to
 * reject); they are spans of the document like any other: in range, known labels.
 */
function checkRejected(text: string, annotator: string, labels: string[], rejected: SpanInput[]): SpanInput[] {
	if (annotator !== GOLD) throw badRequest(`rejected: only the gold set records rejections, not "${annotator}"`);
	if (rejected.length > limits.spansPerSet) {
		throw badRequest(`too many rejected spans: ${rejected.length} (limit ${limits.spansPerSet})`);
	}
	const problems = validateSpans(text, rejected, labels).map((p) => ({ ...p, message: `rejected ${p.message}` }));
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	return rejected;
}

/** A rejected relation's key: `${fromSpanId}>${toSpanId}:` and then the relation type's name (src/lib/review/reviewRelations.ts relationKey). */
const REJECTED_RELATION_KEY = /^s[0-9a-f]{16}>s[0-9a-f]{16}:/;

/**
 * Rejected relation candidates are the gold set's alone, like rejected spans:
 * each a key of two span ids and a relation type of the dataset; duplicates are
 * dropped. Their ends need not be spans of gold (a candidate the lead rejected
 * usually joins spans gold does not have).
 */
function checkRejectedRelations(annotator: string, keys: string[], types: readonly RelationType[] | undefined): string[] {
	if (annotator !== GOLD) throw badRequest(`rejectedRelations: only the gold set records rejections, not "${annotator}"`);
	if (keys.length > MAX_RELATIONS) throw badRequest(`too many rejected relations: ${keys.length} (limit ${MAX_RELATIONS})`);
	if (!types) throw new Error("saveSet: rejectedRelations need the dataset's relation types");
	const names = new Set(types.map((t) => t.name));
	const problems: Array<{ index: number; message: string }> = [];
	keys.forEach((key, index) => {
		if (typeof key !== 'string' || !REJECTED_RELATION_KEY.test(key)) {
			problems.push({ index, message: `rejected relation ${index}: ${JSON.stringify(String(key).slice(0, 80))} is not "<from span id>><to span id>:<relation type>"` });
		} else if (!names.has(key.slice(36))) {
			const known = names.size ? `known: ${[...names].join(', ')}` : 'this dataset has no relation types';
			problems.push({ index, message: `rejected relation ${index}: "${key.slice(36, 100)}" is not a relation type of this dataset (${known})` });
		}
	});
	if (problems.length) throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	return keys;
}

/** Relations checked against `spans` (a 400 naming each problem), as stored relations in order over `ordered`. */
export function checkRelations(
	spans: readonly SpanInput[],
	relations: readonly RelationInput[],
	types: readonly RelationType[],
	labels: string[],
	ordered: readonly Span[],
	positions?: Int32Array
): Relation[] {
	const { problems, relations: resolved } = checkRelationList(spans, relations, types, labels, ordered, positions);
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	return resolved;
}

/** `spans[].source`: where an accepted suggestion came from, one of the known kinds (src/lib/model/relations.ts). */
function checkSources(spans: readonly SpanInput[], what: string): void {
	const problems: Array<{ index: number; message: string }> = [];
	spans.forEach((span, index) => {
		const source = (span as { source?: unknown }).source;
		if (source === undefined) return;
		const problem = spanSourceProblem(source);
		if (problem) problems.push({ index, message: `${what} ${index}: ${problem}` });
	});
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
}

/** Dismissed suggestions: spans of the document (in range, known labels) with a source each; stored sorted, once each. */
function checkDismissed(text: string, labels: string[], dismissed: DismissedSuggestion[]): DismissedSuggestion[] {
	if (dismissed.length > limits.spansPerSet) {
		throw badRequest(`too many dismissed suggestions: ${dismissed.length} (limit ${limits.spansPerSet})`);
	}
	const problems = validateSpans(text, dismissed, labels).map((p) => ({ ...p, message: `dismissed ${p.message}` }));
	dismissed.forEach((d, index) => {
		const problem = spanSourceProblem(d.source);
		if (problem) problems.push({ index, message: `dismissed span ${index}: ${problem}` });
	});
	if (problems.length) {
		problems.sort((a, b) => a.index - b.index);
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
	return normalizeDismissed(dismissed);
}

/**
 * Span attributes against the labels' definitions (src/lib/model/attributes.ts): known
 * names, right types and options, TIMEX3 values; on a save that marks the set
 * `done`, required ones set. Kept apart from the span checks above so either can
 * change without the other.
 */
function checkAttrs(input: SaveInput, labels: Label[]): void {
	refuse([
		...(input.spans ? validateSpanAttrs(input.spans, labels, { done: input.status === 'done' }) : []),
		// the spans' own duplicates: after materializing, when it dropped any (saveSet)
		...(input.rejected ? validateSpanAttrs(input.rejected, labels, { what: 'rejected span' }) : []),
		...(input.rejected ? conflictingDuplicates(input.rejected, 'rejected span') : [])
	]);
}

/** A 400 listing `problems` (the first 20 in the message, 100 in the body), if there are any. */
export function refuse(problems: ReadonlyArray<{ index: number; message: string }>): void {
	if (problems.length) {
		throw badRequest(problems.slice(0, 20).map((p) => p.message).join('; '), { problems: problems.slice(0, 100) });
	}
}

/**
 * How much one set may hold: the lengths of its spans added up (each stored
 * span keeps its text, so 20,000 spans over a long article would make a state
 * file of gigabytes). Checked before the set's lock; 413 past it.
 */
function checkSetSize(spans: SpanInput[] | undefined, what: string): void {
	if (!spans) return;
	let covered = 0;
	for (const s of spans) covered += s.end - s.start;
	if (covered > limits.setTextChars) {
		throw tooLarge(
			`the ${what} cover ${covered} characters in total, more than the ${limits.setTextChars} one annotation set may hold (each span stores its text)`
		);
	}
}

