/**
 * Access cases for agreement and review (adjudication): dataset leads only.
 * See ./types.ts for how the table works.
 */
import { allow, type AccessCase } from './types';

export const cases: AccessCase[] = [
	{ route: 'GET /api/datasets/[slug]/agreement', path: (f) => `/api/datasets/${f.slug}/agreement`, expect: allow.leads() },
	{ route: 'GET /api/datasets/[slug]/agreement', title: 'CSV export', path: (f) => `/api/datasets/${f.slug}/agreement?format=csv`, expect: allow.leads() },
	{ route: 'PAGE /datasets/[slug]/agreement', path: (f) => `/datasets/${f.slug}/agreement`, expect: allow.pageLeads() },
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/review',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/review`,
		expect: allow.leads()
	},
	{ route: 'PAGE /datasets/[slug]/review/[id]', path: (f) => `/datasets/${f.slug}/review/${f.docId}`, expect: allow.pageLeads() }
];
