/**
 * The temporal tagger: finds TIMEX3 expressions (DATE, TIME, DURATION, SET)
 * in French or English text and normalises them relative to a reference date.
 *
 *   tagTemporal(text, { lang, reference }) → [{ start, end, text, type, value, mod? }]
 *
 * Offsets are code points, as everywhere at spanlab's boundary. Each language
 * is a list of rules (`rules/fr.ts`, `rules/en.ts`): a pattern and a function
 * that turns a match into a value. Every rule's pattern is scanned once over
 * the text; overlapping candidates are settled longest first (then by rule
 * order); values are computed in text order, so a bare time ("20 h 30") can
 * take the day of the last date mentioned before it.
 *
 * Cost: O(rules × text) for the scans (patterns are anchored on word
 * boundaries and bounded in length, so none backtracks over the text), plus
 * O(total candidate length) to settle overlaps.
 */
import { OffsetMap } from '../text/offsets';
import { parseDay, type Day, type Tense } from './calendar';
import { isTimexValue, type TimexType } from './timex';
import { frenchRules, frenchTense } from './rules/fr';
import { englishRules, englishTense } from './rules/en';
import { detectLanguage, type TaggerLanguage } from './language';

export interface TemporalExpression {
	start: number;
	end: number;
	text: string;
	type: TimexType;
	value: string;
	mod?: string;
}

export interface RuleValue {
	type: TimexType;
	value: string;
	mod?: string;
	/** trim the match: characters (UTF-16) to drop at its start / end */
	trimStart?: number;
	trimEnd?: number;
}

export interface RuleContext {
	/** the reference date (document creation time), or null: then values stay underspecified */
	reference: Day | null;
	/** the tense of the sentence around the match */
	tense(): Tense;
	/** the last full day mentioned before the match (else the reference) */
	anchor(): Day | null;
	/** a year named earlier in the same sentence («en 97 (en [janvier] …)»), else null */
	sentenceYear(): number | null;
	/** the year of the last date or time mentioned before the match (a year, a month, a day…), else the reference's */
	anchorYear(): number | null;
	/** the text before the match (up to 60 characters) and after it */
	before: string;
	after: string;
}

export interface Rule {
	name: string;
	/** global + unicode + ignore-case; one match is one candidate */
	pattern: RegExp;
	value(match: RegExpExecArray, ctx: RuleContext): RuleValue | null;
}

export interface TagOptions {
	lang?: TaggerLanguage | string | null;
	/** `YYYY-MM-DD…` (meta.date, meta.published_at, a TimeML creation time) */
	reference?: string | null;
}

const LANGS: Record<TaggerLanguage, { rules: Rule[]; tense: (sentence: string) => Tense }> = {
	fr: { rules: frenchRules, tense: frenchTense },
	en: { rules: englishRules, tense: englishTense }
};

function sentenceAround(text: string, from: number, to: number): string {
	let s = from;
	const floor = Math.max(0, from - 300);
	while (s > floor && !/[.!?\n]/.test(text[s - 1])) s--;
	let e = to;
	const ceiling = Math.min(text.length, to + 300);
	while (e < ceiling && !/[.!?\n]/.test(text[e])) e++;
	// reported speech has its own tense: «Nous jouerons samedi», a déclaré l'entraîneur — the quote's future,
	// not the reporting verb's past, places the Saturday
	// (every scan stays within 300 characters of the match, so a text full of quotes is still tagged in linear time)
	let open = from - 1;
	while (open >= floor && text[open] !== '«' && text[open] !== '“' && text[open] !== '»' && text[open] !== '”') open--;
	if (open >= floor && (text[open] === '«' || text[open] === '“')) {
		const closing = text[open] === '«' ? '»' : '”';
		let close = to;
		while (close < ceiling && text[close] !== closing) close++;
		if (close < ceiling) return text.slice(open + 1, from) + ' ' + text.slice(to, close);
	}
	return text.slice(s, from) + ' ' + text.slice(to, e);
}

interface Candidate {
	start: number;
	end: number;
	rule: number;
	match: RegExpExecArray;
}

/** Tags `text`; the language is `lang` when given (fr or en), else detected. */
export function tagTemporal(text: string, options: TagOptions = {}): TemporalExpression[] {
	const lang = options.lang === 'fr' || options.lang === 'en' ? options.lang : detectLanguage(text);
	const { rules, tense } = LANGS[lang];
	const reference = parseDay(options.reference ?? null);

	const candidates: Candidate[] = [];
	rules.forEach((rule, index) => {
		rule.pattern.lastIndex = 0;
		for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
			if (m[0].length === 0) {
				rule.pattern.lastIndex++;
				continue;
			}
			candidates.push({ start: m.index, end: m.index + m[0].length, rule: index, match: m });
		}
	});

	// longest first, then the earlier rule, then leftmost; a cell of `taken` per UTF-16 unit
	candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.rule - b.rule || a.start - b.start);
	const taken = new Uint8Array(text.length);
	const chosen: Candidate[] = [];
	for (const c of candidates) {
		let free = true;
		for (let i = c.start; i < c.end; i++) if (taken[i]) { free = false; break; }
		if (!free) continue;
		// a candidate only counts once it has a value (checked in text order below)
		chosen.push(c);
		taken.fill(1, c.start, c.end);
	}
	chosen.sort((a, b) => a.start - b.start);

	const offsets = new OffsetMap(text);
	const out: TemporalExpression[] = [];
	let lastDay: Day | null = null;
	let lastYear: { year: number; end: number } | null = null;
	let lastYearOfAny: number | null = null;
	for (const c of chosen) {
		const ctx: RuleContext = {
			reference,
			tense: () => tense(sentenceAround(text, c.start, c.end)),
			anchor: () => lastDay ?? reference,
			sentenceYear: () => (lastYear && !/[.!?\n]/.test(text.slice(lastYear.end, c.start)) ? lastYear.year : null),
			anchorYear: () => lastYearOfAny ?? reference?.year ?? null,
			before: text.slice(Math.max(0, c.start - 60), c.start),
			after: text.slice(c.end, c.end + 60)
		};
		const v = rules[c.rule].value(c.match, ctx);
		if (!v || !isTimexValue(v.value)) continue;
		const start = c.start + (v.trimStart ?? 0);
		const end = c.end - (v.trimEnd ?? 0);
		if (end <= start) continue;
		const expression: TemporalExpression = {
			start: offsets.toCodePoint(start),
			end: offsets.toCodePoint(end),
			text: text.slice(start, end),
			type: v.type,
			value: v.value
		};
		if (v.mod) expression.mod = v.mod;
		out.push(expression);
		if (/^[0-9]{4}$/.test(v.value) && v.type === 'DATE') lastYear = { year: Number(v.value), end };
		if (/^[0-9]{4}(?![0-9X])/.test(v.value) && (v.type === 'DATE' || v.type === 'TIME')) lastYearOfAny = Number(v.value.slice(0, 4));
		const day = parseDay(v.value);
		if (day && (v.type === 'DATE' || v.type === 'TIME')) lastDay = day;
	}
	return out;
}
