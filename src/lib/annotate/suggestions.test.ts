import { describe, expect, it } from 'vitest';
import {
	acceptedSpan,
	countBySource,
	dismissalOf,
	focusAfter,
	parseSuggestions,
	sourceName,
	acceptAllQuestion,
	stepSuggestion,
	suggestionKey,
	visibleSuggestions,
	withDismissals,
	type Suggestion
} from './suggestions';

// The sample article's three dates (code point offsets in fr-glilot-2024-05-04.txt's first lines, shortened here).
const SAMEDI: Suggestion = { start: 44, end: 61, label: 'date', text: 'samedi 4 mai 2024', attrs: { type: 'DATE', value: '2024-05-04' }, source: 'dates', score: 0.9 };
const OCTOBRE: Suggestion = { start: 300, end: 312, label: 'date', text: 'le 7 octobre', attrs: { type: 'DATE', value: '2023-10-07' }, source: 'dates', score: 0.9 };
const DIMANCHE: Suggestion = { start: 500, end: 515, label: 'date', text: 'dimanche 5 mai', attrs: { type: 'DATE', value: '2024-05-05' }, source: 'dates', score: 0.9 };
const MOSSAD: Suggestion = { start: 200, end: 216, label: 'attribution', text: 'le centre du Mos', source: 'lexicon', score: 0.5 };

describe('visibleSuggestions', () => {
	it('puts them in reading order', () => {
		expect(visibleSuggestions([DIMANCHE, SAMEDI, MOSSAD, OCTOBRE], [], []).map((s) => s.text)).toEqual([
			'samedi 4 mai 2024',
			'le centre du Mos',
			'le 7 octobre',
			'dimanche 5 mai'
		]);
	});

	it('leaves out a suggestion overlapping a span of the same label, not one of another label', () => {
		// a date span over "4 mai" (48..53) inside «samedi 4 mai 2024»; a claim over «le 7 octobre»
		const spans = [
			{ start: 48, end: 53, label: 'date' },
			{ start: 290, end: 320, label: 'claim' }
		];
		expect(visibleSuggestions([SAMEDI, OCTOBRE, DIMANCHE], spans, []).map((s) => s.text)).toEqual(['le 7 octobre', 'dimanche 5 mai']);
	});

	it('finds the overlap through a long span that starts early (running maximum of the ends)', () => {
		// the date span 0..600 covers everything; the short one at 100..110 must not hide that
		const spans = [
			{ start: 0, end: 600, label: 'date' },
			{ start: 100, end: 110, label: 'date' }
		];
		expect(visibleSuggestions([SAMEDI, OCTOBRE, DIMANCHE], spans, [])).toEqual([]);
	});

	it('keeps a suggestion that only touches a same-label span (end exclusive)', () => {
		const spans = [
			{ start: 30, end: 44, label: 'date' },
			{ start: 61, end: 70, label: 'date' }
		];
		expect(visibleSuggestions([SAMEDI], spans, [])).toEqual([SAMEDI]);
	});

	it('leaves out a suggestion accepted with another label (a span over exactly its text)', () => {
		expect(visibleSuggestions([SAMEDI, OCTOBRE], [{ start: 44, end: 61, label: 'claim' }], [])).toEqual([OCTOBRE]);
	});

	it('leaves out rejected suggestions, whatever source rejected them', () => {
		const fromLexicon = { ...OCTOBRE, source: 'lexicon' };
		expect(visibleSuggestions([SAMEDI, OCTOBRE, DIMANCHE], [], [dismissalOf(fromLexicon)]).map((s) => s.text)).toEqual(['samedi 4 mai 2024', 'dimanche 5 mai']);
	});

	it('shows a span suggested by two sources once, from the higher score', () => {
		const lexicon = { ...SAMEDI, source: 'lexicon', score: 0.95, attrs: undefined };
		expect(visibleSuggestions([SAMEDI, lexicon], [], [])).toEqual([lexicon]);
		expect(visibleSuggestions([SAMEDI, { ...lexicon, score: 0.2 }], [], [])).toEqual([SAMEDI]);
	});

	it('ignores empty or reversed ranges', () => {
		expect(visibleSuggestions([{ ...SAMEDI, end: 44 }, { ...SAMEDI, start: 70 }], [], [])).toEqual([]);
	});
});

describe('stepSuggestion (Tab / Shift+Tab)', () => {
	const list = [SAMEDI, OCTOBRE, DIMANCHE];
	it('starts at the first (Tab) or the last (Shift+Tab)', () => {
		expect(stepSuggestion(list, null, 1)).toBe(SAMEDI);
		expect(stepSuggestion(list, null, -1)).toBe(DIMANCHE);
	});
	it('moves on and wraps round', () => {
		expect(stepSuggestion(list, suggestionKey(SAMEDI), 1)).toBe(OCTOBRE);
		expect(stepSuggestion(list, suggestionKey(DIMANCHE), 1)).toBe(SAMEDI);
		expect(stepSuggestion(list, suggestionKey(SAMEDI), -1)).toBe(DIMANCHE);
	});
	it('starts over when the focused one is gone, and has nothing to give from none', () => {
		expect(stepSuggestion(list, '1:2:date', 1)).toBe(SAMEDI);
		expect(stepSuggestion([], null, 1)).toBeNull();
	});
});

