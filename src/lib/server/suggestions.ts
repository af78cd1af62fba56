/**
 * Suggestions for the span a caller is annotating: today the date source
 * (the temporal tagger, `lib/dates`), when the dataset has a `date` label.
 *
 *   GET /api/datasets/{slug}/documents/{id}/suggestions → { suggestions: [{start, end, label, text, attrs, source, score}] }
 *
 * Same access as reading the document. A suggestion the caller already has
 * (a span of theirs with that label overlapping it) is left out. The tagger
 * runs on slices of the text (cut at line ends) with a turn of the event loop
 * between slices, so a long document never holds up other requests; results
 * are cached per text, reference date and language.
 */
import { openDocument } from './annotate';
import { loadSet } from './store/annotations';
import type { SessionUser } from './auth';
import { tagTemporal, type TemporalExpression } from '../dates/tagger';
import { detectLanguage, taggerLanguage, type TaggerLanguage } from '../dates/language';
import { parseDay } from '../dates/calendar';

export interface Suggestion {
	start: number;
	end: number;
	label: string;
	text: string;
	attrs?: Record<string, string>;
	source: string;
	score?: number;
}

const SLICE = 20_000;
const CACHE_SIZE = 200;
const cache = new Map<string, TemporalExpression[]>();

/** The reference date of a document: `meta.date`, else `meta.published_at`, else none. */
export function referenceDate(meta: Record<string, unknown>): string | null {
	for (const key of ['date', 'published_at']) {
		const v = Object.hasOwn(meta, key) ? meta[key] : undefined;
		if (typeof v === 'string' && parseDay(v.slice(0, 10))) return v.slice(0, 10);
	}
	return null;
}

function codePoints(s: string): number {
	let n = 0;
	for (const _ of s) n++;
	return n;
}

/** Tags `text` slice by slice, yielding to the event loop between slices. Offsets in code points. */
export async function tagDocument(text: string, lang: TaggerLanguage, reference: string | null): Promise<TemporalExpression[]> {
	const out: TemporalExpression[] = [];
	let from = 0;
	let cpOffset = 0;
	while (from < text.length) {
		let to = Math.min(text.length, from + SLICE);
		if (to < text.length) {
			const newline = text.lastIndexOf('\n', to);
			const space = text.lastIndexOf(' ', to);
			to = newline > from + SLICE / 2 ? newline + 1 : space > from ? space + 1 : to;
			// never cut a surrogate pair
			const c = text.charCodeAt(to - 1);
			if (c >= 0xd800 && c <= 0xdbff) to++;
		}
		const slice = text.slice(from, to);
		for (const e of tagTemporal(slice, { lang, reference })) out.push({ ...e, start: e.start + cpOffset, end: e.end + cpOffset });
		cpOffset += codePoints(slice);
		from = to;
		if (from < text.length) await new Promise((r) => setImmediate(r));
	}
	return out;
}

export async function suggestionsFor(user: SessionUser | null, slug: string, id: string): Promise<{ suggestions: Suggestion[] }> {
	const { access, doc } = await openDocument(user, slug, id);
	const dateLabel = access.dataset.labels.find((l) => l.name === 'date');
	if (!dateLabel) return { suggestions: [] };
	const lang = taggerLanguage(Object.hasOwn(doc.meta, 'lang') ? doc.meta.lang : null) ?? detectLanguage(doc.text);
	const reference = referenceDate(doc.meta);
	const key = `${doc.sha256}|${lang}|${reference ?? ''}`;
	let found = cache.get(key);
	if (found) {
		cache.delete(key);
		cache.set(key, found);
	} else {
		found = await tagDocument(doc.text, lang, reference);
		cache.set(key, found);
		if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
	}
	const mine = (await loadSet(slug, doc.id, access.user.username)).spans.filter((s) => s.label === dateLabel.name);
	const suggestions: Suggestion[] = [];
	for (const e of found) {
		if (mine.some((s) => s.start < e.end && e.start < s.end)) continue;
		suggestions.push({ start: e.start, end: e.end, label: dateLabel.name, text: e.text, attrs: { value: e.value, type: e.type }, source: 'dates', score: 0.9 });
	}
	return { suggestions };
}
