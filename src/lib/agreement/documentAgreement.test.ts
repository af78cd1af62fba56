import { describe, expect, it } from 'vitest';
import { decodeSpanKeys, documentAgreement, keysDiffer, spanKeysOf } from './documentAgreement';
import { spanF1 } from './spanF1';

const S = (start: number, end: number, label = 'PER') => ({ start, end, label });

describe('spanKeysOf', () => {
	it('the same spans in any order are the same keys; 4 bytes a span; none is ""', () => {
		const a = spanKeysOf([S(0, 5), S(10, 15, 'LOC'), S(20, 25)]);
		expect(spanKeysOf([S(20, 25), S(0, 5), S(10, 15, 'LOC')])).toBe(a);
		expect(decodeSpanKeys(a)).toHaveLength(3);
		expect(a).toHaveLength(16); // 12 bytes in base64
		expect(spanKeysOf([])).toBe('');
		expect(decodeSpanKeys('')).toHaveLength(0);
	});
	it('label, start and end each make a different key; a repeated span counts twice', () => {
		const one = spanKeysOf([S(0, 5)]);
		for (const other of [S(0, 5, 'LOC'), S(1, 5), S(0, 6), S(0, 5, 'PER ')]) expect(spanKeysOf([other])).not.toBe(one);
		// "ab" + 1 vs "a" + "b1": the separator keeps label and numbers apart
		expect(spanKeysOf([S(1, 23, 'x')])).not.toBe(spanKeysOf([S(12, 3, 'x')]));
		expect(decodeSpanKeys(spanKeysOf([S(0, 5), S(0, 5)]))).toHaveLength(2);
	});
	it('decodes what btoa wrote, byte for byte, big-endian', () => {
		const bytes = String.fromCharCode(0, 0, 0, 1, 255, 255, 255, 255, 0x12, 0x34, 0x56, 0x78);
		expect([...decodeSpanKeys(btoa(bytes))]).toEqual([1, 0xffffffff, 0x12345678]);
		expect([...decodeSpanKeys(btoa(bytes.slice(0, 8)))]).toEqual([1, 0xffffffff]); // "=" padding
		expect([...decodeSpanKeys(btoa(bytes.slice(0, 4)))]).toEqual([1]); // "==" padding
	});
	it('refuses what it did not write', () => {
		expect(() => decodeSpanKeys('AAA=')).toThrow(/whole number of keys/);
		expect(() => decodeSpanKeys('AAAAAAA=')).toThrow(/whole number of keys/);
		expect(() => decodeSpanKeys('AAAAA!==')).toThrow(/not base64/);
		expect(() => decodeSpanKeys('not base64!')).toThrow();
	});
	it('no two keys of 20,000 distinct spans of one document share a hash', () => {
		const spans = Array.from({ length: 20_000 }, (_, i) => S(i % 1000, (i % 1000) + 1 + Math.floor(i / 1000), i % 2 ? 'PER' : 'LOC'));
		expect(new Set(decodeSpanKeys(spanKeysOf(spans))).size).toBe(20_000);
	});
});

describe('documentAgreement and keysDiffer', () => {
	// A: PER [0,5) PER [10,15) LOC [20,25); B: PER [0,5) LOC [10,15) LOC [20,25); C = A
	const A = [S(0, 5), S(10, 15), S(20, 25, 'LOC')];
	const B = [S(0, 5), S(10, 15, 'LOC'), S(20, 25, 'LOC')];
	const kA = spanKeysOf(A);
	const kB = spanKeysOf(B);
	it('fewer than two sets: no figure, no disagreement', () => {
		expect(documentAgreement([])).toBeNull();
		expect(documentAgreement([kA])).toBeNull();
		expect(keysDiffer([kA])).toBe(false);
	});
	it('the same spans: 1 and no disagreement; two empty sets agree', () => {
		expect(documentAgreement([kA, spanKeysOf([...A].reverse())])).toBe(1);
		expect(documentAgreement(['', ''])).toBe(1);
		expect(keysDiffer([kA, kA, kA])).toBe(false);
	});
	it('a pair is its exact span F1 (spanF1.ts); three sets the mean of three pairs', () => {
		// A·B: 2 matched of 3 + 3 → 4/6
		expect(documentAgreement([kA, kB])).toBeCloseTo(spanF1(A, B, 'exact').f1!, 12);
		expect(documentAgreement([kA, kB])).toBeCloseTo(2 / 3, 12);
		// A·B 2/3, A·A 1, B·A 2/3 → 7/9
		expect(documentAgreement([kA, kB, kA])).toBeCloseTo(7 / 9, 12);
		// one set empty: that pair is 0; the empty pair with itself would be 1
		expect(documentAgreement([kA, ''])).toBe(0);
		expect(documentAgreement([kA, '', ''])).toBeCloseTo(1 / 3, 12);
		expect(keysDiffer([kA, kA, kB])).toBe(true);
	});
	it('is 1 exactly when the sets do not differ', () => {
		const sets = [kA, kB, '', spanKeysOf([S(0, 5)])];
		for (const x of sets) for (const y of sets) expect(documentAgreement([x, y]) === 1).toBe(!keysDiffer([x, y]));
	});
});
