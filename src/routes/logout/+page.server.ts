import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logout, SESSION_COOKIE } from '$lib/server/auth/auth';
import { clearSessionCookie } from '$lib/server/auth/session';

export const load: PageServerLoad = async () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, url }) => {
		await logout(cookies.get(SESSION_COOKIE));
		clearSessionCookie(cookies, url);
		redirect(303, '/login');
	}
};
