/**
 * English temporal expressions, after the TimeML / TIMEX3 annotation
 * guidelines (TimeBank, TempEval-3): determiners and modifiers belong to the
 * expression («the past three years», «last week», «two years ago», «early
 * May»), prepositions do not («in [1999]», «for [two days]», «at [5 p.m.]»),
 * an age is not a duration («a 35-year-old», «aged 35»).
 *
 * No English gold ships with spanlab; these rules are written from the
 * guidelines and checked on worked examples in `tagger.test.ts`.
 *
 * Over ~400 lines on purpose: a table of rules, one per kind of expression,
 * the same shape as ./fr.ts; the shared machinery is in ./pattern.ts.
 */
import {
	addDays,
	addMonths,
	formatDay,
	formatMonth,
	formatWeek,
	isRealDay,
	isoWeekday,
	resolveMonth,
	resolveMonthDay,
	resolveWeekday,
	type Day,
	type Tense
} from '../calendar';
import type { Rule, RuleContext, RuleValue } from '../tagger';
import { E, rx, value } from './pattern';


const MONTH = 'january|jan\\.|february|feb\\.|march|mar\\.|april|apr\\.|may|june|jun\\.|july|jul\\.|august|aug\\.|september|sept?\\.|october|oct\\.|november|nov\\.|december|dec\\.';
const WEEKDAY = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const DAYNUM = '(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?';
const YEAR = '1[5-9][0-9]{2}|20[0-9]{2}';
const PART = 'morning|afternoon|evening|night|noon|midday';
const UNITS = 'seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|quarters?|weekends?|millenni(?:um|a)';

const SMALL: Record<string, number> = {
	zero: 0, one: 1, a: 1, an: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
	thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40,
	fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, thousand: 1000
};
const NUMWORD = Object.keys(SMALL).filter((w) => w !== 'a' && w !== 'an').sort((a, b) => b.length - a.length).join('|');
const NUMWORDS = `(?:${NUMWORD})(?:(?:-|\\s+and\\s+|\\s+)(?:${NUMWORD})){0,4}`;
const NUM = `[0-9]+(?:\\.[0-9]+)?|${NUMWORDS}|a|an|several|a\\s+few|few|many|some|half\\s+an?|a\\s+half`;

export function englishNumber(words: string): number | null {
	const w = words.toLowerCase().trim();
	if (/^[0-9]+(\.[0-9]+)?$/.test(w)) return Number(w);
	let total = 0;
	let current = 0;
	for (const part of w.split(/\s+and\s+|[-\s]+/)) {
		if (!Object.hasOwn(SMALL, part)) return null;
		const n = SMALL[part];
		if (n === 100) current = (current || 1) * 100;
		else if (n === 1000) {
			total += (current || 1) * 1000;
			current = 0;
		} else current += n;
	}
	return total + current;
}

