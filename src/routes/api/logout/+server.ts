import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { logout, SESSION_COOKIE } from '$lib/server/auth/auth';
import { clearSessionCookie } from '$lib/server/auth/session';

export const POST = api(async ({ cookies, url }) => {
	const persisted = await logout(cookies.get(SESSION_COOKIE));
	clearSessionCookie(cookies, url);
	// logged out either way; the warning says what a restart before the disk is fixed would undo
	return json(persisted ? { ok: true } : { ok: true, warning: LOGOUT_NOT_WRITTEN });
});

const LOGOUT_NOT_WRITTEN =
	'logged out, but the server could not write it to disk (full or read-only): the session is refused from now on, ' +
	'and the server writes its end as soon as the disk takes writes again';
