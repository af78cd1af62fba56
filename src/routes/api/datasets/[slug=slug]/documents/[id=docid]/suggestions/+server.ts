import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { suggestionsFor } from '$lib/server/suggest/suggestions';

export const GET = api(async ({ locals, params }) => json(await suggestionsFor(locals.user, params.slug, params.id)));
