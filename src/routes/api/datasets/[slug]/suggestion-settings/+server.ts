import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { gazetteerInfo, importSetNames, suggestionSettingsOf, updateSuggestionSettings } from '$lib/server/suggest/suggestions';
import { listRuns } from '$lib/server/store';
import { suggestionSettingsSchema } from '$lib/suggest/settings';

/** The dataset's suggestion sources and correction mode, with what can be chosen (leads). */
export const GET = api(async ({ locals, params }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	const slug = access.dataset.slug;
	return json({
		...suggestionSettingsOf(access.dataset),
		available: { runs: (await listRuns(slug)).map((r) => r.run), imports: await importSetNames(slug) },
		gazetteer: await gazetteerInfo(slug)
	});
});

export const PUT = api(async ({ locals, params, request }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return json(await updateSuggestionSettings(access, await readJson(request, suggestionSettingsSchema)));
});
