/**
 * Evaluations as the pages and routes call them: with the caller, checked here
 * (leads of the dataset) before anything is read.
 */
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead } from '../auth/access';
import { badRequest, isDomainError } from '../http/errors';
import { listReleases } from '../release/releases';
import { getDocument } from '../store';
import type { RunManifest } from '../store';
import { documentLanes, evaluate, evaluationPageOptions, metaFieldsOf, parseEvaluationQuery, runsOf, type EvaluationReport } from './evaluations';

/** GET …/predictions: the dataset's prediction runs, newest first. */
export async function runsFor(user: SessionUser | null, slug: string): Promise<RunManifest[]> {
	return runsOf(await requireDatasetLead(user, slug));
}

/** The Evaluations page: runs, releases, meta fields for slices, and the report the query asks for (its error in words). */
export async function evaluationsPageFor(user: SessionUser | null, slug: string, params: URLSearchParams) {
	const access = await requireDatasetLead(user, slug);
	let report: EvaluationReport | null = null;
	let reportError: string | null = null;
	if (params.get('run')) {
		try {
			report = await evaluate(slug, parseEvaluationQuery(params), evaluationPageOptions);
		} catch (e) {
			if (!isDomainError(e)) throw e;
			reportError = e.message;
		}
	}
	return {
		runs: (await runsOf(access)).map(({ run, model, model_version, uploaded_at, uploaded_by, documents, spans, sha256 }) => ({
			run,
			model,
			model_version,
			uploaded_at,
			uploaded_by,
			documents,
			spans,
			sha256
		})),
		releases: (await listReleases(slug)).map((r) => ({ name: r.name, source: r.source, created_at: r.created_at, records: r.records })),
		metaFields: await metaFieldsOf(slug),
		query: {
			...Object.fromEntries(['run', 'against', 'reference', 'compare', 'seed', 'resamples'].map((k) => [k, params.get(k) ?? ''])),
			// the picker's checkboxes send one slice= per field
			slice: params.getAll('slice').filter(Boolean).join(',')
		} as Record<string, string>,
		// as JSON text: a report is keyed by label names, and a label may be called "__proto__",
		// which JSON.parse keeps as an ordinary key (the page data serializer refuses it)
		reportJson: report ? JSON.stringify(report) : null,
		reportError
	};
}

/** The error browser's page of one document (`?run=&against=&reference=&focus=`): its title, its text and the two lanes. */
export async function errorBrowserFor(user: SessionUser | null, slug: string, docId: string, params: URLSearchParams) {
	const access = await requireDatasetLead(user, slug);
	const run = params.get('run');
	if (!run) throw badRequest('give the run as ?run=NAME');
	const query = { run, against: params.get('against') || 'gold', reference: params.get('reference') || 'gold' };
	const lanes = await documentLanes(slug, docId, query);
	const document = await getDocument(slug, docId);
	return {
		labels: access.dataset.labels,
		document: { id: document.id, title: document.title },
		text: lanes.found ? lanes.text : document.text,
		found: lanes.found,
		reference: lanes.reference,
		predicted: lanes.predicted,
		query,
		focus: params.get('focus') ?? ''
	};
}
