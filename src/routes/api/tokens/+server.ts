import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireUser } from '$lib/server/auth/access';
import { createTokenAs, tokenSchema, tokensOf } from '$lib/server/auth/users';

export const GET = api(async ({ locals }) => json(await tokensOf(locals.user)));

export const POST = api(async ({ locals, request }) => {
	requireUser(locals.user);
	const input = await readJson(request, tokenSchema);
	return json(await createTokenAs(locals.user, input), { status: 201 });
});
