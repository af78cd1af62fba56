import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireGlobalLead } from '$lib/server/auth/access';
import { updateUserAs, updateUserSchema } from '$lib/server/auth/users';

export const PATCH = api(async ({ locals, params, request }) => {
	requireGlobalLead(locals.user);
	const fields = await readJson(request, updateUserSchema);
	return json(await updateUserAs(locals.user, params.username, fields));
});
