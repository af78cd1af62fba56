import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { memberSchema, removeMember, setMember } from '$lib/server/datasets/datasets';

export const PUT = api(async ({ locals, params, request }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	const { role } = await readJson(request, memberSchema);
	return json(await setMember(access, params.username, role));
});

export const DELETE = api(async ({ locals, params }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return json(await removeMember(access, params.username));
});
