import { api } from '$lib/server/http/http';
import { evaluationResponseFor } from '$lib/server/evaluation/predictionsHttp';

/** A run against a reference: `?run=NAME&against=v0003|gold[&compare=NAME2][&format=csv]` (docs/api.md "Evaluations"). */
export const GET = api(async ({ locals, params, url }) => evaluationResponseFor(locals.user, params.slug, url));
