/**
 * Access cases for agreement and review: dataset leads only, for the API (JSON
 * and CSV), the review data (gold with its rejections) and both pages. See
 * ./types.ts for how the table works.
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
	{
		route: 'PUT /api/datasets/[slug]/documents/[id]/annotations/[annotator]',
		title: 'gold with rejections: leads adjudicate, annotators do not',
		path: (f) => `/api/datasets/${f.scratch}/documents/${f.docId}/annotations/gold`,
		body: async (f, _caller, api) => {
			const current = await api.get(`/api/datasets/${f.scratch}/documents/${f.docId}/annotations/gold`);
			// "Article" stays in gold (a gold release has something to export), "A" is rejected
			return {
				baseRevision: current.ok() ? (await current.json()).revision : 0,
				spans: [{ start: 0, end: 7, label: 'claim' }],
				rejected: [{ start: 8, end: 9, label: 'claim' }]
			};
		},
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
