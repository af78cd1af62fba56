/**
 * Access cases for agreement and review: dataset leads only, for the API (JSON
 * and CSV), the review data and both pages. See ./types.ts for how the table works.
 */
import { allow, type AccessCase } from './types';

export const cases: AccessCase[] = [
	{ route: 'GET /api/datasets/[slug]/agreement', path: (f) => `/api/datasets/${f.slug}/agreement`, expect: allow.leads() },
	{
		route: 'GET /api/datasets/[slug]/agreement',
		title: 'pairs as CSV',
		path: (f) => `/api/datasets/${f.slug}/agreement?format=csv`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/review',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/review`,
		expect: allow.leads()
	},
	{ route: 'PAGE /datasets/[slug]/agreement', path: (f) => `/datasets/${f.slug}/agreement`, expect: allow.pageLeads() },
	{
		route: 'PAGE /datasets/[slug]/review/[id]',
		title: 'a document in the annotator queue',
		path: (f) => `/datasets/${f.slug}/review/${f.docId}`,
		expect: allow.pageLeads()
	}
];
