/**
 * A dataset's rule for quotes and punctuation around a selection, applied after
 * the word snapping of the annotation view (which keeps punctuation only when
 * it was selected), so two annotators do not end up one « apart:
 *  - keep:    as selected (the default)
 *  - include: a quotation selected without its quote marks grows to take them
 *             (« la réforme » with French spaces inside, “…”, "…")
 *  - exclude: quote marks and punctuation at either end are dropped
 * Offsets are UTF-16 offsets of `text` (as snapToWords uses them).
 */
export const PUNCTUATION_RULES = ['keep', 'include', 'exclude'] as const;
export type PunctuationRule = (typeof PUNCTUATION_RULES)[number];

const OPENING = /[\p{Pi}\p{Ps}"'„‚]/u;
const CLOSING = /[\p{Pf}\p{Pe}"']/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;
/** the spaces French puts inside guillemets: plain, no-break, narrow no-break */
const INNER_SPACE = /[ \u00a0\u202f]/;

export function applyPunctuationRule(text: string, range: { start: number; end: number }, rule: PunctuationRule): { start: number; end: number } {
	let { start, end } = range;
	if (rule === 'exclude') {
		let s = start;
		let e = end;
		while (s < e && (PUNCTUATION.test(text[s]) || /\s/.test(text[s]))) s++;
		while (e > s && (PUNCTUATION.test(text[e - 1]) || /\s/.test(text[e - 1]))) e--;
		return s < e ? { start: s, end: e } : range;
	}
	if (rule === 'include') {
		let s = start;
		let e = end;
		if (s > 0 && INNER_SPACE.test(text[s - 1]) && s > 1 && OPENING.test(text[s - 2])) s -= 2;
		else if (s > 0 && OPENING.test(text[s - 1])) s -= 1;
		if (e < text.length && INNER_SPACE.test(text[e]) && e + 1 < text.length && CLOSING.test(text[e + 1])) e += 2;
		else if (e < text.length && CLOSING.test(text[e])) e += 1;
		// only a pair: one quote mark alone is more likely an apostrophe or the end of something else
		if (s < start && e > end) {
			start = s;
			end = e;
		}
	}
	return { start, end };
}
