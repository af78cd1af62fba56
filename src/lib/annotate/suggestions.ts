/**
 * Suggestions in the annotation view, the pure part: which of the server's
 * suggestions are shown (not rejected, not already tagged), in which order
 * Tab goes through them, and what accepting or rejecting one makes. Offsets
 * are code points, as the API gives them (`GET …/suggestions`, docs/api.md).
 */
import { compareSpans } from '$lib/model/spans';
import type { DismissedSuggestion, SpanInput } from '$lib/model/types';

/** One suggestion as `GET …/suggestions` returns it. */
export interface Suggestion {
	start: number;
	end: number;
	label: string;
	text: string;
	attrs?: Record<string, unknown>;
	/** `dates`, `lexicon`, `cues`, `import~<name>`, `run~<name>` */
	source: string;
	score?: number;
}

/** A rejected suggestion, saved with the annotator's set (`dismissed`, docs/api.md). */
export type Dismissal = DismissedSuggestion;

/** A span as accepting a suggestion makes it (the store adds id and text). */
export type AcceptedSpan = SpanInput & { attrs?: Record<string, unknown>; source: string };

/** The same span for the view: start, end and label (a suggestion has one key whatever its source). */
export function suggestionKey(s: SpanInput): string {
	return `${s.start}:${s.end}:${s.label}`;
}

/**
 * For each label, the spans' starts in order and the running maximum of their
 * ends: "does a span of this label overlap [start, end)?" is then one binary
 * search (the last span starting before `end`: is any end up to it past `start`?).
 */
function overlapIndex(spans: readonly SpanInput[]): (label: string, start: number, end: number) => boolean {
	const byLabel = new Map<string, { starts: number[]; maxEnds: number[] }>();
	const sorted = spans.slice().sort(compareSpans);
	for (const s of sorted) {
		let entry = byLabel.get(s.label);
		if (!entry) byLabel.set(s.label, (entry = { starts: [], maxEnds: [] }));
		entry.maxEnds.push(Math.max(s.end, entry.maxEnds.at(-1) ?? -Infinity));
		entry.starts.push(s.start);
	}
	return (label, start, end) => {
		const entry = byLabel.get(label);
		if (!entry) return false;
		let lo = 0;
		let hi = entry.starts.length; // first index with start >= end
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (entry.starts[mid] < end) lo = mid + 1;
			else hi = mid;
		}
		return lo > 0 && entry.maxEnds[lo - 1] > start;
	};
}

/**
 * The suggestions to show, in reading order (start, end, label), each span once
 * (of two sources suggesting the same span, the higher score; at equal scores the first):
 * left out are those the annotator rejected (the same start, end and label,
 * whichever source), those overlapping a span of theirs with the same label,
 * and those covering exactly the text of a span of theirs (a suggestion
 * accepted with another label). Cost: O((n + m) log n) for n spans, m suggestions.
 */
export function visibleSuggestions(suggestions: readonly Suggestion[], spans: readonly SpanInput[], dismissed: readonly Dismissal[]): Suggestion[] {
	if (!suggestions.length) return [];
	const rejected = new Set(dismissed.map(suggestionKey));
	const ranges = new Set(spans.map((s) => `${s.start}:${s.end}`));
	const overlaps = overlapIndex(spans);
	const best = new Map<string, Suggestion>();
	for (const s of suggestions) {
		if (!(s.end > s.start)) continue;
		const key = suggestionKey(s);
		if (rejected.has(key) || ranges.has(`${s.start}:${s.end}`) || overlaps(s.label, s.start, s.end)) continue;
		const kept = best.get(key);
		if (!kept || (s.score ?? 0) > (kept.score ?? 0)) best.set(key, s);
	}
	return [...best.values()].sort(compareSpans);
}

/**
 * Where Tab (`dir` 1) or Shift+Tab (-1) goes from the suggestion with key
 * `current`: the next or previous one, wrapping round; with none focused (or
 * one no longer shown), the first or the last. Null when there are none.
 */
export function stepSuggestion(list: readonly Suggestion[], current: string | null, dir: 1 | -1): Suggestion | null {
	if (!list.length) return null;
	const at = current === null ? -1 : list.findIndex((s) => suggestionKey(s) === current);
	if (at < 0) return dir === 1 ? list[0] : list[list.length - 1];
	return list[(at + dir + list.length) % list.length];
}

