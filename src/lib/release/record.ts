/**
 * The ONE definition of a release's JSONL record (see docs/jsonl.md).
 *
 * A release file is UTF-8 without BOM, one record per line, every line ended by
 * "\n" (also the last one). Each record is one annotation set (one annotator's, or
 * the adjudicated "gold" set) of one document. Everything here is pure: the server
 * computes hashes and does the I/O.
 *
 * Offsets are Unicode code point offsets (Python `str` indices), end exclusive:
 * `span.text == text[start:end]` in Python.
 *
 * Ordering, everywhere in this module, is plain UTF-16 code-unit string comparison
 * (JavaScript `<`), NOT locale collation. It equals Python's code point order except
 * when comparing a supplementary-plane character (U+10000 and up) with one in
 * U+E000..U+FFFF.
 */
import type { Label, RelationType, Span, SpanInput, Status } from '../model/types';
import { OffsetMap, codePointLength } from '../text/offsets';
import { compareSpans as compareSpanPositions } from '../model/spans';
import { relationId, sortRelations } from '../model/relations';
import type { ReleaseDiffSummary } from './diff';
import { canonicalJson, compareCodeUnits, sortKeysDeep } from './canonical';
import {
	OPTIONAL_SPAN_KEYS,
	RECORD_KEYS,
	RECORD_STATUSES,
	RELATION_KEYS,
	SPAN_KEYS,
	type ReleaseRecord,
	type ReleaseRelation,
	type ReleaseSpan
} from './schema';

export { codePointLength };
export { canonicalJson, compareCodeUnits, sameJson, sortKeysDeep } from './canonical';
export { parseVersionName, parseVersionRef, versionName } from './versions';
export {
	RELEASE_RECORD_SCHEMA,
	releaseRecordSchema,
	releaseRelationSchema,
	releaseSpanSchema,
	type ReleaseRecord,
	type ReleaseRelation,
	type ReleaseSpan
} from './schema';

/** A span without id/attrs: what diffs and converters report. */
export interface SpanLite {
	start: number;
	end: number;
	label: string;
	text: string;
}

export type ReleaseSource = 'gold' | 'annotators' | 'all';

/** `vNNNN.manifest.json` next to `vNNNN.jsonl`; written last, so its presence means the release is complete. */
export interface ReleaseManifest {
	version: number;
	/** versionName(version), e.g. "v0001" */
	name: string;
	dataset: string;
	/** ISO 8601 */
	created_at: string;
	created_by: string;
	/** which annotation sets were exported */
	source: ReleaseSource;
	note: string;
	/** number of lines (records) in the JSONL file */
	records: number;
	/** total number of spans over all records */
	spans: number;
	/** spans per label, keys sorted */
	span_counts: Record<string, number>;
	/** total number of relations over all records (absent in releases cut before relations) */
	relations?: number;
	/** relations per relation type, keys sorted (absent in releases cut before relations) */
	relation_counts?: Record<string, number>;
	/** correction mode's spans still unreviewed when the release was cut, left out of its records (absent in releases cut before it was counted) */
	unreviewed_spans?: number;
	/** lowercase hex sha256 of the JSONL file bytes */
	sha256: string;
	/** the label set at release time */
	labels: Label[];
	/** the relation types at release time (absent in releases cut before relations) */
	relation_types?: RelationType[];
	/** sha256 of the annotation guidelines at release time */
	guidelines_sha256: string;
	/** version this release is diffed against (normally the previous one), null for the first */
	parent: number | null;
	/** diff summary against `parent`, null when there is none */
	changes: ReleaseDiffSummary | null;
	/**
	 * The word definition and ICU of the runtime that cut the release: the token
	 * indices of its Prodigy and CoNLL exports are that runtime's (absent in
	 * releases cut before it was recorded).
	 */
	tokenizer?: ReleaseTokenizer;
	/** spans each export format cannot represent (absent in releases cut before it was recorded) */
	unrepresentable?: Unrepresentable;
}

export interface ReleaseTokenizer {
	/** WORD_DEFINITION of src/lib/text/words.ts */
	definition: string;
	/** process.versions.icu / process.versions.unicode, null when the runtime has none */
	icu: string | null;
	unicode: string | null;
}

export interface Unrepresentable {
	jsonl: 0;
	doccano: 0;
	prodigy: 0;
	/** spans missing from the CoNLL export: the sum of `conll_reasons` */
	conll: number;
	conll_reasons: { crossing: number; off_token_boundary: number; no_token: number; too_deep: number };
	/** tag columns of the CoNLL export (nesting levels, at least 1) */
	conll_columns: number;
}

