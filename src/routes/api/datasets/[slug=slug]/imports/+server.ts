import { api } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { importRequest } from '$lib/server/import/importHttp';

/** Import files of any supported format: a raw body (`?filename=`) or multipart/form-data; see docs/api.md "Import". */
export const POST = api(async ({ locals, params, request, url }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return importRequest(access, request, url, 'imports');
});