/**
 * The suggestion to focus once `done` (just accepted or rejected) has left
 * `list`: the first one after it in reading order, else (wrapping) the first; null when none is left.
 */
export function focusAfter(list: readonly Suggestion[], done: SpanInput): Suggestion | null {
	const key = suggestionKey(done);
	return list.find((s) => suggestionKey(s) !== key && compareSpans(s, done) > 0) ?? list.find((s) => suggestionKey(s) !== key) ?? null;
}

/**
 * The span accepting `s` makes, with `label` (a label key while it is
 * focused) or its own: it remembers its source; it keeps the suggestion's
 * attributes (a date's TIMEX3 value) only under the suggested label, since
 * attributes belong to a label (as relabelling a span drops them).
 */
export function acceptedSpan(s: Suggestion, label: string = s.label): AcceptedSpan {
	const span: AcceptedSpan = { start: s.start, end: s.end, label, source: s.source };
	if (label === s.label && s.attrs && Object.keys(s.attrs).length) span.attrs = { ...s.attrs };
	return span;
}

export function dismissalOf(s: Suggestion): Dismissal {
	return { start: s.start, end: s.end, label: s.label, source: s.source };
}

/** `theirs` and the rejections of `mine` it lacks (re-applying a version after a conflict keeps both sides' rejections). */
export function withDismissals(theirs: readonly Dismissal[], mine: readonly Dismissal[]): Dismissal[] {
	const key = (d: Dismissal) => `${suggestionKey(d)}:${d.source}`;
	const known = new Set(theirs.map(key));
	const added = mine.filter((d) => !known.has(key(d)) && (known.add(key(d)), true));
	return added.length ? [...theirs, ...added] : (theirs as Dismissal[]);
}

// Correction mode's `unreviewed:` mark has one definition, $lib/suggest/settings; the view imports it from here too.
export { isUnreviewed, reviewedSource } from '$lib/suggest/settings';

/** How many suggestions each source has in `list`, sources in name order. */
export function countBySource(list: readonly Suggestion[]): Array<{ source: string; count: number }> {
	const counts = new Map<string, number>();
	for (const s of list) counts.set(s.source, (counts.get(s.source) ?? 0) + 1);
	return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([source, count]) => ({ source, count }));
}

const SOURCE_NAMES: Record<string, string> = { dates: 'Dates', lexicon: 'Dataset lexicon', cues: 'Attribution cues' };

/** A source as people read it: `dates` → "Dates", `import~model-a` → "Import model-a", `run~crf` → "Prediction run crf". */
export function sourceName(source: string): string {
	if (Object.hasOwn(SOURCE_NAMES, source)) return SOURCE_NAMES[source];
	const [kind, ...rest] = source.split('~');
	const name = rest.join('~');
	if (kind === 'import' && name) return `Import ${name}`;
	if (kind === 'run' && name) return `Prediction run ${name}`;
	return source;
}

/** The Accept all question: a source's suggestions, or (correction mode, `source` null) the unreviewed spans. */
export function acceptAllQuestion({ source, count }: { source: string | null; count: number }): string {
	const s = count === 1 ? '' : 's';
	return source ? `Accept ${count} suggestion${s} from ${sourceName(source)}?` : `Accept ${count} unreviewed span${s} as ${count === 1 ? 'it is' : 'they are'}?`;
}

/**
 * The suggestions of a `GET …/suggestions` body, or an error naming what is
 * wrong with it: items without whole-number offsets, a label or a source are left out.
 */
export function parseSuggestions(body: unknown): Suggestion[] {
	const list = body && typeof body === 'object' && Array.isArray((body as { suggestions?: unknown }).suggestions) ? (body as { suggestions: unknown[] }).suggestions : null;
	if (!list) throw new Error('the answer has no suggestions list');
	const out: Suggestion[] = [];
	for (const item of list) {
		if (!item || typeof item !== 'object') continue;
		const s = item as Record<string, unknown>;
		if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || typeof s.label !== 'string' || typeof s.source !== 'string') continue;
		const suggestion: Suggestion = { start: s.start as number, end: s.end as number, label: s.label, text: typeof s.text === 'string' ? s.text : '', source: s.source };
		if (s.attrs && typeof s.attrs === 'object' && !Array.isArray(s.attrs)) suggestion.attrs = s.attrs as Record<string, unknown>;
		if (typeof s.score === 'number') suggestion.score = s.score;
		out.push(suggestion);
	}
	return out;
}
