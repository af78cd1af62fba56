/**
 * Date suggestions over HTTP: the temporal tagger's TIMEX3 expressions for the
 * caller's document, relative to its meta.date, minus what the caller already
 * tagged (and only that: another annotator's spans change nothing).
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { apiAs, seedDataset } from '../helpers/api';

const TEXT = fs.readFileSync('datasets/samples/fr-glilot-2024-05-04.txt', 'utf8');

test('an annotator gets date suggestions with TIMEX3 values; what they tag leaves the list, not another annotator’s list', async () => {
	const slug = await seedDataset({ documents: [{ id: 'glilot', title: 'Glilot', text: TEXT, meta: { date: '2024-05-06', lang: 'fr' } }] });
	const ann1 = await apiAs('ann1');
	const ann2 = await apiAs('ann2');
	const url = `/api/datasets/${slug}/documents/glilot/suggestions`;
	const res = await ann1.get(url);
	expect(res.status()).toBe(200);
	const { suggestions } = await res.json();
	const samedi = suggestions.find((s: { text: string }) => s.text === 'samedi 4 mai 2024');
	expect(samedi).toMatchObject({ label: 'date', source: 'dates', attrs: { value: '2024-05-04', type: 'DATE' } });
	expect(suggestions.find((s: { text: string }) => s.text === 'le 7 octobre')).toMatchObject({ attrs: { value: '2023-10-07' } });
	// code point offsets: Python's text[start:end]
	const cps = Array.from(TEXT);
	for (const s of suggestions) expect(cps.slice(s.start, s.end).join('')).toBe(s.text);

	const saved = await ann1.put(`/api/datasets/${slug}/documents/glilot/annotations/me`, {
		data: { baseRevision: 0, spans: [{ start: samedi.start, end: samedi.end, label: 'date' }] }
	});
	expect(saved.status(), await saved.text()).toBe(200);
	const after = (await (await ann1.get(url)).json()).suggestions;
	expect(after.some((s: { start: number }) => s.start === samedi.start)).toBe(false);
	expect(after).toHaveLength(suggestions.length - 1);
	const other = (await (await ann2.get(url)).json()).suggestions;
	expect(other).toHaveLength(suggestions.length);
	await ann1.dispose();
	await ann2.dispose();
});

test('a dataset without a date label gets no date suggestions', async () => {
	const slug = await seedDataset({
		labels: [{ name: 'claim', key: '1', color: '#1c7ed6' }],
		documents: [{ id: 'd1', text: 'Le 7 octobre, hier et samedi.', meta: { date: '2024-05-06' } }]
	});
	const ann1 = await apiAs('ann1');
	const res = await ann1.get(`/api/datasets/${slug}/documents/d1/suggestions`);
	expect(res.status()).toBe(200);
	expect(await res.json()).toEqual({ suggestions: [] });
	await ann1.dispose();
});

test('the lexicon over HTTP: gold and the caller’s own spans teach it, another annotator’s never do; sources follow the settings', async () => {
	const A = 'Le porte-parole du Hamas a parlé. Le ministère de la Santé aussi.';
	const B = 'Hier, le porte-parole du Hamas et le ministère de la Santé ont publié un bilan.';
	const slug = await seedDataset({ documents: [{ id: 'a', text: A }, { id: 'b', text: B }] });
	const lead = await apiAs('lead');
	const ann1 = await apiAs('ann1');
	const ann2 = await apiAs('ann2');
	const only = await lead.put(`/api/datasets/${slug}/suggestion-settings`, { data: { suggestions: { dates: false, cues: false, lexicon: true } } });
	expect(only.status(), await only.text()).toBe(200);
	const url = `/api/datasets/${slug}/documents/b/suggestions`;
	const texts = async (who: typeof ann1) => ((await (await who.get(url)).json()).suggestions as Array<{ text: string; source: string }>).map((s) => `${s.source}:${s.text}`);
	const put = async (who: typeof ann1, annotator: string, spans: unknown[]) => {
		const res = await who.put(`/api/datasets/${slug}/documents/a/annotations/${annotator}`, { data: { baseRevision: 0, spans } });
		expect(res.status(), await res.text()).toBe(200);
	};
	const at = (needle: string, label: string) => ({ start: A.indexOf(needle), end: A.indexOf(needle) + needle.length, label });

	await put(ann2, 'me', [at('Le porte-parole du Hamas', 'attribution')]);
	expect(await texts(ann1)).toEqual([]);
	expect(await texts(ann2)).toEqual(['lexicon:le porte-parole du Hamas']);
	await put(lead, 'gold', [at('Le ministère de la Santé', 'attribution')]);
	expect(await texts(ann1)).toEqual(['lexicon:le ministère de la Santé']);

	// a bad setting or gazetteer is refused whole and changes nothing
	const bad = await lead.put(`/api/datasets/${slug}/suggestion-settings`, { data: { suggestions: { runs: ['missing'] } } });
	expect(bad.status()).toBe(400);
	expect((await bad.json()).error).toContain('no prediction run "missing"');
	const badGazetteer = await lead.put(`/api/datasets/${slug}/gazetteer`, { headers: { 'content-type': 'text/tab-separated-values' }, data: 'hier\tdate\nle porte-parole\tnope\n' });
	expect(badGazetteer.status()).toBe(400);
	expect((await badGazetteer.json()).errors).toEqual([{ line: 2, message: 'line 2: no label "nope" in this dataset (labels: claim, attribution, framing, date)' }]);
	expect(await texts(ann1)).toEqual(['lexicon:le ministère de la Santé']);
	const gazetteer = await lead.put(`/api/datasets/${slug}/gazetteer`, { headers: { 'content-type': 'text/tab-separated-values' }, data: 'Hier\tdate\n' });
	expect(gazetteer.status(), await gazetteer.text()).toBe(200);
	expect(await texts(ann1)).toEqual(['lexicon:Hier', 'lexicon:le ministère de la Santé']);
	for (const ctx of [lead, ann1, ann2]) await ctx.dispose();
});
