import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { unlockUserAs } from '$lib/server/auth/users';

/** Lift the lock failed logins put on an account (global leads). */
export const DELETE = api(async ({ locals, params }) => json(await unlockUserAs(locals.user, params.username)));
