import { describe, expect, it } from 'vitest';
import { snapToWords, stepSelection, trimSelection, wordRanges } from './selection';

// UTF-16 offsets below were derived with python3 (`len(s[:i].encode('utf-16-le')) // 2`)
// and pasted as literals.

const cut = (text: string, r: { start: number; end: number } | null) => (r ? text.slice(r.start, r.end) : null);

describe('snapToWords', () => {
	const T1 = 'The minister defended the plan.';

	it('expands a partial word to the whole word', () => {
		expect(snapToWords(T1, 5, 9)).toEqual({ start: 4, end: 12 }); // "inis" -> "minister"
		expect(snapToWords(T1, 4, 12)).toEqual({ start: 4, end: 12 });
		expect(snapToWords(T1, 6, 15)).toEqual({ start: 4, end: 21 }); // "nister de" -> "minister defended"
		expect(snapToWords(T1, 0, 1)).toEqual({ start: 0, end: 3 }); // at the start of the text
		expect(snapToWords(T1, 28, 31)).toEqual({ start: 26, end: 31 }); // "an." -> "plan." (punctuation kept)
		expect(snapToWords(T1, 30, 31)).toEqual({ start: 30, end: 31 }); // just "." stays "."
	});

	it('accepts reversed ranges and clamps out-of-range offsets', () => {
		expect(snapToWords(T1, 9, 5)).toEqual({ start: 4, end: 12 });
		expect(snapToWords(T1, 28, 99)).toEqual({ start: 26, end: 31 });
		expect(snapToWords(T1, -3, 2)).toEqual({ start: 0, end: 3 });
	});

	it('trims a selection covering "  word "', () => {
		const t = 'They say  word  now';
		expect(cut(t, snapToWords(t, 8, 15))).toBe('word');
		expect(snapToWords(t, 8, 15)).toEqual({ start: 10, end: 14 });
	});

	it('returns null for empty or whitespace-only selections', () => {
		expect(snapToWords(T1, 5, 5)).toBeNull(); // a caret inside a word is not a selection
		expect(snapToWords(T1, 3, 4)).toBeNull();
		expect(snapToWords('', 0, 0)).toBeNull();
		expect(snapToWords(' \u00a0\u202f\r\n\t', 0, 6)).toBeNull();
	});

	it('never splits emoji sequences and keeps them whole when starting inside one', () => {
		// 'I saw 👨‍👩‍👧‍👦 family and 👍🏽 yes': family 6..17, "family" 18..24, 👍 29..31, 🏽 31..33
		const t = 'I saw 👨‍👩‍👧‍👦 family and 👍🏽 yes';
		expect(snapToWords(t, 9, 21)).toEqual({ start: 6, end: 24 }); // starts after 👨+ZWJ
		expect(cut(t, snapToWords(t, 9, 21))).toBe('👨‍👩‍👧‍👦 family');
		expect(snapToWords(t, 7, 8)).toEqual({ start: 6, end: 17 }); // inside 👨's surrogate pair
		expect(snapToWords(t, 31, 33)).toEqual({ start: 29, end: 33 }); // just the skin tone
		expect(snapToWords(t, 30, 31)).toEqual({ start: 29, end: 33 }); // half of 👍
		expect(snapToWords('🇫🇷 Paris', 2, 4)).toEqual({ start: 0, end: 4 }); // second regional indicator
	});

	it('treats an emoji as a unit of its own that does not glue onto letters', () => {
		const t = 'great👍 job';
		expect(snapToWords(t, 1, 4)).toEqual({ start: 0, end: 5 }); // "great" without 👍
		expect(snapToWords(t, 5, 6)).toEqual({ start: 5, end: 7 }); // 👍 without "great"
		expect(snapToWords(t, 3, 6)).toEqual({ start: 0, end: 7 }); // both if both selected
	});

	it('treats the French apostrophe ’ as a word boundary', () => {
		const t = 'Le ministre a défendu l’occupation du site.';
		expect(snapToWords(t, 26, 29)).toEqual({ start: 24, end: 34 }); // "cup" -> "occupation"
		expect(cut(t, snapToWords(t, 26, 29))).toBe('occupation');
		expect(cut(t, snapToWords(t, 22, 27))).toBe('l’occupation'); // selected across it
		expect(snapToWords(t, 23, 24)).toEqual({ start: 23, end: 24 }); // the apostrophe alone
		expect(cut(t, snapToWords(t, 16, 17))).toBe('défendu'); // precomposed é is a letter
	});

	it('trims NBSP and narrow NBSP of French typography', () => {
		const t = '«\u00a0Bonjour\u00a0» : il a dit\u202f: oui';
		expect(snapToWords(t, 1, 10)).toEqual({ start: 2, end: 9 });
		expect(snapToWords(t, 19, 23)).toEqual({ start: 19, end: 22 }); // "dit\u202f" -> "dit"
		expect(cut(t, snapToWords(t, 0, 11))).toBe('«\u00a0Bonjour\u00a0»');
	});

	it('handles a selection across a CRLF', () => {
		const t = 'first line\r\nsecond line';
		expect(snapToWords(t, 7, 15)).toEqual({ start: 6, end: 18 });
		expect(cut(t, snapToWords(t, 7, 15))).toBe('line\r\nsecond');
		expect(snapToWords(t, 6, 11)).toEqual({ start: 6, end: 10 }); // ends between \r and \n
		expect(snapToWords(t, 11, 13)).toEqual({ start: 12, end: 18 }); // starts between \r and \n
		expect(snapToWords(t, 10, 12)).toBeNull();
		expect(snapToWords('a\rb c', 0, 3)).toEqual({ start: 0, end: 3 }); // lone CR inside
		expect(snapToWords('a\rbc', 1, 3)).toEqual({ start: 2, end: 4 });
	});

	it('never splits a base letter from its combining mark', () => {
		const t = 'Un cafe\u0301 noir'; // e + U+0301 at 6..8
		expect(snapToWords(t, 3, 6)).toEqual({ start: 3, end: 8 });
		expect(snapToWords(t, 3, 7)).toEqual({ start: 3, end: 8 }); // ends between e and U+0301
		expect(snapToWords(t, 7, 8)).toEqual({ start: 3, end: 8 }); // only the mark
	});

	it('handles RTL words and CJK outside the BMP', () => {
		const ar = 'قال الوزير أمس';
		expect(snapToWords(ar, 6, 8)).toEqual({ start: 4, end: 10 });
		expect(cut(ar, snapToWords(ar, 6, 8))).toBe('الوزير');
		const he = 'שלום עולם';
		expect(snapToWords(he, 6, 7)).toEqual({ start: 5, end: 9 });
		const t = 'Prix : 12\u202f€ 𠀋𠀌 fin'; // 𠀋 12..14, 𠀌 14..16
		// Han is cut by ICU's dictionary; 𠀋𠀌 is no word of it, so each ideograph is a word (text/words.ts)
		expect(snapToWords(t, 13, 14)).toEqual({ start: 12, end: 14 });
		expect(snapToWords(t, 13, 15)).toEqual({ start: 12, end: 16 });
		expect(snapToWords(t, 7, 10)).toEqual({ start: 7, end: 9 }); // "12\u202f" -> "12"
	});
});

