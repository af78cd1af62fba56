import type { PageServerLoad } from './$types';
import { guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { badRequest } from '$lib/server/http/errors';
import { documentLanes } from '$lib/server/evaluation/evaluations';
import { checkDocId, getDocument } from '$lib/server/store';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const access = await requireDatasetLead(user, event.params.slug);
		const docId = checkDocId(event.params.id);
		const params = event.url.searchParams;
		const run = params.get('run');
		if (!run) throw badRequest('give the run as ?run=NAME');
		const query = { run, against: params.get('against') || 'gold', reference: params.get('reference') || 'gold' };
		const lanes = await documentLanes(access.dataset.slug, docId, query);
		const document = await getDocument(access.dataset.slug, docId);
		return {
			dataset: { slug: access.dataset.slug, title: access.dataset.title, role: access.role, labels: access.dataset.labels },
			document: { id: document.id, title: document.title },
			text: lanes.found ? lanes.text : document.text,
			found: lanes.found,
			reference: lanes.reference,
			predicted: lanes.predicted,
			query,
			focus: params.get('focus') ?? ''
		};
	});
};
