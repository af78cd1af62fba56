/** What every dataset page shows above its content: the title, the way back, and (for its leads) the tabs. */
import type { SessionUser } from '../auth/auth';
import { requireDataset } from '../auth/access';
import type { Role } from '../../model/types';

export interface DatasetHeader {
	slug: string;
	title: string;
	/** the caller's role in the dataset */
	role: Role;
}

/** The header of a dataset the caller belongs to (403 for non-members, 404 for leads when there is no such dataset). */
export async function datasetHeader(user: SessionUser | null, slug: string): Promise<DatasetHeader> {
	const { dataset, role } = await requireDataset(user, slug);
	return { slug: dataset.slug, title: dataset.title, role };
}