describe('trimSelection', () => {
	it('trims whitespace without expanding', () => {
		const t = 'The minister defended the plan.';
		expect(trimSelection(t, 5, 9)).toEqual({ start: 5, end: 9 });
		expect(trimSelection(t, 3, 9)).toEqual({ start: 4, end: 9 });
		expect(trimSelection(t, 9, 3)).toEqual({ start: 4, end: 9 });
		expect(trimSelection('l’occupation', 4, 7)).toEqual({ start: 4, end: 7 });
	});

	it('trims NBSP, narrow NBSP, CR and LF', () => {
		const t = '«\u00a0Bonjour\u00a0» : il a dit\u202f: oui';
		expect(trimSelection(t, 1, 10)).toEqual({ start: 2, end: 9 });
		expect(trimSelection(t, 0, 10)).toEqual({ start: 0, end: 9 });
		expect(trimSelection(t, 19, 23)).toEqual({ start: 19, end: 22 });
		const c = 'first line\r\nsecond line';
		expect(trimSelection(c, 6, 12)).toEqual({ start: 6, end: 10 });
		expect(trimSelection(c, 8, 14)).toEqual({ start: 8, end: 14 }); // inner CRLF kept
		expect(trimSelection('x\ry', 1, 3)).toEqual({ start: 2, end: 3 });
	});

	it('returns null when empty or whitespace only', () => {
		expect(trimSelection('a b', 1, 2)).toBeNull();
		expect(trimSelection('a b', 1, 1)).toBeNull();
		expect(trimSelection('', 0, 0)).toBeNull();
		expect(trimSelection('\r\n\u00a0\u202f', 0, 4)).toBeNull();
	});

	it('never splits a surrogate pair, but may split base + combining mark', () => {
		const t = 'Prix : 12\u202f€ 𠀋𠀌 fin'; // 𠀋 12..14, 𠀌 14..16
		expect(trimSelection(t, 13, 15)).toEqual({ start: 12, end: 16 });
		expect(trimSelection(t, 12, 14)).toEqual({ start: 12, end: 14 });
		expect(trimSelection('a😀b', 2, 3)).toEqual({ start: 1, end: 3 });
		expect(trimSelection('Un cafe\u0301 noir', 3, 7)).toEqual({ start: 3, end: 7 }); // exact characters
	});
});

