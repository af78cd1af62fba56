import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { datasetsFor } from '$lib/server/annotate/annotate';
import { createDatasetAs, createDatasetSchema } from '$lib/server/datasets/datasets';

export const GET = api(async ({ locals }) => json(await datasetsFor(locals.user)));

export const POST = api(async ({ locals, request }) => {
	return json(await createDatasetAs(locals.user, () => readJson(request, createDatasetSchema)), { status: 201 });
});
