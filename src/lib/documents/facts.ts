/**
 * What a set's summary keeps of its spans for the document list's label filter,
 * "has disagreement" and agreement sort (`SetSummary.labels`, `SetSummary.keys`),
 * computed on every save by both stores from the same function. Correction
 * mode's unreviewed spans are not the annotator's work yet (issue #18): left out,
 * as the summary's span count leaves them out.
 */
import { reviewedSpans } from '../suggest/settings';
import { spanKeysOf } from '../agreement/documentAgreement';
import type { Span } from '../model/types';

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface SpanFacts {
	/** distinct labels of the reviewed spans, sorted by code unit */
	labels: string[];
	/** the reviewed spans' keys (documentAgreement.ts spanKeysOf) */
	keys: string;
}

export function spanFactsOf(spans: readonly Pick<Span, 'label' | 'start' | 'end' | 'source'>[]): SpanFacts {
	const reviewed = reviewedSpans(spans);
	return { labels: [...new Set(reviewed.map((s) => s.label))].sort(byCodeUnit), keys: spanKeysOf(reviewed) };
}
