/**
 * "Find spans" across a dataset (docs/api.md "Find spans"): the query, parsed
 * from URL parameters at the edge (zod, 400 naming the parameter), the shape
 * of a hit, and the pure parts of answering (which span matches, the context
 * around it). Walking the corpus is $lib/server/annotate/spanSearch.ts.
 */
import { z } from 'zod';
import { InvalidError } from '$lib/model/errors';
import type { Segment } from '$lib/documents/highlight';
import { containsFolded, foldQuery } from '$lib/text/match';
import type { OffsetMap } from '$lib/text/offsets';

export const SPANS_PAGE_SIZE = 50;
/** hits counted past the page before the walk stops (the total then says "at least") */
export const COUNT_AHEAD = 1000;

const schema = z.strictObject({
	label: z.string().trim().min(1).max(200, 'label: at most 200 characters').optional(),
	text: z.string().max(200, 'text: at most 200 characters').optional(),
	annotator: z.string().trim().min(1).max(200, 'annotator: at most 200 characters').optional(),
	page: z.coerce.number({ error: 'page: a whole number from 1' }).int('page: a whole number from 1').min(1, 'page: a whole number from 1').max(10_000, 'page: at most 10000').optional()
});

export interface SpanQuery {
	label?: string;
	/** as typed (trimmed); matched folded, as a substring of the span's text */
	text: string;
	annotator?: string;
	page: number;
}

/** @throws InvalidError (400) naming the bad parameter */
export function parseSpanQuery(params: URLSearchParams): SpanQuery {
	const plain: Record<string, string> = Object.create(null);
	for (const [key, value] of params) {
		// the page's GET form sends its empty fields: an empty value is no filter
		if (value === '') continue;
		if (key in plain) throw new InvalidError(`${key}: given more than once`);
		plain[key] = value;
	}
	const parsed = schema.safeParse({ ...plain });
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new InvalidError(issue.code === 'unrecognized_keys' ? `unknown parameter: ${issue.keys.join(', ')}` : issue.message);
	}
	const p = parsed.data;
	return { label: p.label, text: (p.text ?? '').trim(), annotator: p.annotator, page: p.page ?? 1 };
}

/** The query as URL parameters (the page's links: pager, back from a hit). */
export function spanQueryParams(q: SpanQuery, page = q.page): string {
	const params = new URLSearchParams();
	if (q.label) params.set('label', q.label);
	if (q.text) params.set('text', q.text);
	if (q.annotator) params.set('annotator', q.annotator);
	if (page > 1) params.set('page', String(page));
	const s = params.toString();
	return s ? `?${s}` : '';
}

export interface SpanHit {
	document: { id: string; title: string };
	/** whose span: an annotator's name or `gold` */
	annotator: string;
	span: { id: string; start: number; end: number; label: string; text: string };
	/** the text around the span, the span itself the hit */
	context: Segment[];
	/** opens the document at the span (the annotation view for one's own, the review view for a lead) */
	href: string;
}

export interface SpanPage {
	hits: SpanHit[];
	page: number;
	pageSize: number;
	/** hits counted; with `exact` false the walk stopped there: at least this many */
	total: number;
	exact: boolean;
	/** the walk ran out of time (5 s): hits and total cover the documents walked so far */
	partial: boolean;
	/** pages of `total` (at least, when not exact) */
	pages: number;
}

/** A test of one span against the query, with the query folded once. */
export function spanMatcher(q: Pick<SpanQuery, 'label' | 'text'>): { text: string; matches: (span: { label: string; text: string }) => boolean } {
	const folded = foldQuery(q.text);
	return {
		text: folded,
		matches: (span) => (q.label === undefined || span.label === q.label) && (!folded || containsFolded(span.text, folded))
	};
}

/** `around` UTF-16 units of the text either side of the span (code points `start`..`end`), never cutting a surrogate pair. */
export function spanContext(text: string, offsets: OffsetMap, start: number, end: number, around = 60): Segment[] {
	const s = offsets.toUtf16(start);
	const e = offsets.toUtf16(end);
	let from = Math.max(0, s - around);
	let to = Math.min(text.length, e + around);
	if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from])) from--;
	if (to < text.length && /[\uDC00-\uDFFF]/.test(text[to])) to++;
	const flat = (t: string) => t.replace(/\s+/g, ' ');
	const out: Segment[] = [];
	if (s > from) out.push({ text: (from > 0 ? '…' : '') + flat(text.slice(from, s)), hit: false });
	out.push({ text: text.slice(s, e), hit: true });
	if (to > e) out.push({ text: flat(text.slice(e, to)) + (to < text.length ? '…' : ''), hit: false });
	return out;
}

/**
 * Where a hit opens, at its span: one's own span in the annotation view
 * (`?span=`); a lead opens someone else's (or gold) in the review view, on
 * its lane (`?lane=…&span=…`).
 */
export function spanHref(slug: string, docId: string, spanId: string, reviewLane: string | null): string {
	const base = `/datasets/${encodeURIComponent(slug)}/${reviewLane === null ? 'documents' : 'review'}/${encodeURIComponent(docId)}`;
	const params = new URLSearchParams();
	if (reviewLane !== null) params.set('lane', reviewLane);
	params.set('span', spanId);
	return `${base}?${params}`;
}
