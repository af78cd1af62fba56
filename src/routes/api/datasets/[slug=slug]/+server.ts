import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { datasetFor } from '$lib/server/annotate/annotate';
import { updateDatasetSchema } from '$lib/server/datasets/datasets';
import { updateDatasetFor } from '$lib/server/datasets/settings';

export const GET = api(async ({ locals, params }) => json(await datasetFor(locals.user, params.slug)));

export const PATCH = api(async ({ locals, params, request }) =>
	json(await updateDatasetFor(locals.user, params.slug, () => readJson(request, updateDatasetSchema)))
);
