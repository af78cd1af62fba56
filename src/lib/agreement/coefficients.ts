/**
 * Chance-corrected agreement coefficients for nominal data.
 *
 * Every coefficient is computed from sufficient statistics (contingency or
 * coincidence counts) so that the corpus-level code can accumulate counts in
 * one pass and never hold per-item arrays; the array-based primitives below
 * (cohenKappa, fleissKappa, krippendorffAlphaNominal) reduce their input to the
 * same statistics and call the same `*From*` functions.
 *
 * UNDEFINED CASES (documented choice, applies everywhere):
 *  - No items / no pairable values  -> null.
 *  - Expected disagreement is 0 (every rating in the data falls in one and the
 *    same category, e.g. a label nobody used): the coefficient is 0/0 and we
 *    return null, NOT 1, even though observed disagreement is then 0 too.
 *    Krippendorff (2011) states alpha is undefined without variation; reporting
 *    1 would present "nobody ever used this label" as perfect reliability.
 *    Callers show null as "n/a (no variation)".
 *  - Outputs are never NaN or +-Infinity: every division is guarded, and the
 *    zero-denominator tests are done on exact integer quantities (all counts
 *    stay far below 2^53 for any realistic corpus).
 */

/**
 * Cohen's kappa from a k x k contingency matrix (row = rater A's category,
 * column = rater B's), stored row-major in `m` (length >= k*k).
 *
 *   kappa = (p_o - p_e) / (1 - p_e) = (n*sum_i m_ii - sum_i r_i c_i) / (n^2 - sum_i r_i c_i)
 */
export function kappaFromMatrix(m: ArrayLike<number>, k: number): number | null {
	let n = 0;
	let diag = 0;
	let chance = 0;
	for (let i = 0; i < k; i++) {
		let r = 0;
		let c = 0;
		for (let j = 0; j < k; j++) {
			r += m[i * k + j];
			c += m[j * k + i];
		}
		n += r;
		diag += m[i * k + i];
		chance += r * c;
	}
	if (n === 0) return null;
	const denom = n * n - chance;
	if (denom <= 0) return null; // both raters used one single, identical category
	return clean((n * diag - chance) / denom);
}

/**
 * Cohen's kappa between two raters' categorical values for the same items.
 * `a[i]` and `b[i]` are the two ratings of item i. Null when there are no items
 * or no variation (see module comment). Throws when the lengths differ.
 */
export function cohenKappa(a: readonly string[], b: readonly string[]): number | null {
	if (a.length !== b.length) throw new Error(`cohenKappa: ${a.length} vs ${b.length} ratings`);
	const ids = new Map<string, number>();
	const id = (v: string) => {
		let x = ids.get(v);
		if (x === undefined) ids.set(v, (x = ids.size));
		return x;
	};
	const pairs: number[] = [];
	for (let i = 0; i < a.length; i++) pairs.push(id(a[i]), id(b[i]));
	const k = ids.size;
	const m = new Float64Array(k * k);
	for (let i = 0; i < pairs.length; i += 2) m[pairs[i] * k + pairs[i + 1]]++;
	return kappaFromMatrix(m, k);
}

/**
 * Fleiss' kappa from sufficient statistics.
 * @param items      number of items N
 * @param raters     ratings per item m (the same for every item)
 * @param sumSquares sum over items and categories of n_ij^2
 * @param totals     per-category totals t_j = sum_i n_ij (sum = N*m)
 *
 *   P_bar  = (sumSquares - N m) / (N m (m - 1))
 *   P_e    = sum_j t_j^2 / (N m)^2
 *   kappa  = (P_bar - P_e) / (1 - P_e)
 */
export function fleissFromTotals(
	items: number,
	raters: number,
	sumSquares: number,
	totals: ArrayLike<number>
): number | null {
	if (items <= 0 || raters < 2) return null;
	const T = items * raters;
	let sumT2 = 0;
	for (let j = 0; j < totals.length; j++) sumT2 += totals[j] * totals[j];
	const denomInt = T * T - sumT2; // T^2 (1 - P_e), exact
	if (denomInt <= 0) return null;
	// multiply numerator and denominator by T^2 (m - 1) to stay in integers:
	// kappa = ((sumSquares - T) T - (m - 1) sum_j t_j^2) / ((m - 1)(T^2 - sum_j t_j^2))
	const num = (sumSquares - T) * T - (raters - 1) * sumT2;
	return clean(num / ((raters - 1) * denomInt));
}

/**
 * Fleiss' kappa from an items x categories matrix of counts (counts[i][j] =
 * raters who put item i in category j). Every row must sum to the same number
 * of raters m >= 2; otherwise (or with no items, or no variation) -> null.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
	if (counts.length === 0) return null;
	const k = counts[0].length;
	let raters = -1;
	let sumSquares = 0;
	const totals = new Float64Array(k);
	for (const row of counts) {
		if (row.length !== k) return null;
		let s = 0;
		for (let j = 0; j < k; j++) {
			const v = row[j];
			if (!(v >= 0) || !Number.isFinite(v)) return null;
			s += v;
			sumSquares += v * v;
			totals[j] += v;
		}
		if (raters < 0) raters = s;
		else if (s !== raters) return null;
	}
	return fleissFromTotals(counts.length, raters, sumSquares, totals);
}

/**
 * Krippendorff's alpha (nominal) from coincidence-matrix statistics:
 * @param disagreement sum over c != k of o_ck, i.e. sum over pairable units u of
 *                     (m_u^2 - sum_c n_uc^2) / (m_u - 1)
 * @param n            number of pairable values (sum of m_u over units with m_u >= 2)
 * @param sumNc2       sum over categories of n_c^2 (n_c = pairable values in category c)
 *
 *   alpha = 1 - D_o / D_e = 1 - (n - 1) * disagreement / (n^2 - sum_c n_c^2)
 */
export function alphaFromCoincidences(disagreement: number, n: number, sumNc2: number): number | null {
	if (n < 2) return null;
	const denom = n * n - sumNc2; // = sum_{c != k} n_c n_k, exact integer
	if (denom <= 0) return null; // a single category: no variation
	return clean(1 - ((n - 1) * disagreement) / denom);
}

/**
 * Krippendorff's alpha, nominal metric, with missing values.
 * `units[u][c]` is coder c's value for unit u, null when missing. Units with
 * fewer than 2 values are not pairable and are skipped (Krippendorff 2011).
 */
export function krippendorffAlphaNominal(units: readonly (readonly (string | null | undefined)[])[]): number | null {
	const totals = new Map<string, number>();
	let disagreement = 0;
	let n = 0;
	const local = new Map<string, number>();
	for (const unit of units) {
		local.clear();
		let m = 0;
		for (const v of unit) {
			if (v === null || v === undefined) continue;
			local.set(v, (local.get(v) ?? 0) + 1);
			m++;
		}
		if (m < 2) continue;
		let sq = 0;
		for (const [v, c] of local) {
			sq += c * c;
			totals.set(v, (totals.get(v) ?? 0) + c);
		}
		disagreement += (m * m - sq) / (m - 1);
		n += m;
	}
	let sumNc2 = 0;
	for (const c of totals.values()) sumNc2 += c * c;
	return alphaFromCoincidences(disagreement, n, sumNc2);
}

/** Normalise -0 to 0 and refuse non-finite values (defensive: callers never produce them). */
export function clean(x: number): number | null {
	if (!Number.isFinite(x)) return null;
	return x === 0 ? 0 : x;
}
