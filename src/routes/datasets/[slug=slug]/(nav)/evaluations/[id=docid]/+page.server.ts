import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { badRequest } from '$lib/server/http/errors';
import { errorBrowserDocument } from '$lib/server/evaluation/evaluations';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const access = await requireDatasetLead(user, event.params.slug);
		// a document id: the route's matcher ([id=docid]) let nothing else through
		const docId = event.params.id;
		const params = event.url.searchParams;
		const run = params.get('run');
		if (!run) throw badRequest('give the run as ?run=NAME');
		const query = { run, against: params.get('against') || 'gold', reference: params.get('reference') || 'gold' };
		return {
			labels: access.dataset.labels,
			...(await errorBrowserDocument(access, docId, query)),
			query,
			focus: params.get('focus') ?? ''
		};
	});
};
