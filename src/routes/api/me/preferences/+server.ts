import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { preferencesSchema } from '$lib/server/auth/auth';
import { setOwnPreferencesAs } from '$lib/server/auth/users';

/** The caller's own preferences (today: `density`), kept in their account. */
export const PUT = api(async ({ locals, request }) => json(await setOwnPreferencesAs(locals.user, () => readJson(request, preferencesSchema))));
