import { describe, expect, it } from 'vitest';
import {
	assignLanes,
	compareSpans,
	diffSpans,
	materializeSpans,
	packSpans,
	unpackSpans,
	snapToWords,
	spanId,
	stepSelection,
	trimSelection,
	wordRanges,
	validateSpans
} from './spans';
import type { SpanInput } from './types';

// UTF-16 offsets below were derived with python3 (`len(s[:i].encode('utf-16-le')) // 2`)
// and pasted as literals; code point offsets are python string indices.

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

describe('compareSpans', () => {
	it('orders by start, then end, then label', () => {
		const spans: SpanInput[] = [
			{ start: 5, end: 9, label: 'date' },
			{ start: 0, end: 4, label: 'framing' },
			{ start: 5, end: 7, label: 'claim' },
			{ start: 5, end: 9, label: 'claim' },
			{ start: 0, end: 4, label: 'attribution' }
		];
		expect(spans.slice().sort(compareSpans).map((s) => `${s.start}-${s.end}-${s.label}`)).toEqual([
			'0-4-attribution',
			'0-4-framing',
			'5-7-claim',
			'5-9-claim',
			'5-9-date'
		]);
		expect(compareSpans({ start: 1, end: 2, label: 'x' }, { start: 1, end: 2, label: 'x' })).toBe(0);
	});
});

describe('spanId', () => {
	it('matches literal FNV-1a 64 values (computed with python over UTF-8)', () => {
		expect(spanId({ start: 0, end: 5, label: 'claim' })).toBe('s90169e2639454960');
		expect(spanId({ start: 12, end: 40, label: 'attribution' })).toBe('s2b45e7efbfaeeaf3');
		expect(spanId({ start: 3, end: 7, label: 'café' })).toBe('s03db139c171260b9');
		expect(spanId({ start: 0, end: 1, label: 'x' })).toBe('s465255583ab0ae28');
	});

	it('is stable, depends only on start/end/label, and agrees with a BigInt reference', () => {
		const a = { start: 0, end: 5, label: 'claim' };
		expect(spanId(a)).toBe(spanId({ ...a }));
		expect(spanId({ ...a, id: 'whatever', text: 'x' } as SpanInput)).toBe(spanId(a));
		expect(spanId({ ...a, label: 'date' })).not.toBe(spanId(a));
		expect(spanId({ start: 0, end: 51, label: 'claim' })).not.toBe(spanId({ start: 0, end: 5, label: '1claim' }));
		const reference = (s: SpanInput) => {
			let h = 0xcbf29ce484222325n;
			for (const b of new TextEncoder().encode(`${s.start}:${s.end}:${s.label}`)) {
				h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
			}
			return 's' + h.toString(16).padStart(16, '0');
		};
		const labels = ['claim', 'attribution', 'framing', 'date', 'é😀', ''];
		for (let i = 0; i < 500; i++) {
			const s = { start: i * 7, end: i * 7 + (i % 13) + 1, label: labels[i % labels.length] };
			expect(spanId(s)).toMatch(/^s[0-9a-f]{16}$/);
			expect(spanId(s)).toBe(reference(s));
		}
	});
});

describe('validateSpans', () => {
	// 'Président 😀 a dit « non ».' : 26 code points, 27 UTF-16 units
	const TEXT = 'Président 😀 a dit « non ».';
	const LABELS = ['claim', 'attribution', 'framing', 'date'];

	it('accepts valid spans, including one ending exactly at the end', () => {
		expect(
			validateSpans(
				TEXT,
				[
					{ start: 0, end: 9, label: 'claim' },
					{ start: 10, end: 11, label: 'framing' },
					{ start: 0, end: 26, label: 'date' }
				],
				LABELS
			)
		).toEqual([]);
		expect(validateSpans(TEXT, [], LABELS)).toEqual([]);
	});

	it('reports clear messages with the span index', () => {
		const problems = validateSpans(
			TEXT,
			[
				{ start: 0, end: 9, label: 'claim' },
				{ start: 10, end: 11, label: 'foo' },
				{ start: 5, end: 5, label: 'claim' },
				{ start: 20, end: 27, label: 'date' }, // 27 is the UTF-16 length, not the code point length
				{ start: -1, end: 3, label: 'claim' },
				{ start: 1.5, end: 3, label: 'claim' },
				{ start: 7, end: 3, label: 'claim' },
				{ start: 30, end: 31, label: 'claim' }
			],
			LABELS
		);
		expect(problems).toEqual([
			{ index: 1, message: 'span 1: unknown label "foo" (known: claim, attribution, framing, date)' },
			{ index: 2, message: 'span 2: start must be less than end' },
			{ index: 3, message: 'span 3: end 27 is beyond the end of the text (length 26)' },
			{ index: 4, message: 'span 4: start -1 is negative' },
			{ index: 5, message: 'span 5: start 1.5 is not an integer' },
			{ index: 6, message: 'span 6: start must be less than end' },
			{ index: 7, message: 'span 7: start 30 is beyond the end of the text (length 26)' },
			{ index: 7, message: 'span 7: end 31 is beyond the end of the text (length 26)' }
		]);
	});

	it('says so when no labels are defined, and rejects every span on empty text', () => {
		expect(validateSpans('', [{ start: 0, end: 1, label: 'x' }], []).map((p) => p.message)).toEqual([
			'span 0: end 1 is beyond the end of the text (length 0)',
			'span 0: unknown label "x" (no labels are defined)'
		]);
	});
});