describe('focusAfter (after accepting or rejecting)', () => {
	it('is the next one in reading order, then wraps to the first', () => {
		expect(focusAfter([SAMEDI, DIMANCHE], OCTOBRE)).toBe(DIMANCHE);
		expect(focusAfter([SAMEDI, OCTOBRE], DIMANCHE)).toBe(SAMEDI);
	});
	it('never gives back the one that was done, and null once none is left', () => {
		expect(focusAfter([OCTOBRE], OCTOBRE)).toBeNull();
		expect(focusAfter([], SAMEDI)).toBeNull();
	});
});

describe('acceptedSpan', () => {
	it("makes a span with the suggestion's attributes and source", () => {
		expect(acceptedSpan(SAMEDI)).toEqual({ start: 44, end: 61, label: 'date', attrs: { type: 'DATE', value: '2024-05-04' }, source: 'dates' });
	});
	it('with another label (a label key) keeps the source but not the attributes, which belong to the label', () => {
		expect(acceptedSpan(SAMEDI, 'claim')).toEqual({ start: 44, end: 61, label: 'claim', source: 'dates' });
		expect(acceptedSpan(SAMEDI, 'date').attrs).toEqual({ type: 'DATE', value: '2024-05-04' });
	});
	it('copies the attributes (a later edit of the span never changes the suggestion)', () => {
		const span = acceptedSpan(SAMEDI);
		span.attrs!.value = 'XXXX';
		expect(SAMEDI.attrs!.value).toBe('2024-05-04');
	});
	it('has no attrs for a suggestion without any', () => {
		expect(acceptedSpan(MOSSAD)).toEqual({ start: 200, end: 216, label: 'attribution', source: 'lexicon' });
		expect('attrs' in acceptedSpan({ ...MOSSAD, attrs: {} })).toBe(false);
	});
	it('a rejection remembers the span and the source', () => {
		expect(dismissalOf(SAMEDI)).toEqual({ start: 44, end: 61, label: 'date', source: 'dates' });
	});
});

describe('countBySource and sourceName', () => {
	it('counts per source, in name order', () => {
		expect(countBySource([SAMEDI, MOSSAD, OCTOBRE, { ...DIMANCHE, source: 'run~crf' }])).toEqual([
			{ source: 'dates', count: 2 },
			{ source: 'lexicon', count: 1 },
			{ source: 'run~crf', count: 1 }
		]);
		expect(countBySource([])).toEqual([]);
	});
	it('names sources for people, and keeps an unknown one as it is', () => {
		expect(sourceName('dates')).toBe('Dates');
		expect(sourceName('cues')).toBe('Attribution cues');
		expect(sourceName('import~model~v2')).toBe('Import model~v2');
		expect(sourceName('run~crf')).toBe('Prediction run crf');
		expect(sourceName('constructor')).toBe('constructor');
		expect(sourceName('__proto__')).toBe('__proto__');
	});
});

describe('parseSuggestions', () => {
	it('takes the API body and leaves out malformed items', () => {
		const body = { suggestions: [SAMEDI, { start: 1.5, end: 3, label: 'date', source: 'dates' }, null, { start: 1, end: 3, label: 'date' }, { ...MOSSAD, attrs: [1] }] };
		expect(parseSuggestions(body)).toEqual([SAMEDI, { ...MOSSAD }]);
	});
	it('refuses a body without a list', () => {
		expect(() => parseSuggestions({ error: 'nope' })).toThrow('no suggestions list');
		expect(() => parseSuggestions(null)).toThrow('no suggestions list');
	});
});

describe('withDismissals (re-applying my version after a conflict)', () => {
	it("keeps the server's rejections and adds mine once", () => {
		const theirs = [dismissalOf(SAMEDI)];
		const mine = [dismissalOf(SAMEDI), dismissalOf(OCTOBRE), dismissalOf(OCTOBRE)];
		expect(withDismissals(theirs, mine)).toEqual([dismissalOf(SAMEDI), dismissalOf(OCTOBRE)]);
	});
	it('gives back the same list when mine adds nothing (no needless revision)', () => {
		const theirs = [dismissalOf(SAMEDI)];
		expect(withDismissals(theirs, [dismissalOf(SAMEDI)])).toBe(theirs);
		expect(withDismissals(theirs, [])).toBe(theirs);
	});
});

describe('acceptAllQuestion', () => {
	it('names the source and the count, or the unreviewed spans in correction mode', () => {
		expect(acceptAllQuestion({ source: 'dates', count: 3 })).toBe('Accept 3 suggestions from Dates?');
		expect(acceptAllQuestion({ source: 'import~model-a', count: 1 })).toBe('Accept 1 suggestion from Import model-a?');
		expect(acceptAllQuestion({ source: null, count: 1 })).toBe('Accept 1 unreviewed span as it is?');
		expect(acceptAllQuestion({ source: null, count: 4 })).toBe('Accept 4 unreviewed spans as they are?');
	});
});
