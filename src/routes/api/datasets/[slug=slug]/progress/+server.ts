import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { datasetProgress } from '$lib/server/progress/progress';

export const GET = api(async ({ locals, params }) => json(await datasetProgress(await requireDatasetLead(locals.user, params.slug))));
