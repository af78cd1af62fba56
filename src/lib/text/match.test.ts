import { describe, expect, it } from 'vitest';
import { containsFolded, findMatches, foldQuery, foldQuick, FoldedText } from './match';
import { fold } from './fold';
import { OffsetMap } from './offsets';

/** The matches as code point offsets, and the text each one covers (Python's `text[start:end]`). */
function codePoints(text: string, query: string) {
	const map = new OffsetMap(text);
	return findMatches(text, query).matches.map((m) => ({ start: map.toCodePoint(m.start), end: map.toCodePoint(m.end), text: text.slice(m.start, m.end) }));
}

describe('findMatches', () => {
	it('ignores accents and case, both ways', () => {
		expect(codePoints('Élysée et elysee', 'ELYSÉE')).toEqual([
			{ start: 0, end: 6, text: 'Élysée' },
			{ start: 10, end: 16, text: 'elysee' }
		]);
	});
	it('gives code point offsets after emoji (two UTF-16 units each)', () => {
		expect(codePoints('🎉 fête 🎉 Fête', 'fete')).toEqual([
			{ start: 2, end: 6, text: 'fête' },
			{ start: 9, end: 13, text: 'Fête' }
		]);
		// UTF-16 for the same hits: the editor's side
		expect(findMatches('🎉 fête 🎉 Fête', 'fete').matches).toEqual([
			{ start: 3, end: 7 },
			{ start: 11, end: 15 }
		]);
	});
	it('finds a character outside the BMP as one code point', () => {
		expect(codePoints('a𠀋b𠀋', '𠀋')).toEqual([
			{ start: 1, end: 2, text: '𠀋' },
			{ start: 3, end: 4, text: '𠀋' }
		]);
	});
	it('keeps combining marks with the letter they follow', () => {
		// "café" written with a combining acute (U+0301): the mark goes with the match
		expect(codePoints('cafe\u0301 noir', 'cafe')).toEqual([{ start: 0, end: 5, text: 'cafe\u0301' }]);
		expect(codePoints('cafe\u0301 noir', 'CAFÉ')).toEqual([{ start: 0, end: 5, text: 'cafe\u0301' }]);
	});
	it('finds Arabic without its vowel marks, and takes the marks with the match', () => {
		// مُحَمَّد: four letters, four harakat (combining marks)
		const text = 'قال مُحَمَّد';
		expect(codePoints(text, 'محمد')).toEqual([{ start: 4, end: 12, text: 'مُحَمَّد' }]);
	});
	it('finds Japanese', () => {
		expect(codePoints('東京タワーと東京', '東京')).toEqual([
			{ start: 0, end: 2, text: '東京' },
			{ start: 6, end: 8, text: '東京' }
		]);
	});
	it('takes a whole character when the match cuts what it folded to', () => {
		// a Hangul syllable (one code point) folds to its three jamo (NFD): 한 = ᄒ ᅡ ᆫ
		expect(codePoints('대한민국', '한')).toEqual([{ start: 1, end: 2, text: '한' }]);
		expect(codePoints('대한민국', '\u1112')).toEqual([{ start: 1, end: 2, text: '한' }]);
		expect(codePoints('대한민국', '\u1161\u11ab민')).toEqual([{ start: 1, end: 3, text: '한민' }]);
	});
	it('does not overlap matches, like a browser stepping through them', () => {
		expect(codePoints('aaaa', 'aa').map((m) => [m.start, m.end])).toEqual([
			[0, 2],
			[2, 4]
		]);
	});
	it('finds nothing for an empty query', () => {
		expect(findMatches('text', '')).toEqual({ matches: [], truncated: false });
		expect(foldQuery('\u0301')).toBe('');
	});
	it('stops at the limit and says so', () => {
		expect(findMatches('a a a a', 'a', 3)).toEqual({
			matches: [
				{ start: 0, end: 1 },
				{ start: 2, end: 3 },
				{ start: 4, end: 5 }
			],
			truncated: true
		});
		expect(findMatches('a a a', 'a', 3).truncated).toBe(false);
	});
	it('folds once for many queries', () => {
		const text = new FoldedText('Le préfet, la Préfecture');
		expect(text.find('pref').matches).toEqual([
			{ start: 3, end: 7 },
			{ start: 14, end: 18 }
		]);
		expect(text.find('préfecture').matches).toEqual([{ start: 14, end: 24 }]);
	});
});

describe('containsFolded', () => {
	it('tests a folded query against a text', () => {
		expect(containsFolded('Le Préfet', foldQuery('PREFET'))).toBe(true);
		expect(containsFolded('Le Préfet', foldQuery('maire'))).toBe(false);
	});
});

describe('foldQuick', () => {
	it('is fold, on ASCII and on everything else', () => {
		for (const t of ['Le PREFET', 'Élysée', 'E\u0301lyse\u0301e', '🎉 Fête', 'İstanbul', 'مُحَمَّد', '대한민국', '', 'A\u007f~']) expect(foldQuick(t), t).toBe(fold(t));
	});
});
