import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireUser } from '$lib/server/auth/access';
import { preferencesSchema, setDensityPreference } from '$lib/server/auth/auth';

/** The caller's own preferences (today: `density`), kept in their account. */
export const PUT = api(async ({ locals, request }) => {
	const user = requireUser(locals.user);
	const { density } = await readJson(request, preferencesSchema);
	await setDensityPreference(user.username, density);
	return json({ density });
});
