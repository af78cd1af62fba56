import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { whoAmI } from '$lib/server/auth/users';

export const GET = api(async ({ locals }) => json(whoAmI(locals.user)));
