/**
 * How the agreement dashboard reads the report (pure): the usual reading of
 * alpha, why a coefficient is missing, the pair matrix behind the heatmap, its
 * colour scale, and the label swaps worth pointing at.
 */
import type { AgreementReport, Coefficients, PairStats } from './';
import { plural } from '../text/plural';

export type Reading = 'reliable' | 'tentative' | 'unreliable' | 'none';

/** Krippendorff's conventional cut-offs: >= 0.8 reliable, >= 0.667 tentative conclusions only, below that unreliable. */
export const RELIABLE = 0.8;
export const TENTATIVE = 0.667;

export function readingOf(alpha: number | null): Reading {
	if (alpha === null) return 'none';
	if (alpha >= RELIABLE) return 'reliable';
	if (alpha >= TENTATIVE) return 'tentative';
	return 'unreliable';
}

export const READING_TEXT: Record<Reading, string> = {
	reliable: 'reliable',
	tentative: 'tentative',
	unreliable: 'unreliable',
	none: 'not enough data'
};

/**
 * Why a coefficient is null (see $lib/agreement/coefficients.ts): no shared
 * documents, no words in them, or no variation — usually a label nobody used.
 * `label` null means all labels together.
 */
export function missingReason(report: AgreementReport, coefficients: Coefficients, label: string | null): string {
	if (report.documents === 0) return 'no document is done by two annotators yet';
	if (coefficients.items === 0) return 'the shared documents have no words';
	const nobodyTagged = coefficients.pairs.every((p) => p.f1_exact === null);
	if (nobodyTagged) {
		const docs = plural(report.documents, 'shared document');
		return label === null ? `nobody tagged anything in the ${docs}` : `nobody used “${label}” in the ${docs}`;
	}
	return 'no variation: every word got the same value from everyone';
}

/**
 * Fixed decimals (two by default; alpha gets three so 0.6666 never reads as
 * "0.67 unreliable"), a true minus sign, and an em dash for null.
 */
export function formatCoefficient(value: number | null, digits = 2): string {
	if (value === null) return '—';
	const s = Math.abs(value).toFixed(digits);
	return value < 0 && Number(s) !== 0 ? `−${s}` : s;
}

export type PairMetric = 'cohen_kappa' | 'f1_exact' | 'f1_overlap';

export const PAIR_METRICS: Array<{ id: PairMetric; name: string }> = [
	{ id: 'cohen_kappa', name: "Cohen's κ" },
	{ id: 'f1_exact', name: 'F1, exact spans' },
	{ id: 'f1_overlap', name: 'F1, overlapping spans' }
];

export interface PairCell {
	value: number | null;
	documents: number;
}

/**
 * Symmetric annotator × annotator matrix of one pair metric: cells[i][j] for
 * annotators i and j, null on the diagonal and for pairs that share no
 * document (the report has no entry for them).
 */
export function pairMatrix(annotators: string[], pairs: PairStats[], metric: PairMetric): (PairCell | null)[][] {
	const index = new Map(annotators.map((a, i) => [a, i]));
	const cells: (PairCell | null)[][] = annotators.map(() => annotators.map(() => null));
	for (const p of pairs) {
		const i = index.get(p.a);
		const j = index.get(p.b);
		if (i === undefined || j === undefined || i === j) continue;
		const cell = { value: p[metric], documents: p.documents };
		cells[i][j] = cell;
		cells[j][i] = cell;
	}
	return cells;
}

type Rgb = [number, number, number];

/** Colour stops on [0, 1], placed on the reading's cut-offs so colour and words agree. */
const STOPS: Array<[number, Rgb]> = [
	[0, [215, 48, 39]],
	[0.4, [244, 141, 84]],
	[TENTATIVE, [253, 219, 120]],
	[RELIABLE, [166, 217, 106]],
	[1, [26, 152, 80]]
];

/** Heatmap fill for a coefficient: red (0 or below) through yellow (0.667) to green (1); grey for null. */
export function heatColor(value: number | null): string {
	if (value === null) return '#eaeef2';
	const v = Math.max(0, Math.min(1, value));
	let k = 1;
	while (k < STOPS.length - 1 && v > STOPS[k][0]) k++;
	const [x0, c0] = STOPS[k - 1];
	const [x1, c1] = STOPS[k];
	const t = x1 === x0 ? 0 : (v - x0) / (x1 - x0);
	const rgb = c0.map((c, i) => Math.round(c + (c1[i] - c) * t));
	return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Black or white, whichever reads better on `hex` (#rrggbb), by relative luminance. */
export function textColorOn(hex: string): string {
	const [r, g, b] = [1, 3, 5].map((i) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
	return luminance > 0.35 ? '#1f2328' : '#ffffff';
}

export interface Swap {
	a: string;
	b: string;
	count: number;
}

/**
 * The off-diagonal cells of the confusion table, largest first: which labels
 * annotators swap (both labels real) and which they tag where others tag
 * nothing (one side `none`). Each unordered pair once.
 */
export function topSwaps(confusion: AgreementReport['confusion'], limit = 5): { swaps: Swap[]; misses: Swap[] } {
	const { labels, counts } = confusion;
	const none = labels.length - 1;
	const swaps: Swap[] = [];
	const misses: Swap[] = [];
	for (let i = 0; i < labels.length; i++) {
		for (let j = i + 1; j < labels.length; j++) {
			const count = counts[i][j];
			if (!count) continue;
			(i === none || j === none ? misses : swaps).push({ a: labels[i], b: labels[j], count });
		}
	}
	const order = (x: Swap, y: Swap) => y.count - x.count || (x.a + x.b < y.a + y.b ? -1 : 1);
	return { swaps: swaps.sort(order).slice(0, limit), misses: misses.sort(order).slice(0, limit) };
}
