/**
 * Matching a model's spans against reference spans, one document at a time.
 * Pure: no I/O. Offsets are code point offsets, end exclusive (src/lib/model/types.ts).
 *
 * Three matching rules, each per label (a predicted span only ever matches a
 * reference span of the same label), each giving true positives, false
 * positives and false negatives:
 *  - exact:   same start, same end. Multiset intersection of (start, end).
 *  - overlap: the spans share at least one code point; each reference span and
 *             each predicted span is matched at most once, GREEDY BY LARGEST
 *             OVERLAP (the pair sharing the most code points first; ties by the
 *             smaller boundary distance, then position), as the issue asks. This
 *             is not a maximum matching (agreement's spanF1 is); it is the rule
 *             evaluation scripts of the CoNLL/SemEval kind use.
 *  - token:   every token of the text (the one tokenizer,
 *             src/lib/text/tokens.ts) that a span of the label touches is
 *             labelled; tp = tokens labelled on both sides, fp = only predicted,
 *             fn = only in the reference. Nested spans of one label count a token
 *             once.
 *
 * Error categories (SemEval-2013 task 9.1 / MUC), over all labels at once, each
 * span used once, in this order:
 *   1. correct                     same start, end and label
 *   2. wrong_label                 same start and end, other label
 *   3. wrong_boundaries            same label, overlapping (greedy by largest overlap)
 *   4. wrong_label_and_boundaries  other label, overlapping (greedy by largest overlap)
 *   5. missed                      a reference span left over
 *   6. spurious                    a predicted span left over
 * A category that involves a reference span is counted under the reference
 * span's label; spurious under the predicted span's label.
 *
 * Just over 400 lines: the three rules, their tie-breaking and the token
 * projection they share, next to the definitions above.
 */
import { firstTokenEndingAfter, tokenizeOffsets, type TokenOffsets } from '../text/tokens';
import { exactMatchCount } from '../agreement/spanF1';

export interface EvalSpan {
	start: number;
	end: number;
	label: string;
	/** the model's confidence, when it gave one (predictions only) */
	score?: number;
}

export interface Counts {
	tp: number;
	fp: number;
	fn: number;
}

export const MODES = ['exact', 'overlap', 'token'] as const;
export type Mode = (typeof MODES)[number];

export const CATEGORIES = [
	'correct',
	'wrong_label',
	'wrong_boundaries',
	'wrong_label_and_boundaries',
	'missed',
	'spurious'
] as const;
export type Category = (typeof CATEGORIES)[number];

export type CategoryCounts = Record<Category, number>;

export interface LabelCounts {
	exact: Counts;
	overlap: Counts;
	token: Counts;
	errors: CategoryCounts;
}

/** One classified pair (or lone span) of a document, for the error browser. */
export interface Classified {
	category: Category;
	/** the label it is counted under */
	label: string;
	reference: EvalSpan | null;
	predicted: EvalSpan | null;
}

const bySpan = (a: EvalSpan, b: EvalSpan) =>
	a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/** The spans in (start, end, label) order; the array itself when it already is (releases and runs are stored sorted). */
export function sortSpans<T extends EvalSpan>(spans: readonly T[]): readonly T[] {
	for (let i = 1; i < spans.length; i++) if (bySpan(spans[i - 1], spans[i]) > 0) return [...spans].sort(bySpan);
	return spans;
}

function groupByLabel(spans: readonly EvalSpan[]): Map<string, EvalSpan[]> {
	const m = new Map<string, EvalSpan[]>();
	for (const s of spans) {
		const g = m.get(s.label);
		if (g) g.push(s);
		else m.set(s.label, [s]);
	}
	return m;
}

const overlapOf = (a: EvalSpan, b: EvalSpan) => Math.min(a.end, b.end) - Math.max(a.start, b.start);

/**
 * Same start and end, each span used once; returns the number of matches. The
 * one rule of exact matching, shared with agreement (already-sorted input is not copied).
 */
