import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { requireGlobalLead } from '$lib/server/auth/access';
import { createDatasetAs, createDatasetSchema } from '$lib/server/datasets/datasets';
import { listDatasets } from '$lib/server/store';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	await guarded(async () => requireGlobalLead(user));
	// datasets a new one can copy its labels and guidelines from
	return { datasets: (await listDatasets()).map((d) => ({ slug: d.slug, title: d.title, labels: d.labels.length })) };
};

/** The form's "start from" fields as createDatasetSchema input. */
function copyFields(form: FormData): { copyFrom?: string; copy?: Array<'labels' | 'guidelines'> } {
	const from = form.get('copyFrom');
	if (typeof from !== 'string' || from === '') return {};
	const copy = (['labels', 'guidelines'] as const).filter((part) => form.get(`copy_${part}`) === 'on');
	return { copyFrom: from, copy };
}

export const actions: Actions = {
	default: async (event) => {
		const user = pageUser(event);
		const form = await event.request.formData();
		// the "start from" fields are read by copyFields (an empty choice means the defaults)
		const { copyFrom: _from, copy_labels: _labels, copy_guidelines: _guidelines, ...fields } = formFields(form);
		const result = await formAction(
			'create',
			async () => ({ slug: (await createDatasetAs(user, createDatasetSchema.parse({ ...fields, ...copyFields(form) }))).slug }),
			formFields(form)
		);
		if ('slug' in result) redirect(303, `/datasets/${result.slug}/settings?created=1`);
		return result;
	}
};
