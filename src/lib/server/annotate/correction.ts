/**
 * Correction mode (Prodigy's `ner.correct`): when a dataset's `correction`
 * names a source (`run~<name>` or `import~<source>`), a person's set that has
 * never been saved (revision 0) starts from that source's spans for the
 * document, each marked unreviewed: `source` = `unreviewed:<source>`
 * ($lib/suggest/settings). The set is started when its annotator first opens
 * the document (`startCorrection`); a lead reading it before sees it empty. The
 * annotator reviews a span by accepting it (saved with `source` = the part
 * after `unreviewed:`), editing it (a new span) or deleting it. Spans still
 * unreviewed count for neither progress nor agreement (`reviewedSpans`), nor
 * teach the lexicon.
 */
import { withCurrentLabels, type DatasetRecord, loadSet, isImportAnnotator } from '../store';
import { saveSet } from './saveSet';
import { DomainError } from '../http/errors';
import { sourceSpans } from '../suggest/suggestions';
import { materializeSpans } from '../../model/spans';
import { GOLD, type AnnotationSet, type Span, type SpanInput } from '../../model/types';
import { UNREVIEWED_PREFIX } from '../../suggest/settings';

/** The spans a set starts from in correction mode; null when the set is not one that starts from a source. */
export async function correctionSeed(dataset: DatasetRecord, doc: { id: string; text: string }, set: AnnotationSet): Promise<Span[] | null> {
	const source = dataset.correction?.source;
	if (!source || set.revision !== 0 || set.annotator === GOLD || isImportAnnotator(set.annotator)) return null;
	const labels = new Set(dataset.labels.map((l) => l.name));
	const spans = (await sourceSpans(dataset.slug, doc.id, source)).filter((s) => labels.has(s.label));
	const inputs = spans.map((s) => ({ start: s.start, end: s.end, label: s.label, ...(s.attrs ? { attrs: s.attrs } : {}) }));
	return materializeSpans(doc.text, inputs).map((s) => ({ ...s, source: `${UNREVIEWED_PREFIX}${source}` }) as Span);
}

/**
 * The caller's own set, started from the correction source when it has never
 * been saved: written as its first revision (by the annotator, status still
 * `not_started`), so deleting every suggested span is a change like any other
 * and the history shows where the set began. Another request starting the
 * same set first wins (409 here): its set is read instead.
 */
export async function startCorrection(dataset: DatasetRecord, doc: { id: string; text: string }, set: AnnotationSet): Promise<AnnotationSet> {
	const seed = await correctionSeed(dataset, doc, set);
	if (!seed || !seed.length) return set;
	try {
		await withCurrentLabels(dataset.slug, (labels) =>
			saveSet(dataset.slug, doc, set.annotator, set.annotator, labels, {
				baseRevision: 0,
				spans: seed.map((s) => ({ start: s.start, end: s.end, label: s.label, ...(s.attrs ? { attrs: s.attrs } : {}), source: (s as { source?: string }).source })) as SpanInput[],
				status: 'not_started'
			})
		);
	} catch (e) {
		if (!(e instanceof DomainError && e.status === 409)) throw e;
	}
	return loadSet(dataset.slug, doc.id, set.annotator);
}
