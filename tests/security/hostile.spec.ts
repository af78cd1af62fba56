/**
 * Hostile input against a real server with its own data folder: every attack
 * gets a 4xx with a clear message, and the data folder is byte-for-byte
 * unchanged afterwards (hash before == hash after).
 */
import { test, expect } from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort, startServer, killHard, tempDataDir, Client, type RunningServer } from '../helpers/server';

const PORT = await freePort();
let server: RunningServer;
let lead: Client;
let ann1: Client;
const slug = 'hostile';
const DOC = 'doc-1';
const TEXT = 'Le maire a déclaré 😀 mardi que tout allait bien.';

function hashTree(dir: string): string {
	const hash = crypto.createHash('sha256');
	const walk = (d: string) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const full = path.join(d, e.name);
			if (e.isDirectory()) walk(full);
			// regular files: the data (not the server's control socket, spanlab.sock)
			else if (e.isFile() && !(d.endsWith('_system') && e.name === 'sessions.json')) {
				hash.update(path.relative(dir, full) + '\0');
				hash.update(fs.readFileSync(full));
			}
		}
	};
	walk(dir);
	return hash.digest('hex');
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startServer({ port: PORT, dataDir: tempDataDir('spanlab-hostile-') });
	lead = await new Client(server.url).login('lead');
	expect((await lead.call('POST', '/api/datasets', { slug, title: 'Hostile' })).status).toBe(201);
	const ndjson = JSON.stringify({ id: DOC, title: 'Doc', text: TEXT });
	expect((await lead.call('POST', `/api/datasets/${slug}/documents`, ndjson, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
	expect((await lead.call('PUT', `/api/datasets/${slug}/members/ann1`, { role: 'annotator' })).status).toBe(200);
	ann1 = await new Client(server.url).login('ann1');
});

test.afterAll(async () => {
	if (server) await killHard(server);
});

const annotationsUrl = `/api/datasets/${slug}/documents/${DOC}/annotations/me`;

/** A request whose path is sent exactly as written (no client-side normalisation of "..") */
function rawRequest(base: string, method: string, rawPath: string, cookie: string, body?: string): Promise<number> {
	const { hostname, port } = new URL(base);
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = { cookie, origin: base };
		if (body) headers['content-type'] = 'application/json';
		const req = http.request({ host: hostname, port, path: rawPath, method, headers }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end(body);
	});
}

function expectClear4xx(res: { status: number; json: any; text: string }, status?: number) {
	if (status) expect(res.status, res.text).toBe(status);
	expect(res.status, res.text).toBeGreaterThanOrEqual(400);
	expect(res.status, res.text).toBeLessThan(500);
	expect(typeof res.json?.error, res.text).toBe('string');
	expect(res.json.error.length).toBeGreaterThan(3);
}

test('bad annotation saves get a clear 4xx and change nothing', async () => {
	const before = hashTree(server.dataDir);
	const cases: Array<[string, unknown, number]> = [
		['malformed JSON', '{"baseRevision": 0, "spans": [', 400],
		['not an object', '[1,2,3]', 400],
		['wrong types', { baseRevision: '0', spans: 'none' }, 400],
		['negative offset', { baseRevision: 0, spans: [{ start: -1, end: 3, label: 'claim' }] }, 400],
		['fractional offset', { baseRevision: 0, spans: [{ start: 1.5, end: 3, label: 'claim' }] }, 400],
		['huge offset', { baseRevision: 0, spans: [{ start: 0, end: 1e15, label: 'claim' }] }, 400],
		['offset past the end by one code point', { baseRevision: 0, spans: [{ start: 0, end: Array.from(TEXT).length + 1, label: 'claim' }] }, 400],
		['start == end', { baseRevision: 0, spans: [{ start: 3, end: 3, label: 'claim' }] }, 400],
		['unknown label', { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'opinion' }] }, 400],
		['HTML label', { baseRevision: 0, spans: [{ start: 0, end: 2, label: '<img src=x onerror=alert(1)>' }] }, 400],
		['stale revision', { baseRevision: 7, spans: [] }, 409],
		['bad status', { baseRevision: 0, spans: [], status: 'finished' }, 400]
	];
	for (const [name, body, status] of cases) {
		const res = await ann1.call('PUT', annotationsUrl, body, { 'content-type': 'application/json' });
		expectClear4xx(res, status);
		expect(res.status, name).toBe(status);
	}
	expect(hashTree(server.dataDir)).toBe(before);
});

