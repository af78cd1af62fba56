import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { requireDataset } from '$lib/server/access';
import { datasetInfo } from '$lib/server/annotate';

export const GET = api(async ({ locals, params }) => {
	const access = await requireDataset(locals.user, params.slug);
	const { slug, title, labels, description, guidelines } = datasetInfo(access);
	return json({ slug, title, description, labels, guidelines });
});
