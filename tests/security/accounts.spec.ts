/**
 * Accounts under attack, against a real server with its own data folder (issue #14
 * item 6): where the login page sends the browser, sessions and tokens after a new
 * password, the current-password check as an oracle, and two leads removing each
 * other at the same moment.
 */
import { test, expect } from '@playwright/test';
import { freePort, startServer, killHard, tempDataDir, Client, type RunningServer } from '../helpers/server';

const PORT = await freePort();
const PASSWORD = process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password';
let server: RunningServer;
let lead: Client;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startServer({ port: PORT, dataDir: tempDataDir('spanlab-accounts-') });
	lead = await new Client(server.url).login('lead');
});

test.afterAll(async () => {
	if (server) await killHard(server);
});

let users = 0;
async function newUser(prefix: string, role: 'annotator' | 'lead' = 'annotator'): Promise<string> {
	const username = `${prefix}${++users}`;
	const res = await lead.call('POST', '/api/users', { username, password: PASSWORD, role });
	expect(res.status, res.text).toBe(201);
	return username;
}

/** The login form, posted as a browser posts it to `/login?next=<rawNext>` (as written in a link); returns the status and Location. */
async function loginForm(rawNext: string, username = 'ann1', password = PASSWORD) {
	const res = await fetch(`${server.url}/login?next=${rawNext}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
		body: new URLSearchParams({ username, password }).toString()
	});
	return { status: res.status, location: res.headers.get('location') };
}

async function meStatus(cookie: string): Promise<number> {
	return (await fetch(`${server.url}/api/me`, { headers: { cookie } })).status;
}

async function login(username: string, password = PASSWORD): Promise<{ status: number; cookie: string }> {
	const res = await fetch(`${server.url}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.url },
		body: JSON.stringify({ username, password })
	});
	return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

test('after login, next is followed only to a path on our own origin', async () => {
	// query values as an attacker writes them in a link (the server decodes them)
	const hostile = [
		'/%5Cevil.example/x', // next = /\evil.example/x: browsers read the backslash as a slash
		'/%09/evil.example', // a tab: browsers drop it and read //evil.example
		'/%0a/evil.example',
		'/%0d%0a/evil.example',
		'%09//evil.example',
		'//evil.example',
		'%2F%2Fevil.example/x',
		'/%5C/evil.example',
		'%5C%5Cevil.example',
		'https://evil.example/',
		'https:%2F%2Fevil.example',
		'http:evil.example',
		'javascript:alert(document.domain)',
		'%20%20javascript:alert(1)',
		'/.//evil.example',
		'/%2e//evil.example',
		'evil.example'
	];
	for (const next of hostile) {
		const { status, location } = await loginForm(next);
		expect(status, next).toBe(303);
		expect(location, next).toBe('/');
		// what a browser does with that Location: stays here
		expect(new URL(location!, server.url).origin, next).toBe(server.url);
	}
	const good = await loginForm(encodeURIComponent('/account?tab=tokens#top'));
	expect(good).toEqual({ status: 303, location: '/account?tab=tokens#top' });
	// the page's load redirects a logged-in visitor the same way
	const ann1 = await new Client(server.url).login('ann1');
	for (const [next, expected] of [['/%5Cevil.example/x', '/'], ['/%09/evil.example', '/'], ['//evil.example', '/'], ['/account', '/account']]) {
		const res = await fetch(`${server.url}/login?next=${next}`, { redirect: 'manual', headers: { cookie: ann1.cookie } });
		expect(res.status, next).toBe(303);
		expect(res.headers.get('location'), next).toBe(expected);
	}
});

