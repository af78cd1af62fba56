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
import { createHash } from 'node:crypto';
import {
	AgreementAccumulator,
	AttributeAgreementAccumulator,
	RelationAgreementAccumulator,
	type AttributeReport,
	type AttributeSchema,
	type RelationReport,
	type RelationAnnotation,
	type AgreementDocument,
	type AgreementInput,
	type AgreementReport,
	type InputSpan
} from '../../agreement';
import { toCsv } from '../../text/csv';
import { GOLD, type Label, type RelationType } from '../../model/types';
import { dict, type Dict } from '../../model/dict';
import type { DatasetAccess } from '../auth/access';
import { iterateWork, datasetSummaries, type SetSummary, getDataset, listDocumentHeaders, type DocumentHeader } from '../store';
import { reviewedSpans } from '../../suggest/settings';
import { dataRoot } from '../config';

const isDone = (status: string) => status === 'done';
/** Documents worth reading: at least two annotators (gold aside) finished them. */
const doneByTwo = (chosen: readonly SetSummary[]) => chosen.filter((s) => s.annotator !== GOLD).length >= 2;

/**
 * The work agreement uses, one document at a time, read through `iterateWork`
 * (its fast path for gold too): documents with >= 2 done annotators, with the
 * spans of their done gold set when there is one.
 */
async function* agreementDocuments(
	slug: string
): AsyncGenerator<{ document: AgreementDocument; gold?: InputSpan[]; sets: RelationAnnotation[] }> {
	for await (const { document, sets } of iterateWork(slug, { status: isDone, document: doneByTwo })) {
		const annotations: AgreementDocument['annotations'] = [];
		const full: RelationAnnotation[] = [];
		let gold: InputSpan[] | undefined;
		for (const set of sets) {
			// the summaries chose these; a set read through the careful path may be newer, so look again
			if (!isDone(set.status)) continue;
			// correction mode: spans still unreviewed are not the annotator's judgement (issue #18)
			if (set.annotator === GOLD) gold = reviewedSpans(set.spans);
			else {
				const spans = reviewedSpans(set.spans);
				annotations.push({ annotator: set.annotator, spans });
				// relations and attributes (issue #17): span ids, attrs and the set's relations (a relation to an unreviewed span finds no end and is left out)
				full.push({ annotator: set.annotator, spans, relations: set.relations ?? [] });
			}
		}
		if (annotations.length < 2) continue;
		yield { document: { doc_id: document.id, text: document.text, annotations }, gold, sets: full };
	}
}

/** What agreement on relations and attributes rests on: the dataset's relation type names and the labels' attribute names. */
export interface StructureSchema {
	relationTypes: string[];
	attributes: AttributeSchema[];
}

function structureSchemaOf(dataset: { labels: Label[]; relationTypes?: RelationType[] }): StructureSchema {
	return {
		relationTypes: (dataset.relationTypes ?? []).map((t) => t.name),
		attributes: dataset.labels
			.filter((l) => l.attributes?.length)
			.map((l) => ({ label: l.name, attributes: l.attributes!.map((a) => a.name) }))
	};
}

/** The agreement report with the figures on relations (per type) and attributes (per label and attribute). */
export interface DatasetAgreementReport extends AgreementReport {
	relations: RelationReport;
	attributes: AttributeReport;
}

/** Only what the maths reads: span ids and texts would double the heap of a collected input. */
const bare = ({ start, end, label }: InputSpan): InputSpan => ({ start, end, label });

/** The whole input at once (for tests and scripts; `datasetAgreement` streams instead). */
export async function buildAgreementInput(slug: string, labels: string[]): Promise<AgreementInput> {
	const documents: AgreementInput['documents'] = [];
	const gold: NonNullable<AgreementInput['gold']> = [];
	for await (const { document, gold: goldSpans } of agreementDocuments(slug)) {
		documents.push({
			...document,
			annotations: document.annotations.map((a) => ({ annotator: a.annotator, spans: a.spans.map(bare) }))
		});
		if (goldSpans) gold.push({ doc_id: document.doc_id, spans: goldSpans.map(bare) });
	}
	return { labels, documents, gold };
}

