/**
 * Access cases for prediction runs and evaluations: dataset leads only
 * (annotators never see predictions or reports), for the API, the page, its
 * upload action and the error browser's document view. See ./types.ts.
 */
import { allow, type AccessCase, type Fixture } from './types';

/** Gold on the scratch dataset's document, so that an evaluation against the current gold has a reference. */
async function scratchHasGold(f: Fixture): Promise<void> {
	const url = `/api/datasets/${f.scratch}/documents/${f.docId}/annotations/gold`;
	const current = await (await f.leadApi.get(url)).json();
	if (current.revision > 0) return;
	const res = await f.leadApi.put(url, {
		data: { baseRevision: current.revision, spans: [{ start: 0, end: 7, label: 'claim' }], status: 'done' }
	});
	if (!res.ok()) throw new Error(`could not save gold: ${await res.text()}`);
}

let firstRun: Promise<string> | null = null;

/** A prediction run of the scratch dataset, uploaded once. */
function aRun(f: Fixture): Promise<string> {
	firstRun ??= (async () => {
		await scratchHasGold(f);
		const run = f.unique('run');
		const res = await f.leadApi.post(`/api/datasets/${f.scratch}/predictions?run=${run}`, {
			headers: { 'content-type': 'application/x-ndjson' },
			data: JSON.stringify({ doc_id: f.docId, spans: [{ start: 0, end: 7, label: 'claim' }] }) + '\n'
		});
		if (res.status() !== 201) throw new Error(`could not upload a run: ${await res.text()}`);
		return run;
	})();
	return firstRun;
}

const line = (f: Fixture) => JSON.stringify({ doc_id: f.docId, spans: [{ start: 0, end: 7, label: 'claim', text: 'Article' }] }) + '\n';

export const cases: AccessCase[] = [
	{ route: 'GET /api/datasets/[slug]/predictions', path: (f) => `/api/datasets/${f.slug}/predictions`, expect: allow.leads() },
	{
		route: 'POST /api/datasets/[slug]/predictions',
		path: (f) => `/api/datasets/${f.scratch}/predictions?run=${f.unique('up')}`,
		body: (f) => line(f),
		contentType: 'application/x-ndjson',
		expect: allow.leads(201)
	},
	{
		route: 'POST /api/datasets/[slug]/predictions',
		title: 'a name already taken: 409 for leads only',
		path: async (f) => `/api/datasets/${f.scratch}/predictions?run=${await aRun(f)}`,
		body: (f) => line(f),
		contentType: 'application/x-ndjson',
		expect: allow.leads(409)
	},
	{
		route: 'GET /api/datasets/[slug]/evaluations',
		path: async (f) => `/api/datasets/${f.scratch}/evaluations?run=${await aRun(f)}&against=gold&resamples=50`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/evaluations',
		title: 'as CSV',
		path: async (f) => `/api/datasets/${f.scratch}/evaluations?run=${await aRun(f)}&against=gold&resamples=50&format=csv`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/evaluations',
		title: 'a run that does not exist: 404 for leads only',
		path: (f) => `/api/datasets/${f.slug}/evaluations?run=no-such-run&against=gold`,
		expect: allow.leads(404)
	},
	{ route: 'PAGE /datasets/[slug]/evaluations', path: (f) => `/datasets/${f.slug}/evaluations`, expect: allow.pageLeads() },
	{
		route: 'PAGE /datasets/[slug]/evaluations',
		title: 'with a report',
		path: async (f) => `/datasets/${f.scratch}/evaluations?run=${await aRun(f)}&against=gold&resamples=50`,
		expect: allow.pageLeads()
	},
	{
		route: 'ACTION /datasets/[slug]/evaluations',
		title: '?/upload (pasted NDJSON)',
		path: (f) => `/datasets/${f.scratch}/evaluations?/upload`,
		form: (f) => [
			['run', f.unique('form')],
			['predictions', line(f)]
		],
		expect: allow.pageLeads()
	},
	{
		route: 'PAGE /datasets/[slug]/evaluations/[id]',
		path: async (f) => `/datasets/${f.scratch}/evaluations/${f.docId}?run=${await aRun(f)}&against=gold`,
		expect: allow.pageLeads()
	}
];