test('24 logins racing a lead’s password reset: not one of their sessions works afterwards, nor the user’s token', async () => {
	const victim = await newUser('victim');
	const api = await new Client(server.url).login(victim);
	const token = await api.call('POST', '/api/tokens', { name: 'script' });
	expect(token.status).toBe(201);
	const earlier = api.cookie;
	const logins = Array.from({ length: 24 }, () => login(victim));
	const reset = lead.call('PATCH', `/api/users/${victim}`, { password: 'a-brand-new-password' });
	const [resetDone, ...results] = await Promise.all([reset, ...logins]);
	expect(resetDone.status, resetDone.text).toBe(200);
	const made = results.filter((r) => r.status === 200);
	// 401: checked the new password, or the old one too late; 429 once ten of those locked the name
	for (const r of results) expect([200, 401, 429]).toContain(r.status);
	const alive = [];
	for (const r of made) if ((await meStatus(r.cookie)) === 200) alive.push(r.cookie);
	expect(alive, `${made.length} logins got a session; these still work`).toEqual([]);
	expect(await meStatus(earlier)).toBe(401);
	const bearer = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token.json.token}` } });
	expect(bearer.status, 'a lead’s reset revokes the user’s API tokens').toBe(401);
	expect([401, 429]).toContain((await login(victim)).status);
	console.log(`logins racing the reset: ${made.length} of 24 answered 200, none of them usable`);
});

test('the user’s own change: other sessions end, this one goes on, tokens are kept and shown to revoke', async () => {
	const name = await newUser('own');
	const here = await new Client(server.url).login(name);
	const elsewhere = await new Client(server.url).login(name);
	const token = await here.call('POST', '/api/tokens', { name: 'nightly export' });
	const res = await fetch(`${server.url}/account?/password`, {
		method: 'POST',
		redirect: 'manual',
		headers: { cookie: here.cookie, origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ current: PASSWORD, password: 'my-new-password-1' }).toString()
	});
	expect(res.status).toBe(200);
	const fresh = (res.headers.get('set-cookie') ?? '').split(';')[0];
	expect(fresh).toMatch(/^spanlab_session=/);
	const html = await res.text();
	expect(html).toContain('Password changed.');
	expect(html).toContain('Your API tokens still work');
	expect(html).toContain('Revoke nightly export');
	expect(await meStatus(here.cookie)).toBe(401);
	expect(await meStatus(elsewhere.cookie)).toBe(401);
	expect(await meStatus(fresh)).toBe(200);
	const bearer = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token.json.token}` } });
	expect(bearer.status).toBe(200);
});

test('/account?/password is rate limited like login: 10 wrong current passwords lock the account', async () => {
	const name = await newUser('oracle');
	const thief = await new Client(server.url).login(name); // a stolen session
	const attempt = (current: string) =>
		fetch(`${server.url}/account?/password`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: thief.cookie, origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ current, password: 'owned-password-1' }).toString()
		});
	for (let i = 1; i <= 10; i++) expect((await attempt(`guess-${i}-password`)).status, `guess ${i}`).toBe(400);
	const right = await attempt(PASSWORD);
	expect(right.status).toBe(429);
	expect(await right.text()).toContain('too many failed logins');
	expect((await login(name)).status, 'the same lock as login').toBe(429);
	expect(await meStatus(thief.cookie), 'nothing changed: the session still works').toBe(200);
});

test('two leads deactivating or demoting each other at the same moment: one wins, one active lead is left (10 rounds)', async () => {
	// the two of them are the only active leads
	const second = await newUser('boss', 'lead');
	const b = await new Client(server.url).login(second);
	const activeLeads = async (as: Client) =>
		((await as.call('GET', '/api/users')).json as Array<{ username: string; role: string; active: boolean }>)
			.filter((u) => u.role === 'lead' && u.active)
			.map((u) => u.username)
			.sort();
	expect(await activeLeads(lead)).toEqual(['lead', second].sort());
	const refusals = new Map<number, number>();
	for (let round = 0; round < 10; round++) {
		const change = round % 2 ? { active: false } : { role: 'annotator' };
		const [x, y] = await Promise.all([lead.call('PATCH', `/api/users/${second}`, change), b.call('PATCH', '/api/users/lead', change)]);
		// one wins; the other is refused: 409 if its request was checked while it was still a lead,
		// 403 (demoted) or 401 (deactivated: its session ended) if the winner's change landed first
		const statuses = [x.status, y.status].sort();
		expect(statuses[0], `${x.text} / ${y.text}`).toBe(200);
		expect([401, 403, 409], `${x.text} / ${y.text}`).toContain(statuses[1]);
		const refused = x.status === 200 ? y : x;
		if (refused.status === 409) expect(refused.json.error).toBe('there must be at least one active lead');
		refusals.set(refused.status, (refusals.get(refused.status) ?? 0) + 1);
		const [winner, loser] = x.status === 200 ? [lead, second] : [b, 'lead'];
		expect(await activeLeads(winner)).toHaveLength(1);
		const back = await winner.call('PATCH', `/api/users/${loser}`, { role: 'lead', active: true });
		expect(back.status, back.text).toBe(200);
		// a deactivated loser's sessions ended: log in again
		if (loser === 'lead') await lead.login('lead');
		else await b.login(second);
		expect(await activeLeads(lead)).toEqual(['lead', second].sort());
	}
	console.log(`the loser of each race was refused with: ${JSON.stringify(Object.fromEntries(refusals))}`);
});
