import { json } from '@sveltejs/kit';
import { api, readJson } from '$lib/server/http/http';
import { login, loginSchema } from '$lib/server/auth/auth';
import { setSessionCookie } from '$lib/server/auth/session';

export const POST = api(async ({ request, cookies, url, getClientAddress }) => {
	const { username, password } = await readJson(request, loginSchema);
	const session = await login(username, password, getClientAddress());
	setSessionCookie(cookies, url, session.token, session.expires);
	return json({ username: session.user.username, role: session.user.role });
});
