/** Dataset management use cases (leads): create, settings, labels, members. */
import { z } from 'zod';
import type { SessionUser } from './auth';
import { requireDatasetLead, requireGlobalLead } from './access';
import { createDataset, updateDataset, validateLabels, type DatasetRecord } from './store/datasets';
import { findUser } from './store/system';
import { notFound } from './errors';
import { labelSetSchema } from '../labels';
import { checkSlug } from './store/paths';

export const createDatasetSchema = z.object({
	slug: z.string().max(200),
	title: z.string().trim().min(1, 'title is required').max(200),
	description: z.string().max(5000).optional(),
	labels: labelSetSchema.optional(),
	guidelines: z.string().max(200_000).optional()
});

export async function createDatasetAs(user: SessionUser | null, input: z.infer<typeof createDatasetSchema>) {
	const lead = requireGlobalLead(user);
	checkSlug(input.slug);
	const labels = input.labels ? validateLabels(input.labels) : undefined;
	const dataset = await createDataset({ ...input, labels, createdBy: lead.username });
	await updateDataset(dataset.slug, (d) => {
		d.members[lead.username] = 'lead';
	});
	return publicDataset(dataset);
}

export function publicDataset(d: DatasetRecord) {
	return { slug: d.slug, title: d.title, description: d.description, labels: d.labels };
}

export const memberSchema = z.object({ role: z.enum(['lead', 'annotator']) });

export async function setMember(user: SessionUser | null, slug: string, username: string, role: 'lead' | 'annotator') {
	await requireDatasetLead(user, slug);
	const target = await findUser(username);
	if (!target) throw notFound(`no user "${username}"`);
	await updateDataset(slug, (d) => {
		d.members = sortedRecord({ ...d.members, [username]: role });
	});
	return { username, role };
}

export async function removeMember(user: SessionUser | null, slug: string, username: string) {
	await requireDatasetLead(user, slug);
	await updateDataset(slug, (d) => {
		if (!(username in d.members)) throw notFound(`"${username}" is not a member of this dataset`);
		const { [username]: _, ...rest } = d.members;
		d.members = rest;
		// their queue goes away, their work stays on disk
		if (d.assignments) {
			for (const [doc, annotators] of Object.entries(d.assignments)) {
				d.assignments[doc] = annotators.filter((a) => a !== username);
			}
		}
	});
	return { ok: true };
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

