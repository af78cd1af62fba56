/**
 * French or English, from the text: counts of the commonest function words of
 * each (linear in the text; the first 20,000 characters suffice). A document's
 * `meta.lang` wins over this whenever it is set.
 */
export type TaggerLanguage = 'fr' | 'en';

const FRENCH = new Set(['le', 'la', 'les', 'des', 'du', 'et', 'est', 'une', 'un', 'que', 'qui', 'dans', 'pour', 'pas', 'sur', 'au', 'aux', 'avec', 'ont', 'été', 'ce', 'cette', 'il', 'elle', 'à', 'par', 'mais', 'ou', 'sont', 'selon']);
const ENGLISH = new Set(['the', 'and', 'of', 'to', 'is', 'in', 'that', 'for', 'was', 'with', 'on', 'are', 'as', 'it', 'by', 'at', 'from', 'has', 'have', 'be', 'this', 'said', 'were', 'not', 'but', 'or', 'which', 'an', 'their', 'will']);

export function detectLanguage(text: string): TaggerLanguage {
	let fr = 0;
	let en = 0;
	for (const m of text.slice(0, 20_000).toLowerCase().matchAll(/[\p{L}]+/gu)) {
		if (FRENCH.has(m[0])) fr++;
		if (ENGLISH.has(m[0])) en++;
	}
	return en > fr ? 'en' : 'fr';
}

/** `meta.lang` values such as `fr`, `fr-FR`, `French`, `en-GB` → the tagger's language, else null. */
export function taggerLanguage(lang: unknown): TaggerLanguage | null {
	if (typeof lang !== 'string') return null;
	const l = lang.trim().toLowerCase();
	if (/^fr(\b|[-_])|^fran[cç]ais|^french/.test(l)) return 'fr';
	if (/^en(\b|[-_])|^english|^anglais/.test(l)) return 'en';
	return null;
}
