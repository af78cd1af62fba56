import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { updateUserAs, updateUserSchema } from '$lib/server/auth/users';

export const PATCH = api(async ({ locals, params, request }) => {
	return json(await updateUserAs(locals.user, params.username, () => readJson(request, updateUserSchema)));
});
