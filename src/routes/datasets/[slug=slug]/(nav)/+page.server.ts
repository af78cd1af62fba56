import type { PageServerLoad } from './$types';
import { pageUser, guarded } from '$lib/server/http/pages';
import { requireDataset } from '$lib/server/auth/access';
import { documentsFor } from '$lib/server/annotate/annotate';
import { datasetProgress } from '$lib/server/progress/progress';
import { teamCounts } from '$lib/progress/progress';
import { changesSinceGoldByDocument } from '$lib/server/review/goldChanges';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const access = await requireDataset(user, event.params.slug);
		return {
			description: access.dataset.description,
			documents: await documentsFor(access),
			// leads also see the team's progress; annotators never see anyone else's
			team: access.role === 'lead' ? teamCounts(await datasetProgress(access)) : null,
			// leads only: documents whose annotators changed their work after gold was done
			changedSinceGold: access.role === 'lead' ? await changesSinceGoldByDocument(access.dataset.slug) : null
		};
	});
};
