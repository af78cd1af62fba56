/**
 * Review and adjudication, the pure parts: which spans the annotators share and
 * which they don't, what "accept everything agreed" adds to gold, how a lead's
 * decisions edit the gold spans and the rejections, and word-wise boundary
 * moves. The lane layout the review view draws (one row per annotator under each
 * paragraph) is ./lanes.ts.
 *
 * Offsets are code point offsets (see ./offsets.ts); spans are identified by
 * `spanId` (same start, end and label = same span, on client and server).
 */
import type { Label, Span, SpanInput, Status } from '../model/types';
import { compareSpans, packedSpanCount, packSpansJson, spanId, unpackSpansJson } from '../model/spans';
import { tokenizeOffsets, type TokenOffsets } from '../text/tokens';
import type { ChangeSinceGold } from './goldChanges';
import type { Comment, DocumentFlag } from '../model/notes';
import type { PunctuationRule } from '../annotate/punctuationSnap';

/** One annotator's (or the gold) set as the review view gets it. */
export interface ReviewSet {
	annotator: string;
	status: Status;
	revision: number;
	spans: Span[];
	updated_at: string | null;
	updated_by: string | null;
	/** the annotator's flag on the document and comments (see ./notes.ts) */
	flag?: DocumentFlag;
	comments?: Comment[];
	/** relations between the set's spans, by span id (issue #17; absent: none) */
	relations?: Array<{ id?: string; from: string; to: string; label: string }>;
}

/** What the review view of one document is given (GET …/documents/{id}/review). */
export interface ReviewData {
	dataset: {
		slug: string;
		title: string;
		labels: Label[];
		punctuation?: PunctuationRule;
		/** the dataset's relation types (issue #17; absent: none) */
		relationTypes?: Array<{ name: string; key: string; from: string[]; to: string[] }>;
	};
	document: { id: string; title: string; text: string };
	/** annotators with saved work on the document (any status), by name */
	annotators: ReviewSet[];
	/** the gold set (revision 0 when nobody adjudicated yet), with the candidates the lead rejected (spans, and relations by key) */
	gold: ReviewSet & { rejected: Span[]; rejectedRelations?: string[] };
	/** annotators who saved after gold was last saved as done, with what changed (see $lib/goldChanges) */
	changedSinceGold?: ChangeSinceGold[];
	/** the documents agreement uses (done by >= 2 annotators), in document order */
	nav: { previous: string | null; next: string | null; position: number; total: number; goldDone: number };
}

/**
 * ReviewData as the review page's load sends it: each span list as `packSpansJson` writes it, as the annotation
 * page's is (20,000 spans were ~250 ms of the server's event loop through the page data's serialiser).
 */
export type ReviewPageData = Omit<ReviewData, 'annotators' | 'gold'> & {
	annotators: Array<Omit<ReviewSet, 'spans'> & { spans: string }>;
	gold: Omit<ReviewData['gold'], 'spans' | 'rejected'> & { spans: string; rejected: string };
};

export function packReviewData(data: ReviewData): ReviewPageData {
	return {
		...data,
		annotators: data.annotators.map((a) => ({ ...a, spans: packSpansJson(a.spans) })),
		gold: { ...data.gold, spans: packSpansJson(data.gold.spans), rejected: packSpansJson(data.gold.rejected) }
	};
}

export function unpackReviewData(data: ReviewPageData): ReviewData {
	const text = data.document.text;
	return {
		...data,
		annotators: data.annotators.map((a) => ({ ...a, spans: unpackSpansJson(text, a.spans) })),
		gold: { ...data.gold, spans: unpackSpansJson(text, data.gold.spans), rejected: unpackSpansJson(text, data.gold.rejected) }
	};
}

/** the spans the review view draws: every annotator's and gold's (rejected ones too), without unpacking them */
export function spanCountOf(data: ReviewPageData): number {
	return data.annotators.reduce((n, a) => n + packedSpanCount(a.spans), packedSpanCount(data.gold.spans) + packedSpanCount(data.gold.rejected));
}

/** One lane of the review view: an annotator's spans, or the gold set's. */
export interface LaneInput {
	name: string;
	spans: SpanInput[];
}

/** A distinct span (start, end, label) proposed by at least one voting annotator. */
export interface Candidate extends SpanInput {
	id: string;
	/** voters who have exactly this span, sorted */
	annotators: string[];
	/** every voter has it, and there are at least two voters */
	agreed: boolean;
}

