/**
 * An evaluation report: a prediction run against reference spans, per label and
 * micro/macro over labels, for the three matching rules, with error categories,
 * 95 % bootstrap intervals, slices, a paired comparison of two runs and a score
 * threshold sweep. Pure: documents are handed in one at a time (`add`), reduced
 * at once to rows of counts, and only the rows are kept, so memory grows with
 * the number of documents times the number of labels, not with the text.
 *
 * Definitions (docs/api.md "Evaluations" repeats them for users):
 *  - precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2tp / (2tp + fp + fn);
 *    a ratio with a zero denominator is null.
 *  - micro: the counts summed over labels, then the ratios.
 *  - macro: the mean of the labels' ratios, over the labels that have at least
 *    one reference or predicted span in the documents evaluated (a null ratio
 *    is left out of the mean); its tp/fp/fn are the sums, as in micro.
 *  - intervals: percentile bootstrap over documents, `resamples` resamples with
 *    replacement from a mulberry32 stream seeded with `seed`; undefined ratios in
 *    a resample are left out; null when no resample defines the ratio.
 *  - the paired comparison draws the same documents for both runs in each
 *    resample; `b_better` is the share of resamples (of those where both F1 are
 *    defined) in which run B's F1 is strictly higher.
 *
 * Over 400 lines with a reason: the `Evaluation` accumulator and the table
 * builder below share one layout of count rows (PER_LABEL / PER_GROUP offsets
 * into the same arrays), kept in one file so that layout is described once.
 * The matching rules are ./match.ts, the bootstrap ./bootstrap.ts.
 */
import { codePointLength } from '../text/offsets';
import {
	CATEGORIES,
	MODES,
	compareDocument,
	documentTokens,
	emptyCategories,
	ratios,
	thresholdCounts,
	type CategoryCounts,
	type Counts,
	type EvalSpan,
	type LabelCounts,
	type Mode
} from './match';
import { interval, resampleSums } from './bootstrap';

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_SEED = 2013;
export const LENGTH_QUARTILE = 'length_quartile';
/** most slice values listed per field; the rest are pooled as "(other)" */
export const MAX_SLICE_VALUES = 20;
export const NO_VALUE = '(none)';
export const OTHER_VALUES = '(other)';

export type Interval = [number, number] | null;

export interface Metric {
	tp: number;
	fp: number;
	fn: number;
	precision: number | null;
	recall: number | null;
	f1: number | null;
	ci: { precision: Interval; recall: Interval; f1: Interval };
}

export type ModeMetrics = Record<Mode, Metric>;

export interface LabelReport extends ModeMetrics {
	errors: CategoryCounts;
}

export interface Table {
	documents: number;
	/** keyed by label (a null-prototype object: any label name is a plain key) */
	labels: Record<string, LabelReport>;
	micro: ModeMetrics;
	macro: ModeMetrics;
}

export interface Slice extends Table {
	/** the meta field, or "length_quartile" */
	by: string;
	value: string;
	/** length_quartile only: shortest and longest document of the slice, in code points */
	range?: [number, number];
}

export interface Difference {
	/** F1 of run A (the evaluated run) and of run B (the compared one) */
	a: number | null;
	b: number | null;
	/** b − a */
	diff: number | null;
	ci: Interval;
	/** share of resamples in which B's F1 is strictly higher than A's */
	b_better: number | null;
}

export interface Comparison {
	labels: Record<string, Record<Mode, Difference>>;
	micro: Record<Mode, Difference>;
	macro: Record<Mode, Difference>;
	/** run B's own table */
	table: Table;
}

export interface ThresholdPoint {
	threshold: number;
	/** predicted spans kept (score ≥ threshold, or no score) */
	predicted: number;
	exact: Counts & { precision: number | null; recall: number | null; f1: number | null };
	overlap: Counts & { precision: number | null; recall: number | null; f1: number | null };
}

export interface EvaluationResult {
	documents: number;
	bootstrap: { resamples: number; seed: number; confidence: number };
	table: Table;
	slices?: Slice[];
	compare?: Comparison;
	thresholds?: ThresholdPoint[];
}

