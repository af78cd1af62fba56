import type { Actions, PageServerLoad } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { evaluationsPageFor } from '$lib/server/evaluation/pages';
import { uploadFormAs } from '$lib/server/evaluation/predictionsHttp';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => evaluationsPageFor(user, event.params.slug, event.url.searchParams));
};

export const actions: Actions = {
	upload: async (event) => {
		const form = await event.request.formData();
		const fields = formFields(form);
		return formAction(
			'upload',
			async () => {
				const result = await uploadFormAs(pageUser(event), event.params.slug, form, fields);
				return { section: 'upload', uploaded: { run: result.run, documents: result.documents, spans: result.spans } };
			},
			{ run: fields.run ?? '', model: fields.model ?? '', model_version: fields.model_version ?? '' }
		);
	}
};
