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
		route: 'PAGE /datasets/[slug]',
		title: 'searched and paged',
		path: (f) => `/datasets/${f.slug}?q=text&sort=-title&page=1`,
		expect: allow.pageMembers()
	}
];
