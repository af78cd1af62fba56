/**
 * The percentile bootstrap, made fast for evaluation: documents are the unit
 * resampled (their spans are not independent), and each document has already
 * been reduced to a row of counts, so one resample is n row additions, never a
 * re-matching of spans. Pure; the PRNG is seedable so a report is reproducible.
 */

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same stream everywhere. */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Percentile of the finite values (linear interpolation between order
 * statistics, numpy's default "linear" method). `sorted` must be ascending.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
	const n = sorted.length;
	if (n === 0) return NaN;
	const h = (n - 1) * p;
	const lo = Math.floor(h);
	const hi = Math.min(lo + 1, n - 1);
	return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The 95 % percentile interval of `values` (NaN entries, i.e. undefined ratios, are left out); null when none is finite. */
export function interval(values: ArrayLike<number>, confidence = 0.95): [number, number] | null {
	const finite: number[] = [];
	for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) finite.push(values[i]);
	if (finite.length === 0) return null;
	finite.sort((a, b) => a - b);
	const tail = (1 - confidence) / 2;
	return [percentileOfSorted(finite, tail), percentileOfSorted(finite, 1 - tail)];
}

export interface ResampleOptions {
	resamples: number;
	seed: number;
	/** called between batches of resamples so a server can serve other requests meanwhile */
	pause?: () => Promise<void>;
}

/** Resamples per batch between pauses: ~n·width·BATCH additions, a few milliseconds for 10,000 documents. */
const BATCH = 16;

/**
 * For each of `resamples` bootstrap resamples of the documents `subset`
 * (indices into the row matrix `rows`, `width` counts per row), the column
 * sums of the drawn rows, handed to `visit(resample, sums)` (the array is
 * reused: read it, don't keep it). Each resample draws subset.length rows
 * with replacement.
 */
export async function resampleSums(
	rows: Int32Array,
	width: number,
	subset: Int32Array,
	options: ResampleOptions,
	visit: (resample: number, sums: Float64Array) => void
): Promise<void> {
	const random = mulberry32(options.seed);
	const m = subset.length;
	const sums = new Float64Array(width);
	// how often each document is drawn: about a third are not drawn at all and cost nothing
	const times = new Int32Array(m);
	for (let b = 0; b < options.resamples; b++) {
		if (b > 0 && b % BATCH === 0 && options.pause) await options.pause();
		sums.fill(0);
		times.fill(0);
		for (let i = 0; i < m; i++) times[(random() * m) | 0]++;
		for (let i = 0; i < m; i++) {
			const w = times[i];
			if (w === 0) continue;
			const base = subset[i] * width;
			for (let k = 0; k < width; k++) sums[k] += w * rows[base + k];
		}
		visit(b, sums);
	}
}
