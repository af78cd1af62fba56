import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/pages';
import { reviewDocument } from '$lib/server/review';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => reviewDocument(user, event.params.slug, event.params.id));
};
