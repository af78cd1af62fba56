import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { requireUser } from '$lib/server/access';

export const GET = api(async ({ locals }) => json(requireUser(locals.user)));
