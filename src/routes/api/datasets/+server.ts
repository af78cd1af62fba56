import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireGlobalLead } from '$lib/server/auth/access';
import { datasetsFor } from '$lib/server/annotate/annotate';
import { createDatasetAs, createDatasetSchema } from '$lib/server/datasets/datasets';

export const GET = api(async ({ locals }) => json(await datasetsFor(locals.user)));

export const POST = api(async ({ locals, request }) => {
	requireGlobalLead(locals.user);
	const input = await readJson(request, createDatasetSchema);
	return json(await createDatasetAs(locals.user, input), { status: 201 });
});
