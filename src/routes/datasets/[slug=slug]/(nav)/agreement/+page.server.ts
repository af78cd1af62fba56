import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { agreementDashboardFor } from '$lib/server/agreement/agreement';

/** Documents listed below the charts unless the lead asks for all of them. */
const LISTED = 50;

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const all = event.url.searchParams.get('documents') === 'all';
	return guarded(() => agreementDashboardFor(user, event.params.slug, all ? null : LISTED));
};
