/**
 * Finding a typed string in a text, accent- and case-insensitively (the one
 * folding of ./fold.ts): the in-document find bar (Ctrl+F) and "find spans"
 * across the corpus. Matches are whole code points of the original text, so
 * an emoji or a letter with its combining accent is never cut in half.
 */
import { fold, foldWithMap } from './fold';

/** A match in the original text, UTF-16 units, end exclusive. */
export interface TextMatch {
	start: number;
	end: number;
}

/**
 * The most hits the in-document find bar (Ctrl+F) highlights, in the
 * annotation and the review view alike: more than this are not drawn (the
 * count says "1,000+"), so a one-letter query in a long text stays quick.
 */
export const FIND_LIMIT = 1000;

/** The folded form of a query; empty when there is nothing to look for. */
export function foldQuery(query: string): string {
	return fold(query);
}

/**
 * A text folded once, for many queries (the find bar folds the article once,
 * then looks for every keystroke's query in it).
 */
export class FoldedText {
	readonly text: string;
	readonly #folded: string;
	readonly #from: number[];

	constructor(text: string) {
		this.text = text;
		const { folded, from } = foldWithMap(text);
		this.#folded = folded;
		this.#from = from;
	}

	/**
	 * The matches of `query`, in order, not overlapping (as a browser's find
	 * steps), at most `limit` of them; `truncated` when there were more.
	 * A match that starts or ends inside what one character folded to (a Hangul
	 * syllable folds to its three jamo) takes the whole character; combining marks after its
	 * last letter go with it (`e` matches `é` written as e + U+0301 whole).
	 */
	find(query: string, limit = Infinity): { matches: TextMatch[]; truncated: boolean } {
		const q = foldQuery(query);
		const matches: TextMatch[] = [];
		if (!q) return { matches, truncated: false };
		const folded = this.#folded;
		const from = this.#from;
		let at = folded.indexOf(q);
		while (at >= 0) {
			if (matches.length >= limit) return { matches, truncated: true };
			let end = at + q.length;
			// inside one character's folded form: go to its end
			while (end < folded.length && from[end] === from[end - 1]) end++;
			matches.push({ start: from[at], end: from[end] });
			at = folded.indexOf(q, end);
		}
		return { matches, truncated: false };
	}
}

/** The matches of `query` in `text` (see `FoldedText.find`). */
export function findMatches(text: string, query: string, limit = Infinity): { matches: TextMatch[]; truncated: boolean } {
	return new FoldedText(text).find(query, limit);
}

/** A run of text shown on its own (a DOM text node, say): where it is in the document, UTF-16, end exclusive. */
export interface TextRun {
	start: number;
	end: number;
}

/** The part of match `match` (an index into the matches) that falls in run `run`, offsets local to the run (UTF-16). */
export interface MatchPiece {
	run: number;
	match: number;
	start: number;
	end: number;
}

/**
 * Cuts `matches` (in order, not overlapping, as `FoldedText.find` gives them)
 * at the boundaries of `runs` (in document order, not overlapping; gaps
 * between them allowed): the pieces to draw in each run, in order. A match
 * over two runs (a word half inside a span) gives a piece in each; the parts
 * of a match in no run are left out. Linear in the runs and the matches they
 * meet, after a binary search for the first one.
 */
export function cutAtMatches(runs: readonly TextRun[], matches: readonly TextMatch[]): MatchPiece[] {
	const pieces: MatchPiece[] = [];
	if (runs.length === 0) return pieces;
	// the first match that ends after the first run starts
	let lo = 0;
	let hi = matches.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (matches[mid].end <= runs[0].start) lo = mid + 1;
		else hi = mid;
	}
	let m = lo;
	for (let r = 0; r < runs.length && m < matches.length; r++) {
		const run = runs[r];
		while (m < matches.length && matches[m].end <= run.start) m++;
		while (m < matches.length && matches[m].start < run.end) {
			const start = Math.max(matches[m].start, run.start);
			const end = Math.min(matches[m].end, run.end);
			if (end > start) pieces.push({ run: r, match: m, start: start - run.start, end: end - run.start });
			// a match going on past this run goes on in the next
			if (matches[m].end > run.end) break;
			m++;
		}
	}
	return pieces;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * `fold(text)`, faster on plain ASCII (most words of English and many of
 * French): NFD changes nothing there and there are no marks to strip, so lower
 * case is the whole fold. Same answer as `fold` for every text.
 */
export function foldQuick(text: string): string {
	return ASCII.test(text) ? text.toLowerCase() : fold(text);
}

/** Whether `text` contains the already folded `foldedQuery` (a cheap test before any offsets are worked out). */
export function containsFolded(text: string, foldedQuery: string): boolean {
	return foldQuick(text).includes(foldedQuery);
}
