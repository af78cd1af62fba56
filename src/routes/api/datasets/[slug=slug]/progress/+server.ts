import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { progressFor } from '$lib/server/progress/progress';

export const GET = api(async ({ locals, params }) => json(await progressFor(locals.user, params.slug)));
