import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { suggestionSettingsView, updateSuggestionSettings } from '$lib/server/suggest/suggestions';
import { suggestionSettingsSchema } from '$lib/suggest/settings';

/** The dataset's suggestion sources and correction mode, with what can be chosen (leads). */
export const GET = api(async ({ locals, params }) => {
	return json(await suggestionSettingsView(await requireDatasetLead(locals.user, params.slug)));
});

export const PUT = api(async ({ locals, params, request }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return json(await updateSuggestionSettings(access, await readJson(request, suggestionSettingsSchema)));
});
