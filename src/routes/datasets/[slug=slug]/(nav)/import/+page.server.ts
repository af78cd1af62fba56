import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, guarded, pageUser } from '$lib/server/http/pages';
import { requireDatasetLead } from '$lib/server/auth/access';
import { limits } from '$lib/server/config';
import { importForm, responseBody, statusOf } from '$lib/server/import/importHttp';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const { dataset } = await requireDatasetLead(user, event.params.slug);
		return {
			labels: dataset.labels.map(({ name, color }) => ({ name, color })),
			/** with an explicit assignment, imported documents are in nobody's queue until assigned */
			explicitAssignment: dataset.assignments !== null,
			maxBytes: limits.importBytes
		};
	});
};

export const actions: Actions = {
	/** The page without JavaScript: a plain multipart form post (with JavaScript the page uses the API, with progress). */
	default: async (event) =>
		formAction('import', async () => {
			const access = await requireDatasetLead(pageUser(event), event.params.slug);
			const summary = await importForm(access, event.request);
			const result = responseBody(summary);
			const status = statusOf(summary);
			return status === 200 ? { section: 'import', result } : fail(status, { section: 'import', result });
		})
};
