import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { applyAssignment, assignmentSchema, assignmentView } from '$lib/server/assignments/assignments';

export const GET = api(async ({ locals, params }) => json(await assignmentView(await requireDatasetLead(locals.user, params.slug))));

export const POST = api(async ({ locals, params, request }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	const input = await readJson(request, assignmentSchema);
	return json(await applyAssignment(access, input));
});
