/**
 * The dataset's settings as the settings page and the API call them: each use case
 * takes the caller and checks that they lead the dataset, then reads its input.
 */
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead, type Later } from '../auth/access';
import { dict, reservedName } from '../../model/dict';
import { relationTypesOf } from '../../model/relations';
import type { Role } from '../../model/types';
import { renderMarkdown } from './markdown';
import { changeMemberRole, labelUsage, membersView, relationUsage, removeMember, setMember, updateDatasetAs, type DatasetPatch } from './datasets';
import { suggestionSettingsView } from '../suggest/suggestions';

/** Everything the settings page shows. */
export async function settingsFor(user: SessionUser | null, slug: string) {
	const access = await requireDatasetLead(user, slug);
	const { dataset } = access;
	return {
		details: { description: dataset.description, punctuation: dataset.punctuation ?? 'keep' },
		labels: dataset.labels,
		relationTypes: relationTypesOf(dataset),
		relationUsage: dict(Object.entries(await relationUsage(dataset.slug)).filter(([name]) => reservedName(name) === null)),
		/** the version the label editor's changes are made from (a stale one is refused) */
		version: dataset.version ?? 0,
		// a __proto__ label of old data cannot be a key of page data (the API still counts it)
		usage: dict(Object.entries(await labelUsage(dataset.slug)).filter(([name]) => reservedName(name) === null)),
		guidelines: dataset.guidelines,
		guidelinesHtml: renderMarkdown(dataset.guidelines),
		...(await membersView(access)),
		suggestions: await suggestionSettingsView(access)
	};
}

/** PATCH …/datasets/{slug} and the settings page's details and guidelines forms. */
export async function updateDatasetFor(user: SessionUser | null, slug: string, patch: Later<DatasetPatch>) {
	const access = await requireDatasetLead(user, slug);
	return updateDatasetAs(access, await patch());
}

/** PUT …/members/{username} and the settings page's "add member": adds the account or changes its role. */
export async function setMemberAs(user: SessionUser | null, slug: string, member: Later<{ username: string; role: Role }>) {
	const access = await requireDatasetLead(user, slug);
	const { username, role } = await member();
	return setMember(access, username, role);
}

/** The settings page's role menu: a new role for someone who is a member already (404 otherwise). */
export async function changeMemberRoleAs(user: SessionUser | null, slug: string, member: Later<{ username: string; role: Role }>) {
	const access = await requireDatasetLead(user, slug);
	const { username, role } = await member();
	return changeMemberRole(access, username, role);
}

/** DELETE …/members/{username} and the settings page's "remove". */
export async function removeMemberAs(user: SessionUser | null, slug: string, username: Later<string>) {
	const access = await requireDatasetLead(user, slug);
	return removeMember(access, await username());
}
