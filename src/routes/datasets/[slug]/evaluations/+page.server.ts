import type { Actions, PageServerLoad } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { isDomainError } from '$lib/server/http/errors';
import { listReleases } from '$lib/server/release/releases';
import { evaluate, evaluationPageOptions, metaFieldsOf, parseEvaluationQuery, runsOf, type EvaluationReport } from '$lib/server/evaluation/evaluations';
import { uploadRun } from '$lib/server/store';
import { bodyChunks } from '$lib/server/evaluation/predictionsHttp';
import { limits } from '$lib/server/config';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const access = await requireDatasetLead(user, event.params.slug);
		const slug = access.dataset.slug;
		const params = event.url.searchParams;
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
			dataset: { slug, title: access.dataset.title, role: access.role, labels: access.dataset.labels },
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
	});
};

export const actions: Actions = {
	upload: async (event) => {
		const form = await event.request.formData();
		const fields = formFields(form);
		return formAction(
			'upload',
			async () => {
				const access = await requireDatasetLead(pageUser(event), event.params.slug);
				const file = form.get('file');
				const pasted = fields.predictions ?? '';
				const chunks =
					file && typeof file !== 'string' && file.size > 0
						? bodyChunks(file.stream())
						: (async function* () {
								yield new TextEncoder().encode(pasted);
							})();
				const result = await uploadRun(access.dataset.slug, fields.run ?? '', chunks, {
					by: access.user.username,
					maxBytes: limits.importBytes,
					...(fields.model ? { model: fields.model.slice(0, 200) } : {}),
					...(fields.model_version ? { model_version: fields.model_version.slice(0, 200) } : {})
				});
				return { section: 'upload', uploaded: { run: result.run, documents: result.documents, spans: result.spans } };
			},
			{ run: fields.run ?? '', model: fields.model ?? '', model_version: fields.model_version ?? '' }
		);
	}
};
