import { describe, expect, it } from 'vitest';
import { formatDay, formatWeek, isoWeekday, resolveMonth, resolveMonthDay, resolveWeekday } from './calendar';

const day = (s: string) => {
	const [year, month, d] = s.split('-').map(Number);
	return { year, month, day: d };
};

describe('calendar arithmetic', () => {
	it('knows weekdays and ISO weeks, across New Year', () => {
		expect(isoWeekday(day('2024-05-04'))).toBe(6); // a Saturday
		expect(isoWeekday(day('2024-05-06'))).toBe(1); // a Monday
		expect(formatWeek(day('1999-07-09'))).toBe('1999-W27');
		expect(formatWeek(day('2021-01-01'))).toBe('2020-W53');
		expect(formatWeek(day('2024-12-30'))).toBe('2025-W01');
	});

	it('places a weekday by the tense of its sentence (reference: Monday 2024-05-06)', () => {
		const ref = day('2024-05-06');
		expect(formatDay(resolveWeekday(ref, 6, 'past'))).toBe('2024-05-04'); // «samedi», said of the past
		expect(formatDay(resolveWeekday(ref, 6, 'future'))).toBe('2024-05-11');
		expect(formatDay(resolveWeekday(ref, 7, 'present'))).toBe('2024-05-05'); // nearer behind than ahead
		expect(formatDay(resolveWeekday(ref, 3, 'present'))).toBe('2024-05-08');
		expect(formatDay(resolveWeekday(ref, 1, 'past'))).toBe('2024-04-29');
		expect(formatDay(resolveWeekday(ref, 1, 'past', { pastIncludesReference: true }))).toBe('2024-05-06');
		expect(formatDay(resolveWeekday(ref, 1, 'present'))).toBe('2024-05-06');
	});

	it('places a day and month without a year', () => {
		const ref = day('2024-05-06');
		expect(formatDay(resolveMonthDay(ref, 10, 7, 'past')!)).toBe('2023-10-07'); // «le 7 octobre», before the reference
		expect(formatDay(resolveMonthDay(ref, 10, 7, 'future')!)).toBe('2024-10-07');
		expect(formatDay(resolveMonthDay(ref, 6, 1, 'past')!)).toBe('2024-06-01'); // a deadline 26 days ahead
		expect(formatDay(resolveMonthDay(ref, 6, 1, 'past', { deadlines: false })!)).toBe('2023-06-01'); // «le 1er juin dernier»
		// a future sentence naming a day of the last week means this year's («la semaine du 1er mai sera chargée» on 6 May);
		// «le 1er mai prochain» (explicit, no deadlines) and a day further back are next year's
		expect(formatDay(resolveMonthDay(ref, 5, 1, 'future')!)).toBe('2024-05-01');
		expect(formatDay(resolveMonthDay(ref, 5, 1, 'future', { deadlines: false })!)).toBe('2025-05-01');
		expect(formatDay(resolveMonthDay(ref, 4, 28, 'future')!)).toBe('2025-04-28');
		expect(formatDay(resolveMonthDay(ref, 5, 5, 'present')!)).toBe('2024-05-05');
		expect(formatDay(resolveMonthDay(ref, 12, 30, 'present')!)).toBe('2023-12-30');
		expect(resolveMonthDay(day('2023-05-06'), 2, 29, 'past')).toBeNull(); // no 29 February in 2022 or 2023
		expect(formatDay(resolveMonthDay(day('2024-05-06'), 2, 29, 'past')!)).toBe('2024-02-29');
	});

	it('places a month without a year', () => {
		const ref = day('1999-05-20');
		expect(resolveMonth(ref, 3, 'past')).toBe(1999);
		expect(resolveMonth(ref, 10, 'past')).toBe(1998); // a past sentence about October: last October
		expect(resolveMonth(ref, 10, 'future')).toBe(1999);
		expect(resolveMonth(ref, 6, 'present', 'next')).toBe(1999); // «juin prochain»
		expect(resolveMonth(ref, 4, 'present', 'next')).toBe(2000);
		expect(resolveMonth(ref, 5, 'present', 'last')).toBe(1998);
		// a future sentence about a month gone this year: next year's («commenceront en janvier», said in May)
		expect(resolveMonth(ref, 1, 'future')).toBe(2000);
		expect(resolveMonth(ref, 5, 'future')).toBe(1999);
	});
});