export const exactMatches: (reference: readonly EvalSpan[], predicted: readonly EvalSpan[]) => number = exactMatchCount;

interface Pair {
	r: number;
	p: number;
	overlap: number;
	distance: number;
}

/**
 * Overlapping (reference, predicted) index pairs, found by a sweep over both
 * lists sorted by start (the scan stops at the first predicted span starting
 * after the reference span ends), filtered by `accept`,
 * in greedy order: largest overlap first, then smallest boundary distance,
 * then reference position, then predicted position.
 */
/**
 * Overlapping pairs of one document that the greedy matchings will sort, at
 * most: heavily nested spans on both sides make the pairs quadratic in the
 * spans, and past this a document is refused rather than slowing everyone.
 */
export const MAX_OVERLAP_PAIRS = 1_000_000;

/** A document whose spans overlap in more pairs than MAX_OVERLAP_PAIRS. */
export class TooManyOverlaps extends Error {
	constructor(readonly pairs: number) {
		super(`more than ${MAX_OVERLAP_PAIRS.toLocaleString('en')} overlapping pairs of reference and predicted spans in one document`);
	}
}

function overlappingPairs(
	reference: readonly EvalSpan[],
	predicted: readonly EvalSpan[],
	accept: (r: EvalSpan, p: EvalSpan) => boolean
): Pair[] {
	const pairs: Pair[] = [];
	if (reference.length * predicted.length > MAX_OVERLAP_PAIRS) {
		// count before allocating anything: only the pairs that do overlap matter
		let n = 0;
		for (const r of reference) for (const p of predicted) if (p.start < r.end && p.end > r.start) n++;
		if (n > MAX_OVERLAP_PAIRS) throw new TooManyOverlaps(n);
	}
	// both sorted by start: for each reference span, the predicted spans that start before it ends
	for (let i = 0; i < reference.length; i++) {
		const r = reference[i];
		if (r.end <= r.start) continue;
		for (let j = 0; j < predicted.length; j++) {
			const p = predicted[j];
			if (p.start >= r.end) break;
			if (p.end <= r.start || p.end <= p.start) continue;
			if (!accept(r, p)) continue;
			pairs.push({ r: i, p: j, overlap: overlapOf(r, p), distance: Math.abs(r.start - p.start) + Math.abs(r.end - p.end) });
		}
	}
	pairs.sort((a, b) => b.overlap - a.overlap || a.distance - b.distance || a.r - b.r || a.p - b.p);
	return pairs;
}

/** Greedy matching on pairs in order; marks `usedR`/`usedP`, returns the pairs taken. */
function greedy(pairs: Pair[], usedR: Uint8Array, usedP: Uint8Array): Pair[] {
	const taken: Pair[] = [];
	for (const pair of pairs) {
		if (usedR[pair.r] || usedP[pair.p]) continue;
		usedR[pair.r] = 1;
		usedP[pair.p] = 1;
		taken.push(pair);
	}
	return taken;
}

/** Overlap matches of one label's spans (greedy by largest overlap). Inputs sorted by start. */
export function overlapMatches(reference: readonly EvalSpan[], predicted: readonly EvalSpan[]): number {
	if (reference.length === 0 || predicted.length === 0) return 0;
	const pairs = overlappingPairs(reference, predicted, () => true);
	return greedy(pairs, new Uint8Array(reference.length), new Uint8Array(predicted.length)).length;
}

