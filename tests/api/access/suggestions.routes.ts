import { allow, type AccessCase } from './types';

/** Suggestions: the same access as the document they are for. */
export const cases: AccessCase[] = [
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/suggestions',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.docId}/suggestions`,
		expect: allow.members()
	},
	{
		route: 'GET /api/datasets/[slug]/documents/[id]/suggestions',
		title: 'a document outside the annotator’s queue',
		path: (f) => `/api/datasets/${f.slug}/documents/${f.hiddenDocId}/suggestions`,
		expect: allow.leads()
	}
];

/** Suggestion settings and the gazetteer (issue #18): leads of the dataset only; changes go to the scratch dataset. */
cases.push(
	{
		route: 'GET /api/datasets/[slug]/suggestion-settings',
		path: (f) => `/api/datasets/${f.slug}/suggestion-settings`,
		expect: allow.leads()
	},
	{
		route: 'PUT /api/datasets/[slug]/suggestion-settings',
		path: (f) => `/api/datasets/${f.scratch}/suggestion-settings`,
		body: () => ({ suggestions: { dates: true, cues: true } }),
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/gazetteer',
		path: (f) => `/api/datasets/${f.slug}/gazetteer`,
		expect: allow.leads()
	},
	{
		route: 'PUT /api/datasets/[slug]/gazetteer',
		path: (f) => `/api/datasets/${f.scratch}/gazetteer`,
		body: () => 'le maire\tattribution\n',
		contentType: 'text/tab-separated-values',
		expect: allow.leads()
	},
	{
		route: 'DELETE /api/datasets/[slug]/gazetteer',
		path: (f) => `/api/datasets/${f.scratch}/gazetteer`,
		expect: allow.leads()
	}
);

/** Settings → Suggestions: the settings page's form actions, leads only. */
cases.push(
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/suggestions',
		path: (f) => `/datasets/${f.scratch}/settings?/suggestions`,
		form: () => [['source', 'dates'], ['source', 'lexicon'], ['source', 'cues'], ['correction', '']],
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/settings',
		title: '?/removeGazetteer',
		path: (f) => `/datasets/${f.scratch}/settings?/removeGazetteer`,
		form: () => [],
		expect: allow.pageLeads()
	}
);
