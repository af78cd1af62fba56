import { describe, it, expect } from 'vitest';
import { csvField, toCsv } from './csv';

describe('csv', () => {
	it('quotes only the fields that need it', () => {
		expect(csvField('claim')).toBe('claim');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField(' padded')).toBe('" padded"');
		expect(csvField(0.25)).toBe('0.25');
		expect(csvField(-1)).toBe('-1');
		expect(csvField(null)).toBe('');
		expect(csvField(NaN)).toBe('');
	});
	it('joins rows with CRLF and ends with one', () => {
		expect(toCsv(['label', 'kappa'], [['claim', 0.5], ['a "b", c', null]])).toBe('label,kappa\r\nclaim,0.5\r\n"a ""b"", c",\r\n');
	});
});
