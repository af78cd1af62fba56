/** Number formats of the Evaluations page: ratios as percentages with one decimal, intervals as "lo–hi". */
export function pct(x: number | null | undefined): string {
	return x === null || x === undefined ? '—' : (x * 100).toFixed(1);
}

export function range(ci: [number, number] | null | undefined): string {
	return ci ? `${pct(ci[0])}–${pct(ci[1])}` : '—';
}

export function signed(x: number | null | undefined): string {
	if (x === null || x === undefined) return '—';
	const v = (x * 100).toFixed(1);
	return x > 0 ? `+${v}` : v;
}

export const MODE_NAMES = { exact: 'exact', overlap: 'overlap', token: 'token' } as const;
export type ModeName = keyof typeof MODE_NAMES;

export const CATEGORY_NAMES: Record<string, string> = {
	correct: 'correct',
	wrong_label: 'wrong label',
	wrong_boundaries: 'wrong boundaries',
	wrong_label_and_boundaries: 'wrong label and boundaries',
	missed: 'missed',
	spurious: 'spurious'
};
