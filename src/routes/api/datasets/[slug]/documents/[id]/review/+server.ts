import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { reviewDocument } from '$lib/server/review';

export const GET = api(async ({ locals, params }) => json(await reviewDocument(locals.user, params.slug, params.id)));
