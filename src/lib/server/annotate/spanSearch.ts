/**
 * "Find spans" across a dataset (docs/api.md "Find spans"): the spans whose
 * label is LABEL and whose text contains TEXT (folded), one page of 50 with a
 * count. Blind annotation: an annotator finds their own spans only (in their
 * queue); a lead finds everyone's, and gold (not the import sets, which are no
 * one's work).
 *
 * Cost: it walks the corpus through the seam (`iterateWork`, one document at a
 * time, documents without spans never read), yields to the event loop every
 * few milliseconds, tests the label before it folds a span's text (plain ASCII
 * folds by lower case alone), and stops once the page and COUNT_AHEAD more hits
 * are counted (the total then says "at least"), or after SEARCH_BUDGET_MS
 * (the answer then covers the documents walked so far, `partial`). Folding each document's whole
 * text to skip it was measured slower than folding its spans (bench/spans.ts).
 */
import type { SessionUser } from '../auth/auth';
import { queueOf, requireDataset } from '../auth/access';
import { forbidden } from '../http/errors';
import { iterateWork, isImportAnnotator, type CorpusFilter, type DocumentWork } from '../store';
import { InvalidError } from '../../model/errors';
import { GOLD } from '../../model/types';
import { OffsetMap } from '../../text/offsets';
import { COUNT_AHEAD, SPANS_PAGE_SIZE, spanContext, spanHref, spanMatcher, type SpanHit, type SpanPage, type SpanQuery } from '../../find/spanQuery';

/** how long the walk runs before it lets other requests in */
const SLICE_MS = 8;
/** how long one search may walk at most: past it, the answer covers the documents walked so far (`partial`) */
export const SEARCH_BUDGET_MS = 5000;
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function searchSpansFor(user: SessionUser | null, slug: string, query: SpanQuery, budgetMs = SEARCH_BUDGET_MS): Promise<SpanPage> {
	const access = await requireDataset(user, slug);
	const lead = access.role === 'lead';
	const me = access.user.username;
	if (query.annotator !== undefined && !lead && query.annotator !== me) throw forbidden('annotation is blind: you may only find your own spans');
	if (query.label !== undefined && !access.dataset.labels.some((l) => l.name === query.label)) {
		throw new InvalidError(`label: this dataset has no label ${JSON.stringify(query.label)}`);
	}
	// the corpus walk goes over people's work and gold (the store's summaries); pre-annotations are the review view's
	if (query.annotator !== undefined && isImportAnnotator(query.annotator)) throw new InvalidError('annotator: imported pre-annotations are not searched (the review view shows them)');
	const wanted = query.annotator ?? (lead ? null : me);
	return walkSpans(iterateWork, {
		slug: access.dataset.slug,
		query,
		whose: (name) => (wanted !== null ? name === wanted : !isImportAnnotator(name)),
		queue: queueOf(access),
		// a lead opens someone else's span (or gold) in the review view, on its lane
		reviewLane: (annotator) => (lead && annotator !== me ? annotator : null),
		budgetMs
	});
}

/** What a walk looks for, decided by the use case (access) above. */
export interface SpanWalk {
	slug: string;
	query: SpanQuery;
	/** whose sets to read */
	whose: (annotator: string) => boolean;
	/** the documents that count (an annotator's queue); null: all */
	queue: Set<string> | null;
	/** where a hit of this annotator's opens: their lane in the review view, or null for the annotation view */
	reviewLane: (annotator: string) => string | null;
	budgetMs: number;
}

/**
 * The walk itself, over any store's `iterateWork` (the seam; tested on both
 * stores): one page of hits and the count, under the budget.
 */
export async function walkSpans(iterate: (slug: string, filter: CorpusFilter) => AsyncIterable<DocumentWork>, walk: SpanWalk): Promise<SpanPage> {
	const { slug, query, queue } = walk;
	const matcher = spanMatcher(query);
	const first = (query.page - 1) * SPANS_PAGE_SIZE;
	const last = first + SPANS_PAGE_SIZE;
	const stopAt = last + COUNT_AHEAD;
	const hits: SpanHit[] = [];
	let total = 0;
	let exact = true;
	let partial = false;
	const started = performance.now();
	let slice = started;

	scan: for await (const { document, sets } of iterate(slug, { annotator: walk.whose, skipEmpty: true, document: (chosen) => chosen.some((s) => s.spans > 0) })) {
		const now = performance.now();
		if (now - started >= walk.budgetMs) {
			exact = false;
			partial = true;
			break;
		}
		if (now - slice > SLICE_MS) {
			await yieldToOthers();
			slice = performance.now();
		}
		if (queue && !queue.has(document.id)) continue;
		let offsets: OffsetMap | null = null;
		for (const set of sets) {
			const found = set.spans.filter(matcher.matches).sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
			for (const span of found) {
				if (total >= stopAt) {
					exact = false;
					break scan;
				}
				if (total >= first && total < last) {
					offsets ??= new OffsetMap(document.text);
					hits.push({
						document: { id: document.id, title: document.title },
						annotator: set.annotator,
						span: { id: span.id, start: span.start, end: span.end, label: span.label, text: span.text },
						context: spanContext(document.text, offsets, span.start, span.end),
						href: spanHref(slug, document.id, span.id, walk.reviewLane(set.annotator))
					});
				}
				total++;
			}
		}
	}
	return { hits, page: query.page, pageSize: SPANS_PAGE_SIZE, total, exact, partial, pages: Math.max(1, Math.ceil(total / SPANS_PAGE_SIZE)) };
}

/**
 * The find-spans page: the dataset's labels and (leads) whose spans there are
 * to choose from, and the hits once a label or a text is given (without
 * either the page asks for one rather than list every span).
 */
export async function spanSearchPageFor(user: SessionUser | null, slug: string, query: SpanQuery) {
	const access = await requireDataset(user, slug);
	const lead = access.role === 'lead';
	const asked = query.label !== undefined || query.text !== '' || query.annotator !== undefined;
	return {
		labels: access.dataset.labels.map(({ name, color }) => ({ name, color })),
		// leads choose whose spans; an annotator only ever finds their own
		annotators: lead ? [...Object.keys(access.dataset.members).sort(), GOLD] : null,
		query,
		result: asked ? await searchSpansFor(user, slug, query) : null
	};
}
