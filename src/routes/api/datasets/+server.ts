import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { requireUser } from '$lib/server/access';
import { datasetsFor } from '$lib/server/annotate';

export const GET = api(async ({ locals }) => json(await datasetsFor(requireUser(locals.user))));
