/**
 * Suggestions: the union of a dataset's enabled sources (dates, lexicon, cues,
 * imports, prediction runs), each behind `SuggestionSource.suggest(document,
 * context)`, made ready for one caller.
 */
import { OffsetMap } from '../text/offsets';
import type { Suggested, SuggestContext, SuggestDocument, Suggestion, SuggestionSource } from './types';

export type { Suggested, SuggestContext, SuggestDocument, Suggestion, SuggestionSource } from './types';
export { datesSource, DATE_LABEL } from './dates';
export { cuesSource, cueSuggestions } from './cues';
export { setSource, type SourceSpan } from './sets';
export { buildLexicon, lexiconSource, normaliseSurface, parseGazetteer, type Lexicon, type LexiconEntry } from './lexicon';

export interface SpanKey {
	start: number;
	end: number;
	label: string;
}

const byPosition = (a: SpanKey, b: SpanKey) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/**
 * Every source's suggestions, in text order, each with its `source` and
 * `text`. Suggestions out of the text's range are dropped. The same span
 * (offsets and label) from two sources is suggested once: the higher score,
 * on a tie the source listed first; it keeps the other's `attrs` and
 * `relation` when it has none of its own. A yielding source's suggestion
 * (the lexicon's) that overlaps another source's of the same label with
 * other offsets is left out: one of the two would always be rejected.
 */
export function suggest(document: SuggestDocument, context: SuggestContext, sources: readonly SuggestionSource[]): Suggestion[] {
	const map = new OffsetMap(document.text);
	const seen = new Map<string, Suggestion>();
	// spans (offsets and label) a source that does not yield proposed: kept whichever source's copy won
	const firm = new Set<string>();
	for (const source of sources) {
		for (const s of source.suggest(document, context)) {
			if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.end <= map.length)) continue;
			const key = `${s.start}:${s.end}:${s.label}`;
			if (!source.yields) firm.add(key);
			const before = seen.get(key);
			if (before && before.score >= s.score) {
				// the loser's values and relation still help (a lexicon match of a date the tagger valued)
				if (!before.attrs && s.attrs) before.attrs = s.attrs;
				if (!before.relation && s.relation) before.relation = s.relation;
				continue;
			}
			const text = document.text.slice(map.toUtf16(s.start), map.toUtf16(s.end));
			const next: Suggestion = { ...s, text, source: source.name };
			if (before && !next.attrs && before.attrs) next.attrs = before.attrs;
			if (before && !next.relation && before.relation) next.relation = before.relation;
			seen.set(key, next);
		}
	}
	const all = [...seen.values()].sort(byPosition);
	return sources.some((s) => s.yields) ? withoutYielded(all, (s) => !firm.has(`${s.start}:${s.end}:${s.label}`)) : all;
}

/**
 * Which spans overlap one of `spans` with the same label: per label, the spans in start order (they must
 * come sorted by start) with a running maximum of their ends; a span overlaps one of them exactly when,
 * among those starting before its end, the largest end is past its start (a binary search). O(n log n).
 */
function overlapsSameLabel(spans: Iterable<SpanKey>): (s: SpanKey) => boolean {
	const byLabel = new Map<string, { starts: number[]; maxEnd: number[] }>();
	for (const s of spans) {
		let list = byLabel.get(s.label);
		if (!list) byLabel.set(s.label, (list = { starts: [], maxEnd: [] }));
		list.maxEnd.push(Math.max(s.end, list.maxEnd.at(-1) ?? -1));
		list.starts.push(s.start);
	}
	return (s) => {
		const list = byLabel.get(s.label);
		if (!list) return false;
		let lo = 0;
		let hi = list.starts.length; // the first starting at or after s.end
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (list.starts[mid] < s.end) lo = mid + 1;
			else hi = mid;
		}
		return lo > 0 && list.maxEnd[lo - 1] > s.start;
	};
}

/** Leaves out a suggestion of a yielding source that overlaps one of another source with the same label (`all` in start order). */
function withoutYielded(all: Suggestion[], yields: (s: Suggestion) => boolean): Suggestion[] {
	const overlapsFirm = overlapsSameLabel(all.filter((s) => !yields(s)));
	return all.filter((s) => !yields(s) || !overlapsFirm(s));
}

/**
 * What the caller is shown: not a span they already have (one of theirs with
 * the same label overlapping it, or any of theirs with the same offsets), not
 * one they dismissed (same offsets and label, whichever source proposed it).
 */
export function forCaller(suggestions: readonly Suggestion[], own: readonly SpanKey[], dismissed: readonly SpanKey[] = []): Suggestion[] {
	const gone = new Set(dismissed.map((d) => `${d.start}:${d.end}:${d.label}`));
	const exact = new Set(own.map((s) => `${s.start}:${s.end}`));
	const overlapsOwn = overlapsSameLabel([...own].sort(byPosition));
	return suggestions.filter((s) => !gone.has(`${s.start}:${s.end}:${s.label}`) && !exact.has(`${s.start}:${s.end}`) && !overlapsOwn(s));
}
