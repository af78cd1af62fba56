/**
 * Diff between two releases, as a streaming merge join over two record streams both
 * sorted by (doc_id, annotator) in compareRecords order (which is how release files
 * are written). Memory: O(one record of each side + the capped document list).
 *
 * - A record is identified by (doc_id, annotator). It is "changed" when any field other
 *   than `dataset`/`version` differs (compared in canonical serialization).
 * - A document (doc_id) is "added"/"removed" when all its records are only in the
 *   new/old release, "changed" when present in both and any of its records was
 *   added, removed or changed, else "unchanged".
 * - Spans are compared per record by (start, end, label). Those only in the new record
 *   are added, only in the old removed; then an added and a removed span with the same
 *   (start, end) are paired as a relabel (labels paired in code-unit order). Spans of
 *   added/removed records count as added/removed. A span whose only change is its id
 *   or attrs is not counted as a span change (the record still counts as changed, see
 *   `fields_changed`).
 * - Attribute changes: a span in both records (same start, end, label) whose `attrs`
 *   differ is one attribute change of its label (`attrs_changed`, `summary.attributes`).
 * - Relations are compared by what they join: (from span's start, end, label; to
 *   span's start, end, label; relation label). Those only in the new record are
 *   added, only in the old removed (a relation whose end was relabelled is one of
 *   each), per relation type; those of added/removed records count as added/removed.
 *   The summary's `relations` and `attributes`, and a record's `relations_added`,
 *   `relations_removed` and `attrs_changed`, are absent when there are none.
 *
 * Just over 400 lines: the merge join, the per-field comparison and the capped
 * document list are one streaming algorithm.
 */
import { dict } from '../model/dict';
import {
	canonicalJson,
	sameJson,
	compareCodeUnits,
	compareRecords,
	compareSpans,
	type ReleaseRecord,
	type ReleaseSpan,
	type SpanLite
} from './record';

export type { SpanLite } from './record';

export interface SpanRelabel {
	start: number;
	end: number;
	from: string;
	to: string;
	/** the span text in the new release */
	text: string;
}

export interface ReleaseDiffSummary {
	documents: { added: number; removed: number; changed: number; unchanged: number };
	records: { added: number; removed: number; changed: number };
	spans: {
		/** per label, keys sorted */
		added: Record<string, number>;
		removed: Record<string, number>;
		/** keyed "from->to", keys sorted */
		relabelled: Record<string, number>;
	};
	/** relations per relation type, keys sorted; absent when none came or went */
	relations?: { added: Record<string, number>; removed: Record<string, number> };
	/** spans kept whose attribute values changed, per label; absent when none */
	attributes?: { changed: Record<string, number> };
}

/** A relation by what it joins, as diffs report it. */
export interface RelationLite {
	label: string;
	from: SpanLite;
	to: SpanLite;
}

/** A span kept from one release to the next whose attribute values changed. */
export interface AttrsChange extends SpanLite {
	before: Record<string, unknown>;
	after: Record<string, unknown>;
}

export type RecordField = Exclude<keyof ReleaseRecord, 'dataset' | 'version' | 'doc_id' | 'annotator'>;

export interface DocumentDiff {
	doc_id: string;
	annotator: string;
	change: 'added' | 'removed' | 'changed';
	spans_added: SpanLite[];
	spans_removed: SpanLite[];
	spans_relabelled: SpanRelabel[];
	text_changed: boolean;
	/** for 'changed': which record fields differ (e.g. ["revision","spans","status"]); [] otherwise */
	fields_changed: RecordField[];
	/** absent when none */
	relations_added?: RelationLite[];
	relations_removed?: RelationLite[];
	attrs_changed?: AttrsChange[];
}

export interface ReleaseDiff {
	summary: ReleaseDiffSummary;
	/** one entry per added/removed/changed record, in release order, at most `limit` */
	documents: DocumentDiff[];
	/** true when more entries existed than `limit` (the summary still counts all) */
	truncated: boolean;
}

export type RecordSource = AsyncIterable<ReleaseRecord> | Iterable<ReleaseRecord>;

