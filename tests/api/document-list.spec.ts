/**
 * The document list on the server (issue #20 item 4): paged by 50, filtered,
 * sorted and searched, through GET /api/datasets/{slug}/documents?… (docs/api.md).
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { apiAs, seedDataset } from '../helpers/api';

const N = 120;
const id = (i: number) => `d${String(i).padStart(3, '0')}`;
let slug: string;
let lead: APIRequestContext;
let ann1: APIRequestContext;

async function save(api: APIRequestContext, doc: string, status: string) {
	const res = await api.put(`/api/datasets/${slug}/documents/${doc}/annotations/me`, { data: { baseRevision: 0, spans: [], status } });
	expect(res.status(), await res.text()).toBe(200);
}

test.beforeAll(async () => {
	slug = await seedDataset({
		documents: Array.from({ length: N }, (_, i) => ({
			id: id(i),
			title: i % 10 === 0 ? `Visite à l’Élysée ${i}` : `Article ${i}`,
			text:
				i === 5 ? 'Hier, le préfet a parlé longuement.' : i === 6 ? 'On dit que parlé le préfet a.' : `Texte numéro ${i}, sans rien de spécial.`,
			meta: { lang: i % 2 ? 'en' : 'FR', n: i }
		}))
	});
	lead = await apiAs('lead');
	ann1 = await apiAs('ann1');
	const ann2 = await apiAs('ann2');
	await save(ann1, id(1), 'done');
	await save(ann1, id(2), 'done');
	await save(ann1, id(3), 'in_progress');
	await save(ann2, id(10), 'done');
	await ann2.dispose();
});

test.afterAll(async () => {
	await lead.dispose();
	await ann1.dispose();
});

async function list(api: APIRequestContext, query: string) {
	const res = await api.get(`/api/datasets/${slug}/documents?${query}`);
	expect(res.status(), await res.text()).toBe(200);
	return res.json();
}

test('without parameters the plain array, as always', async () => {
	const res = await lead.get(`/api/datasets/${slug}/documents`);
	const body = await res.json();
	expect(Array.isArray(body)).toBe(true);
	expect(body).toHaveLength(N);
	expect(body[0]).toEqual({ id: 'd000', title: 'Visite à l’Élysée 0', status: 'not_started' });
});

test('pages of 50 with totals; past the end is empty', async () => {
	const first = await list(lead, 'page=1');
	expect(first).toMatchObject({ total: N, page: 1, pages: 3 });
	expect(first.documents.map((d: { id: string }) => d.id)).toEqual(Array.from({ length: 50 }, (_, i) => id(i)));
	const last = await list(lead, 'page=3');
	expect(last.documents.map((d: { id: string }) => d.id)).toEqual(Array.from({ length: 20 }, (_, i) => id(100 + i)));
	expect(await list(lead, 'page=4')).toEqual({ documents: [], total: N, page: 4, pages: 3 });
});

test('search: accents and case aside, whole words, phrases, with hits', async () => {
	const elysee = await list(lead, 'q=ELYSEE');
	expect(elysee.total).toBe(12);
	expect(elysee.documents[0].hits.title).toContainEqual({ text: 'Élysée', hit: true });
	expect((await list(lead, 'q=elys')).total).toBe(0);
	const phrase = await list(lead, `q=${encodeURIComponent('"le prefet a parle"')}`);
	expect(phrase.documents.map((d: { id: string }) => d.id)).toEqual(['d005']);
	expect(phrase.documents[0].hits.snippet.filter((s: { hit: boolean }) => s.hit).map((s: { text: string }) => s.text)).toEqual(['le', 'préfet', 'a', 'parlé']);
	expect((await list(lead, 'q=prefet+parle')).documents.map((d: { id: string }) => d.id).sort()).toEqual(['d005', 'd006']);
	expect((await list(lead, 'q=__proto__')).total).toBe(0);
	expect((await list(lead, 'q=constructor')).total).toBe(0);
});

test('filters: own status, assignee and done, meta; sort', async () => {
	expect((await list(ann1, 'status=done')).documents.map((d: { id: string }) => d.id)).toEqual(['d001', 'd002']);
	expect((await list(lead, 'assignee=ann2&done=yes')).documents.map((d: { id: string }) => d.id)).toEqual(['d010']);
	expect((await list(lead, 'assignee=ann1&done=no')).documents.map((d: { id: string }) => d.id)).toEqual(['d003']);
	expect((await list(lead, 'meta.lang=fr')).total).toBe(60);
	expect((await list(lead, 'meta.lang=fr&q=elysee')).total).toBe(12);
	expect((await list(lead, 'meta.constructor=x')).total).toBe(0);
	expect((await list(lead, 'meta.n=7')).documents.map((d: { id: string }) => d.id)).toEqual(['d007']);
	const byActivity = await list(lead, 'sort=-activity');
	expect(byActivity.documents.slice(0, 4).map((d: { id: string }) => d.id)).toEqual(['d010', 'd003', 'd002', 'd001']);
	const byTitle = await list(ann1, 'sort=-title&q=elysee');
	expect(byTitle.documents.map((d: { id: string }) => d.id)).toEqual(['d110', 'd100', 'd090', 'd080', 'd070', 'd060', 'd050', 'd040', 'd030', 'd020', 'd010', 'd000']);
});

test('bad values are 400 naming the parameter; nothing else happens', async () => {
	for (const [query, message] of [
		['sort=size', /sort: one of title, status, activity/],
		['page=0', /page/],
		['status=finished', /status/],
		['colour=red', /unknown parameter: colour/],
		['__proto__=1', /unknown parameter: __proto__/],
		['disagreement=yes', /disagreement: 1/],
		[`label=${'x'.repeat(201)}`, /label: a label name of 1 to 200 characters/]
	] as const) {
		const res = await lead.get(`/api/datasets/${slug}/documents?${query}`);
		expect(res.status(), query).toBe(400);
		expect(JSON.stringify(await res.json()), query).toMatch(message);
	}
});

test('blind annotation: an annotator sees only their own work and may not filter on others’', async () => {
	// ann2 finished d010; for ann1 it is not started
	const mine = await list(ann1, 'q=elysee&status=not_started');
	expect(mine.documents.map((d: { id: string }) => d.id)).toContain('d010');
	expect(mine.documents.find((d: { id: string }) => d.id === 'd010').status).toBe('not_started');
	for (const query of ['assignee=ann2', 'assignee=ann1&done=yes']) {
		const res = await ann1.get(`/api/datasets/${slug}/documents?${query}`);
		expect(res.status(), query).toBe(403);
	}
});

test.describe('label, disagreement and agreement', () => {
	// "Le maire a dit mardi que la ville paiera.": claim [0,8) «Le maire», date [15,20) «mardi»
	const claim = { start: 0, end: 8, label: 'claim' };
	const date = { start: 15, end: 20, label: 'date' };
	let team: string;

	async function put(api: APIRequestContext, doc: string, annotator: string, spans: object[], status: string) {
		const res = await api.put(`/api/datasets/${team}/documents/${doc}/annotations/${annotator}`, { data: { baseRevision: 0, spans, status } });
		expect(res.status(), await res.text()).toBe(200);
	}
	const ids = (body: { documents: { id: string }[] }) => body.documents.map((d) => d.id);
	async function teamList(api: APIRequestContext, query: string) {
		const res = await api.get(`/api/datasets/${team}/documents?${query}`);
		expect(res.status(), await res.text()).toBe(200);
		return res.json();
	}

	test.beforeAll(async () => {
		team = await seedDataset({
			documents: Array.from({ length: 5 }, (_, i) => ({ id: `e${i}`, title: `Conseil ${i}`, text: `Le maire a dit mardi que la ville paiera (${i}).` }))
		});
		const a1 = await apiAs('ann1');
		const a2 = await apiAs('ann2');
		await put(a1, 'e0', 'me', [claim], 'done'); // e0: the same spans: agreement 1
		await put(a2, 'e0', 'me', [claim], 'done');
		await put(a1, 'e1', 'me', [claim, date], 'done'); // e1: 1 of 2 and 1 spans shared: F1 2/3
		await put(a2, 'e1', 'me', [claim], 'done');
		await put(a1, 'e2', 'me', [date], 'done'); // e2: one done set only: no figure
		await put(a2, 'e2', 'me', [claim], 'in_progress');
		await put(lead, 'e3', 'gold', [{ start: 0, end: 8, label: 'attribution' }], 'in_progress'); // e3: gold only
		await put(a1, 'e4', 'me', [], 'done'); // e4: nothing against something: 0
		await put(a2, 'e4', 'me', [date], 'done');
		await a1.dispose();
		await a2.dispose();
	});

	test('label: every label asked is on a span of anyone’s work or gold (a lead), of my own work (an annotator)', async () => {
		expect(ids(await teamList(lead, 'label=date'))).toEqual(['e1', 'e2', 'e4']);
		expect(ids(await teamList(lead, 'label=claim&label=date'))).toEqual(['e1', 'e2']);
		expect(ids(await teamList(lead, 'label=attribution'))).toEqual(['e3']);
		expect(ids(await teamList(lead, 'label=framing'))).toEqual([]);
		expect(ids(await teamList(lead, 'label=constructor'))).toEqual([]);
		const mine = await apiAs('ann1');
		const res = await mine.get(`/api/datasets/${team}/documents?label=claim`);
		expect(ids(await res.json())).toEqual(['e0', 'e1']);
		await mine.dispose();
	});

	test('disagreement: two done sets differ; agreement sorts both ways, documents without a figure last', async () => {
		expect(ids(await teamList(lead, 'disagreement=1'))).toEqual(['e1', 'e4']);
		expect(ids(await teamList(lead, 'disagreement=1&label=claim'))).toEqual(['e1']);
		const ascending = await teamList(lead, 'sort=agreement');
		expect(ids(ascending)).toEqual(['e4', 'e1', 'e0', 'e2', 'e3']);
		expect(ascending.documents.map((d: { agreement: number | null }) => d.agreement)).toEqual([0, 2 / 3, 1, null, null]);
		expect(ids(await teamList(lead, 'sort=-agreement'))).toEqual(['e0', 'e1', 'e4', 'e2', 'e3']);
		// every lead row says its figure, sorted by it or not
		expect((await teamList(lead, 'page=1')).documents.map((d: { agreement: number | null }) => d.agreement)).toEqual([1, 2 / 3, null, null, 0]);
	});

	test('blind annotation: an annotator gets no figure and may not filter or sort on the team’s agreement', async () => {
		const mine = await apiAs('ann1');
		const res = await mine.get(`/api/datasets/${team}/documents?page=1`);
		expect((await res.json()).documents.every((d: object) => !('agreement' in d))).toBe(true);
		for (const [query, message] of [
			['disagreement=1', /disagreement: filters on the team's work are for leads/],
			['sort=-agreement', /sort=agreement: filters on the team's work are for leads/]
		] as const) {
			const refused = await mine.get(`/api/datasets/${team}/documents?${query}`);
			expect(refused.status(), query).toBe(403);
			expect(await refused.text(), query).toMatch(message);
		}
		await mine.dispose();
	});
});

test('source: the documents with pre-annotations imported from that file (`import~<source>`), kept up to date by later imports', async () => {
	const imported = await seedDataset({ documents: [{ id: 's0', title: 'Typed in', text: 'Le maire parle.' }], annotators: ['ann1'] });
	const lines = (...docs: object[]) => Buffer.from(docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
	const importFile = async (filename: string, body: Buffer) => {
		const res = await lead.post(`/api/datasets/${imported}/imports?filename=${encodeURIComponent(filename)}`, {
			headers: { 'content-type': 'application/octet-stream' },
			data: body
		});
		expect(res.status(), await res.text()).toBe(200);
	};
	const spans = [{ start: 0, end: 8, label: 'claim' }];
	await importFile(
		'batch.jsonl',
		lines(
			{ id: 's1', title: 'Beta', text: 'Le maire a dit oui.', spans },
			{ id: 's2', title: 'Gamma', text: 'Sans rien dedans.' },
			{ id: 's3', title: 'Alpha', text: 'Le maire a dit non.', spans }
		)
	);
	const sourced = async (api: APIRequestContext, query: string) => {
		const res = await api.get(`/api/datasets/${imported}/documents?${query}`);
		expect(res.status(), await res.text()).toBe(200);
		return (await res.json()).documents.map((d: { id: string }) => d.id);
	};
	expect(await sourced(lead, 'source=batch.jsonl')).toEqual(['s1', 's3']);
	expect(await sourced(lead, 'source=batch.jsonl&sort=title')).toEqual(['s3', 's1']);
	expect(await sourced(lead, 'source=other.jsonl')).toEqual([]);
	expect(await sourced(lead, 'source=constructor')).toEqual([]);
	// a later import's sets are found too (after a first answer was given)
	await importFile('other.jsonl', lines({ id: 's4', title: 'Delta', text: 'Le maire se tait.', spans }));
	expect(await sourced(lead, 'source=other.jsonl')).toEqual(['s4']);
	expect(await sourced(lead, 'source=batch.jsonl')).toEqual(['s1', 's3']);
	// which file a document came with is no one's work: an annotator may filter on it too
	const mine = await apiAs('ann1');
	expect(await sourced(mine, 'source=batch.jsonl')).toEqual(['s1', 's3']);
	await mine.dispose();
});
