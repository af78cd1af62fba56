import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { requireDataset, requireDatasetLead } from '$lib/server/auth/access';
import { datasetInfo } from '$lib/server/annotate/annotate';
import { updateDatasetAs, updateDatasetSchema } from '$lib/server/datasets/datasets';

export const GET = api(async ({ locals, params }) => {
	const access = await requireDataset(locals.user, params.slug);
	const { slug, title, labels, relationTypes, description, guidelines, version, punctuation } = datasetInfo(access);
	const forLeads = access.role === 'lead' ? { members: access.dataset.members } : {};
	return json({ slug, title, description, labels, relationTypes, guidelines, version, punctuation, ...forLeads });
});

export const PATCH = api(async ({ locals, params, request }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	const patch = await readJson(request, updateDatasetSchema);
	return json(await updateDatasetAs(access, patch));
});