export interface DiffOptions {
	/** max entries in `documents`; default 1000 */
	limit?: number;
}

export class ReleaseDiffError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ReleaseDiffError';
	}
}

export function emptyDiffSummary(): ReleaseDiffSummary {
	return {
		documents: { added: 0, removed: 0, changed: 0, unchanged: 0 },
		records: { added: 0, removed: 0, changed: 0 },
		spans: { added: {}, removed: {}, relabelled: {} }
	};
}

const COMPARED_FIELDS: RecordField[] = [
	'title',
	'text',
	'text_sha256',
	'meta',
	'status',
	'revision',
	'updated_at',
	'spans',
	'relations'
];

function lite(s: ReleaseSpan): SpanLite {
	return { start: s.start, end: s.end, label: s.label, text: s.text };
}

function spanKey(s: { start: number; end: number; label: string }): string {
	return `${s.start}\u0000${s.end}\u0000${s.label}`;
}

/** Span changes between two versions of one record (either may be absent). */
export function diffSpans(
	oldSpans: readonly ReleaseSpan[],
	newSpans: readonly ReleaseSpan[]
): { added: SpanLite[]; removed: SpanLite[]; relabelled: SpanRelabel[] } {
	// multiset difference on (start, end, label)
	const oldCount = new Map<string, number>();
	for (const s of oldSpans) oldCount.set(spanKey(s), (oldCount.get(spanKey(s)) ?? 0) + 1);
	let added: ReleaseSpan[] = [];
	for (const s of [...newSpans].sort(compareSpans)) {
		const k = spanKey(s);
		const n = oldCount.get(k) ?? 0;
		if (n > 0) oldCount.set(k, n - 1);
		else added.push(s);
	}
	let removed: ReleaseSpan[] = [];
	for (const s of [...oldSpans].sort(compareSpans).reverse()) {
		const k = spanKey(s);
		const n = oldCount.get(k) ?? 0;
		if (n > 0) {
			oldCount.set(k, n - 1);
			removed.push(s);
		}
	}
	removed.reverse();

	// pair same (start, end) as relabels; both lists are sorted by start, end, label
	const relabelled: SpanRelabel[] = [];
	const removedByPos = new Map<string, ReleaseSpan[]>();
	for (const s of removed) {
		const k = `${s.start}\u0000${s.end}`;
		const list = removedByPos.get(k);
		if (list) list.push(s);
		else removedByPos.set(k, [s]);
	}
	const pairedRemoved = new Set<ReleaseSpan>();
	const keptAdded: ReleaseSpan[] = [];
	for (const s of added) {
		const list = removedByPos.get(`${s.start}\u0000${s.end}`);
		const from = list?.shift();
		if (from) {
			pairedRemoved.add(from);
			relabelled.push({ start: s.start, end: s.end, from: from.label, to: s.label, text: s.text });
		} else keptAdded.push(s);
	}
	added = keptAdded;
	removed = removed.filter((s) => !pairedRemoved.has(s));
	return { added: added.map(lite), removed: removed.map(lite), relabelled };
}

/** Relation changes between two versions of one record (either may be absent: pass []). */
export function diffRelations(
	oldRecord: Pick<ReleaseRecord, 'spans' | 'relations'> | null,
	newRecord: Pick<ReleaseRecord, 'spans' | 'relations'> | null
): { added: RelationLite[]; removed: RelationLite[] } {
	const lites = (r: Pick<ReleaseRecord, 'spans' | 'relations'> | null) => {
		const out = new Map<string, RelationLite>();
		if (!r || !(r.relations ?? []).length) return out;
		const byId = new Map(r.spans.map((s) => [s.id, s]));
		for (const rel of r.relations) {
			const from = byId.get(rel.from);
			const to = byId.get(rel.to);
			if (!from || !to) continue; // not a valid record (recordInvariantProblems)
			out.set(`${spanKey(from)}\u0001${spanKey(to)}\u0001${rel.label}`, { label: rel.label, from: lite(from), to: lite(to) });
		}
		return out;
	};
	const a = lites(oldRecord);
	const b = lites(newRecord);
	return { added: [...b].filter(([k]) => !a.has(k)).map(([, v]) => v), removed: [...a].filter(([k]) => !b.has(k)).map(([, v]) => v) };
}

