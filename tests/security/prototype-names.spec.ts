/**
 * Issue #14 item 1: every Object.prototype member name (`__proto__`,
 * `constructor`, `toString`, … and `prototype`) as every name a request can
 * carry, against a real server with its own data folder.
 *
 *  - Names in the URL are generated from the access table
 *    (tests/api/access/*.routes.ts) and the routes on disk: every case of every
 *    route with a parameter ([slug], [id], [annotator], [username], [version],
 *    …) is sent again with each name in each parameter, as a lead and as an
 *    annotator. No answer may be a 5xx, and an annotator gets nothing (4xx) for
 *    a dataset or an annotator set addressed by such a name.
 *  - Names in bodies, forms and queries, generated the same way: every string
 *    and every key of every case's JSON body (NDJSON lines too), every form
 *    field's name and value and every query value, replaced by each name in turn.
 *    No 5xx; what the table refuses an annotator stays refused.
 *  - And on purpose, through the routes that take them: usernames, slugs, label
 *    names and keys, members, document ids, meta keys, import sources and label
 *    maps, assignments, spans' labels, gold, renames, release notes, with the
 *    state they leave behind (usage counts, memberships, releases).
 *  - Afterwards every page of the access table answers as it did before, and
 *    every page of the dataset full of such names renders for its lead.
 * A user named `constructor` belongs to what it was added to, and nothing else.
 */
import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PASSWORD } from '../helpers/api';
import { freePort, killHard, startServer, tempDataDir, type RunningServer } from '../helpers/server';
import type { AccessCase, Fixture } from '../api/access/types';

/** Object.prototype's own member names, plus `prototype`. */
const NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype'])].sort();
const ROUTES_DIR = path.resolve('src/routes');
const TABLE_DIR = path.resolve('tests/api/access');

// ---- the access table (as tests/api/access.spec.ts reads it); a module instance of our own, since cases memoise per fixture
const table: AccessCase[] = [];
for (const file of fs.readdirSync(TABLE_DIR).filter((f) => f.endsWith('.routes.ts')).sort()) {
	const mod = (await import(pathToFileURL(path.join(TABLE_DIR, file)).href + '?prototype-names')) as { cases: AccessCase[] };
	table.push(...mod.cases);
}

function routesOnDisk(): Set<string> {
	const keys = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				walk(full);
				continue;
			}
			// (groups) are not in the URL, nor param matchers: [slug=slug] is the table's [slug]
			const route = '/' + path.relative(ROUTES_DIR, dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s)).map((s) => s.replace(/^\[(\.\.\.)?(\w+)=\w+\]$/, '[$1$2]')).join('/');
			if (/^\+server\.(ts|js)$/.test(entry.name)) {
				for (const m of fs.readFileSync(full, 'utf8').matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) {
					keys.add(`${m[1]} ${route}`);
				}
			} else if (/^\+page(\.server)?\.(svelte|ts|js)$/.test(entry.name)) {
				keys.add(`PAGE ${route}`);
				if (entry.name.startsWith('+page.server.') && /export\s+const\s+actions\b/.test(fs.readFileSync(full, 'utf8'))) keys.add(`ACTION ${route}`);
			}
		}
	};
	walk(ROUTES_DIR);
	return keys;
}

/** `[slug]`, `[id=docid]` → their names, by position in the path. */
function paramsOf(route: string): Array<{ name: string; index: number }> {
	const segments = route.split(' ')[1].split('/');
	return segments.flatMap((s, index) => {
		const m = /^\[([A-Za-z]+)(?:=[A-Za-z]+)?\]$/.exec(s);
		return m ? [{ name: m[1], index }] : [];
	});
}

/** The case's URL with the path segment at `index` replaced by `name`. */
function withSegment(url: string, index: number, name: string): string {
	const at = url.indexOf('?');
	const [pathname, query] = at === -1 ? [url, ''] : [url.slice(0, at), url.slice(at)];
	const segments = pathname.split('/');
	segments[index] = encodeURIComponent(name);
	return segments.join('/') + query;
}

