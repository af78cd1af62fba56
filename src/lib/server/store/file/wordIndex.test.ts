import { describe, it, expect } from 'vitest';
import { WordIndex } from './wordIndex';

const w = (s: string) => (s ? s.split(' ') : []);

function index(): WordIndex {
	const ix = new WordIndex();
	ix.add('a', w('selon le maire'), w('le conseil vote le budget'));
	ix.add('b', w('budget'), w('selon le prefet le maire a parle'));
	ix.add('c', w('le maire'), w('selon le maire le conseil vote'));
	ix.add('d', w('proto'), w('constructor tostring'));
	return ix;
}
const ids = (ix: WordIndex, ns: number[]) => ns.map((n) => ix.docs[n]);

describe('WordIndex', () => {
	it('every word must be there, in title or text, each document once, ascending', () => {
		const ix = index();
		expect(ids(ix, ix.candidates(w('le maire'), []))).toEqual(['a', 'b', 'c']);
		expect(ids(ix, ix.candidates(w('budget vote'), []))).toEqual(['a']);
		expect(ix.candidates(w('maire nowhere'), [])).toEqual([]);
		expect(ix.candidates([], [])).toEqual([]);
	});
	it('a two-word phrase is its pair, in the title or the text but never across them', () => {
		const ix = index();
		expect(ids(ix, ix.candidates([], ['le maire']))).toEqual(['a', 'b', 'c']);
		expect(ids(ix, ix.candidates([], ['maire le']))).toEqual(['c']); // c's text; a's title ends with maire, its text begins with le
		expect(ids(ix, ix.candidates([], ['budget selon']))).toEqual([]); // b: title `budget`, text `selon …`
		expect(ids(ix, ix.candidates([], ['prefet le']))).toEqual(['b']);
		expect(ix.candidates([], ['maire selon'])).toEqual([]);
	});
	it('a longer phrase needs each of its pairs (the order then checked on the text by the caller)', () => {
		const ix = index();
		expect(ids(ix, ix.candidates([], ['selon le maire']))).toEqual(['a', 'b', 'c']); // b holds `selon le` and `le maire` apart
		expect(ids(ix, ix.candidates([], ['le conseil vote']))).toEqual(['a', 'c']);
		expect(ix.candidates([], ['le conseil parle'])).toEqual([]);
		expect(ids(ix, ix.candidates(w('budget'), ['le conseil vote']))).toEqual(['a']);
	});
	it('holdsPhrase checks the order on the word sequence, within the title or the text', () => {
		const ix = index();
		expect([0, 1, 2].map((n) => ix.holdsPhrase(n, w('selon le maire')))).toEqual([true, false, true]);
		expect(ix.holdsPhrase(0, w('maire le conseil'))).toBe(false); // title's end, text's start
		expect(ix.holdsPhrase(1, w('le maire a parle'))).toBe(true); // at the very end
		expect(ix.holdsPhrase(1, w('selon le prefet le maire a parle'))).toBe(true); // the whole text
		expect(ix.holdsPhrase(1, w('le prefet le maire a parle la'))).toBe(false);
		expect(ix.holdsPhrase(2, w('le maire selon'))).toBe(false); // c's title `le maire`, its text `selon …`
		expect(ix.holdsPhrase(2, w('maire le conseil'))).toBe(true);
		expect(ix.holdsPhrase(2, w('le maire unknown'))).toBe(false);
	});
	it('word ids past one varint byte are coded and matched exactly (3,000 distinct words)', () => {
		const ix = new WordIndex();
		const many = Array.from({ length: 3000 }, (_, i) => `w${i}`);
		ix.add('big', [], many);
		ix.add('small', [], w('w2999 w1 w2'));
		expect(ix.holdsPhrase(0, w('w127 w128 w129'))).toBe(true);
		expect(ix.holdsPhrase(0, w('w2997 w2998 w2999'))).toBe(true);
		expect(ix.holdsPhrase(0, w('w128 w127 w129'))).toBe(false);
		expect(ix.holdsPhrase(1, w('w2999 w1 w2'))).toBe(true);
		expect(ix.holdsPhrase(1, w('w1 w2 w2999'))).toBe(false);
	});
	it('a one-word phrase is its word; Object.prototype names are words; a document is added once', () => {
		const ix = index();
		expect(ids(ix, ix.candidates([], ['proto']))).toEqual(['d']);
		expect(ix.candidates(w('valueof'), [])).toEqual([]);
		expect(ix.candidates(w('hasownproperty'), [])).toEqual([]);
		ix.add('a', w('other'), w('other'));
		expect(ix.size).toBe(4);
		expect(ix.candidates(w('other'), [])).toEqual([]);
	});
	it('titleHits counts the query words the title holds', () => {
		const ix = index();
		expect(['a', 'b', 'c', 'd'].map((_, n) => ix.titleHits(n, w('le maire budget')))).toEqual([2, 1, 2, 0]);
	});
	it('posting lists grow past their first sizes and stay exact (1,500 documents)', () => {
		const ix = new WordIndex();
		for (let i = 0; i < 1500; i++) ix.add(`d${i}`, [], i % 3 === 0 ? w('le maire parle') : w('le prefet parle'));
		ix.compact();
		ix.add('late', [], w('le maire'));
		const maire = ix.candidates([], ['le maire']);
		expect(maire.length).toBe(501);
		expect(maire.slice(0, 500).every((n) => n % 3 === 0)).toBe(true);
		expect(ix.docs[maire[500]]).toBe('late');
		expect(ix.candidates(w('parle'), []).length).toBe(1500);
		expect(ix.candidates(w('maire prefet'), [])).toEqual([]);
	});
});
