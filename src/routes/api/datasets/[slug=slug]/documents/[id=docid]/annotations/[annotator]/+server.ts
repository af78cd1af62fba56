import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { readAnnotations, saveBodySchema, writeAnnotations } from '$lib/server/annotate/annotate';

export const GET = api(async ({ locals, params }) =>
	json(await readAnnotations(locals.user, params.slug, params.id, params.annotator))
);

export const PUT = api(async ({ locals, params, request }) => {
	return json(await writeAnnotations(locals.user, params.slug, params.id, params.annotator, () => readJson(request, saveBodySchema)));
});
