/**
 * TIMEX3 `value`s (ISO-TimeML): the one grammar spanlab checks them with, and
 * a reading of a value in words so that an annotator sees a typo.
 *
 *   calendar   1999 · 199X (a decade) · 19XX / 19 (a century) · 1999-05 · 1999-05-17 · XXXX-05-17
 *              1999-W20 · 1999-W20-1 · 1999-WXX-3 · 1999-W20-WE · 1999-Q2 · 1999-H1 · 1999-SU (SP SU FA WI)
 *   time       1999-05-17T14:30 · 1999-05-17T14:30:05.5 · 1999-05-17T14:30+01 (a zone) · 1999-05-17TEV (MO MI AF EV NI DT) · TNI · T14:00 · 1999-09-11TXX:XX
 *   duration   P3D · P2Y6M · PT30.4S · PT1H30M · P1DE (decade) · P1CE (century) · P1ML (millennium) · P1Q · P1WE · PXY · PXX
 *   reference  PRESENT_REF · PAST_REF · FUTURE_REF
 *
 * Digits may be X (unknown) anywhere in a calendar value; a calendar date that
 * is fully known must exist (no 1999-02-29). Cost: one regular expression
 * match of a bounded string (values over 64 characters are refused first).
 */

export const TIMEX_TYPES = ['DATE', 'TIME', 'DURATION', 'SET'] as const;
export type TimexType = (typeof TIMEX_TYPES)[number];

export const TIMEX_REFS = ['PRESENT_REF', 'PAST_REF', 'FUTURE_REF'] as const;
export const PARTS_OF_DAY = { MO: 'morning', MI: 'midday', AF: 'afternoon', EV: 'evening', NI: 'night', DT: 'daytime' } as const;
export const SEASONS = { SP: 'spring', SU: 'summer', FA: 'autumn', WI: 'winter' } as const;

const D = '[0-9X]';
const MONTH = '(?:0[1-9]|1[0-2]|XX)';
const DAY = '(?:0[1-9]|[12][0-9]|3[01]|XX)';
const WEEK = '(?:0[1-9]|[1-4][0-9]|5[0-3]|XX)';
const HOUR = '(?:[01][0-9]|2[0-4]|XX)';
const MINUTE = '(?:[0-5][0-9]|XX)';
const ZONE = '(?:Z|[+-](?:[01]?[0-9]|2[0-3])(?::?[0-5][0-9])?)';
const TIME = `T(?:${HOUR}(?::${MINUTE}(?::(?:[0-5][0-9]|60|XX)(?:\\.[0-9]+)?)?)?${ZONE}?|MO|MI|AF|EV|NI|DT)`;
const YEAR = `(?:BC)?${D}{4}`;
const CALENDAR =
	`(?:${YEAR}(?:-${MONTH}(?:-${DAY}(?:${TIME})?)?` +
	`|-W${WEEK}(?:-(?:[1-7X](?:${TIME})?|WE))?` +
	`|-Q[1-4X]|-H[12X]|-(?:SP|SU|FA|WI))?` +
	`|${D}{3}|${D}{2})`;
const AMOUNT = '(?:[0-9]+(?:\\.[0-9]+)?|X+)';
const DURATION = `P(?:X+|(?:${AMOUNT}(?:Y|M|W|D|DE|CE|ML|Q|WE|H|SP|SU|FA|WI))*(?:T(?:${AMOUNT}[HMS])+)?)`;
const VALUE = new RegExp(`^(?:${CALENDAR}|${TIME}|${DURATION}|PRESENT_REF|PAST_REF|FUTURE_REF)$`);

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Is `value` a TIMEX3 value this grammar accepts? */
export function isTimexValue(value: unknown): boolean {
	if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
	if (!VALUE.test(value)) return false;
	if (value === 'P' || value === 'PT') return false; // a duration needs an amount
	if (/^P.*T$/.test(value)) return false;
	const date = /^(?:BC)?([0-9]{4})-([0-9]{2})-([0-9]{2})/.exec(value);
	if (date && Number(date[3]) > daysInMonth(Number(date[1]), Number(date[2]))) return false;
	return true;
}

/** Why `value` is refused, for a 400; null when it is a valid value. */
export function timexProblem(value: unknown): string | null {
	if (typeof value !== 'string') return 'a TIMEX3 value is a string';
	if (isTimexValue(value)) return null;
	return `"${value.slice(0, 64)}" is not a TIMEX3 value (e.g. 2024-05-04, 2024-05, 2024-W18, 2024-05-04T14:30, 2024-SU, XXXX-05-04, P3D, PT30.4S, PRESENT_REF)`;
}

const UNIT_WORDS: Record<string, [string, string]> = {
	Y: ['year', 'years'],
	M: ['month', 'months'],
	W: ['week', 'weeks'],
	D: ['day', 'days'],
	DE: ['decade', 'decades'],
	CE: ['century', 'centuries'],
	ML: ['millennium', 'millennia'],
	Q: ['quarter', 'quarters'],
	WE: ['weekend', 'weekends'],
	SP: ['spring', 'springs'],
	SU: ['summer', 'summers'],
	FA: ['autumn', 'autumns'],
	WI: ['winter', 'winters'],
	H: ['hour', 'hours'],
	S: ['second', 'seconds']
};

