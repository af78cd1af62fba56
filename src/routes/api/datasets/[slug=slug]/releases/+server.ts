import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { createReleaseAs, createReleaseSchema, releasesFor } from '$lib/server/release/releases';

export const GET = api(async ({ locals, params }) => json(await releasesFor(locals.user, params.slug)));

export const POST = api(async ({ locals, params, request }) => {
	const manifest = await createReleaseAs(locals.user, params.slug, () => readJson(request, createReleaseSchema));
	return json(manifest, {
		status: 201,
		headers: { location: `/api/datasets/${params.slug}/releases/${manifest.name}/manifest` }
	});
});
