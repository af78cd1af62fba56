import type { LayoutServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { datasetHeader } from '$lib/server/datasets/header';

/**
 * The dataset's header and the caller's role, once for every page with the nav (pages do
 * not `await parent()` for it: their loads run beside this one, and check their own access).
 * The annotation and review views, outside the group, build their own header with their data.
 */
export const load: LayoutServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => ({ dataset: await datasetHeader(user, event.params.slug) }));
};
