/**
 * TempEval-3 scores of a temporal tagger against gold TIMEX3s: strict (same
 * start and end), relaxed (overlap; each gold expression matched once), and
 * value (a relaxed match whose `value` is equal too). Pure, for the bench
 * and for tests.
 */
export interface TimexSpan {
	start: number;
	end: number;
	value: string;
	type?: string;
}

export interface TimexCounts {
	gold: number;
	system: number;
	strict: number;
	relaxed: number;
	value: number;
	type: number;
}

export function emptyCounts(): TimexCounts {
	return { gold: 0, system: 0, strict: 0, relaxed: 0, value: 0, type: 0 };
}

/** Adds one document's matches to `counts` (greedy by largest overlap, each gold and system span used once). */
export function countMatches(gold: TimexSpan[], system: TimexSpan[], counts: TimexCounts = emptyCounts()): TimexCounts {
	counts.gold += gold.length;
	counts.system += system.length;
	const pairs: Array<{ g: number; s: number; overlap: number }> = [];
	for (let g = 0; g < gold.length; g++) {
		for (let s = 0; s < system.length; s++) {
			const overlap = Math.min(gold[g].end, system[s].end) - Math.max(gold[g].start, system[s].start);
			if (overlap > 0) pairs.push({ g, s, overlap });
		}
	}
	pairs.sort((a, b) => b.overlap - a.overlap || a.g - b.g || a.s - b.s);
	const usedG = new Set<number>();
	const usedS = new Set<number>();
	for (const { g, s } of pairs) {
		if (usedG.has(g) || usedS.has(s)) continue;
		usedG.add(g);
		usedS.add(s);
		counts.relaxed++;
		if (gold[g].start === system[s].start && gold[g].end === system[s].end) counts.strict++;
		if (gold[g].value === system[s].value) counts.value++;
		if (gold[g].type && gold[g].type === system[s].type) counts.type++;
	}
	return counts;
}

const f1 = (matched: number, gold: number, system: number) => (gold + system === 0 ? null : (2 * matched) / (gold + system));

export function scores(c: TimexCounts) {
	return {
		strict: { precision: c.system ? c.strict / c.system : null, recall: c.gold ? c.strict / c.gold : null, f1: f1(c.strict, c.gold, c.system) },
		relaxed: { precision: c.system ? c.relaxed / c.system : null, recall: c.gold ? c.relaxed / c.gold : null, f1: f1(c.relaxed, c.gold, c.system) },
		value: { f1: f1(c.value, c.gold, c.system) },
		type: { f1: f1(c.type, c.gold, c.system) }
	};
}
