import { describe, expect, it } from 'vitest';
import { referenceDate, tagDocument } from './suggestions';
import { tagTemporal } from '../dates/tagger';

describe('date suggestions', () => {
	it('take the reference date from meta.date, else meta.published_at', () => {
		expect(referenceDate({ date: '2024-05-06' })).toBe('2024-05-06');
		expect(referenceDate({ published_at: '2024-05-06T08:00:00Z' })).toBe('2024-05-06');
		expect(referenceDate({ date: 'soon', published_at: 12 })).toBeNull();
		expect(referenceDate(JSON.parse('{"__proto__": {"date": "2024-05-06"}}'))).toBeNull();
	});

	it('tag a long document slice by slice with the same result as in one go, offsets in code points', async () => {
		const line = 'Le 7 octobre 😀, puis samedi 4 mai 2024 et hier soir.\n';
		const text = line.repeat(2000);
		const sliced = await tagDocument(text, 'fr', '2024-05-06');
		const whole = tagTemporal(text, { lang: 'fr', reference: '2024-05-06' });
		expect(sliced).toEqual(whole);
		expect(sliced.length).toBe(6000);
	});
});
