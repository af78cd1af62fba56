import { describe, expect, it } from 'vitest';
import { containsFolded, cutAtMatches, findMatches, foldQuery, foldQuick, FoldedText, type TextRun } from './match';
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

/** `text` cut into runs after each of `lengths` UTF-16 units (the rest is the last run), as a lane row's text nodes. */
function runsOf(text: string, lengths: number[], from = 0): TextRun[] {
	const runs: TextRun[] = [];
	let at = from;
	for (const n of [...lengths, text.length - lengths.reduce((a, b) => a + b, 0)]) {
		runs.push({ start: at, end: at + n });
		at += n;
	}
	return runs;
}

/** What each piece shows: the run's text cut at the piece's local offsets. */
function piecesText(text: string, runs: TextRun[], query: string) {
	const { matches } = findMatches(text, query);
	return cutAtMatches(runs, matches).map((p) => [p.run, p.match, text.slice(runs[p.run].start, runs[p.run].end).slice(p.start, p.end)]);
}

describe('cutAtMatches', () => {
	it('gives each match in one run its local offsets', () => {
		// "Le préfet, " | "et le PREFET": runs of 11 and 12 units
		const text = 'Le préfet, et le PREFET';
		const runs = runsOf(text, [11]);
		expect(cutAtMatches(runs, findMatches(text, 'prefet').matches)).toEqual([
			{ run: 0, match: 0, start: 3, end: 9 },
			{ run: 1, match: 1, start: 6, end: 12 }
		]);
	});
	it('cuts a match that runs over a run boundary (a word half inside a span)', () => {
		const text = 'un préfet ici';
		// runs "un pré" | "fet ici"
		expect(piecesText(text, runsOf(text, [6]), 'PREFET')).toEqual([
			[0, 0, 'pré'],
			[1, 0, 'fet']
		]);
		// over three runs: "un p" | "ré" | "fet ici"
		expect(piecesText(text, runsOf(text, [4, 2]), 'prefet')).toEqual([
			[0, 0, 'p'],
			[1, 0, 'ré'],
			[2, 0, 'fet']
		]);
	});
	it('counts emoji as two UTF-16 units and never cuts one', () => {
		// 🎉 is two units: "🎉 fête" is 7 units, the run boundary falls after it
		const text = '🎉 fête🎉Fête 🎉';
		const runs = runsOf(text, [7, 2]);
		expect(cutAtMatches(runs, findMatches(text, 'fete').matches)).toEqual([
			{ run: 0, match: 0, start: 3, end: 7 },
			{ run: 2, match: 1, start: 0, end: 4 }
		]);
		expect(piecesText(text, runs, '🎉')).toEqual([
			[0, 0, '🎉'],
			[1, 1, '🎉'],
			[2, 2, '🎉']
		]);
	});
	it('keeps a combining accent with its letter in the piece', () => {
		// "café" with U+0301: the match is 5 units, all in the second run
		const text = 'un cafe\u0301 noir';
		expect(piecesText(text, runsOf(text, [3]), 'CAFÉ')).toEqual([[1, 0, 'cafe\u0301']]);
	});
	it('works on runs that are one part of the document (one paragraph), with gaps between them', () => {
		// the document "Préfet\nLe préfet dit\nfin"; the runs cover the second line only, "Le " | "préfet dit"
		const text = 'Préfet\nLe préfet dit\nfin';
		const runs = [
			{ start: 7, end: 10 },
			{ start: 10, end: 20 }
		];
		const { matches } = findMatches(text, 'prefet');
		expect(matches).toHaveLength(2);
		expect(cutAtMatches(runs, matches)).toEqual([{ run: 1, match: 1, start: 0, end: 6 }]);
		// a gap between runs: the part of a match in it is left out
		expect(cutAtMatches([{ start: 0, end: 3 }, { start: 4, end: 6 }], [{ start: 1, end: 5 }])).toEqual([
			{ run: 0, match: 0, start: 1, end: 3 },
			{ run: 1, match: 0, start: 0, end: 1 }
		]);
	});
	it('gives nothing without runs or matches, and skips empty runs', () => {
		expect(cutAtMatches([], [{ start: 0, end: 1 }])).toEqual([]);
		expect(cutAtMatches([{ start: 0, end: 5 }], [])).toEqual([]);
		expect(cutAtMatches([{ start: 0, end: 0 }, { start: 0, end: 2 }], [{ start: 0, end: 2 }])).toEqual([{ run: 1, match: 0, start: 0, end: 2 }]);
	});
});
