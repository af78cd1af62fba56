import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { compareReleasesFor } from '$lib/server/release/releases';
import { badRequest } from '$lib/server/http/errors';

/** /datasets/{slug}/releases/diff?a=1&b=2 */
export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const { dataset } = await requireDatasetLead(user, event.params.slug);
		const a = event.url.searchParams.get('a');
		const b = event.url.searchParams.get('b');
		if (!a || !b) throw badRequest('pick two releases to compare (?a=1&b=2)');
		return {
			diff: await compareReleasesFor(user, dataset.slug, a, b, event.url.searchParams.get('limit'))
		};
	});
};
