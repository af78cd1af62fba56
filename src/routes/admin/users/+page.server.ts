import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { createUserAs, createUserSchema, listUsersAs, unlockUserAs, updateUserAs, updateUserSchema, userTargetSchema as target } from '$lib/server/auth/users';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => {
		const users = await listUsersAs(user);
		return { users: [...users].sort((a, b) => (a.username < b.username ? -1 : 1)) };
	});
};

/** One user field change: role, active or password. */
async function change(event: RequestEvent, section: string, read: (f: Record<string, string>) => unknown) {
	const user = pageUser(event);
	const fields = formFields(await event.request.formData());
	return formAction(section, async () => {
		// the target's name and the change are read by the use case once it has checked the caller
		const result = await updateUserAs(user, () => target.parse(fields).username, () => updateUserSchema.parse(read(fields)));
		return { section, saved: true, username: result.username };
	});
}

export const actions: Actions = {
	create: async (event) => {
		const user = pageUser(event);
		const fields = formFields(await event.request.formData());
		const { password: _, ...echo } = fields;
		return formAction(
			'create',
			async () => {
				const created = await createUserAs(user, () => createUserSchema.parse(fields));
				return { section: 'create', saved: true, username: created.username };
			},
			echo
		);
	},
	role: (event) => change(event, 'users', (f) => ({ role: f.role })),
	password: (event) => change(event, 'users', (f) => ({ password: f.password })),
	active: (event) => change(event, 'users', (f) => ({ active: f.active === 'true' })),
	/** lift the lock failed logins put on an account */
	unlock: async (event) => {
		const user = pageUser(event);
		const fields = formFields(await event.request.formData());
		return formAction('users', async () => {
			const result = await unlockUserAs(user, () => target.parse(fields).username);
			return { section: 'users', saved: true, username: result.username, unlocked: true };
		});
	}
};
