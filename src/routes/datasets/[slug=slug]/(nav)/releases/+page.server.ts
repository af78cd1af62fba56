import type { Actions, PageServerLoad } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { createReleaseAs, createReleaseSchema, releasesFor } from '$lib/server/release/releases';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => ({ releases: await releasesFor(user, event.params.slug) }));
};

export const actions: Actions = {
	cut: async (event) => {
		const fields = formFields(await event.request.formData());
		return formAction(
			'cut',
			async () => {
				// unless confirmed, a release identical to the last one is refused with `unchanged`, and the page asks
				const input = () => createReleaseSchema.parse({ source: fields.source, note: fields.note || undefined, ifChanged: fields.confirm !== 'unchanged' });
				const manifest = await createReleaseAs(pageUser(event), event.params.slug, input);
				return { section: 'cut', released: { name: manifest.name, records: manifest.records } };
			},
			fields
		);
	}
};