describe('materializeSpans', () => {
	const TEXT = 'Président 😀 a dit « non ».';

	it('adds id and code point text, sorts and drops exact duplicates', () => {
		const spans = materializeSpans(TEXT, [
			{ start: 14, end: 22, label: 'framing' },
			{ start: 10, end: 11, label: 'claim' },
			{ start: 0, end: 9, label: 'attribution' },
			{ start: 10, end: 11, label: 'claim' },
			{ start: 10, end: 11, label: 'date' }
		]);
		// python: s[0:9], s[10:11], s[14:22]
		expect(spans).toEqual([
			{ id: spanId({ start: 0, end: 9, label: 'attribution' }), start: 0, end: 9, label: 'attribution', text: 'Président' },
			{ id: spanId({ start: 10, end: 11, label: 'claim' }), start: 10, end: 11, label: 'claim', text: '😀' },
			{ id: spanId({ start: 10, end: 11, label: 'date' }), start: 10, end: 11, label: 'date', text: '😀' },
			{ id: spanId({ start: 14, end: 22, label: 'framing' }), start: 14, end: 22, label: 'framing', text: 'dit « no' }
		]);
		expect(spans[1].id).toBe(spanId({ start: 10, end: 11, label: 'claim' }));
	});

	it('recomputes stale id/text, keeps attrs, and does not mutate the input', () => {
		const input = [{ start: 0, end: 9, label: 'claim', id: 'stale', text: 'stale', attrs: { note: 'n' } }];
		const [span] = materializeSpans(TEXT, input);
		expect(span).toEqual({ id: spanId({ start: 0, end: 9, label: 'claim' }), start: 0, end: 9, label: 'claim', text: 'Président', attrs: { note: 'n' } });
		expect(input[0].id).toBe('stale');
	});

	it('handles ZWJ sequences, CJK outside the BMP and empty input', () => {
		const t = 'x👨‍👩‍👧‍👦y 𠀋𠀌';
		expect(materializeSpans(t, [{ start: 1, end: 8, label: 'claim' }, { start: 10, end: 12, label: 'date' }]).map((s) => s.text)).toEqual([
			'👨‍👩‍👧‍👦',
			'𠀋𠀌'
		]);
		expect(materializeSpans(t, [])).toEqual([]);
		expect(() => materializeSpans(t, [{ start: 0, end: 13, label: 'claim' }])).toThrow(RangeError);
	});
});

describe('packSpans / unpackSpans', () => {
	const TEXT = 'Président 😀 a dit « non ».';

	it('packs (start, end, label index) triples and unpacks to exactly the materialised spans', () => {
		const spans = materializeSpans(TEXT, [
			{ start: 0, end: 9, label: 'attribution' },
			{ start: 10, end: 11, label: 'claim' },
			{ start: 10, end: 11, label: 'date' },
			{ start: 14, end: 22, label: 'claim', attrs: { note: 'n' } } as SpanInput
		]);
		const packed = packSpans(spans);
		expect(packed).toEqual({
			labels: ['attribution', 'claim', 'date'],
			triples: [0, 9, 0, 10, 11, 1, 10, 11, 2, 14, 22, 1],
			attrs: { 3: { note: 'n' } }
		});
		// what the page ships is plain JSON; what comes back is what the server holds
		expect(unpackSpans(TEXT, JSON.parse(JSON.stringify(packed)))).toEqual(spans);
		expect(unpackSpans(TEXT, packed)[1]).toEqual({ id: spanId({ start: 10, end: 11, label: 'claim' }), start: 10, end: 11, label: 'claim', text: '😀' });
	});

	it('has no attrs key when no span has attrs, and round-trips nothing', () => {
		expect(packSpans([])).toEqual({ labels: [], triples: [] });
		expect(unpackSpans(TEXT, packSpans([]))).toEqual([]);
	});
});

