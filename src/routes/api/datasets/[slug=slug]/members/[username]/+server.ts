import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { memberSchema } from '$lib/server/datasets/datasets';
import { removeMemberAs, setMemberAs } from '$lib/server/datasets/settings';

export const PUT = api(async ({ locals, params, request }) =>
	json(await setMemberAs(locals.user, params.slug, async () => ({ username: params.username, role: (await readJson(request, memberSchema)).role })))
);

export const DELETE = api(async ({ locals, params }) => json(await removeMemberAs(locals.user, params.slug, () => params.username)));
