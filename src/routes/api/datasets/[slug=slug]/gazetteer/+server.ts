import { json } from '@sveltejs/kit';
import { api, readBodyText } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { deleteGazetteer, gazetteerInfo, uploadGazetteer } from '$lib/server/suggest/suggestions';
import { MAX_GAZETTEER_BYTES } from '$lib/suggest/lexicon';

/** The lexicon source's gazetteer (leads): PUT a TSV body `text<TAB>label` to replace it, DELETE to remove it. */
export const GET = api(async ({ locals, params }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return json(await gazetteerInfo(access.dataset.slug));
});

export const PUT = api(async ({ locals, params, request }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return json(await uploadGazetteer(access, await readBodyText(request, MAX_GAZETTEER_BYTES)));
});

export const DELETE = api(async ({ locals, params }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	await deleteGazetteer(access);
	return json(await gazetteerInfo(access.dataset.slug));
});