// ---- our server and its fixture (the access table's shape)
let server: RunningServer;
let fixture: Fixture;
const apis = new Map<string, APIRequestContext>();
let counter = 0;

async function login(username: string): Promise<APIRequestContext> {
	const ctx = await playwrightRequest.newContext({ baseURL: server.url });
	const res = await ctx.post('/api/login', { data: { username, password: PASSWORD } });
	expect(res.status(), `login as ${username}: ${await res.text()}`).toBe(200);
	return ctx;
}

async function as(username: string): Promise<APIRequestContext> {
	let api = apis.get(username);
	if (!api) apis.set(username, (api = await login(username)));
	return api;
}

interface Answer {
	status: number;
	text: string;
}

/** Sends a case (its own way: page GET, form POST, or API call), to `url`. */
async function send(api: APIRequestContext, c: AccessCase, url: string, body: unknown, form: Array<[string, string]>): Promise<Answer> {
	const [kind] = c.route.split(' ');
	let res;
	if (kind === 'PAGE') res = await api.get(url, { maxRedirects: 0 });
	else if (kind === 'ACTION') {
		res = await api.post(url, {
			maxRedirects: 0,
			headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			data: new URLSearchParams(form).toString()
		});
	} else {
		const headers = typeof body === 'string' ? { 'content-type': c.contentType ?? 'text/plain' } : undefined;
		res = await api.fetch(url, { method: kind, data: body, headers, maxRedirects: 0 });
	}
	return { status: res.status(), text: (await res.text()).slice(0, 300) };
}

/** Runs `tasks` a few at a time (the server is shared by two cores). */
async function inBatches<T>(tasks: Array<() => Promise<T>>, size = 6): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < tasks.length; i += size) out.push(...(await Promise.all(tasks.slice(i, i + size).map((t) => t()))));
	return out;
}

/** Every answer of the test, checked at the end so one run lists every failure. */
const problems: string[] = [];
function check(what: string, answer: Answer, ok: (status: number) => boolean, wanted: string): void {
	if (answer.status >= 500 || !ok(answer.status)) problems.push(`${what}: ${answer.status} (wanted ${wanted}) ${answer.text}`);
}
/** The `error` of a JSON answer (or the text). */
function messageOf(answer: { text: string }): string {
	try {
		return String(JSON.parse(answer.text).error ?? answer.text);
	} catch {
		return answer.text;
	}
}
const is = (...statuses: number[]) => (s: number) => statuses.includes(s);
const below500 = (s: number) => s < 500;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(120_000);
	// hundreds of logins as names that are no account: no lock-out of the test's own address
	const env = { SPANLAB_LOGIN_FAILURES_PER_IP: '1000000', SPANLAB_LOGIN_FAILURES_PER_USER: '1000000' };
	server = await startServer({ port: await freePort(), dataDir: tempDataDir('spanlab-proto-names-'), env });
	const lead = await as('lead');
	const runId = Date.now().toString(36).slice(-6);
	const unique = (prefix: string) => `${prefix}-${runId}-${++counter}`;
	const ok = async (res: Awaited<ReturnType<APIRequestContext['get']>>, what: string) =>
		expect(res.ok(), `${what}: ${res.status()} ${await res.text()}`).toBe(true);
	const users = { outsider: `ao-${runId}`, annotator: `ai-${runId}`, lead: 'lead' };
	const spare = `as-${runId}`;
	for (const username of [users.outsider, users.annotator, spare]) {
		await ok(await lead.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } }), `create ${username}`);
	}
	const [slug, scratch, otherSlug] = [unique('acc'), unique('acc-scratch'), unique('acc-other')];
	for (const s of [slug, scratch, otherSlug]) {
		await ok(await lead.post('/api/datasets', { data: { slug: s, title: s } }), `create ${s}`);
		const docs = [
			{ id: 'doc-a', text: `Article A of ${s}: the minister said on Monday that taxes would fall.` },
			{ id: 'doc-b', text: `Article B of ${s}: nobody in the annotator's queue reads this one.` }
		];
		await ok(
			await lead.post(`/api/datasets/${s}/documents`, { headers: { 'content-type': 'application/x-ndjson' }, data: docs.map((d) => JSON.stringify(d)).join('\n') + '\n' }),
			`import into ${s}`
		);
	}
	for (const s of [slug, scratch]) {
		await ok(await lead.put(`/api/datasets/${s}/members/${users.annotator}`, { data: { role: 'annotator' } }), 'add annotator');
		await ok(await lead.post(`/api/datasets/${s}/assignments`, { data: { mode: 'manual', documentId: 'doc-a', annotators: [users.annotator] } }), 'assign a');
		await ok(await lead.post(`/api/datasets/${s}/assignments`, { data: { mode: 'manual', documentId: 'doc-b', annotators: [] } }), 'assign b');
	}
	await ok(await lead.put(`/api/datasets/${otherSlug}/members/${users.outsider}`, { data: { role: 'annotator' } }), 'add outsider');
	fixture = { slug, scratch, otherSlug, docId: 'doc-a', hiddenDocId: 'doc-b', users, spare, password: PASSWORD, leadApi: lead, baseURL: server.url, unique };
});

