/** Search hits in a title or a text: whole folded words (see $lib/text/fold), shown in the original text. */
import { foldWithMap } from '$lib/text/fold';

export interface Segment {
	text: string;
	hit: boolean;
}

/** Ranges [start, end) in UTF-16 units of the original text whose folded word is one of `words`. */
function hitRanges(text: string, words: Set<string>): [number, number][] {
	if (words.size === 0) return [];
	const { folded, from } = foldWithMap(text);
	const out: [number, number][] = [];
	for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
		if (words.has(m[0])) out.push([from[m.index], from[m.index + m[0].length]]);
	}
	return out;
}

function segments(text: string, ranges: [number, number][]): Segment[] {
	const out: Segment[] = [];
	let at = 0;
	for (const [s, e] of ranges) {
		if (s > at) out.push({ text: text.slice(at, s), hit: false });
		out.push({ text: text.slice(s, e), hit: true });
		at = e;
	}
	if (at < text.length) out.push({ text: text.slice(at), hit: false });
	return out;
}

/** The text cut into hit and non-hit segments. */
export function highlight(text: string, words: Iterable<string>): Segment[] {
	return segments(text, hitRanges(text, new Set(words)));
}

/** A short stretch of the text around its first hit (null when none), with `…` where cut. */
export function snippet(text: string, words: Iterable<string>, around = 60): Segment[] | null {
	const ranges = hitRanges(text, new Set(words));
	if (ranges.length === 0) return null;
	let start = Math.max(0, ranges[0][0] - around);
	let end = Math.min(text.length, ranges[0][1] + around);
	// never cut a surrogate pair
	if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
	if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end])) end++;
	const inside = ranges.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - start, e - start] as [number, number]);
	const segs = segments(text.slice(start, end), inside);
	if (start > 0) segs.unshift({ text: '…', hit: false });
	if (end < text.length) segs.push({ text: '…', hit: false });
	return segs;
}
