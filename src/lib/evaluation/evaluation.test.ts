import { describe, expect, it } from 'vitest';
import { TooManyOverlaps, classify, compareDocument, exactMatches, overlapMatches, ratios, tokenCounts, documentTokens, type EvalSpan } from './match';
import { Evaluation, keyed, quartileCuts, thresholdsFor } from './report';
import { interval, mulberry32, percentileOfSorted } from './bootstrap';
import { documentErrors, groupErrors } from './errors';
import { overlapMatchCount } from '../agreement/spanF1';
import { codePointLength } from '../text/offsets';
import { tokenize } from '../agreement/tokens';

const span = (start: number, end: number, label: string, score?: number): EvalSpan =>
	score === undefined ? { start, end, label } : { start, end, label, score };

/** code point [start, end) of the first occurrence of `part` in `text` */
function at(text: string, part: string, label: string): EvalSpan {
	const i = text.indexOf(part);
	if (i < 0) throw new Error(`${part} not in text`);
	const start = codePointLength(text.slice(0, i));
	return span(start, start + codePointLength(part), label);
}

async function evaluate(docs: Array<{ text: string; ref: EvalSpan[]; pred: EvalSpan[]; b?: EvalSpan[]; meta?: Record<string, unknown> }>, options = {}, boot = {}) {
	const e = new Evaluation(options);
	docs.forEach((d, i) => e.add({ id: `d${i}`, text: d.text, meta: d.meta, references: [d.ref], predicted: d.pred, compared: d.b }));
	return e.finish({ resamples: 200, seed: 7, ...boot });
}

// "The mayor said taxes rise."
//  The 0-3, mayor 4-9, said 10-14, taxes 15-20, rise 21-25, "." 25-26
const MAYOR = 'The mayor said taxes rise.';
const MAYOR_REF = [span(15, 26, 'claim'), span(0, 9, 'attribution')];
const MAYOR_PRED = [span(15, 25, 'claim'), span(0, 9, 'attribution'), span(10, 14, 'claim')];

