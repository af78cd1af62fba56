import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { documentsFor } from '$lib/server/annotate/annotate';
import { queryDocumentsFor } from '$lib/server/annotate/documentList';
import { importRequestAs } from '$lib/server/import/useCases';
import { hasQuery, parseDocumentQuery } from '$lib/documents/query';

/** The caller's list: without parameters the plain array (as always); with any, one page of the query (docs/api.md "Documents"). */
export const GET = api(async ({ locals, params, url }) =>
	hasQuery(url.searchParams)
		? json(await queryDocumentsFor(locals.user, params.slug, parseDocumentQuery(url.searchParams)))
		: json((await documentsFor(locals.user, params.slug)).map(({ id, title, status }) => ({ id, title, status })))
);

/** Import NDJSON documents (all or nothing); see docs/api.md "Import". */
export const POST = api(async ({ locals, params, request, url }) => importRequestAs(locals.user, params.slug, request, url, 'documents'));
