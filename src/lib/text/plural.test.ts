import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
	it('says one thing in the singular and everything else in the plural, digits grouped', () => {
		expect(plural(1, 'word')).toBe('1 word');
		expect(plural(0, 'word')).toBe('0 words');
		expect(plural(2, 'annotation set')).toBe('2 annotation sets');
		expect(plural(12500, 'document')).toBe('12,500 documents');
		expect(plural(3, 'entry', 'entries')).toBe('3 entries');
	});
});