function plain(s: SpanInput): SpanInput {
	return { start: s.start, end: s.end, label: s.label };
}

/**
 * Distinct spans of the voters, in `compareSpans` order, each with who proposed
 * it. With fewer than two voters nothing counts as agreed: one opinion is not an
 * agreement, so every span stays up for review.
 */
export function collectCandidates(voters: LaneInput[]): Candidate[] {
	const byId = new Map<string, Candidate>();
	const names = [...new Set(voters.map((v) => v.name))].sort();
	for (const voter of voters) {
		for (const s of voter.spans) {
			const id = spanId(s);
			let c = byId.get(id);
			if (!c) byId.set(id, (c = { ...plain(s), id, annotators: [], agreed: false }));
			if (!c.annotators.includes(voter.name)) c.annotators.push(voter.name);
		}
	}
	const out = [...byId.values()].sort(compareSpans);
	for (const c of out) {
		c.annotators.sort();
		c.agreed = names.length >= 2 && c.annotators.length === names.length;
	}
	return out;
}

/** The spans not shared by every voter: what the lead has to look at. */
export function disagreements(candidates: Candidate[]): Candidate[] {
	return candidates.filter((c) => !c.agreed);
}

/**
 * Boundary disagreements: candidates of the same label that overlap (directly
 * or through another, e.g. «la réforme» / «« la réforme »» / «la réforme
 * sera»), which are one decision — where the span starts and ends — not
 * several unrelated ones. Groups have at least two members, in text order, and
 * come in the order of their first member.
 */
export interface BoundaryGroup {
	/** the first member's id */
	id: string;
	label: string;
	members: Candidate[];
	/** the stretch the members cover together (code points) */
	start: number;
	end: number;
	/** what every member covers (empty, start === end, when there is no such core) */
	coreStart: number;
	coreEnd: number;
}