/** Spans in both records (same start, end, label) whose attrs differ, in span order. */
export function diffAttrs(oldSpans: readonly ReleaseSpan[], newSpans: readonly ReleaseSpan[]): AttrsChange[] {
	const before = new Map<string, ReleaseSpan>();
	for (const s of oldSpans) if (!before.has(spanKey(s))) before.set(spanKey(s), s);
	const out: AttrsChange[] = [];
	for (const s of [...newSpans].sort(compareSpans)) {
		const was = before.get(spanKey(s));
		if (was && !sameJson(was.attrs ?? {}, s.attrs ?? {})) {
			out.push({ ...lite(s), before: was.attrs ?? {}, after: s.attrs ?? {} });
		}
	}
	return out;
}

function bump(m: Map<string, number>, k: string, n = 1) {
	m.set(k, (m.get(k) ?? 0) + n);
}

function sortedObject(m: Map<string, number>): Record<string, number> {
	const o = dict<number>();
	for (const k of [...m.keys()].sort(compareCodeUnits)) o[k] = m.get(k)!;
	return o;
}

/** Pulls from a sync or async iterable, checking strict (doc_id, annotator) order. */
class Cursor {
	private it: AsyncIterator<ReleaseRecord> | Iterator<ReleaseRecord>;
	current: ReleaseRecord | undefined;
	private prev: ReleaseRecord | undefined;
	private index = -1;
	constructor(
		src: RecordSource,
		private side: string
	) {
		this.it =
			Symbol.asyncIterator in src
				? (src as AsyncIterable<ReleaseRecord>)[Symbol.asyncIterator]()
				: (src as Iterable<ReleaseRecord>)[Symbol.iterator]();
	}
	async next(): Promise<void> {
		const r = await this.it.next();
		this.prev = this.current;
		this.current = r.done ? undefined : r.value;
		this.index++;
		if (this.current && this.prev && compareRecords(this.prev, this.current) >= 0) {
			throw new ReleaseDiffError(
				`${this.side} release: record ${this.index} (${JSON.stringify(this.current.doc_id)}, ${JSON.stringify(this.current.annotator)}) ` +
					`is not after (${JSON.stringify(this.prev.doc_id)}, ${JSON.stringify(this.prev.annotator)}); records must be sorted by doc_id, annotator without duplicates`
			);
		}
	}
	async close(): Promise<void> {
		await this.it.return?.();
	}
}

/**
 * Diffs `oldRecords` (e.g. the parent release) against `newRecords`.
 * @throws ReleaseDiffError if either input is not strictly sorted by (doc_id, annotator).
 */
