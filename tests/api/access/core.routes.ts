/**
 * Access cases for the core routes: auth, accounts, tokens, datasets, documents,
 * annotations, members, assignments, progress, and the pages that manage them.
 * See ./types.ts for how the table works.
 */
import type { APIRequestContext } from '@playwright/test';
import { allow, type AccessCase, type Caller, type Fixture } from './types';

/** The caller's current revision of their own set (0 when they cannot read it). */
async function ownRevision(api: APIRequestContext, f: Fixture, slug: string): Promise<number> {
	const res = await api.get(`/api/datasets/${slug}/documents/${f.docId}/annotations/me`);
	return res.ok() ? (await res.json()).revision : 0;
}

/** The current labels of a dataset as label-editor form rows (no change). */
async function unchangedLabelRows(f: Fixture, slug: string): Promise<Array<[string, string]>> {
	const res = await f.leadApi.get(`/api/datasets/${slug}`);
	const { labels } = await res.json();
	return labels.flatMap((l: { name: string; key: string; color: string; description: string }) => [
		['name', l.name],
		['key', l.key],
		['color', l.color],
		['description', l.description],
		['original', l.name]
	]);
}

/** Make sure `spare` is a member of the scratch dataset (for removal cases). */
async function spareIsMember(f: Fixture): Promise<void> {
	const res = await f.leadApi.put(`/api/datasets/${f.scratch}/members/${f.spare}`, { data: { role: 'annotator' } });
	if (!res.ok()) throw new Error(`could not add ${f.spare}: ${await res.text()}`);
}

const credentials = (f: Fixture, caller: Caller) => ({
	username: caller === 'anonymous' ? f.spare : f.users[caller],
	password: f.password
});