/** Span as accepted by buildRecord: a stored Span, `text` and `attrs` optional. */
export type BuildSpanInput = SpanInput & {
	id: string;
	text?: string;
	attrs?: Record<string, unknown> | null;
	source?: string | null;
};

/** Relation as accepted by buildRecord: span ids of the same record; `id` recomputed (and checked when given). */
export interface BuildRelationInput {
	id?: string;
	from: string;
	to: string;
	label: string;
}

export interface BuildRecordInput {
	dataset: string;
	version: number;
	doc_id: string;
	title: string;
	text: string;
	/** taken as given (lowercase hex, 64 chars); the server computes it */
	text_sha256: string;
	meta?: Record<string, unknown> | null;
	annotator: string;
	status: Status;
	revision: number;
	updated_at: string | null;
	spans: ReadonlyArray<BuildSpanInput | Span>;
	/** absent: none */
	relations?: ReadonlyArray<BuildRelationInput>;
}

export class ReleaseRecordError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ReleaseRecordError';
	}
}

// ---------------------------------------------------------------------------
// ordering

/** Release order: doc_id, then annotator (code-unit comparison). */
export function compareRecords(
	a: Pick<ReleaseRecord, 'doc_id' | 'annotator'>,
	b: Pick<ReleaseRecord, 'doc_id' | 'annotator'>
): number {
	return compareCodeUnits(a.doc_id, b.doc_id) || compareCodeUnits(a.annotator, b.annotator);
}

/**
 * Release span order: spans.ts `compareSpans` (start, end, label), then id as a
 * tie-breaker so that two spans at one position with one label still have a fixed order.
 */
export function compareSpans(
	a: { start: number; end: number; label: string; id?: string },
	b: { start: number; end: number; label: string; id?: string }
): number {
	return compareSpanPositions(a, b) || compareCodeUnits(a.id ?? '', b.id ?? '');
}

// ---------------------------------------------------------------------------
// code points (conversion itself lives in ../offsets)

/**
 * UTF-16 index of every code point boundary: result[i] is the UTF-16 offset of code
 * point i, result[length] == text.length. Lone surrogates count as one code point.
 * A table view of `OffsetMap.toUtf16`, for callers that index many offsets.
 */
export function codePointIndex(text: string): Uint32Array {
	const map = new OffsetMap(text);
	const out = new Uint32Array(map.length + 1);
	for (let i = 0; i <= map.length; i++) out[i] = map.toUtf16(i);
	return out;
}

// ---------------------------------------------------------------------------
// build + serialize

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A release builds and writes a document's records one after another (one per annotator): the text's offset
 * map and its JSON are kept for the last text seen (strings are immutable: the same text, the same answer).
 * At 100,000 documents × 3 sets they were a tenth of the cut's time.
 */
let lastOffsets: { text: string; map: OffsetMap } | null = null;
function offsetsOf(text: string): OffsetMap {
	if (lastOffsets?.text !== text) lastOffsets = { text, map: new OffsetMap(text) };
	return lastOffsets.map;
}
let lastText: { text: string; json: string } | null = null;
function textJson(text: string): string {
	if (lastText?.text !== text) lastText = { text, json: JSON.stringify(text) };
	return lastText.json;
}

