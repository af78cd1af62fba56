import { describe, expect, it } from 'vitest';
import { describeTimex, isTimexValue, timexProblem } from './timex';

describe('the TIMEX3 value grammar', () => {
	it('accepts the values ISO-TimeML defines', () => {
		for (const v of [
			'2024', '2024-05', '2024-05-04', '2024-W18', '2024-W18-6', '2024-W18-WE', '2024-05-04T14:30', '2024-05-04T14:30:05.5',
			'2024-05-04TEV', '1999-05-20TNI', 'TNI', 'T14:00', '2024-SU', '1999-FA', 'XXXX-05-04', 'XXXX-SU', 'XXXX-WXX-4', '1999-WXX-3',
			'196X', '18XX', '19', '2024-Q2', '2024-H1', 'P3D', 'PT30.4S', 'PT1H30M', 'P2Y6M', 'P1DE', 'P1CE', 'PXY', 'PXD', 'PXX',
			'PRESENT_REF', 'PAST_REF', 'FUTURE_REF', '1999-09-11TXX:XX', '2002-02-08T12:30-07', '2002-02-08T20:30+1', '2000-02-29'
		]) {
			expect(isTimexValue(v), v).toBe(true);
		}
	});

	it('refuses what is not one, with a reason', () => {
		for (const v of ['', 'yesterday', '2024-13', '2024-05-32', '1999-02-29', '2023-02-29', '2024-W54', 'P', 'PT', 'P3DT', '2024-05-04T25:00', '2024-05-04T12:60', 'present_ref', '2024/05/04', 'x'.repeat(100), ' 2024']) {
			expect(isTimexValue(v), v).toBe(false);
		}
		expect(isTimexValue(42)).toBe(false);
		expect(timexProblem('2024-13')).toMatch(/is not a TIMEX3 value/);
		expect(timexProblem('2024-05-04')).toBeNull();
		expect(timexProblem(null)).toBe('a TIMEX3 value is a string');
	});

	it('reads a value back in words, so that a typo shows', () => {
		expect(describeTimex('2024-05-04')).toBe('Saturday 4 May 2024');
		expect(describeTimex('1999-05-20TEV')).toBe('Thursday 20 May 1999, evening');
		expect(describeTimex('2024-05-04T14:30')).toBe('Saturday 4 May 2024 at 14:30');
		expect(describeTimex('2024-05')).toBe('May 2024');
		expect(describeTimex('XXXX-05-04')).toBe('4 May (year unknown)');
		expect(describeTimex('2024-W18')).toBe('week 18 of 2024');
		expect(describeTimex('XXXX-WXX-4')).toBe('Thursdays');
		expect(describeTimex('2024-SU')).toBe('summer 2024');
		expect(describeTimex('196X')).toBe('the 1960s');
		expect(describeTimex('18XX')).toBe('the 19th century (1800s)');
		expect(describeTimex('20')).toBe('the 21st century (2000s)');
		expect(describeTimex('P3D')).toBe('3 days');
		expect(describeTimex('PT30.4S')).toBe('30.4 seconds');
		expect(describeTimex('PT1H30M')).toBe('1 hour, 30 minutes');
		expect(describeTimex('PXY')).toBe('some years');
		expect(describeTimex('PRESENT_REF')).toBe('the present');
		expect(describeTimex('2024-02-30')).toBeNull();
	});
});
