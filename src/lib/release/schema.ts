/**
 * The release record's ONE definition: a zod schema. From it come the TypeScript
 * types (`z.infer`), the key order `serializeRecord` writes, and the JSON Schema
 * `RELEASE_RECORD_SCHEMA` that docs/release-record.schema.json is a copy of
 * (`npm run schema:release` writes it; record.test.ts fails when it is stale).
 *
 * The order of the keys in each `z.strictObject` below IS the order of the keys in a
 * release line: changing it changes the bytes of every release.
 */
import { z } from 'zod';
import { STATUSES } from '../model/types';

/** Schema of a span in a release record. */
export const releaseSpanSchema = z.strictObject({
	id: z.string().min(1),
	start: z.int().min(0).meta({ description: 'code point offset, inclusive' }),
	end: z.int().min(1).meta({ description: 'code point offset, exclusive' }),
	label: z.string().min(1),
	text: z.string().min(1).meta({ description: 'text[start:end] in code points' }),
	attrs: z.record(z.string(), z.unknown()).meta({
		description:
			"the span's attribute values (the manifest's labels[].attributes): an enum option, text or TIMEX3 value as a string, a boolean; only values that are set, keys sorted; {} when none"
	}),
	source: z
		.string()
		.min(1)
		.optional()
		.meta({
			description:
				'where an accepted suggestion came from (at most 200 characters): dates, lexicon, cues, import~<name>, run~<name>; absent for hand-made spans'
		})
});

/** Schema of a relation in a release record: `from`/`to` are ids of spans of the same record. */
export const releaseRelationSchema = z.strictObject({
	id: z
		.string()
		.regex(/^r[0-9a-f]{16}$/)
		.meta({ description: '"r" + FNV-1a 64 (hex) of the UTF-8 bytes of "{from}>{to}:{label}"' }),
	from: z.string().min(1).meta({ description: 'id of a span of this record' }),
	to: z.string().min(1).meta({ description: 'id of another span of this record' }),
	label: z.string().min(1).meta({ description: "a relation type of the manifest's relation_types" })
});

/** Schema of one JSONL line of a release. */
export const releaseRecordSchema = z
	.strictObject({
		dataset: z.string().min(1),
		version: z.int().min(1).meta({ description: 'release version number' }),
		doc_id: z.string().min(1),
		title: z.string(),
		text: z.string(),
		text_sha256: z
			.string()
			.regex(/^[0-9a-f]{64}$/)
			.meta({ description: 'lowercase hex sha256 of the UTF-8 bytes of text' }),
		meta: z.record(z.string(), z.unknown()).meta({ description: 'document metadata, keys sorted recursively' }),
		annotator: z.string().min(1).meta({ description: 'user name, or "gold" for the adjudicated set' }),
		status: z.enum(STATUSES),
		revision: z.int().min(0),
		updated_at: z.string().nullable().meta({ description: 'ISO 8601, null if never saved' }),
		spans: z.array(releaseSpanSchema).meta({ description: 'sorted by start, end, label, id' }),
		relations: z.array(releaseRelationSchema).meta({
			description:
				'directed relations between spans of this record, sorted by the position of the from span in spans, then of the to span, then label'
		})
	})
	.meta({
		title: 'spanlab release record',
		description:
			'One line of a spanlab release (JSONL). Offsets are Unicode code point offsets, end exclusive: span.text == text[start:end] (Python str semantics). See docs/jsonl.md.'
	});

/** A span in a release record (`attrs` `{}` when none, keys sorted; `source` absent for hand-made spans). */
export type ReleaseSpan = z.infer<typeof releaseSpanSchema>;
/** A relation in a release record. */
export type ReleaseRelation = z.infer<typeof releaseRelationSchema>;
/** One JSONL line of a release. */
export type ReleaseRecord = z.infer<typeof releaseRecordSchema>;

/** The statuses a record may have, in the schema's order. */
export const RECORD_STATUSES: readonly ReleaseRecord['status'][] = STATUSES;

