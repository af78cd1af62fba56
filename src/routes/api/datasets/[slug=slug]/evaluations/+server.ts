import { api } from '$lib/server/http/http';
import { requireDatasetLead } from '$lib/server/auth/access';
import { evaluationResponse } from '$lib/server/evaluation/predictionsHttp';

/** A run against a reference: `?run=NAME&against=v0003|gold[&compare=NAME2][&format=csv]` (docs/api.md "Evaluations"). */
export const GET = api(async ({ locals, params, url }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	return evaluationResponse(access, url);
});