export function monthNumber(word: string): number {
	const w = word.toLowerCase();
	const order = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
	return order.findIndex((p) => w.startsWith(p)) + 1;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const weekdayNumber = (word: string) => WEEKDAYS.indexOf(word.toLowerCase()) + 1;

function partCode(word: string | undefined): string | null {
	const w = word?.toLowerCase();
	if (!w) return null;
	if (w === 'morning') return 'MO';
	if (w === 'afternoon') return 'AF';
	if (w === 'evening') return 'EV';
	if (w === 'night' || w === 'tonight') return 'NI';
	if (w === 'noon' || w === 'midday') return 'MI';
	return null;
}

const dayNumber = (word: string) => Number(word.replace(/(st|nd|rd|th)$/i, ''));

function yearOf(word: string): number {
	const digits = word.replace(/^['’]/, '');
	if (digits.length === 2) {
		const n = Number(digits);
		return n > 30 ? 1900 + n : 2000 + n;
	}
	return Number(digits);
}

function direction(word: string | undefined): Tense | null {
	const w = word?.toLowerCase();
	if (!w) return null;
	if (w === 'last' || w === 'past' || w === 'previous') return 'past';
	if (w === 'next' || w === 'coming' || w === 'following') return 'future';
	return null;
}

const MODS: Record<string, string> = { early: 'START', late: 'END', mid: 'MID', 'mid-': 'MID', beginning: 'START', end: 'END', middle: 'MID', start: 'START' };
const modOf = (word: string | undefined) => (word ? MODS[word.toLowerCase().replace(/\s+/g, '')] : undefined);
const approx = (ctx: RuleContext) => (/(?:around|about|approximately|nearly|roughly)\s+$/i.test(ctx.before) ? 'APPROX' : undefined);

const UNIT_CODE: Array<[RegExp, string, boolean]> = [
	[/^second/i, 'S', true],
	[/^minute/i, 'M', true],
	[/^hour/i, 'H', true],
	[/^day/i, 'D', false],
	[/^week(?!end)/i, 'W', false],
	[/^month/i, 'M', false],
	[/^year/i, 'Y', false],
	[/^decade/i, 'DE', false],
	[/^centur/i, 'CE', false],
	[/^quarter/i, 'Q', false],
	[/^weekend/i, 'WE', false],
	[/^millenni/i, 'ML', false]
];

function duration(amount: number | null, unit: string): string | null {
	const entry = UNIT_CODE.find(([re]) => re.test(unit));
	if (!entry) return null;
	let [, code, time] = entry;
	let n: number | string = amount ?? 'X';
	if (typeof n === 'number' && !Number.isInteger(n)) {
		if (code === 'Y' && Number.isInteger(n * 12)) [n, code] = [n * 12, 'M'];
		else if (code === 'H' && Number.isInteger(n * 60)) [n, code] = [n * 60, 'M'];
		else if (code === 'D' && Number.isInteger(n * 24)) [n, code, time] = [n * 24, 'H', true];
	}
	const amountText = typeof n === 'number' ? String(Number(n.toFixed(3))) : n;
	return time ? `PT${amountText}${code}` : `P${amountText}${code}`;
}

function amountOf(word: string): number | null {
	const w = word.toLowerCase().replace(/\s+/g, ' ');
	if (/^(several|a few|few|many|some)$/.test(w)) return null;
	if (/^half an?$|^a half$/.test(w)) return 0.5;
	return englishNumber(w);
}

function clockValue(hours: string, minutes: string | undefined, meridiem: string | undefined): string | null {
	let h = Number(hours);
	const m = minutes ? Number(minutes) : 0;
	const mer = meridiem?.toLowerCase().replace(/[.\s]/g, '');
	if (mer === 'pm' && h < 12) h += 12;
	if (mer === 'am' && h === 12) h = 0;
	if (h > 24 || m > 59) return null;
	return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}


function monthDay(ctx: RuleContext, month: number, day: number, yearWord: string | undefined, weekday: string | undefined, dir: Tense | null): RuleValue | null {
	if (yearWord) {
		const d = { year: yearOf(yearWord), month, day };
		return isRealDay(d) ? value('DATE', formatDay(d)) : null;
	}
	if (!ctx.reference) return value('DATE', `XXXX-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
	if (weekday && !dir) {
		const w = weekdayNumber(weekday);
		const hit = [0, -1, 1, -2, 2].map((k) => ({ year: ctx.reference!.year + k, month, day })).find((d) => isRealDay(d) && isoWeekday(d) === w);
		if (hit) return value('DATE', formatDay(hit));
	}
	const d = resolveMonthDay(ctx.reference, month, day, dir ?? ctx.tense());
	return d ? value('DATE', formatDay(d)) : null;
}

export const englishRules: Rule[] = [
	{
		// «Saturday, May 4, 2024», «May 4th», «May 4 last year» is two
		name: 'month-day-year',
		pattern: rx(`(?:(${WEEKDAY}),?\\s+)?(?:the\\s+)?(${MONTH})\\s+(${DAYNUM})(?:,?\\s+(${YEAR}))?`),
		value(m, ctx) {
			return monthDay(ctx, monthNumber(m[2]), dayNumber(m[3]), m[4], m[1], null);
		}
	},
	{
		// «Saturday 4 May 2024», «the 4th of May», «4 May»
		name: 'day-month-year',
		pattern: rx(`(?:(${WEEKDAY}),?\\s+)?(?:the\\s+)?(${DAYNUM})(?:\\s+of)?\\s+(${MONTH})(?:,?\\s+(${YEAR}))?`),
		value(m, ctx) {
			if (/^may$/i.test(m[3]) && !m[4] && !m[1] && !/(?:th|st|nd|rd)$/i.test(m[2]) && /^\s+(?:be|have|not|also|still|well|never)\b/i.test(ctx.after)) return null;
			return monthDay(ctx, monthNumber(m[3]), dayNumber(m[2]), m[4], m[1], null);
		}
	},
	{
		// «May 2024», «early May», «last March», «next January», «March» («may» the verb is left alone)
		name: 'month-year',
		pattern: rx(`(?:(early|late|mid-?|the\\s+(?:beginning|end|middle)\\s+of)\\s*|(last|next|this|past|coming)\\s+)?(${MONTH})(?:,?\\s+(${YEAR}))?`),
		value(m, ctx) {
			const [, modWord, dirWord, monthWord, yearWord] = m;
			if (/^may$/i.test(monthWord) && !yearWord && !modWord && !dirWord && !/(?:in|since|until|of|by|early|late|last|next|this|during)\s+$/i.test(ctx.before)) return null;
			if (/^march$/i.test(monthWord) && !yearWord && !modWord && !dirWord && !/(?:in|since|until|of|by|during)\s+$/i.test(ctx.before) && /^\s+(?:on|to|through|for|against)\b/i.test(ctx.after)) return null;
			const mod = modOf(modWord?.replace(/^the\s+|\s+of$/gi, ''));
			const month = monthNumber(monthWord);
			if (yearWord) return value('DATE', formatMonth(Number(yearWord), month), mod ? { mod } : {});
			const named = ctx.sentenceYear();
			if (named !== null && !dirWord) return value('DATE', formatMonth(named, month), mod ? { mod } : {});
			if (!ctx.reference) return value('DATE', `XXXX-${String(month).padStart(2, '0')}`, mod ? { mod } : {});
			const dir = direction(dirWord);
			const year = resolveMonth(ctx.reference, month, ctx.tense(), dir === 'past' ? 'last' : dir === 'future' ? 'next' : null);
			return value('DATE', formatMonth(year, month), mod ? { mod } : {});
		}
	},
	{
		// «1999», «early 2001», «the year 2000», «fiscal 1999»
		name: 'year',
		pattern: rx(`(?:(early|late|mid-?)\\s*|the\\s+year\\s+|fiscal\\s+)?(${YEAR})(?!\\s*(?:%|percent|people|dollars|euros|miles|km|tons|feet|meters|jobs|troops|votes|points|units|cars|homes)${E})(?![.,][0-9])`),
		value(m) {
			const mod = modOf(m[1]);
			return value('DATE', m[2], mod ? { mod } : {});
		}
	},
	{
		// «the 1990s», «the '90s», «the early 1960s»
		name: 'decade',
		pattern: rx(`(?:the\\s+)?(?:(early|late|mid-?)\\s*)?(?:(1[5-9]|20)([0-9])0s|['’]([0-9])0s)`),
		value(m) {
			const century = m[2] ?? (m[4] === '0' || m[4] === '1' ? '20' : '19');
			const digit = m[3] ?? m[4];
			const mod = modOf(m[1]);
			return value('DATE', `${century}${digit}X`, mod ? { mod } : {});
		}
	},
	{
		// «the 19th century», «the late 20th century»
		name: 'century',
		pattern: rx(`(?:the\\s+)?(?:(early|late|mid-?)\\s*)?([0-9]{1,2})(?:st|nd|rd|th)\\s+century`),
		value(m) {
			const n = Number(m[2]);
			if (!n || n > 30) return null;
			const mod = modOf(m[1]);
			return value('DATE', `${String(n - 1).padStart(2, '0')}XX`, mod ? { mod } : {});
		}
	},
	{
		// «last summer», «this spring», «the winter of 1999», «summer 2000»
		name: 'season',
		pattern: rx(`(?:(last|next|this|the\\s+past|the\\s+coming)\\s+|(early|late)\\s+)?(spring|summer|autumn|fall|winter)(?:\\s+(?:of\\s+)?(${YEAR}))?`),
		value(m, ctx) {
			const [, dirWord, modWord, season, yearWord] = m;
			if (/^fall$/i.test(season) && !dirWord && !yearWord && !/(?:the|in|this|last|next|early|late)\s+$/i.test(ctx.before)) return null;
			const code = /^sp/i.test(season) ? 'SP' : /^su/i.test(season) ? 'SU' : /^(au|fa)/i.test(season) ? 'FA' : 'WI';
			const mod = modOf(modWord);
			if (yearWord) return value('DATE', `${yearWord}-${code}`, mod ? { mod } : {});
			if (!dirWord || !ctx.reference) return value('DATE', `XXXX-${code}`, mod ? { mod } : {});
			const dir = direction(dirWord.replace(/^the\s+/i, ''));
			return value('DATE', `${ctx.reference.year + (dir === 'past' ? -1 : dir === 'future' ? 1 : 0)}-${code}`, mod ? { mod } : {});
		}
	},
	{
		// «yesterday», «yesterday morning», «today», «tomorrow night», «tonight»
		name: 'relative-day',
		pattern: rx(`(the\\s+day\\s+before\\s+yesterday|the\\s+day\\s+after\\s+tomorrow|yesterday|today|tomorrow|tonight)(?:\\s+(${PART}))?`),
		value(m, ctx) {
			const w = m[1].toLowerCase().replace(/\s+/g, ' ');
			const shift = { 'the day before yesterday': -2, yesterday: -1, today: 0, tonight: 0, tomorrow: 1, 'the day after tomorrow': 2 }[w] ?? 0;
			const day = ctx.reference ? formatDay(addDays(ctx.reference, shift)) : 'XXXX-XX-XX';
			const code = w === 'tonight' ? 'NI' : partCode(m[2]);
			// «today» in a general statement is the present, not a day
			if (w === 'today' && !code && /^\s*(?:'s|’s)/.test(ctx.after)) return value('DATE', day);
			return code ? value('TIME', `${day}T${code}`) : value('DATE', day);
		}
	},
	{
		// «Monday», «last Friday», «next Tuesday», «Monday morning», «on Sunday night»
		name: 'weekday',
		pattern: rx(`(?:(last|next|this|past|coming)\\s+)?(${WEEKDAY})(?:\\s+(${PART}))?`),
		value(m, ctx) {
			const code = partCode(m[3]);
			if (!ctx.reference) return value(code ? 'TIME' : 'DATE', code ? `XXXX-XX-XXT${code}` : 'XXXX-XX-XX');
			const dir = direction(m[1]) ?? (m[1] && /^this$/i.test(m[1]) ? 'present' : ctx.tense());
			const d = resolveWeekday(ctx.reference, weekdayNumber(m[2]), dir, { pastIncludesReference: true });
			return code ? value('TIME', `${formatDay(d)}T${code}`) : value('DATE', formatDay(d));
		}
	},
	{
		// «every Monday», «on Mondays»
		name: 'every-weekday',
		pattern: rx(`(?:every\\s+(${WEEKDAY})|(?<=on\\s+)(${WEEKDAY})s|(?<=on\\s+)(weekends))`),
		value(m) {
			if (m[3]) return value('SET', 'XXXX-WXX-WE'); // «on weekends»
			return value('SET', `XXXX-WXX-${weekdayNumber(m[1] ?? m[2])}`);
		}
	},
	{
		// «this week», «last year», «next month», «this quarter», «the past week» is a duration
		name: 'this-period',
		pattern: rx(`(this|last|next|the\\s+previous|the\\s+following|the\\s+current)\\s+(week|month|year|quarter|weekend|decade|century)`),
		value(m, ctx) {
			const w = m[1].toLowerCase().replace(/^the\s+/, '');
			const shift = w === 'last' || w === 'previous' ? -1 : w === 'next' || w === 'following' ? 1 : 0;
			const ref = ctx.reference;
			const unit = m[2].toLowerCase();
			if (unit === 'week' || unit === 'weekend') {
				if (!ref) return value('DATE', unit === 'week' ? 'XXXX-WXX' : 'XXXX-WXX-WE');
				const week = formatWeek(addDays(ref, 7 * shift));
				return value('DATE', unit === 'week' ? week : `${week}-WE`);
			}
			if (unit === 'month') {
				if (!ref) return value('DATE', 'XXXX-XX');
				const { year, month } = addMonths(ref.year, ref.month, shift);
				return value('DATE', formatMonth(year, month));
			}
			if (unit === 'quarter') {
				if (!ref) return value('DATE', 'XXXX-QX');
				const q = Math.floor((ref.month - 1) / 3) + shift;
				return value('DATE', `${ref.year + Math.floor(q / 4)}-Q${(((q % 4) + 4) % 4) + 1}`);
			}
			if (unit === 'decade') return value('DATE', ref ? `${String(Math.floor(ref.year / 10) + shift)}X` : 'XXXX');
			if (unit === 'century') return value('DATE', ref ? `${String(Math.floor(ref.year / 100) + shift)}` : 'XX');
			return value('DATE', ref ? String(ref.year + shift) : 'XXXX');
		}
	},
	{
		// «the first quarter», «the second half of 1999», «the fourth quarter of last year»
		name: 'quarter',
		pattern: rx(`the\\s+(first|second|third|fourth|last|1st|2nd|3rd|4th)\\s+(quarter|half)(?:\\s+of\\s+(?:(${YEAR})|(this|last|next)\\s+year))?`),
		value(m, ctx) {
			const ord = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 }[m[1].toLowerCase()] ?? (m[2].toLowerCase() === 'half' ? 2 : 4);
			const half = m[2].toLowerCase() === 'half';
			if (half && ord > 2) return null;
			const shift = m[4] ? (/^last$/i.test(m[4]) ? -1 : /^next$/i.test(m[4]) ? 1 : 0) : 0;
			const year = m[3] ? m[3] : ctx.reference ? String(ctx.reference.year + shift) : 'XXXX';
			return value('DATE', `${year}-${half ? 'H' : 'Q'}${ord}`);
		}
	},
	{
		// «earlier this year», «later this month», «the end of the year», «early next week»
		name: 'part-of-period',
		pattern: rx(`(?:(earlier|later|early|late)\\s+(this|last|next)|the\\s+(beginning|end|middle|start)\\s+of\\s+(?:the|this|last|next))\\s+(week|month|year|quarter|decade|century)`),
		value(m, ctx) {
			const [, relative, which1, edge, unit] = m;
			const which = which1 ?? (/\s(last)\s/i.test(m[0]) ? 'last' : /\snext\s/i.test(m[0]) ? 'next' : 'this');
			const shift = /^last$/i.test(which) ? -1 : /^next$/i.test(which) ? 1 : 0;
			const mod = relative ? (/^(earlier|early)$/i.test(relative) ? 'START' : 'END') : modOf(edge);
			const ref = ctx.reference;
			const u = unit.toLowerCase();
			let v: string;
			if (!ref) v = u === 'week' ? 'XXXX-WXX' : u === 'month' ? 'XXXX-XX' : 'XXXX';
			else if (u === 'week') v = formatWeek(addDays(ref, 7 * shift));
			else if (u === 'month') {
				const { year, month } = addMonths(ref.year, ref.month, shift);
				v = formatMonth(year, month);
			} else if (u === 'quarter') {
				const q = Math.floor((ref.month - 1) / 3) + shift;
				v = `${ref.year + Math.floor(q / 4)}-Q${(((q % 4) + 4) % 4) + 1}`;
			} else v = String(ref.year + shift);
			// «earlier this year» keeps its year; TimeML marks the part with mod
			return value('DATE', v, mod ? { mod } : {});
		}
	},
	{
		// «this morning», «this afternoon», «last night»
		name: 'this-part-of-day',
		pattern: rx(`(this|last|that)\\s+(${PART})`),
		value(m, ctx) {
			const code = partCode(m[2]);
			if (!code) return null;
			const shift = /^last$/i.test(m[1]) ? -1 : 0;
			if (/^that$/i.test(m[1])) {
				const anchor = ctx.anchor();
				return value('TIME', `${anchor ? formatDay(anchor) : 'XXXX-XX-XX'}T${code}`);
			}
			return value('TIME', `${ctx.reference ? formatDay(addDays(ctx.reference, shift)) : 'XXXX-XX-XX'}T${code}`);
		}
	},
	{
		// «5 p.m.», «10:30 a.m.», «noon», «midnight», «14:00 GMT» («at 5» alone is too vague)
		name: 'clock',
		pattern: rx(`(?:([01]?[0-9]|2[0-3])(?::([0-5][0-9]))?\\s*(a\\.?\\s?m\\.?|p\\.?\\s?m\\.?)(?!\\p{L})|([01]?[0-9]|2[0-3]):([0-5][0-9])|(?<=(?:at|around|about|by|after|before|until)\\s+)(noon|midnight)|([0-9]{1,2})\\s+o['’]clock)`),
		value(m, ctx) {
			let c: string | null;
			if (m[6]) c = m[6].toLowerCase() === 'noon' ? '12:00' : '24:00';
			else if (m[7]) c = clockValue(m[7], undefined, undefined);
			else if (m[4]) c = clockValue(m[4], m[5], undefined);
			else c = clockValue(m[1], m[2], m[3]);
			if (!c) return null;
			const day = ctx.anchor();
			const mod = approx(ctx);
			return value('TIME', day ? `${formatDay(day)}T${c}` : `T${c}`, mod ? { mod } : {});
		}
	},
	{
		// «2 a.m. Sunday», «10:30 p.m. yesterday»: one expression, the clock time of that day
		name: 'clock-day',
		pattern: rx(`(?:([01]?[0-9]|2[0-3])(?::([0-5][0-9]))?\\s*(a\\.?\\s?m\\.?|p\\.?\\s?m\\.?)|([01]?[0-9]|2[0-3]):([0-5][0-9]))\\s+(yesterday|today|tomorrow|${WEEKDAY})`),
		value(m, ctx) {
			const c = m[4] ? clockValue(m[4], m[5], undefined) : clockValue(m[1], m[2], m[3]);
			if (!c) return null;
			const word = m[6].toLowerCase();
			const shift = { yesterday: -1, today: 0, tomorrow: 1 }[word as 'today'];
			if (!ctx.reference) return value('TIME', `XXXX-XX-XXT${c}`);
			const d = shift !== undefined ? addDays(ctx.reference, shift) : resolveWeekday(ctx.reference, weekdayNumber(word), ctx.tense(), { pastIncludesReference: true });
			return value('TIME', `${formatDay(d)}T${c}`);
		}
	},
	{
		// «two years ago», «three days earlier», «a week later»: a date, the whole phrase
		name: 'ago',
		pattern: rx(`(${NUM})\\s+(${UNITS})\\s+(ago|earlier|before|later|after|from\\s+now|hence)`),
		value(m, ctx) {
			const amount = amountOf(m[1]);
			const unit = m[2].toLowerCase();
			const word = m[3].toLowerCase();
			const sign = /^(ago|earlier|before)$/.test(word) ? -1 : 1;
			const base = word === 'ago' || /^from/.test(word) || word === 'hence' ? ctx.reference : ctx.anchor();
			if (/^(before|after)$/.test(word)) {
				// «two days before the vote»: the duration only, the anchor is an event
				const v = duration(amount, unit);
				return v ? value('DURATION', v, { trimEnd: m[0].length - m[0].slice(0, m[0].lastIndexOf(m[3])).trimEnd().length }) : null;
			}
			if (!base || amount === null || !Number.isInteger(amount)) {
				return value('DATE', sign < 0 ? 'PAST_REF' : 'FUTURE_REF');
			}
			if (/^day/.test(unit)) return value('DATE', formatDay(addDays(base, sign * amount)));
			if (/^week/.test(unit)) return value('DATE', formatWeek(addDays(base, sign * amount * 7)));
			if (/^month/.test(unit)) {
				const { year, month } = addMonths(base.year, base.month, sign * amount);
				return value('DATE', formatMonth(year, month));
			}
			if (/^year/.test(unit)) return value('DATE', String(base.year + sign * amount));
			if (/^decade/.test(unit)) return value('DATE', `${Math.floor((base.year + sign * amount * 10) / 10)}X`);
			return value('DATE', sign < 0 ? 'PAST_REF' : 'FUTURE_REF');
		}
	},
	{
		// «two years», «30.4 seconds», «more than twenty years», «about an hour», «several days», «the past three years»
		name: 'duration',
		pattern: rx(`(?:(more\\s+than|less\\s+than|fewer\\s+than|at\\s+least|at\\s+most|nearly|almost|about|around|roughly|approximately|some|over|under|up\\s+to)\\s+|the\\s+(?:past|last|next|first|coming|previous|following)\\s+)?(${NUM})[\\s-]+(${UNITS})(?:\\s+and\\s+a\\s+half)?`),
		value(m, ctx) {
			const [whole, comparison, amountWord, unit] = m;
			let amount = amountOf(amountWord);
			if (/and\s+a\s+half$/i.test(whole) && amount !== null) amount += 0.5;
			// an age: «a 35-year-old», «aged 35 years», «35 years old»
			if (/^years?$/i.test(unit) && (/^-?\s*old/i.test(ctx.after) || /-old/i.test(ctx.after.slice(0, 5)) || /aged\s+$/i.test(ctx.before))) return null;
			if (/^(a|an)$/i.test(amountWord) && !comparison && /^(day|week|month|year)$/i.test(unit) && /^\s*(?:later|earlier|ago)/i.test(ctx.after)) return null;
			// «per day», «a day» as in «twice a day» is a frequency
			if (/^(a|an)$/i.test(amountWord) && /(?:times|once|twice)\s+$/i.test(ctx.before)) return null;
			const v = duration(amount, unit);
			if (!v) return null;
			const c = comparison?.toLowerCase().replace(/\s+/g, ' ');
			const mod =
				c === 'more than' || c === 'over'
					? 'MORE_THAN'
					: c === 'less than' || c === 'fewer than' || c === 'under'
						? 'LESS_THAN'
						: c === 'at least'
							? 'EQUAL_OR_MORE'
							: c === 'at most' || c === 'up to'
								? 'EQUAL_OR_LESS'
								: c
									? 'APPROX'
									: undefined;
			return value('DURATION', v, mod ? { mod } : {});
		}
	},
	{
		// «recent years», «the past few days», «the coming weeks»
		name: 'vague-period',
		pattern: rx(`(?:in\\s+)?(?:recent|the\\s+(?:past|last|coming|next)\\s+(?:few|several))\\s+(days|weeks|months|years|decades)`),
		value(m) {
			const v = duration(null, m[1]);
			return v ? value('DURATION', v, { trimStart: /^in\s/i.test(m[0]) ? m[0].length - m[0].replace(/^in\s+/i, '').length : 0 }) : null;
		}
	},
	{
		// «every day», «each year», «every two weeks», «daily», «weekly», «annually», «a day» after a count
		name: 'every',
		pattern: rx(`(?:(?:every|each)\\s+(?:(${NUM})\\s+)?(${UNITS}|morning|evening|night|spring|summer|autumn|fall|winter)|(?<=(?:times|once|twice|per)\\s+)(?:a\\s+|an\\s+)?(day|week|month|year|hour)|(daily|weekly|monthly|yearly|annually|quarterly|hourly|nightly))`),
		value(m) {
			if (m[5]) {
				const w = m[5].toLowerCase();
				const v = { daily: 'P1D', weekly: 'P1W', monthly: 'P1M', yearly: 'P1Y', annually: 'P1Y', quarterly: 'P1Q', hourly: 'PT1H', nightly: 'TNI' }[w];
				return v ? value('SET', v) : null;
			}
			const unit = m[2] ?? m[4];
			if (/^morning$/i.test(unit)) return value('SET', 'TMO');
			// «every summer»: that season of every year
			const season = { spring: 'SP', summer: 'SU', autumn: 'FA', fall: 'FA', winter: 'WI' }[unit.toLowerCase() as 'spring'];
			if (season) return value('SET', `XXXX-${season}`);
			if (/^(evening|night)$/i.test(unit)) return value('SET', /^e/i.test(unit) ? 'TEV' : 'TNI');
			const amount = m[1] ? amountOf(m[1]) : 1;
			const v = duration(amount ?? 1, unit);
			return v ? value('SET', v) : null;
		}
	},
	{
		// «May 4, 2024» numeric forms: «05/04/2024» is ambiguous and left alone; ISO «2024-05-04» is not
		name: 'iso-date',
		pattern: rx(`((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9])`),
		value(m) {
			const d: Day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
			return isRealDay(d) ? value('DATE', formatDay(d)) : null;
		}
	},
	{
		name: 'present',
		pattern: rx(`(now|currently|nowadays|at\\s+present|at\\s+the\\s+moment|for\\s+now|these\\s+days|current)`),
		value(m, ctx) {
			const w = m[1].toLowerCase();
			// «now» as a conjunction or filler is still the present in TimeML; «current» only before a noun
			if (w === 'current' && !/^\s+\p{L}/u.test(ctx.after)) return null;
			if (w === 'current' && /^\s+(?:account|affairs|events|accounts|flows?|assets|liabilities)\b/i.test(ctx.after)) return null;
			return value('DATE', 'PRESENT_REF');
		}
	},
	{
		name: 'past',
		pattern: rx(`(recently|formerly|previously|in\\s+the\\s+past|lately|once\\s+upon\\s+a\\s+time|former)`),
		value(m) {
			if (/^former$/i.test(m[1])) return null;
			return value('DATE', 'PAST_REF', { trimStart: /^in\s/i.test(m[0]) ? 3 : 0 });
		}
	},
	{
		name: 'future',
		pattern: rx(`(soon|in\\s+the\\s+future|in\\s+the\\s+coming\\s+(?:days|weeks|months|years)|shortly)`),
		value(m) {
			if (/coming/i.test(m[1])) return null; // a duration, see vague-period
			return value('DATE', 'FUTURE_REF', { trimStart: /^in\s/i.test(m[0]) ? 3 : 0 });
		}
	}
];

/**
 * The tense of an English sentence: a future («will», «'ll», «is going to»,
 * «is expected to», «plans to», «next»), else a past (simple past of «be»
 * and «have», regular -ed verbs after a subject, «said», «ago»), else the
 * present.
 */
export function englishTense(sentence: string): Tense {
	const s = sentence.toLowerCase();
	if (/(?<!\p{L})(?:will|shall|won['’]t|['’]ll|going\s+to|expected\s+to|plans?\s+to|scheduled|due\s+to|next|tomorrow|upcoming)(?!\p{L})/u.test(s)) return 'future';
	if (/(?<!\p{L})(?:was|were|had|did|said|told|ago|yesterday|last|earlier|went|came|took|made|gave|began|left|met|won|lost|held|became|announced|reported)(?!\p{L})/u.test(s)) return 'past';
	if (/(?<!\p{L})\p{L}{3,}ed(?!\p{L})/u.test(s)) return 'past';
	return 'present';
}
