import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { createUserAs, createUserSchema, listUsersAs } from '$lib/server/auth/users';

export const GET = api(async ({ locals }) => json(await listUsersAs(locals.user)));

export const POST = api(async ({ locals, request }) => {
	return json(await createUserAs(locals.user, () => readJson(request, createUserSchema)), { status: 201 });
});
