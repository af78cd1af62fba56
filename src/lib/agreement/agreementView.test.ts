import { describe, it, expect } from 'vitest';
import {
	formatCoefficient,
	heatColor,
	missingReason,
	pairMatrix,
	readingOf,
	textColorOn,
	topSwaps
} from './agreementView';
import type { AgreementReport, Coefficients, PairStats } from './';

const pair = (a: string, b: string, k: number | null, f1: number | null, documents = 3): PairStats => ({
	a,
	b,
	documents,
	cohen_kappa: k,
	f1_exact: f1,
	f1_overlap: f1
});

describe('readingOf', () => {
	it('uses the usual cut-offs, inclusive at the bottom of each band', () => {
		expect([1, 0.8, 0.79, 0.667, 0.6669, 0, -0.2, null].map(readingOf)).toEqual([
			'reliable',
			'reliable',
			'tentative',
			'tentative',
			'unreliable',
			'unreliable',
			'unreliable',
			'none'
		]);
	});
});

describe('formatCoefficient', () => {
	it('prints two decimals, a real minus sign, and a dash for null', () => {
		expect([0.8567, 1, -0.125, -0.001, null].map((v) => formatCoefficient(v))).toEqual(['0.86', '1.00', '−0.13', '0.00', '—']);
		expect(formatCoefficient(0.66666, 3)).toBe('0.667');
		expect(formatCoefficient(-0.0004, 3)).toBe('0.000');
	});
});

describe('missingReason', () => {
	const coefficients = (pairs: PairStats[], items = 40): Coefficients => ({ alpha: null, fleiss_kappa: null, items, pairs });
	const report = (documents: number) => ({ documents }) as AgreementReport;
	it('explains each way a coefficient can be undefined', () => {
		expect(missingReason(report(0), coefficients([]), 'claim')).toBe('no document is done by two annotators yet');
		expect(missingReason(report(2), coefficients([pair('a', 'b', null, null)], 0), 'claim')).toBe('the shared documents have no words');
		expect(missingReason(report(2), coefficients([pair('a', 'b', null, null)]), 'claim')).toBe('nobody used “claim” in the 2 shared documents');
		expect(missingReason(report(1), coefficients([pair('a', 'b', null, null)]), null)).toBe('nobody tagged anything in the 1 shared document');
		expect(missingReason(report(2), coefficients([pair('a', 'b', null, 1)]), 'claim')).toBe(
			'no variation: every word got the same value from everyone'
		);
	});
});

describe('pairMatrix', () => {
	it('fills both halves from the pair list; diagonal and unpaired annotators stay null', () => {
		const m = pairMatrix(['ann1', 'ann2', 'ann3'], [pair('ann1', 'ann2', 0.5, 0.75, 4), pair('ann2', 'ann3', null, 0, 1)], 'cohen_kappa');
		expect(m).toEqual([
			[null, { value: 0.5, documents: 4 }, null],
			[{ value: 0.5, documents: 4 }, null, { value: null, documents: 1 }],
			[null, { value: null, documents: 1 }, null]
		]);
		expect(pairMatrix(['ann1', 'ann2'], [pair('ann1', 'ann2', 0.5, 0.75)], 'f1_exact')[0][1]?.value).toBe(0.75);
	});
});

describe('heatColor / textColorOn', () => {
	it('runs red → yellow → green on the reading cut-offs and clamps outside [0, 1]', () => {
		expect(heatColor(0)).toBe('#d73027');
		expect(heatColor(-0.4)).toBe('#d73027');
		expect(heatColor(0.667)).toBe('#fddb78');
		expect(heatColor(0.8)).toBe('#a6d96a');
		expect(heatColor(1)).toBe('#1a9850');
		expect(heatColor(1.2)).toBe('#1a9850');
		expect(heatColor(0.2)).toBe('#e65f3e'); // halfway: (229.5, 94.5, 61.5) rounded
		expect(heatColor(null)).toBe('#eaeef2');
	});
	it('picks dark text on light fills and white on dark ones', () => {
		expect(textColorOn('#fddb78')).toBe('#1f2328');
		expect(textColorOn('#1a9850')).toBe('#ffffff');
		expect(textColorOn('#d73027')).toBe('#ffffff');
		expect(textColorOn('#eaeef2')).toBe('#1f2328');
	});
});

describe('topSwaps', () => {
	it('lists label swaps and missed spans separately, largest first, each pair once', () => {
		const confusion = {
			labels: ['claim', 'framing', 'date', 'none'],
			counts: [
				[10, 4, 0, 7],
				[4, 6, 1, 2],
				[0, 1, 3, 9],
				[7, 2, 9, 100]
			]
		};
		expect(topSwaps(confusion)).toEqual({
			swaps: [
				{ a: 'claim', b: 'framing', count: 4 },
				{ a: 'framing', b: 'date', count: 1 }
			],
			misses: [
				{ a: 'date', b: 'none', count: 9 },
				{ a: 'claim', b: 'none', count: 7 },
				{ a: 'framing', b: 'none', count: 2 }
			]
		});
		expect(topSwaps(confusion, 1).misses).toEqual([{ a: 'date', b: 'none', count: 9 }]);
	});
});
