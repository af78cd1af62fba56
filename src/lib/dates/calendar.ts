/**
 * Calendar arithmetic for normalising temporal expressions: proleptic
 * Gregorian days in UTC (no time zones: a TIMEX3 value is a calendar value),
 * and the resolution rules that place an underspecified expression
 * ("samedi", "le 7 octobre", "juillet") relative to a reference date and the
 * tense of its sentence.
 */

export interface Day {
	year: number;
	month: number; // 1-12
	day: number; // 1-31
}

export type Tense = 'past' | 'present' | 'future';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDay(d: Day): string {
	return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

export function formatMonth(year: number, month: number): string {
	return `${pad(year, 4)}-${pad(month)}`;
}

/** `2024-05-04…` → the day; null for anything that does not start with a full date. */
export function parseDay(value: string | null | undefined): Day | null {
	const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})/.exec(value ?? '');
	if (!m) return null;
	const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
	return isRealDay(d) ? d : null;
}

export function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isRealDay(d: Day): boolean {
	return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(d.year, d.month);
}

function toEpochDay(d: Day): number {
	return Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}

function fromEpochDay(n: number): Day {
	const date = new Date(n * 86_400_000);
	return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function addDays(d: Day, n: number): Day {
	return fromEpochDay(toEpochDay(d) + n);
}

export function daysBetween(a: Day, b: Day): number {
	return toEpochDay(b) - toEpochDay(a);
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(d: Day): number {
	return ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;
}

/** ISO 8601 week: `{year, week}` (the week's year may differ from the day's near New Year). */
export function isoWeek(d: Day): { year: number; week: number } {
	const thursday = addDays(d, 4 - isoWeekday(d));
	const first = { year: thursday.year, month: 1, day: 1 };
	return { year: thursday.year, week: Math.floor(daysBetween(first, thursday) / 7) + 1 };
}

export function formatWeek(d: Day): string {
	const w = isoWeek(d);
	return `${pad(w.year, 4)}-W${pad(w.week)}`;
}

export function addMonths(year: number, month: number, n: number): { year: number; month: number } {
	const index = year * 12 + (month - 1) + n;
	return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/**
 * The day called `weekday` (1-7) nearest the reference in the sentence's
 * tense: in the past the last one before the reference (or the reference
 * itself when it is that day and `pastIncludesReference`: English wires write
 * «said on Monday» on that Monday, while a French morning paper's «lundi» is
 * last week's), in the future the next one after it; in the present (or with no tense cue) the reference
 * itself if it is that day, else the nearer of the two (the past one on a
 * tie, since news reports what happened). "samedi" in a past sentence of a
 * Monday 2024-05-06 article → 2024-05-04.
 */
export function resolveWeekday(reference: Day, weekday: number, tense: Tense, { pastIncludesReference = false } = {}): Day {
	const today = isoWeekday(reference);
	const back = (today - weekday + 7) % 7 || 7;
	const ahead = (weekday - today + 7) % 7 || 7;
	if (tense === 'past') return addDays(reference, today === weekday && pastIncludesReference ? 0 : -back);
	if (tense === 'future') return addDays(reference, ahead);
	if (today === weekday) return reference;
	return ahead < back ? addDays(reference, ahead) : addDays(reference, -back);
}

/**
 * The year of a day and month given without one ("le 7 octobre"): in a past
 * sentence the last such day on or before the reference (or one at most 45
 * days after it: a deadline, unless `deadlines` is false — «le 8 décembre dernier» is behind), in a future one the
 * next on or after it, otherwise the one nearest the reference. "le 7
 * octobre" in a past sentence of a 2024-05-06 article → 2023-10-07.
 */
export function resolveMonthDay(reference: Day, month: number, day: number, tense: Tense, { deadlines = true } = {}): Day | null {
	const candidates = [reference.year - 1, reference.year, reference.year + 1]
		.map((year) => ({ year, month, day }))
		.filter(isRealDay);
	if (candidates.length === 0) return null;
	const offset = (d: Day) => daysBetween(reference, d);
	if (tense === 'past') {
		// a past sentence still sets deadlines a few weeks ahead («a donné jusqu'au 30 juin»)
		const soon = deadlines ? candidates.find((d) => offset(d) > 0 && offset(d) <= 45) : undefined;
		if (soon) return soon;
		const past = candidates.filter((d) => offset(d) <= 0);
		return past[past.length - 1] ?? null;
	}
	// and a future one may name a day of the last week, this year's: «la semaine du 10 mars sera chargée» on 12 March
	// (an agency's article is often dated a day or two after it was written)
	if (tense === 'future') return (deadlines ? candidates.find((d) => offset(d) < 0 && offset(d) >= -7) : undefined) ?? candidates.find((d) => offset(d) >= 0) ?? null;
	return candidates.reduce((best, d) => (Math.abs(offset(d)) < Math.abs(offset(best)) ? d : best));
}

/**
 * The year of a month given without one: the reference's year, unless the
 * month is named as the last or next one, or a past sentence names a month
 * still to come this year (then it is last year's).
 */
export function resolveMonth(reference: Day, month: number, tense: Tense, explicit: 'last' | 'next' | null = null): number {
	if (explicit === 'last') return month < reference.month ? reference.year : reference.year - 1;
	if (explicit === 'next') return month > reference.month ? reference.year : reference.year + 1;
	if (tense === 'past' && month > reference.month + 1) return reference.year - 1;
	// a future sentence about a month already gone this year means next year's («les travaux commenceront en janvier», said in November)
	if (tense === 'future' && month < reference.month) return reference.year + 1;
	return reference.year;
}
