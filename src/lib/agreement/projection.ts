/**
 * Spans projected onto a document's tokens, for the agreement report
 * (accumulator.ts): each annotator's spans validated and grouped by label,
 * marked on the tokens as label bitmasks (W 32-bit words per token), and each
 * token's set of labels numbered as one multi-class category.
 */

import type { InputSpan } from './accumulator';
import { markSpan, type TokenOffsets } from './tokens';

/** a validated span (its label is the index of the group it sits in) */
export interface NSpan {
	start: number;
	end: number;
}

/**
 * Multi-class categories: each distinct label set seen on a token gets an id;
 * 0 is the empty set (`none`).
 */
export class Categories {
	size = 1;
	/** per category: label index when it holds exactly one label, L for none, -1 for 2+ labels */
	readonly single: number[];
	/** per category: its label indices, ascending (the empty list for `none`) */
	readonly sets: number[][] = [[]];
	private readonly lut: Int32Array | null;
	private readonly map1 = new Map<number, number>();
	private readonly mapW = new Map<string, number>();

	constructor(
		private readonly L: number,
		private readonly W: number
	) {
		this.single = [L];
		this.lut = W === 1 && L <= 16 ? new Int32Array(1 << L).fill(-1) : null;
		if (this.lut) this.lut[0] = 0;
	}

	private register(words: ArrayLike<number>, offset: number): number {
		const id = this.size++;
		const set: number[] = [];
		for (let w = 0; w < this.W; w++) {
			let v = words[offset + w];
			while (v !== 0) {
				const low = v & -v;
				set.push(w * 32 + (31 - Math.clz32(low)));
				v = (v ^ low) >>> 0;
			}
		}
		this.single.push(set.length === 1 ? set[0] : -1);
		this.sets.push(set);
		return id;
	}

	/** out[t] = category of token t for one annotator's masks, for the `count` tokens listed in `tokens` (the rest of `out` is left as it was) */
	fill(masks: Uint32Array, tokens: Int32Array, count: number, out: Int32Array): void {
		const W = this.W;
		if (W === 1) {
			const lut = this.lut;
			for (let q = 0; q < count; q++) {
				const t = tokens[q];
				const v = masks[t];
				if (v === 0) {
					out[t] = 0;
					continue;
				}
				let id: number | undefined;
				if (lut) {
					id = lut[v];
					if (id < 0) lut[v] = id = this.register(masks, t);
				} else {
					id = this.map1.get(v);
					if (id === undefined) this.map1.set(v, (id = this.register(masks, t)));
				}
				out[t] = id;
			}
			return;
		}
		for (let q = 0; q < count; q++) {
			const t = tokens[q];
			let zero = true;
			for (let w = 0; w < W; w++) if (masks[t * W + w] !== 0) zero = false;
			if (zero) {
				out[t] = 0;
				continue;
			}
			const key = Array.prototype.join.call(masks.subarray(t * W, t * W + W), ',');
			let id = this.mapW.get(key);
			if (id === undefined) this.mapW.set(key, (id = this.register(masks, t * W)));
			out[t] = id;
		}
	}
}

const byStartEnd = (x: NSpan, y: NSpan) => x.start - y.start || x.end - y.end;

/** validate, keep known labels, group by label index, dedupe, sort by (start, end) */
export function normalizeSpans(spans: readonly InputSpan[] | undefined, labelIndex: Map<string, number>, L: number): NSpan[][] {
	const out: NSpan[][] = new Array(L);
	for (let l = 0; l < L; l++) out[l] = [];
	if (!Array.isArray(spans)) return out;
	for (let i = 0; i < spans.length; i++) {
		const s = spans[i];
		if (!s) continue;
		const l = labelIndex.get(s.label);
		if (l === undefined) continue;
		const start = s.start;
		const end = s.end;
		if (typeof start !== 'number' || typeof end !== 'number') continue;
		if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) continue;
		out[l].push({ start, end });
	}
	for (let l = 0; l < L; l++) {
		const g = out[l];
		if (g.length < 2) continue;
		// sets are usually kept in order already: sort only when they are not
		let sorted = true;
		for (let r = 1; r < g.length && sorted; r++) if (byStartEnd(g[r - 1], g[r]) > 0) sorted = false;
		if (!sorted) g.sort(byStartEnd);
		let w = 1;
		for (let r = 1; r < g.length; r++) {
			if (g[r].start !== g[w - 1].start || g[r].end !== g[w - 1].end) g[w++] = g[r];
		}
		g.length = w;
	}
	return out;
}

/** Clear and mark one annotator's masks (W words per token); the tokens marked are flagged in `covered` too. */
export function fillMasks(tokens: TokenOffsets, byLabel: NSpan[][], W: number, masks: Uint32Array, covered: Uint8Array): void {
	masks.fill(0, 0, tokens.count * W);
	for (let l = 0; l < byLabel.length; l++) {
		for (const s of byLabel[l]) markSpan(tokens, s.start, s.end, l, W, masks, covered);
	}
}

/**
 * The tokens of a document that a span covers, of any annotator or gold, in
 * order: the token loops visit only these. Every other token is `none` for
 * everyone and is counted in bulk (30 spans in an article of 470 tokens cover
 * about a fifth of them).
 */
export class Coverage {
	/** per token: 1 when a span covers it; all 0 between documents (`collect` clears them) */
	flags = new Uint8Array(1024);
	/** the covered tokens, ascending; the first `count` are valid */
	tokens = new Int32Array(1024);
	count = 0;

	/** Start a document of n tokens: `flags` then has room for them, all 0. */
	reset(n: number): void {
		if (this.flags.length < n) {
			this.flags = new Uint8Array(Math.max(n, this.flags.length * 2));
			this.tokens = new Int32Array(this.flags.length);
		}
		this.count = 0;
	}

	/** List the flagged tokens of the first n in `tokens`, and clear their flags. */
	collect(n: number): void {
		const { flags, tokens } = this;
		let count = 0;
		for (let t = 0; t < n; t++) {
			if (flags[t] === 0) continue;
			flags[t] = 0;
			tokens[count++] = t;
		}
		this.count = count;
	}
}

/** Reusable per-slot buffers, grown to the largest document. */
export class Buffers {
	masks: Uint32Array[] = [];
	cats: Int32Array[] = [];
	get(slot: number, n: number, W: number): { masks: Uint32Array; cats: Int32Array } {
		if (!this.masks[slot] || this.masks[slot].length < n * W) this.masks[slot] = new Uint32Array(Math.max(n * W, 1024));
		if (!this.cats[slot] || this.cats[slot].length < n) this.cats[slot] = new Int32Array(Math.max(n, 1024));
		return { masks: this.masks[slot], cats: this.cats[slot] };
	}
}

/**
 * One annotator over one document's n tokens: category totals and per-label
 * ones. Only the `count` covered tokens listed in `covered` are read; the other
 * n - count are `none`.
 */
export function coderTokens(c: Int32Array, mi: Uint32Array, covered: Int32Array, count: number, n: number, W: number, totals: Float64Array, ones: Float64Array): void {
	totals[0] += n - count;
	for (let q = 0; q < count; q++) {
		const t = covered[q];
		const x = c[t];
		totals[x]++;
		if (x === 0) continue;
		for (let w = 0, o = t * W; w < W; w++, o++) {
			let v = mi[o];
			while (v !== 0) {
				const low = v & -v;
				ones[w * 32 + 31 - Math.clz32(low)]++;
				v ^= low;
			}
		}
	}
}
