import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { compareReleasesFor } from '$lib/server/release/releases';

/** What changed from release {version} to release {other}; `?limit=` caps the per-record list (default 1000). */
export const GET = api(async ({ locals, params, url }) =>
	json(await compareReleasesFor(locals.user, params.slug, params.version, params.other, url.searchParams.get('limit')))
);
