import { describe, expect, it } from 'vitest';
import { AttributeAgreementAccumulator, type AttributeSpan } from './attributeAgreement';
import { krippendorffAlphaNominal } from './coefficients';
import { own } from '../model/dict';

const date = (start: number, end: number, attrs?: Record<string, unknown>): AttributeSpan => ({ start, end, label: 'date', ...(attrs ? { attrs } : {}) });

describe('AttributeAgreementAccumulator', () => {
	// One document, three annotators:
	//   date [0,10):  ann value 2024-05-04 type DATE, bob 2024-05-04 DATE, cy 2024-05-05 DATE
	//   date [20,30): ann value 2024 type DATE, bob (value not set) DATE, cy has no such span
	//   date [40,50): ann and bob, nothing set: no unit for either attribute
	//   date [60,70): ann only: not a shared span
	//   claim [0,10): every one, but claims have no attributes
	const acc = new AttributeAgreementAccumulator([
		{ label: 'date', attributes: ['value', 'type'] },
		{ label: 'claim', attributes: [] }
	]);
	acc.add([
		{
			annotator: 'ann',
			spans: [date(0, 10, { value: '2024-05-04', type: 'DATE' }), date(20, 30, { value: '2024', type: 'DATE' }), date(40, 50), date(60, 70, { value: 'P3D' }), { start: 0, end: 10, label: 'claim' }]
		},
		{ annotator: 'cy', spans: [date(0, 10, { value: '2024-05-05', type: 'DATE' }), { start: 0, end: 10, label: 'claim' }] },
		{ annotator: 'bob', spans: [date(0, 10, { value: '2024-05-04', type: 'DATE' }), date(20, 30, { type: 'DATE' }), date(40, 50, {}), { start: 0, end: 10, label: 'claim' }] }
	]);
	const r = acc.report();

	it('value: share of equal values and alpha, per pair', () => {
		// units: U1 = [0,10) (ann, bob, cy), U2 = [20,30) (ann "2024", bob not set)
		// ann–bob: U1 equal, U2 differs → share 1/2.
		//   alpha over [A, A], [2024, unset]: n = 4, n_c = A:2, 2024:1, unset:1 → Σn_c² = 6;
		//   D = (4 − 4)/1 + (4 − 2)/1 = 2; alpha = 1 − (n − 1)·D/(n² − Σn_c²) = 1 − 3·2/10 = 0.4
		// ann–cy, bob–cy: U1 only, values differ → share 0; alpha = 1 − 1·2/(4 − 2) = 0
		const value = r.date.value;
		expect(value.pairs).toEqual([
			{ a: 'ann', b: 'bob', items: 2, share_equal: 0.5, alpha: expect.closeTo(0.4, 12) },
			{ a: 'ann', b: 'cy', items: 1, share_equal: 0, alpha: 0 },
			{ a: 'bob', b: 'cy', items: 1, share_equal: 0, alpha: 0 }
		]);
	});

	it('value: over all annotators', () => {
		// share: pooled pairs (1 + 0 + 0) / (2 + 1 + 1) = 0.25
		// alpha: U1 = [A, A, B] (m = 3): D += (9 − 5)/2 = 2; U2 = [2024, unset]: D += 2 → D = 4
		//   n = 5, n_c = A:2, B:1, 2024:1, unset:1 → Σn_c² = 7; alpha = 1 − 4·4/(25 − 7) = 1/9
		const value = r.date.value;
		expect(value.items).toBe(2);
		expect(value.share_equal).toBe(0.25);
		expect(value.alpha).toBeCloseTo(1 / 9, 12);
		// the same with the general function, "not set" spelt as a category
		expect(value.alpha).toBeCloseTo(krippendorffAlphaNominal([['A', 'A', 'B'], ['2024', 'unset']])!, 12);
	});

	it('type: everybody agrees, alpha undefined (no variation)', () => {
		// U1: DATE ×3, U2: DATE ×2 (U3 has no value from anybody)
		expect(r.date.type).toEqual({
			items: 2,
			share_equal: 1,
			alpha: null,
			pairs: [
				{ a: 'ann', b: 'bob', items: 2, share_equal: 1, alpha: null },
				{ a: 'ann', b: 'cy', items: 1, share_equal: 1, alpha: null },
				{ a: 'bob', b: 'cy', items: 1, share_equal: 1, alpha: null }
			]
		});
	});

	it('labels without attributes are not reported', () => {
		expect(Object.keys(r)).toEqual(['date']);
	});

	it('values are compared exactly: true is not "true"; an empty schema gives an empty report', () => {
		const a = new AttributeAgreementAccumulator([{ label: 'claim', attributes: ['checked'] }]);
		a.add([
			{ annotator: 'x', spans: [{ start: 0, end: 3, label: 'claim', attrs: { checked: true } }] },
			{ annotator: 'y', spans: [{ start: 0, end: 3, label: 'claim', attrs: { checked: 'true' } }] }
		]);
		expect(a.report().claim.checked).toMatchObject({ items: 1, share_equal: 0 });
		const empty = new AttributeAgreementAccumulator([]);
		empty.add([
			{ annotator: 'x', spans: [] },
			{ annotator: 'y', spans: [] }
		]);
		expect(Object.keys(empty.report())).toEqual([]);
	});

	it('names from outside never reach Object.prototype', () => {
		// label "toString" with attributes "constructor" and "__proto__"; the spans carry no "constructor"
		const a = new AttributeAgreementAccumulator([{ label: 'toString', attributes: ['constructor', '__proto__', 'valueOf'] }]);
		const attrs = JSON.parse('{"__proto__": "x", "valueOf": "v"}');
		a.add([
			{ annotator: 'hasOwnProperty', spans: [{ start: 0, end: 3, label: 'toString', attrs }] },
			{ annotator: '__proto__', spans: [{ start: 0, end: 3, label: 'toString', attrs: {} }] }
		]);
		const rep = a.report();
		expect(Object.getPrototypeOf(rep)).toBeNull();
		const label = own(rep, 'toString')!;
		expect(Object.getPrototypeOf(label)).toBeNull();
		// constructor: neither set it (an inherited Object is not a value) → no unit
		expect(own(label, 'constructor')).toEqual({ items: 0, share_equal: null, alpha: null, pairs: [] });
		// __proto__ and valueOf: one set it, the other not → one unit, unequal
		expect(own(label, '__proto__')).toMatchObject({ items: 1, share_equal: 0 });
		expect(own(label, 'valueOf')).toMatchObject({ items: 1, share_equal: 0, pairs: [{ a: '__proto__', b: 'hasOwnProperty' }] });
	});
});
