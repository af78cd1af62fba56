import { describe, expect, it } from 'vitest';
import { cueSuggestions } from './cues';
import type { SuggestContext } from './types';

const LABELS = ['claim', 'attribution', 'framing', 'date'];
const SOURCE_OF = [{ name: 'source-of', from: ['attribution'], to: ['claim'] }];

function cues(text: string, lang: 'fr' | 'en', relations = true) {
	const context: SuggestContext = { labels: LABELS, lang, reference: null, relationTypes: relations ? SOURCE_OF : [] };
	const cp = [...text];
	return cueSuggestions({ text, meta: {} }, context).map((s) => {
		const out: Array<string> = [cp.slice(s.start, s.end).join('')];
		if (s.relation) out.push(`${s.relation.label} → ${cp.slice(s.relation.to.start, s.relation.to.end).join('')}`);
		return out;
	});
}

describe('attribution cues', () => {
	it('French: a quote then «a déclaré le groupe», with the relation to the quote', () => {
		expect(cues('«Les frappes ont été menées en soutien à Gaza», a déclaré le groupe.', 'fr')).toEqual([
			['a déclaré le groupe', 'source-of → Les frappes ont été menées en soutien à Gaza']
		]);
	});

	it('French: «indique le communiqué», «selon …», a subject before the verb', () => {
		expect(cues('Les combattants ont visé Tel-Aviv, indique le communiqué. Selon le ministère de la Santé, 35 000 morts.', 'fr')).toEqual([
			['indique le communiqué'],
			['Selon le ministère de la Santé']
		]);
		expect(cues('Le maire a affirmé que le budget était en hausse.', 'fr')).toEqual([['Le maire a affirmé']]);
		expect(cues('Le porte-parole dit : « Nous ne céderons pas ».', 'fr')).toEqual([['Le porte-parole dit', 'source-of → Nous ne céderons pas']]);
	});

	it('English: "said the mayor", "according to", "told"', () => {
		expect(cues('"The budget is balanced," said the mayor. According to police, two people were hurt.', 'en')).toEqual([
			['said the mayor', 'source-of → The budget is balanced'],
			['According to police']
		]);
		expect(cues('The minister told reporters that prices would fall.', 'en')).toEqual([['The minister told']]);
	});

	it('no relation without the relation type, nothing without the attribution label', () => {
		expect(cues('"It works," said the mayor.', 'en', false)).toEqual([['said the mayor']]);
		expect(cueSuggestions({ text: '"It works," said the mayor.', meta: {} }, { labels: ['claim'], lang: 'en', reference: null })).toEqual([]);
	});

	it('offsets in code points around emoji', () => {
		const text = '😀😀 «Ça marche 🎉», a déclaré le maire.';
		const [s] = cueSuggestions({ text, meta: {} }, { labels: LABELS, lang: 'fr', reference: null, relationTypes: SOURCE_OF });
		expect([...text].slice(s.start, s.end).join('')).toBe('a déclaré le maire');
		expect(s.relation!.to).toEqual({ start: 4, end: 15, label: 'claim' });
	});
});
