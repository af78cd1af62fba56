import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/pages';
import { requireGlobalLead } from '$lib/server/access';
import { createDatasetAs, createDatasetSchema } from '$lib/server/datasets';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	await guarded(async () => requireGlobalLead(user));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = pageUser(event);
		const fields = formFields(await event.request.formData());
		const result = await formAction(
			'create',
			async () => ({ slug: (await createDatasetAs(user, createDatasetSchema.parse(fields))).slug }),
			fields
		);
		if ('slug' in result) redirect(303, `/datasets/${result.slug}/settings?created=1`);
		return result;
	}
};
