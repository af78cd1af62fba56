import { describe, expect, it } from 'vitest';
import {
	DocLayout,
	OffsetMap,
	codePointLength,
	sliceByCodePoints,
	splitLines,
	toCodePointOffset,
	toUtf16Offset
} from './offsets';

// Expected numbers below were derived with python3 (str indexing is by code point)
// and `len(s.encode('utf-16-le')) // 2` for UTF-16 lengths, then pasted as literals.

const EMOJI = 'a😀b';
const FAMILY = 'x👨‍👩‍👧‍👦y'; // 👨 ZWJ 👩 ZWJ 👧 ZWJ 👦
const SKIN = 'ok 👍🏽!';
const FLAG = '🇫🇷 Paris';
const CJK = '𠀋𠀌字';
const COMBINING = 'cafe\u0301 noir';
const ARABIC = 'قال الوزير 😀 أمس';
const HEBREW = 'שלום 𠀋 עולם';
const CRLF = 'a\r\nb\rc';
const FRENCH = '«\u00a0Bonjour\u00a0» : il a dit\u202f: oui';
/** A mixed string: ASCII, emoji, combining mark, CRLF, CJK ext. B, ZWJ family, NBSP, Hebrew, flag. */
const MIXED = 'A😀é\u0301\r\n𠀋👨‍👩‍👧‍👦\u00a0שלום🇫🇷';
/** MIXED_UTF16[i] = UTF-16 offset of code point offset i (python: [u16(s[:i]) for i in range(len(s)+1)]). */
const MIXED_UTF16 = [0, 1, 3, 4, 5, 6, 7, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25, 27, 29];

describe('codePointLength', () => {
	it.each([
		['', 0, 0],
		['Hello, world', 12, 12],
		[EMOJI, 3, 4],
		[FAMILY, 9, 13],
		[SKIN, 6, 8],
		[FLAG, 8, 10],
		[CJK, 3, 5],
		[COMBINING, 10, 10],
		[ARABIC, 16, 17],
		[HEBREW, 11, 12],
		[CRLF, 6, 6],
		[FRENCH, 28, 28],
		[MIXED, 21, 29]
	])('%j has %i code points (%i UTF-16 units)', (text, cps, units) => {
		expect(text.length).toBe(units);
		expect(codePointLength(text)).toBe(cps);
		expect(new OffsetMap(text).length).toBe(cps);
	});

	it('counts lone surrogates as one code point each', () => {
		expect(codePointLength('\ud83d')).toBe(1);
		expect(codePointLength('a\ude00b')).toBe(3);
		expect(codePointLength('\ude00\ud83d')).toBe(2); // low before high: not a pair
		expect(codePointLength('\ud83d\ud83d\ude00')).toBe(2); // lone high, then a pair
	});
});