function amountWords(amount: string, unit: string, inTime: boolean): string {
	const [one, many] = unit === 'M' && inTime ? ['minute', 'minutes'] : UNIT_WORDS[unit];
	if (/^X+$/.test(amount)) return `some ${many}`;
	return `${amount} ${Number(amount) === 1 ? one : many}`;
}

function describeDuration(value: string): string {
	if (/^PX+$/.test(value)) return 'a period of unknown length';
	const [datePart, timePart = ''] = value.slice(1).split('T');
	const parts: string[] = [];
	for (const m of datePart.matchAll(/([0-9.]+|X+)(DE|CE|ML|WE|SP|SU|FA|WI|Y|M|W|D|Q|H)/g)) parts.push(amountWords(m[1], m[2], false));
	for (const m of timePart.matchAll(/([0-9.]+|X+)([HMS])/g)) parts.push(amountWords(m[1], m[2], true));
	return parts.join(', ');
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function describeTime(time: string): string {
	const code = time.slice(1);
	if (code in PARTS_OF_DAY) return PARTS_OF_DAY[code as keyof typeof PARTS_OF_DAY];
	return code.replace(/X/g, '?');
}

function describeCalendar(value: string): string {
	const [calendar, time] = value.includes('T') ? [value.slice(0, value.indexOf('T')), value.slice(value.indexOf('T'))] : [value, ''];
	const bc = calendar.startsWith('BC');
	const body = bc ? calendar.slice(2) : calendar;
	const [year, ...rest] = body.split('-');
	const yearWords = (() => {
		const century = /^([0-9]{2})(?:XX)?$/.exec(year);
		if (century) return `the ${ordinal(Number(century[1]) + 1)} century (${century[1]}00s)`;
		const decade = /^([0-9]{3})X?$/.exec(year);
		if (decade) return `the ${decade[1]}0s`;
		if (year.length < 4) return /X/.test(year) ? 'some time' : year;
		if (year === 'XXXX') return '';
		return (bc ? 'BC ' : '') + year.replace(/X/g, '?');
	})();
	let words: string;
	if (rest.length === 0) words = yearWords;
	else if (rest[0].startsWith('W')) {
		const week = rest[0].slice(1);
		const day = rest[1];
		const weekWords = week === 'XX' ? 'every week' : `week ${Number(week)}`;
		const dayWords = day === undefined ? '' : day === 'WE' ? 'the weekend of ' : day === 'X' ? 'some day of ' : `${WEEKDAYS[Number(day) - 1]} of `;
		words = week === 'XX' && day && day !== 'WE' && day !== 'X' ? `${WEEKDAYS[Number(day) - 1]}s` : `${dayWords}${weekWords}`;
		if (yearWords) words += ` of ${yearWords}`;
	} else if (/^Q/.test(rest[0])) words = `quarter ${rest[0].slice(1)}${yearWords ? ` of ${yearWords}` : ''}`;
	else if (/^H/.test(rest[0])) words = `half ${rest[0].slice(1)}${yearWords ? ` of ${yearWords}` : ''}`;
	else if (rest[0] in SEASONS) words = `${SEASONS[rest[0] as keyof typeof SEASONS]}${yearWords ? ` ${yearWords}` : ''}`;
	else {
		const month = rest[0] === 'XX' ? 'some month' : MONTHS[Number(rest[0]) - 1];
		if (rest.length === 1) words = `${month}${yearWords ? ` ${yearWords}` : ''}`;
		else {
			const day = rest[1] === 'XX' ? 'some day' : String(Number(rest[1]));
			const known = /^[0-9]{4}$/.test(year) && rest[0] !== 'XX' && rest[1] !== 'XX';
			const weekday = known ? WEEKDAYS[(new Date(Date.UTC(Number(year), Number(rest[0]) - 1, Number(rest[1]))).getUTCDay() + 6) % 7] + ' ' : '';
			words = `${weekday}${day} ${month}${yearWords ? ` ${yearWords}` : ' (year unknown)'}`;
		}
	}
	if (!time) return words;
	const t = describeTime(time);
	return t in { morning: 1, midday: 1, afternoon: 1, evening: 1, night: 1, daytime: 1 } ? `${words}, ${t}` : `${words} at ${t}`;
}

function ordinal(n: number): string {
	const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
	return `${n}${suffix}`;
}

/**
 * The value read back in English words: `2024-05-04` → "Saturday 4 May 2024",
 * `P3D` → "3 days", `1999-05-20TEV` → "Thursday 20 May 1999, evening".
 * Null for a value the grammar refuses.
 */
export function describeTimex(value: string): string | null {
	if (!isTimexValue(value)) return null;
	if (value === 'PRESENT_REF') return 'the present';
	if (value === 'PAST_REF') return 'the past';
	if (value === 'FUTURE_REF') return 'the future';
	if (value.startsWith('P')) return describeDuration(value);
	if (value.startsWith('T')) return describeTime(value);
	return describeCalendar(value);
}
