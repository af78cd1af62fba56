import { json } from '@sveltejs/kit';
import { api, readBodyText } from '$lib/server/http';
import { requireDataset, requireDatasetLead } from '$lib/server/access';
import { documentsFor } from '$lib/server/annotate';
import { importNdjsonText } from '$lib/server/importer';
import { limits } from '$lib/server/config';

export const GET = api(async ({ locals, params }) => {
	const access = await requireDataset(locals.user, params.slug);
	return json((await documentsFor(access)).map(({ id, title, status }) => ({ id, title, status })));
});

export const POST = api(async ({ locals, params, request }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	const text = await readBodyText(request, limits.importBytes);
	return json(await importNdjsonText(access, text));
});
