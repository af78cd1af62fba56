/**
 * Annotator effort with and without suggestions (issue #18's measure): the
 * actions it takes to reach the gold spans. Costs: accept 1, reject 1, fix a
 * boundary 2, type a value 2, tag by hand 2. Without suggestions every gold
 * span is tagged by hand, and its value typed when it has one. With them, each
 * suggestion is paired with at most one overlapping gold span (largest overlap
 * first): a pair is accepted, its boundary fixed when the offsets differ, its
 * value typed when it differs; a suggestion with no gold is rejected; a gold
 * span with no suggestion is tagged (and valued) by hand.
 */
export const ACTION_COST = { accept: 1, reject: 1, fixBoundary: 2, typeValue: 2, tagByHand: 2 } as const;

export interface EffortSpan {
	start: number;
	end: number;
	/** the normalised value (dates), when the label has one */
	value?: string;
}

export interface Effort {
	without: number;
	with: number;
	counts: { accepted: number; rejected: number; boundariesFixed: number; valuesTyped: number; taggedByHand: number };
}

export function emptyEffort(): Effort {
	return { without: 0, with: 0, counts: { accepted: 0, rejected: 0, boundariesFixed: 0, valuesTyped: 0, taggedByHand: 0 } };
}

/** Adds one document's effort to `total`. */
export function countEffort(gold: readonly EffortSpan[], suggested: readonly EffortSpan[], total: Effort = emptyEffort()): Effort {
	const c = total.counts;
	for (const g of gold) total.without += ACTION_COST.tagByHand + (g.value !== undefined ? ACTION_COST.typeValue : 0);
	const pairs: Array<{ g: number; s: number; overlap: number }> = [];
	// both lists sorted by start: a sweep keeps the pairing near-linear
	const order = (xs: readonly EffortSpan[]) => xs.map((_, i) => i).sort((a, b) => xs[a].start - xs[b].start);
	const gs = order(gold);
	const ss = order(suggested);
	let from = 0;
	for (const si of ss) {
		const s = suggested[si];
		while (from < gs.length && gold[gs[from]].end <= s.start - 10_000) from++;
		for (let k = from; k < gs.length && gold[gs[k]].start < s.end; k++) {
			const g = gold[gs[k]];
			const overlap = Math.min(g.end, s.end) - Math.max(g.start, s.start);
			if (overlap > 0) pairs.push({ g: gs[k], s: si, overlap });
		}
	}
	pairs.sort((a, b) => b.overlap - a.overlap || a.g - b.g || a.s - b.s);
	const goldUsed = new Set<number>();
	const suggestionUsed = new Set<number>();
	for (const p of pairs) {
		if (goldUsed.has(p.g) || suggestionUsed.has(p.s)) continue;
		goldUsed.add(p.g);
		suggestionUsed.add(p.s);
		const g = gold[p.g];
		const s = suggested[p.s];
		total.with += ACTION_COST.accept;
		c.accepted++;
		if (g.start !== s.start || g.end !== s.end) {
			total.with += ACTION_COST.fixBoundary;
			c.boundariesFixed++;
		}
		if (g.value !== undefined && g.value !== s.value) {
			total.with += ACTION_COST.typeValue;
			c.valuesTyped++;
		}
	}
	for (let i = 0; i < suggested.length; i++) {
		if (suggestionUsed.has(i)) continue;
		total.with += ACTION_COST.reject;
		c.rejected++;
	}
	for (let i = 0; i < gold.length; i++) {
		if (goldUsed.has(i)) continue;
		total.with += ACTION_COST.tagByHand;
		c.taggedByHand++;
		if (gold[i].value !== undefined) {
			total.with += ACTION_COST.typeValue;
			c.valuesTyped++;
		}
	}
	return total;
}

/** How many fewer actions with suggestions, in percent of the actions without. */
export const effortSaved = (e: Effort) => (e.without === 0 ? 0 : (100 * (e.without - e.with)) / e.without);
