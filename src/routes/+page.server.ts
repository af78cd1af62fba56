import type { PageServerLoad } from './$types';
import { pageUser, guarded } from '$lib/server/http/pages';
import { datasetsFor, documentsFor } from '$lib/server/annotate/annotate';
import { requireDataset } from '$lib/server/auth/access';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const datasets = await datasetsFor(user);
		const withProgress = [];
		for (const d of datasets) {
			const docs = await documentsFor(await requireDataset(user, d.slug));
			withProgress.push({
				...d,
				documents: docs.length,
				done: docs.filter((x) => x.status === 'done').length,
				inProgress: docs.filter((x) => x.status === 'in_progress').length
			});
		}
		return { datasets: withProgress };
	});
};
