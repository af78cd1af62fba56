import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { lexiconFor, referenceDate, resetSuggestionCaches, suggestionsFor, tagDocument, updateSuggestionSettings, uploadGazetteer } from './suggestions';
import { tagTemporal } from '../../dates/tagger';
import { addDocuments, createDataset, getDataset, resetDatasetCache, updateDataset, loadSet, resetAnnotationCache } from '../store';
import { saveSet } from '../annotate/saveSet';
import { requireDatasetLead } from '../auth/access';
import { GOLD } from '../../model/types';
import { DomainError } from '../http/errors';

describe('date suggestions', () => {
	it('take the reference date from meta.date, else meta.published_at', () => {
		expect(referenceDate({ date: '2024-05-06' })).toBe('2024-05-06');
		expect(referenceDate({ published_at: '2024-05-06T08:00:00Z' })).toBe('2024-05-06');
		expect(referenceDate({ date: 'soon', published_at: 12 })).toBeNull();
		expect(referenceDate(JSON.parse('{"__proto__": {"date": "2024-05-06"}}'))).toBeNull();
	});

	it('tag a long document slice by slice with the same result as in one go, offsets in code points', async () => {
		const line = 'Le 7 octobre 😀, puis samedi 4 mai 2024 et hier soir.\n';
		const text = line.repeat(2000);
		const sliced = await tagDocument(text, 'fr', '2024-05-06');
		const whole = tagTemporal(text, { lang: 'fr', reference: '2024-05-06' });
		expect(sliced).toEqual(whole);
		expect(sliced.length).toBe(6000);
	});
});