test.afterAll(async () => {
	for (const api of apis.values()) await api.dispose();
	if (server) await killHard(server);
});

const pageCases = table.filter((c) => c.route.startsWith('PAGE '));
const PAGE_CALLERS = ['outsider', 'annotator', 'lead'] as const;
const pagesBefore = new Map<string, number>();

async function pageStatuses(): Promise<Map<string, number>> {
	const result = new Map<string, number>();
	for (const caller of PAGE_CALLERS) {
		const api = await as(fixture.users[caller]);
		for (const [i, c] of pageCases.entries()) {
			const res = await api.get(await c.path(fixture, caller, api), { maxRedirects: 0 });
			result.set(`${caller} ${c.route} #${i}`, res.status());
		}
	}
	return result;
}

test('every route with a parameter has cases in the access table to generate from', () => {
	const withParams = [...routesOnDisk()].filter((r) => paramsOf(r).length > 0);
	expect(withParams.length).toBeGreaterThan(10);
	expect(withParams.filter((r) => !table.some((c) => c.route === r)).sort()).toEqual([]);
	for (const c of table) {
		for (const { index } of paramsOf(c.route)) expect(c.route.split(' ')[1].split('/')[index], c.route).toMatch(/^\[/);
	}
	expect(NAMES).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__']));
});

test('pages answer as the access table says, before the attack', async () => {
	for (const [key, status] of await pageStatuses()) pagesBefore.set(key, status);
	expect([...pagesBefore.values()].filter((s) => s >= 500)).toEqual([]);
});

/** The dataset full of hostile names, and what was made in it. */
const H = { slug: '', docs: [] as string[], users: [] as string[], labels: [] as string[] };
const TEXT = (name: string) => `Text of ${name}: the minister said on Monday that taxes would fall.`;

test('names in bodies, forms and queries: usernames, slugs, labels, members, documents, meta, imports, assignments, spans, gold, releases', async () => {
	test.setTimeout(240_000);
	const lead = await as('lead');
	const annotator = await as(fixture.users.annotator);
	const call = async (api: APIRequestContext, method: string, url: string, data?: unknown, headers?: Record<string, string>) => {
		const res = await api.fetch(url, { method, data, headers, maxRedirects: 0 });
		return { status: res.status(), text: await res.text() };
	};

	// usernames: valid ones are accounts like any other; none is a 5xx
	for (const name of NAMES) {
		const res = await call(lead, 'POST', '/api/users', { username: name, password: PASSWORD, role: 'annotator' });
		const valid = /^[a-z0-9][a-z0-9_.-]{0,31}$/.test(name);
		check(`create user ${name}`, res, is(valid ? 201 : 400), valid ? '201' : '400');
		if (res.status === 201) H.users.push(name);
	}
	expect(H.users).toEqual(['constructor', 'prototype']);
	// the no-JavaScript form too
	for (const name of NAMES) {
		const res = await lead.post('/admin/users?/create', {
			maxRedirects: 0,
			headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			data: new URLSearchParams([['username', name], ['password', PASSWORD], ['role', 'annotator']]).toString()
		});
		check(`form: create user ${name}`, { status: res.status(), text: '' }, is(H.users.includes(name) ? 409 : 400), H.users.includes(name) ? '409 (exists)' : '400');
	}

	// dataset slugs
	for (const name of NAMES) {
		const res = await call(lead, 'POST', '/api/datasets', { slug: name, title: name });
		check(`create dataset ${name}`, res, is(['constructor', 'prototype'].includes(name) ? 201 : 400), '201 or 400');
	}

	// label names: refused only for __proto__, saying why
	const labelsOf = (names: string[]) => names.map((name, i) => ({ name, key: i < 9 ? String(i + 1) : '', color: '#336699', description: name }));
	H.labels = ['claim', ...NAMES.filter((n) => n !== '__proto__')];
	const refused = await call(lead, 'POST', '/api/datasets', { slug: fixture.unique('proto-labels'), title: 'x', labels: labelsOf(['claim', '__proto__']) });
	check('create dataset with a label __proto__', refused, is(400), '400');
	expect(messageOf(refused)).toMatch(/"__proto__" is reserved/);
	H.slug = fixture.unique('names');
	check('create dataset with Object.prototype label names', await call(lead, 'POST', '/api/datasets', { slug: H.slug, title: 'Names', labels: labelsOf(H.labels) }), is(201), '201');
	const scratchLabels = (await (await lead.get(`/api/datasets/${fixture.scratch}`)).json()).labels as Array<{ name: string }>;
	for (const name of NAMES) {
		const res = await call(lead, 'PATCH', `/api/datasets/${fixture.scratch}`, { labels: [...scratchLabels, { name, key: '', color: '#112233', description: '' }] });
		check(`add label ${name} to a dataset`, res, is(name === '__proto__' ? 400 : 200), name === '__proto__' ? '400' : '200');
		if (name === '__proto__') expect(messageOf(res)).toMatch(/"__proto__" is reserved/);
	}
	check('scratch labels back', await call(lead, 'PATCH', `/api/datasets/${fixture.scratch}`, { labels: scratchLabels }), is(200), '200');

	// members: the accounts named like Object.prototype members, and names that are no account
	for (const name of [...NAMES, fixture.users.annotator]) {
		const res = await call(lead, 'PUT', `/api/datasets/${H.slug}/members/${encodeURIComponent(name)}`, { role: 'annotator' });
		const account = H.users.includes(name) || name === fixture.users.annotator;
		check(`add member ${name}`, res, account ? is(200) : is(400, 404), account ? '200' : '400/404');
	}

	// documents with such ids, meta keys (nested too) and pre-annotation labels; a meta key __proto__ is refused naming it
	for (const name of NAMES) {
		const record = {
			...(/^[A-Za-z0-9]/.test(name) ? { id: name } : {}),
			title: name,
			text: TEXT(name),
			meta: { [name]: name, nested: { [name]: [name] } },
			spans: [{ start: 0, end: 4, label: name === '__proto__' ? 'claim' : name }]
		};
		const res = await call(lead, 'POST', `/api/datasets/${H.slug}/documents`, JSON.stringify(record) + '\n', { 'content-type': 'application/x-ndjson' });
		check(`import a document for ${name}`, res, is(name === '__proto__' ? 400 : 200), name === '__proto__' ? '400' : '200');
		if (name === '__proto__') {
			expect(JSON.parse(res.text).errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/^"meta\.__proto__": "__proto__" is reserved/) })]);
		}
		else if (record.id) H.docs.push(name);
	}
	expect(H.docs.length).toBeGreaterThanOrEqual(8);

	// import sources (file names) and label maps keyed by such names, __proto__ included
	for (const name of NAMES) {
		const line = JSON.stringify({ title: `from ${name}`, text: `Imported from the file ${name}.jsonl today.`, spans: [{ start: 0, end: 8, label: name }] });
		const res = await lead.post(`/api/datasets/${H.slug}/imports?labelMap=${encodeURIComponent(`${name}:claim`)}`, {
			multipart: { file: { name: `${name}.jsonl`, mimeType: 'application/x-ndjson', buffer: Buffer.from(line + '\n') } }
		});
		check(`import file ${name}.jsonl with labelMap ${name}:claim`, { status: res.status(), text: await res.text() }, is(200), '200');
		const raw = await call(lead, 'POST', `/api/datasets/${H.slug}/imports?filename=${encodeURIComponent(name)}.txt`, `A note called ${name}.\n`, { 'content-type': 'application/octet-stream' });
		check(`import ${name}.txt`, raw, is(200), '200');
	}

	// assignments: by hand to such documents and annotators, then automatic, twice
	const team = [fixture.users.annotator, ...H.users];
	for (const doc of H.docs) {
		check(`assign ${doc}`, await call(lead, 'POST', `/api/datasets/${H.slug}/assignments`, { mode: 'manual', documentId: doc, annotators: team }), is(200), '200');
	}
	for (const name of NAMES.filter((n) => !H.users.includes(n))) {
		const res = await call(lead, 'POST', `/api/datasets/${H.slug}/assignments`, { mode: 'manual', documentId: H.docs[0], annotators: [name] });
		check(`assign to non-member ${name}`, res, is(400), '400');
		check(`assign document ${name} that does not exist`, await call(lead, 'POST', `/api/datasets/${H.slug}/assignments`, { mode: 'manual', documentId: `${name}-missing`, annotators: [] }), is(400), '400');
	}

	// annotations with every label, by the annotator and by the user named constructor; gold by the lead
	const labelled = (doc: string) => H.labels.map((label, i) => ({ start: i % 20, end: (i % 20) + 5 + Math.floor(i / 20), label }));
	const constructorApi = await as('constructor');
	for (const doc of H.docs) {
		for (const [who, api] of [['annotator', annotator], ['constructor', constructorApi]] as const) {
			const url = `/api/datasets/${H.slug}/documents/${doc}/annotations/me`;
			check(`${who} saves every label on ${doc}`, await call(api, 'PUT', url, { baseRevision: 0, spans: labelled(doc), status: 'done' }), is(200), '200');
			const proto = await call(api, 'PUT', url, { baseRevision: 1, spans: [{ start: 0, end: 4, label: '__proto__' }] });
			check(`${who} saves a span labelled __proto__ on ${doc}`, proto, is(400), '400');
		}
		const gold = `/api/datasets/${H.slug}/documents/${doc}/annotations/gold`;
		check(`gold on ${doc}`, await call(lead, 'PUT', gold, { baseRevision: 0, spans: labelled(doc).slice(0, 6), rejected: labelled(doc).slice(6, 8), status: 'done' }), is(200), '200');
		check(`review ${doc}`, await call(lead, 'GET', `/api/datasets/${H.slug}/documents/${doc}/review`), is(200), '200');
	}
	for (const perDocument of [1, 2, 2]) {
		check(`auto-assign ${perDocument}`, await call(lead, 'POST', `/api/datasets/${H.slug}/assignments`, { mode: 'auto', annotatorsPerDocument: perDocument }), is(200), '200');
	}
	for (const route of ['assignments', 'progress', 'agreement', 'documents']) {
		check(`GET ${route}`, await call(lead, 'GET', `/api/datasets/${H.slug}/${route}`), is(200), '200');
	}

	// labels named constructor and toString report their real usage: removing them asks for force
	const labels = (await (await lead.get(`/api/datasets/${H.slug}`)).json()).labels as Array<{ name: string }>;
	const removal = await call(lead, 'PATCH', `/api/datasets/${H.slug}`, { labels: labels.filter((l) => l.name !== 'constructor' && l.name !== 'toString') });
	check('remove labels constructor and toString without force', removal, is(409), '409');
	const inUse = JSON.parse(removal.text).inUse ?? {};
	// own numbers, not Object's constructor or toString (what a plain object lookup found)
	expect.soft(typeof inUse.constructor).toBe('number');
	expect.soft(typeof inUse.toString).toBe('number');
	expect.soft(inUse.constructor).toBeGreaterThan(0);
	expect.soft(inUse.toString).toBeGreaterThan(0);
	// renames keyed by such names (valueOf → value-of), and a renames key __proto__ (not a label: refused)
	const renamed = labels.map((l) => (l.name === 'valueOf' ? { ...l, name: 'value-of' } : l));
	const rename = await call(lead, 'PATCH', `/api/datasets/${H.slug}`, { labels: renamed, renames: { valueOf: 'value-of' } });
	check('rename valueOf', rename, is(200), '200');
	expect.soft(JSON.parse(rename.text).rewritten?.renamed).toBeGreaterThan(0);
	check('renames key __proto__', await call(lead, 'PATCH', `/api/datasets/${H.slug}`, JSON.stringify({ labels: renamed, renames: JSON.parse('{"__proto__":"x"}') }), { 'content-type': 'application/json' }), is(200, 400), '200 or 400');

	// the settings form with such names as rows and originals
	const rows = renamed.flatMap((l, i): Array<[string, string]> => [['name', l.name], ['key', i < 9 ? String(i + 1) : ''], ['color', '#336699'], ['description', ''], ['original', l.name]]);
	const form = await lead.post(`/datasets/${H.slug}/settings?/labels`, {
		maxRedirects: 0,
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		data: new URLSearchParams([...rows, ['constructor', 'x'], ['__proto__', 'y']]).toString()
	});
	check('settings form with such rows', { status: form.status(), text: '' }, below500, '< 500');

	// releases, with such labels and meta keys in them
	for (const note of ['first', 'second']) {
		check(`release ${note}`, await call(lead, 'POST', `/api/datasets/${H.slug}/releases`, { source: 'all', note: `${note}: ${NAMES.join(' ')}` }), is(201), '201');
	}
	for (const url of ['releases', 'releases/v0001', 'releases/v0001/manifest', 'releases/v0002/diff/v0001']) {
		check(`GET ${url}`, await call(lead, 'GET', `/api/datasets/${H.slug}/${url}`), is(200), '200');
	}
	const manifest = JSON.parse((await call(lead, 'GET', `/api/datasets/${H.slug}/releases/v0001/manifest`)).text);
	expect.soft(manifest.span_counts?.constructor).toBeGreaterThan(0);

	expect(problems).toEqual([]);
});

