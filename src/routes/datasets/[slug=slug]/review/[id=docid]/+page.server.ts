import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { reviewDocument } from '$lib/server/review/review';
import { packReviewData } from '$lib/review/review';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => packReviewData(await reviewDocument(user, event.params.slug, event.params.id)));
};
