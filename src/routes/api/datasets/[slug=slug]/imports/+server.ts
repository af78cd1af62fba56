import { api } from '$lib/server/http/http';
import { importRequestAs } from '$lib/server/import/useCases';

/** Import files of any supported format: a raw body (`?filename=`) or multipart/form-data; see docs/api.md "Import". */
export const POST = api(async ({ locals, params, request, url }) => importRequestAs(locals.user, params.slug, request, url, 'imports'));