test('a user named constructor (or prototype) is a member of what it was added to, and of nothing else', async () => {
	const lead = await as('lead');
	for (const name of H.users) {
		const api = await as(name);
		const mine = (await (await api.get('/api/datasets')).json()) as Array<{ slug: string }>;
		expect(mine.map((d) => d.slug), name).toEqual([H.slug]);
		for (const slug of [fixture.slug, fixture.scratch, 'constructor', 'prototype']) {
			expect((await api.get(`/api/datasets/${slug}`)).status(), `${name} reads ${slug}`).toBe(403);
			expect((await api.get(`/datasets/${slug}`, { maxRedirects: 0 })).status(), `${name} opens ${slug}`).toBe(403);
			expect((await api.get(`/api/datasets/${slug}/documents/doc-a/annotations/me`)).status(), `${name} reads work in ${slug}`).toBe(403);
		}
		expect((await api.get('/api/users')).status()).toBe(403);
		expect((await api.get(`/api/datasets/${H.slug}/documents/${H.docs[0]}/annotations/${fixture.users.annotator}`)).status(), 'blind annotation').toBe(403);
	}
	// members listed as the lead set them
	const members = (await (await lead.get(`/api/datasets/${H.slug}`)).json()).members;
	expect(Object.keys(members).sort()).toEqual(['lead', fixture.users.annotator, ...H.users].sort());
});