test('bad rejections in gold saves get a clear 4xx and change nothing', async () => {
	const before = hashTree(server.dataDir);
	const goldUrl = `/api/datasets/${slug}/documents/${DOC}/annotations/gold`;
	const length = Array.from(TEXT).length;
	const cases: Array<[string, unknown, number]> = [
		['not a list', { baseRevision: 0, spans: [], rejected: 'all' }, 400],
		['mistyped span', { baseRevision: 0, spans: [], rejected: [{ start: '1', end: 3, label: 'claim' }] }, 400],
		['negative offset', { baseRevision: 0, spans: [], rejected: [{ start: -1, end: 3, label: 'claim' }] }, 400],
		['past the end by one code point', { baseRevision: 0, spans: [], rejected: [{ start: 0, end: length + 1, label: 'claim' }] }, 400],
		['unknown label', { baseRevision: 0, spans: [], rejected: [{ start: 0, end: 2, label: 'opinion' }] }, 400],
		['HTML label', { baseRevision: 0, spans: [], rejected: [{ start: 0, end: 2, label: '<img src=x onerror=alert(1)>' }] }, 400],
		['stale revision', { baseRevision: 7, spans: [], rejected: [{ start: 0, end: 2, label: 'claim' }] }, 409]
	];
	for (const [name, body, status] of cases) {
		const res = await lead.call('PUT', goldUrl, body, { 'content-type': 'application/json' });
		expectClear4xx(res, status);
		expect(res.status, name).toBe(status);
	}
	const valid = { baseRevision: 0, spans: [], rejected: [{ start: 0, end: 2, label: 'claim' }] };
	// rejections are the gold set's, and gold is the leads'
	expectClear4xx(await ann1.call('PUT', annotationsUrl, valid, { 'content-type': 'application/json' }), 400);
	expectClear4xx(await ann1.call('PUT', goldUrl, valid, { 'content-type': 'application/json' }), 403);
	expect(hashTree(server.dataDir)).toBe(before);
});

/** Every API route that takes a body, found on disk so a new route is attacked without editing this file. */
function bodyRoutes(): Array<{ method: string; pattern: string }> {
	const root = path.join(process.cwd(), 'src', 'routes');
	const found: Array<{ method: string; pattern: string }> = [];
	const walk = (dir: string) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, e.name);
			if (e.isDirectory()) walk(full);
			else if (e.name === '+server.ts') {
				// param matchers are not in the URL: [slug=slug] is [slug]
				const pattern = '/' + path.relative(root, dir).split(path.sep).map((seg) => seg.replace(/^\[(\w+)=\w+\]$/, '[$1]')).join('/');
				for (const m of fs.readFileSync(full, 'utf8').matchAll(/export const (POST|PUT|PATCH)\b/g)) {
					found.push({ method: m[1], pattern });
				}
			}
		}
	};
	walk(root);
	return found.filter((r) => r.pattern.startsWith('/api/') && r.pattern !== '/api/logout');
}

const PARAMS: Record<string, string> = { slug, id: DOC, annotator: 'me', username: 'ann1', version: '1', other: '1' };

