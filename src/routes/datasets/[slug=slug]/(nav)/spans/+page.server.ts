import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { spanSearchPageFor } from '$lib/server/annotate/spanSearch';
import { parseSpanQuery } from '$lib/find/spanQuery';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => spanSearchPageFor(user, event.params.slug, parseSpanQuery(event.url.searchParams)));
};