describe('matching rules on a hand-worked sentence', () => {
	it('exact: same start, end and label', async () => {
		const r = await evaluate([{ text: MAYOR, ref: MAYOR_REF, pred: MAYOR_PRED }]);
		expect(r.table.labels.claim.exact).toMatchObject({ tp: 0, fp: 2, fn: 1, precision: 0, recall: 0, f1: 0 });
		expect(r.table.labels.attribution.exact).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
		// micro: tp 1, fp 2, fn 1 → P 1/3, R 1/2, F1 2/(2+2+1)
		expect(r.table.micro.exact).toMatchObject({ tp: 1, fp: 2, fn: 1 });
		expect(r.table.micro.exact.precision).toBeCloseTo(1 / 3, 12);
		expect(r.table.micro.exact.recall).toBeCloseTo(0.5, 12);
		expect(r.table.micro.exact.f1).toBeCloseTo(0.4, 12);
		// macro: mean of claim (0) and attribution (1)
		expect(r.table.macro.exact.f1).toBeCloseTo(0.5, 12);
		expect(r.table.macro.exact.precision).toBeCloseTo(0.5, 12);
	});

	it('overlap: same label, sharing a code point, each span once', async () => {
		const r = await evaluate([{ text: MAYOR, ref: MAYOR_REF, pred: MAYOR_PRED }]);
		expect(r.table.labels.claim.overlap).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
		expect(r.table.micro.overlap).toMatchObject({ tp: 2, fp: 1, fn: 0 });
		expect(r.table.micro.overlap.f1).toBeCloseTo(0.8, 12);
	});

	it('token: tokens touched by a label on each side', async () => {
		const r = await evaluate([{ text: MAYOR, ref: MAYOR_REF, pred: MAYOR_PRED }]);
		// claim: reference taxes, rise, "." — predicted said, taxes, rise
		expect(r.table.labels.claim.token).toMatchObject({ tp: 2, fp: 1, fn: 1 });
		expect(r.table.labels.attribution.token).toMatchObject({ tp: 2, fp: 0, fn: 0 });
		expect(r.table.micro.token.f1).toBeCloseTo(8 / 10, 12);
	});

	it('error categories, counted under the reference label (spurious: the predicted one)', async () => {
		const r = await evaluate([{ text: MAYOR, ref: MAYOR_REF, pred: MAYOR_PRED }]);
		expect(r.table.labels.attribution.errors).toEqual({ correct: 1, wrong_label: 0, wrong_boundaries: 0, wrong_label_and_boundaries: 0, missed: 0, spurious: 0 });
		expect(r.table.labels.claim.errors).toEqual({ correct: 0, wrong_label: 0, wrong_boundaries: 1, wrong_label_and_boundaries: 0, missed: 0, spurious: 1 });
	});

	it('every category of the scheme on one document', () => {
		const ref = [span(0, 4, 'a'), span(5, 9, 'a'), span(10, 14, 'a'), span(15, 19, 'a'), span(20, 24, 'a')];
		const pred = [
			span(0, 4, 'a'), // correct
			span(5, 9, 'b'), // wrong label
			span(10, 13, 'a'), // wrong boundaries
			span(16, 19, 'b'), // wrong label and boundaries
			// 20-24 missed
			span(30, 33, 'b') // spurious
		];
		const got = classify(ref, pred).map((c) => `${c.category}:${c.label}`);
		expect(got.sort()).toEqual(
			['correct:a', 'wrong_label:a', 'wrong_boundaries:a', 'wrong_label_and_boundaries:a', 'missed:a', 'spurious:b'].sort()
		);
	});

	it('overlap is greedy by largest overlap, not a maximum matching', () => {
		// pairs: X–A 10, X–B 2, Y–A 1. Greedy takes X–A, then nothing is free for Y or B.
		const ref = [span(0, 10, 'c'), span(0, 2, 'c')];
		const pred = [span(0, 10, 'c'), span(5, 6, 'c')];
		expect(overlapMatches(ref, pred)).toBe(1);
		expect(overlapMatchCount(ref, pred)).toBe(2); // agreement's maximum matching would pair X–B and Y–A
	});

	it('a long predicted span over two reference spans matches the one it overlaps most', () => {
		const ref = [span(0, 3, 'c'), span(4, 12, 'c')];
		const pred = [span(0, 12, 'c')];
		expect(overlapMatches(ref, pred)).toBe(1);
		const cats = classify(ref, pred);
		expect(cats.find((c) => c.category === 'wrong_boundaries')?.reference).toEqual(span(4, 12, 'c'));
		expect(cats.find((c) => c.category === 'missed')?.reference).toEqual(span(0, 3, 'c'));
	});

	it('nested spans: an inner span of another label is a wrong label, tokens counted once', () => {
		// abcd 0-4, efgh 5-9, ijkl 10-14, mnop 15-19, qrst 20-24
		const text = 'abcd efgh ijkl mnop qrst';
		const ref = [span(0, 20, 'claim'), span(5, 9, 'framing')];
		const pred = [span(0, 20, 'claim'), span(5, 9, 'claim')];
		const c = compareDocument(text, ref, pred);
		expect(c.get('claim')!.exact).toEqual({ tp: 1, fp: 1, fn: 0 });
		expect(c.get('claim')!.overlap).toEqual({ tp: 1, fp: 1, fn: 0 });
		expect(c.get('claim')!.token).toEqual({ tp: 4, fp: 0, fn: 0 });
		expect(c.get('framing')!.token).toEqual({ tp: 0, fp: 0, fn: 1 });
		expect(c.get('framing')!.errors.wrong_label).toBe(1);
		expect(c.get('claim')!.errors.correct).toBe(1);
	});

	it('duplicates count as many times as they occur, on both sides', () => {
		expect(exactMatches([span(0, 2, 'x'), span(0, 2, 'x')], [span(0, 2, 'x')])).toBe(1);
		expect(exactMatches([span(0, 2, 'x')], [span(0, 2, 'x'), span(0, 2, 'x')])).toBe(1);
	});

	it('code point offsets over emoji, CJK and CRLF', () => {
		const text = 'Le maire 😀 a dit\r\n« 北京 𠀋 » hier.';
		const ref = [at(text, '😀 a dit', 'claim'), at(text, '北京 𠀋', 'framing')];
		const pred = [at(text, '😀 a dit', 'claim'), at(text, '北京', 'framing')];
		// L0 … ' '8 😀9 ' '10 a11 ' '12 d13 i14 t15 \r16 \n17 «18 ' '19 北20 京21 ' '22 𠀋23: code points count each pair once
		expect(ref[1]).toEqual(span(20, 24, 'framing'));
		expect(text.indexOf('北京')).toBe(21); // UTF-16: one more
		const c = compareDocument(text, ref, pred);
		expect(c.get('claim')!.exact.tp).toBe(1);
		expect(c.get('framing')!.overlap.tp).toBe(1);
		// token counts follow the agreement tokenizer, whose segmentation of spaceless scripts is its own
		// business (today "北京" is one word run): count its tokens of the pieces, then check the rule
		const tokensOf = (part: string) => tokenize(part).length;
		expect(tokensOf('😀 a dit')).toBe(3);
		expect(c.get('claim')!.token).toEqual({ tp: 3, fp: 0, fn: 0 });
		expect(tokensOf('北京 𠀋')).toBeGreaterThan(tokensOf('北京'));
		expect(c.get('framing')!.token).toEqual({ tp: tokensOf('北京'), fp: 0, fn: tokensOf('北京 𠀋') - tokensOf('北京') });
		const errors = documentErrors('d', 'gold', text, ref, pred);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ category: 'wrong_boundaries', surface: '北京 𠀋', predicted: { text: '北京' } });
		expect(errors[0].context.before + errors[0].context.text + errors[0].context.after).toBe('« 北京 𠀋 » hier.');
	});

	it('a token of the text counts once however many spans of one label touch it', () => {
		const tokens = documentTokens('aa bb cc');
		expect(tokenCounts(tokens, [span(0, 8, 'x'), span(0, 2, 'x'), span(3, 5, 'x')], [span(1, 4, 'x')])).toEqual({ tp: 2, fp: 0, fn: 1 });
	});

	it('a document whose spans overlap in too many pairs is refused, not matched', () => {
		const nested = (n: number, label: string) => Array.from({ length: n }, (_, i) => span(i, 3000 - i, label));
		expect(() => overlapMatches(nested(1001, 'x'), nested(1000, 'x'))).toThrow(TooManyOverlaps);
		// as many spans that do not overlap are fine
		const apart = Array.from({ length: 1100 }, (_, i) => span(2 * i, 2 * i + 1, 'x'));
		expect(overlapMatches(apart, apart)).toBe(1100);
	});

	it('ratios with a zero denominator are null', () => {
		expect(ratios(0, 0, 0)).toEqual({ precision: null, recall: null, f1: null });
		expect(ratios(0, 0, 3)).toEqual({ precision: null, recall: 0, f1: 0 });
	});
});

