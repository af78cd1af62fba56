import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { agreementFor } from '$lib/server/agreement/agreement';

export const GET = api(async ({ locals, params, url }) => {
	const answer = await agreementFor(locals.user, params.slug, url.searchParams.get('format') ?? 'json');
	if (answer.format === 'json') return json(answer.report);
	return new Response(answer.csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${answer.filename}"`
		}
	});
});
