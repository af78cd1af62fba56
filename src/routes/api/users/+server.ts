import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireGlobalLead } from '$lib/server/auth/access';
import { createUserAs, createUserSchema, listUsersAs } from '$lib/server/auth/users';

export const GET = api(async ({ locals }) => json(await listUsersAs(locals.user)));

export const POST = api(async ({ locals, request }) => {
	requireGlobalLead(locals.user);
	const input = await readJson(request, createUserSchema);
	return json(await createUserAs(locals.user, input), { status: 201 });
});