describe('report', () => {
	it('lists the dataset labels even when unused (nulls), and labels named like Object.prototype members', async () => {
		const r = await evaluate([{ text: 'ab cd', ref: [span(0, 2, '__proto__')], pred: [span(0, 2, '__proto__'), span(3, 5, 'constructor')] }], {
			labels: ['date']
		});
		expect(Object.keys(r.table.labels)).toEqual(['date', '__proto__', 'constructor']);
		expect(r.table.labels.date.exact).toMatchObject({ tp: 0, fp: 0, fn: 0, precision: null, recall: null, f1: null, ci: { f1: null } });
		const json = JSON.parse(JSON.stringify(r.table.labels));
		expect(Object.hasOwn(json, '__proto__')).toBe(true);
		expect(json['__proto__'].exact.tp).toBe(1);
		expect(json.constructor.exact.fp).toBe(1);
		// macro leaves out the unused label
		expect(r.table.macro.exact.f1).toBeCloseTo((1 + 0) / 2, 12);
	});

	it('several reference records of a document add up', async () => {
		const e = new Evaluation();
		e.add({ id: 'd', text: 'ab cd', references: [[span(0, 2, 'x')], [span(3, 5, 'x')]], predicted: [span(0, 2, 'x')] });
		const r = await e.finish({ resamples: 10 });
		expect(r.table.labels.x.exact).toMatchObject({ tp: 1, fp: 1, fn: 1 });
		expect(r.documents).toBe(1);
	});

	it('records the bootstrap seed and count, and is reproducible from them', async () => {
		const docs = Array.from({ length: 30 }, (_, i) => ({ text: 'ab cd ef', ref: [span(0, 2, 'x'), span(3, 5, 'x')], pred: i % 3 ? [span(0, 2, 'x')] : [span(6, 8, 'x')] }));
		const a = await evaluate(docs, {}, { seed: 99, resamples: 300 });
		const b = await evaluate(docs, {}, { seed: 99, resamples: 300 });
		expect(a.bootstrap).toEqual({ resamples: 300, seed: 99, confidence: 0.95 });
		expect(a.table.micro.exact.ci).toEqual(b.table.micro.exact.ci);
		const ci = a.table.micro.exact.ci.f1!;
		expect(ci[0]).toBeLessThan(a.table.micro.exact.f1!);
		expect(ci[1]).toBeGreaterThan(a.table.micro.exact.f1!);
	});
});

