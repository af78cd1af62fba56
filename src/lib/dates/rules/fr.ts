/**
 * French temporal expressions (ISO-TimeML / TIMEX3, as the French TimeBank
 * annotates them: the determiner belongs to the expression — «le 15 août»,
 * «l'automne», «cette semaine» — a preposition does not — «en [1990]»,
 * «depuis [deux ans]», «vers [18 h]» — and an age is not a duration).
 *
 * Written and tuned on the French TimeBank's 1999 files only (the
 * development part); its 2002–2003 files are for measuring.
 *
 * Long (~1,000 lines) on purpose: it is a table of rules, one per kind of
 * expression, each next to its worked example; the shared machinery (patterns,
 * calendar arithmetic, TIMEX3 values) is in ./pattern.ts, ../calendar.ts and
 * ../timex.ts. Split it by kind of expression when it grows again.
 */
import {
	addDays,
	addMonths,
	daysBetween,
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

const AP = "['’]";

const MONTH = 'janvier|janv\\.|février|fevrier|févr\\.|fev\\.|mars|avril|avr\\.|mai|juin|juillet|juil\\.|août|aout|septembre|sept\\.|octobre|oct\\.|novembre|nov\\.|décembre|decembre|déc\\.|dec\\.';
const WEEKDAY = 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche';
const DAYNUM = '1er|1re|premier|0?[1-9]|[12][0-9]|3[01]';
const YEAR = '1[5-9][0-9]{2}|20[0-9]{2}';
const PART = `matin|matinée|midi|apr[eè]s-midi|soir|soirée|nuit`;
const TIME = '(?:[01]?[0-9]|2[0-4])\\s?h(?:\\s?[0-5][0-9])?(?:\\s+(?:du\\s+matin|de\\s+l[\'’]après-midi|du\\s+soir))?';
const HOUR_WORD = '[01]?[0-9]|2[0-4]|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|vingt-trois|vingt-deux|vingt\\s+et\\s+une|vingt-et-une|vingt';
const MINUTE_WORD = 'cinquante-cinq|cinquante|quarante-cinq|quarante|trente-cinq|trente|vingt-cinq|vingt|quinze|dix|cinq';
const UNITS = 'secondes?|minutes?|heures?|jours?|journées?|semaines?|mois|ans|an|années?|décennies?|siècles?|trimestres?|semestres?|week-ends?|millénaires?';

const SMALL: Record<string, number> = {
	zéro: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11, douze: 12,
	treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60,
	cent: 100, cents: 100, mille: 1000
};
const NUMWORD = Object.keys(SMALL).sort((a, b) => b.length - a.length).join('|');
const NUMWORDS = `(?:${NUMWORD})(?:(?:-|\\s+et\\s+|-et-)(?:${NUMWORD})){0,4}`;
const NUM = `[0-9]+(?:[.,][0-9]+)?|${NUMWORDS}|quelques|plusieurs|demi`;

/** «vingt-cinq» → 25, «quatre-vingt-dix» → 90, «deux cent» → 200; null for anything else. */
export function frenchNumber(words: string): number | null {
	const w = words.toLowerCase().trim();
	if (/^[0-9]+([.,][0-9]+)?$/.test(w)) return Number(w.replace(',', '.'));
	let total = 0;
	let current = 0;
	for (const part of w.split(/-et-|\s+et\s+|[-\s]+/)) {
		if (!Object.hasOwn(SMALL, part)) return null;
		const n = SMALL[part];
		if (n === 100) current = (current || 1) * 100;
		else if (n === 1000) {
			total += (current || 1) * 1000;
			current = 0;
		} else if (n === 20 && current % 100 === 4) current = current - 4 + 80; // quatre-vingt(s)
		else current += n;
	}
	return total + current;
}

export function monthNumber(word: string): number {
	const w = word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
	if (w.startsWith('jan')) return 1;
	if (w.startsWith('f')) return 2;
	if (w.startsWith('mar')) return 3;
	if (w.startsWith('av')) return 4;
	if (w.startsWith('mai')) return 5;
	if (w.startsWith('juin')) return 6;
	if (w.startsWith('juil')) return 7;
	if (w.startsWith('ao')) return 8;
	if (w.startsWith('s')) return 9;
	if (w.startsWith('o')) return 10;
	if (w.startsWith('n')) return 11;
	return 12;
}

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
export const weekdayNumber = (word: string) => WEEKDAYS.indexOf(word.toLowerCase()) + 1;

function partCode(word: string | undefined): string | null {
	if (!word) return null;
	const w = word.toLowerCase();
	if (w.startsWith('mat')) return 'MO';
	if (w === 'midi') return 'MI';
	if (w.startsWith('apr')) return 'AF';
	if (w.startsWith('soir')) return 'EV';
	if (w === 'nuit') return 'NI';
	return null;
}

function dayNumber(word: string): number {
	return /^(1er|1re|premier)$/i.test(word) ? 1 : Number(word);
}

function yearOf(word: string): number {
	const digits = word.replace(/^['’]/, '');
	if (digits.length === 2) {
		const n = Number(digits);
		return n > 30 ? 1900 + n : 2000 + n;
	}
	return Number(digits);
}

function clock(hours: string, minutes?: string): string | null {
	const h = Number(hours);
	const m = minutes ? Number(minutes) : 0;
	if (h > 24 || m > 59 || (h === 24 && m > 0)) return null;
	return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function timeValue(text: string, day: Day | null): string | null {
	const m = /^([0-9]{1,2})\s?h\s?([0-9]{2})?(?:\s+(du\s+matin|de\s+l['’]après-midi|du\s+soir))?$/i.exec(text.trim());
	if (!m) return null;
	const afternoon = m[3] && !/matin/i.test(m[3]) && Number(m[1]) < 12;
	const c = clock(String(Number(m[1]) + (afternoon ? 12 : 0)), m[2]);
	if (!c) return null;
	return day ? `${formatDay(day)}T${c}` : `T${c}`;
}

function explicitDirection(word: string | undefined): Tense | null {
	if (!word) return null;
	const w = word.toLowerCase();
	if (/^(?:derni(?:er|ère)s?|passée?s?|écoulée?s?|précédente?s?)$/.test(w)) return 'past';
	if (/^(?:prochaine?s?|suivante?s?)$/.test(w)) return 'future';
	return null;
}

/** Where each season starts (the astronomical dates news mean, to a day): month, day; and the season after it. */
const SEASON_START: Record<string, [number, number]> = { SP: [3, 20], SU: [6, 21], FA: [9, 22], WI: [12, 21] };
const NEXT_SEASON: Record<string, string> = { SP: 'SU', SU: 'FA', FA: 'WI', WI: 'SP' };

const seasonCode = (word: string) => (/^pr/i.test(word) ? 'SP' : /^[eé]t/i.test(word) ? 'SU' : /^au/i.test(word) ? 'FA' : 'WI');

/** A future verb form (simple future, «aller» + infinitive), not a modal such as «devrait». */
const INFLECTED_FUTURE = /(?<![\p{L}])(?:\p{L}{2,}(?:era|eront|erai|erons|erez|iront|ira|ront|dra|dront)|sera|seront|aura|auront|fera|feront|ira|iront|(?:va|vont)\s+\p{L}+(?:er|ir|re))(?![\p{L}])/iu;

/**
 * The tense a past participle right before a weekday gives it, whatever the rest of the sentence says:
 * «un communiqué publié lundi soir» is past even in a sentence whose main verb is a future, «la réunion
 * prévue lundi» is ahead. Null when no participle stands right before the expression.
 */
const PLANNED = /^(?:prévue?s?|programmée?s?|fixée?s?|attendue?s?|reportée?s?|repoussée?s?|convoquée?s?|ajournée?s?)$/i;
const NOT_PARTICIPLES = /^(?:été|société|comité|communiqué|député|marché|côté|café|musée|lycée|année|journée|soirée|matinée|entrée|rentrée|armée|idée|pensée|durée|arrivée|tournée|semaine|vu|lieu)$/i;
/** Participles that do not end in «é»: «prévu», «attendue», «survenu», «réunis», «ouverte», «mise» (the ones news put before a day). */
const OTHER_PARTICIPLES = /^(?:prévue?s?|attendue?s?|survenue?s?|intervenue?s?|obtenue?s?|tenue?s?|retenue?s?|détenue?s?|rendue?s?|battue?s?|abattue?s?|perdue?s?|vendue?s?|reçue?s?|élue?s?|réélue?s?|parue?s?|disparue?s?|entendue?s?|conclue?s?|réunie?s?|saisie?s?|établie?s?|définie?s?|choisie?s?|ouverte?s?|découverte?s?|mise?s?|remise?s?|prise?s?|reprise?s?|commise?s?|émise?s?|transmise?s?|soumise?s?|inscrite?s?|écrite?s?)$/i;
/** «reportée à jeudi», «repoussé au 7 avril», «prévue pour lundi»: moved to or set for a day, which is ahead */
const SET_FOR = /(?<![\p{L}])(?:prévue?s?|programmée?s?|fixée?s?|reportée?s?|repoussée?s?|renvoyée?s?|ajournée?s?|avancée?s?|décalée?s?|remise?s?)\s+(?:à|au|pour)\s+(?:le\s+)?$/iu;
function participleBefore(before: string): Tense | null {
	if (SET_FOR.test(before)) return 'future';
	const word = /(?<![\p{L}])(\p{L}{3,})\s+$/u.exec(before);
	const m = /(?<![\p{L}])(\p{L}{3,}(?:é|ée|és|ées))\s+$/iu.exec(before) ?? (word && OTHER_PARTICIPLES.test(word[1]) ? word : null);
	if (m && !NOT_PARTICIPLES.test(m[1])) {
		// a passive future or infinitive («sera jugé lundi», «doit être signé lundi») is ahead, or left to the sentence
		const auxiliary = before.slice(0, m.index);
		if (/(?<![\p{L}])(?:sera|seront|serait|seraient)\s+$/iu.test(auxiliary)) return 'future';
		if (/(?<![\p{L}])être\s+$/iu.test(auxiliary)) return null;
		return PLANNED.test(m[1]) ? 'future' : 'past';
	}
	// a future or a future-in-the-past right before: «qui jouera mardi», «l'équipe jouerait samedi», «aura lieu lundi»
	const verb = /(?<![\p{L}])(\p{L}{3,})\s+$/u.exec(before)?.[1];
	if (verb && futureEnding(verb)) return 'future';
	if (verb && /^\p{Ll}\p{L}+(?:erait|eraient|drait|draient|rait|raient)$/u.test(verb) && !/^(?:aurait|auraient|serait|seraient|pourrait|pourraient|devrait|devraient|voudrait|voudraient|faudrait)$/i.test(verb)) return 'future';
	if (/(?<![\p{L}])(?:aura|auront|aurait|auraient)\s+lieu\s+$/iu.test(before)) return 'future';
	return null;
}

/**
 * What a preposition says of a weekday's direction: «depuis lundi» is behind; in a sentence in the present,
 * «dès lundi», «à partir de lundi», «jusqu'à lundi», «d'ici lundi» are ahead (the present of timetables).
 */
function prepositionTense(before: string, tense: Tense): Tense {
	if (/(?<![\p{L}])depuis\s+$/iu.test(before)) return 'past';
	if (tense === 'present' && /(?<![\p{L}])(?:dès|à\s+partir\s+de|jusqu['’]à|d['’]ici)\s+$/iu.test(before)) return 'future';
	return tense;
}

const RANGE_END = new RegExp(`(?<![\\p{L}])(?:de|du|depuis)\\s+(?:${WEEKDAY})\\s+(?:à|au|jusqu['’]à|jusqu['’]au)\\s+$`, 'iu');
const approx = (ctx: RuleContext) => (/(?:vers|environ|aux alentours de|autour de)\s+$/i.test(ctx.before) ? 'APPROX' : undefined);

const MODS: Record<string, string> = { début: 'START', fin: 'END', milieu: 'MID', mi: 'MID' };
const modOf = (word: string | undefined) => (word ? MODS[word.toLowerCase().replace(/^la\s+/, '').replace(/-$/, '')] : undefined);

/** The year in which day/month falls on `weekday`, nearest the reference (for «jeudi 7 octobre» without a year). */
function yearMatchingWeekday(reference: Day, month: number, day: number, weekday: number): Day | null {
	const options = [0, -1, 1, -2, 2].map((k) => ({ year: reference.year + k, month, day })).filter(isRealDay);
	return options.find((d) => isoWeekday(d) === weekday) ?? null;
}

const UNIT_CODE: Array<[RegExp, string, boolean]> = [
	[/^seconde/i, 'S', true],
	[/^minute/i, 'M', true],
	[/^heure/i, 'H', true],
	[/^(jour|journée)/i, 'D', false],
	[/^semaine/i, 'W', false],
	[/^mois/i, 'M', false],
	[/^(an|année)/i, 'Y', false],
	[/^décennie/i, 'DE', false],
	[/^siècle/i, 'CE', false],
	[/^trimestre/i, 'Q', false],
	[/^semestre/i, 'H', false],
	[/^week-end/i, 'WE', false],
	[/^millénaire/i, 'ML', false]
];

function duration(amount: number | null, unit: string): string | null {
	const entry = UNIT_CODE.find(([re]) => re.test(unit));
	if (!entry) return null;
	let [, code, time] = entry;
	let n: number | string = amount ?? 'X';
	if (code === 'H' && !time) {
		// a semester: six months
		code = 'M';
		n = typeof n === 'number' ? n * 6 : 'X';
	}
	// the French guidelines count decades, centuries and millennia in years («deux siècles» → P200Y)
	const years: Record<string, number> = { DE: 10, CE: 100, ML: 1000 };
	if (typeof n === 'number' && Object.hasOwn(years, code)) [n, code] = [n * years[code], 'Y'];
	// a fraction stays a fraction of its unit, as the French TimeBank guide writes «deux heures et demie» PT2.5H
	// («un an et demi» P1.5Y, «une journée et demie» P1.5D)
	const amountText = typeof n === 'number' ? String(Number(n.toFixed(3))) : n;
	return time ? `PT${amountText}${code}` : `P${amountText}${code}`;
}

function amountOf(word: string): number | null {
	const w = word.toLowerCase();
	if (w === 'quelques' || w === 'plusieurs') return null;
	if (w === 'demi') return 0.5;
	return frenchNumber(w);
}


/** «cette semaine», «le mois dernier», «l'année suivante», «le siècle dernier»: a period counted from the reference (or, anchored, from the date last named). */
function thisPeriod(ctx: RuleContext, unit: string, there: string | undefined, direction: string | undefined): RuleValue | null {
	const dir = explicitDirection(direction);
	const shift = dir === 'past' ? -1 : dir === 'future' ? 1 : 0;
	// «cette semaine-là», «cette année-là», «l'année suivante», «le mois précédent»: counted from the day
	// last mentioned, not from the reference (the guidelines' anchored expressions)
	const anchored = !!there || /^(?:précédente?|suivante?)$/i.test(direction ?? '');
	const ref = anchored ? ctx.anchor() : ctx.reference;
	const u = unit.toLowerCase();
	if (anchored && (u === 'année' || u === 'an')) {
		const year = ctx.anchorYear();
		return value('DATE', year === null ? 'XXXX' : String(year + shift));
	}
	if (u === 'semaine' || u === 'week-end') {
		if (!ref) return value('DATE', u === 'semaine' ? 'XXXX-WXX' : 'XXXX-WXX-WE');
		// «ce week-end» is the coming or the past one by the tense, as «le week-end» (a Monday paper's «ce week-end» is behind)
		if (u === 'week-end' && !shift && !anchored) return value('DATE', `${formatWeek(resolveWeekday(ref, 6, ctx.tense()))}-WE`);
		const w = formatWeek(addDays(ref, 7 * shift));
		return value('DATE', u === 'semaine' ? w : `${w}-WE`);
	}
	if (u === 'mois') {
		if (!ref) return value('DATE', 'XXXX-XX');
		const { year, month } = addMonths(ref.year, ref.month, shift);
		return value('DATE', formatMonth(year, month));
	}
	if (u === 'trimestre') {
		if (!ref) return value('DATE', 'XXXX-QX');
		const q = Math.floor((ref.month - 1) / 3) + shift;
		const year = ref.year + Math.floor(q / 4);
		return value('DATE', `${year}-Q${((q % 4) + 4) % 4 + 1}`);
	}
	if (u === 'semestre') {
		if (!ref) return value('DATE', 'XXXX-HX');
		const h = Math.floor((ref.month - 1) / 6) + shift;
		return value('DATE', `${ref.year + Math.floor(h / 2)}-H${((h % 2) + 2) % 2 + 1}`);
	}
	// «cette décennie», «le siècle dernier» (in 2002: the 1900s, 19XX)
	if (u === 'décennie') return value('DATE', ref ? `${Math.floor(ref.year / 10) + shift}X` : 'XXXX');
	if (u === 'siècle') return value('DATE', ref ? `${String(Math.floor(ref.year / 100) + shift).padStart(2, '0')}XX` : 'XXXX');
	if (!ref) return value('DATE', 'XXXX');
	return value('DATE', String(ref.year + shift));
}

export const frenchRules: Rule[] = [
	{
		// «le jeudi 7 octobre», «samedi 4 mai 2024», «27 mai 1998», «le 6 mai dernier», «1er juin»
		name: 'day-month-year',
		pattern: rx(`(?:(le|ce)\\s+)?(?:(${WEEKDAY})\\s+)?(${DAYNUM})(?:\\s+|-)(${MONTH})(?:\\s+(${YEAR}|['’][0-9]{2}|[0-9]{2}(?![0-9]|[.,][0-9]|\\s*(?:%|€|euros?|francs?|F|ans?)${E})))?(?:\\s+(dernier|derniers|prochain|prochains))?(?:,?\\s+(?:au|dans\\s+la|en)\\s+(soirée|soir|matinée|matin|nuit|après-midi))?`),
		value(m, ctx) {
			const [, , weekday, dayWord, monthWord, yearWord, direction, part] = m;
			const month = monthNumber(monthWord);
			const day = dayNumber(dayWord);
			// «le 31 décembre au soir», «le 12 mai dans la matinée»: one expression, a part of that day (as «hier soir»)
			const code = partCode(part);
			const at = (d: string) => (code ? value('TIME', `${d}T${code}`) : value('DATE', d));
			if (yearWord) {
				const d = { year: yearOf(yearWord), month, day };
				return isRealDay(d) ? at(formatDay(d)) : null;
			}
			if (!ctx.reference) return at(`XXXX-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
			const byWeekday = weekday && !direction ? yearMatchingWeekday(ctx.reference, month, day, weekdayNumber(weekday)) : null;
			// «le 8 décembre dernier» is the last one before the reference, never a deadline a few weeks ahead
			const explicit = explicitDirection(direction);
			const d = byWeekday ?? resolveMonthDay(ctx.reference, month, day, explicit ?? participleBefore(ctx.before) ?? ctx.tense(), { deadlines: !explicit });
			return d ? at(formatDay(d)) : null;
		}
	},
	{
		// «du [19] au 23 juillet», «le week-end des [15] et 16 mars»: the first day of a range takes the month of the second
		name: 'day-range-start',
		pattern: rx(`(?<=(?:du|entre\\s+le|les|des)\\s+)(${DAYNUM})(?=\\s+(?:au|et\\s+le|et)\\s+(?:${DAYNUM})\\s+(${MONTH})(?:\\s+(${YEAR}))?${E})`),
		value(m, ctx) {
			const month = monthNumber(m[2]);
			const day = dayNumber(m[1]);
			if (m[3]) {
				const d = { year: Number(m[3]), month, day };
				return isRealDay(d) ? value('DATE', formatDay(d)) : null;
			}
			if (!ctx.reference) return value('DATE', `XXXX-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
			const d = resolveMonthDay(ctx.reference, month, day, ctx.tense());
			return d ? value('DATE', formatDay(d)) : null;
		}
	},
	{
		// «avril 2001», «octobre 98», «juin prochain», «mois de juin», «juillet»
		name: 'month-year',
		pattern: rx(`(?:((?:le\\s+)?mois\\s+(?:de\\s+|d${AP}))|(début|fin|(?:la\\s+)?mi-|milieu)\\s*(?:(?:de\\s+|d${AP})\\s*)?)?(${MONTH})(?:\\s+(${YEAR}|['’][0-9]{2}|[0-9]{2}(?![0-9]|[.,][0-9]|\\s*(?:%|€|euros?|francs?|ans?)${E})))?(?:\\s+(dernier|prochain))?`),
		value(m, ctx) {
			const [, monthOf, modWord, monthWord, yearWord, direction] = m;
			void monthOf;
			const month = monthNumber(monthWord);
			const mod = modOf(modWord);
			// «mai» is also a name and a verb form too rarely to matter; a capitalised «Mars» alone is often the planet
			if (!yearWord && !direction && !monthOf && !modWord && /^Mars$/.test(monthWord) && !/(?:en|de|d['’]|au mois de)\s*$/i.test(ctx.before)) return null;
			if (yearWord) return value('DATE', formatMonth(yearOf(yearWord), month), mod ? { mod } : {});
			const named = ctx.sentenceYear();
			if (named !== null && !direction) return value('DATE', formatMonth(named, month), mod ? { mod } : {});
			if (!ctx.reference) return value('DATE', `XXXX-${String(month).padStart(2, '0')}`, mod ? { mod } : {});
			const dir = explicitDirection(direction);
			// a month gone this year is next year's only in a sentence that says so with a future verb near it
			// («commenceront en janvier»); a modal alone («les résultats de mars, qui devraient être affinés») is no such cue
			const tense = ctx.tense();
			const monthTense = tense === 'future' && !INFLECTED_FUTURE.test(`${ctx.before} ${ctx.after}`) ? 'present' : tense;
			const year = resolveMonth(ctx.reference, month, monthTense, dir === 'past' ? 'last' : dir === 'future' ? 'next' : null);
			return value('DATE', formatMonth(year, month), mod ? { mod } : {});
		}
	},
	{
		// «le début du mois de décembre», «à la fin du mois d'août 2002»: the month, with its modifier
		name: 'part-of-month',
		pattern: rx(`(?:(la|le|au|à\\s+la)\\s+)?(début|fin|milieu)\\s+du\\s+mois\\s+(?:de\\s+|d${AP})(${MONTH})(?:\\s+(${YEAR}))?`),
		value(m, ctx) {
			const [whole, det, modWord, monthWord, yearWord] = m;
			const month = monthNumber(monthWord);
			const mod = modOf(modWord);
			const kept = det && /^à\s+la$/i.test(det) ? det.length - 2 : det && /^au$/i.test(det) ? det.length : 0;
			const trimStart = kept ? kept + (whole.slice(kept).length - whole.slice(kept).trimStart().length) : 0;
			if (yearWord) return value('DATE', formatMonth(Number(yearWord), month), { mod, trimStart });
			const named = ctx.sentenceYear();
			if (named !== null) return value('DATE', formatMonth(named, month), { mod, trimStart });
			if (!ctx.reference) return value('DATE', `XXXX-${String(month).padStart(2, '0')}`, { mod, trimStart });
			return value('DATE', formatMonth(resolveMonth(ctx.reference, month, ctx.tense()), month), { mod, trimStart });
		}
	},
	{
		// the annotation guide's «le mois d'octobre de 1969», «janvier de cette année», «mars de l'année dernière»:
		// a month specified by a year introduced by «de» is one expression
		name: 'month-of-year',
		pattern: rx(`(?:(?:le\\s+)?mois\\s+(?:de\\s+|d${AP}))?(${MONTH})\\s+de\\s+(?:(${YEAR})|(cette\\s+année)|l${AP}(?:année|an)\\s+(dernière|dernier|passée|passé|prochaine|prochain))(?![\\p{L}0-9])`),
		value(m, ctx) {
			const [, monthWord, yearWord, thisYear, direction] = m;
			const month = monthNumber(monthWord);
			if (yearWord) return value('DATE', formatMonth(Number(yearWord), month));
			if (!ctx.reference) return null;
			const shift = thisYear ? 0 : explicitDirection(direction) === 'past' ? -1 : 1;
			return value('DATE', formatMonth(ctx.reference.year + shift, month));
		}
	},
	{
		// «1990», «l'année 2001», «l'an 2000», «en 97»
		name: 'year',
		pattern: rx(`(?:(?:l${AP}|cette\\s+)(?:année|an)\\s+|(?:(la|au|en)\\s+)?(début|fin|mi-|milieu)\\s*(?:de\\s+)?)?(${YEAR})(?!\\s*(?:%|€|euros?|francs?|F|dollars?|personnes|habitants|km|kilomètres|mètres|m|tonnes|mètres|places|logements|emplois|salariés|voitures|hectares|exemplaires)${E})(?![.,][0-9])`),
		value(m) {
			// «la fin de 2002» keeps its determiner, «au début de 2003» drops the preposition (as «la fin de l'année»)
			const [whole, det, modWord, year] = m;
			const mod = modOf(modWord);
			const trimStart = det && !/^la$/i.test(det) ? whole.length - whole.slice(det.length).trimStart().length : 0;
			return value('DATE', year, { ...(mod ? { mod } : {}), trimStart });
		}
	},
	{
		name: 'two-digit-year',
		pattern: rx(`(?<=(?:en|depuis|fin|début)\\s+)([0-9]{2})(?=\\s*[,.;:)(]|\\s+(?:et|à|ou)\\s)(?![.,][0-9])`),
		value(m) {
			const n = Number(m[1]);
			return n >= 40 || n <= 30 ? value('DATE', String(yearOf(m[1]))) : null;
		}
	},
	{
		// «les années 60», «début des années 60», «les années 1990»
		name: 'decade',
		pattern: rx(`(?:(?:(début|fin|milieu)\\s+des|les|des|dans\\s+les)\\s+)?années\\s+(?:(19|20)?([0-9])0|(vingt|trente|quarante|cinquante|soixante|soixante-dix|quatre-vingts?|quatre-vingt-dix))`),
		value(m, ctx) {
			const [whole, modWord, century, digit, word] = m;
			const d = digit ?? String((frenchNumber(word!) ?? 0) / 10);
			const c = century ?? (d === '0' || d === '1' ? '20' : '19');
			const mod = modOf(modWord);
			const trim = /^dans\s+les\s+/i.test(whole) ? whole.indexOf('les') : 0;
			void ctx;
			return value('DATE', `${c}${d}X`, { ...(mod ? { mod } : {}), trimStart: trim });
		}
	},
	{
		// «la fin du XIXe siècle», «le XXe siècle»
		name: 'century',
		pattern: rx(`(?:(?:la\\s+|au\\s+)?(début|fin|milieu)\\s+du\\s+|le\\s+)?([IVXL]+|[0-9]{1,2})(?:e|ème|eme)\\s+siècle`),
		value(m) {
			const roman = m[2];
			const n = /^[0-9]+$/.test(roman) ? Number(roman) : romanNumber(roman.toUpperCase());
			if (!n || n > 30) return null;
			const mod = modOf(m[1]);
			const trim = /^au\s/i.test(m[0]) ? 3 : 0;
			return value('DATE', `${String(n - 1).padStart(2, '0')}XX`, { ...(mod ? { mod } : {}), trimStart: trim });
		}
	},
	{
		// «l'automne», «cet été», «l'hiver prochain», «le printemps 2000», «en [été]», «les mois d'été»
		name: 'season',
		pattern: rx(`(?:(l${AP}|cet\\s+|ce\\s+|le\\s+|les\\s+mois\\s+d${AP})|(?<=(?:en|au|du|d${AP}|comme|Eté|été)\\s*)|(?<=^|[.!?]\\s+))(printemps|été|eté|automne|hiver)(?:\\s+(dernier|prochain|${YEAR}))?`),
		value(m, ctx) {
			const [, det, season, tail] = m;
			if (/^\s+(?:de\s+l['’]|du\s+|des\s+)(?!année|an\s)/i.test(ctx.after) && !tail) return null; // «le printemps de l'environnement», an event's name
			// «été» is mostly the participle: «a été», «ont été»
			if (/^[eé]t[eé]$/i.test(season) && !det && /(?:a|ont|avait|avaient|aurait|auraient|aura|auront|ayant|avoir|ait|aient|eût|est|sont|être)\s+$/i.test(ctx.before)) return null;
			const code = seasonCode(season);
			if (tail && /^[0-9]/.test(tail)) return value('DATE', `${tail}-${code}`);
			if (!det || /mois/i.test(det) || !ctx.reference) {
				if (!tail) return value('DATE', `XXXX-${code}`);
			}
			if (!ctx.reference) return value('DATE', `XXXX-${code}`);
			const dir = explicitDirection(tail);
			const year = ctx.reference.year + (dir === 'past' ? -1 : dir === 'future' ? 1 : 0);
			return value('DATE', `${year}-${code}`);
		}
	},
	{
		// «hier», «hier soir», «hier en début d'après-midi», «aujourd'hui vendredi», «Hier à 10 h», «demain matin»
		name: 'relative-day',
		pattern: rx(`(avant-hier|après-demain|hier|aujourd${AP}hui|demain)(?:\\s+(${WEEKDAY}))?(?:,?\\s+(?:(?:en\\s+)?(début|fin)\\s+(?:de\\s+|d${AP})|dans\\s+(?:la\\s+|l${AP})|en\\s+)?(${PART}))?(?:,?\\s+à\\s+(${TIME}))?`),
		value(m, ctx) {
			const [whole, word, , modWord, part, time] = m;
			const w = word.toLowerCase().replace('’', "'");
			// «aujourd'hui» as «nowadays» is the present, not a day (the TimeML guidelines' PRESENT_REF): «la France
			// d'aujourd'hui», and a sentence that opens on «Aujourd'hui,» in the present after telling the past
			if (w === "aujourd'hui" && whole.length === word.length) {
				if (/(?<![\p{L}])d['’]\s*$/u.test(ctx.before)) return value('TIME', 'PRESENT_REF');
				const toldThePast = /(?<![\p{L}])\p{L}{3,}(?:é|ée|és|ées|ait|aient)(?![\p{L}])/u.test(ctx.before);
				if (toldThePast && /(?:^|[.!?…»]\s*)$/.test(ctx.before) && /^\s*,/.test(ctx.after) && ctx.tense() === 'present') return value('TIME', 'PRESENT_REF');
			}
			const shift = { 'avant-hier': -2, hier: -1, "aujourd'hui": 0, demain: 1, 'après-demain': 2 }[w] ?? 0;
			const day = ctx.reference ? addDays(ctx.reference, shift) : null;
			const date = day ? formatDay(day) : 'XXXX-XX-XX';
			const mod = modOf(modWord);
			if (time) {
				const t = timeValue(time, day);
				return t ? value('TIME', day ? t : `XXXX-XX-XX${t}`) : null;
			}
			const code = partCode(part);
			if (code) return value('TIME', `${date}T${code}`, mod ? { mod } : {});
			return value('DATE', date);
		}
	},
	{
		// «le lendemain» (the expression is «lendemain»), «la veille»
		name: 'next-day',
		pattern: rx(`(?:(le|la|l${AP})\\s*)?(surlendemain|lendemain|avant-veille|veille)(?:\\s+(?:au\\s+)?(${PART}))?`),
		value(m, ctx) {
			const anchor = ctx.anchor();
			// «le surlendemain», «l'avant-veille»: two days after / before
			const shift = { lendemain: 1, surlendemain: 2, veille: -1, 'avant-veille': -2 }[m[2].toLowerCase() as 'veille'] ?? 0;
			if (!shift) return null;
			const day = anchor ? formatDay(addDays(anchor, shift)) : 'XXXX-XX-XX';
			const code = partCode(m[3]);
			const trimStart = m[1] ? m[1].length + (m[0].length - m[0].slice(m[1].length).trimStart().length - m[1].length) : 0;
			return value(code ? 'TIME' : 'DATE', code ? `${day}T${code}` : day, { trimStart: m[1] && /^le$/i.test(m[1]) ? trimStart : 0 });
		}
	},
	{
		// «le même jour», «ce jour-là»: the day last mentioned
		name: 'same-day',
		pattern: rx(`(?:le|ce)\\s+même\\s+(jour|mois)|(?:la|cette)\\s+même\\s+(année|semaine)|ce\\s+jour-là`),
		value(m, ctx) {
			// «la même année», «le même mois», «la même semaine»: the period of the date last mentioned
			const unit = (m[1] ?? m[2] ?? 'jour').toLowerCase();
			if (unit === 'année') {
				const year = ctx.anchorYear();
				return value('DATE', year === null ? 'XXXX' : String(year));
			}
			const anchor = ctx.anchor();
			if (unit === 'mois') return value('DATE', anchor ? formatMonth(anchor.year, anchor.month) : 'XXXX-XX');
			if (unit === 'semaine') return value('DATE', anchor ? formatWeek(anchor) : 'XXXX-WXX');
			return value('DATE', anchor ? formatDay(anchor) : 'XXXX-XX-XX');
		}
	},
	{
		// «de [8] à 24 mois»: the first number of a range takes the unit of the second
		name: 'duration-range-start',
		pattern: rx(`(?<=(?:de|entre)\\s+)(${NUM})(?=\\s+(?:à|et)\\s+(?:${NUM})\\s+(${UNITS})${E})`),
		value(m, ctx) {
			if (/^ans?$/i.test(m[2]) && !/(?:peine|prison|durée|période)\s+(?:de|entre)\s+$/i.test(ctx.before)) return null;
			const v = duration(amountOf(m[1]), m[2]);
			return v ? value('DURATION', v) : null;
		}
	},
	{
		// «la nuit de lundi à mardi»
		name: 'night-of',
		pattern: rx(`la\\s+nuit\\s+(?:de|du)\\s+(${WEEKDAY})\\s+(?:à|au)\\s+(?:${WEEKDAY})`),
		value(m, ctx) {
			if (!ctx.reference) return value('TIME', 'XXXX-XX-XXTNI');
			const d = resolveWeekday(ctx.reference, weekdayNumber(m[1]), ctx.tense());
			return value('TIME', `${formatDay(d)}TNI`);
		}
	},
	{
		// «la nuit du 14 au 15 juillet»: one expression, the night that starts on the first day
		name: 'night-of-dates',
		pattern: rx(`la\\s+nuit\\s+du\\s+(${DAYNUM})\\s+au\\s+(?:${DAYNUM})\\s+(${MONTH})(?:\\s+(${YEAR}))?`),
		value(m, ctx) {
			const month = monthNumber(m[2]);
			const day = dayNumber(m[1]);
			const d = m[3] ? { year: Number(m[3]), month, day } : ctx.reference ? resolveMonthDay(ctx.reference, month, day, ctx.tense()) : null;
			if (d && !isRealDay(d)) return null;
			return value('TIME', `${d ? formatDay(d) : `XXXX-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`}TNI`);
		}
	},
	{
		// «4 h mardi»
		name: 'time-weekday',
		pattern: rx(`(${TIME})\\s+(${WEEKDAY})`),
		value(m, ctx) {
			if (!ctx.reference) return null;
			const d = resolveWeekday(ctx.reference, weekdayNumber(m[2]), ctx.tense());
			const t = timeValue(m[1], d);
			return t ? value('TIME', t) : null;
		}
	},
	{
		// «samedi», «mercredi dernier», «ce dimanche», «Le même jour»-like «ce même lundi après-midi», «mardi soir»
		name: 'weekday',
		pattern: rx(`(?:(ce|le)\\s+(?:même\\s+)?)?(${WEEKDAY})(?:\\s+(dernier|prochain|précédent|suivant))?(?:\\s+(?:(?:en\\s+)?(début|fin)\\s+(?:de\\s+|d${AP}))?(${PART}))?`),
		value(m, ctx) {
			const [, det, weekday, direction, modWord, part] = m;
			if (/^\s+Saint/.test(ctx.after)) return null; // «Vendredi Saint», a feast
			const code = partCode(part);
			const mod = modOf(modWord);
			if (!ctx.reference) return value(code ? 'TIME' : 'DATE', code ? `XXXX-XX-XXT${code}` : 'XXXX-XX-XX');
			// «ce dimanche»: the reference itself on that day, else the coming or the past one by the tense
			const thisOne = !!det && /^ce$/i.test(det) && !direction;
			const today = thisOne && isoWeekday(ctx.reference) === weekdayNumber(weekday);
			const tense = explicitDirection(direction) ?? (today ? 'present' : (participleBefore(ctx.before) ?? prepositionTense(ctx.before, ctx.tense())));
			// the end of «de lundi à vendredi», «du mardi au jeudi»: the first such day from the range's start
			const from = !direction && RANGE_END.test(ctx.before) ? ctx.anchor() : null;
			const d = from ? addDays(from, (weekdayNumber(weekday) - isoWeekday(from) + 7) % 7) : resolveWeekday(ctx.reference, weekdayNumber(weekday), tense);
			return code ? value('TIME', `${formatDay(d)}T${code}`, mod ? { mod } : {}) : value('DATE', formatDay(d));
		}
	},
	{
		// «tous les jeudis»
		name: 'every-weekday',
		pattern: rx(`(?:(?:tous\\s+les|chaque|certains)\\s+(${WEEKDAY})s?|(?:les\\s+|(?<=(?:les\\s+\\p{L}+s|,)\\s+et\\s+|les\\s+\\p{L}+s,\\s+))(${WEEKDAY})s)`),
		value(m) {
			// «les mardis», «les samedis et dimanches»: the plural is a habit, every such day
			return value('SET', `XXXX-WXX-${weekdayNumber(m[1] ?? m[2])}`);
		}
	},
	{
		// «cette semaine», «l'an dernier», «l'année prochaine», «ce mois-ci», «la semaine dernière» (or «écoulée»), «ce week-end»
		name: 'this-period',
		pattern: rx(`(cette|la|l${AP}|ce|le|cet|au|du)\\s*(semaine|année|an|mois|week-end|trimestre|semestre|décennie|siècle)(?:-ci|-(là))?(?:\\s+(dernière|dernier|prochaine|prochain|passée|passé|écoulée|écoulé|précédente|précédent|suivante|suivant|en\\s+cours))?`),
		value(m, ctx) {
			const [whole, det, unit, there, direction] = m;
			const demonstrative = /^c/i.test(det);
			if (!demonstrative && !direction) return null;
			// «au siècle dernier», «du mois prochain»: the contracted preposition stays out (as «au [lendemain]»)
			const trimStart = /^(?:au|du)$/i.test(det) ? whole.length - whole.slice(det.length).trimStart().length : 0;
			const v = thisPeriod(ctx, unit, there, direction);
			return v && trimStart ? { ...v, trimStart } : v;
		}
	},
	{
		// «la fin de l'année», «en début de semaine», «fin mai» is month-year
		name: 'part-of-period',
		pattern: rx(`(?:(la|le|au|en|à\\s+la|ce|cette)\\s+)?(début|fin|milieu)\\s+(?:de\\s+l${AP}année|d${AP}année|de\\s+la\\s+semaine|de\\s+semaine|du\\s+mois|de\\s+mois|de\\s+l${AP}(?:été|automne|hiver)|du\\s+printemps)(?:\\s+(prochaine|prochain|dernière|dernier))?`),
		value(m, ctx) {
			const [whole, det, modWord, direction] = m;
			const mod = modOf(modWord);
			const kept = det && /^à\s+la$/i.test(det) ? det.length - 2 : det && !/^(la|le|ce|cette)$/i.test(det) ? det.length : 0;
			const trimStart = kept ? kept + (whole.slice(kept).length - whole.slice(kept).trimStart().length) : 0;
			const ref = ctx.reference;
			const dir = explicitDirection(direction);
			const shift = dir === 'past' ? -1 : dir === 'future' ? 1 : 0;
			if (/ann/i.test(whole)) return value('DATE', ref ? String(ref.year + shift) : 'XXXX', { mod, trimStart });
			// «la fin de l'été», «au début du printemps»: the season of the reference's year (or the last / next one)
			const season = /(été|automne|hiver|printemps)/i.exec(whole);
			if (season) {
				const code = seasonCode(season[1]);
				return value('DATE', ref ? `${ref.year + shift}-${code}` : `XXXX-${code}`, { mod, trimStart });
			}
			if (/semaine/i.test(whole)) return value('DATE', ref ? formatWeek(addDays(ref, 7 * shift)) : 'XXXX-WXX', { mod, trimStart });
			if (!ref) return value('DATE', 'XXXX-XX', { mod, trimStart });
			const { year, month } = addMonths(ref.year, ref.month, shift);
			return value('DATE', formatMonth(year, month), { mod, trimStart });
		}
	},
	{
		// «le matin», «l'après-midi», «la soirée de mardi», «le matin du 20 juin», «pendant la journée»
		name: 'the-part-of-day',
		pattern: rx(`(le|la|l${AP})\\s*(matin|matinée|après-midi|soir|soirée|nuit|journée)(?:\\s+(?:de|du)\\s+(?:(${WEEKDAY})|(${DAYNUM})\\s+(${MONTH})(?:\\s+(${YEAR}))?))?`),
		value(m, ctx) {
			const [, , part, weekday, dayWord, monthWord, yearWord] = m;
			// «la journée» only as a time of day («pendant la journée»), not «la journée de mobilisation»
			if (/^journée$/i.test(part) && !weekday && !dayWord && !/(?:pendant|durant|dans|toute|toute\s+de|en)\s+$/i.test(ctx.before)) return null;
			if (/^nuit$/i.test(part) && !weekday && !dayWord && !/(?:pendant|durant|dans|toute|dès|de|jusqu['’]à|à|pour|cours\s+de)\s+$/i.test(ctx.before)) return null;
			if (!weekday && !dayWord && /^\s+(?:de|du|des|d['’])\s/i.test(ctx.after)) return null; // «le soir de la finale»: an event's evening, the event is no date
			const code = /^journée$/i.test(part) ? 'DT' : partCode(part);
			if (!code) return null;
			let day: Day | null = ctx.anchor();
			if (weekday && ctx.reference) day = resolveWeekday(ctx.reference, weekdayNumber(weekday), ctx.tense());
			if (dayWord) {
				const month = monthNumber(monthWord);
				const d = yearWord ? { year: Number(yearWord), month, day: dayNumber(dayWord) } : ctx.reference ? resolveMonthDay(ctx.reference, month, dayNumber(dayWord), ctx.tense()) : null;
				day = d && isRealDay(d) ? d : null;
			}
			return value('TIME', `${day ? formatDay(day) : 'XXXX-XX-XX'}T${code}`);
		}
	},
	{
		// «Noël», «la Toussaint», «le jour de l'an», «la Saint-Sylvestre», «Pâques», «la Pentecôte», «l'Ascension»
		name: 'holiday',
		pattern: rx(`(?:(la|le)\\s+)?(Noël|Toussaint|jour\\s+de\\s+l${AP}an|Nouvel\\s+An|Saint-Sylvestre|Pâques|Pentecôte|Ascension|Assomption|Saint-Valentin|Chandeleur)(?:\\s+(${YEAR}))?(?:\\s+(dernier|dernière|prochain|prochaine))?`),
		value(m, ctx) {
			const name = m[2].toLowerCase().replace(/\s+/g, ' ');
			const fixed: Record<string, [number, number]> = { noël: [12, 25], toussaint: [11, 1], "jour de l'an": [1, 1], 'jour de l’an': [1, 1], 'nouvel an': [1, 1], 'saint-sylvestre': [12, 31], assomption: [8, 15], 'saint-valentin': [2, 14], chandeleur: [2, 2] };
			const year = m[3] ? Number(m[3]) : null;
			// «Noël dernier», «la Toussaint prochaine»: the direction is said
			const direction = explicitDirection(m[4]);
			const at = (y: number | null, month: number, day: number) => (y === null ? `XXXX-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` : formatDay({ year: y, month, day }));
			if (Object.hasOwn(fixed, name)) {
				const [month, day] = fixed[name];
				if (year !== null) return value('DATE', at(year, month, day));
				if (!ctx.reference) return value('DATE', at(null, month, day));
				const d = resolveMonthDay(ctx.reference, month, day, direction ?? ctx.tense(), { deadlines: !direction });
				return d ? value('DATE', formatDay(d)) : null;
			}
			// moveable feasts: from Easter Sunday of the year named, else the one of the year before, of or after
			// the reference that the tense points to, as a fixed feast («Pâques» in a November article: next spring's)
			const shift = name === 'pâques' ? 0 : name === 'pentecôte' ? 49 : 39;
			const feast = (y: number) => addDays(easterSunday(y), shift);
			if (year !== null) return value('DATE', formatDay(feast(year)));
			if (!ctx.reference) return value('DATE', 'XXXX-XX-XX');
			const ref = ctx.reference;
			const thisYear = feast(ref.year);
			const d = resolveMonthDay(ref, thisYear.month, thisYear.day, direction ?? ctx.tense(), { deadlines: !direction });
			return value('DATE', formatDay(d && d.year !== ref.year ? feast(d.year) : thisYear));
		}
	},
	{
		// «le premier trimestre», «le deuxième semestre 1999», «le troisième trimestre de l'année 2002», «la dernière semaine d'août»
		name: 'ordinal-period',
		pattern: rx(`(?:le|la|au|du)\\s+(premier|première|1er|deuxième|second|seconde|2e|troisième|3e|quatrième|4e|dernier|dernière)\\s+(trimestre|semestre|semaine)(?:\\s+(?:de\\s+|d${AP})(${MONTH}))?(?:\\s+(?:de\\s+l${AP}année\\s+|de\\s+)?(${YEAR}))?`),
		value(m, ctx) {
			const [whole, ordWord, unit, monthWord, yearWord] = m;
			const ord = /^(premier|première|1er)$/i.test(ordWord) ? 1 : /^(deuxième|second|seconde|2e)$/i.test(ordWord) ? 2 : /^(troisième|3e)$/i.test(ordWord) ? 3 : /^(quatrième|4e)$/i.test(ordWord) ? 4 : -1;
			const trim = /^(au|du)\s/i.test(whole) ? 3 : 0;
			const year = yearWord ? Number(yearWord) : ctx.reference?.year ?? null;
			const y = year === null ? 'XXXX' : String(year);
			if (/^tri/i.test(unit)) return ord > 0 ? value('DATE', `${y}-Q${ord}`, { trimStart: trim }) : value('DATE', `${y}-Q4`, { trimStart: trim });
			if (/^sem(?!aine)/i.test(unit) && /^semestre$/i.test(unit)) return ord > 0 && ord <= 2 ? value('DATE', `${y}-H${ord}`, { trimStart: trim }) : value('DATE', `${y}-H2`, { trimStart: trim });
			if (!monthWord || year === null) return null;
			const month = monthNumber(monthWord);
			const first = { year, month, day: 1 };
			const last = { year, month, day: new Date(Date.UTC(year, month, 0)).getUTCDate() };
			const d = ord > 0 ? addDays(first, 7 * (ord - 1)) : last;
			return value('DATE', formatWeek(d), { trimStart: trim });
		}
	},
	{
		// «le premier dimanche de juillet», «le dernier jeudi du mois», «le premier dimanche du printemps» (the
		// development part's 2000-03-26), «le dernier week-end de juin»: the nth such day of that month or season,
		// whose year is found as a named day's («juillet» in a future sentence said in August: next year's)
		name: 'ordinal-weekday',
		pattern: rx(`(le|au|du)\\s+(premier|1er|deuxième|second|2e|troisième|3e|quatrième|4e|dernier)\\s+(${WEEKDAY}|week-end)\\s+(?:(?:de\\s+|d${AP})(${MONTH})(?:\\s+(${YEAR}))?|du\\s+(mois)|(?:du\\s+|de\\s+l${AP})(printemps|été|automne|hiver)(?:\\s+(${YEAR}))?)`),
		value(m, ctx) {
			const [, det, ordWord, dayWord, monthWord, monthYear, thisMonth, season, seasonYear] = m;
			const ord = /^(premier|1er)$/i.test(ordWord) ? 1 : /^(deuxième|second|2e)$/i.test(ordWord) ? 2 : /^(troisième|3e)$/i.test(ordWord) ? 3 : /^(quatrième|4e)$/i.test(ordWord) ? 4 : -1;
			const weekend = /^week-end$/i.test(dayWord);
			const weekday = weekend ? 6 : weekdayNumber(dayWord);
			const trimStart = /^(au|du)$/i.test(det) ? det.length + 1 : 0;
			const ref = ctx.reference;
			// the period: its first day and the day after its last
			let first: Day | null = null;
			let next: Day | null = null;
			if (season) {
				const [month, day] = SEASON_START[seasonCode(season)];
				const start = seasonYear ? { year: Number(seasonYear), month, day } : ref ? resolveMonthDay(ref, month, day, ctx.tense(), { deadlines: false }) : null;
				if (start) {
					first = start;
					const [nm, nd] = SEASON_START[NEXT_SEASON[seasonCode(season)]];
					next = { year: start.year + (nm < month ? 1 : 0), month: nm, day: nd };
				}
			} else {
				const month = thisMonth ? ref?.month ?? null : monthNumber(monthWord);
				const year = monthYear ? Number(monthYear) : ref && month !== null ? (thisMonth ? ref.year : resolveMonth(ref, month, ctx.tense())) : null;
				if (month !== null && year !== null) {
					first = { year, month, day: 1 };
					const after = addMonths(year, month, 1);
					next = { year: after.year, month: after.month, day: 1 };
				}
			}
			if (!first || !next) return value('DATE', weekend ? 'XXXX-WXX-WE' : 'XXXX-XX-XX', { trimStart });
			const d = ord > 0 ? addDays(first, ((weekday - isoWeekday(first) + 7) % 7) + 7 * (ord - 1)) : addDays(next, -(((isoWeekday(next) - weekday + 6) % 7) + 1));
			if (daysBetween(d, next) <= 0) return null; // «le cinquième lundi» that the month does not have
			return weekend ? value('DATE', `${formatWeek(d)}-WE`, { trimStart }) : value('DATE', formatDay(d), { trimStart });
		}
	},
	{
		// «le week-end» (the nearest, by the tense)
		name: 'the-weekend',
		pattern: rx(`le\\s+week-end`),
		value(m, ctx) {
			if (!ctx.reference) return value('DATE', 'XXXX-WXX-WE');
			return value('DATE', `${formatWeek(resolveWeekday(ctx.reference, 6, ctx.tense()))}-WE`);
		}
	},
	{
		// «trois fois par an» (the guidelines' SET: the whole phrase)
		name: 'times-per',
		pattern: rx(`(${NUM}|deux|trois)\\s+fois\\s+par\\s+(an|jour|mois|semaine|année|heure)`),
		value(m) {
			const v = duration(1, m[2]);
			return v ? value('SET', v) : null;
		}
	},
	{
		// «ce soir», «ce matin», «cet après-midi», «cette nuit», «ce même lundi» is weekday
		name: 'this-part-of-day',
		pattern: rx(`(ce|cet|cette)\\s+(${PART})`),
		value(m, ctx) {
			const code = partCode(m[2]);
			if (!code) return null;
			return value('TIME', `${ctx.reference ? formatDay(ctx.reference) : 'XXXX-XX-XX'}T${code}`);
		}
	},
	{
		// «18 h», «21 h 45», «vers [midi]»
		name: 'clock',
		pattern: rx(`(${TIME}|(?<=(?:à|vers|dès|avant|après|jusqu${AP}à|de)\\s+)midi|(?<=(?:à|vers|dès|avant|après|jusqu${AP}à|de)\\s+)minuit)`),
		value(m, ctx) {
			const day = ctx.anchor();
			const word = m[1].toLowerCase();
			const mod = approx(ctx);
			// «pendant 2 h», «en 3 h»: a duration
			if (/(?:pendant|durant|en|de plus de|plus de|moins de)\s+$/i.test(ctx.before) && !/midi|minuit/.test(word)) {
				const h = /^([0-9]{1,2})\s?h\s?([0-9]{2})?$/i.exec(word);
				if (!h) return null;
				return value('DURATION', h[2] ? `PT${Number(h[1])}H${Number(h[2])}M` : `PT${Number(h[1])}H`);
			}
			if (word === 'midi' || word === 'minuit') {
				const c = word === 'midi' ? '12:00' : '24:00';
				return value('TIME', day ? `${formatDay(day)}T${c}` : `T${c}`, mod ? { mod } : {});
			}
			const t = timeValue(m[1], day);
			return t ? value('TIME', t, mod ? { mod } : {}) : null;
		}
	},
	{
		// «à 14 heures 30», «vers 8 heures et demie», «à 9 heures et quart», «à midi et demi», «à deux heures moins dix»,
		// «à trois heures et demie de l'après-midi» (the guide's T15:30): a clock time with its minutes or its part of the day
		name: 'clock-in-words',
		pattern: rx(`(?<=(?:à|vers|dès|avant|après|jusqu${AP}à|de|entre)\\s+)(?:(${HOUR_WORD})\\s+heures?|(midi|minuit))(?:\\s+(?:([0-5][0-9]|${MINUTE_WORD})(?![\\p{L}0-9])(?!\\s*min)|et\\s+(demie?|quart)|moins\\s+(le\\s+quart|[0-5]?[0-9]|${MINUTE_WORD})(?![\\p{L}0-9]))(?:\\s+(du\\s+matin|de\\s+l${AP}après-midi|du\\s+soir))?|\\s+(du\\s+matin|de\\s+l${AP}après-midi|du\\s+soir))`),
		value(m, ctx) {
			const [whole, hours, noon, minutes, half, less, partAfterMinutes, partAlone] = m;
			const part = partAfterMinutes ?? partAlone;
			let h = hours ? frenchNumber(hours.replace(/\s+/g, ' ')) : /^midi$/i.test(noon) ? 12 : 0;
			if (h === null || h > 24) return null;
			if (part && !/matin/i.test(part) && h < 12) h += 12;
			const lessBy = less ? (/quart/i.test(less) ? 15 : frenchNumber(less)) : 0;
			const min = (minutes ? frenchNumber(minutes) ?? 0 : half ? (/^d/i.test(half) ? 30 : 15) : 0) - (lessBy ?? 0);
			const total = h * 60 + min;
			if (total < 0 || total > 24 * 60) return null;
			const c = clock(String(Math.floor(total / 60)), String(total % 60));
			if (!c) return null;
			void whole;
			const day = ctx.anchor();
			const mod = approx(ctx);
			return value('TIME', day ? `${formatDay(day)}T${c}` : `T${c}`, mod ? { mod } : {});
		}
	},
	{
		// «il était 3 heures du matin», «cinq heures de l'après-midi», «deux heures de la nuit»: with its part of
		// the day an hour is a clock time even without «à» / «vers» before it (without it, «3 heures» is a duration)
		name: 'clock-of-part',
		pattern: rx(`(${HOUR_WORD})\\s+heures?(?:\\s+([0-5][0-9]|${MINUTE_WORD})(?![\\p{L}0-9]))?\\s+(du\\s+matin|de\\s+l${AP}après-midi|du\\s+soir|de\\s+la\\s+nuit)`),
		value(m, ctx) {
			const [, hours, minutes, part] = m;
			let h = frenchNumber(hours.replace(/\s+/g, ' '));
			if (h === null || h > 12) return null;
			if (/après-midi|soir/i.test(part) && h < 12) h += 12;
			const c = clock(String(h), minutes ? String(frenchNumber(minutes) ?? 0) : undefined);
			if (!c) return null;
			const day = ctx.anchor();
			const mod = approx(ctx);
			return value('TIME', day ? `${formatDay(day)}T${c}` : `T${c}`, mod ? { mod } : {});
		}
	},
	{
		// the guide's «deux heures trente» (PT2H30M): a duration in hours and minutes, without «minutes»
		name: 'hours-minutes',
		pattern: rx(`(${HOUR_WORD})\\s+heures?\\s+([0-5][0-9]|${MINUTE_WORD})(?![\\p{L}0-9])(?!\\s*(?:min|%|€|euros?))`),
		value(m) {
			const h = frenchNumber(m[1].replace(/\s+/g, ' '));
			const min = frenchNumber(m[2]);
			if (h === null || min === null || min >= 60) return null;
			return value('DURATION', min ? `PT${h}H${min}M` : `PT${h}H`);
		}
	},
	{
		// «une quinzaine de jours», «une dizaine d'années»
		name: 'approximate-duration',
		pattern: rx(`une\\s+(dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine)\\s+(?:de\\s+|d${AP})(${UNITS})`),
		value(m, ctx) {
			// «une femme d'une trentaine d'années»: an age
			if (/^ann/i.test(m[2]) && /\p{L}\s+(?:de|d['’])\s*$/u.test(ctx.before)) return null;
			const n = { dizaine: 10, douzaine: 12, quinzaine: 15, vingtaine: 20, trentaine: 30, quarantaine: 40, cinquantaine: 50, soixantaine: 60, centaine: 100 }[m[1].toLowerCase()] ?? null;
			const v = duration(n, m[2]);
			return v ? value('DURATION', v, { mod: 'APPROX' }) : null;
		}
	},
	{
		// «en fin de matinée», «en début de soirée», «dans la soirée» («la soirée»), «la nuit dernière»
		name: 'part-of-day',
		pattern: rx(`(?:en\\s+(début|fin|milieu)\\s+(?:de\\s+|d${AP})(matinée|soirée|journée|après-midi|nuit)|(?<=dans\\s+)(?:la|l${AP})\\s*(matinée|soirée|journée|après-midi|nuit)|la\\s+nuit\\s+dernière|(?<=(?:^|[^\\p{L}])en\\s+)(matinée|soirée))`),
		value(m, ctx) {
			const day = ctx.anchor();
			// «en soirée», «en matinée»: that part of the day last mentioned (the preposition stays out)
			const word = (m[2] ?? m[3] ?? m[4] ?? 'nuit').toLowerCase();
			if (/nuit\s+dernière/i.test(m[0])) {
				const d = ctx.reference ? addDays(ctx.reference, -1) : null;
				return value('TIME', `${d ? formatDay(d) : 'XXXX-XX-XX'}TNI`);
			}
			const code = word === 'journée' ? 'DT' : partCode(word);
			if (!code) return null;
			const mod = modOf(m[1]);
			return value('TIME', `${day ? formatDay(day) : 'XXXX-XX-XX'}T${code}`, mod ? { mod } : {});
		}
	},
	{
		// «jeudi 20» (the month is the one in which the 20th is a Thursday, nearest the reference)
		name: 'weekday-day',
		pattern: rx(`(?:(le|ce)\\s+)?(${WEEKDAY})\\s+(${DAYNUM})(?!\\s*(?:${MONTH}|h|heures?|[0-9]|%|€|euros?|ans|mois|jours|personnes|km|mètres|m)${E})(?![.,:][0-9])`),
		value(m, ctx) {
			const ref = ctx.reference;
			const weekday = weekdayNumber(m[2]);
			const day = dayNumber(m[3]);
			if (!ref) return value('DATE', `XXXX-XX-${String(day).padStart(2, '0')}`);
			for (const k of [0, -1, 1, -2, 2]) {
				const { year, month } = addMonths(ref.year, ref.month, k);
				const d = { year, month, day };
				if (isRealDay(d) && isoWeekday(d) === weekday) return value('DATE', formatDay(d));
			}
			return null;
		}
	},
	{
		// «17/05/1999», «17.05.99», «1999-05-17»
		name: 'numeric-date',
		pattern: rx(`(?:([0-3]?[0-9])[/.]([01]?[0-9])[/.]((?:19|20)?[0-9]{2})|((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9]))`),
		value(m) {
			const d = m[4] ? { year: Number(m[4]), month: Number(m[5]), day: Number(m[6]) } : { year: yearOf(m[3]), month: Number(m[2]), day: Number(m[1]) };
			return isRealDay(d) ? value('DATE', formatDay(d)) : null;
		}
	},
	{
		// «14:30»
		name: 'colon-clock',
		pattern: rx(`(?<=(?:à|vers|dès|de|avant|après)\\s+)([01]?[0-9]|2[0-3]):([0-5][0-9])`),
		value(m, ctx) {
			const c = clock(m[1], m[2]);
			const day = ctx.anchor();
			return c ? value('TIME', day ? `${formatDay(day)}T${c}` : `T${c}`, approx(ctx) ? { mod: 'APPROX' } : {}) : null;
		}
	},
	{
		// «le jour même», «le soir même»
		name: 'same-moment',
		pattern: rx(`le\\s+(jour|soir|matin)\\s+même`),
		value(m, ctx) {
			const anchor = ctx.anchor();
			const day = anchor ? formatDay(anchor) : 'XXXX-XX-XX';
			const code = partCode(m[1]);
			return code ? value('TIME', `${day}T${code}`) : value('DATE', day);
		}
	},
	{
		// «deux ans», «30,4 secondes», «plus de vingt ans», «moins de deux mois», «environ une heure», «plusieurs jours», «un demi-siècle»
		name: 'duration',
		pattern: rx(`(?:(plus|moins|au\\s+moins|au\\s+plus|pas\\s+moins)\\s+(?:de\\s+|d${AP})?|((?:environ|presque|quelque)\\s+|près\\s+(?:de\\s+|d${AP})))?(${NUM})(?:\\s+|-)(${UNITS})(?:\\s+et\\s+(demie?))?`),
		value(m, ctx) {
			const [whole, comparison, about, amountWord, unit, half] = m;
			let amount = amountOf(amountWord);
			if (amountWord.toLowerCase() === 'demi' && !/-/.test(whole)) return null;
			if (half && amount !== null) amount += 0.5;
			// «une seconde fois» (a second time), «un jour» (someday) are no durations
			if (/^seconde$/i.test(unit) && /^une$/i.test(amountWord)) return null;
			if (/^(un|une)$/i.test(amountWord) && /^jour$/i.test(unit) && !comparison && !about && !/(?:pendant|durant|depuis|en|pour|d['’])\s+$/i.test(ctx.before)) return null;
			// an age is not a duration: «Agé de 54 ans», «Johnny Kadda, 20 ans,», «électricien allemand de 37 ans,»
			if (/^ans?$/i.test(unit) && !comparison && !about) {
				if (/âgée?s?\s+de\s+$|agée?s?\s+de\s+$|âge\s+de\s+$/i.test(ctx.before)) return null;
				// «il a 45 ans», «elle avait 20 ans»: an age (but «il y a 45 ans» is a duration)
				if (/(?<![\p{L}])(?<!y\s)(?:a|as|avait|avaient|ont|aura|auront|aurait|auraient|ayant)\s+$/iu.test(ctx.before)) return null;
				if (/,\s*$/.test(ctx.before) && /^\s*[,.)]/.test(ctx.after)) return null;
				if (/[\p{L}]\s+de\s+$/u.test(ctx.before) && /^\s*(?:,|\.|\)|;|:|et\s|qui\s|s['’]|est\s|a\s|était\s|avait\s|sont\s|ont\s|originaire|domicilié|demeurant|habitant|résidant)/.test(ctx.after) && !/(?:peine|période|durée|espace|âge|bout|terme|plus|moins|près|mandat|contrat|est|sont|était|étaient|sera|seront|serait)\s+de\s+$/i.test(ctx.before)) return null;
				if (/(?:[0-9]+\s*(?:-|à)\s*|des\s+[0-9]+-)$/.test(ctx.before) || /^[0-9]+-/.test(amountWord)) return null;
			}
			const v = duration(amount, unit);
			if (!v) return null;
			const mod = comparison
				? /^au\s+moins|^pas/i.test(comparison)
					? 'EQUAL_OR_MORE'
					: /^au\s+plus/i.test(comparison)
						? 'EQUAL_OR_LESS'
						: /^plus/i.test(comparison)
							? 'MORE_THAN'
							: 'LESS_THAN'
				: about
					? 'APPROX'
					: undefined;
			// «à 20 heures», «vers 8 heures 30»: a clock time
			// («après deux heures de discussion», «jusqu'à 11 heures d'amplitude»: a duration of something)
			const ofSomething = /^\s+(?:de|d['’])\s*(?!l['’]après-midi)\p{L}/iu.test(ctx.after);
			// «à partir de 14 heures», «aux alentours de 15 heures», «entre 8 heures et 10 heures» (both ends said in hours:
			// «entre 8 et 10 heures» may be how long something took) are clock times too
			const clockBefore =
				/(?:(?<![\p{L}])à|vers|dès|avant|après|jusqu['’]à|à\s+partir\s+de|aux\s+alentours\s+de)\s+$/iu.test(ctx.before) ||
				(/(?<![\p{L}])entre\s+$/iu.test(ctx.before) && /^\s+et\s+[0-9]{1,2}\s+heures?(?![\p{L}])/iu.test(ctx.after)) ||
				/(?<![\p{L}])entre\s+[0-9]{1,2}\s+heures?\s+et\s+$/iu.test(ctx.before);
			if (/^heures?$/i.test(unit) && !comparison && !about && !ofSomething && clockBefore && amount !== null && amount <= 24 && Number.isInteger(amount)) {
				const minutes = /^\s+([0-5][0-9])(?![0-9])/.exec(ctx.after);
				const c = clock(String(amount), minutes?.[1]);
				const day = ctx.anchor();
				if (!c) return null;
				return value('TIME', day ? `${formatDay(day)}T${c}` : `T${c}`, approx(ctx) ? { mod: 'APPROX' } : {});
			}
			return value('DURATION', v, mod ? { mod } : {});
		}
	},
	{
		// «pendant 48 h», «en 24 h», «dans 72 h», «un délai de 72 h»: hours written «h» after a word of length are a
		// duration (after «à», «vers», «depuis», «de … à» they are a clock time: the clock rules)
		name: 'duration-h',
		pattern: rx(`(?<=(?:pendant|durant|en|sous|dans|d${AP}ici|de)\\s+)([0-9]{1,3})\\s?h(?![\\p{L}0-9])(?!\\s*(?:[0-9]|à|-|et)(?![\\p{L}]))`),
		value(m, ctx) {
			const hours = Number(m[1]);
			// «de 9 h» alone is mostly when something starts («de 9 h à midi»); a length «de» has more hours than a clock shows
			if (/(?<![\p{L}])de\s+$/iu.test(ctx.before) && hours <= 24) return null;
			return value('DURATION', `PT${hours}H`);
		}
	},
	{
		// sports reports: «la quatrième journée» (a round of the championship, one day long, as the
		// French TimeBank annotates it), «la première minute» (of the match: a time of its day, clock unknown)
		name: 'match-round',
		pattern: rx(`(?<=(?:^|[^\\p{L}]))la\\s+((?:premi[eè]re|1(?:re|ère)|deuxième|2e|troisième|3e|quatrième|4e|cinquième|5e|sixième|6e|septième|7e|huitième|8e|neuvième|9e|dixième|10e|onzième|douzième|treizième|quatorzième|quinzième|seizième|dix-septième|dix-huitième|dix-neuvième|vingtième|dernière|[0-9]{1,2}e)\\s+(journée|minute))(?![\\p{L}])`),
		value(m, ctx) {
			if (/^journée$/i.test(m[2])) return value('DURATION', 'P1D');
			const day = ctx.anchor();
			return value('TIME', `${day ? formatDay(day) : 'XXXX-XX-XX'}TXX:XX`);
		}
	},
	{
		name: 'half-duration',
		pattern: rx(`(?:un|une)\\s+demi-(siècle|heure|journée|heure|année|mois|journée)`),
		value(m) {
			const v = duration(0.5, m[1]);
			return v ? value('DURATION', v) : null;
		}
	},
	{
		// «ces derniers jours», «ces dernières 24 heures», «les prochaines semaines», «les deux dernières semaines»,
		// «(au cours des) dernières années» (the contracted «des» is the preposition's, as «au» of «au lendemain»)
		name: 'recent-period',
		pattern: rx(`(?:(?:ces|les)\\s+|(?<=(?:^|[^\\p{L}])des\\s+))(?:(${NUM})\\s+)?(derniers|dernières|prochains|prochaines|premiers|premières)\\s+(?:(${NUM})\\s+)?(${UNITS})`),
		value(m) {
			const said = m[1] ?? m[3];
			const amount = said ? amountOf(said) : null;
			const v = duration(amount, m[4]);
			return v ? value('DURATION', v) : null;
		}
	},
	{
		// «les semaines à venir», «(dans) les années à venir», «les deux mois à venir»
		name: 'coming-period',
		pattern: rx(`(?:les|ces)\\s+(?:(${NUM})\\s+)?(${UNITS})\\s+à\\s+venir`),
		value(m) {
			const v = duration(m[1] ? amountOf(m[1]) : null, m[2]);
			return v ? value('DURATION', v) : null;
		}
	},
	{
		// «un quart d'heure», «trois quarts d'heure»
		name: 'quarter-hour',
		pattern: rx(`(un|trois)\\s+quarts?\\s+d${AP}heure`),
		value(m) {
			return value('DURATION', /^un$/i.test(m[1]) ? 'PT15M' : 'PT45M');
		}
	},
	{
		// «depuis des années», «des mois»
		name: 'vague-duration',
		pattern: rx(`(?<=(?:depuis|pendant|durant|après|pour)\\s+)des\\s+(années|mois|semaines|décennies|siècles|heures|jours)`),
		value(m) {
			const v = duration(null, m[1]);
			return v ? value('DURATION', v) : null;
		}
	},
	{
		name: 'term-of-office',
		pattern: rx(`(quinquennat|septennat)s?`),
		value(m) {
			return value('DURATION', /^q/i.test(m[1]) ? 'P5Y' : 'P7Y');
		}
	},
	{
		// «chaque jour», «tous les ans», «chaque année», «par [an]»
		name: 'every',
		pattern: rx(`(?:(chaque|tous\\s+les|toutes\\s+les|certains|certaines)\\s+(?:(${NUM})\\s+)?(${UNITS}|soirs?|matins?|printemps|étés|été|automnes?|hivers?)|(?<=par\\s+)(an|jour|mois|semaine|année|heure|semestre|trimestre))`),
		value(m) {
			const unit = m[3] ?? m[4];
			if (/^soir/i.test(unit)) return value('SET', 'TEV');
			if (/^matin/i.test(unit)) return value('SET', 'TMO');
			// «chaque été», «tous les hivers»: the season of every year
			if (/^(?:printemps|étés?|automnes?|hivers?)$/i.test(unit)) return value('SET', `XXXX-${seasonCode(unit)}`);
			const amount = m[2] ? amountOf(m[2]) : 1;
			const v = duration(amount ?? 1, unit);
			return v ? value('SET', v) : null;
		}
	},
	{
		// «annuels», «mensuelle», «hebdomadaire», «quotidiennes» (not «le quotidien», the newspaper)
		name: 'frequency-adjective',
		pattern: rx(`(journalier|journalière|journaliers|journalières|annuel|annuelle|annuels|annuelles|mensuel|mensuelle|mensuels|mensuelles|hebdomadaires?|quotidiennement|bimensuel(?:le)?s?)`),
		value(m, ctx) {
			const w = m[1].toLowerCase();
			if (/^hebdo/.test(w) && /(?:le|un|du|au|ce|l['’]|des|les)\s+$/i.test(ctx.before)) return null;
			const v = /^annu/.test(w) ? 'P1Y' : /^mens/.test(w) ? 'P1M' : /^bimens/.test(w) ? 'P2W' : /^hebdo/.test(w) ? 'P1W' : 'P1D';
			return value('SET', v);
		}
	},
	{
		name: 'present',
		pattern: rx(`(maintenant|actuellement|désormais|à\\s+présent|pour\\s+l${AP}heure|à\\s+l${AP}heure\\s+actuelle|pour\\s+l${AP}instant|pour\\s+le\\s+moment|en\\s+ce\\s+moment|actuel|actuelle|actuels|actuelles|de\\s+nos\\s+jours|(?<=d${AP})ici)`),
		value(m, ctx) {
			const w = m[1].toLowerCase();
			if (w === 'ici') {
				// «d'ici le 30 juin», «d'ici la fin de l'année»: the span from now to a date; «d'ici à dix ans»: now
				if (/^\s+(?:(?:le|la|l['’]|au|à\s+la|fin|début)\s|[12][0-9]{3}(?![0-9]))/i.test(ctx.after) && ctx.reference) return value('DATE', formatDay(ctx.reference));
				return value('TIME', 'PRESENT_REF');
			}
			return value('TIME', 'PRESENT_REF');
		}
	},
	{
		name: 'past',
		pattern: rx(`(auparavant|autrefois|jadis|naguère|récemment|dernièrement|précédemment|précédent|précédente|précédents|précédentes)`),
		value() {
			return value('TIME', 'PAST_REF');
		}
	},
	{
		name: 'future',
		pattern: rx(`(prochainement|bientôt|à\\s+l${AP}avenir|prochain|prochaine|prochains|prochaines)`),
		value() {
			return value('TIME', 'FUTURE_REF');
		}
	}
];

/** Easter Sunday of a Gregorian year (the anonymous Gregorian computus). */
export function easterSunday(year: number): Day {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return { year, month, day };
}

function romanNumber(s: string): number {
	const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const a = v[s[i]];
		const b = v[s[i + 1]] ?? 0;
		n += a < b ? -a : a;
	}
	return n;
}

/**
 * A compound past: an auxiliary and a participle («a annoncé», «ont été», «est venu»), not «avoir» + a noun
 * that ends like one («a lieu» — takes place, the present of announcements —, «a droit», «a tort», «a envie»).
 */
const NOT_PARTICIPLE =
	'(?:lieu|droit|tort|trait|envie|besoin|peur|faim|soif|part|du|au|peu|tous|nous|vous|sous|plus|jamais|depuis|puis|mais|lui|ici|aussi|ainsi|parmi|celui|midi|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?![\\p{L}])';
/**
 * A present auxiliary «être» makes a compound past only with a verb conjugated with «être» («est venu», «sont
 * morts», «est né») or a pronominal one («s'est déroulé», «se sont réunis»); with any other participle it is a
 * passive in the present («le verdict est attendu», «les inscriptions sont ouvertes», «il est accusé»).
 */
const ETRE_VERBS =
	'(?:(?:re|ad|par|sur|inter|pro|con|sou|de|dé)?venue?s?|(?:re)?devenue?s?|(?:re)?allée?s?|(?:r|re)?arrivée?s?|(?:re)?partie?s?|(?:r|re)?entrée?s?|(?:res|re)?sortie?s?|née?s?|morte?s?|décédée?s?|restée?s?|(?:re)?tombée?s?|(?:re)?montée?s?|(?:re)?descendue?s?|retournée?s?|rentrée?s?|passée?s?|apparue?s?|disparue?s?)';
const ENDINGS = '(?:é|ée|és|ées|i|is|ie|ies|it|u|us|ue|ues|ert|erte|ort|orte|int|ointe?s?)';
const ENDINGS_SHORT = '(?:é|ée|és|ées|i|is|it|u|us|ue|ert|ort|int)';
const REFLEXIVE = `(?<![\\p{L}])(?:s['’]\\s*|se\\s+|me\\s+|m['’]\\s*|te\\s+|t['’]\\s*|nous\\s+|vous\\s+)`;
function pastCompound(avoir: string, etre: string, endings: string): RegExp {
	const participle = `(?:\\p{L}+\\s+)?(?!${NOT_PARTICIPLE})\\p{L}+${endings}(?![\\p{L}])`;
	return new RegExp(
		`(?<![\\p{L}])(?:${avoir})\\s+${participle}|${REFLEXIVE}(?:${etre})\\s+${participle}|(?<![\\p{L}])(?:${etre})\\s+(?:\\p{L}+\\s+)?${ETRE_VERBS}(?![\\p{L}])`,
		'u'
	);
}
const PAST_COMPOUND = pastCompound('a|ont|avait|avaient|eut|eurent|était|étaient|fut|furent|ai|as|avons|avez|avions|aviez|étions|étiez|avoir|ayant', 'est|sont|suis|es|sommes|êtes', ENDINGS);
const PAST_COMPOUND_SHORT = pastCompound('a|ont|avait|avaient|était|étaient|ai|avons|avez', 'est|sont|suis|sommes|êtes', ENDINGS_SHORT);

/** Nouns and loanwords that end like a future verb («l'Opéra», «une caméra», «extra»). */
const NOT_FUTURES = new Set(['opéra', 'caméra', 'choléra', 'extra', 'cobra', 'mantra', 'zébra', 'tiara', 'sierra', 'véra', 'ultra', 'intra', 'contra', 'tantra']);

/**
 * A simple-future ending («déroulera», «prendront», «SE DÉROULERA» in a headline): on the sentence as
 * written, so that a capitalised name («Alexandra», «Tara», «Laura») is no verb.
 */
function futureEnding(sentence: string): boolean {
	for (const m of sentence.matchAll(/(?<![\p{L}])(\p{L}{2,}(?:era|eront|erai|erons|erez|iront|ira|ront|dra|dront|ra))(?![\p{L}])/giu)) {
		const word = m[1];
		if (/^\p{Lu}/u.test(word) && /\p{Ll}/u.test(word)) continue;
		if (!NOT_FUTURES.has(word.toLowerCase())) return true;
	}
	return false;
}

/**
 * The tense of a French sentence, from its verbs: a future («sera»,
 * «auront lieu», «va signer», «doit»), else a past (passé composé «a
 * annoncé», imparfait «était», passé simple «fut»), else the present.
 */
export function frenchTense(sentence: string): Tense {
	const s = sentence.toLowerCase();
	// a planned event («rendez-vous est fixé à samedi», «la réunion, programmée lundi») is ahead, whatever the auxiliary
	if (/(?<![\p{L}])(?:prévue?s?|programmée?s?|fixée?s?)(?![\p{L}])/u.test(s) && !/(?<![\p{L}])hier(?![\p{L}])/u.test(s)) return 'future';
	if (futureEnding(sentence) || /(?<![\p{L}])(?:sera|seront|aura|auront|fera|feront|ira|iront|va|vont|devrait|devraient|doit|doivent|prochain|prochaine|demain|prévu|prévue|prévus|prévues)(?![\p{L}])/u.test(s)) {
		// a past auxiliary right before a participle outweighs a stray future-looking word
		if (/(?<![\p{L}])(?:prévue?s?|programmée?s?|fixée?s?)(?![\p{L}])/u.test(s)) return 'future';
		if (!PAST_COMPOUND_SHORT.test(s)) return 'future';
		// …but a reported future is the event's tense: «le maire a annoncé que les travaux commenceront en janvier»
		if (/(?<![\p{L}])(?:que|qu['’])\s*(?:\p{L}+['’]?\s*){0,6}?(?:sera|seront|aura|auront|fera|feront|ira|iront|\p{Ll}\p{L}+(?:era|eront|ira|iront|dra|dront))(?![\p{L}])/u.test(sentence)) return 'future';
	}
	if (PAST_COMPOUND.test(s)) return 'past';
	// an imperfect or a passé simple; not «fait» («il fait», «le fait que», «fait partie») nor a noun in -ait
	if (/(?<![\p{L}])(?!(?:fait|lait|souhait|portrait|extrait|trait|attrait|retrait|parfait|forfait|méfait|bienfait|abstrait|distrait|satisfait|insatisfait)(?![\p{L}]))\p{L}{2,}(?:ait|aient|èrent)(?![\p{L}])/u.test(s)) return 'past';
	if (/(?<![\p{L}])hier(?![\p{L}])/u.test(s)) return 'past';
	return 'present';
}
