import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { suggestionSettingsFor, updateSuggestionSettingsAs } from '$lib/server/suggest/suggestions';
import { suggestionSettingsSchema } from '$lib/suggest/settings';

/** The dataset's suggestion sources and correction mode, with what can be chosen (leads). */
export const GET = api(async ({ locals, params }) => json(await suggestionSettingsFor(locals.user, params.slug)));

export const PUT = api(async ({ locals, params, request }) =>
	json(await updateSuggestionSettingsAs(locals.user, params.slug, () => readJson(request, suggestionSettingsSchema)))
);
