import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { requireDataset } from '$lib/server/access';
import { documentsFor } from '$lib/server/annotate';

export const GET = api(async ({ locals, params }) => {
	const access = await requireDataset(locals.user, params.slug);
	return json((await documentsFor(access)).map(({ id, title, status }) => ({ id, title, status })));
});
