import { describe, expect, it } from 'vitest';
import { closeColorPairs, colorDifference, LABEL_PALETTE, pickLabelColor, pickLabelColors, TOO_CLOSE } from './labelColors';
import { DEFAULT_LABELS } from './types';

describe('colorDifference (CIEDE2000)', () => {
	it('matches published values', () => {
		expect(colorDifference('#ffffff', '#000000')).toBeCloseTo(100, 5);
		expect(colorDifference('#2b8a3e', '#2b8a3e')).toBe(0);
		// the walkthrough's fifth label against `date`
		expect(colorDifference('#2b8a3e', '#2f9e44')).toBeCloseTo(6.87, 2);
	});
});

describe('pickLabelColor', () => {
	const defaults = DEFAULT_LABELS.map((l) => l.color);
	it('gives a fifth label a colour far from the four defaults, never the green next to date', () => {
		const fifth = pickLabelColor(defaults);
		expect(fifth).not.toBe('#2f9e44');
		for (const c of defaults) expect(colorDifference(fifth, c)).toBeGreaterThanOrEqual(TOO_CLOSE);
	});
	it('with nothing in use takes the first palette colour; is deterministic and case-blind', () => {
		expect(pickLabelColor([])).toBe(LABEL_PALETTE[0]);
		expect(pickLabelColor(defaults.map((c) => c.toUpperCase()))).toBe(pickLabelColor(defaults));
	});
	it('several new labels stay apart from each other too', () => {
		const picked = pickLabelColors(defaults, 4);
		expect(new Set(picked).size).toBe(4);
		const all = [...defaults, ...picked];
		for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(colorDifference(all[i], all[j])).toBeGreaterThanOrEqual(TOO_CLOSE);
	});
});

describe('closeColorPairs', () => {
	it('names the pairs closer than the threshold, none among the defaults', () => {
		expect(closeColorPairs(DEFAULT_LABELS)).toEqual([]);
		expect(closeColorPairs([...DEFAULT_LABELS, { name: 'quote', color: '#2f9e44' }])).toEqual([{ a: 'date', b: 'quote', difference: 6.9 }]);
		expect(closeColorPairs([{ name: 'a', color: '#e8590c' }, { name: 'b', color: 'not a colour' }])).toEqual([]);
	});
});