/** Index of the first token starting at or after `pos` (token starts increase). */
function firstTokenStartingAtOrAfter(tokens: TokenOffsets, pos: number): number {
	let lo = 0;
	let hi = tokens.count;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (tokens.starts[mid] < pos) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Marks which tokens the spans touch: a difference array over token indices,
 * so nested or repeated spans cost their boundaries, not their length.
 */
function coveredTokens(tokens: TokenOffsets, spans: readonly EvalSpan[], into: Uint8Array, bit: number, diff: Int32Array): void {
	diff.fill(0, 0, tokens.count + 1);
	for (const s of spans) {
		if (s.end <= s.start) continue;
		const a = firstTokenEndingAfter(tokens, s.start);
		const b = firstTokenStartingAtOrAfter(tokens, s.end);
		if (a >= b) continue;
		diff[a]++;
		diff[b]--;
	}
	let depth = 0;
	for (let k = 0; k < tokens.count; k++) {
		depth += diff[k];
		if (depth > 0) into[k] |= bit;
	}
}

/** The tokens of a text, computed once per document and shared by every label. */
export function documentTokens(text: string): TokenOffsets {
	return tokenizeOffsets(text);
}

/** Token tp/fp/fn of one label's spans. */
let flagScratch = new Uint8Array(1024);
let diffScratch = new Int32Array(1025);

export function tokenCounts(tokens: TokenOffsets, reference: readonly EvalSpan[], predicted: readonly EvalSpan[]): Counts {
	if (flagScratch.length < tokens.count) {
		flagScratch = new Uint8Array(tokens.count * 2);
		diffScratch = new Int32Array(tokens.count * 2 + 1);
	}
	const flags = flagScratch;
	const diff = diffScratch;
	flags.fill(0, 0, tokens.count);
	coveredTokens(tokens, reference, flags, 1, diff);
	coveredTokens(tokens, predicted, flags, 2, diff);
	let tp = 0;
	let fp = 0;
	let fn = 0;
	for (let k = 0; k < tokens.count; k++) {
		const f = flags[k];
		if (f === 3) tp++;
		else if (f === 2) fp++;
		else if (f === 1) fn++;
	}
	return { tp, fp, fn };
}

export function emptyCategories(): CategoryCounts {
	return { correct: 0, wrong_label: 0, wrong_boundaries: 0, wrong_label_and_boundaries: 0, missed: 0, spurious: 0 };
}

function emptyLabelCounts(): LabelCounts {
	return { exact: { tp: 0, fp: 0, fn: 0 }, overlap: { tp: 0, fp: 0, fn: 0 }, token: { tp: 0, fp: 0, fn: 0 }, errors: emptyCategories() };
}

/**
 * The error categories of one document: every reference and predicted span
 * lands in exactly one classified item (see the module comment for the order).
 */
export function classify(reference: readonly EvalSpan[], predicted: readonly EvalSpan[]): Classified[] {
	const R = sortSpans(reference);
	const P = sortSpans(predicted);
	const usedR = new Uint8Array(R.length);
	const usedP = new Uint8Array(P.length);
	const out: Classified[] = [];

	// 1 and 2: same boundaries; both lists are in (start, end, label) order, so spans
	// with equal boundaries form runs: within a pair of runs, equal labels first
	for (let i = 0, j = 0; i < R.length && j < P.length; ) {
		const c = R[i].start - P[j].start || R[i].end - P[j].end;
		if (c < 0) i++;
		else if (c > 0) j++;
		else {
			let i2 = i;
			let j2 = j;
			while (i2 < R.length && R[i2].start === R[i].start && R[i2].end === R[i].end) i2++;
			while (j2 < P.length && P[j2].start === P[j].start && P[j2].end === P[j].end) j2++;
			for (const sameLabel of [true, false]) {
				for (let a = i; a < i2; a++) {
					if (usedR[a]) continue;
					for (let b = j; b < j2; b++) {
						if (usedP[b] || (R[a].label === P[b].label) !== sameLabel) continue;
						usedR[a] = 1;
						usedP[b] = 1;
						out.push({ category: sameLabel ? 'correct' : 'wrong_label', label: R[a].label, reference: R[a], predicted: P[b] });
						break;
					}
				}
			}
			i = i2;
			j = j2;
		}
	}
	// 3 and 4: overlapping, same label first, then any label
	for (const sameLabel of [true, false]) {
		const pairs = overlappingPairs(R, P, (r, p) => (sameLabel ? r.label === p.label : r.label !== p.label));
		for (const pair of greedy(pairs, usedR, usedP)) {
			out.push({
				category: sameLabel ? 'wrong_boundaries' : 'wrong_label_and_boundaries',
				label: R[pair.r].label,
				reference: R[pair.r],
				predicted: P[pair.p]
			});
		}
	}
	for (let i = 0; i < R.length; i++) if (!usedR[i]) out.push({ category: 'missed', label: R[i].label, reference: R[i], predicted: null });
	for (let j = 0; j < P.length; j++) if (!usedP[j]) out.push({ category: 'spurious', label: P[j].label, reference: null, predicted: P[j] });
	return out;
}

/**
 * Everything one document contributes, per label: the three rules' counts and
 * the error categories. `tokens` may be passed when the caller has them.
 */
export function compareDocument(
	text: string,
	reference: readonly EvalSpan[],
	predicted: readonly EvalSpan[],
	tokens: TokenOffsets | null = null
): Map<string, LabelCounts> {
	const result = new Map<string, LabelCounts>();
	const at = (label: string) => {
		let c = result.get(label);
		if (!c) result.set(label, (c = emptyLabelCounts()));
		return c;
	};
	const refBy = groupByLabel(sortSpans(reference));
	const predBy = groupByLabel(sortSpans(predicted));
	const labels = new Set<string>([...refBy.keys(), ...predBy.keys()]);
	if (labels.size === 0) return result;
	const toks = tokens ?? documentTokens(text);
	for (const label of labels) {
		const r = refBy.get(label) ?? [];
		const p = predBy.get(label) ?? [];
		const c = at(label);
		const exact = exactMatches(r, p);
		c.exact = { tp: exact, fp: p.length - exact, fn: r.length - exact };
		const overlap = overlapMatches(r, p);
		c.overlap = { tp: overlap, fp: p.length - overlap, fn: r.length - overlap };
		c.token = tokenCounts(toks, r, p);
	}
	for (const item of classify(reference, predicted)) at(item.label).errors[item.category]++;
	return result;
}

/**
 * Exact and overlap counts at each score threshold: the predictions scoring
 * at least the threshold (or carrying no score) against every reference span.
 * `out[t]` receives, per label, [exact tp, fp, fn, overlap tp, fp, fn], added to what it holds.
 */
export function thresholdCounts(
	reference: readonly EvalSpan[],
	predicted: readonly EvalSpan[],
	thresholds: readonly number[],
	out: Array<Map<string, number[]>>
): void {
	const refBy = groupByLabel(sortSpans(reference));
	const predBy = groupByLabel(sortSpans(predicted));
	for (const label of new Set<string>([...refBy.keys(), ...predBy.keys()])) {
		const r = refBy.get(label) ?? [];
		const all = predBy.get(label) ?? [];
		thresholds.forEach((t, ti) => {
			const p = all.filter((s) => s.score === undefined || s.score >= t);
			const exact = exactMatches(r, p);
			const overlap = overlapMatches(r, p);
			let acc = out[ti].get(label);
			if (!acc) out[ti].set(label, (acc = [0, 0, 0, 0, 0, 0]));
			acc[0] += exact;
			acc[1] += p.length - exact;
			acc[2] += r.length - exact;
			acc[3] += overlap;
			acc[4] += p.length - overlap;
			acc[5] += r.length - overlap;
		});
	}
}

export interface Ratios {
	precision: number | null;
	recall: number | null;
	f1: number | null;
}

/** Precision, recall, F1 from counts; a ratio with a zero denominator is null. */
export function ratios(tp: number, fp: number, fn: number): Ratios {
	return {
		precision: tp + fp > 0 ? tp / (tp + fp) : null,
		recall: tp + fn > 0 ? tp / (tp + fn) : null,
		f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null
	};
}
