import type { PageServerLoad } from './$types';
import { pageUser, guarded } from '$lib/server/http/pages';
import { documentListFor } from '$lib/server/annotate/documentList';
import { parseDocumentQuery } from '$lib/documents/query';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => documentListFor(user, event.params.slug, parseDocumentQuery(event.url.searchParams)));
};