/** Record keys in serialization order (the schema's). */
export const RECORD_KEYS = Object.keys(releaseRecordSchema.shape) as (keyof ReleaseRecord)[];
/** Span keys in serialization order (the schema's). */
export const SPAN_KEYS = Object.keys(releaseSpanSchema.shape) as (keyof ReleaseSpan)[];
/** Relation keys in serialization order (the schema's). */
export const RELATION_KEYS = Object.keys(releaseRelationSchema.shape) as (keyof ReleaseRelation)[];
/** Span keys a span may leave out (written only when set). */
export const OPTIONAL_SPAN_KEYS: ReadonlySet<string> = new Set(
	SPAN_KEYS.filter((k) => releaseSpanSchema.shape[k].safeParse(undefined).success)
);

// ---------------------------------------------------------------------------
// JSON Schema

type JsonSchemaNode = Record<string, unknown>;

/**
 * Keys of a schema node in the order the schema file has always had them (so that
 * deriving it changed no byte of docs/release-record.schema.json).
 */
const ROOT_FIRST = ['$schema', 'title', 'description'];
const NODE_ORDER = ['type', 'enum', 'additionalProperties', 'required', 'properties', 'minimum', 'minLength', 'pattern', 'description', 'items'];

/**
 * Drops what zod writes that says nothing about a JSON document:
 * - `maximum: Number.MAX_SAFE_INTEGER` on integers (zod's bound for JavaScript numbers;
 *   the record has no upper bounds);
 * - `propertyNames: {type: 'string'}` and `additionalProperties: {}` of a record of
 *   anything (JSON object keys are strings, any value is allowed);
 * - `type: 'string'` beside an `enum` of strings.
 */
function simplify(node: JsonSchemaNode): void {
	if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
	const names = node.propertyNames as JsonSchemaNode | undefined;
	if (names && Object.keys(names).length === 1 && names.type === 'string') delete node.propertyNames;
	const extra = node.additionalProperties;
	if (typeof extra === 'object' && extra !== null && Object.keys(extra).length === 0) delete node.additionalProperties;
	if (Array.isArray(node.enum) && node.type === 'string' && node.enum.every((e) => typeof e === 'string')) delete node.type;
}

function ordered(node: unknown, root: boolean): unknown {
	if (Array.isArray(node)) return node.map((n) => ordered(n, false));
	if (typeof node !== 'object' || node === null) return node;
	const src = node as JsonSchemaNode;
	const order = root ? [...ROOT_FIRST, ...NODE_ORDER.filter((k) => k !== 'description')] : NODE_ORDER;
	const keys = [...order.filter((k) => k in src), ...Object.keys(src).filter((k) => !order.includes(k))];
	const out: JsonSchemaNode = {};
	for (const k of keys) {
		out[k] =
			k === 'properties'
				? Object.fromEntries(Object.entries(src[k] as JsonSchemaNode).map(([p, v]) => [p, ordered(v, false)]))
				: k === 'enum' || k === 'required' || k === 'type'
					? src[k]
					: ordered(src[k], false);
	}
	return out;
}

/** The JSON Schema (draft 2020-12) of a zod schema, in the form of docs/release-record.schema.json. */
export function toReleaseJsonSchema(schema: z.ZodType): JsonSchemaNode {
	const derived = z.toJSONSchema(schema, {
		target: 'draft-2020-12',
		unrepresentable: 'throw',
		override: (ctx) => simplify(ctx.jsonSchema as JsonSchemaNode)
	});
	return ordered(derived, true) as JsonSchemaNode;
}

/** JSON Schema of a release record; docs/release-record.schema.json is `JSON.stringify(RELEASE_RECORD_SCHEMA, null, '\t') + '\n'`. */
export const RELEASE_RECORD_SCHEMA = toReleaseJsonSchema(releaseRecordSchema) as JsonSchemaNode & {
	required: string[];
	properties: Record<string, JsonSchemaNode>;
};

/** The text of docs/release-record.schema.json. */
export function releaseRecordSchemaFile(): string {
	return JSON.stringify(RELEASE_RECORD_SCHEMA, null, '\t') + '\n';
}