export const cases: AccessCase[] = [
	// ---- authentication
	{ route: 'POST /api/login', path: () => '/api/login', body: credentials, expect: allow.everyone(200) },
	{ route: 'POST /api/logout', path: () => '/api/logout', freshSession: true, expect: allow.everyone(200) },
	{ route: 'GET /api/me', path: () => '/api/me', expect: allow.users() },
	{ route: 'PUT /api/me/preferences', path: () => '/api/me/preferences', body: () => ({ density: 'comfortable' }), expect: allow.users() },
	{ route: 'PAGE /login', path: () => '/login', expect: { anonymous: 200, outsider: 303, annotator: 303, lead: 303 } },
	{
		route: 'ACTION /login',
		path: () => '/login',
		form: (f, caller) => Object.entries(credentials(f, caller)),
		expect: allow.everyone(303),
		location: { anonymous: /^\/$/, outsider: /^\/$/, annotator: /^\/$/, lead: /^\/$/ }
	},
	{
		route: 'PAGE /logout',
		path: () => '/logout',
		expect: allow.everyone(303),
		location: { anonymous: /^\/$/, outsider: /^\/$/, annotator: /^\/$/, lead: /^\/$/ }
	},
	{
		route: 'ACTION /logout',
		path: () => '/logout',
		form: () => [],
		freshSession: true,
		expect: allow.everyone(303),
		location: { anonymous: /^\/login$/, outsider: /^\/login$/, annotator: /^\/login$/, lead: /^\/login$/ }
	},

	// ---- accounts (leads) and tokens (everyone, their own)
	{ route: 'GET /api/users', path: () => '/api/users', expect: allow.leads() },
	{
		route: 'POST /api/users',
		path: () => '/api/users',
		body: (f) => ({ username: f.unique('u'), password: 'a-long-password', role: 'annotator' }),
		expect: allow.leads(201)
	},
	{ route: 'PATCH /api/users/[username]', path: (f) => `/api/users/${f.spare}`, body: () => ({ role: 'annotator' }), expect: allow.leads() },
	{ route: 'GET /api/tokens', path: () => '/api/tokens', expect: allow.users() },
	{ route: 'POST /api/tokens', path: () => '/api/tokens', body: () => ({ name: 'access table' }), expect: allow.users(201) },
	{
		route: 'DELETE /api/tokens/[id]',
		title: 'revoke your own token',
		path: async (_f, caller, api) => {
			if (caller === 'anonymous') return '/api/tokens/000000000000';
			const res = await api.post('/api/tokens', { data: { name: 'to revoke' } });
			return `/api/tokens/${(await res.json()).id}`;
		},
		expect: allow.users()
	},
	{
		route: 'DELETE /api/tokens/[id]',
		title: "someone else's token is not found",
		path: async (f) => {
			const res = await f.leadApi.post('/api/tokens', { data: { name: 'not yours' } });
			return `/api/tokens/${(await res.json()).id}`;
		},
		expect: { anonymous: 401, outsider: 404, annotator: 404, lead: 200 }
	},
	{ route: 'PAGE /account', path: () => '/account', expect: allow.pageUsers() },
	{ route: 'ACTION /account', title: '?/createToken', path: () => '/account?/createToken', form: () => [['name', 'from the page']], expect: allow.pageUsers() },
	{
		route: 'ACTION /account',
		title: '?/revokeToken (own token)',
		path: () => '/account?/revokeToken',
		form: async (_f, caller, api) => {
			if (caller === 'anonymous') return [['id', '000000000000']];
			const res = await api.post('/api/tokens', { data: { name: 'to revoke from the page' } });
			return [['id', (await res.json()).id]];
		},
		expect: allow.pageUsers()
	},
	{
		route: 'ACTION /account',
		title: "?/revokeToken (someone else's token)",
		path: () => '/account?/revokeToken',
		form: async (f) => {
			const res = await f.leadApi.post('/api/tokens', { data: { name: 'not yours either' } });
			return [['id', (await res.json()).id]];
		},
		expect: { anonymous: 303, outsider: 404, annotator: 404, lead: 200 }
	},
	{
		route: 'ACTION /account',
		title: '?/password with a wrong current password',
		path: () => '/account?/password',
		form: () => [
			['current', 'not-my-password'],
			['password', 'a-new-password']
		],
		expect: allow.pageUsers(400)
	},
	{ route: 'PAGE /admin/users', path: () => '/admin/users', expect: allow.pageLeads() },
	{
		route: 'ACTION /admin/users',
		title: '?/create',
		path: () => '/admin/users?/create',
		form: (f) => [
			['username', f.unique('p')],
			['password', 'a-long-password'],
			['role', 'annotator']
		],
		expect: allow.pageLeads()
	},
	{ route: 'ACTION /admin/users', title: '?/role', path: () => '/admin/users?/role', form: (f) => [['username', f.spare], ['role', 'annotator']], expect: allow.pageLeads() },
	{
		route: 'ACTION /admin/users',
		title: '?/password',
		path: () => '/admin/users?/password',
		form: (f) => [['username', f.spare], ['password', f.password]],
		expect: allow.pageLeads()
	},
	{ route: 'ACTION /admin/users', title: '?/active', path: () => '/admin/users?/active', form: (f) => [['username', f.spare], ['active', 'true']], expect: allow.pageLeads() },

	// ---- datasets
	{ route: 'GET /api/datasets', path: () => '/api/datasets', expect: allow.users() },
	{ route: 'POST /api/datasets', path: () => '/api/datasets', body: (f) => ({ slug: f.unique('ds'), title: 'Access table' }), expect: allow.leads(201) },
	{ route: 'GET /api/datasets/[slug]', path: (f) => `/api/datasets/${f.slug}`, expect: allow.members() },
	{
		route: 'GET /api/datasets/[slug]',
		title: 'a dataset that does not exist: non-leads cannot probe names',
		path: () => '/api/datasets/no-such-dataset',
		expect: { anonymous: 401, outsider: 403, annotator: 403, lead: 404 }
	},
	{ route: 'PATCH /api/datasets/[slug]', path: (f) => `/api/datasets/${f.scratch}`, body: () => ({ description: 'patched' }), expect: allow.leads() },
	{ route: 'PAGE /', path: () => '/', expect: allow.pageUsers() },
	{ route: 'PAGE /datasets/new', path: () => '/datasets/new', expect: allow.pageLeads() },
	{
		route: 'ACTION /datasets/new',
		path: () => '/datasets/new',
		form: (f) => [
			['slug', f.unique('nd')],
			['title', 'From the form']
		],
		expect: allow.pageLeads(303),
		location: { lead: /^\/datasets\/nd-[a-z0-9-]+\/settings/ }
	},
	{ route: 'PAGE /datasets/[slug]', path: (f) => `/datasets/${f.slug}`, expect: allow.pageMembers() },
	{ route: 'PAGE /datasets/[slug]/settings', path: (f) => `/datasets/${f.slug}/settings`, expect: allow.pageLeads() },
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/details',
		path: (f) => `/datasets/${f.scratch}/settings?/details`,
		form: () => [['title', 'Scratch'], ['description', 'changed by the access table']],
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/labels (unchanged)',
		path: (f) => `/datasets/${f.scratch}/settings?/labels`,
		form: (f) => unchangedLabelRows(f, f.scratch),
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/guidelines',
		path: (f) => `/datasets/${f.scratch}/settings?/guidelines`,
		form: () => [['guidelines', '# Guidelines\n\nTag claims.']],
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/addMember',
		path: (f) => `/datasets/${f.scratch}/settings?/addMember`,
		form: (f) => [['username', f.spare], ['role', 'annotator']],
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/setRole',
		path: async (f) => {
			await spareIsMember(f);
			return `/datasets/${f.scratch}/settings?/setRole`;
		},
		form: (f) => [['username', f.spare], ['role', 'annotator']],
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/removeMember',
		path: async (f) => {
			await spareIsMember(f);
			return `/datasets/${f.scratch}/settings?/removeMember`;
		},
		form: (f) => [['username', f.spare]],
		expect: allow.pageLeads()
	},

	// ---- members
	{
		route: 'PUT /api/datasets/[slug]/members/[username]',
		path: (f) => `/api/datasets/${f.scratch}/members/${f.spare}`,
		body: () => ({ role: 'annotator' }),
		expect: allow.leads()
	},
	{
		route: 'DELETE /api/datasets/[slug]/members/[username]',
		path: async (f) => {
			await spareIsMember(f);
			return `/api/datasets/${f.scratch}/members/${f.spare}`;
		},
		expect: allow.leads()
	},

	// ---- documents and annotations
	{ route: 'GET /api/datasets/[slug]/documents', path: (f) => `/api/datasets/${f.slug}/documents`, expect: allow.members() },
	{
		route: 'POST /api/datasets/[slug]/documents',
		path: (f) => `/api/datasets/${f.scratch}/documents`,
		body: (f) => JSON.stringify({ id: f.unique('imp'), text: `Imported by the access table ${f.unique('t')}.` }) + '\n',
		contentType: 'application/x-ndjson',
		expect: allow.leads()
	},
	{ route: 'GET /api/datasets/[slug]/documents/[id]', path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}`, expect: allow.members() },
	{
		route: 'GET /api/datasets/[slug]/documents/[id]',
		title: 'a document outside the annotator’s queue',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.hiddenDocId}`,
		expect: allow.leads()
	},
	{ route: 'PAGE /datasets/[slug]/documents/[id]', path: (f) => `/datasets/${f.slug}/documents/${f.docId}`, expect: allow.pageMembers() },
	{
		route: 'PAGE /datasets/[slug]/documents/[id]',
		title: 'a document outside the annotator’s queue',
		path: (f) => `/datasets/${f.slug}/documents/${f.hiddenDocId}`,
		expect: allow.pageLeads()
	},
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/annotations/[annotator]',
		title: 'your own set (me)',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/me`,
		expect: allow.members()
	},
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/annotations/[annotator]',
		title: "the annotator's set, by name",
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/${f.users.annotator}`,
		expect: allow.members()
	},
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/annotations/[annotator]',
		title: "someone else's set (gold): annotation is blind",
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/gold`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/annotations/[annotator]/revisions',
		title: 'your own history (me)',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/me/revisions`,
		expect: allow.members()
	},
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/annotations/[annotator]/revisions',
		title: "someone else's history (gold)",
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/gold/revisions`,
		expect: allow.leads()
	},
	{
		route: 'PUT /api/datasets/[slug]/documents/[id]/annotations/[annotator]',
		title: 'your own set (me)',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/me`,
		body: async (f, _caller, api) => ({ baseRevision: await ownRevision(api, f, f.slug), spans: [], relations: [], status: 'in_progress' }),
		expect: allow.members()
	},
	{
		route: 'PUT /api/datasets/[slug]/documents/[id]/annotations/[annotator]',
		title: "an annotator's set: leads do not edit others' work",
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/${f.users.annotator}`,
		body: async (f, _caller, api) => ({ baseRevision: await ownRevision(api, f, f.slug), spans: [], relations: [], status: 'in_progress' }),
		expect: { anonymous: 401, outsider: 403, annotator: 200, lead: 403 }
	},
	{
		route: 'PUT /api/datasets/[slug]/documents/[id]/annotations/[annotator]',
		title: 'your own set with a relation, a span source and a dismissed suggestion (issue #17)',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/annotations/me`,
		// "Article A of …": «Article» the attribution, «A» the claim (source-of is a default relation type)
		body: async (f, _caller, api) => ({
			baseRevision: await ownRevision(api, f, f.slug),
			spans: [
				{ start: 0, end: 7, label: 'attribution' },
				{ start: 8, end: 9, label: 'claim', source: 'lexicon' }
			],
			relations: [{ from: 0, to: 1, label: 'source-of' }],
			dismissed: [{ start: 0, end: 7, label: 'date', source: 'dates' }],
			status: 'in_progress'
		}),
		expect: allow.members()
	},
	{
		route: 'PATCH /api/datasets/[slug]',
		title: 'relation types (issue #17)',
		path: (f) => `/api/datasets/${f.scratch}`,
		body: () => ({
			relationTypes: [
				{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] },
				{ name: 'cites', key: 'c', from: ['claim', 'attribution'], to: ['claim'] }
			]
		}),
		expect: allow.leads()
	},

	// ---- assignments and progress (dataset leads)
	{ route: 'GET /api/datasets/[slug]/assignments', path: (f) => `/api/datasets/${f.slug}/assignments`, expect: allow.leads() },
	{
		route: 'POST /api/datasets/[slug]/assignments',
		path: (f) => `/api/datasets/${f.scratch}/assignments`,
		body: (f) => ({ mode: 'manual', documentId: f.docId, annotators: [f.users.annotator] }),
		expect: allow.leads()
	},
	{ route: 'PAGE /datasets/[slug]/assignments', path: (f) => `/datasets/${f.slug}/assignments`, expect: allow.pageLeads() },
	{
		route: 'ACTION /datasets/[slug]/assignments',
		title: '?/auto',
		path: (f) => `/datasets/${f.scratch}/assignments?/auto`,
		form: (f) => [['annotatorsPerDocument', '1'], ['scope', 'all'], ['annotators', f.users.annotator]],
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/assignments',
		title: '?/manual',
		path: (f) => `/datasets/${f.scratch}/assignments?/manual`,
		form: (f) => [['documentId', f.docId], ['annotators', f.users.annotator]],
		expect: allow.pageLeads()
	},
	{ route: 'ACTION /datasets/[slug]/assignments', title: '?/everyone', path: (f) => `/datasets/${f.scratch}/assignments?/everyone`, form: () => [], expect: allow.pageLeads() },
	{ route: 'GET /api/datasets/[slug]/progress', path: (f) => `/api/datasets/${f.slug}/progress`, expect: allow.leads() },
	{ route: 'PAGE /datasets/[slug]/progress', path: (f) => `/datasets/${f.slug}/progress`, expect: allow.pageLeads() }
];
