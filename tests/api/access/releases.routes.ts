/**
 * Access cases for releases: dataset leads only, for the API, the pages and the
 * "cut a release" action. See ./types.ts for how the table works.
 */
import { allow, type AccessCase, type Fixture } from './types';

/** Gold on the scratch dataset's document, so that a release of source "gold" has something to export. */
async function scratchHasGold(f: Fixture): Promise<void> {
	const url = `/api/datasets/${f.scratch}/documents/${f.docId}/annotations/gold`;
	const current = await (await f.leadApi.get(url)).json();
	if (current.revision > 0) return;
	const res = await f.leadApi.put(url, {
		data: { baseRevision: current.revision, spans: [{ start: 0, end: 7, label: 'claim' }], status: 'done' }
	});
	if (!res.ok()) throw new Error(`could not save gold: ${await res.text()}`);
}

let firstRelease: Promise<string> | null = null;

/** The name of a release of the scratch dataset, cut once. */
function aRelease(f: Fixture): Promise<string> {
	firstRelease ??= (async () => {
		await scratchHasGold(f);
		const res = await f.leadApi.post(`/api/datasets/${f.scratch}/releases`, { data: { source: 'gold', note: 'access table' } });
		if (res.status() !== 201) throw new Error(`could not cut a release: ${await res.text()}`);
		return (await res.json()).name as string;
	})();
	return firstRelease;
}

export const cases: AccessCase[] = [
	{ route: 'GET /api/datasets/[slug]/releases', path: (f) => `/api/datasets/${f.slug}/releases`, expect: allow.leads() },
	{
		route: 'POST /api/datasets/[slug]/releases',
		path: async (f) => {
			await scratchHasGold(f);
			return `/api/datasets/${f.scratch}/releases`;
		},
		body: () => ({ source: 'gold', note: 'from the access table' }),
		expect: allow.leads(201)
	},
	{
		route: 'GET /api/datasets/[slug]/releases/[version]',
		path: async (f) => `/api/datasets/${f.scratch}/releases/${await aRelease(f)}`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/releases/[version]',
		title: 'converted (?format=conll)',
		path: async (f) => `/api/datasets/${f.scratch}/releases/${await aRelease(f)}?format=conll`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/releases/[version]/manifest',
		path: async (f) => `/api/datasets/${f.scratch}/releases/${await aRelease(f)}/manifest`,
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/releases/[version]/diff/[other]',
		path: async (f) => {
			const v = await aRelease(f);
			return `/api/datasets/${f.scratch}/releases/${v}/diff/${v}`;
		},
		expect: allow.leads()
	},
	{
		route: 'GET /api/datasets/[slug]/releases/[version]/manifest',
		title: 'a release that does not exist: 404 for leads only',
		path: (f) => `/api/datasets/${f.slug}/releases/v9999/manifest`,
		expect: allow.leads(404)
	},
	{ route: 'PAGE /datasets/[slug]/releases', path: (f) => `/datasets/${f.slug}/releases`, expect: allow.pageLeads() },
	{
		route: 'ACTION /datasets/[slug]/releases',
		title: '?/cut',
		path: async (f) => {
			await scratchHasGold(f);
			return `/datasets/${f.scratch}/releases?/cut`;
		},
		form: () => [
			['source', 'gold'],
			['note', 'from the page'],
			// the page asks before cutting a release identical to the last one (issue #15 item 18); this case is about who may cut
			['confirm', 'unchanged']
		],
		expect: allow.pageLeads()
	},
	{
		route: 'PAGE /datasets/[slug]/releases/diff',
		path: async (f) => {
			const v = await aRelease(f);
			return `/datasets/${f.scratch}/releases/diff?a=${v}&b=${v}`;
		},
		expect: allow.pageLeads()
	}
];