export interface EvaluationOptions {
	/** labels listed first, in this order (the dataset's label set); others seen follow, sorted */
	labels?: readonly string[];
	/** meta fields to slice by; "length_quartile" slices by document length */
	sliceBy?: readonly string[];
	/** score thresholds for the sweep (none: no sweep) */
	thresholds?: readonly number[];
	/** documents also carry a second run's predictions */
	compare?: boolean;
}

export interface EvaluationDocument {
	id: string;
	text: string;
	meta?: Record<string, unknown> | null;
	/** one list per reference record of the document (gold: one; annotators: one per annotator) */
	references: ReadonlyArray<readonly EvalSpan[]>;
	predicted: readonly EvalSpan[];
	/** the compared run's predictions (with `compare`) */
	compared?: readonly EvalSpan[];
}

/** tp, fp, fn for each mode: the columns of a document's row, per label */
const PER_LABEL = MODES.length * 3;

/** A null-prototype object from entries, so that "__proto__" or "constructor" are ordinary keys. */
export function keyed<T>(entries: Iterable<[string, T]>): Record<string, T> {
	const out = Object.create(null) as Record<string, T>;
	for (const [k, v] of entries) out[k] = v;
	return out;
}

function sliceValue(meta: Record<string, unknown> | null | undefined, field: string): string {
	if (!meta || !Object.hasOwn(meta, field)) return NO_VALUE;
	const v = meta[field];
	if (v === null || v === undefined || v === '') return NO_VALUE;
	if (typeof v === 'string') return v.length > 200 ? v.slice(0, 200) + '…' : v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	const json = JSON.stringify(v) ?? NO_VALUE;
	return json.length > 200 ? json.slice(0, 200) + '…' : json;
}

/** Grows a row-major Int32Array matrix as documents arrive. */
class Rows {
	data = new Int32Array(1024);
	count = 0;
	push(row: Int32Array): void {
		const need = (this.count + 1) * row.length;
		if (need > this.data.length) {
			const next = new Int32Array(Math.max(need, this.data.length * 2));
			next.set(this.data);
			this.data = next;
		}
		this.data.set(row, this.count * row.length);
		this.count++;
	}
}

export class Evaluation {
	private readonly labelIndex = new Map<string, number>();
	private readonly labelOrder: string[] = [];
	private readonly fixedLabels: number;
	/** per document, per label: its rows, kept as variable-length until finish (labels may still appear) */
	private readonly rowsA: Int32Array[] = [];
	private readonly rowsB: Int32Array[] = [];
	/** per document, per label: the six error categories (summed over subsets, never resampled) */
	private readonly catsA: Int32Array[] = [];
	private readonly catsB: Int32Array[] = [];
	private readonly lengths: number[] = [];
	private readonly sliceValues: string[][] = [];
	/** per threshold, per label: exact tp, fp, fn, overlap tp, fp, fn */
	private readonly thresholdCounts: Array<Map<string, number[]>> = [];
	private readonly thresholdKept: number[] = [];

	constructor(private readonly options: EvaluationOptions = {}) {
		for (const label of options.labels ?? []) this.indexOf(label);
		this.fixedLabels = this.labelOrder.length;
		for (const _ of options.thresholds ?? []) {
			this.thresholdCounts.push(new Map());
			this.thresholdKept.push(0);
		}
	}

	get documents(): number {
		return this.rowsA.length;
	}

	private indexOf(label: string): number {
		let i = this.labelIndex.get(label);
		if (i === undefined) {
			i = this.labelOrder.length;
			this.labelIndex.set(label, i);
			this.labelOrder.push(label);
		}
		return i;
	}

	private row(perLabel: Map<string, LabelCounts>[], cats: Int32Array[]): Int32Array {
		for (const counts of perLabel) for (const label of counts.keys()) this.indexOf(label);
		const row = new Int32Array(this.labelOrder.length * PER_LABEL);
		const cat = new Int32Array(this.labelOrder.length * CATEGORIES.length);
		for (const counts of perLabel) {
			for (const [label, c] of counts) {
				const l = this.indexOf(label);
				const base = l * PER_LABEL;
				MODES.forEach((mode, m) => {
					row[base + m * 3] += c[mode].tp;
					row[base + m * 3 + 1] += c[mode].fp;
					row[base + m * 3 + 2] += c[mode].fn;
				});
				CATEGORIES.forEach((name, k) => (cat[l * CATEGORIES.length + k] += c.errors[name]));
			}
		}
		cats.push(cat);
		return row;
	}

