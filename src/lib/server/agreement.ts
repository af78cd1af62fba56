/**
 * Agreement over a dataset: streams the finished work out of the store into
 * the pure maths (`$lib/agreement`), and shapes the result for the API, the
 * CSV export and the dashboard.
 *
 * Which work counts: annotation sets with status `done`, gold excluded, on
 * documents that at least two annotators have finished; the gold set of such a
 * document is compared against them when the lead has marked it done too.
 *
 * No SvelteKit imports here (relative imports only): the benchmark calls
 * `datasetAgreement` from a plain Node script through tsx.
 */
import { computeAgreement, type AgreementInput, type AgreementReport, type InputSpan } from '../agreement';
import { toCsv } from '../csv';
import { GOLD, type Label } from '../types';
import type { DatasetAccess } from './access';
import { iterateWork } from './store/corpus';
import { datasetSummaries, loadSet } from './store/annotations';
import { getDataset, listDocumentHeaders } from './store/datasets';

const isDone = (status: string) => status === 'done';
/** Only what the maths reads: the whole corpus is held until it runs, and span ids and texts would double the heap (and the GC time). */
const bare = ({ start, end, label }: InputSpan): InputSpan => ({ start, end, label });
const notGold = (name: string) => name !== GOLD;

/** One pass over the corpus: the documents with >= 2 done annotators, and the done gold sets of those documents. */
export async function buildAgreementInput(slug: string, labels: string[]): Promise<AgreementInput> {
	const summaries = await datasetSummaries(slug);
	const documents: AgreementInput['documents'] = [];
	const gold: NonNullable<AgreementInput['gold']> = [];
	for await (const { document, sets } of iterateWork(slug, { status: isDone, annotator: notGold, skipEmpty: true })) {
		if (sets.length < 2) continue;
		documents.push({
			doc_id: document.id,
			text: document.text,
			annotations: sets.map((s) => ({ annotator: s.annotator, spans: s.spans.map(bare) }))
		});
		const goldSummary = summaries.get(document.id)?.get(GOLD);
		if (goldSummary && goldSummary.revision > 0 && isDone(goldSummary.status)) {
			gold.push({ doc_id: document.id, spans: (await loadSet(slug, document.id, GOLD)).spans.map(bare) });
		}
	}
	return { labels, documents, gold };
}

/** The agreement report of a dataset (no access check: for trusted callers such as scripts and the benchmark). */
export async function datasetAgreement(slug: string): Promise<AgreementReport> {
	const dataset = await getDataset(slug);
	return computeAgreement(await buildAgreementInput(slug, dataset.labels.map((l) => l.name)));
}

/** Label value of the CSV rows for all labels together; "(" cannot start a label name, so it never clashes. */
export const OVERALL_ROW = '(overall)';

/** The pair table: one row per label and annotator pair, then the pairs over all labels. Nulls are empty fields. */
export function agreementPairsCsv(report: AgreementReport): string {
	const rows: (string | number | null)[][] = [];
	const add = (label: string, pairs: AgreementReport['overall']['pairs']) => {
		for (const p of pairs) rows.push([label, p.a, p.b, p.documents, p.cohen_kappa, p.f1_exact, p.f1_overlap]);
	};
	for (const [label, c] of Object.entries(report.labels)) add(label, c.pairs);
	add(OVERALL_ROW, report.overall.pairs);
	return toCsv(['label', 'a', 'b', 'documents', 'cohen_kappa', 'f1_exact', 'f1_overlap'], rows);
}

/** How far the dataset is from having agreement figures: documents by number of annotators who finished them. */
export interface AgreementReadiness {
	documents: number;
	/** documents finished by exactly one annotator */
	doneByOne: number;
	/** documents finished by two or more annotators (the ones agreement uses) */
	doneByTwoOrMore: number;
	/** annotators who finished at least one document */
	annotatorsWithDone: number;
}

export async function agreementReadiness(slug: string): Promise<AgreementReadiness> {
	const headers = await listDocumentHeaders(slug);
	const known = new Set(headers.map((h) => h.id));
	const annotators = new Set<string>();
	let doneByOne = 0;
	let doneByTwoOrMore = 0;
	for (const [docId, perDoc] of await datasetSummaries(slug)) {
		if (!known.has(docId)) continue;
		let done = 0;
		for (const s of perDoc.values()) {
			if (s.annotator === GOLD || s.revision === 0 || !isDone(s.status)) continue;
			done++;
			annotators.add(s.annotator);
		}
		if (done === 1) doneByOne++;
		else if (done >= 2) doneByTwoOrMore++;
	}
	return { documents: headers.length, doneByOne, doneByTwoOrMore, annotatorsWithDone: annotators.size };
}

export interface AgreementDashboard {
	report: AgreementReport;
	readiness: AgreementReadiness;
	labels: Label[];
	/** titles of the documents listed in per_document (the first `shown`) */
	titles: Record<string, string>;
	shown: number;
}

/** Everything the dashboard draws; `limit` caps the per-document list sent to the page (null = all). */
export async function agreementDashboard(access: DatasetAccess, limit: number | null): Promise<AgreementDashboard> {
	const slug = access.dataset.slug;
	const report = await datasetAgreement(slug);
	const readiness = await agreementReadiness(slug);
	const shown = limit === null ? report.per_document.length : Math.min(limit, report.per_document.length);
	const titleOf = new Map((await listDocumentHeaders(slug)).map((h) => [h.id, h.title]));
	const titles: Record<string, string> = {};
	for (const d of report.per_document.slice(0, shown)) titles[d.doc_id] = titleOf.get(d.doc_id) ?? d.doc_id;
	return {
		report: { ...report, per_document: report.per_document.slice(0, shown) },
		readiness,
		labels: access.dataset.labels,
		titles,
		shown
	};
}
