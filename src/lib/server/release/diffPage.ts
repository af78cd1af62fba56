/** The releases compare page (leads): two releases named in the query, checked after the caller. */
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead } from '../auth/access';
import { badRequest } from '../http/errors';
import { compareReleasesFor } from './releases';

export async function releaseDiffFor(user: SessionUser | null, slug: string, a: string | null, b: string | null, limit: string | null) {
	await requireDatasetLead(user, slug);
	if (!a || !b) throw badRequest('pick two releases to compare (?a=1&b=2)');
	return compareReleasesFor(user, slug, a, b, limit);
}