test('every API route that takes a body answers malformed, mistyped and oversized bodies with a clear 4xx, changing nothing', async () => {
	const routes = bodyRoutes();
	expect(routes.length).toBeGreaterThanOrEqual(10);
	const before = hashTree(server.dataDir);
	for (const { method, pattern } of routes) {
		const url = pattern.replace(/\[(\w+)\]/g, (_, name: string) => {
			if (!(name in PARAMS)) throw new Error(`no test value for [${name}] in ${pattern}: add it to PARAMS`);
			return PARAMS[name];
		});
		const attacks: Array<[string, string, Record<string, string>]> = [
			['malformed JSON', '{"slug": "x", ', { 'content-type': 'application/json' }],
			['wrong types', JSON.stringify({ slug: 12, title: [], role: 5, spans: 'x', baseRevision: 'a', source: {}, mode: 7, username: {}, password: 1 }), { 'content-type': 'application/json' }],
			['not JSON at all', '\u0000\u0001binary', { 'content-type': 'application/json' }]
		];
		for (const [name, body, headers] of attacks) {
			const res = await lead.call(method, url, body, headers);
			expect(res.status, `${method} ${url} with ${name}: ${res.text}`).toBeGreaterThanOrEqual(400);
			expect(res.status, `${method} ${url} with ${name}: ${res.text}`).toBeLessThan(500);
			expect(typeof res.json?.error, `${method} ${url} with ${name}: ${res.text}`).toBe('string');
		}
		// over the JSON limit (5 MB); imports and prediction uploads have their own, larger limit, covered in
		// tests/api/import.spec.ts and src/lib/server/evaluations.test.ts
		if (!/\/(documents|imports|predictions)$/.test(pattern)) {
			const huge = JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) });
			const res = await lead.call(method, url, huge, { 'content-type': 'application/json' });
			expect(res.status, `${method} ${url} with 6 MB`).toBe(413);
		}
	}
	expect(hashTree(server.dataDir)).toBe(before);
});

test('oversized bodies get 413 and change nothing', async () => {
	const before = hashTree(server.dataDir);
	const huge = JSON.stringify({ baseRevision: 0, spans: [], pad: 'x'.repeat(6 * 1024 * 1024) });
	expectClear4xx(await ann1.call('PUT', annotationsUrl, huge, { 'content-type': 'application/json' }), 413);
	expectClear4xx(await lead.call('POST', '/api/datasets', JSON.stringify({ slug: 'big', title: 'x'.repeat(6 * 1024 * 1024) })), 413);
	expect(hashTree(server.dataDir)).toBe(before);
});

test('path tricks in slugs, ids and annotators are refused', async () => {
	const before = hashTree(server.dataDir);
	// fetch() normalises a literal "/.." away client-side, so those go through a raw request below
	const tricks = ['%2e%2e', '%2E%2E%2F', '..%2f..%2fetc', 'a%00b', '%00', 'x'.repeat(300), 'A..b'];
	for (const t of tricks) {
		for (const url of [
			`/api/datasets/${t}`,
			`/api/datasets/${t}/documents`,
			`/api/datasets/${slug}/documents/${t}`,
			`/api/datasets/${slug}/documents/${t}/annotations/me`,
			`/api/datasets/${slug}/documents/${DOC}/annotations/${t}`
		]) {
			// sent raw: the WHATWG URL parser would turn %2e%2e into .. and drop it client-side
			const status = await rawRequest(server.url, 'GET', url, lead.cookie);
			expect(status, `GET ${url}`).toBeGreaterThanOrEqual(400);
			expect(status, `GET ${url}`).toBeLessThan(500);
			const put = await rawRequest(server.url, 'PUT', url, lead.cookie, JSON.stringify({ baseRevision: 0, spans: [] }));
			expect(put, `PUT ${url}`).toBeGreaterThanOrEqual(400);
			expect(put, `PUT ${url}`).toBeLessThan(500);
		}
	}
	for (const raw of [`/api/datasets/${slug}/documents/../../../_system/users.json`, `/api/datasets/../_system`, `/api/datasets/${slug}/documents/${DOC}/annotations/../../../../_system/users`]) {
		const status = await rawRequest(server.url, 'GET', raw, lead.cookie);
		expect(status, raw).toBeGreaterThanOrEqual(400);
		expect(status, raw).toBeLessThan(500);
	}
	for (const bad of ['../x', 'UPPER', 'a b', 'a/b', '-x', 'x\u0000', 'samples', '']) {
		expectClear4xx(await lead.call('POST', '/api/datasets', { slug: bad, title: 'x' }), 400);
	}
	expect(hashTree(server.dataDir)).toBe(before);
});

test('logins with hostile input fail cleanly', async () => {
	const anon = new Client(server.url);
	for (const body of ['{', '[]', { username: 1, password: 2 }, { username: '<script>', password: 'x'.repeat(2000) }, { username: 'a\u0000', password: 'b' }]) {
		const res = await anon.call('POST', '/api/login', body, { 'content-type': 'application/json' });
		expectClear4xx(res);
	}
});

