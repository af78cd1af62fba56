import { describe, expect, it } from 'vitest';
import { applyPunctuationRule } from './punctuationSnap';

const range = (text: string, needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
const slice = (text: string, r: { start: number; end: number }) => text.slice(r.start, r.end);

describe('applyPunctuationRule', () => {
	const fr = 'Selon lui, « la réforme sera votée ». Fin.';
	const en = 'He said “taxes will fall” today, and "soon".';

	it('keep: as selected', () => {
		expect(slice(fr, applyPunctuationRule(fr, range(fr, 'la réforme sera votée'), 'keep'))).toBe('la réforme sera votée');
	});

	it('include: a quotation grows to its quote marks (French spaces inside too), only as a pair', () => {
		expect(slice(fr, applyPunctuationRule(fr, range(fr, 'la réforme sera votée'), 'include'))).toBe('« la réforme sera votée »');
		expect(slice(en, applyPunctuationRule(en, range(en, 'taxes will fall'), 'include'))).toBe('“taxes will fall”');
		expect(slice(en, applyPunctuationRule(en, range(en, 'soon'), 'include'))).toBe('"soon"');
		// not a quotation: unchanged
		expect(slice(fr, applyPunctuationRule(fr, range(fr, 'réforme sera'), 'include'))).toBe('réforme sera');
		const nbsp = 'Il a dit «\u00a0non\u00a0».';
		expect(slice(nbsp, applyPunctuationRule(nbsp, range(nbsp, 'non'), 'include'))).toBe('«\u00a0non\u00a0»');
	});

	it('exclude: quote marks and punctuation at either end go, never everything', () => {
		expect(slice(fr, applyPunctuationRule(fr, range(fr, '« la réforme sera votée ».'), 'exclude'))).toBe('la réforme sera votée');
		expect(slice(en, applyPunctuationRule(en, range(en, '“taxes will fall”'), 'exclude'))).toBe('taxes will fall');
		expect(slice(fr, applyPunctuationRule(fr, range(fr, '».'), 'exclude'))).toBe('».');
	});
});
