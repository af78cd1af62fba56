import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { releaseDiffFor } from '$lib/server/release/diffPage';

/** /datasets/{slug}/releases/diff?a=1&b=2 */
export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const q = event.url.searchParams;
	return guarded(async () => ({ diff: await releaseDiffFor(user, event.params.slug, q.get('a'), q.get('b'), q.get('limit')) }));
};
