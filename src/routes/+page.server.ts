import type { PageServerLoad } from './$types';
import { pageUser, guarded } from '$lib/server/http/pages';
import { datasetsWithProgressFor } from '$lib/server/annotate/annotate';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => ({ datasets: await datasetsWithProgressFor(user) }));
};