/** Secrets are left alone: a changed password would end the test's own sessions. */
const SECRET_FIELD = /password|current/i;

/** A copy of `value` with one string, or one key, replaced by `name`, for each string and key (first array item only). */
function* bodyVariants(value: unknown, name: string): Generator<unknown> {
	if (typeof value === 'string') {
		yield name;
	} else if (Array.isArray(value)) {
		if (value.length > 0) for (const v of bodyVariants(value[0], name)) yield [v, ...value.slice(1)];
	} else if (typeof value === 'object' && value !== null) {
		const entries = Object.entries(value);
		// prototype-free, so a key "__proto__" is an own key and JSON.stringify writes it
		const rebuilt = (i: number, entry: [string, unknown]) => {
			const o = Object.create(null) as Record<string, unknown>;
			entries.forEach((e, j) => (o[j === i ? entry[0] : e[0]] = j === i ? entry[1] : e[1]));
			return o;
		};
		for (const [i, [k, v]] of entries.entries()) {
			if (SECRET_FIELD.test(k)) continue;
			for (const w of bodyVariants(v, name)) yield rebuilt(i, [k, w]);
			yield rebuilt(i, [name, v]);
		}
	}
}

/** The same for an NDJSON string body (each line's object); other strings have no names to replace. */
function* stringBodyVariants(body: string, name: string): Generator<string> {
	const lines = body.split('\n').filter((l) => l.trim() !== '');
	let parsed: unknown[];
	try {
		parsed = lines.map((l) => JSON.parse(l));
	} catch {
		return;
	}
	for (const v of bodyVariants(parsed, name)) yield (v as unknown[]).map((x) => JSON.stringify(x)).join('\n') + '\n';
}