	add(doc: EvaluationDocument): void {
		const tokens = documentTokens(doc.text);
		const refs = doc.references.length > 0 ? doc.references : [[]];
		this.rowsA.push(this.row(refs.map((r) => compareDocument(doc.text, r, doc.predicted, tokens)), this.catsA));
		if (this.options.compare) {
			const b = doc.compared ?? [];
			this.rowsB.push(this.row(refs.map((r) => compareDocument(doc.text, r, b, tokens)), this.catsB));
		}
		this.lengths.push(codePointLength(doc.text));
		this.sliceValues.push(
			(this.options.sliceBy ?? []).filter((f) => f !== LENGTH_QUARTILE).map((f) => sliceValue(doc.meta, f))
		);
		const thresholds = this.options.thresholds ?? [];
		if (thresholds.length) {
			thresholds.forEach((t, ti) => {
				const kept = doc.predicted.reduce((n, s) => n + (s.score === undefined || s.score >= t ? 1 : 0), 0);
				this.thresholdKept[ti] += kept * refs.length;
			});
			for (const r of refs) thresholdCounts(r, doc.predicted, thresholds, this.thresholdCounts);
		}
	}

	/** The full matrix: every document's row padded to the final label count (A's columns, then B's). */
	private matrix(): { rows: Int32Array; width: number } {
		const L = this.labelOrder.length;
		const half = L * PER_LABEL;
		const width = this.options.compare ? 2 * half : half;
		const rows = new Int32Array(Math.max(1, this.rowsA.length * width));
		this.rowsA.forEach((r, d) => {
			rows.set(r, d * width);
			if (this.options.compare) rows.set(this.rowsB[d], d * width + half);
		});
		return { rows, width };
	}

	async finish(bootstrap: { resamples?: number; seed?: number; pause?: () => Promise<void> } = {}): Promise<EvaluationResult> {
		const resamples = bootstrap.resamples ?? DEFAULT_RESAMPLES;
		const seed = bootstrap.seed ?? DEFAULT_SEED;
		const { rows, width } = this.matrix();
		const n = this.rowsA.length;
		const all = Int32Array.from({ length: n }, (_, i) => i);
		const ctx: TableContext = {
			rows,
			width,
			labels: this.labelOrder,
			fixedLabels: this.fixedLabels,
			resamples,
			seed,
			pause: bootstrap.pause
		};
		const result: EvaluationResult = {
			documents: n,
			bootstrap: { resamples, seed, confidence: 0.95 },
			table: this.options.compare ? (null as unknown as Table) : await table(ctx, all, 0, this.categories(this.catsA, all))
		};
		if (this.options.compare) {
			const pair = await comparison(ctx, all, this.categories(this.catsA, all), this.categories(this.catsB, all));
			result.table = pair.a;
			result.compare = pair.compare;
		}
		if (this.options.sliceBy?.length) result.slices = await this.slices(ctx);
		if (this.options.thresholds?.length) result.thresholds = this.sweep();
		return result;
	}

