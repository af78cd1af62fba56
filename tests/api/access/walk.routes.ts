/**
 * Access cases for the form actions and routes added by issue #15's
 * walkthrough stories. See ./types.ts for how the table works.
 */
import { allow, type AccessCase } from './types';

export const cases: AccessCase[] = [
	{
		route: 'ACTION /datasets/[slug]/assignments',
		title: '?/stop',
		path: (f) => `/datasets/${f.scratch}/assignments?/stop`,
		form: () => [],
		expect: allow.pageLeads()
	},
	{ route: 'DELETE /api/users/[username]/lock', path: (f) => `/api/users/${f.spare}/lock`, expect: allow.leads() },
	{
		route: 'ACTION /admin/users',
		title: '?/unlock',
		path: () => '/admin/users?/unlock',
		form: (f) => [['username', f.spare]],
		expect: allow.pageLeads()
	}
];