function isEmptyObject(v: object): boolean {
	for (const k in v) if (Object.hasOwn(v, k)) return false;
	return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Builds a record with the canonical key order, spans sorted (start, end, label, id),
 * `meta`/`attrs` keys sorted recursively, `attrs` `{}` when absent.
 * `text_sha256` is taken as given. `span.text` is computed from `text` when absent
 * and checked against it when present.
 * @throws ReleaseRecordError on invalid input (bad offsets, span text mismatch,
 * duplicate span ids, bad status/sha256/version/revision).
 */
export function buildRecord(input: BuildRecordInput): ReleaseRecord {
	const where = `record ${JSON.stringify(input.doc_id)}/${JSON.stringify(input.annotator)}`;
	const fail = (msg: string): never => {
		throw new ReleaseRecordError(`${where}: ${msg}`);
	};
	if (typeof input.dataset !== 'string' || input.dataset === '') fail('dataset must be a non-empty string');
	if (!Number.isInteger(input.version) || input.version < 1) fail('version must be an integer >= 1');
	if (typeof input.doc_id !== 'string' || input.doc_id === '') fail('doc_id must be a non-empty string');
	if (typeof input.annotator !== 'string' || input.annotator === '') fail('annotator must be a non-empty string');
	if (typeof input.title !== 'string') fail('title must be a string');
	if (typeof input.text !== 'string') fail('text must be a string');
	if (typeof input.text_sha256 !== 'string' || !SHA256_HEX.test(input.text_sha256))
		fail('text_sha256 must be 64 lowercase hex characters');
	if (!RECORD_STATUSES.includes(input.status)) fail(`unknown status ${JSON.stringify(input.status)}`);
	if (!Number.isInteger(input.revision) || input.revision < 0) fail('revision must be an integer >= 0');
	if (input.updated_at !== null && typeof input.updated_at !== 'string') fail('updated_at must be a string or null');
	if (input.meta != null && !isPlainObject(input.meta)) fail('meta must be an object');

	const offsets = offsetsOf(input.text);
	const len = offsets.length;
	const ids = new Set<string>();
	const spans: ReleaseSpan[] = input.spans.map((s) => {
		if (typeof s.id !== 'string' || s.id === '') fail('span id must be a non-empty string');
		if (ids.has(s.id)) fail(`duplicate span id ${JSON.stringify(s.id)}`);
		ids.add(s.id);
		const at = `span ${JSON.stringify(s.id)}`;
		if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end <= s.start || s.end > len)
			fail(`${at}: offsets [${s.start}, ${s.end}) not within text of ${len} code points (need 0 <= start < end)`);
		if (typeof s.label !== 'string' || s.label === '') fail(`${at}: label must be a non-empty string`);
		const text = input.text.slice(offsets.toUtf16(s.start), offsets.toUtf16(s.end));
		if (s.text !== undefined && s.text !== text)
			fail(`${at}: text ${JSON.stringify(s.text)} != text[${s.start}:${s.end}] ${JSON.stringify(text)}`);
		if (s.attrs != null && !isPlainObject(s.attrs)) fail(`${at}: attrs must be an object`);
		const source = (s as BuildSpanInput).source;
		if (source != null && (typeof source !== 'string' || source === '')) fail(`${at}: source must be a non-empty string`);
		return {
			id: s.id,
			start: s.start,
			end: s.end,
			label: s.label,
			text,
			attrs: s.attrs && !isEmptyObject(s.attrs) ? sortKeysDeep(s.attrs) : {},
			...(source ? { source } : {})
		};
	});
	spans.sort(compareSpans);

	const relationIds = new Set<string>();
	const relations: ReleaseRelation[] = (input.relations ?? []).map((r) => {
		if (typeof r.label !== 'string' || r.label === '') fail('relation label must be a non-empty string');
		for (const end of [r.from, r.to]) {
			if (typeof end !== 'string' || !ids.has(end)) fail(`relation ${JSON.stringify(r.label)}: end ${JSON.stringify(end)} is not a span of this record`);
		}
		if (r.from === r.to) fail(`relation ${JSON.stringify(r.label)}: from and to are the same span ${JSON.stringify(r.from)}`);
		const id = relationId(r.from, r.to, r.label);
		if (r.id !== undefined && r.id !== id) fail(`relation ${JSON.stringify(r.id)}: id is not relationId(from, to, label) = ${JSON.stringify(id)}`);
		if (relationIds.has(id)) fail(`duplicate relation ${JSON.stringify(id)}`);
		relationIds.add(id);
		return { id, from: r.from, to: r.to, label: r.label };
	});

	return {
		dataset: input.dataset,
		version: input.version,
		doc_id: input.doc_id,
		title: input.title,
		text: input.text,
		text_sha256: input.text_sha256,
		meta: input.meta ? sortKeysDeep(input.meta) : {},
		annotator: input.annotator,
		status: input.status,
		revision: input.revision,
		updated_at: input.updated_at,
		spans,
		relations: sortRelations(relations, spans)
	};
}

/** What a record read from an older release may lack, written as its empty value. */
const ABSENT: Record<string, unknown> = { meta: {}, attrs: {}, updated_at: null, relations: [] };

/**
 * A field's JSON: strings, finite numbers and an object without keys (every span's `attrs` but a date's)
 * directly (the hot path: 9,000,000 spans a release at 100,000 documents), the rest canonical.
 */
function fieldJson(key: string, v: unknown): string {
	if (typeof v === 'string') return JSON.stringify(v);
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype && isEmptyObject(v) && !('toJSON' in v)) return '{}';
	return canonicalJson(v ?? ABSENT[key] ?? null);
}