	private async slices(ctx: TableContext): Promise<Slice[]> {
		const out: Slice[] = [];
		const n = this.rowsA.length;
		let metaField = 0;
		for (const field of this.options.sliceBy ?? []) {
			const groups = new Map<string, number[]>();
			const put = (value: string, d: number) => {
				const g = groups.get(value);
				if (g) g.push(d);
				else groups.set(value, [d]);
			};
			let ranges: Map<string, [number, number]> | null = null;
			if (field === LENGTH_QUARTILE) {
				const cuts = quartileCuts(this.lengths);
				ranges = new Map();
				for (let d = 0; d < n; d++) {
					const len = this.lengths[d];
					const q = len <= cuts[0] ? 1 : len <= cuts[1] ? 2 : len <= cuts[2] ? 3 : 4;
					put(`Q${q}`, d);
					const r = ranges.get(`Q${q}`);
					ranges.set(`Q${q}`, r ? [Math.min(r[0], len), Math.max(r[1], len)] : [len, len]);
				}
			} else {
				const f = metaField++;
				for (let d = 0; d < n; d++) put(this.sliceValues[d][f], d);
			}
			let entries = [...groups.entries()];
			if (ranges) entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
			else {
				entries.sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
				if (entries.length > MAX_SLICE_VALUES) {
					const rest = entries.slice(MAX_SLICE_VALUES - 1).flatMap(([, ds]) => ds).sort((a, b) => a - b);
					entries = [...entries.slice(0, MAX_SLICE_VALUES - 1), [OTHER_VALUES, rest]];
				}
			}
			for (const [value, docs] of entries) {
				const subset = Int32Array.from(docs);
				const t = await table(ctx, subset, 0, this.categories(this.catsA, subset));
				out.push({ by: field, value, ...(ranges ? { range: ranges.get(value)! } : {}), ...t });
			}
		}
		return out;
	}

	/** Error categories per label, summed over the documents `subset`. */
	private categories(cats: Int32Array[], subset: Int32Array): CategoryCounts[] {
		const out = this.labelOrder.map(() => emptyCategories());
		for (const d of subset) {
			const row = cats[d];
			for (let i = 0; i < row.length; i++) out[Math.floor(i / CATEGORIES.length)][CATEGORIES[i % CATEGORIES.length]] += row[i];
		}
		return out;
	}

	private sweep(): ThresholdPoint[] {
		return (this.options.thresholds ?? []).map((threshold, ti) => {
			const sum = { exact: { tp: 0, fp: 0, fn: 0 }, overlap: { tp: 0, fp: 0, fn: 0 } };
			for (const c of this.thresholdCounts[ti].values()) {
				sum.exact.tp += c[0];
				sum.exact.fp += c[1];
				sum.exact.fn += c[2];
				sum.overlap.tp += c[3];
				sum.overlap.fp += c[4];
				sum.overlap.fn += c[5];
			}
			return {
				threshold,
				predicted: this.thresholdKept[ti],
				exact: { ...sum.exact, ...ratios(sum.exact.tp, sum.exact.fp, sum.exact.fn) },
				overlap: { ...sum.overlap, ...ratios(sum.overlap.tp, sum.overlap.fp, sum.overlap.fn) }
			};
		});
	}
}

/** The three cut points of document length quartiles (linear interpolation, as numpy). */
export function quartileCuts(lengths: readonly number[]): [number, number, number] {
	const sorted = [...lengths].sort((a, b) => a - b);
	const at = (p: number) => {
		if (sorted.length === 0) return 0;
		const h = (sorted.length - 1) * p;
		const lo = Math.floor(h);
		const hi = Math.min(lo + 1, sorted.length - 1);
		return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
	};
	return [at(0.25), at(0.5), at(0.75)];
}

interface TableContext {
	rows: Int32Array;
	width: number;
	labels: readonly string[];
	fixedLabels: number;
	resamples: number;
	seed: number;
	pause?: () => Promise<void>;
}

/** Number of statistics per group (label, micro, macro): 3 modes × precision/recall/F1. */
const PER_GROUP = MODES.length * 3;

/**
 * The ratios of every group from column sums at `offset`: labels 0..L−1, then
 * micro (L), then macro (L+1), each 3 modes × (precision, recall, F1); NaN for
 * null. `counted` says which labels enter the macro mean.
 */
function statsFromSums(sums: ArrayLike<number>, offset: number, L: number, counted: readonly boolean[], out: Float64Array): void {
	for (let m = 0; m < MODES.length; m++) {
		let tpAll = 0;
		let fpAll = 0;
		let fnAll = 0;
		const macro = [0, 0, 0];
		const macroN = [0, 0, 0];
		for (let l = 0; l < L; l++) {
			const base = offset + l * PER_LABEL + m * 3;
			const tp = sums[base];
			const fp = sums[base + 1];
			const fn = sums[base + 2];
			tpAll += tp;
			fpAll += fp;
			fnAll += fn;
			const values = ratioTriple(tp, fp, fn);
			const o = l * PER_GROUP + m * 3;
			for (let q = 0; q < 3; q++) {
				out[o + q] = values[q];
				if (counted[l] && !Number.isNaN(values[q])) {
					macro[q] += values[q];
					macroN[q]++;
				}
			}
		}
		const micro = ratioTriple(tpAll, fpAll, fnAll);
		for (let q = 0; q < 3; q++) {
			out[L * PER_GROUP + m * 3 + q] = micro[q];
			out[(L + 1) * PER_GROUP + m * 3 + q] = macroN[q] > 0 ? macro[q] / macroN[q] : NaN;
		}
	}
}

