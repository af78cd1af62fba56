import { describe, expect, it } from 'vitest';
import { markSpan, tokenize, tokenizeOffsets } from './tokens';

/**
 * The old definition, still exact for text without spaceless scripts and
 * without symbols followed by marks, joiners or modifiers (see text/words.ts).
 */
const TOKEN_REGEX = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

/** Reference: run the regex and convert UTF-16 indices to code points. */
function regexTokens(text: string): { start: number; end: number }[] {
	const out: { start: number; end: number }[] = [];
	const cpBefore = (i: number) => [...text.slice(0, i)].length;
	for (const m of text.matchAll(new RegExp(TOKEN_REGEX.source, TOKEN_REGEX.flags))) {
		const start = cpBefore(m.index!);
		out.push({ start, end: start + [...m[0]].length });
	}
	return out;
}

describe('tokenize', () => {
	it('French text with apostrophes, emoji and combining marks (code point offsets)', () => {
		const text = "L'économie d’aujourd'hui 👍🏽 va bien… Ça coûte 3,5 % — «vraiment» ?\u00a0e\u0301té 🇫🇷!";
		// expected computed independently with Python's `regex` module (indices are code points):
		// python3 -c "import regex; s=...; print([(m.start(),m.end()) for m in regex.finditer(r'[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]', s)])"
		// then the emoji clusters joined (👍🏽 [25,27), 🇫🇷 [72,74): one grapheme cluster each, Python `regex` \X)
		const expected = [
			[0, 1], [1, 2], [2, 10], [11, 12], [12, 13], [13, 20], [20, 21], [21, 24], [25, 27],
			[28, 30], [31, 35], [35, 36], [37, 39], [40, 45], [46, 47], [47, 48], [48, 49], [50, 51], [52, 53],
			[54, 55], [55, 63], [63, 64], [65, 66], [67, 71], [72, 74], [74, 75]
		];
		const toks = tokenize(text);
		expect(toks.map((t) => [t.start, t.end])).toEqual(expected);
		const cps = [...text];
		expect(toks.map((t) => cps.slice(t.start, t.end).join(''))).toEqual([
			'L', "'", 'économie', 'd', '’', 'aujourd', "'", 'hui', '👍🏽', 'va', 'bien', '…', 'Ça', 'coûte',
			'3', ',', '5', '%', '—', '«', 'vraiment', '»', '?', 'e\u0301té', '🇫🇷', '!'
		]);
		expect(cps.length).toBe(75);
	});

	it('empty and whitespace-only text', () => {
		expect(tokenize('')).toEqual([]);
		expect(tokenize(' \n\t\u00a0\u3000 ')).toEqual([]);
	});

	it('astral letters are part of words, lone surrogates are single tokens', () => {
		// U+1D400 MATHEMATICAL BOLD CAPITAL A is a letter (Lu)
		expect(tokenize('a𝐀b c')).toEqual([
			{ start: 0, end: 3 },
			{ start: 4, end: 5 }
		]);
		expect(tokenize('x\ud800y \udc00')).toEqual([
			{ start: 0, end: 1 },
			{ start: 1, end: 2 },
			{ start: 2, end: 3 },
			{ start: 4, end: 5 }
		]);
	});

	it('equals the regex definition on random strings of scripts written with spaces', () => {
		// no spaceless scripts, marks only after letters: there the regex is the definition
		const alphabet = [
			'a', 'É', 'ß', 'ж', '٣', '5', '\u0301', '\u0652', ' ', '\n', '\t', '\u00a0', '\u2009', '\u3000',
			"'", '’', '-', '.', ',', '«', '»', '…', '$', '€', '😀', '𝐀', '\ufeff', '\ud800', '\udc00', '𝟘',
			'\u{10FFFF}'
		];
		let seed = 7;
		const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		for (let r = 0; r < 300; r++) {
			let s = '';
			const len = Math.floor(rnd() * 40);
			for (let k = 0; k < len; k++) {
				const c = alphabet[Math.floor(rnd() * alphabet.length)];
				if (/^\p{M}/u.test(c) && !/[\p{L}\p{N}\p{M}]$/u.test(s)) continue;
				s += c;
			}
			expect(tokenize(s), JSON.stringify(s)).toEqual(regexTokens(s));
		}
	});

	it('on any string, the tokens are in order, disjoint and hold exactly the non-space code points', () => {
		const alphabet = [
			'a', 'É', '中', '東京', 'で', 'カ', 'ー', 'ก', 'ั', 'ລ', 'ក', 'မ', '5', '\u0301', ' ', '\n', '\u3000', '。',
			'’', '.', '«', '😀', '👍🏽', '🇫🇷', '\u{1F3FB}', '\u200d', '\ufe0f', '\u20e3', '#', '\ud800', '\udc00', '𠀋'
		];
		let seed = 11;
		const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		for (let r = 0; r < 300; r++) {
			let s = '';
			const len = Math.floor(rnd() * 40);
			for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
			const cps = [...s];
			const toks = tokenize(s);
			let last = 0;
			let joined = '';
			for (const t of toks) {
				expect(t.start, JSON.stringify(s)).toBeGreaterThanOrEqual(last);
				expect(t.end).toBeGreaterThan(t.start);
				last = t.end;
				joined += cps.slice(t.start, t.end).join('');
			}
			expect(joined, JSON.stringify(s)).toBe(cps.filter((c) => !/\s/u.test(c)).join(''));
		}
	});

	it('reuses buffers without leaking previous tokens', () => {
		const a = tokenizeOffsets('one two three four');
		const b = tokenizeOffsets('x', a);
		expect(b.count).toBe(1);
		expect([b.starts[0], b.ends[0]]).toEqual([0, 1]);
		const c = tokenizeOffsets('a much longer text than before, to force growth!', b);
		expect(c.count).toBe(regexTokens('a much longer text than before, to force growth!').length);
	});
});

describe('markSpan', () => {
	it('marks every token overlapping the span by at least one code point', () => {
		const text = 'ab cd, ef 😀 gh';
		const toks = tokenizeOffsets(text); // ab[0,2) cd[3,5) ,[5,6) ef[7,9) 😀[10,11) gh[12,14)
		expect(toks.count).toBe(6);
		const masks = new Uint32Array(toks.count);
		markSpan(toks, 1, 4, 0, 1, masks); // touches "ab" and "cd"
		markSpan(toks, 5, 7, 1, 1, masks); // "," only: [5,7) ends where "ef" starts
		markSpan(toks, 2, 3, 2, 1, masks); // whitespace only: no token
		markSpan(toks, 10, 11, 3, 1, masks); // the emoji (one code point)
		markSpan(toks, 9, 9, 4, 1, masks); // empty span: nothing
		expect([...masks]).toEqual([0b1, 0b1, 0b10, 0, 0b1000, 0]);
	});

	it('supports label indices beyond 31 (several mask words per token)', () => {
		const toks = tokenizeOffsets('a b');
		const masks = new Uint32Array(toks.count * 2);
		markSpan(toks, 0, 3, 33, 2, masks);
		markSpan(toks, 2, 3, 31, 2, masks);
		expect([...masks]).toEqual([0, 2, 0x80000000, 2]);
	});
});
