import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http';
import { logout, SESSION_COOKIE } from '$lib/server/auth';
import { clearSessionCookie } from '$lib/server/session';

export const POST = api(async ({ cookies, url }) => {
	await logout(cookies.get(SESSION_COOKIE));
	clearSessionCookie(cookies, url);
	return json({ ok: true });
});