interface Field {
	key: string;
	/** `"key":` */
	name: string;
	/** left out when unset (undefined, null or '') */
	optional: boolean;
}
/** each key's field, in the schema's order */
const fields = (keys: readonly string[], optional: ReadonlySet<string> = new Set()): Field[] =>
	keys.map((k) => ({ key: k, name: JSON.stringify(k) + ':', optional: optional.has(k) }));
const RECORD_FIELDS = fields(RECORD_KEYS);
const SPAN_FIELDS = fields(SPAN_KEYS, OPTIONAL_SPAN_KEYS);
const RELATION_FIELDS = fields(RELATION_KEYS);

/** An object's `"key":value` pairs in the schema's key order; optional keys only when set. */
function serializeObject(fields: readonly Field[], obj: Record<string, unknown>): string {
	let out = '';
	for (const { key, name, optional } of fields) {
		const v = obj[key];
		if (optional && (v === undefined || v === null || v === '')) continue;
		out += (out ? ',' : '{') + name + fieldJson(key, v);
	}
	return out + '}';
}

/**
 * One JSONL line (compact JSON + "\n"). Deterministic: the output depends only on the
 * record's content, not on object key insertion order or span order — keys are written
 * in the schema's order (./schema.ts), spans in compareSpans order, meta/attrs keys
 * sorted recursively. Non-ASCII characters are written as UTF-8 (not \u escaped), as
 * JSON.stringify does.
 */
export function serializeRecord(r: ReleaseRecord): string {
	const spans = [...r.spans].sort(compareSpans);
	const relations = sortRelations(r.relations ?? [], spans);
	let out = '';
	for (const { key, name } of RECORD_FIELDS) {
		const v =
			key === 'spans'
				? '[' + spans.map((s) => serializeObject(SPAN_FIELDS, s)).join(',') + ']'
				: key === 'relations'
					? '[' + relations.map((rel) => serializeObject(RELATION_FIELDS, rel)).join(',') + ']'
					: key === 'text' && typeof r.text === 'string'
						? textJson(r.text)
						: fieldJson(key, r[key as keyof ReleaseRecord]);
		out += (out ? ',' : '{') + name + v;
	}
	return out + '}\n';
}

/**
 * Checks what JSON Schema cannot express: span offsets within the text, start < end,
 * span.text == text[start:end], unique span ids, spans sorted. Returns problems, [] if none.
 */
export function recordInvariantProblems(r: ReleaseRecord): string[] {
	const problems: string[] = [];
	const offsets = new OffsetMap(r.text);
	const len = offsets.length;
	const ids = new Set<string>();
	r.spans.forEach((s, i) => {
		if (ids.has(s.id)) problems.push(`spans[${i}]: duplicate id ${JSON.stringify(s.id)}`);
		ids.add(s.id);
		if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start < s.end && s.end <= len)) {
			problems.push(`spans[${i}]: offsets [${s.start}, ${s.end}) invalid for text of ${len} code points`);
		} else if (r.text.slice(offsets.toUtf16(s.start), offsets.toUtf16(s.end)) !== s.text) {
			problems.push(`spans[${i}]: text != text[${s.start}:${s.end}]`);
		}
		if (i > 0 && compareSpans(r.spans[i - 1], s) > 0) problems.push(`spans[${i}]: out of order`);
	});
	const position = new Map(r.spans.map((s, i) => [s.id, i]));
	const relationIds = new Set<string>();
	(r.relations ?? []).forEach((rel, i) => {
		const from = position.get(rel.from);
		const to = position.get(rel.to);
		if (from === undefined) problems.push(`relations[${i}]: from ${JSON.stringify(rel.from)} is not a span of the record`);
		if (to === undefined) problems.push(`relations[${i}]: to ${JSON.stringify(rel.to)} is not a span of the record`);
		if (rel.from === rel.to) problems.push(`relations[${i}]: from and to are the same span`);
		if (rel.id !== relationId(rel.from, rel.to, rel.label)) problems.push(`relations[${i}]: id is not relationId(from, to, label)`);
		if (relationIds.has(rel.id)) problems.push(`relations[${i}]: duplicate id ${JSON.stringify(rel.id)}`);
		relationIds.add(rel.id);
		const prev = i > 0 ? r.relations[i - 1] : null;
		if (prev && from !== undefined && to !== undefined) {
			const pf = position.get(prev.from) ?? -1;
			const pt = position.get(prev.to) ?? -1;
			if (pf > from || (pf === from && (pt > to || (pt === to && compareCodeUnits(prev.label, rel.label) > 0)))) {
				problems.push(`relations[${i}]: out of order`);
			}
		}
	});
	return problems;
}