describe('diffSpans', () => {
	const A = { start: 0, end: 5, label: 'claim' };
	const B = { start: 6, end: 9, label: 'date' };
	const C = { start: 10, end: 12, label: 'framing' };

	it('counts a label change at the same range as relabelled', () => {
		expect(diffSpans([A, B, C], [A, { ...B, label: 'claim' }, { start: 13, end: 15, label: 'claim' }])).toEqual({
			added: 1,
			removed: 1,
			relabelled: 1
		});
	});

	it('counts moved spans as removed + added', () => {
		expect(diffSpans([A], [{ ...A, end: 6 }])).toEqual({ added: 1, removed: 1, relabelled: 0 });
	});

	it('handles no change, empty sides, order and duplicates', () => {
		expect(diffSpans([A, B], [B, A])).toEqual({ added: 0, removed: 0, relabelled: 0 });
		expect(diffSpans([A, A], [A])).toEqual({ added: 0, removed: 0, relabelled: 0 });
		expect(diffSpans([], [A, B])).toEqual({ added: 2, removed: 0, relabelled: 0 });
		expect(diffSpans([A, B, C], [])).toEqual({ added: 0, removed: 3, relabelled: 0 });
		expect(diffSpans([], [])).toEqual({ added: 0, removed: 0, relabelled: 0 });
	});

	it('pairs relabels at a range with several labels', () => {
		const before = [A, { ...A, label: 'date' }];
		expect(diffSpans(before, [{ ...A, label: 'framing' }])).toEqual({ added: 0, removed: 1, relabelled: 1 });
		expect(diffSpans(before, [A, { ...A, label: 'framing' }])).toEqual({ added: 0, removed: 0, relabelled: 1 });
		expect(diffSpans([A], [{ ...A, label: 'date' }, { ...A, label: 'framing' }])).toEqual({
			added: 1,
			removed: 0,
			relabelled: 1
		});
	});
});

describe('assignLanes', () => {
	const s = (start: number, end: number, label = 'claim'): SpanInput => ({ start, end, label });

	it('puts disjoint and touching spans in lane 0', () => {
		expect(assignLanes([s(0, 5), s(5, 9), s(10, 12)])).toEqual([0, 0, 0]);
		expect(assignLanes([])).toEqual([]);
	});

	it('stacks nested spans', () => {
		expect(assignLanes([s(0, 20), s(2, 5), s(3, 4), s(6, 10)])).toEqual([0, 1, 2, 1]);
	});

	it('reuses lanes for overlapping chains', () => {
		expect(assignLanes([s(0, 5), s(3, 8), s(6, 10)])).toEqual([0, 1, 0]);
		expect(assignLanes([s(0, 10), s(1, 3), s(2, 5), s(4, 6), s(6, 7)])).toEqual([0, 1, 2, 1, 1]);
	});

	it('puts longer spans first when starts tie and returns lanes in input order', () => {
		expect(assignLanes([s(0, 3), s(0, 10), s(2, 4)])).toEqual([1, 0, 2]);
		expect(assignLanes([s(4, 6, 'date'), s(4, 6, 'claim')])).toEqual([1, 0]); // then by label
	});

	it('never gives overlapping spans the same lane and matches a naive greedy (seeded)', () => {
		let seed = 12345;
		const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
		for (let round = 0; round < 50; round++) {
			const spans: SpanInput[] = [];
			for (let i = 0; i < 40; i++) {
				const start = Math.floor(rand() * 100);
				spans.push(s(start, start + 1 + Math.floor(rand() * 15), ['claim', 'date'][i % 2]));
			}
			const lanes = assignLanes(spans);
			for (let i = 0; i < spans.length; i++) {
				for (let j = i + 1; j < spans.length; j++) {
					const overlap = spans[i].start < spans[j].end && spans[j].start < spans[i].end;
					if (overlap) expect(lanes[i]).not.toBe(lanes[j]);
				}
			}
			// naive: in order, lowest lane whose last end <= start
			const order = spans
				.map((_, i) => i)
				.sort((i, j) => spans[i].start - spans[j].start || spans[j].end - spans[i].end || (spans[i].label < spans[j].label ? -1 : spans[i].label > spans[j].label ? 1 : 0) || i - j);
			const laneEnds: number[] = [];
			const naive: number[] = [];
			for (const i of order) {
				let lane = laneEnds.findIndex((e) => e <= spans[i].start);
				if (lane < 0) lane = laneEnds.length;
				laneEnds[lane] = spans[i].end;
				naive[i] = lane;
			}
			expect(lanes).toEqual(naive);
		}
	});
});
