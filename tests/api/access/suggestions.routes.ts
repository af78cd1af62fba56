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