/** Form fields with one value or one field name replaced by `name`. */
function* formVariants(form: Array<[string, string]>, name: string): Generator<Array<[string, string]>> {
	for (const [i, [k, v]] of form.entries()) {
		if (SECRET_FIELD.test(k)) continue;
		yield form.map((e, j): [string, string] => (j === i ? [k, name] : e));
		yield form.map((e, j): [string, string] => (j === i ? [name, v] : e));
	}
}

/** The URL with one query value replaced by `name` (not the `?/action` of a form). */
function* queryVariants(url: string, name: string): Generator<string> {
	const at = url.indexOf('?');
	if (at === -1 || url[at + 1] === '/') return;
	const params = new URLSearchParams(url.slice(at + 1));
	for (const key of new Set(params.keys())) {
		const copy = new URLSearchParams(params);
		copy.set(key, name);
		yield `${url.slice(0, at)}?${copy}`;
	}
}

test('names in bodies, forms and queries: every string, key and field of every case of the access table, each name, as a lead and as an annotator', async () => {
	test.setTimeout(480_000);
	const tasks: Array<() => Promise<void>> = [];
	let variants = 0;
	for (const c of table) {
		if (c.freshSession) continue; // logout cases: nothing named, and they would end the shared sessions
		for (const caller of ['lead', 'annotator'] as const) {
			const api = await as(fixture.users[caller]);
			const url = await c.path(fixture, caller, api);
			const body = c.body ? await c.body(fixture, caller, api) : undefined;
			const form = c.form ? await c.form(fixture, caller, api) : [];
			for (const name of NAMES) {
				const requests: Array<{ what: string; url: string; body: unknown; form: Array<[string, string]> }> = [];
				for (const u of queryVariants(url, name)) requests.push({ what: `query ${u}`, url: u, body, form });
				if (typeof body === 'string') for (const b of stringBodyVariants(body, name)) requests.push({ what: `body ${b.slice(0, 120)}`, url, body: b, form });
				else if (body !== undefined) {
					for (const b of bodyVariants(body, name)) requests.push({ what: `body ${JSON.stringify(b).slice(0, 120)}`, url, body: JSON.stringify(b), form });
				}
				for (const f of formVariants(form, name)) requests.push({ what: `form ${new URLSearchParams(f)}`.slice(0, 160), url, body, form: f });
				for (const r of requests) {
					variants++;
					tasks.push(async () => {
						// a JSON body we serialised ourselves goes as JSON
						const json = typeof r.body === 'string' && typeof body !== 'string';
						// a login that succeeds (as "constructor"…) replaces the session cookie: log in on a copy of the caller's context
						const own = c.route.endsWith('/login') ? await playwrightRequest.newContext({ baseURL: server.url, storageState: await api.storageState() }) : api;
						const answer = await send(own, json ? { ...c, contentType: 'application/json' } : c, r.url, r.body, r.form);
						if (own !== api) await own.dispose();
						const what = `${caller}: ${c.route}${c.title ? ` (${c.title})` : ''}, ${r.what}`;
						if (caller === 'lead' || c.expect.annotator < 400) return check(what, answer, below500, '< 500');
						check(what, answer, (s) => s >= 400 && s < 500, '4xx, as the table says');
					});
				}
			}
		}
	}
	expect(variants).toBeGreaterThan(500);
	await inBatches(tasks);
	// what the variants changed on purpose-free fields: the spare account (its "active" field got a name, read as not "true")
	const restored = await (await as('lead')).patch(`/api/users/${fixture.spare}`, { data: { active: true, role: 'annotator' } });
	expect(restored.status(), await restored.text()).toBe(200);
	expect(problems).toEqual([]);
});

