/**
 * The per-pair token loops of the agreement report (accumulator.ts): the
 * multi-class contingency table, the per-label 2x2 counts and the confusion
 * table (its rule for tokens with several labels is in accumulator.ts's header).
 */

/** Square count matrix that grows with the number of categories. */
export class GrowMatrix {
	k = 0;
	data = new Float64Array(0);
	ensure(k: number): void {
		if (k <= this.k) return;
		const nk = Math.max(k, this.k * 2, 4);
		const nd = new Float64Array(nk * nk);
		for (let i = 0; i < this.k; i++) nd.set(this.data.subarray(i * this.k, (i + 1) * this.k), i * nk);
		this.k = nk;
		this.data = nd;
	}
}

export interface PairAcc {
	a: string;
	b: string;
	documents: number;
	/** per label: n11, n10, n01 (a rows, b columns); n00 = items - the rest */
	bin: Float64Array;
	items: number;
	multi: GrowMatrix;
	/** per label: exact matches, overlap matches, spans of a, spans of b */
	f1: Float64Array;
}

/**
 * One annotator pair over one document's n tokens: multi-class contingency,
 * confusion, per-label 2x2 counts. Adds each label's disagreeing tokens to
 * `docBin` and returns the number of tokens with different multi-class values.
 * Only the `count` covered tokens listed in `covered` are read; the other
 * n - count are `none` for both.
 */
export function pairTokens(
	ca: Int32Array,
	cb: Int32Array,
	mi: Uint32Array,
	mj: Uint32Array,
	covered: Int32Array,
	count: number,
	n: number,
	W: number,
	acc: PairAcc,
	single: number[],
	confusion: Float64Array,
	confK: number,
	docBin: Float64Array,
	multiPairs: Map<number, number>,
	K: number
): number {
	const mk = acc.multi.k;
	const md = acc.multi.data;
	const bin = acc.bin;
	const none = confK - 1;
	let both0 = n - count;
	let dis = 0;
	for (let q = 0; q < count; q++) {
		const t = covered[q];
		const x = ca[t];
		const y = cb[t];
		if ((x | y) === 0) {
			both0++;
			continue;
		}
		md[x * mk + y]++;
		const sx = single[x];
		const sy = single[y];
		if (x !== y) {
			dis++;
			if (sx >= 0 && sy >= 0) {
				confusion[sx * confK + sy]++;
				confusion[sy * confK + sx]++;
			} else countPair(multiPairs, K, x, y);
		} else if (sx >= 0) confusion[sx * confK + sx]++;
		else countPair(multiPairs, K, x, y);
		// per label: bits set for both / only a / only b
		for (let w = 0, o = t * W; w < W; w++, o++) {
			const p = mi[o];
			const q = mj[o];
			const base = w * 32;
			let v = p & q;
			while (v !== 0) {
				const low = v & -v;
				bin[(base + 31 - Math.clz32(low)) * 3]++;
				v ^= low;
			}
			v = p & ~q;
			while (v !== 0) {
				const low = v & -v;
				const l = base + 31 - Math.clz32(low);
				bin[l * 3 + 1]++;
				docBin[l]++;
				v ^= low;
			}
			v = q & ~p;
			while (v !== 0) {
				const low = v & -v;
				const l = base + 31 - Math.clz32(low);
				bin[l * 3 + 2]++;
				docBin[l]++;
				v ^= low;
			}
		}
	}
	md[0] += both0;
	confusion[none * confK + none] += both0;
	return dis;
}

/** category pairs (x, y) as one number x * K + y, K the number of categories (fixed during a document's pairs; K² < 2^53) */
export function countPair(multiPairs: Map<number, number>, K: number, x: number, y: number): void {
	const key = x * K + y;
	multiPairs.set(key, (multiPairs.get(key) ?? 0) + 1);
}

/**
 * Confusion counts for `count` tokens on which one annotator gave the labels
 * `a` and the other `b`, when either gave two or more (the rule is in the
 * header: agreed labels on the diagonal, each label only one gave against
 * what the other gave instead). Called once per distinct pair of label sets,
 * so a token costs O(1) however many labels it carries.
 */
export function confuseLabelSets(a: readonly number[], b: readonly number[], count: number, confusion: Float64Array, confK: number): void {
	const none = confK - 1;
	const inB = new Set(b);
	const inA = new Set(a);
	for (const l of a) if (inB.has(l)) confusion[l * confK + l] += count;
	const onlyA = a.filter((l) => !inB.has(l));
	const onlyB = b.filter((l) => !inA.has(l));
	const pair = (x: number, y: number) => {
		confusion[x * confK + y] += count;
		confusion[y * confK + x] += count;
	};
	if (onlyA.length && onlyB.length) {
		for (const x of onlyA) for (const y of onlyB) pair(x, y);
		return;
	}
	const [only, against] = onlyA.length ? [onlyA, b] : [onlyB, a];
	for (const x of only) {
		if (against.length) for (const y of against) pair(x, y);
		else pair(x, none);
	}
}
