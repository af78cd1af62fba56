/**
 * The document list's query (docs/api.md "Documents: list, search, filter"):
 * parsed from URL parameters at the edge (zod, 400 naming the parameter), then
 * applied to rows by pure functions (filter, sort, page). Search itself (`q`)
 * is the store's (ranked ids); everything else happens here.
 */
import { z } from 'zod';
import { STATUSES, type Status } from '$lib/model/types';
import { InvalidError } from '$lib/model/errors';
import { fold } from '$lib/text/fold';

export const PAGE_SIZE = 50;
export const SORT_KEYS = ['title', 'status', 'activity', 'agreement'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/**
 * parameters a lead may give and an annotator may not (blind annotation: their list only ever uses their own work);
 * `sort=agreement` is lead-only too (`leadOnlyAsked`)
 */
export const LEAD_ONLY = ['assignee', 'done', 'disagreement'] as const;
/** `label` may be given this many times (each one must be present) */
export const MAX_LABELS = 20;

const name = z.string().trim().min(1).max(200);
const schema = z.strictObject({
	q: z.string().max(500, 'q: at most 500 characters').optional(),
	status: z.enum(STATUSES, { error: `status: one of ${STATUSES.join(', ')}` }).optional(),
	assignee: name.optional(),
	done: z.enum(['yes', 'no'], { error: 'done: yes or no' }).optional(),
	disagreement: z.literal('1', { error: 'disagreement: 1 (documents whose annotators’ done sets differ)' }).optional(),
	source: name.optional(),
	sort: z
		.string()
		.regex(new RegExp(`^-?(${SORT_KEYS.join('|')})$`), `sort: one of ${SORT_KEYS.join(', ')}, with - for descending`)
		.optional(),
	page: z.coerce.number({ error: 'page: a whole number from 1' }).int('page: a whole number from 1').min(1, 'page: a whole number from 1').max(1_000_000).optional()
});

export interface DocumentQuery {
	q: string;
	status?: Status;
	assignee?: string;
	done?: boolean;
	source?: string;
	/** `label=NAME`, repeatable: documents where every one of these labels is on a span (absent: no label filter) */
	labels?: string[];
	/** `disagreement=1`: documents where at least two annotators' done sets differ (lead rows only) */
	disagreement?: true;
	/** `meta.<key>=value`, folded comparison of the value as text */
	meta: [string, string][];
	sort: { key: SortKey | 'position'; descending: boolean };
	page: number;
}

/** Whether a request asked for the paged list at all (without parameters the API keeps its plain array). */
export function hasQuery(params: URLSearchParams): boolean {
	return [...params.keys()].length > 0;
}

/** @throws InvalidError (400) naming the bad parameter */
export function parseDocumentQuery(params: URLSearchParams): DocumentQuery {
	const plain: Record<string, string> = Object.create(null);
	const meta: [string, string][] = [];
	const labels: string[] = [];
	for (const [key, value] of params) {
		// the page's GET form sends its empty fields: an empty value is no filter
		if (value === '') continue;
		if (key === 'label') {
			const label = value.trim();
			if (!label || label.length > 200) throw new InvalidError('label: a label name of 1 to 200 characters');
			if (labels.length >= MAX_LABELS) throw new InvalidError(`label: at most ${MAX_LABELS} labels`);
			if (!labels.includes(label)) labels.push(label);
			continue;
		}
		if (key.startsWith('meta.')) {
			const field = key.slice(5);
			if (!field || field.length > 100) throw new InvalidError(`${key}: a meta field name of 1 to 100 characters`);
			if (value.length > 500) throw new InvalidError(`${key}: at most 500 characters`);
			if (meta.length >= 20) throw new InvalidError('meta: at most 20 meta filters');
			meta.push([field, value]);
			continue;
		}
		if (key in plain) throw new InvalidError(`${key}: given more than once`);
		plain[key] = value;
	}
	const parsed = schema.safeParse({ ...plain });
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const message = issue.code === 'unrecognized_keys' ? `unknown parameter: ${issue.keys.join(', ')}` : issue.message;
		throw new InvalidError(message);
	}
	const p = parsed.data;
	if (p.done !== undefined && p.assignee === undefined) throw new InvalidError('done: give the assignee whose work is done or not');
	const sort = p.sort ?? 'position';
	return {
		q: (p.q ?? '').trim(),
		status: p.status,
		assignee: p.assignee,
		done: p.done === undefined ? undefined : p.done === 'yes',
		source: p.source,
		...(labels.length ? { labels } : {}),
		...(p.disagreement ? { disagreement: true as const } : {}),
		meta,
		sort: { key: sort.replace(/^-/, '') as SortKey | 'position', descending: sort.startsWith('-') },
		page: p.page ?? 1
	};
}

/** The query as URL parameters again (links: sort headers, pages, clear filters), defaults left out. */
export function queryParams(query: DocumentQuery, change: Partial<DocumentQuery> = {}): URLSearchParams {
	const q = { ...query, ...change };
	const out = new URLSearchParams();
	if (q.q) out.set('q', q.q);
	if (q.status) out.set('status', q.status);
	if (q.assignee) out.set('assignee', q.assignee);
	if (q.done !== undefined) out.set('done', q.done ? 'yes' : 'no');
	if (q.source) out.set('source', q.source);
	for (const label of q.labels ?? []) out.append('label', label);
	if (q.disagreement) out.set('disagreement', '1');
	for (const [k, v] of q.meta) out.append(`meta.${k}`, v);
	if (q.sort.key !== 'position') out.set('sort', `${q.sort.descending ? '-' : ''}${q.sort.key}`);
	if (q.page > 1) out.set('page', String(q.page));
	return out;
}

const STATUS_WORDS: Record<Status, string> = { not_started: 'not started', in_progress: 'in progress', done: 'done' };

