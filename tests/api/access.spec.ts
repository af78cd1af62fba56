/**
 * THE ACCESS-CONTROL TABLE. Every API route, page and form action, called by
 * four callers — nobody, an annotator of another dataset, an annotator of this
 * dataset, a lead — with the status each must get.
 *
 * The table is the union of `cases` exported by tests/api/access/*.routes.ts
 * (see access/types.ts). A route under src/routes without a case fails the
 * first test, and so does a case whose route no longer exists.
 */
import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { baseURL, PASSWORD, apiAs } from '../helpers/api';
import { CALLERS, type AccessCase, type Caller, type Fixture } from './access/types';

const ROUTES_DIR = path.resolve('src/routes');
const TABLE_DIR = path.resolve('tests/api/access');

// ---- the table: every *.routes.ts file's `cases`
const tableFiles = fs.readdirSync(TABLE_DIR).filter((f) => f.endsWith('.routes.ts')).sort();
const table: Array<AccessCase & { file: string }> = [];
for (const file of tableFiles) {
	const mod = (await import(pathToFileURL(path.join(TABLE_DIR, file)).href)) as { cases?: AccessCase[] };
	if (!Array.isArray(mod.cases)) throw new Error(`${file} must export "cases: AccessCase[]"`);
	for (const c of mod.cases) table.push({ ...c, file });
}

// ---- the routes that exist, read from src/routes
function routeOf(dir: string): string {
	const segments = path
		.relative(ROUTES_DIR, dir)
		.split(path.sep)
		.filter((s) => s && !/^\(.*\)$/.test(s)) // (groups) are not in the URL
		.map((s) => s.replace(/^\[(\.\.\.)?(\w+)=\w+\]$/, '[$1$2]')); // nor param matchers: [slug=slug] is [slug]
	return '/' + segments.join('/');
}

function routesOnDisk(root = ROUTES_DIR): Set<string> {
	const keys = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				walk(full);
				continue;
			}
			const route = routeOf(dir);
			if (/^\+server\.(ts|js)$/.test(entry.name)) {
				const source = fs.readFileSync(full, 'utf8');
				const methods = source.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g);
				for (const m of methods) keys.add(`${m[1]} ${route}`);
			} else if (/^\+page(\.server)?\.(svelte|ts|js)$/.test(entry.name)) {
				keys.add(`PAGE ${route}`);
				if (entry.name.startsWith('+page.server.') && /export\s+const\s+actions\b/.test(fs.readFileSync(full, 'utf8'))) {
					keys.add(`ACTION ${route}`);
				}
			}
		}
	};
	walk(root);
	return keys;
}

test('every route under src/routes has a case in the access table, and every case a route', () => {
	const onDisk = routesOnDisk();
	const inTable = new Set(table.map((c) => c.route));
	const missing = [...onDisk].filter((k) => !inTable.has(k)).sort();
	const stale = [...inTable].filter((k) => !onDisk.has(k)).sort();
	expect(missing, `routes without an access case — add them to a tests/api/access/<area>.routes.ts file`).toEqual([]);
	expect(stale, `access cases for routes that do not exist (any more)`).toEqual([]);
});

// ---- the fixture: users, datasets, queues
let fixture: Fixture;
const sessions = new Map<Caller, Awaited<ReturnType<APIRequestContext['storageState']>>>();
let counter = 0;
const runId = Date.now().toString(36).slice(-6);

