import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { requireDataset, requireDatasetLead } from '$lib/server/auth/access';
import { documentsFor } from '$lib/server/annotate/annotate';
import { importRequest } from '$lib/server/import/importHttp';

export const GET = api(async ({ locals, params }) => {
	const access = await requireDataset(locals.user, params.slug);
	return json((await documentsFor(access)).map(({ id, title, status }) => ({ id, title, status })));
});

/** Import NDJSON documents (all or nothing); see docs/api.md "Import". */
export const POST = api(async ({ locals, params, request, url }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return importRequest(access, request, url, 'documents');
});
