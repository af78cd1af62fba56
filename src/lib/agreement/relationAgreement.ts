/**
 * Agreement on relations between spans (issue #17 item 4), per relation type and
 * annotator pair, pooled over documents like span F1 (micro average).
 *
 * A relation of A matches one of B when its type (`label`) is the same and both
 * endpoints match:
 *  - exact:   the `from` spans have the same start, end and label, and so do the
 *             `to` spans. Relations are unique per set (their id is derived from
 *             their endpoint span ids and label), so this is a set intersection.
 *  - overlap: the `from` spans share at least one code point and have the same
 *             label, and so do the `to` spans. Each relation is matched at most
 *             once: the count is a maximum-cardinality bipartite matching of the
 *             "both ends overlap" graph (Hopcroft–Karp). Unlike spans on one axis
 *             (spanF1.ts) two ends make the graph a general bipartite one, where
 *             a greedy can miss matches.
 *
 * F1 = 2 · matched / (|A| + |B|) over the relations of that type in the documents
 * both annotated; null when neither has one. A relation whose endpoint is not a
 * span of the same set, whose type is not the dataset's, or whose ends are empty
 * spans, is ignored.
 */
import { dict, type Dict } from '../model/dict';
import { f1FromCounts } from './spanF1';

export interface RelationEndSpan {
	id: string;
	start: number;
	end: number;
	label: string;
}

export interface RelationInput {
	/** span ids of the same set */
	from: string;
	to: string;
	label: string;
}

export interface RelationAnnotation {
	annotator: string;
	spans: readonly RelationEndSpan[];
	relations?: readonly RelationInput[];
}

export interface RelationPairStats {
	a: string;
	b: string;
	/** documents both annotated */
	documents: number;
	/** relations of this type: a's and b's */
	relations_a: number;
	relations_b: number;
	f1_exact: number | null;
	f1_overlap: number | null;
}

export type RelationReport = Dict<{ pairs: RelationPairStats[] }>;

/** A relation with its ends looked up: from and to as [start, end, label]. */
export interface ResolvedRelation {
	fs: number;
	fe: number;
	fl: string;
	ts: number;
	te: number;
	tl: string;
	/** the exact-match key, once computed */
	key?: string;
}

const overlaps = (s1: number, e1: number, s2: number, e2: number) => Math.max(s1, s2) < Math.min(e1, e2);

export function relationsOverlap(x: ResolvedRelation, y: ResolvedRelation): boolean {
	return x.fl === y.fl && x.tl === y.tl && overlaps(x.fs, x.fe, y.fs, y.fe) && overlaps(x.ts, x.te, y.ts, y.te);
}

/** Offsets, then the from label's length before both labels: no two relations share a key. */
const exactKey = (r: ResolvedRelation) => `${r.fs},${r.fe},${r.ts},${r.te},${r.fl.length}:${r.fl}${r.tl}`;

/** Matches of identical relations (both sides duplicate-free); keys computed once per relation. */
export function exactRelationMatches(a: readonly ResolvedRelation[], b: readonly ResolvedRelation[]): number {
	if (!a.length || !b.length) return 0;
	const keys = new Set(a.map((r) => (r.key ??= exactKey(r))));
	let n = 0;
	for (const r of b) if (keys.has((r.key ??= exactKey(r)))) n++;
	return n;
}

/**
 * Maximum bipartite matching size (Hopcroft–Karp, O(E·√V)), `edges[i]` listing
 * the right-hand vertices (0 … nb-1) left vertex i may be matched to. The depth
 * first search is iterative, so long augmenting paths cannot overflow the stack.
 */
export function maximumMatching(edges: readonly (readonly number[])[], nb: number): number {
	const na = edges.length;
	const matchA = new Int32Array(na).fill(-1);
	const matchB = new Int32Array(nb).fill(-1);
	const dist = new Int32Array(na);
	const queue = new Int32Array(na);
	const INF = 0x3fffffff;
	let matched = 0;
	// a greedy start: most matches are found here and the phases only repair the rest
	for (let i = 0; i < na; i++)
		for (const j of edges[i])
			if (matchB[j] < 0) {
				matchA[i] = j;
				matchB[j] = i;
				matched++;
				break;
			}
	const next = new Int32Array(na);
	const stack = new Int32Array(na + 1);
	for (;;) {
		// BFS from the free left vertices: layers by alternating path length
		let head = 0;
		let tail = 0;
		for (let i = 0; i < na; i++) {
			if (matchA[i] < 0) {
				dist[i] = 0;
				queue[tail++] = i;
			} else dist[i] = INF;
		}
		let found = false;
		while (head < tail) {
			const i = queue[head++];
			for (const j of edges[i]) {
				const k = matchB[j];
				if (k < 0) found = true;
				else if (dist[k] === INF) {
					dist[k] = dist[i] + 1;
					queue[tail++] = k;
				}
			}
		}
		if (!found) return matched;
		// DFS along the layers from each free left vertex
		next.fill(0);
		for (let root = 0; root < na; root++) {
			if (matchA[root] >= 0) continue;
			let depth = 0;
			stack[0] = root;
			while (depth >= 0) {
				const i = stack[depth];
				const list = edges[i];
				let advanced = false;
				while (next[i] < list.length) {
					const j = list[next[i]++];
					const k = matchB[j];
					if (k < 0) {
						// augment along the stack: stack[d] takes the vertex its successor had
						let right = j;
						for (let d = depth; d >= 0; d--) {
							const left = stack[d];
							const previous = matchA[left];
							matchA[left] = right;
							matchB[right] = left;
							right = previous;
						}
						matched++;
						depth = -1;
						advanced = true;
						break;
					}
					if (dist[k] === dist[i] + 1) {
						stack[++depth] = k;
						advanced = true;
						break;
					}
				}
				if (!advanced) {
					dist[i] = INF; // a dead end for the rest of this phase
					depth--;
				}
			}
		}
	}
}