describe('bootstrap', () => {
	it('all documents identical: a zero-width interval at the point estimate', async () => {
		const docs = Array.from({ length: 12 }, () => ({ text: MAYOR, ref: MAYOR_REF, pred: MAYOR_PRED }));
		const r = await evaluate(docs, {}, { resamples: 1000 });
		for (const mode of ['exact', 'overlap', 'token'] as const) {
			const m = r.table.micro[mode];
			for (const key of ['precision', 'recall', 'f1'] as const) {
				expect(m.ci[key]![0]).toBeCloseTo(m[key]!, 12);
				expect(m.ci[key]![1]).toBeCloseTo(m[key]!, 12);
			}
		}
		expect(r.table.micro.exact.tp).toBe(12);
	});

	it('two documents, one right and one wrong: the interval spans [0, 1]', async () => {
		const r = await evaluate(
			[
				{ text: 'ab', ref: [span(0, 2, 'x')], pred: [span(0, 2, 'x')] },
				{ text: 'ab', ref: [], pred: [span(0, 2, 'x')] }
			],
			{},
			{ resamples: 1000 }
		);
		expect(r.table.micro.exact.precision).toBe(0.5);
		expect(r.table.micro.exact.ci.precision).toEqual([0, 1]);
	});

	it('percentiles interpolate like numpy and leave undefined values out', () => {
		expect(percentileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
		expect(percentileOfSorted([0, 10], 0.025)).toBeCloseTo(0.25, 12);
		expect(interval([NaN, NaN])).toBeNull();
		expect(interval([NaN, 3, 3])).toEqual([3, 3]);
	});

	it('the PRNG is a fixed stream for a seed', () => {
		const a = mulberry32(1);
		const b = mulberry32(1);
		const xs = [a(), a(), a()];
		expect([b(), b(), b()]).toEqual(xs);
		expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
		expect(mulberry32(2)()).not.toBe(xs[0]);
	});
});

describe('paired comparison', () => {
	const text = 'aa bb cc dd';
	const ref = [span(0, 2, 'x'), span(3, 5, 'x'), span(6, 8, 'x')];
	const half = [span(0, 2, 'x'), span(9, 11, 'x')];
	const docs = (aPred: EvalSpan[], bPred: EvalSpan[]) => Array.from({ length: 20 }, () => ({ text, ref, pred: aPred, b: bPred }));

	it('B better than A: positive difference, B wins every resample', async () => {
		const r = await evaluate(docs(half, ref), { compare: true });
		const d = r.compare!.micro.exact;
		// A: tp 1, fp 1, fn 2 → F1 2/5; B: F1 1
		expect(d.a).toBeCloseTo(0.4, 12);
		expect(d.b).toBe(1);
		expect(d.diff).toBeCloseTo(0.6, 12);
		expect(d.b_better).toBe(1);
		expect(d.ci![0]).toBeCloseTo(0.6, 12);
		expect(r.compare!.labels.x.exact.diff).toBeCloseTo(0.6, 12);
		expect(r.compare!.table.micro.exact.f1).toBe(1);
		expect(r.table.micro.exact.f1).toBeCloseTo(0.4, 12);
	});

	it('A better than B: negative difference, B never wins', async () => {
		const r = await evaluate(docs(ref, half), { compare: true });
		expect(r.compare!.micro.exact.diff).toBeCloseTo(-0.6, 12);
		expect(r.compare!.micro.exact.b_better).toBe(0);
	});

	it('mixed documents: the share lies strictly between 0 and 1', async () => {
		const mixed = [
			...Array.from({ length: 10 }, () => ({ text, ref, pred: ref, b: half })),
			...Array.from({ length: 10 }, () => ({ text, ref, pred: half, b: ref }))
		];
		const r = await evaluate(mixed, { compare: true }, { resamples: 500 });
		const d = r.compare!.micro.exact;
		expect(d.diff).toBeCloseTo(0, 12);
		expect(d.b_better!).toBeGreaterThan(0.2);
		expect(d.b_better!).toBeLessThan(0.8);
		expect(d.ci![0]).toBeLessThan(0);
		expect(d.ci![1]).toBeGreaterThan(0);
	});
});

describe('slices and thresholds', () => {
	it('length quartiles and a meta field', async () => {
		expect(quartileCuts([10, 20, 30, 40])).toEqual([17.5, 25, 32.5]);
		const docs = [10, 20, 30, 40].map((n, i) => ({ text: 'a'.repeat(n), ref: [span(0, 1, 'x')], pred: i < 2 ? [span(0, 1, 'x')] : [], meta: { lang: i % 2 ? 'en' : 'fr' } }));
		const r = await evaluate(docs, { sliceBy: ['lang', 'length_quartile'] });
		const lang = r.slices!.filter((s) => s.by === 'lang');
		expect(lang.map((s) => [s.value, s.documents])).toEqual([
			['en', 2],
			['fr', 2]
		]);
		const q = r.slices!.filter((s) => s.by === 'length_quartile');
		expect(q.map((s) => [s.value, s.range, s.micro.exact.recall])).toEqual([
			['Q1', [10, 10], 1],
			['Q2', [20, 20], 1],
			['Q3', [30, 30], 0],
			['Q4', [40, 40], 0]
		]);
		expect(q[2].labels.x.errors.missed).toBe(1);
	});

	it('a meta field named __proto__ or missing is an ordinary value', async () => {
		const r = await evaluate(
			[
				{ text: 'a', ref: [], pred: [], meta: JSON.parse('{"__proto__": "x"}') },
				{ text: 'a', ref: [], pred: [], meta: {} }
			],
			{ sliceBy: ['__proto__'] }
		);
		expect(r.slices!.map((s) => s.value).sort()).toEqual(['(none)', 'x']);
	});

	it('the threshold sweep keeps spans scoring at least the threshold', async () => {
		const r = await evaluate([{ text: 'aa bb', ref: [span(0, 2, 'x')], pred: [span(0, 2, 'x', 0.9), span(3, 5, 'x', 0.2)] }], { thresholds: [0, 0.5, 1] });
		expect(r.thresholds!.map((t) => [t.threshold, t.predicted, t.exact.tp, t.exact.fp, t.exact.fn, t.exact.precision])).toEqual([
			[0, 2, 1, 1, 0, 0.5],
			[0.5, 1, 1, 0, 0, 1],
			[1, 0, 0, 0, 1, null]
		]);
		expect(thresholdsFor(0.2, 0.9, 3)).toEqual([0, 0.5, 1]);
		expect(thresholdsFor(2, 6, 3)).toEqual([2, 4, 6]);
	});
});

describe('error browser', () => {
	it('gives the sentence around an error and groups by label, category and surface', () => {
		const text = 'First sentence here. The mayor said so! Then more.';
		const ref = [at(text, 'mayor', 'attribution')];
		const pred = [at(text, 'The mayor', 'attribution'), at(text, 'more', 'claim')];
		const errors = documentErrors('d1', 'gold', text, ref, pred);
		expect(errors.map((e) => e.category)).toEqual(['wrong_boundaries', 'spurious']);
		expect(errors[0].context).toEqual({ before: '', text: 'The mayor', after: ' said so!' });
		expect(errors[1].context).toEqual({ before: 'Then ', text: 'more', after: '.' });
		const more = documentErrors('d2', 'gold', 'The Mayor said.', [span(4, 9, 'attribution')], []);
		const groups = groupErrors([...errors, ...more]);
		expect(groups[0]).toMatchObject({ label: 'attribution', count: 2 });
		expect(groups[0].categories.map((c) => [c.category, c.count])).toEqual([
			['wrong_boundaries', 1],
			['missed', 1]
		]);
		expect(keyed([['__proto__', 1]])['__proto__']).toBe(1);
	});
});
