import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { runsFor } from '$lib/server/evaluation/pages';
import { uploadRequestAs } from '$lib/server/evaluation/predictionsHttp';

/** The dataset's prediction runs, newest first (docs/api.md "Prediction runs"). */
export const GET = api(async ({ locals, params }) => json({ runs: await runsFor(locals.user, params.slug) }));

/** Upload a prediction run: `?run=NAME`, NDJSON body, all-or-nothing. */
export const POST = api(async ({ locals, params, request, url }) => {
	const { run, documents, spans, manifest } = await uploadRequestAs(locals.user, params.slug, request, url);
	return json({ run, documents, spans, sha256: manifest.sha256, model: manifest.model, model_version: manifest.model_version }, { status: 201 });
});
