import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { readRevisions } from '$lib/server/annotate';

export const GET = api(async ({ locals, params }) =>
	json(await readRevisions(locals.user, params.slug, params.id, params.annotator))
);