describe('wordRanges / stepSelection (keyboard selection)', () => {
	// UTF-16 offsets: "Le" 0-2, "👨‍👩‍👧" 3-11, "a" 12-13, "dit" 14-17, "«" skipped, "l’État" -> "l" 20-21 and "État" 22-26, "3,5" -> "3" 28-29, "5" 30-31
	const TEXT = 'Le 👨‍👩‍👧 a dit « l’État 3,5 »';
	const words = wordRanges(TEXT);
	const cut = (r: { start: number; end: number } | null) => (r ? TEXT.slice(r.start, r.end) : null);

	it('finds words (letters with their marks, digits), emoji sequences whole, and skips spaces and punctuation', () => {
		expect(words.map((w) => TEXT.slice(w.start, w.end))).toEqual(['Le', '👨‍👩‍👧', 'a', 'dit', 'l', 'État', '3', '5']);
		expect(words[1]).toEqual({ start: 3, end: 11 });
		expect(wordRanges('e\u0301te\u0301 ')).toEqual([{ start: 0, end: 5 }]); // decomposed accents stay in the word
		expect(wordRanges('')).toEqual([]);
	});

	it('without a selection, → selects the word at or after the cursor and ← the one before it', () => {
		expect(cut(stepSelection(words, null, 0, 1))).toBe('Le');
		expect(cut(stepSelection(words, null, 2, 1))).toBe('👨‍👩‍👧');
		expect(cut(stepSelection(words, null, 15, 1))).toBe('dit'); // inside "dit"
		expect(cut(stepSelection(words, null, 17, -1))).toBe('dit');
		expect(cut(stepSelection(words, null, 15, -1))).toBe('dit');
		expect(cut(stepSelection(words, null, 14, -1))).toBe('a');
		expect(stepSelection(words, null, 0, -1)).toBeNull();
		expect(stepSelection(words, null, TEXT.length, 1)).toBeNull();
	});

	it('with a selection, → grows it by a word and ← shrinks it, then walks back word by word', () => {
		let sel = stepSelection(words, null, 12, 1); // "a"
		sel = stepSelection(words, sel, 0, 1);
		expect(cut(sel)).toBe('a dit');
		sel = stepSelection(words, sel, 0, 1);
		expect(cut(sel)).toBe('a dit « l'); // punctuation inside is kept, never ends a step
		sel = stepSelection(words, sel, 0, -1);
		expect(cut(sel)).toBe('a dit');
		sel = stepSelection(words, sel, 0, -1);
		expect(cut(sel)).toBe('a');
		sel = stepSelection(words, sel, 0, -1);
		expect(cut(sel)).toBe('👨‍👩‍👧');
		sel = stepSelection(words, sel, 0, -1);
		expect(cut(sel)).toBe('Le');
		expect(stepSelection(words, sel, 0, -1)).toEqual(sel); // nowhere to go
		const last = { start: 30, end: 31 };
		expect(stepSelection(words, last, 0, 1)).toEqual(last);
	});
});