/**
 * Edges the exact matching may hold for one (document, type, pair): 2,000,000
 * (16 MB of adjacency). Real relations are sparse (an attribution links one or
 * two claims); a set built to make every relation overlap every other (20,000
 * nested spans) would need 4·10⁸. Past the budget the count is a greedy maximal
 * matching instead (at least half the maximum), computed without storing edges,
 * in the same O(|a|·|b|) time as span overlap matching (spanF1.ts).
 */
export const MAX_MATCHING_EDGES = 2_000_000;

/** Matches where both ends overlap (same labels), each relation used once. */
export function overlapRelationMatches(a: readonly ResolvedRelation[], b: readonly ResolvedRelation[], maxEdges = MAX_MATCHING_EDGES): number {
	if (!a.length || !b.length) return 0;
	const edges: number[][] = [];
	let total = 0;
	for (const x of a) {
		const out: number[] = [];
		for (let j = 0; j < b.length; j++) if (relationsOverlap(x, b[j])) out.push(j);
		total += out.length;
		if (total > maxEdges) return greedyOverlapMatches(a, b);
		edges.push(out);
	}
	return maximumMatching(edges, b.length);
}

/** A maximal (not maximum) matching, without storing the graph: the fallback past MAX_MATCHING_EDGES. */
function greedyOverlapMatches(a: readonly ResolvedRelation[], b: readonly ResolvedRelation[]): number {
	const taken = new Uint8Array(b.length);
	let matched = 0;
	for (const x of a) {
		for (let j = 0; j < b.length; j++) {
			if (!taken[j] && relationsOverlap(x, b[j])) {
				taken[j] = 1;
				matched++;
				break;
			}
		}
	}
	return matched;
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

interface PairAcc {
	a: string;
	b: string;
	documents: number;
	/** per type: exact matches, overlap matches, relations of a, of b */
	counts: Float64Array;
}

/**
 * The relation part of the agreement report, built one document at a time (the
 * same documents as the span figures: at least two annotators finished them).
 */
export class RelationAgreementAccumulator {
	private readonly types: string[] = [];
	private readonly typeIndex = new Map<string, number>();
	private readonly pairs = new Map<string, PairAcc>();

	constructor(types: readonly string[] | undefined) {
		for (const t of types ?? []) {
			if (typeof t !== 'string' || this.typeIndex.has(t)) continue;
			this.typeIndex.set(t, this.types.length);
			this.types.push(t);
		}
	}

	/** The set's relations by type index, ends looked up, unknown ends and types left out, duplicates once. */
	private resolve(set: RelationAnnotation): ResolvedRelation[][] {
		const out: ResolvedRelation[][] = this.types.map(() => []);
		if (!Array.isArray(set.relations) || !set.relations.length) return out;
		const spans = new Map<string, RelationEndSpan>();
		for (const s of set.spans ?? []) if (s && typeof s.id === 'string') spans.set(s.id, s);
		const seen = new Set<string>();
		for (const r of set.relations) {
			if (!r) continue;
			const t = this.typeIndex.get(r.label);
			const f = spans.get(r.from);
			const to = spans.get(r.to);
			if (t === undefined || !f || !to || !(f.end > f.start) || !(to.end > to.start)) continue;
			const resolved: ResolvedRelation = { fs: f.start, fe: f.end, fl: f.label, ts: to.start, te: to.end, tl: to.label };
			resolved.key = exactKey(resolved);
			const key = `${t} ${resolved.key}`;
			if (seen.has(key)) continue;
			seen.add(key);
			out[t].push(resolved);
		}
		return out;
	}

	/** One document's sets (gold excluded by the caller); an annotator listed twice: the last entry wins. */
	add(sets: readonly RelationAnnotation[]): void {
		const byName = new Map<string, RelationAnnotation>();
		for (const s of sets) if (s && typeof s.annotator === 'string') byName.set(s.annotator, s);
		if (byName.size < 2) return;
		const names = [...byName.keys()].sort(cmp);
		const resolved = names.map((n) => this.resolve(byName.get(n)!));
		const T = this.types.length;
		for (let i = 0; i < names.length; i++)
			for (let j = i + 1; j < names.length; j++) {
				const key = JSON.stringify([names[i], names[j]]);
				let p = this.pairs.get(key);
				if (!p) this.pairs.set(key, (p = { a: names[i], b: names[j], documents: 0, counts: new Float64Array(T * 4) }));
				p.documents++;
				for (let t = 0; t < T; t++) {
					const ra = resolved[i][t];
					const rb = resolved[j][t];
					if (!ra.length && !rb.length) continue;
					p.counts[t * 4] += exactRelationMatches(ra, rb);
					p.counts[t * 4 + 1] += overlapRelationMatches(ra, rb);
					p.counts[t * 4 + 2] += ra.length;
					p.counts[t * 4 + 3] += rb.length;
				}
			}
	}

	report(): RelationReport {
		const pairs = [...this.pairs.values()].sort((x, y) => cmp(x.a, y.a) || cmp(x.b, y.b));
		const out: RelationReport = dict();
		this.types.forEach((type, t) => {
			out[type] = {
				pairs: pairs.map((p) => {
					const [e, o, na, nb] = p.counts.subarray(t * 4, t * 4 + 4);
					return {
						a: p.a,
						b: p.b,
						documents: p.documents,
						relations_a: na,
						relations_b: nb,
						f1_exact: f1FromCounts(e, na, nb),
						f1_overlap: f1FromCounts(o, na, nb)
					};
				})
			};
		});
		return out;
	}
}
