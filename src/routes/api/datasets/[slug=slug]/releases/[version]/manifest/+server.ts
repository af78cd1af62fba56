import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { releaseManifestFor } from '$lib/server/release/releases';

export const GET = api(async ({ locals, params }) => json(await releaseManifestFor(locals.user, params.slug, params.version)));
