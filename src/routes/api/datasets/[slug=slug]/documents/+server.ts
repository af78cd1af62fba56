import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { documentsFor } from '$lib/server/annotate/annotate';
import { importRequestAs } from '$lib/server/import/useCases';

export const GET = api(async ({ locals, params }) => json((await documentsFor(locals.user, params.slug)).map(({ id, title, status }) => ({ id, title, status }))));

/** Import NDJSON documents (all or nothing); see docs/api.md "Import". */
export const POST = api(async ({ locals, params, request, url }) => importRequestAs(locals.user, params.slug, request, url, 'documents'));
