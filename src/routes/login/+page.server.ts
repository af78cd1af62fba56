import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { login } from '$lib/server/auth';
import { asDomainError } from '$lib/server/errors';
import { setSessionCookie } from '$lib/server/session';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return {};
};

function safeNext(next: string | null): string {
	// only same-site paths: never redirect to another origin
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		try {
			const session = await login(username, String(form.get('password') ?? ''), getClientAddress());
			setSessionCookie(cookies, url, session.token, session.expires);
		} catch (e) {
			const domain = asDomainError(e);
			if (domain) return fail(domain.status, { username, error: domain.message });
			throw e;
		}
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
