import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { createTokenAs, tokenSchema, tokensOf } from '$lib/server/auth/users';

export const GET = api(async ({ locals }) => json(await tokensOf(locals.user)));

export const POST = api(async ({ locals, request }) => {
	return json(await createTokenAs(locals.user, () => readJson(request, tokenSchema)), { status: 201 });
});
