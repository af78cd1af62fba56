import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { reviewDocument } from '$lib/server/review/review';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => reviewDocument(user, event.params.slug, event.params.id));
};
