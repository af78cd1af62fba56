/**
 * Accent- and case-insensitive matching: the ONE folding behind document
 * search, filters and hit highlighting (NFD, combining marks stripped, lower
 * case). «Élysée» folds to `elysee`; `ß` stays `ß` (no locale rules).
 */
const MARKS = /\p{M}+/gu;

export function fold(text: string): string {
	return text.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/** The words of a text, folded: runs of letters and digits (marks are gone after folding). */
export function foldedWords(text: string): string[] {
	return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The text folded code point by code point, with where each folded UTF-16
 * unit came from in the original (`from[i]` is the original UTF-16 index of
 * folded unit i), so that a hit found in the folded text can be shown in the
 * original one.
 */
export function foldWithMap(text: string): { folded: string; from: number[] } {
	let folded = '';
	const from: number[] = [];
	let i = 0;
	for (const ch of text) {
		const f = fold(ch);
		for (let k = 0; k < f.length; k++) from.push(i);
		folded += f;
		i += ch.length;
	}
	from.push(i);
	return { folded, from };
}