test('security headers: CSP without inline scripts, nosniff, no framing', async () => {
	const res = await fetch(`${server.url}/login`);
	const csp = res.headers.get('content-security-policy') ?? '';
	const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
	expect(scriptSrc).toContain("'self'");
	expect(scriptSrc).not.toContain('unsafe-inline');
	expect(csp).toContain("frame-ancestors 'none'");
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	expect(res.headers.get('x-frame-options')).toBe('DENY');
});

test('same-site form posts work on plain http without ORIGIN configured (as after npm start)', async () => {
	const res = await fetch(`${server.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		// as a browser posts a plain form (without text/html SvelteKit answers in its JSON action format)
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
		body: `username=ann1&password=${encodeURIComponent(process.env.SPANLAB_E2E_PASSWORD || 'e2e-demo-password')}`
	});
	expect(res.status).toBe(303);
	const cookie = res.headers.get('set-cookie') ?? '';
	expect(cookie).toMatch(/HttpOnly/i);
	expect(cookie).toMatch(/SameSite=Lax/i);
	expect(cookie).not.toMatch(/Secure/i);
	// a client cannot pretend the socket was TLS to get past the origin check
	const spoofed = await fetch(`${server.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url.replace('http:', 'https:'),
			'x-spanlab-socket-protocol': 'https'
		},
		body: 'username=ann1&password=x'
	});
	expect(spoofed.status).toBe(403);
});

