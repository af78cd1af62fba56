import { describe, expect, it } from 'vitest';
import { assignLanes, compareSpans, diffSpans, materializeSpans, packSpans, unpackSpans, spanId, validateSpans } from './spans';
import type { SpanInput } from './types';

// Code point offsets are python string indices.

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