/** Documents go into the maths as they are read, so memory does not grow with the corpus. */
async function computeReport(slug: string, labels: string[], schema: StructureSchema): Promise<DatasetAgreementReport> {
	const accumulator = new AgreementAccumulator(labels);
	const relations = new RelationAgreementAccumulator(schema.relationTypes);
	const attributes = new AttributeAgreementAccumulator(schema.attributes);
	for await (const { document, gold, sets } of agreementDocuments(slug)) {
		accumulator.add(document, gold);
		relations.add(sets);
		attributes.add(sets);
	}
	return { ...accumulator.report(), relations: relations.report(), attributes: attributes.report() };
}

/**
 * Reports already computed, by dataset, each with the fingerprint of what it
 * was computed from (see `fingerprintOf`). Concurrent requests for one
 * fingerprint share one computation.
 */
const reports = new Map<string, { fingerprint: string; report: Promise<DatasetAgreementReport> }>();

/**
 * Everything a report depends on, as this process knows it: the data folder,
 * the label names, the documents (id and text hash, from the index, which
 * notices documents added or removed by another process such as
 * `npm run import`) and the revision and status of every set (from the
 * summaries, which every save updates). A save, a label change (renames and
 * removals rewrite sets too), an import or a document leaving the folder
 * changes it.
 */
function fingerprintOf(
	labels: unknown,
	headers: readonly DocumentHeader[],
	summaries: Map<string, Map<string, SetSummary>>
): string {
	const hash = createHash('sha256').update(JSON.stringify([dataRoot(), labels]));
	for (const header of headers) {
		let line = `\n${header.id} ${header.sha256}`;
		for (const s of summaries.get(header.id)?.values() ?? []) line += ` ${s.annotator}:${s.revision}:${s.status}`;
		hash.update(line);
	}
	return hash.digest('hex');
}

/** The report is shared by every caller until the dataset changes: frozen, so none can change it for the others. */
function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) deepFreeze(child);
	}
	return value;
}

/**
 * The agreement report of a dataset (no access check: for trusted callers such
 * as scripts and the benchmark). Computed once per state of the dataset: the
 * dashboard and the API answer from memory until a save, a label change, an
 * import or a removed document changes what it rests on.
 */
export async function datasetAgreement(slug: string): Promise<DatasetAgreementReport> {
	const dataset = await getDataset(slug);
	const labels = dataset.labels.map((l) => l.name);
	const schema = structureSchemaOf(dataset);
	// relation types and attribute names are part of what the report rests on (a rename rewrites sets too)
	const fingerprint = fingerprintOf([labels, schema], await listDocumentHeaders(slug), await datasetSummaries(slug));
	const cached = reports.get(slug);
	if (cached?.fingerprint === fingerprint) return cached.report;
	const report = computeReport(slug, labels, schema).then(deepFreeze);
	reports.set(slug, { fingerprint, report });
	report.catch(() => {
		if (reports.get(slug)?.report === report) reports.delete(slug);
	});
	return report;
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
	report: DatasetAgreementReport;
	/** the dataset's relation types (names), for the dashboard's empty states */
	relationTypes: string[];
	readiness: AgreementReadiness;
	labels: Label[];
	/** titles of the documents listed in per_document (the first `shown`) */
	titles: Dict<string>;
	shown: number;
}

/** Everything the dashboard draws; `limit` caps the per-document list sent to the page (null = all). */
export async function agreementDashboard(access: DatasetAccess, limit: number | null): Promise<AgreementDashboard> {
	const slug = access.dataset.slug;
	const report = await datasetAgreement(slug);
	const readiness = await agreementReadiness(slug);
	const shown = limit === null ? report.per_document.length : Math.min(limit, report.per_document.length);
	const titleOf = new Map((await listDocumentHeaders(slug)).map((h) => [h.id, h.title]));
	const titles = dict<string>();
	for (const d of report.per_document.slice(0, shown)) titles[d.doc_id] = titleOf.get(d.doc_id) ?? d.doc_id;
	return {
		report: { ...report, per_document: report.per_document.slice(0, shown) },
		readiness,
		relationTypes: structureSchemaOf(access.dataset).relationTypes,
		labels: access.dataset.labels,
		titles,
		shown
	};
}
