import { describe, it, expect } from 'vitest';
import { lookAlikeMessage, lookAlikeOf, looksAlike, normalizeName, skeleton } from './names';

describe('normalizeName', () => {
	it('stores names NFC and trimmed', () => {
		expect(normalizeName('  claim\t')).toBe('claim');
		// e + combining acute (2 code units) becomes é (1)
		expect(normalizeName('re\u0301sume\u0301')).toBe('résumé');
		expect(normalizeName('re\u0301sume\u0301').length).toBe(6);
	});
});

describe('look-alike names', () => {
	it('TR39 skeletons fold Cyrillic and Greek look-alikes onto Latin', () => {
		expect(skeleton('сlaim')).toBe(skeleton('claim')); // Cyrillic с (U+0441)
		expect(skeleton('dаte')).toBe(skeleton('date')); // Cyrillic а (U+0430)
		expect(skeleton('αpple')).toBe(skeleton('apple')); // Greek α
		expect(skeleton('ann1')).toBe('annl');
	});

	it('names that differ only by case, whitespace or confusable characters collide', () => {
		for (const twin of ['Claim', 'CLAIM', 'claim ', ' claim', 'cla im', 'сlaim', 'СLAIM', 'ｃｌａｉｍ', 'claim\u200b']) {
			expect(looksAlike(twin, 'claim'), twin).toBe(true);
		}
		expect(looksAlike('ann1', 'annl')).toBe(true);
		expect(looksAlike('lead', '1ead')).toBe(true);
		expect(looksAlike('I', 'l')).toBe(true);
		expect(looksAlike('news-2024', 'news-2o24')).toBe(true);
	});

	it('different names do not collide', () => {
		for (const [a, b] of [
			['claim', 'date'],
			['ann1', 'ann2'],
			['résumé', 'resume'],
			['claim', 'claims'],
			['constructor', 'toString']
		]) {
			expect(looksAlike(a, b), `${a} / ${b}`).toBe(false);
		}
	});

	it('lookAlikeOf names the first existing twin, never the name itself', () => {
		expect(lookAlikeOf('сlaim', ['date', 'claim', 'Claim'])).toBe('claim');
		expect(lookAlikeOf('claim', ['claim', 'date'])).toBeUndefined();
		expect(lookAlikeOf('framing', ['claim', 'date'])).toBeUndefined();
		expect(lookAlikeMessage('label', 'сlaim', 'claim')).toMatch(/label "сlaim" looks like the existing label "claim"/);
	});
});