describe('toCodePointOffset / toUtf16Offset', () => {
	it('is the identity on ASCII, at both ends', () => {
		const t = 'Hello, world';
		for (let i = 0; i <= t.length; i++) {
			expect(toCodePointOffset(t, i)).toBe(i);
			expect(toUtf16Offset(t, i)).toBe(i);
		}
		expect(toCodePointOffset('', 0)).toBe(0);
		expect(toUtf16Offset('', 0)).toBe(0);
	});

	it('handles a single emoji, flooring inside the surrogate pair', () => {
		expect([0, 1, 2, 3, 4].map((u) => toCodePointOffset(EMOJI, u))).toEqual([0, 1, 1, 2, 3]);
		expect([0, 1, 2, 3].map((c) => toUtf16Offset(EMOJI, c))).toEqual([0, 1, 3, 4]);
	});

	it('handles a ZWJ family (7 code points, 11 UTF-16 units)', () => {
		// python: [(i, u16(fam[:i])) for i in range(len(fam)+1)]
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => toUtf16Offset(FAMILY, c))).toEqual([
			0, 1, 3, 4, 6, 7, 9, 10, 12, 13
		]);
		expect(toCodePointOffset(FAMILY, 12)).toBe(8); // 'y'
		expect(toCodePointOffset(FAMILY, 2)).toBe(1); // inside 👨 -> its start
		expect(toCodePointOffset(FAMILY, 11)).toBe(7); // inside 👦 -> its start
	});

	it('handles a skin tone modifier and a flag', () => {
		expect(toUtf16Offset(SKIN, 3)).toBe(3); // 👍
		expect(toUtf16Offset(SKIN, 4)).toBe(5); // 🏽
		expect(toUtf16Offset(SKIN, 5)).toBe(7); // !
		expect(toCodePointOffset(SKIN, 6)).toBe(4); // inside 🏽
		expect(toUtf16Offset(FLAG, 1)).toBe(2); // 🇷
		expect(toUtf16Offset(FLAG, 2)).toBe(4); // space
		expect(toCodePointOffset(FLAG, 10)).toBe(8);
	});

	it('handles CJK outside the BMP', () => {
		expect([0, 1, 2, 3].map((c) => toUtf16Offset(CJK, c))).toEqual([0, 2, 4, 5]);
		expect([0, 1, 2, 3, 4, 5].map((u) => toCodePointOffset(CJK, u))).toEqual([0, 0, 1, 1, 2, 3]);
	});

	it('counts combining marks as code points of their own', () => {
		expect(toUtf16Offset(COMBINING, 4)).toBe(4); // U+0301 is its own code point
		expect(toCodePointOffset(COMBINING, 5)).toBe(5);
	});

	it('handles RTL text (offsets are logical, not visual)', () => {
		expect(toUtf16Offset(ARABIC, 11)).toBe(11); // 😀
		expect(toUtf16Offset(ARABIC, 12)).toBe(13); // space after it
		expect(toUtf16Offset(ARABIC, 13)).toBe(14); // أ
		expect(toCodePointOffset(ARABIC, 17)).toBe(16);
		expect(toUtf16Offset(HEBREW, 6)).toBe(7);
		expect(toCodePointOffset(HEBREW, 8)).toBe(7); // ע
	});

	it('leaves CRLF, lone CR, NBSP and narrow NBSP alone (all BMP)', () => {
		for (const t of [CRLF, FRENCH]) {
			for (let i = 0; i <= t.length; i++) {
				expect(toCodePointOffset(t, i)).toBe(i);
				expect(toUtf16Offset(t, i)).toBe(i);
			}
		}
	});

	it('round-trips every boundary of a mixed string', () => {
		expect(MIXED_UTF16.length).toBe(codePointLength(MIXED) + 1);
		const map = new OffsetMap(MIXED);
		MIXED_UTF16.forEach((u, c) => {
			expect(toUtf16Offset(MIXED, c)).toBe(u);
			expect(toCodePointOffset(MIXED, u)).toBe(c);
			expect(map.toUtf16(c)).toBe(u);
			expect(map.toCodePoint(u)).toBe(c);
		});
		// Every UTF-16 offset that is not a boundary is inside a pair and floors.
		for (let u = 0; u <= MIXED.length; u++) {
			if (MIXED_UTF16.includes(u)) continue;
			const c = MIXED_UTF16.findLastIndex((b) => b < u);
			expect(toCodePointOffset(MIXED, u)).toBe(c);
			expect(map.toCodePoint(u)).toBe(c);
		}
	});

	it('throws RangeError outside the text or for non-integers', () => {
		expect(() => toUtf16Offset(EMOJI, 4)).toThrow(RangeError);
		expect(() => toUtf16Offset(EMOJI, -1)).toThrow(RangeError);
		expect(() => toUtf16Offset('', 1)).toThrow(RangeError);
		expect(() => toUtf16Offset(EMOJI, 1.5)).toThrow(RangeError);
		expect(() => toUtf16Offset(EMOJI, NaN)).toThrow(RangeError);
		expect(() => toCodePointOffset(EMOJI, 5)).toThrow(RangeError);
		expect(() => toCodePointOffset(EMOJI, -1)).toThrow(RangeError);
		const map = new OffsetMap(EMOJI);
		expect(() => map.toUtf16(4)).toThrow(RangeError);
		expect(() => map.toUtf16(-1)).toThrow(RangeError);
		expect(() => map.toCodePoint(5)).toThrow(RangeError);
		expect(() => map.toCodePoint(0.5)).toThrow(RangeError);
		expect(map.toUtf16(3)).toBe(4);
		expect(map.toCodePoint(4)).toBe(3);
	});
});

