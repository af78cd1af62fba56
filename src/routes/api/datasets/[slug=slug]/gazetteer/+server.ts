import { json } from '@sveltejs/kit';
import { api, readBodyText } from '$lib/server/http/http';
import { deleteGazetteerAs, gazetteerFor, uploadGazetteerAs } from '$lib/server/suggest/suggestions';
import { MAX_GAZETTEER_BYTES } from '$lib/suggest/lexicon';

/** The lexicon source's gazetteer (leads): PUT a TSV body `text<TAB>label` to replace it, DELETE to remove it. */
export const GET = api(async ({ locals, params }) => json(await gazetteerFor(locals.user, params.slug)));

export const PUT = api(async ({ locals, params, request }) =>
	json(await uploadGazetteerAs(locals.user, params.slug, () => readBodyText(request, MAX_GAZETTEER_BYTES)))
);

export const DELETE = api(async ({ locals, params }) => json(await deleteGazetteerAs(locals.user, params.slug)));
