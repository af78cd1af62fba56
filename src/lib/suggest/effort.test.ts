import { describe, expect, it } from 'vitest';
import { countEffort, effortSaved } from './effort';

describe('effort with and without suggestions', () => {
	it('counts each action on a worked example', () => {
		const gold = [
			{ start: 0, end: 6, value: '2024-05-04' }, // suggested exactly, right value: accept (1)
			{ start: 10, end: 22, value: '2023-10-07' }, // suggested one word short, right value: accept + fix boundary (3)
			{ start: 30, end: 36, value: 'P2Y' }, // suggested exactly, wrong value: accept + type value (3)
			{ start: 50, end: 55, value: '2024-05-05' } // not suggested: tag by hand + type value (4)
		];
		const suggested = [
			{ start: 0, end: 6, value: '2024-05-04' },
			{ start: 13, end: 22, value: '2023-10-07' },
			{ start: 30, end: 36, value: 'P2D' },
			{ start: 40, end: 45, value: 'PRESENT_REF' } // no gold: reject (1)
		];
		const e = countEffort(gold, suggested);
		expect(e.without).toBe(16);
		expect(e.with).toBe(1 + 3 + 3 + 4 + 1);
		expect(e.counts).toEqual({ accepted: 3, rejected: 1, boundariesFixed: 1, valuesTyped: 2, taggedByHand: 1 });
		expect(effortSaved(e)).toBe(25);
	});

	it('pairs each gold span once, by the largest overlap', () => {
		const e = countEffort([{ start: 0, end: 10 }], [{ start: 0, end: 4 }, { start: 2, end: 10 }]);
		expect(e.counts).toEqual({ accepted: 1, rejected: 1, boundariesFixed: 1, valuesTyped: 0, taggedByHand: 0 });
		expect([e.without, e.with]).toEqual([2, 4]);
	});
});