describe('sliceByCodePoints', () => {
	const S = 'Le ministre a dit : « l’occupation du 𠀋 site 👨‍👩‍👧‍👦 est illégale » — 😀.';

	it('equals python text[start:end]', () => {
		expect(codePointLength(S)).toBe(72);
		expect(S.length).toBe(78);
		expect(sliceByCodePoints(S, 3, 11)).toBe('ministre');
		expect(sliceByCodePoints(S, 20, 32)).toBe('« l’occupati');
		expect(sliceByCodePoints(S, 38, 39)).toBe('𠀋');
		expect(sliceByCodePoints(S, 45, 52)).toBe('👨‍👩‍👧‍👦');
		expect(sliceByCodePoints(S, 40, 1000)).toBe('site 👨‍👩‍👧‍👦 est illégale » — 😀.');
		expect(sliceByCodePoints(S, -3, 72)).toBe(' 😀.');
		expect(sliceByCodePoints(S, -100, 2)).toBe('Le');
		expect(sliceByCodePoints(S, 0, 72)).toBe(S);
		expect(sliceByCodePoints(S, 72, 72)).toBe('');
		expect(sliceByCodePoints(S, 10, 5)).toBe('');
		expect(sliceByCodePoints(S, 80, 90)).toBe('');
		expect(sliceByCodePoints('', 0, 0)).toBe('');
		expect(sliceByCodePoints(COMBINING, 0, 5)).toBe('cafe\u0301');
		expect(sliceByCodePoints(COMBINING, 0, 4)).toBe('cafe'); // splits base+mark, as python does
		expect(sliceByCodePoints(SKIN, 3, 4)).toBe('👍');
		expect(sliceByCodePoints(FLAG, 0, 1)).toBe('🇫');
	});

	it('rejects non-integers', () => {
		expect(() => sliceByCodePoints(S, 0.5, 2)).toThrow(RangeError);
	});
});

