import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { applyAssignmentAs, assignmentSchema, assignmentsFor } from '$lib/server/assignments/assignments';

export const GET = api(async ({ locals, params }) => json(await assignmentsFor(locals.user, params.slug)));

export const POST = api(async ({ locals, params, request }) => json(await applyAssignmentAs(locals.user, params.slug, () => readJson(request, assignmentSchema))));
