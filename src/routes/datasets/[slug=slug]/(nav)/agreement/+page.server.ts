import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { agreementDashboard } from '$lib/server/agreement/agreement';
import { changesSinceGoldByDocument } from '$lib/server/review/goldChanges';

/** Documents listed below the charts unless the lead asks for all of them. */
const LISTED = 50;

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const all = event.url.searchParams.get('documents') === 'all';
	return guarded(async () => {
		const access = await requireDatasetLead(user, event.params.slug);
		const { dataset } = access;
		return {
			...(await agreementDashboard(access, all ? null : LISTED)),
			changedSinceGold: await changesSinceGoldByDocument(dataset.slug)
		};
	});
};