test('names in URL parameters: every case of the access table, each parameter, each name, as a lead and as an annotator', async () => {
	test.setTimeout(480_000);
	const tasks: Array<() => Promise<void>> = [];
	for (const c of table) {
		const params = paramsOf(c.route);
		if (params.length === 0) continue;
		for (const caller of ['lead', 'annotator'] as const) {
			const api = await as(fixture.users[caller]);
			// the case's own URL, body and form once; then each parameter replaced by each name
			const url = await c.path(fixture, caller, api);
			const body = c.body ? await c.body(fixture, caller, api) : undefined;
			const form = c.form ? await c.form(fixture, caller, api) : [];
			for (const { name: param, index } of params) {
				for (const name of NAMES) {
					tasks.push(async () => {
						const answer = await send(api, c, withSegment(url, index, name), body, form);
						const what = `${caller}: ${c.route}${c.title ? ` (${c.title})` : ''} with [${param}] = ${name}`;
						if (caller === 'lead') return check(what, answer, below500, '< 500');
						// an annotator: nothing in a dataset or an annotator set named so; elsewhere no more than the case allows
						const allowed = c.expect.annotator < 400 && !['slug', 'annotator'].includes(param);
						check(what, answer, allowed ? below500 : (s) => s >= 400 && s < 500, allowed ? '< 500' : '4xx');
					});
				}
			}
		}
	}
	expect(tasks.length).toBeGreaterThan(500);
	await inBatches(tasks);
	expect(problems).toEqual([]);
});

