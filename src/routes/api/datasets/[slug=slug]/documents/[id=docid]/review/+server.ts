import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { reviewDocument } from '$lib/server/review/review';

export const GET = api(async ({ locals, params }) => json(await reviewDocument(locals.user, params.slug, params.id)));
