/**
 * Access cases for the document list's query (issue #20 item 4). See ./types.ts.
 */
import { allow, type AccessCase } from './types';

export const cases: AccessCase[] = [
	{
		route: 'GET /api/datasets/[slug]/documents',
		title: 'searched and paged',
		path: (f) => `/api/datasets/${f.slug}/documents?q=text&page=1`,
		expect: allow.members()
	},
	{
		route: 'GET /api/datasets/[slug]/documents',
		title: 'a filter on the team’s work (leads only)',
		path: (f) => `/api/datasets/${f.slug}/documents?assignee=${f.users.annotator}`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/documents',
		title: 'the label filter (an annotator’s on their own work)',
		path: (f) => `/api/datasets/${f.slug}/documents?label=claim`,
		expect: allow.members()
	},
	{
		route: 'GET /api/datasets/[slug]/documents',
		title: 'has disagreement (the team’s work: leads only)',
		path: (f) => `/api/datasets/${f.slug}/documents?disagreement=1`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/documents',
		title: 'sorted by agreement (the team’s work: leads only)',
		path: (f) => `/api/datasets/${f.slug}/documents?sort=-agreement`,
		expect: allow.leads()
	},
	{
		route: 'PAGE /datasets/[slug]',
		title: 'has disagreement, sorted by agreement (leads only)',
		path: (f) => `/datasets/${f.slug}?disagreement=1&sort=agreement`,
		expect: allow.pageLeads()
	},
	{
		route: 'PAGE /datasets/[slug]',
		title: 'searched and paged',
		path: (f) => `/datasets/${f.slug}?q=text&sort=-title&page=1`,
		expect: allow.pageMembers()
	}
];
