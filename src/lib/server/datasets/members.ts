/** Members of a dataset and their roles (leads of the dataset manage them). */
import { z } from 'zod';
import { type DatasetAccess } from '../auth/access';
import { updateDataset, findUser, listUsers } from '../store';
import { conflict, notFound } from '../http/errors';
import { type Role } from '../../model/types';
import { roleSchema } from '../../model/roles';
import { sortedDict } from '../../model/dict';

export interface MemberRow {
	username: string;
	role: Role;
	/** the account's global role; global leads see every dataset anyway */
	globalRole: Role | null;
	active: boolean;
}

/** Members with their account state, and the active users who could be added. */
export async function membersView(access: DatasetAccess): Promise<{ members: MemberRow[]; candidates: string[] }> {
	const users = await listUsers();
	const byName = new Map(users.map((u) => [u.username, u]));
	const members = Object.entries(access.dataset.members).map(([username, role]) => ({
		username,
		role,
		globalRole: byName.get(username)?.role ?? null,
		active: byName.get(username)?.active ?? false
	}));
	const candidates = users
		.filter((u) => u.active && !Object.hasOwn(access.dataset.members, u.username))
		.map((u) => u.username)
		.sort();
	return { members, candidates };
}

export const memberSchema = z.object({ role: roleSchema });

/** The user a members form adds or removes. */
export const memberUsernameSchema = z.object({ username: z.string().min(1, 'choose a user').max(64) });

export async function setMember(access: DatasetAccess, username: string, role: Role) {
	const target = await findUser(username);
	if (!target) throw notFound(`no user "${username}"`);
	if (!target.active) throw conflict(`"${username}" is deactivated; reactivate the account first`);
	await updateDataset(access.dataset.slug, (d) => {
		d.members = sortedDict([...Object.entries(d.members), [username, role] as const]);
		// a lead of the dataset has no queue: drop them from assignments, work stays on disk
		if (role === 'lead' && d.assignments) {
			for (const [doc, annotators] of Object.entries(d.assignments)) {
				d.assignments[doc] = annotators.filter((a) => a !== username);
			}
		}
	});
	return { username, role };
}

/** The new-dataset page (global leads): the datasets a new one can copy its labels and guidelines from. */
export async function changeMemberRole(access: DatasetAccess, username: string, role: Role) {
	if (!Object.hasOwn(access.dataset.members, username)) throw notFound(`"${username}" is not a member`);
	return setMember(access, username, role);
}

export async function removeMember(access: DatasetAccess, username: string) {
	await updateDataset(access.dataset.slug, (d) => {
		if (!Object.hasOwn(d.members, username)) throw notFound(`"${username}" is not a member of this dataset`);
		d.members = sortedDict(Object.entries(d.members).filter(([name]) => name !== username));
		// their queue goes away, their work stays on disk
		if (d.assignments) {
			for (const [doc, annotators] of Object.entries(d.assignments)) {
				d.assignments[doc] = annotators.filter((a) => a !== username);
			}
		}
	});
	return { ok: true };
}
