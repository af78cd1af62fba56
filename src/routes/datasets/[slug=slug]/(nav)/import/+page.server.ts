import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, guarded, pageUser } from '$lib/server/http/pages';
import { responseBody, statusOf } from '$lib/server/import/importHttp';
import { importFormAs, importPageFor } from '$lib/server/import/useCases';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => importPageFor(user, event.params.slug));
};

export const actions: Actions = {
	/** The page without JavaScript: a plain multipart form post (with JavaScript the page uses the API, with progress). */
	default: async (event) =>
		formAction('import', async () => {
			const summary = await importFormAs(pageUser(event), event.params.slug, event.request);
			const result = responseBody(summary);
			const status = statusOf(summary);
			return status === 200 ? { section: 'import', result } : fail(status, { section: 'import', result });
		})
};
