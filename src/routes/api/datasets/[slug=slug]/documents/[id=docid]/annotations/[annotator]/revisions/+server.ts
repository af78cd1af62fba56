import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { readRevisions, revisionPageParams } from '$lib/server/annotate/annotate';

export const GET = api(async ({ locals, params, url }) => {
	const page = await readRevisions(locals.user, params.slug, params.id, params.annotator, revisionPageParams(url.searchParams));
	const headers = new Headers();
	if (page.nextBefore !== null) {
		const next = new URL(url.pathname, url.origin);
		next.searchParams.set('before', String(page.nextBefore));
		if (url.searchParams.has('limit')) next.searchParams.set('limit', url.searchParams.get('limit')!);
		headers.set('link', `<${next.pathname}${next.search}>; rel="next"`);
		headers.set('x-next-before', String(page.nextBefore));
	}
	return json(page.revisions, { headers });
});
