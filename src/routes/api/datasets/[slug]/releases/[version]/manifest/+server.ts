import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { releaseManifestFor } from '$lib/server/releases';

export const GET = api(async ({ locals, params }) => json(await releaseManifestFor(locals.user, params.slug, params.version)));
