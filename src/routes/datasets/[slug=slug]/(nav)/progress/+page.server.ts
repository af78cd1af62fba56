import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { progressFor } from '$lib/server/progress/progress';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => ({ progress: await progressFor(user, event.params.slug) }));
};