test('afterwards every page answers as before, and every page of the dataset of such names renders for its lead', async () => {
	test.setTimeout(240_000);
	const after = await pageStatuses();
	const changed = [...after].filter(([key, status]) => pagesBefore.get(key) !== status).map(([key, status]) => `${key}: ${pagesBefore.get(key)} → ${status}`);
	expect(changed).toEqual([]);
	const lead = await as('lead');
	const annotator = await as(fixture.users.annotator);
	for (const c of pageCases) {
		const params = paramsOf(c.route);
		if (!params.some((p) => p.name === 'slug')) continue;
		let url = await c.path(fixture, 'lead', lead);
		const slugAt = params.find((p) => p.name === 'slug')!.index;
		url = withSegment(url, slugAt, H.slug);
		const idAt = params.find((p) => p.name === 'id')?.index;
		for (const doc of idAt === undefined ? [null] : H.docs) {
			const target = doc === null ? url : withSegment(url, idAt!, doc);
			const res = await lead.get(target, { maxRedirects: 0 });
			check(`lead opens ${target}`, { status: res.status(), text: (await res.text()).slice(0, 300) }, url.includes('?') ? below500 : is(200), url.includes('?') ? '< 500' : '200');
			const theirs = await annotator.get(target, { maxRedirects: 0 });
			check(`annotator opens ${target}`, { status: theirs.status(), text: '' }, is(200, 403), '200 or 403');
		}
	}
	for (const page of ['/', '/login', '/account', '/admin/users', `/datasets/${H.slug}`]) {
		const res = await lead.get(page, { maxRedirects: 0 });
		check(`lead opens ${page}`, { status: res.status(), text: '' }, is(200, 303), '200');
	}
	expect(problems).toEqual([]);
});