describe('OffsetMap agrees with the naive functions on random strings', () => {
	/** mulberry32: small seeded PRNG so failures are reproducible. */
	function rng(seed: number) {
		return () => {
			seed = (seed + 0x6d2b79f5) | 0;
			let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	}
	const PIECES = [
		'a', 'Z', ' ', '\r\n', '\r', '\n', '\u00a0', '\u202f', 'é', 'e\u0301', 'ש', 'ق',
		'😀', '👍🏽', '🇫🇷', '𠀋', '👨‍👩‍👧‍👦', '’', '\ud83d' /* lone high */, '\ude00' /* lone low */
	];

	it.each([1, 2, 3, 42, 2024])('seed %i', (seed) => {
		const rand = rng(seed);
		for (let round = 0; round < 40; round++) {
			let text = '';
			const n = Math.floor(rand() * 60);
			for (let i = 0; i < n; i++) text += PIECES[Math.floor(rand() * PIECES.length)];
			// Independent reference: Array.from splits a string into code points.
			const cps = Array.from(text);
			const map = new OffsetMap(text);
			expect(map.length).toBe(cps.length);
			expect(codePointLength(text)).toBe(cps.length);
			// bounds[c] = UTF-16 offset of code point offset c
			const bounds = [0];
			for (const cp of cps) bounds.push(bounds[bounds.length - 1] + cp.length);
			for (let c = 0; c <= cps.length; c++) {
				expect(toUtf16Offset(text, c)).toBe(bounds[c]);
				expect(map.toUtf16(c)).toBe(bounds[c]);
			}
			for (let u16 = 0; u16 <= text.length; u16++) {
				const expected = bounds.findLastIndex((b) => b <= u16); // floor inside a pair
				expect(toCodePointOffset(text, u16)).toBe(expected);
				expect(map.toCodePoint(u16)).toBe(expected);
			}
			const a = Math.floor(rand() * (cps.length + 1));
			const b = Math.floor(rand() * (cps.length + 1));
			expect(sliceByCodePoints(text, a, b)).toBe(cps.slice(a, b).join(''));
		}
	});

	it('is fast on a long text (50k chars, 100k conversions)', () => {
		const rand = rng(7);
		let text = '';
		while (text.length < 50_000) text += PIECES[Math.floor(rand() * PIECES.length)];
		const t0 = performance.now();
		const map = new OffsetMap(text);
		let acc = 0;
		for (let i = 0; i < 100_000; i++) {
			acc += map.toCodePoint(Math.floor(rand() * (text.length + 1)));
			acc += map.toUtf16(Math.floor(rand() * (map.length + 1)));
		}
		expect(acc).toBeGreaterThan(0);
		expect(performance.now() - t0).toBeLessThan(1000); // typically ~20 ms
	});
});

describe('splitLines', () => {
	it('matches the documented examples', () => {
		expect(splitLines('')).toEqual([{ start: 0, end: 0 }]);
		expect(splitLines('a\n')).toEqual([
			{ start: 0, end: 1 },
			{ start: 2, end: 2 }
		]);
		expect(splitLines('a\r\nb')).toEqual([
			{ start: 0, end: 1 },
			{ start: 3, end: 4 }
		]);
	});

	it('treats \\r\\n, \\n and lone \\r as one break each and keeps empty lines', () => {
		expect(splitLines(CRLF)).toEqual([
			{ start: 0, end: 1 },
			{ start: 3, end: 4 },
			{ start: 5, end: 6 }
		]);
		expect(splitLines('\n\r\n\r')).toEqual([
			{ start: 0, end: 0 },
			{ start: 1, end: 1 },
			{ start: 3, end: 3 },
			{ start: 4, end: 4 }
		]);
		expect(splitLines('\n\r')).toEqual([
			{ start: 0, end: 0 },
			{ start: 1, end: 1 },
			{ start: 2, end: 2 }
		]); // \n\r is two breaks, not one
		expect(splitLines('no break\u2028here\u00a0')).toEqual([{ start: 0, end: 14 }]);
	});
});

describe('DocLayout', () => {
	// python: doc = 'Le 😀 chat\r\nest là.\n\n𠀋 fin' -> len 25 code points, 27 UTF-16 units.
	// UTF-16 lines: [0,10] \r\n [12,19] \n [20,20] \n [21,27]
	// PM: P = [0, 12, 21, 23], doc content size 31.
	const DOC = 'Le 😀 chat\r\nest là.\n\n𠀋 fin';
	const layout = new DocLayout(DOC);

	it('lays out lines and paragraphs', () => {
		expect(DOC.length).toBe(27);
		expect(layout.offsets.length).toBe(25);
		expect(layout.text).toBe(DOC);
		expect(layout.lines).toEqual([
			{ start: 0, end: 10 },
			{ start: 12, end: 19 },
			{ start: 20, end: 20 },
			{ start: 21, end: 27 }
		]);
		expect(layout.docSize).toBe(31);
	});

	it('maps utf16 offsets to positions', () => {
		expect(layout.utf16ToPos(0)).toBe(1);
		expect(layout.utf16ToPos(3)).toBe(4); // 😀
		expect(layout.utf16ToPos(5)).toBe(6);
		expect(layout.utf16ToPos(10)).toBe(11); // end of line 0 (before \r)
		expect(layout.utf16ToPos(12)).toBe(13); // start of line 1
		expect(layout.utf16ToPos(19)).toBe(20); // end of line 1 (before \n)
		expect(layout.utf16ToPos(20)).toBe(22); // the empty line
		expect(layout.utf16ToPos(21)).toBe(24); // 𠀋
		expect(layout.utf16ToPos(27)).toBe(30); // end of text
		expect(() => layout.utf16ToPos(28)).toThrow(RangeError);
		expect(() => layout.utf16ToPos(-1)).toThrow(RangeError);
	});

	it('maps an offset inside a CRLF by side', () => {
		expect(layout.utf16ToPos(11)).toBe(13); // default 'start': start of next line
		expect(layout.utf16ToPos(11, 'start')).toBe(13);
		expect(layout.utf16ToPos(11, 'end')).toBe(11); // end of line before
		// Side only matters inside a terminator.
		expect(layout.utf16ToPos(10, 'start')).toBe(11);
		expect(layout.utf16ToPos(12, 'end')).toBe(13);
	});

	it('maps positions back to utf16 offsets, clamping outside content', () => {
		const cases: [number, number][] = [
			[-5, 0],
			[0, 0], // before the first paragraph
			[1, 0],
			[11, 10],
			[12, 12], // between paragraphs 0 and 1 -> start of line 1
			[13, 12],
			[20, 19],
			[21, 20], // between 1 and 2
			[22, 20], // inside the empty paragraph
			[23, 21], // between 2 and 3
			[24, 21],
			[30, 27],
			[31, 27], // after the last paragraph
			[100, 27]
		];
		for (const [pos, u] of cases) expect([pos, layout.posToUtf16(pos)]).toEqual([pos, u]);
	});

	it('round-trips every utf16 offset outside terminators', () => {
		for (let u = 0; u <= DOC.length; u++) {
			if (u === 11) continue; // between \r and \n
			expect(layout.posToUtf16(layout.utf16ToPos(u))).toBe(u);
		}
		// Every content position round-trips too.
		for (let i = 0; i < layout.lines.length; i++) {
			const line = layout.lines[i];
			for (let u = line.start; u <= line.end; u++) {
				const pos = layout.utf16ToPos(u);
				expect(layout.utf16ToPos(layout.posToUtf16(pos))).toBe(pos);
			}
		}
	});

	it('converts code points to positions and back', () => {
		expect(layout.codePointToPos(3)).toBe(4); // 😀
		expect(layout.codePointToPos(4)).toBe(6); // after 😀
		expect(layout.codePointToPos(10)).toBe(13); // between \r and \n
		expect(layout.codePointToPos(10, 'end')).toBe(11);
		expect(layout.codePointToPos(11)).toBe(13); // 'e' of "est"
		expect(layout.codePointToPos(20)).toBe(24); // 𠀋
		expect(layout.codePointToPos(21)).toBe(26);
		expect(layout.codePointToPos(25)).toBe(30);
		expect(() => layout.codePointToPos(26)).toThrow(RangeError);
		expect(layout.posToCodePoint(4)).toBe(3);
		expect(layout.posToCodePoint(5)).toBe(3); // inside 😀 -> floor
		expect(layout.posToCodePoint(6)).toBe(4);
		expect(layout.posToCodePoint(13)).toBe(11);
		expect(layout.posToCodePoint(25)).toBe(20); // inside 𠀋 -> floor
		expect(layout.posToCodePoint(26)).toBe(21);
		expect(layout.posToCodePoint(31)).toBe(25);
		for (let c = 0; c <= 25; c++) {
			if (c === 10) continue; // inside \r\n: 'start' lands on the next line
			expect(layout.posToCodePoint(layout.codePointToPos(c))).toBe(c);
			expect(layout.posToCodePoint(layout.codePointToPos(c, 'end'))).toBe(c);
		}
		expect(layout.posToCodePoint(layout.codePointToPos(10, 'end'))).toBe(9);
		expect(layout.posToCodePoint(layout.codePointToPos(10, 'start'))).toBe(11);
	});

	it('handles CRLF empty lines, lone CR and a trailing newline', () => {
		// lines: [0,5] \r\n [7,7] \r\n [9,20] \r [21,26] \n [27,27]; P = [0, 7, 9, 22, 29]; size 31
		const l = new DocLayout('Title\r\n\r\nSecond line\rThird\n');
		expect(l.lines.map((x) => [x.start, x.end])).toEqual([
			[0, 5],
			[7, 7],
			[9, 20],
			[21, 26],
			[27, 27]
		]);
		expect(l.docSize).toBe(31);
		expect([0, 5, 6, 7, 8, 9, 20, 21, 26, 27].map((u) => l.utf16ToPos(u))).toEqual([
			1, 6, 8, 8, 10, 10, 21, 23, 28, 30
		]);
		expect([6, 8].map((u) => l.utf16ToPos(u, 'end'))).toEqual([6, 8]);
		expect([0, 6, 7, 8, 9, 10, 21, 22, 23, 28, 29, 30, 31].map((p) => l.posToUtf16(p))).toEqual([
			0, 5, 7, 7, 9, 9, 20, 21, 21, 26, 27, 27, 27
		]);
	});

	it('handles the empty text', () => {
		const l = new DocLayout('');
		expect(l.lines).toEqual([{ start: 0, end: 0 }]);
		expect(l.docSize).toBe(2);
		expect(l.utf16ToPos(0)).toBe(1);
		expect(l.codePointToPos(0)).toBe(1);
		expect([0, 1, 2, 3].map((p) => l.posToUtf16(p))).toEqual([0, 0, 0, 0]);
		expect(l.posToCodePoint(1)).toBe(0);
	});
});
