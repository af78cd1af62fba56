/**
 * Attribution cues: reporting expressions in French and English proposing
 * `attribution` spans around cue + source, the way the guidelines define the
 * label (the source and the reporting verb: «a déclaré le groupe», "said the
 * mayor", «selon le ministère», "according to police").
 *
 *   quote, cue + subject   «…», a déclaré le groupe.   "…," said the mayor.
 *   subject + cue          Le ministre a affirmé que …   The mayor said …
 *   selon / according to   selon le ministère, …         according to police, …
 *   cue + its own subject  …, indique le communiqué.
 *
 * When the dataset has a relation type from `attribution` to `claim`
 * (`source-of`), a cue next to a quotation suggests that relation to the
 * quoted words (a `claim` span inside the quote marks).
 */
import { OffsetMap } from '../text/offsets';
import type { Suggested, SuggestContext, SuggestDocument, SuggestionSource } from './types';

const MAX_SOURCE_WORDS = 7;
const W = String.raw`[\p{L}\p{N}][\p{L}\p{N}\p{M}'’.-]*`;

const FR_VERBS = String.raw`(?:a|ont|avait|avaient)\s+(?:déclaré|affirmé|dit|indiqué|annoncé|expliqué|précisé|souligné|assuré|estimé|ajouté|confirmé|démenti|rappelé)|(?:déclare|affirme|dit|indique|annonce|explique|précise|souligne|assure|estime|ajoute|confirme|rappelle|déclarent|affirment|disent|indiquent|annoncent|expliquent|précisent)`;
const EN_VERBS = String.raw`(?:has|have|had)\s+(?:said|told|stated|claimed|announced|explained)|said|says|told|tells|stated|claimed|announced|explained|added|insisted|warned`;
/** words that end a subject read backwards: the subject starts after them */
const FR_STOP = new Set(['que', 'qu', 'et', 'mais', 'car', 'donc', 'or', 'qui', 'dont', 'où', 'si', 'comme', 'puis']);
const EN_STOP = new Set(['that', 'and', 'but', 'so', 'who', 'which', 'if', 'as', 'then', 'because', 'while']);
/** words that end a subject read forwards (a time or place phrase begins) */
const FR_AFTER_STOP = new Set([...FR_STOP, 'à', 'en', 'dans', 'pour', 'sur', 'avec', 'lors', 'après', 'avant', 'depuis', 'hier', 'aujourd', 'demain', 'mardi', 'lundi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche', 'ce', 'cette', 'devant']);
const EN_AFTER_STOP = new Set([...EN_STOP, 'on', 'in', 'at', 'to', 'for', 'with', 'after', 'before', 'yesterday', 'today', 'tomorrow', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'last', 'this', 'earlier', 'later']);
/** a determiner starts a new phrase unless a preposition ties it to the last one (le ministère *de la* Santé) */
const DETERMINERS = new Set(['le', 'la', 'les', "l'", 'l’', 'un', 'une', 'des', 'the', 'a', 'an']);
const LINKS = new Set(['de', 'du', 'des', "d'", 'd’', 'of']);
/** an inverted subject must start like a noun phrase */
const FR_DETERMINER = /^(?:le|la|les|l['’]|un|une|des|son|sa|ses|leur|leurs|ce|cette|ces|m\.|mme|\p{Lu})/iu;
const EN_DETERMINER = /^(?:the|a|an|his|her|their|its|\p{Lu})/u;

/** open, close, and a quote closing at the end of a few characters (`», ` / `," `) */
const QUOTES: Array<[string, string, RegExp]> = (
	[
		['«', '»'],
		['“', '”'],
		['"', '"']
	] as const
).map(([open, close]) => [open, close, new RegExp(String.raw`[${close}][\s,.]*$|[,.][\s]*[${close}]\s*$`, 'u')]);

interface Found {
	/** UTF-16 offsets */
	start: number;
	end: number;
	score: number;
	/** the quote next to it, UTF-16, contents without the marks */
	quote?: { start: number; end: number };
}

/** Words forward from `at` up to punctuation, a quote mark, a line end or a stop word. */
const WORD_AFTER = new RegExp(String.raw`\s*(${W})`, 'uy');
function phraseAfter(text: string, at: number, stop: Set<string>): number {
	const re = WORD_AFTER;
	let end = at;
	let words = 0;
	re.lastIndex = at;
	let previous = '';
	for (let m = re.exec(text); m && words < MAX_SOURCE_WORDS; m = re.exec(text)) {
		const word = m[1].replace(/[.]+$/, (dots) => (/^(?:m|mme|dr|mr|mrs|ms|st)\.$/i.test(m![1]) ? dots : ''));
		const lower = word.toLowerCase();
		if (stop.has(lower.replace(/['’].*$/, ''))) break;
		if (words > 0 && DETERMINERS.has(lower.replace(/^(l['’]).*$/, '$1')) && !LINKS.has(previous)) break;
		previous = lower;
		end = m.index + m[0].length - (m[1].length - word.length);
		words++;
		if (word.length < m[1].length) break; // a sentence-ending period
	}
	return words > 0 ? end : -1;
}

/** Words backward from `at` to a clause boundary; the start of the subject. */
function phraseBefore(text: string, at: number, stop: Set<string>): number {
	let start = at;
	let i = at;
	let words = 0;
	while (words < MAX_SOURCE_WORDS) {
		let j = i;
		while (j > 0 && /[ \t]/.test(text[j - 1])) j--;
		let k = j;
		while (k > 0 && /[\p{L}\p{N}\p{M}'’.-]/u.test(text[k - 1])) k--;
		if (k === j) break;
		const word = text.slice(k, j);
		if (stop.has(word.toLowerCase().replace(/['’]$/, ''))) break;
		if (/\.$/.test(word) && words > 0) break;
		start = k;
		i = k;
		words++;
	}
	return words > 0 ? start : -1;
}

/** A quotation ending just before `at` (` », ` / `," `) or starting just after it (` : « `). */
function quoteNear(text: string, before: number, after: number): { start: number; end: number } | undefined {
	const head = text.slice(Math.max(0, before - 4), before);
	for (const [open, close, closing] of QUOTES) {
		const m = closing.exec(head);
		if (m) {
			const closeAt = text.lastIndexOf(close, before - 1);
			const openAt = open === close ? text.lastIndexOf(open, closeAt - 1) : text.lastIndexOf(open, closeAt - 1);
			if (openAt >= 0 && closeAt - openAt > 1 && closeAt - openAt < 5000 && !text.slice(openAt, closeAt).includes('\n\n')) {
				return trimmed(text, openAt + open.length, closeAt);
			}
		}
		const tail = /^\s*:?\s*/.exec(text.slice(after, after + 6))!;
		if (text.startsWith(open, after + tail[0].length) && tail[0].length > 0) {
			const openAt = after + tail[0].length;
			const closeAt = text.indexOf(close, openAt + open.length);
			if (closeAt > openAt + 1 && closeAt - openAt < 5000 && !text.slice(openAt, closeAt).includes('\n\n')) return trimmed(text, openAt + open.length, closeAt);
		}
	}
	return undefined;
}

function trimmed(text: string, start: number, end: number): { start: number; end: number } {
	while (start < end && /[\s\u00a0\u202f]/.test(text[start])) start++;
	while (end > start && /[\s\u00a0\u202f,]/.test(text[end - 1])) end--;
	return { start, end };
}

function findCues(text: string, lang: 'fr' | 'en'): Found[] {
	const found: Found[] = [];
	const stop = lang === 'fr' ? FR_STOP : EN_STOP;
	const determiner = lang === 'fr' ? FR_DETERMINER : EN_DETERMINER;
	const afterStop = lang === 'fr' ? FR_AFTER_STOP : EN_AFTER_STOP;
	// selon X / according to X: the cue and the phrase after it
	const prep = lang === 'fr' ? /(?<![\p{L}\p{N}])(?:selon|d['’]après)\s+/giu : /(?<![\p{L}\p{N}])according\s+to\s+/giu;
	for (const m of text.matchAll(prep)) {
		const end = phraseAfter(text, m.index + m[0].length, afterStop);
		if (end > 0) found.push({ start: m.index, end, score: 0.8 });
	}
	// a reporting verb: inverted after a quote or a comma (cue + subject), else subject + cue
	const verbs = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${lang === 'fr' ? FR_VERBS : EN_VERBS})(?![\p{L}\p{N}])`, 'giu');
	for (const m of text.matchAll(verbs)) {
		const cueStart = m.index;
		const cueEnd = m.index + m[0].length;
		const before = text.slice(Math.max(0, cueStart - 3), cueStart);
		const inverted = /[,»”"]\s*$/u.test(before);
		const rest = text.slice(cueEnd).replace(/^\s+/, '');
		if (inverted && determiner.test(rest)) {
			const end = phraseAfter(text, cueEnd, afterStop);
			if (end > 0) {
				found.push({ start: cueStart, end, score: 0.7, quote: quoteNear(text, cueStart, end) });
				continue;
			}
		}
		if (inverted && lang === 'en') continue; // ", said." without a subject
		const start = phraseBefore(text, cueStart, stop);
		if (start < 0) continue;
		const subject = text.slice(start, cueStart).trim();
		// «il a dit»: a pronoun alone is a source too; a bare verb phrase is not
		if (!determiner.test(subject) && !/^(?:il|elle|ils|elles|on|he|she|they|we|i)$/iu.test(subject)) continue;
		found.push({ start, end: cueEnd, score: 0.6, quote: quoteNear(text, cueStart, cueEnd) });
	}
	found.sort((a, b) => a.start - b.start || b.end - a.end);
	// overlapping proposals: the first (longest at a start) wins
	const out: Found[] = [];
	for (const f of found) if (!out.length || f.start >= out[out.length - 1].end) out.push(f);
	return out;
}

/** Attribution spans (and `source-of` relations to quotes) proposed by reporting cues. */
export function cueSuggestions(document: SuggestDocument, context: SuggestContext): Suggested[] {
	if (!context.labels.includes('attribution')) return [];
	const relation = context.relationTypes?.find((t) => t.from.includes('attribution') && t.to.includes('claim') && context.labels.includes('claim'));
	const map = new OffsetMap(document.text);
	return findCues(document.text, context.lang).map((f) => {
		const s: Suggested = { start: map.toCodePoint(f.start), end: map.toCodePoint(f.end), label: 'attribution', score: f.score };
		if (relation && f.quote && f.quote.end > f.quote.start) {
			s.relation = { label: relation.name, to: { start: map.toCodePoint(f.quote.start), end: map.toCodePoint(f.quote.end), label: 'claim' } };
		}
		return s;
	});
}

export const cuesSource: SuggestionSource = { name: 'cues', suggest: cueSuggestions };
