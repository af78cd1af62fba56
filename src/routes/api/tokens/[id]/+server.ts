import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { revokeTokenAs } from '$lib/server/auth/users';

export const DELETE = api(async ({ locals, params }) => json(await revokeTokenAs(locals.user, params.id)));
