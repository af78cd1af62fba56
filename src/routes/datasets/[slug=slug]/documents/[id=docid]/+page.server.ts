import type { PageServerLoad } from './$types';
import { pageUser, guarded } from '$lib/server/http/pages';
import { annotationPageFor } from '$lib/server/annotate/annotationPage';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(() => annotationPageFor(user, event.params.slug, event.params.id, (name) => event.cookies.get(name)));
};
