import { describe, expect, it } from 'vitest';
import { fold, foldedWords, foldWithMap } from './fold';

describe('fold', () => {
	it('strips accents and case, precomposed or not', () => {
		expect(fold('Élysée')).toBe('elysee');
		expect(fold('E\u0301lyse\u0301e')).toBe('elysee');
		expect(fold('ÇA GARÇON Noël')).toBe('ca garcon noel');
	});
	it('cuts words on anything but letters and digits', () => {
		expect(foldedWords("L’Élysée a dit: 2024, c'est ça.")).toEqual(['l', 'elysee', 'a', 'dit', '2024', 'c', 'est', 'ca']);
	});
	it('maps folded units back to the original', () => {
		const { folded, from } = foldWithMap('aÉ🎉b');
		expect(folded).toBe('ae🎉b');
		expect(from).toEqual([0, 1, 2, 2, 4, 5]);
	});
});
