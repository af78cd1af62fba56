import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { searchSpansFor } from '$lib/server/annotate/spanSearch';
import { parseSpanQuery } from '$lib/find/spanQuery';

/** Find spans by label and text across the dataset, one page (docs/api.md "Find spans"). */
export const GET = api(async ({ locals, params, url }) => json(await searchSpansFor(locals.user, params.slug, parseSpanQuery(url.searchParams))));
