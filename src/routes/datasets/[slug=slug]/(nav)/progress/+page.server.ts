import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { datasetProgress } from '$lib/server/progress/progress';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const access = await requireDatasetLead(user, event.params.slug);
		const { dataset } = access;
		return {
			progress: await datasetProgress(access)
		};
	});
};
