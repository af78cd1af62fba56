/**
 * Access cases for imports: dataset leads only, for both import endpoints, the
 * import page and its form action. See ./types.ts for how the table works.
 */
import { allow, type AccessCase } from './types';

export const cases: AccessCase[] = [
	{
		route: 'POST /api/datasets/[slug]/imports',
		title: 'raw body, ?filename=',
		path: (f) => `/api/datasets/${f.scratch}/imports?filename=${f.unique('note')}.txt`,
		body: (f) => `A note imported by the access table ${f.unique('t')}.\n`,
		contentType: 'application/octet-stream',
		expect: allow.leads()
	},
	{
		route: 'POST /api/datasets/[slug]/imports',
		title: 'a dataset the lead cannot import into (does not exist)',
		path: () => `/api/datasets/no-such-dataset-here/imports?filename=x.txt`,
		body: () => 'Text.\n',
		contentType: 'application/octet-stream',
		expect: { anonymous: 401, outsider: 403, annotator: 403, lead: 404 }
	},
	{ route: 'PAGE /datasets/[slug]/import', path: (f) => `/datasets/${f.slug}/import`, expect: allow.pageLeads() },
	{
		route: 'ACTION /datasets/[slug]/import',
		title: 'the no-JavaScript form, sent without files: 400 for leads',
		path: (f) => `/datasets/${f.scratch}/import`,
		form: () => [['addLabels', '1']],
		expect: allow.pageLeads(400)
	}
];
