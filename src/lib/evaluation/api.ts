/**
 * The wire shapes of prediction runs and evaluation reports (docs/api.md
 * "Prediction runs" and "Evaluations"), shared by the server and the page.
 */
import type { EvaluationResult, Table } from './report';
import type { ErrorItem } from './errors';

/** A run as listed (`GET …/predictions`): its manifest. */
export interface RunSummary {
	run: string;
	dataset: string;
	model: string | null;
	model_version: string | null;
	uploaded_at: string;
	uploaded_by: string;
	/** lowercase hex sha256 of the bytes as sent */
	sha256: string;
	bytes: number;
	documents: number;
	spans: number;
	/** predicted spans per label, keys sorted */
	span_counts: Record<string, number>;
	/** over the spans that carry a score; null when none does */
	scores: { count: number; min: number; max: number } | null;
	/** the spans file, in the same folder */
	file: string;
}

export interface ReferenceInfo {
	/** "v0003", or "gold" for the current gold */
	version: string;
	/** whose records: "gold", "annotators" or one annotator's name */
	records: string;
	sha256: string;
	/** release references: the release's own manifest fields */
	created_at?: string;
}

export interface RunInfo {
	name: string;
	model: string | null;
	model_version: string | null;
	uploaded_at: string;
	sha256: string;
}

/** The API's report: the shape documented in docs/api.md "Evaluations". */
export interface EvaluationReport {
	run: string;
	against: string;
	reference: ReferenceInfo;
	run_info: RunInfo;
	documents: number;
	/** reference documents the run has no line for (all their spans count as missed) */
	documents_without_predictions: number;
	/** run documents absent from the reference (left out) */
	predictions_without_reference: number;
	bootstrap: EvaluationResult['bootstrap'];
	labels: Table['labels'];
	micro: Table['micro'];
	macro: Table['macro'];
	slices?: EvaluationResult['slices'];
	compare?: {
		run: string;
		run_info: RunInfo;
		labels: NonNullable<EvaluationResult['compare']>['labels'];
		micro: NonNullable<EvaluationResult['compare']>['micro'];
		macro: NonNullable<EvaluationResult['compare']>['macro'];
		report: Pick<Table, 'labels' | 'micro' | 'macro'>;
	};
	thresholds?: EvaluationResult['thresholds'];
	/** with `errors`: the error browser's items (at most `errors_limit`), and how many there were */
	errors?: ErrorItem[];
	errors_total?: number;
}