export async function diffReleases(
	oldRecords: RecordSource,
	newRecords: RecordSource,
	options: DiffOptions = {}
): Promise<ReleaseDiff> {
	const limit = options.limit ?? 1000;
	if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be an integer >= 0, got ${limit}`);

	const summary = emptyDiffSummary();
	const spansAdded = new Map<string, number>();
	const spansRemoved = new Map<string, number>();
	const spansRelabelled = new Map<string, number>();
	const relationsAdded = new Map<string, number>();
	const relationsRemoved = new Map<string, number>();
	const attrsChanged = new Map<string, number>();
	const documents: DocumentDiff[] = [];
	let truncated = false;

	// per-document accumulator: records of one doc_id are contiguous in merge order
	let doc: { id: string; inOld: boolean; inNew: boolean; changed: boolean } | null = null;
	const flushDoc = () => {
		if (!doc) return;
		if (doc.inOld && !doc.inNew) summary.documents.removed++;
		else if (!doc.inOld && doc.inNew) summary.documents.added++;
		else if (doc.changed) summary.documents.changed++;
		else summary.documents.unchanged++;
		doc = null;
	};
	const emit = (d: DocumentDiff) => {
		for (const s of d.spans_added) bump(spansAdded, s.label);
		for (const s of d.spans_removed) bump(spansRemoved, s.label);
		for (const s of d.spans_relabelled) bump(spansRelabelled, `${s.from}->${s.to}`);
		for (const r of d.relations_added ?? []) bump(relationsAdded, r.label);
		for (const r of d.relations_removed ?? []) bump(relationsRemoved, r.label);
		for (const s of d.attrs_changed ?? []) bump(attrsChanged, s.label);
		if (documents.length < limit) documents.push(d);
		else truncated = true;
	};

	const a = new Cursor(oldRecords, 'old');
	const b = new Cursor(newRecords, 'new');
	try {
		await a.next();
		await b.next();
		while (a.current || b.current) {
			const o = a.current;
			const n = b.current;
			const c = !o ? 1 : !n ? -1 : compareRecords(o, n);
			const docId = c <= 0 ? o!.doc_id : n!.doc_id;
			if (!doc || doc.id !== docId) {
				flushDoc();
				doc = { id: docId, inOld: false, inNew: false, changed: false };
			}
			if (c < 0) {
				// only in old
				doc.inOld = true;
				doc.changed = true;
				summary.records.removed++;
				emit({
					doc_id: o!.doc_id,
					annotator: o!.annotator,
					change: 'removed',
					spans_added: [],
					spans_removed: [...o!.spans].sort(compareSpans).map(lite),
					spans_relabelled: [],
					text_changed: false,
					fields_changed: [],
					...relationChanges(diffRelations(o!, null))
				});
				await a.next();
			} else if (c > 0) {
				doc.inNew = true;
				doc.changed = true;
				summary.records.added++;
				emit({
					doc_id: n!.doc_id,
					annotator: n!.annotator,
					change: 'added',
					spans_added: [...n!.spans].sort(compareSpans).map(lite),
					spans_removed: [],
					spans_relabelled: [],
					text_changed: false,
					fields_changed: [],
					...relationChanges(diffRelations(null, n!))
				});
				await b.next();
			} else {
				doc.inOld = true;
				doc.inNew = true;
				const fields = COMPARED_FIELDS.filter((f) => !sameField(o!, n!, f));
				if (fields.length > 0) {
					doc.changed = true;
					summary.records.changed++;
					const sd = diffSpans(o!.spans, n!.spans);
					emit({
						doc_id: n!.doc_id,
						annotator: n!.annotator,
						change: 'changed',
						spans_added: sd.added,
						spans_removed: sd.removed,
						spans_relabelled: sd.relabelled,
						text_changed: o!.text !== n!.text,
						fields_changed: fields,
						...relationChanges(fields.includes('relations') || fields.includes('spans') ? diffRelations(o!, n!) : { added: [], removed: [] }),
						...attrChanges(fields.includes('spans') ? diffAttrs(o!.spans, n!.spans) : [])
					});
				}
				await a.next();
				await b.next();
			}
		}
		flushDoc();
	} finally {
		await Promise.all([a.close(), b.close()]);
	}

	summary.spans.added = sortedObject(spansAdded);
	summary.spans.removed = sortedObject(spansRemoved);
	summary.spans.relabelled = sortedObject(spansRelabelled);
	if (relationsAdded.size || relationsRemoved.size) {
		summary.relations = { added: sortedObject(relationsAdded), removed: sortedObject(relationsRemoved) };
	}
	if (attrsChanged.size) summary.attributes = { changed: sortedObject(attrsChanged) };
	return { summary, documents, truncated };
}

function relationChanges(d: { added: RelationLite[]; removed: RelationLite[] }) {
	return { ...(d.added.length ? { relations_added: d.added } : {}), ...(d.removed.length ? { relations_removed: d.removed } : {}) };
}

function attrChanges(changes: AttrsChange[]) {
	return changes.length ? { attrs_changed: changes } : {};
}

/** whether the field's canonical JSON is the same in both (spans in their canonical order) */
function sameField(o: ReleaseRecord, n: ReleaseRecord, f: RecordField): boolean {
	if (f === 'spans') return sameJson([...o.spans].sort(compareSpans), [...n.spans].sort(compareSpans));
	return sameJson(o[f] ?? null, n[f] ?? null);
}