test.beforeAll(async () => {
	const leadApi = await apiAs('lead');
	const unique = (prefix: string) => `${prefix}-${runId}-${++counter}`;
	const ok = async (res: Awaited<ReturnType<APIRequestContext['get']>>, what: string) =>
		expect(res.ok(), `${what}: ${res.status()} ${await res.text()}`).toBe(true);

	const users = { outsider: `ao-${runId}`, annotator: `ai-${runId}`, lead: 'lead' };
	const spare = `as-${runId}`;
	for (const username of [users.outsider, users.annotator, spare]) {
		await ok(await leadApi.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } }), `create ${username}`);
	}
	const [slug, scratch, otherSlug] = [unique('acc'), unique('acc-scratch'), unique('acc-other')];
	for (const s of [slug, scratch, otherSlug]) {
		await ok(await leadApi.post('/api/datasets', { data: { slug: s, title: s } }), `create ${s}`);
		const docs = [
			{ id: 'doc-a', text: `Article A of ${s}: the minister said on Monday that taxes would fall.` },
			{ id: 'doc-b', text: `Article B of ${s}: nobody in the annotator's queue reads this one.` }
		];
		await ok(
			await leadApi.post(`/api/datasets/${s}/documents`, {
				headers: { 'content-type': 'application/x-ndjson' },
				data: docs.map((d) => JSON.stringify(d)).join('\n') + '\n'
			}),
			`import into ${s}`
		);
	}
	for (const s of [slug, scratch]) {
		await ok(await leadApi.put(`/api/datasets/${s}/members/${users.annotator}`, { data: { role: 'annotator' } }), 'add annotator');
		await ok(await leadApi.post(`/api/datasets/${s}/assignments`, { data: { mode: 'manual', documentId: 'doc-a', annotators: [users.annotator] } }), 'assign a');
		await ok(await leadApi.post(`/api/datasets/${s}/assignments`, { data: { mode: 'manual', documentId: 'doc-b', annotators: [] } }), 'assign b');
	}
	await ok(await leadApi.put(`/api/datasets/${otherSlug}/members/${users.outsider}`, { data: { role: 'annotator' } }), 'add outsider');

	fixture = { slug, scratch, otherSlug, docId: 'doc-a', hiddenDocId: 'doc-b', users, spare, password: PASSWORD, leadApi, baseURL: baseURL(), unique };
	for (const caller of ['outsider', 'annotator', 'lead'] as const) {
		const ctx = await apiAs(users[caller]);
		sessions.set(caller, await ctx.storageState());
		await ctx.dispose();
	}
});

test.afterAll(async () => {
	await fixture?.leadApi.dispose();
});

async function contextFor(caller: Caller, fresh: boolean): Promise<APIRequestContext> {
	if (caller === 'anonymous') return playwrightRequest.newContext({ baseURL: baseURL() });
	if (fresh) return apiAs(fixture.users[caller]);
	return playwrightRequest.newContext({ baseURL: baseURL(), storageState: sessions.get(caller) });
}

async function call(c: AccessCase, caller: Caller): Promise<{ status: number; location: string | null }> {
	const api = await contextFor(caller, c.freshSession ?? false);
	try {
		const [kind] = c.route.split(' ');
		const url = await c.path(fixture, caller, api);
		let res;
		if (kind === 'PAGE') {
			res = await api.get(url, { maxRedirects: 0 });
		} else if (kind === 'ACTION') {
			const fields = c.form ? await c.form(fixture, caller, api) : [];
			res = await api.post(url, {
				maxRedirects: 0,
				// a browser's own form POST (no JavaScript): HTML answer, real statuses and redirects
				headers: { origin: baseURL(), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				data: new URLSearchParams(fields).toString()
			});
		} else {
			const body = c.body ? await c.body(fixture, caller, api) : undefined;
			const headers = typeof body === 'string' ? { 'content-type': c.contentType ?? 'text/plain' } : undefined;
			res = await api.fetch(url, { method: kind, data: body, headers, maxRedirects: 0 });
		}
		return { status: res.status(), location: res.headers()['location'] ?? null };
	} finally {
		await api.dispose();
	}
}

const seen = new Map<string, number>();
for (const c of table) {
	let name = `${c.route}${c.title ? ` — ${c.title}` : ''}`;
	const n = (seen.get(name) ?? 0) + 1;
	seen.set(name, n);
	if (n > 1) name += ` (#${n})`;

	test(`${name} [${c.file}]`, async () => {
		const actual = {} as Record<Caller, number>;
		const redirects: string[] = [];
		for (const caller of CALLERS) {
			const { status, location } = await call(c, caller);
			actual[caller] = status;
			const where = c.location?.[caller] ?? (caller === 'anonymous' && c.expect.anonymous === 303 ? /^\/login(\?|$)/ : null);
			if (status === 303 && where && !where.test(location ?? '')) {
				redirects.push(`${caller} was sent to ${location}, expected ${where}`);
			}
		}
		expect(actual).toEqual(c.expect);
		expect(redirects).toEqual([]);
	});
}
