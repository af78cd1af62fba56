import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, readJson } from '$lib/server/http/http';
import { login } from '$lib/server/auth/auth';
import { setSessionCookie } from '$lib/server/auth/session';

const body = z.object({ username: z.string().max(200), password: z.string().max(1024) });

export const POST = api(async ({ request, cookies, url, getClientAddress }) => {
	const { username, password } = await readJson(request, body);
	const session = await login(username, password, getClientAddress());
	setSessionCookie(cookies, url, session.token, session.expires);
	return json({ username: session.user.username, role: session.user.role });
});
