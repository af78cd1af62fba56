/**
 * Issue #14 item 8, against the real server: names are stored NFC and trimmed,
 * and a name that differs from an existing one only by case, whitespace or a
 * look-alike character is refused with a message naming the existing one.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { PASSWORD, apiAs, uniqueSlug } from '../helpers/api';

const ndjson = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const label = (name: string, key: string) => ({ name, key, color: '#336699', description: '' });
const DEFAULTS = [label('claim', '1'), label('attribution', '2'), label('framing', '3'), label('date', '4')];
/** the labels as the API answers them: each says which attributes it has (none here) */
const STORED = DEFAULTS.map((l) => ({ ...l, attributes: [] }));

let lead: APIRequestContext;

test.beforeAll(async () => {
	lead = await apiAs('lead');
});

test.afterAll(async () => {
	await lead.dispose();
});

async function newDataset(): Promise<string> {
	const slug = uniqueSlug('names');
	const res = await lead.post('/api/datasets', { data: { slug, title: slug, labels: DEFAULTS } });
	expect(res.status(), await res.text()).toBe(201);
	return slug;
}

test('label names are stored NFC and trimmed, keys lower-cased', async () => {
	const slug = await newDataset();
	const res = await lead.patch(`/api/datasets/${slug}`, { data: { labels: [...DEFAULTS, label(' re\u0301sume\u0301 ', 'R ')] } });
	expect(res.status(), await res.text()).toBe(200);
	const stored = (await (await lead.get(`/api/datasets/${slug}`)).json()).labels.at(-1);
	expect(stored).toMatchObject({ name: 'résumé', key: 'r' });
	expect(stored.name).toBe('r\u00e9sum\u00e9');
});

test('a label that reads like an existing one is refused with 400 naming it, and nothing changes', async () => {
	const slug = await newDataset();
	for (const twin of ['Claim', 'claim ', 'cla im', '\u0441laim', 'CLAIM', 'd\u0430te']) {
		const res = await lead.patch(`/api/datasets/${slug}`, { data: { labels: [...DEFAULTS, label(twin, '5')] } });
		expect(res.status(), twin).toBe(400);
		const existing = twin.toLowerCase().includes('te') ? 'date' : 'claim';
		const message = (await res.json()).error as string;
		// "claim " trims to "claim": then it is simply the same name twice
		expect(message, twin).toMatch(twin === 'claim ' ? /label "claim" appears twice/ : new RegExp(`looks like the existing label "${existing}"`));
	}
	const created = await lead.post('/api/datasets', { data: { slug: uniqueSlug('names'), title: 'x', labels: [label('claim', '1'), label('\u0441laim', '2')] } });
	expect(created.status()).toBe(400);
	expect((await created.json()).error).toMatch(/label "\u0441laim" looks like the existing label "claim"/);
	expect((await (await lead.get(`/api/datasets/${slug}`)).json()).labels).toEqual(STORED);
});

test('an import adding labels refuses a look-alike of a dataset label, and a label map onto it works', async () => {
	const slug = await newDataset();
	const body = ndjson({ id: 'n1', text: 'The minister said taxes would fall.', spans: [{ start: 4, end: 12, label: '\u0441laim' }] });
	const refused = await lead.post(`/api/datasets/${slug}/documents?addLabels=1`, { headers: { 'content-type': 'application/x-ndjson' }, data: body });
	expect(refused.status()).toBe(400);
	expect((await refused.json()).errors).toEqual([
		expect.objectContaining({ line: 1, message: expect.stringMatching(/^label "\u0441laim" looks like the existing label "claim".*labelMap=\u0441laim:claim/) })
	]);
	const mapped = await lead.post(`/api/datasets/${slug}/documents?labelMap=${encodeURIComponent('\u0441laim:claim')}`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: body
	});
	expect(mapped.status(), await mapped.text()).toBe(200);
	// a label with stray spaces in the file is the dataset's label
	const spaced = ndjson({ id: 'n2', text: 'On Monday the mayor spoke.', spans: [{ start: 3, end: 9, label: ' date ' }] });
	const res = await lead.post(`/api/datasets/${slug}/documents`, { headers: { 'content-type': 'application/x-ndjson' }, data: spaced });
	expect(res.status(), await res.text()).toBe(200);
	const pre = await (await lead.get(`/api/datasets/${slug}/documents/n2/annotations/import~documents.jsonl`)).json();
	expect(pre.spans.map((s: { label: string; text: string }) => [s.label, s.text])).toEqual([['date', 'Monday']]);
	expect((await (await lead.get(`/api/datasets/${slug}`)).json()).labels).toEqual(STORED);
});

test('a username or a dataset slug that reads like an existing one is refused with 409 naming it', async () => {
	for (const [username, existing] of [['annl', 'ann1'], ['1ead', 'lead'], ['ann2 ', null]] as const) {
		const res = await lead.post('/api/users', { data: { username, password: PASSWORD, role: 'annotator' } });
		if (existing === null) {
			expect(res.status(), username).toBe(400); // spaces are no username characters
			continue;
		}
		expect(res.status(), username).toBe(409);
		expect((await res.json()).error).toMatch(new RegExp(`user "${username}" looks like the existing user "${existing}"`));
	}
	const slug = uniqueSlug('names-s0');
	expect((await lead.post('/api/datasets', { data: { slug, title: 'x' } })).status()).toBe(201);
	const twin = slug.replace('names-s0', 'names-so');
	const res = await lead.post('/api/datasets', { data: { slug: twin, title: 'y' } });
	expect(res.status()).toBe(409);
	expect((await res.json()).error).toMatch(new RegExp(`dataset "${twin}" looks like the existing dataset "${slug}"`));
});
