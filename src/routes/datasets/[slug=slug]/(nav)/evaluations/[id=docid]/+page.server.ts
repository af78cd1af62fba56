import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { errorBrowserFor } from '$lib/server/evaluation/pages';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => errorBrowserFor(user, event.params.slug, event.params.id, event.url.searchParams));
};
