import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { requireUser } from '$lib/server/auth/access';

export const GET = api(async ({ locals }) => json(requireUser(locals.user)));
