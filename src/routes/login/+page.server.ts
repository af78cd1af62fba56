import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { login } from '$lib/server/auth/auth';
import { httpErrorOf } from '$lib/server/http/errors';
import { setSessionCookie } from '$lib/server/auth/session';
import { safeRedirectPath } from '$lib/server/auth/redirect';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url));
	return {};
};

function safeNext(url: URL): string {
	return safeRedirectPath(url.searchParams.get('next'), url.origin);
}

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		try {
			const session = await login(username, String(form.get('password') ?? ''), getClientAddress());
			setSessionCookie(cookies, url, session.token, session.expires);
		} catch (e) {
			const domain = httpErrorOf(e);
			if (domain) return fail(domain.status, { username, error: domain.message });
			throw e;
		}
		redirect(303, safeNext(url));
	}
};
