/**
 * Notes an annotator keeps with their work on a document: a flag (skip it,
 * with a reason a lead sees in progress and review) and comments on the
 * document or one span, for questions between annotators and leads. They are
 * part of the annotation set (so every change is a revision, and only the
 * author and leads can read them) and never part of a release.
 */
import type { SpanInput } from './types';

export const FLAG_REASONS = ['not_news', 'broken_text', 'unsure', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export const FLAG_WORDS: Record<FlagReason, string> = {
	not_news: 'not news',
	broken_text: 'broken text',
	unsure: 'unsure',
	other: 'other'
};

export interface DocumentFlag {
	reason: FlagReason;
	/** optional words of the annotator */
	note: string;
}

export interface Comment {
	id: string;
	text: string;
	/** the span it is about (code points); absent: about the document */
	span?: SpanInput;
	by: string;
	at: string;
	/**
	 * A reply (by the set's author or a lead of the dataset, `POST …/comments`):
	 * the id of the comment it answers, always a comment that is not itself a reply.
	 */
	replyTo?: string;
}

/** A comment as a client sends it: a new one has no id (or one the server does not know). */
export interface CommentInput {
	id?: string;
	text: string;
	span?: SpanInput;
}

export const MAX_COMMENTS = 200;
/** ids clients may give new comments */
export const COMMENT_ID = /^[A-Za-z0-9_-]{6,40}$/;
export const MAX_COMMENT_CHARS = 2000;
export const MAX_FLAG_NOTE_CHARS = 500;

/**
 * The comments after a save: the list the client sent, in its order. A known id
 * keeps its author and time (its text may be edited); anything else is a new
 * comment by `by`, at `now`, keeping the id the client gave it (so the next save
 * names it the same) when that is a fresh `COMMENT_ID`, else one from `newId`.
 * A comment left out is deleted, and with it the replies to it. Replies
 * (`replyTo`) are not written by this list: one sent back keeps its stored text,
 * and one left out stays while the comment it answers does.
 */
export function mergeComments(current: readonly Comment[], input: readonly CommentInput[], by: string, now: string, newId: () => string): Comment[] {
	const known = new Map(current.map((c) => [c.id, c]));
	const seen = new Set<string>();
	const out: Comment[] = [];
	for (const c of input) {
		const old = c.id !== undefined && !seen.has(c.id) ? known.get(c.id) : undefined;
		if (old?.replyTo !== undefined) {
			seen.add(old.id);
			out.push(old);
			continue;
		}
		const fresh = c.id !== undefined && COMMENT_ID.test(c.id) && !seen.has(c.id) && !known.has(c.id);
		const id = old ? old.id : fresh ? c.id! : newId();
		seen.add(id);
		const span = c.span ? { start: c.span.start, end: c.span.end, label: c.span.label } : undefined;
		out.push({ id, text: c.text, ...(span ? { span } : {}), by: old?.by ?? by, at: old?.at ?? now });
	}
	for (const c of current) if (c.replyTo !== undefined && !seen.has(c.id)) out.push(c);
	const roots = new Set(out.filter((c) => c.replyTo === undefined).map((c) => c.id));
	return out.filter((c) => c.replyTo === undefined || roots.has(c.replyTo));
}

/**
 * The comments after a reply to `replyTo` (a comment of `current`; a reply to a
 * reply answers the comment that one answers). Throws a message for a 400 when
 * there is no such comment or no room left.
 */
export function addReply(current: readonly Comment[], replyTo: string, text: string, by: string, now: string, id: string): Comment[] {
	const target = current.find((c) => c.id === replyTo);
	if (!target) throw new Error(`replyTo: no comment "${replyTo.slice(0, 40)}" on this set (deleted, or never there); reload`);
	if (current.length >= MAX_COMMENTS) throw new Error(`too many comments: this set has ${current.length} (limit ${MAX_COMMENTS})`);
	const root = target.replyTo ?? target.id;
	return [...current, { id, text, by, at: now, replyTo: root }];
}

export function sameFlag(a: DocumentFlag | null | undefined, b: DocumentFlag | null | undefined): boolean {
	return (a?.reason ?? null) === (b?.reason ?? null) && (a?.note ?? '') === (b?.note ?? '');
}

export function sameComments(a: readonly Comment[], b: readonly Comment[]): boolean {
	const key = (c: Comment) => JSON.stringify([c.id, c.text, c.span?.start, c.span?.end, c.span?.label, c.replyTo]);
	return a.length === b.length && a.every((c, i) => key(c) === key(b[i]));
}
