import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http';
import { requireUser } from '$lib/server/access';
import { memberSchema, removeMember, setMember } from '$lib/server/datasets';

export const PUT = api(async ({ locals, params, request }) => {
	requireUser(locals.user);
	const { role } = await readJson(request, memberSchema);
	return json(await setMember(locals.user, params.slug, params.username, role));
});

export const DELETE = api(async ({ locals, params }) => json(await removeMember(locals.user, params.slug, params.username)));
