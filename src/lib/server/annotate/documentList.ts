/** The dataset's own page: the caller's queue, and for its leads the team's progress and what changed since gold. */
import type { SessionUser } from '../auth/auth';
import { requireDataset } from '../auth/access';
import { documentsOf } from './annotate';
import { datasetProgress } from '../progress/progress';
import { changesSinceGoldByDocument } from '../review/goldChanges';
import { teamCounts } from '../../progress/progress';

export async function documentListFor(user: SessionUser | null, slug: string) {
	const access = await requireDataset(user, slug);
	const lead = access.role === 'lead';
	return {
		description: access.dataset.description,
		documents: await documentsOf(access),
		// leads also see the team's progress; annotators never see anyone else's
		team: lead ? teamCounts(await datasetProgress(access)) : null,
		// leads only: documents whose annotators changed their work after gold was done
		changedSinceGold: lead ? await changesSinceGoldByDocument(access.dataset.slug) : null
	};
}
