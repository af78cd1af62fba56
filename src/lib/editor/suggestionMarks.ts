/**
 * Suggestions drawn over the article (issue #18): one mark each, a
 * <span class="suggestion"> with a dashed outline in its label's colour and no
 * fill (ArticleView's styles), so it never hides a span under or over it; the
 * focused one is marked `focused`. They go to `spanMarks` as its `extra`
 * marks, so the static article and the editor cut and nest them with the
 * spans in one pass (`articleStretches`) and look the same, to the pixel.
 */
import type { DocLayout } from '$lib/text/offsets';
import { labelColor } from '$lib/model/labels';
import type { Label } from '$lib/model/types';
import { sourceName, suggestionKey, type Suggestion } from '$lib/annotate/suggestions';
import type { SpanMark } from './spanMarks';

/** The hover text of a suggestion: what it is, where from, and its value. */
export function suggestionTitle(s: Suggestion): string {
	const value = s.attrs && typeof s.attrs.value === 'string' ? ` = ${s.attrs.value}` : '';
	return `Suggested ${s.label}${value} (${sourceName(s.source)})`;
}

/** One mark per suggestion inside the text (those outside it, from a stale answer, are left out), UTF-16 offsets. Linear in the suggestions. */
export function suggestionMarks(layout: DocLayout, suggestions: readonly Suggestion[], labels: Label[], focusedKey: string | null): SpanMark[] {
	const marks: SpanMark[] = [];
	for (const s of suggestions) {
		if (!(s.start >= 0 && s.end <= layout.offsets.length && s.end > s.start)) continue;
		const key = suggestionKey(s);
		marks.push({
			spanId: '',
			from: layout.offsets.toUtf16(s.start),
			to: layout.offsets.toUtf16(s.end),
			attrs: {
				class: `suggestion${key === focusedKey ? ' focused' : ''}`,
				style: `--c:${labelColor(labels, s.label)}`,
				'data-suggestion-key': key,
				'data-suggestion-label': s.label,
				'data-source': s.source,
				title: suggestionTitle(s)
			}
		});
	}
	return marks;
}
