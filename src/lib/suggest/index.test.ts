import { describe, expect, it } from 'vitest';
import { buildLexicon, cuesSource, datesSource, forCaller, lexiconSource, setSource, suggest } from './index';
import type { SuggestContext } from './types';

const text = '«Les discussions ont repris samedi», a déclaré le groupe le 7 octobre.';
const context = (extra: Partial<SuggestContext> = {}): SuggestContext => ({
	labels: ['claim', 'attribution', 'framing', 'date'],
	lang: 'fr',
	reference: '2024-05-06',
	...extra
});

describe('suggest', () => {
	it('unites the sources in text order, each suggestion with its source, text and code point offsets', () => {
		const lexicon = buildLexicon([{ text: 'le groupe', label: 'framing' }]);
		const run = setSource('run~crf', [
			{ start: 1, end: 34, label: 'claim', score: 0.42 },
			{ start: 0, end: 500, label: 'claim' }, // beyond the text: dropped
			{ start: 2, end: 5, label: 'nope' } // not a label of the dataset
		]);
		const all = suggest({ text, meta: {} }, context({ lexicon }), [run, datesSource, lexiconSource(), cuesSource]);
		expect(all.map((s) => [s.source, s.label, s.text, s.score])).toEqual([
			['run~crf', 'claim', 'Les discussions ont repris samedi', 0.42],
			['dates', 'date', 'samedi', 0.9],
			['cues', 'attribution', 'a déclaré le groupe', 0.7],
			['lexicon', 'framing', 'le groupe', 1],
			['dates', 'date', 'le 7 octobre', 0.9]
		]);
		expect(all[1].attrs).toEqual({ value: '2024-05-04', type: 'DATE' });
		expect(all[4].attrs).toEqual({ value: '2023-10-07', type: 'DATE' });
	});

	it('suggests one span once: the higher score wins, on a tie the first source', () => {
		const a = setSource('import~a', [{ start: 28, end: 34, label: 'date' }]);
		const b = setSource('run~b', [{ start: 28, end: 34, label: 'date', score: 0.5 }]);
		expect(suggest({ text, meta: {} }, context(), [b, datesSource, a]).map((s) => s.source)).toEqual(['import~a', 'dates']);
		expect(suggest({ text, meta: {} }, context(), [b, datesSource]).map((s) => s.source)).toEqual(['dates', 'dates']);
	});

	it('a lexicon match of a date the tagger found keeps the tagger’s value, whichever wins', () => {
		const lexicon = buildLexicon([{ text: 'le 7 octobre', label: 'date' }]);
		const [date] = suggest({ text, meta: {} }, context({ lexicon }), [datesSource, lexiconSource()]).filter((s) => s.text === 'le 7 octobre');
		expect(date).toMatchObject({ source: 'lexicon', score: 1, attrs: { value: '2023-10-07', type: 'DATE' } });
	});

	it('for the caller: leaves out what they have (same label overlapping, or same offsets) and what they dismissed', () => {
		const all = suggest({ text, meta: {} }, context(), [datesSource, cuesSource]);
		expect(all.map((s) => s.text)).toEqual(['samedi', 'a déclaré le groupe', 'le 7 octobre']);
		expect(forCaller(all, [{ start: 25, end: 31, label: 'date' }]).map((s) => s.text)).toEqual(['a déclaré le groupe', 'le 7 octobre']);
		expect(forCaller(all, [{ start: 28, end: 34, label: 'claim' }]).map((s) => s.text)).toEqual(['a déclaré le groupe', 'le 7 octobre']);
		expect(forCaller(all, [{ start: 20, end: 40, label: 'claim' }]).map((s) => s.text)).toEqual(['samedi', 'a déclaré le groupe', 'le 7 octobre']);
		expect(forCaller(all, [], [{ start: 57, end: 69, label: 'date' }]).map((s) => s.text)).toEqual(['samedi', 'a déclaré le groupe']);
		expect(forCaller(all, [], [{ start: 57, end: 69, label: 'claim' }]).map((s) => s.text)).toEqual(['samedi', 'a déclaré le groupe', 'le 7 octobre']);
	});
});

describe('suggest: the lexicon yields', () => {
	it('a lexicon match overlapping another source’s span of the same label is left out; other labels stay', () => {
		// «samedi» and «le 7 octobre» are the tagger's; the lexicon knows «7 octobre», «repris samedi» (dates) and «le groupe» (framing)
		const lexicon = buildLexicon([
			{ text: '7 octobre', label: 'date' },
			{ text: 'repris samedi', label: 'date' },
			{ text: 'le groupe', label: 'framing' }
		]);
		const all = suggest({ text, meta: {} }, context({ lexicon }), [datesSource, lexiconSource(), cuesSource]);
		expect(all.map((s) => [s.source, s.label, s.text])).toEqual([
			['dates', 'date', 'samedi'],
			['cues', 'attribution', 'a déclaré le groupe'],
			['lexicon', 'framing', 'le groupe'],
			['dates', 'date', 'le 7 octobre']
		]);
		// without the tagger, the lexicon's own date matches stand
		expect(suggest({ text, meta: {} }, context({ lexicon }), [lexiconSource()]).filter((s) => s.label === 'date').map((s) => s.text)).toEqual(['repris samedi', '7 octobre']);
	});

	it('the same offsets as another source’s are merged, not left out, even when the lexicon’s copy wins and overlaps a third', () => {
		const lexicon = buildLexicon([{ text: 'samedi', label: 'date' }]);
		const run = setSource('run~m', [{ start: 21, end: 34, label: 'date', score: 0.3 }]); // «repris samedi»
		const all = suggest({ text, meta: {} }, context({ lexicon }), [run, datesSource, lexiconSource()]);
		expect(all.filter((s) => s.label === 'date').map((s) => [s.source, s.text, s.attrs?.value])).toEqual([
			['run~m', 'repris samedi', undefined],
			['lexicon', 'samedi', '2024-05-04'],
			['dates', 'le 7 octobre', '2023-10-07']
		]);
	});
});