test('cross-site form posts are refused (CSRF origin check stays on)', async () => {
	const res = await fetch(`${server.url}/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
		body: 'username=lead&password=x'
	});
	expect(res.status).toBe(403);
});

test('cross-site writes are refused for every content type, with a JSON error, and change nothing', async () => {
	const before = hashTree(server.dataDir);
	const body = JSON.stringify({ baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
	const attempts: Array<[string, string, string | undefined, Record<string, string>]> = [
		['PUT', annotationsUrl, body, { origin: 'http://evil.example', 'content-type': 'application/json' }],
		['PUT', annotationsUrl, body, { origin: 'null', 'content-type': 'application/json' }],
		['PUT', annotationsUrl, body, { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }],
		['PATCH', `/api/datasets/${slug}`, JSON.stringify({ title: 'Owned' }), { origin: 'http://evil.example', 'content-type': 'text/plain' }],
		['POST', '/api/users', JSON.stringify({ username: 'mallory', password: 'mallory-pass-1' }), { origin: 'http://evil.example', 'content-type': 'application/json' }],
		['POST', `/api/datasets/${slug}/releases`, JSON.stringify({ source: 'annotators' }), { origin: 'http://evil.example', 'content-type': 'application/json' }]
	];
	for (const [method, url, data, headers] of attempts) {
		const who = method === 'PUT' ? ann1 : lead;
		const res = await who.call(method, url, data, headers);
		expect(res.status, `${method} ${url} ${JSON.stringify(headers)}`).toBe(403);
		expect(res.json.error).toMatch(/^cross-site (PUT|PATCH|POST) refused: /);
	}
	// logging someone out from another site does not work either
	const logout = await ann1.call('POST', '/api/logout', undefined, { origin: 'http://evil.example' });
	expect(logout.status).toBe(403);
	expect((await ann1.call('GET', '/api/me')).status).toBe(200);
	expect(hashTree(server.dataDir)).toBe(before);
	// the same write from the app's own origin goes through (the Client sends it)
	expect((await lead.call('PATCH', `/api/datasets/${slug}`, { title: 'Hostile' })).status).toBe(200);
});

test('the API answers in JSON even where SvelteKit answers: unknown routes, methods, malformed URLs, bodies without a type', async () => {
	const before = hashTree(server.dataDir);
	const unknown = await ann1.call('GET', '/api/nonexistent');
	expect(unknown.status).toBe(404);
	expect(unknown.json).toEqual({ error: 'no such API route: GET /api/nonexistent (see docs/api.md)' });
	const method = await ann1.call('DELETE', '/api/me');
	expect(method.status).toBe(405);
	expect(typeof method.json.error).toBe('string');
	const malformed = await ann1.call('GET', `/api/datasets/${slug}/documents/%C0%AE%C0%AE`);
	expect(malformed.status).toBe(400);
	expect(malformed.json.error).toContain('malformed URL');
	// fetch adds text/plain to a string body: bytes leave the type out
	const untyped = await fetch(server.url + annotationsUrl, {
		method: 'PUT',
		headers: { cookie: ann1.cookie, origin: server.url },
		body: new TextEncoder().encode('{"baseRevision":0,"spans":[]}')
	});
	expect(untyped.status).toBe(415);
	expect(((await untyped.json()) as { error: string }).error).toContain('no content type');
	const xml = await ann1.call('PUT', annotationsUrl, '{"baseRevision":0,"spans":[]}', { 'content-type': 'application/xml' });
	expect(xml.status).toBe(415);
	expect(hashTree(server.dataDir)).toBe(before);
});

test('a lead asking for the work of someone who does not exist gets 404, not an empty set', async () => {
	for (const name of ['nobody', 'import~zzz']) {
		for (const suffix of ['', '/revisions']) {
			const res = await lead.call('GET', `/api/datasets/${slug}/documents/${DOC}/annotations/${encodeURIComponent(name)}${suffix}`);
			expect(res.status, name + suffix).toBe(404);
			expect(res.json.error).toBe(`no annotator "${name}" on document "${DOC}"`);
		}
	}
	// someone who exists but saved nothing here: an empty set at revision 0
	const ann2 = await lead.call('GET', `/api/datasets/${slug}/documents/${DOC}/annotations/ann2`);
	expect(ann2.status).toBe(200);
	expect(ann2.json).toMatchObject({ annotator: 'ann2', revision: 0, spans: [] });
});

test('the demo password is never a fixed default and passwords are not logged', async () => {
	const dir = tempDataDir('spanlab-nodemo-pw-');
	let printed: string | undefined;
	const other = await startServer({ port: await freePort(), dataDir: dir, env: { SPANLAB_DEMO_PASSWORD: '' } });
	try {
		printed = /password for all three: (\S+)/.exec(other.output())?.[1];
		expect(printed).toBeTruthy();
		expect(printed!.length).toBeGreaterThanOrEqual(12);
		const c = new Client(other.url);
		await c.login('lead', printed!);
		const users = fs.readFileSync(path.join(dir, '_system', 'users.json'), 'utf8');
		expect(users).not.toContain(printed!);
		expect(users).toContain('scrypt$');
		// a wrong password is not echoed into the log
		await new Client(other.url).call('POST', '/api/login', { username: 'lead', password: 'WrongSecret-123' });
		expect(other.output()).not.toContain('WrongSecret-123');
	} finally {
		await killHard(other);
	}
	// the other demo server got a different random password
	const third = await startServer({ port: await freePort(), dataDir: tempDataDir('spanlab-nodemo-pw-'), env: { SPANLAB_DEMO_PASSWORD: '' } });
	try {
		const p1 = /password for all three: (\S+)/.exec(third.output())?.[1];
		expect(p1).toBeTruthy();
		expect(p1).not.toBe(printed);
	} finally {
		await killHard(third);
	}
});

test('HTML and script in article text, titles and guidelines stay inert in the browser', async ({ page }) => {
	const evil = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><svg onload="window.__pwned=3">`;
	const s2 = 'inert';
	expect((await lead.call('POST', '/api/datasets', { slug: s2, title: `Title ${evil}`, guidelines: `# Rules ${evil}\n\n[click](javascript:window.__pwned=4)` })).status).toBe(201);
	const ndjson = JSON.stringify({ id: 'evil', title: `Headline ${evil}`, text: `Body ${evil}\nsecond line` });
	expect((await lead.call('POST', `/api/datasets/${s2}/documents`, ndjson, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
	let dialogs = 0;
	page.on('dialog', (d) => {
		dialogs++;
		void d.dismiss();
	});
	await page.context().addCookies([{ name: 'spanlab_session', value: decodeURIComponent(lead.cookie.split('=')[1]), url: server.url }]);
	for (const url of [`/`, `/datasets/${s2}`, `/datasets/${s2}/documents/evil`]) {
		await page.goto(server.url + url);
		await page.waitForLoadState('networkidle');
		expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), url).toBeUndefined();
	}
	// the characters are shown as text
	await expect(page.getByText('<script>window.__pwned=1</script>', { exact: false }).first()).toBeVisible();
	expect(dialogs).toBe(0);
});