export function boundaryGroups(candidates: readonly Candidate[]): BoundaryGroup[] {
	const byLabel = new Map<string, Candidate[]>();
	for (const c of [...candidates].sort(compareSpans)) {
		const list = byLabel.get(c.label);
		if (list) list.push(c);
		else byLabel.set(c.label, [c]);
	}
	const groups: BoundaryGroup[] = [];
	for (const [label, list] of byLabel) {
		let current: Candidate[] = [];
		let end = -1;
		const close = () => {
			if (current.length >= 2) {
				const coreStart = Math.max(...current.map((m) => m.start));
				const coreEnd = Math.min(...current.map((m) => m.end));
				groups.push({
					id: current[0].id,
					label,
					members: current,
					start: current[0].start,
					end,
					coreStart: coreStart < coreEnd ? coreStart : current[0].start,
					coreEnd: coreStart < coreEnd ? coreEnd : current[0].start
				});
			}
		};
		for (const c of list) {
			// sorted by start: a candidate joins the run while it starts before the run's end
			if (current.length && c.start < end) {
				current.push(c);
				end = Math.max(end, c.end);
			} else {
				close();
				current = [c];
				end = c.end;
			}
		}
		close();
	}
	return groups.sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/**
 * One member of a group drawn over the group's stretch, for aligned rows: the
 * parts outside the member (`outside`), the member's edges that not every
 * member has (`edge`, to highlight), and the shared core (`core`).
 */
export function alignedPieces(group: BoundaryGroup, member: SpanInput): Array<{ start: number; end: number; kind: 'outside' | 'edge' | 'core' }> {
	const cuts = [...new Set([group.start, member.start, group.coreStart, group.coreEnd, member.end, group.end])]
		.filter((x) => x >= group.start && x <= group.end)
		.sort((a, b) => a - b);
	const out: Array<{ start: number; end: number; kind: 'outside' | 'edge' | 'core' }> = [];
	for (let i = 0; i + 1 < cuts.length; i++) {
		const [a, b] = [cuts[i], cuts[i + 1]];
		const kind = a < member.start || b > member.end ? 'outside' : a >= group.coreStart && b <= group.coreEnd ? 'core' : 'edge';
		const last = out.at(-1);
		if (last && last.kind === kind) last.end = b;
		else out.push({ start: a, end: b, kind });
	}
	return out;
}

/** The lead takes one member's boundaries: it goes into gold, the other members are recorded as rejected. */
export function pickBoundary(v: Verdicts, group: BoundaryGroup, chosen: SpanInput): Verdicts {
	const others = group.members.filter((m) => spanId(m) !== spanId(chosen)).map(plain);
	const gold = addSpan(removeSpans(v.gold, others), chosen);
	return { gold, rejected: normalizeRejected([...v.rejected, ...others], gold) };
}

function removeSpans(gold: SpanInput[], spans: SpanInput[]): SpanInput[] {
	const ids = new Set(spans.map(spanId));
	return normalizeGold(gold.filter((s) => !ids.has(spanId(s))));
}

/** Gold spans as a sorted, duplicate-free list of plain spans. */
export function normalizeGold(spans: SpanInput[]): SpanInput[] {
	const seen = new Set<string>();
	const out: SpanInput[] = [];
	for (const s of [...spans].sort(compareSpans)) {
		const id = spanId(s);
		if (seen.has(id)) continue;
		seen.add(id);
		out.push(plain(s));
	}
	return out;
}

export function addSpan(gold: SpanInput[], span: SpanInput): SpanInput[] {
	return normalizeGold([...gold, span]);
}

export function removeSpan(gold: SpanInput[], span: SpanInput): SpanInput[] {
	const id = spanId(span);
	return normalizeGold(gold.filter((s) => spanId(s) !== id));
}

/** Replace `before` by `after` (an edit); `before` need not be in gold (editing a candidate adds the edited span). */
export function replaceSpan(gold: SpanInput[], before: SpanInput, after: SpanInput): SpanInput[] {
	return addSpan(removeSpan(gold, before), after);
}

/** What the lead decided on one document: the gold spans, and the candidates rejected. */
export interface Verdicts {
	gold: SpanInput[];
	rejected: SpanInput[];
}

/**
 * Rejections as they are stored: sorted, without duplicates, and without any
 * span gold has (a span accepted later is no longer rejected). The server
 * applies this to every save of the gold set, so a client that only sends
 * spans cannot leave a span both accepted and rejected.
 */
export function normalizeRejected(rejected: SpanInput[], gold: SpanInput[]): SpanInput[] {
	const accepted = new Set(gold.map(spanId));
	return normalizeGold(rejected.filter((s) => !accepted.has(spanId(s))));
}

/** Accept a span: into gold, and no longer rejected. */
export function acceptSpan(v: Verdicts, span: SpanInput): Verdicts {
	const gold = addSpan(v.gold, span);
	return { gold, rejected: normalizeRejected(v.rejected, gold) };
}

/**
 * Reject a span: out of gold and, when `record` (it is a candidate some
 * annotator proposed), kept as a rejection so it no longer shows as open.
 */
export function rejectSpan(v: Verdicts, span: SpanInput, record: boolean): Verdicts {
	const gold = removeSpan(v.gold, span);
	return { gold, rejected: normalizeRejected(record ? [...v.rejected, span] : v.rejected, gold) };
}

/** Take back a rejection: the span is open again. */
export function reopenSpan(v: Verdicts, span: SpanInput): Verdicts {
	return { gold: v.gold, rejected: removeSpan(v.rejected, span) };
}

/** Gold replaced (an edit, accept-agreed); rejections of spans now in gold are dropped. */
export function withGold(v: Verdicts, gold: SpanInput[]): Verdicts {
	return { gold, rejected: normalizeRejected(v.rejected, gold) };
}

export function sameVerdicts(a: Verdicts, b: Verdicts): boolean {
	const ids = (spans: SpanInput[]) => spans.map(spanId).join(',');
	return ids(a.gold) === ids(b.gold) && ids(a.rejected) === ids(b.rejected);
}

/** Gold plus every agreed candidate; `added` counts the ones gold did not have yet. */
export function acceptAgreed(gold: SpanInput[], candidates: Candidate[]): { spans: SpanInput[]; added: number } {
	const have = new Set(gold.map(spanId));
	const fresh = candidates.filter((c) => c.agreed && !have.has(c.id));
	return { spans: normalizeGold([...gold, ...fresh]), added: fresh.length };
}

/**
 * A candidate edited into `after`: `after` goes into gold and the candidate as
 * it was is recorded as rejected (the lead decided against it as it was, so it
 * counts as decided and does not show as open again). Editing a gold span
 * (`candidate` false) replaces it, without a rejection.
 */
export function editSpan(v: Verdicts, before: SpanInput, after: SpanInput, candidate: boolean): Verdicts {
	if (!candidate) return withGold(v, replaceSpan(v.gold, before, after));
	const gold = addSpan(v.gold, after);
	const changed = spanId(before) !== spanId(after);
	return { gold, rejected: normalizeRejected(changed ? [...v.rejected, before] : v.rejected, gold) };
}

/**
 * Where a candidate stands against the gold set. Only the lead's own decisions
 * about this very candidate settle it — an accept, a reject, an edit of it (its
 * original is then recorded as rejected), or a gold span over exactly its
 * characters; a gold span that merely overlaps it (e.g. a longer claim
 * accepted around it) leaves it open:
 *  - accepted:   gold has exactly this span
 *  - relabelled: gold has a span over exactly the same characters, under another label
 *  - rejected:   the lead rejected it, or edited it into something else
 *  - open:       not decided yet
 */
export type Decision = 'accepted' | 'relabelled' | 'rejected' | 'open';

export function decisionOf(span: SpanInput, gold: SpanInput[], rejected: ReadonlySet<string>): Decision {
	const id = spanId(span);
	const index = goldIndex(gold);
	if (index.ids.has(id)) return 'accepted';
	if (rejected.has(id)) return 'rejected';
	if (index.ranges.has(`${span.start}:${span.end}`)) return 'relabelled';
	return 'open';
}

interface GoldIndex {
	ids: Set<string>;
	/** `start:end` of every gold span */
	ranges: Set<string>;
}

const goldIndexes = new WeakMap<SpanInput[], GoldIndex>();

/**
 * Gold looked up by id and by position, built once per gold array (arrays are
 * replaced, never changed in place): the review page asks for the decision of
 * every candidate and of every drawn segment, so a scan of gold each time
 * would be quadratic (20,000 spans: minutes). Building costs O(g); a question O(1).
 */
function goldIndex(gold: SpanInput[]): GoldIndex {
	let index = goldIndexes.get(gold);
	if (index) return index;
	index = { ids: new Set(gold.map(spanId)), ranges: new Set(gold.map((g) => `${g.start}:${g.end}`)) };
	goldIndexes.set(gold, index);
	return index;
}

/**
 * Index of the next (dir 1) or previous (dir -1) item after `current`, wrapping
 * around; -1 for an empty list. From "nothing focused" (current -1), next is the
 * first and previous the last.
 */
export function step(length: number, current: number, dir: 1 | -1): number {
	if (length === 0) return -1;
	if (current < 0 || current >= length) return dir === 1 ? 0 : length - 1;
	return (current + dir + length) % length;
}

/** First index after `current` (wrapping, `current` itself last) whose item satisfies `ok`, or -1. */
export function nextMatching<T>(items: T[], current: number, ok: (item: T) => boolean): number {
	const n = items.length;
	for (let k = 1; k <= n; k++) {
		const i = (((current + k) % n) + n) % n;
		if (ok(items[i])) return i;
	}
	return -1;
}

// ---------------------------------------------------------------------------
// Boundary edits by word
// ---------------------------------------------------------------------------

/**
 * Move one edge of `span` by one token (tokens as in the agreement maths: a run
 * of letters/digits/marks, or any other single non-space character). The span
 * never becomes empty: a move that would cross the other edge does nothing.
 *  - end +1: to the end of the first token ending after it; end -1: to the end
 *    of the last token ending before it (and after the start)
 *  - start -1: to the start of the last token starting before it; start +1: to
 *    the start of the first token starting after it (and before the end)
 */
export function moveBoundary(tokens: TokenOffsets, span: SpanInput, edge: 'start' | 'end', dir: 1 | -1): SpanInput {
	const { starts, ends, count } = tokens;
	const { start, end } = span;
	if (edge === 'end') {
		if (dir === 1) {
			for (let k = 0; k < count; k++) if (ends[k] > end) return { ...plain(span), end: ends[k] };
		} else {
			for (let k = count - 1; k >= 0; k--) {
				if (ends[k] < end) return ends[k] > start ? { ...plain(span), end: ends[k] } : plain(span);
			}
		}
	} else if (dir === -1) {
		for (let k = count - 1; k >= 0; k--) if (starts[k] < start) return { ...plain(span), start: starts[k] };
	} else {
		for (let k = 0; k < count; k++) {
			if (starts[k] > start) return starts[k] < end ? { ...plain(span), start: starts[k] } : plain(span);
		}
	}
	return plain(span);
}

/** The tokens `moveBoundary` steps over, for one document text. */
export function wordTokens(text: string): TokenOffsets {
	return tokenizeOffsets(text);
}