const triple = [0, 0, 0];
function ratioTriple(tp: number, fp: number, fn: number): number[] {
	triple[0] = tp + fp > 0 ? tp / (tp + fp) : NaN;
	triple[1] = tp + fn > 0 ? tp / (tp + fn) : NaN;
	triple[2] = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : NaN;
	return triple;
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

function columnSums(rows: Int32Array, width: number, subset: Int32Array): Float64Array {
	const sums = new Float64Array(width);
	for (const d of subset) for (let k = 0; k < width; k++) sums[k] += rows[d * width + k];
	return sums;
}

/** Labels listed in a table: the fixed ones always, others only where they occur. */
function listed(ctx: TableContext, sums: Float64Array, offset: number): boolean[] {
	return ctx.labels.map((_, l) => {
		if (l < ctx.fixedLabels) return true;
		let any = 0;
		for (let k = 0; k < PER_LABEL; k++) any += sums[offset + l * PER_LABEL + k];
		return any > 0;
	});
}

/** Which labels have a reference or predicted span (exact counts cover every span). */
function occurring(sums: Float64Array, offset: number, L: number): boolean[] {
	return Array.from({ length: L }, (_, l) => sums[offset + l * PER_LABEL] + sums[offset + l * PER_LABEL + 1] + sums[offset + l * PER_LABEL + 2] > 0);
}

function buildTable(
	ctx: TableContext,
	documents: number,
	sums: Float64Array,
	offset: number,
	point: Float64Array,
	boot: Float64Array,
	errors: CategoryCounts[]
): Table {
	const L = ctx.labels.length;
	const nStats = (L + 2) * PER_GROUP;
	const column = new Float64Array(ctx.resamples);
	const ciOf = (stat: number): Interval => {
		for (let b = 0; b < ctx.resamples; b++) column[b] = boot[b * nStats + stat];
		return interval(column);
	};
	const metric = (group: number, m: number, tp: number, fp: number, fn: number): Metric => {
		const o = group * PER_GROUP + m * 3;
		return {
			tp,
			fp,
			fn,
			precision: orNull(point[o]),
			recall: orNull(point[o + 1]),
			f1: orNull(point[o + 2]),
			ci: { precision: ciOf(o), recall: ciOf(o + 1), f1: ciOf(o + 2) }
		};
	};
	const show = listed(ctx, sums, offset);
	const labels: Array<[string, LabelReport]> = [];
	const total = MODES.map(() => [0, 0, 0]);
	ctx.labels.forEach((label, l) => {
		const base = offset + l * PER_LABEL;
		MODES.forEach((_, m) => {
			for (let q = 0; q < 3; q++) total[m][q] += sums[base + m * 3 + q];
		});
		if (!show[l]) return;
		const report = {} as LabelReport;
		MODES.forEach((mode, m) => {
			report[mode] = metric(l, m, sums[base + m * 3], sums[base + m * 3 + 1], sums[base + m * 3 + 2]);
		});
		report.errors = { ...errors[l] };
		labels.push([label, report]);
	});
	const group = (g: number) => {
		const out = {} as ModeMetrics;
		MODES.forEach((mode, m) => (out[mode] = metric(g, m, total[m][0], total[m][1], total[m][2])));
		return out;
	};
	return { documents, labels: keyed(labels), micro: group(L), macro: group(L + 1) };
}

async function table(
	ctx: TableContext,
	subset: Int32Array,
	offset: number,
	errors: CategoryCounts[]
): Promise<Table> {
	const L = ctx.labels.length;
	const nStats = (L + 2) * PER_GROUP;
	const sums = columnSums(ctx.rows, ctx.width, subset);
	const counted = occurring(sums, offset, L);
	const point = new Float64Array(nStats);
	statsFromSums(sums, offset, L, counted, point);
	const boot = new Float64Array(ctx.resamples * nStats);
	const scratch = new Float64Array(nStats);
	await resampleSums(ctx.rows, ctx.width, subset, { resamples: ctx.resamples, seed: ctx.seed, pause: ctx.pause }, (b, s) => {
		statsFromSums(s, offset, L, counted, scratch);
		boot.set(scratch, b * nStats);
	});
	return buildTable(ctx, subset.length, sums, offset, point, boot, errors);
}

/** Both runs' tables and the paired differences, from one set of resamples. */
async function comparison(
	ctx: TableContext,
	subset: Int32Array,
	errorsA: CategoryCounts[],
	errorsB: CategoryCounts[]
): Promise<{ a: Table; compare: Comparison }> {
	const L = ctx.labels.length;
	const half = L * PER_LABEL;
	const nStats = (L + 2) * PER_GROUP;
	const sums = columnSums(ctx.rows, ctx.width, subset);
	// macro over the labels either run or the reference has, the same for both runs
	const countedA = occurring(sums, 0, L);
	const countedB = occurring(sums, half, L);
	const counted = countedA.map((x, l) => x || countedB[l]);
	const pointA = new Float64Array(nStats);
	const pointB = new Float64Array(nStats);
	statsFromSums(sums, 0, L, counted, pointA);
	statsFromSums(sums, half, L, counted, pointB);
	const bootA = new Float64Array(ctx.resamples * nStats);
	const bootB = new Float64Array(ctx.resamples * nStats);
	const sa = new Float64Array(nStats);
	const sb = new Float64Array(nStats);
	await resampleSums(ctx.rows, ctx.width, subset, { resamples: ctx.resamples, seed: ctx.seed, pause: ctx.pause }, (b, s) => {
		statsFromSums(s, 0, L, counted, sa);
		statsFromSums(s, half, L, counted, sb);
		bootA.set(sa, b * nStats);
		bootB.set(sb, b * nStats);
	});
	const a = buildTable(ctx, subset.length, sums, 0, pointA, bootA, errorsA);
	const bTable = buildTable(ctx, subset.length, sums, half, pointB, bootB, errorsB);
	const diffs = new Float64Array(ctx.resamples);
	const difference = (group: number, m: number): Difference => {
		const stat = group * PER_GROUP + m * 3 + 2;
		let wins = 0;
		let defined = 0;
		for (let b = 0; b < ctx.resamples; b++) {
			const d = bootB[b * nStats + stat] - bootA[b * nStats + stat];
			diffs[b] = d;
			if (!Number.isNaN(d)) {
				defined++;
				if (d > 0) wins++;
			}
		}
		const fa = orNull(pointA[stat]);
		const fb = orNull(pointB[stat]);
		return {
			a: fa,
			b: fb,
			diff: fa === null || fb === null ? null : fb - fa,
			ci: interval(diffs),
			b_better: defined > 0 ? wins / defined : null
		};
	};
	const perMode = (group: number) => {
		const out = {} as Record<Mode, Difference>;
		MODES.forEach((mode, m) => (out[mode] = difference(group, m)));
		return out;
	};
	const shown = new Set([...Object.keys(a.labels), ...Object.keys(bTable.labels)]);
	const labels = keyed(ctx.labels.flatMap((label, l) => (shown.has(label) ? [[label, perMode(l)] as [string, Record<Mode, Difference>]] : [])));
	return { a, compare: { labels, micro: perMode(L), macro: perMode(L + 1), table: bTable } };
}

/** Up to `count` evenly spaced thresholds over the scores' range (scores in [0, 1]: 0, 0.1, …, 1). */
export function thresholdsFor(min: number, max: number, count = 11): number[] {
	if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
	const lo = min >= 0 && max <= 1 ? 0 : min;
	const hi = min >= 0 && max <= 1 ? 1 : max;
	if (hi <= lo) return [lo];
	return Array.from({ length: count }, (_, i) => Math.round((lo + ((hi - lo) * i) / (count - 1)) * 1e9) / 1e9);
}
