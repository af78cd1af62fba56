/**
 * An evaluation report as CSV (`GET …/evaluations?format=csv`): one row per
 * run, slice, label (and "(micro)", "(macro)") and matching rule, with the
 * counts, the ratios and their intervals; error categories on the per-label
 * rows of the exact rule. Empty fields are nulls.
 */
import { toCsv, type CsvValue } from '../text/csv';
import { MODES, CATEGORIES } from './match';
import type { Interval, Metric, ModeMetrics, Table } from './report';

export const EVALUATION_CSV_HEADER = [
	'run',
	'slice_by',
	'slice',
	'label',
	'mode',
	'tp',
	'fp',
	'fn',
	'precision',
	'recall',
	'f1',
	'precision_lo',
	'precision_hi',
	'recall_lo',
	'recall_hi',
	'f1_lo',
	'f1_hi',
	...CATEGORIES
];

interface CsvReport {
	run: string;
	labels: Table['labels'];
	micro: ModeMetrics;
	macro: ModeMetrics;
	slices?: Array<{ by: string; value: string } & Pick<Table, 'labels' | 'micro' | 'macro'>>;
	compare?: { run: string; report: Pick<Table, 'labels' | 'micro' | 'macro'> };
}

const ends = (i: Interval): [CsvValue, CsvValue] => (i ? [i[0], i[1]] : [null, null]);

function metricCells(m: Metric): CsvValue[] {
	return [m.tp, m.fp, m.fn, m.precision, m.recall, m.f1, ...ends(m.ci.precision), ...ends(m.ci.recall), ...ends(m.ci.f1)];
}

function tableRows(run: string, by: string, value: string, t: Pick<Table, 'labels' | 'micro' | 'macro'>): CsvValue[][] {
	const rows: CsvValue[][] = [];
	for (const label of Object.keys(t.labels)) {
		const l = t.labels[label];
		for (const mode of MODES) {
			const cats = mode === 'exact' ? CATEGORIES.map((c) => l.errors[c]) : CATEGORIES.map(() => null);
			rows.push([run, by, value, label, mode, ...metricCells(l[mode]), ...cats]);
		}
	}
	for (const [name, group] of [['(micro)', t.micro], ['(macro)', t.macro]] as const) {
		for (const mode of MODES) rows.push([run, by, value, name, mode, ...metricCells(group[mode]), ...CATEGORIES.map(() => null)]);
	}
	return rows;
}

export function evaluationCsv(report: CsvReport): string {
	const rows = tableRows(report.run, '', '', report);
	for (const s of report.slices ?? []) rows.push(...tableRows(report.run, s.by, s.value, s));
	if (report.compare) rows.push(...tableRows(report.compare.run, '', '', report.compare.report));
	return toCsv(EVALUATION_CSV_HEADER, rows);
}