describe('suggestions for a caller (real store in a temp data folder)', () => {
	let root: string;
	const A = 'Le ministère de la Santé a publié un bilan. Le porte-parole du Hamas dément.';
	const B = 'Hier, le ministère de la Santé et le porte-parole du Hamas ont parlé. Le maire aussi.';
	const C = 'Le maire de Lyon et le ministère de la Santé.';
	const sha = (t: string) => createHash('sha256').update(t).digest('hex');
	const ann1 = { username: 'ann1', role: 'annotator' as const };
	const lead = { username: 'lead', role: 'lead' as const };
	const span = (text: string, sub: string, label: string) => {
		const at = [...text].join('').indexOf(sub); // ASCII-and-Latin-1 texts: UTF-16 = code points
		return { start: at, end: at + sub.length, label };
	};
	const save = async (docId: string, text: string, who: string, spans: Array<{ start: number; end: number; label: string }>) => {
		const base = (await loadSet('news', docId, who)).revision;
		const labels = (await getDataset('news')).labels.map((l) => l.name);
		await saveSet('news', { id: docId, text }, who, who, labels, { baseRevision: base, spans });
	};
	const texts = async (who = ann1, doc = 'b') => (await suggestionsFor(who, 'news', doc)).suggestions.map((s) => `${s.source}:${s.label}:${s.text}`);

	beforeEach(async () => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-suggest-'));
		process.env.SPANLAB_DATA = root;
		resetDatasetCache();
		resetAnnotationCache();
		resetSuggestionCaches();
		await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
		await updateDataset('news', (d) => {
			d.members = { ann1: 'annotator', ann2: 'annotator' };
			d.suggestions = { dates: false, cues: false, lexicon: true };
		});
		await addDocuments('news', [
			{ id: 'a', title: 'A', text: A, meta: {}, sha256: sha(A) },
			{ id: 'b', title: 'B', text: B, meta: {}, sha256: sha(B) },
			{ id: 'c', title: 'C', text: C, meta: {}, sha256: sha(C) }
		]);
	});

	afterEach(() => {
		fs.rmSync(root, { recursive: true, force: true });
	});

	it('the lexicon: gold and the caller’s own spans, never another annotator’s (blind annotation)', async () => {
		await save('a', A, 'ann2', [span(A, 'Le porte-parole du Hamas', 'attribution')]);
		expect(await texts()).toEqual([]);
		await save('a', A, 'ann1', [span(A, 'Le ministère de la Santé', 'attribution')]);
		expect(await texts()).toEqual(['lexicon:attribution:le ministère de la Santé']);
		// ann2 sees their own string, not ann1's
		expect(await texts({ username: 'ann2', role: 'annotator' })).toEqual(['lexicon:attribution:le porte-parole du Hamas']);
		// gold teaches everyone; the caller's own later edits replace what they taught
		await save('c', C, GOLD, [span(C, 'Le maire', 'attribution')]);
		expect(await texts()).toEqual(['lexicon:attribution:le ministère de la Santé', 'lexicon:attribution:Le maire']);
		await save('a', A, 'ann1', []);
		expect(await texts()).toEqual(['lexicon:attribution:Le maire']);
		const { lexicon } = await lexiconFor('news', 'ann1');
		expect([...lexicon.counts.keys()].filter((k) => lexicon.counts.get(k)!.size > 0)).toEqual(['le maire']);
	});

	it('gold is not suggested back onto its own document, and what the caller has or dismissed is left out', async () => {
		await save('c', C, GOLD, [span(C, 'Le maire de Lyon', 'attribution')]);
		await save('b', B, GOLD, [span(B, 'le ministère de la Santé', 'attribution')]);
		// on c: its own gold «Le maire de Lyon» is left out; b's gold string is suggested
		expect(await texts(ann1, 'c')).toEqual(['lexicon:attribution:le ministère de la Santé']);
		await save('c', C, 'ann1', [span(C, 'le ministère', 'attribution')]);
		expect(await texts(ann1, 'c')).toEqual([]);
	});

	it('a dismissed suggestion stays gone for its annotator only, whichever source proposes it again', async () => {
		await save('c', C, GOLD, [span(C, 'Le maire', 'attribution')]);
		expect(await texts()).toEqual(['lexicon:attribution:Le maire']);
		const hier = span(B, 'Le maire', 'attribution');
		const labels = (await getDataset('news')).labels.map((l) => l.name);
		await saveSet('news', { id: 'b', text: B }, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [], dismissed: [{ ...hier, source: 'cues' }] });
		expect(await texts()).toEqual([]);
		expect(await texts({ username: 'ann2', role: 'annotator' })).toEqual(['lexicon:attribution:Le maire']);
	});

	it('settings switch the sources; runs and correction sources must exist; bad input changes nothing', async () => {
		const access = await requireDatasetLead(lead, 'news');
		await updateDataset('news', (d) => void (d.suggestions = undefined));
		expect(await texts(ann1, 'b')).toEqual(['dates:date:Hier']);
		await expect(updateSuggestionSettings(access, { suggestions: { runs: ['nope'] } })).rejects.toThrow(/no prediction run "nope"/);
		await expect(updateSuggestionSettings(access, { correction: { source: 'import~gone' } })).rejects.toThrow(/no imported set "import~gone"/);
		await expect(updateSuggestionSettings(access, { suggestions: { dates: 'yes' } })).rejects.toThrow(/suggestions.dates: true or false/);
		await expect(updateSuggestionSettings(access, JSON.parse('{"suggestions": {"__proto__": true}}'))).rejects.toThrow(DomainError);
		await expect(updateSuggestionSettings(access, JSON.parse('{"constructor": {}}'))).rejects.toThrow(DomainError);
		expect((await getDataset('news')).suggestions).toBeUndefined();
		const result = await updateSuggestionSettings(access, { suggestions: { dates: false } });
		expect(result.suggestions).toEqual({ dates: false, lexicon: false, cues: false, runs: [], imports: false });
		expect(await texts(ann1, 'b')).toEqual([]);
	});

	it('a gazetteer feeds the lexicon; a bad one is refused whole', async () => {
		const access = await requireDatasetLead(lead, 'news');
		await expect(uploadGazetteer(access, 'le maire\tattribution\nx\tnope\n')).rejects.toThrow(/nothing was stored: 1 problem/);
		expect(await texts()).toEqual([]);
		await uploadGazetteer(access, 'le maire\tattribution\nporte-parole du Hamas\tattribution\n');
		expect(await texts()).toEqual(['lexicon:attribution:porte-parole du Hamas', 'lexicon:attribution:Le maire']);
	});
});
