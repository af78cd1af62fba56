import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { badRequest } from '$lib/server/http/errors';
import { requireDatasetLead } from '$lib/server/auth/access';
import { agreementPairsCsv, datasetAgreement } from '$lib/server/agreement/agreement';

export const GET = api(async ({ locals, params, url }) => {
	const access = await requireDatasetLead(locals.user, params.slug);
	const format = url.searchParams.get('format') ?? 'json';
	if (format !== 'json' && format !== 'csv') throw badRequest(`unknown format "${format}": use json or csv`);
	const report = await datasetAgreement(access.dataset.slug);
	if (format === 'json') return json(report);
	return new Response(agreementPairsCsv(report), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${access.dataset.slug}-agreement-pairs.csv"`
		}
	});
});
