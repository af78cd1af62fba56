import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { replyBodySchema, writeReply } from '$lib/server/annotate/annotate';

/** A reply to a comment of the set, by its author or a lead (docs/api.md). */
export const POST = api(async ({ locals, params, request }) => {
	return json(await writeReply(locals.user, params.slug, params.id, params.annotator, () => readJson(request, replyBodySchema)));
});
