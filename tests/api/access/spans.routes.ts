/**
 * Access cases for "find spans" across a dataset (issue #20 item 4). See ./types.ts.
 */
import { allow, type AccessCase } from './types';

export const cases: AccessCase[] = [
	{
		route: 'GET /api/datasets/[slug]/spans',
		title: 'by label and text (an annotator: their own spans)',
		path: (f) => `/api/datasets/${f.slug}/spans?label=claim&text=the&page=1`,
		expect: allow.members()
	},
	{
		route: 'GET /api/datasets/[slug]/spans',
		title: 'someone else’s spans (leads only: annotation is blind)',
		path: (f) => `/api/datasets/${f.slug}/spans?annotator=${f.users.lead}`,
		expect: allow.leads()
	},
	{
		route: 'PAGE /datasets/[slug]/spans',
		title: 'the find-spans page, with a query',
		path: (f) => `/datasets/${f.slug}/spans?text=the`,
		expect: allow.pageMembers()
	}
];
