import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { runsOf } from '$lib/server/evaluation/evaluations';
import { uploadRequest } from '$lib/server/evaluation/predictionsHttp';

/** The dataset's prediction runs, newest first (docs/api.md "Prediction runs"). */
export const GET = api(async ({ locals, params }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return json({ runs: await runsOf(access) });
});

/** Upload a prediction run: `?run=NAME`, NDJSON body, all-or-nothing. */
export const POST = api(async ({ locals, params, request, url }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	const { run, documents, spans, manifest } = await uploadRequest(access, request, url);
	return json({ run, documents, spans, sha256: manifest.sha256, model: manifest.model, model_version: manifest.model_version }, { status: 201 });
});
