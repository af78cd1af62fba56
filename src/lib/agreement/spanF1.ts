/**
 * Span-level precision / recall / F1 between two annotators.
 *
 * Matching is done per label (a span can only match a span of the same label)
 * and each span is matched at most once:
 *  - 'exact':   same start and end (and label). The number of matches is the
 *               size of the multiset intersection of (start, end) pairs.
 *  - 'overlap': the spans share at least one code point
 *               (max(startA, startB) < min(endA, endB)). The number of matches
 *               is a MAXIMUM-CARDINALITY BIPARTITE MATCHING of the overlap
 *               graph, computed by an earliest-end greedy that is provably
 *               maximum for intervals (proof at overlapMatchCount), so the
 *               result never depends on span order and one long span covering
 *               two short ones counts once. We maximise the number of matched
 *               pairs, not the overlapped length.
 *
 * Precision of A against B = matched / |A| = recall of B against A;
 * F1 = 2 * matched / (|A| + |B|) is symmetric.
 * When both sides have no spans, precision, recall and F1 are null (nothing
 * to agree on; not 1, not NaN). When only one side has spans, F1 = 0 and the
 * empty side's precision (or recall) is null.
 */

export interface Interval {
	start: number;
	end: number;
}

export interface LabeledSpan extends Interval {
	label: string;
}

export type MatchMode = 'exact' | 'overlap';

export interface SpanF1Result {
	/** matched pairs */
	matched: number;
	/** number of spans of A and of B */
	a: number;
	b: number;
	/** matched / a (A's precision against B as reference) */
	precision: number | null;
	/** matched / b */
	recall: number | null;
	f1: number | null;
}

/** F1 from pooled counts; null when both sides are empty. */
export function f1FromCounts(matched: number, a: number, b: number): number | null {
	const d = a + b;
	return d > 0 ? (2 * matched) / d : null;
}

const byStartEnd = (x: Interval, y: Interval) => x.start - y.start || x.end - y.end;

/** Matches of equal (start, end) pairs, each span used at most once. */
export function exactMatchCount(a: readonly Interval[], b: readonly Interval[]): number {
	if (a.length === 0 || b.length === 0) return 0;
	const sa = sortedBy(a, byStartEnd);
	const sb = sortedBy(b, byStartEnd);
	let i = 0;
	let j = 0;
	let matched = 0;
	while (i < sa.length && j < sb.length) {
		const c = byStartEnd(sa[i], sb[j]);
		if (c === 0) {
			matched++;
			i++;
			j++;
		} else if (c < 0) i++;
		else j++;
	}
	return matched;
}

/** scratch "already matched" flags for overlapMatchCount, grown on demand */
let taken = new Uint8Array(64);

const byEnd = (x: Interval, y: Interval) => x.end - y.end || x.start - y.start;

function sortedBy(xs: readonly Interval[], cmp: (x: Interval, y: Interval) => number): readonly Interval[] {
	for (let i = 1; i < xs.length; i++) if (cmp(xs[i - 1], xs[i]) > 0) return [...xs].sort(cmp);
	return xs;
}

/**
 * Maximum number of disjoint pairs (x in a, y in b) whose intervals overlap by
 * at least one unit, computed by a greedy that is provably optimal here:
 *
 *   take the A intervals by increasing end; match each to the still-free
 *   overlapping B interval with the smallest end (skip it if there is none).
 *
 * Proof (exchange argument). Let a1 be the A interval with the smallest end
 * and b* the overlapping B interval with the smallest end, and M a maximum
 * matching. If M leaves a1 or b* free, re-pairing a1 with b* (dropping at most
 * one pair of M) keeps |M|. Otherwise M has (a1, b') and (a'', b*); swap to
 * (a1, b*) and (a'', b'). The new pair overlaps: b'.start < a1.end <= a''.end
 * (b' overlaps a1; a1 ends first) and b'.end >= b*.end > a''.start (b* ends
 * first among a1's neighbours; b* overlaps a''). So some maximum matching
 * contains (a1, b*), and removing both leaves an instance of the same kind on
 * which the greedy proceeds identically; if a1 has no neighbour it is free in
 * every matching. By induction the greedy is maximum (ties in either end may
 * be broken arbitrarily). tests compare it with brute force on random cases.
 *
 * O(|a|·|b|) per (document, label, pair): tens of spans in practice.
 */
export function overlapMatchCount(a: readonly Interval[], b: readonly Interval[]): number {
	const na = a.length;
	const nb = b.length;
	if (na === 0 || nb === 0) return 0;
	const A = sortedBy(a, byEnd);
	const B = sortedBy(b, byEnd);
	if (taken.length < nb) taken = new Uint8Array(Math.max(nb, taken.length * 2));
	taken.fill(0, 0, nb);
	const limit = Math.min(na, nb);
	let matched = 0;
	for (let i = 0; i < na && matched < limit; i++) {
		const x = A[i];
		if (!(x.end > x.start)) continue;
		for (let j = 0; j < nb; j++) {
			if (taken[j]) continue;
			const y = B[j];
			if (y.end > x.start && y.start < x.end && y.end > y.start) {
				taken[j] = 1;
				matched++;
				break;
			}
		}
	}
	return matched;
}

export function matchCount(a: readonly Interval[], b: readonly Interval[], mode: MatchMode): number {
	return mode === 'exact' ? exactMatchCount(a, b) : overlapMatchCount(a, b);
}

function groupByLabel<T extends LabeledSpan>(spans: readonly T[]): Map<string, T[]> {
	const m = new Map<string, T[]>();
	for (const s of spans) {
		const g = m.get(s.label);
		if (g) g.push(s);
		else m.set(s.label, [s]);
	}
	return m;
}

/**
 * Precision, recall and F1 of A's spans against B's (B as the reference).
 * Spans are compared as given (no deduplication or validation here).
 */
export function spanF1(a: readonly LabeledSpan[], b: readonly LabeledSpan[], mode: MatchMode): SpanF1Result {
	const ga = groupByLabel(a);
	const gb = groupByLabel(b);
	let matched = 0;
	for (const [label, sa] of ga) {
		const sb = gb.get(label);
		if (sb) matched += matchCount(sa, sb, mode);
	}
	return {
		matched,
		a: a.length,
		b: b.length,
		precision: a.length > 0 ? matched / a.length : null,
		recall: b.length > 0 ? matched / b.length : null,
		f1: f1FromCounts(matched, a.length, b.length)
	};
}
