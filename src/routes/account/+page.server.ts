import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formFields, guarded, pageUser } from '$lib/server/http/pages';
import { changeOwnPassword, changePasswordSchema, createTokenAs, revokeTokenAs, tokenIdSchema, tokenSchema, tokensOf } from '$lib/server/auth/users';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/session';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	return guarded(async () => ({ tokens: await tokensOf(user) }));
};

export const actions: Actions = {
	createToken: async (event) => {
		const user = pageUser(event);
		const fields = formFields(await event.request.formData());
		return formAction('tokens', async () => ({ section: 'tokens', created: await createTokenAs(user, tokenSchema.parse(fields)) }));
	},
	revokeToken: async (event) => {
		const user = pageUser(event);
		const fields = formFields(await event.request.formData());
		return formAction('tokens', async () => {
			await revokeTokenAs(user, tokenIdSchema.parse(fields).id);
			return { section: 'tokens', revoked: true };
		});
	},
	password: async (event) => {
		const user = pageUser(event);
		const fields = formFields(await event.request.formData());
		const result = await formAction('password', async () => {
			const session = await changeOwnPassword(user, changePasswordSchema.parse(fields), event.getClientAddress());
			return { section: 'password', changed: true, session };
		});
		if ('changed' in result) {
			// every session ended with the old password; this browser goes on with a new one
			if (!result.session) {
				clearSessionCookie(event.cookies, event.url);
				redirect(303, '/login?changed=1');
			}
			setSessionCookie(event.cookies, event.url, result.session.token, result.session.expires);
			return { section: 'password', changed: true };
		}
		return result;
	}
};