/**
 * The query's filters in words, in the order the form shows them: what the empty
 * list says hid everything ("No documents match label “PER”, has disagreement").
 */
export function describeFilters(query: DocumentQuery): string[] {
	const out: string[] = [];
	if (query.q) out.push(`“${query.q}”`);
	if (query.status) out.push(`status ${STATUS_WORDS[query.status]}`);
	if (query.assignee !== undefined) out.push(`assignee ${query.assignee}${query.done === undefined ? '' : query.done ? ' (done)' : ' (not done)'}`);
	if (query.source !== undefined) out.push(`import source “${query.source}”`);
	for (const label of query.labels ?? []) out.push(`label “${label}”`);
	if (query.disagreement) out.push('has disagreement');
	for (const [k, v] of query.meta) out.push(`meta.${k} “${v}”`);
	return out;
}

/** One document as the list filters and sorts it. */
export interface DocumentRow {
	id: string;
	title: string;
	position: number;
	/** the caller's own status and spans */
	status: Status;
	spans: number;
	/** when the caller (an annotator) or anyone (a lead) last saved it, ISO; null: never */
	activity: string | null;
	/** lead rows only: each assignee's status */
	assignees?: Record<string, Status>;
	/** import sources with a set on this document */
	sources: string[];
	meta?: Record<string, unknown>;
	/** with a label filter: the labels on the spans of the caller's set (annotators) or of anyone's and gold (leads) */
	labels?: string[];
	/** lead rows, with the disagreement filter: whether two annotators' done sets differ */
	disagreement?: boolean;
	/** lead rows, with the agreement sort: the document's agreement (documentAgreement.ts); null: fewer than two done sets */
	agreement?: number | null;
}

/** What of the query an annotator may not ask (blind annotation), by parameter name. */
export function leadOnlyAsked(query: DocumentQuery): string[] {
	const asked: string[] = LEAD_ONLY.filter((k) => query[k] !== undefined);
	if (query.sort.key === 'agreement') asked.push('sort=agreement');
	return asked;
}

/** A meta field's value as text (what `meta.<key>` compares, folded); undefined: none. */
export function metaValue(meta: Record<string, unknown> | undefined, key: string): string | undefined {
	if (!meta || !Object.hasOwn(meta, key)) return undefined;
	const v = meta[key];
	if (v === null || v === undefined) return undefined;
	return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The rows the query's filters keep (not `q`: the store's search does that), in their order. */
export function filterRows(rows: DocumentRow[], query: DocumentQuery): DocumentRow[] {
	const meta = query.meta.map(([k, v]) => [k, fold(v)] as const);
	return rows.filter((r) => {
		if (query.status && r.status !== query.status) return false;
		if (query.assignee !== undefined) {
			const s = r.assignees && Object.hasOwn(r.assignees, query.assignee) ? r.assignees[query.assignee] : undefined;
			if (s === undefined) return false;
			if (query.done !== undefined && (s === 'done') !== query.done) return false;
		}
		if (query.source !== undefined && !r.sources.includes(query.source)) return false;
		if (query.labels && !query.labels.every((l) => r.labels?.includes(l))) return false;
		if (query.disagreement && !r.disagreement) return false;
		for (const [k, v] of meta) {
			const have = metaValue(r.meta, k);
			if (have === undefined || fold(have) !== v) return false;
		}
		return true;
	});
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
/** the title sort's collation (list.ts sorts by it too) */
export { collator as titleCollator };
const statusOrder: Record<Status, number> = { not_started: 0, in_progress: 1, done: 2 };

/**
 * Sorted by the query's key, ties by import position (stable, deterministic); `position` keeps the given order (search rank);
 * `agreement` puts the documents without a figure last in both directions.
 */
export function sortRows(rows: DocumentRow[], query: DocumentQuery): DocumentRow[] {
	const { key, descending } = query.sort;
	if (key === 'position') return descending ? [...rows].reverse() : rows;
	if (key === 'agreement') {
		// documents without a figure (fewer than two done sets) come last either way
		const figure = (r: DocumentRow) => r.agreement ?? null;
		return [...rows].sort((a, b) => {
			const x = figure(a);
			const y = figure(b);
			if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || a.position - b.position;
			return (descending ? y - x : x - y) || a.position - b.position;
		});
	}
	const compare = (a: DocumentRow, b: DocumentRow): number => {
		if (key === 'title') return collator.compare(a.title, b.title);
		if (key === 'status') return statusOrder[a.status] - statusOrder[b.status];
		// never saved sorts as the oldest
		return (a.activity ?? '').localeCompare(b.activity ?? '');
	};
	return [...rows].sort((a, b) => (descending ? -compare(a, b) : compare(a, b)) || a.position - b.position);
}

export interface Page<T> {
	documents: T[];
	total: number;
	page: number;
	pages: number;
}

/** One page of 50; a page past the end is empty (with the real total and pages). */
export function pageOf<T>(rows: T[], page: number, size = PAGE_SIZE): Page<T> {
	const pages = Math.max(1, Math.ceil(rows.length / size));
	return { documents: rows.slice((page - 1) * size, page * size), total: rows.length, page, pages };
}

/** The words and "phrases" of a search, folded: what the index must match, and what a hit is. */
export function searchTerms(q: string): { words: string[]; phrases: string[] } {
	const phrases: string[] = [];
	const rest = q.replace(/["“”«»]([^"“”«»]*)["“”«»]?/g, (_, p: string) => {
		const words = fold(p).match(/[\p{L}\p{N}]+/gu);
		if (words) phrases.push(words.join(' '));
		return ' ';
	});
	const words = fold(rest).match(/[\p{L}\p{N}]+/gu) ?? [];
	return { words: [...new Set(words)], phrases };
}
