/**
 * Test-only helpers (imported by *.test.ts only).
 *
 * `checkJsonSchema` is a small, strict JSON Schema (2020-12) checker for exactly the
 * subset RELEASE_RECORD_SCHEMA uses: type (string or array of strings), required,
 * properties, additionalProperties (false or a schema), items (schema or boolean),
 * enum, minimum, minLength (in code points), pattern (unicode regex), boolean schemas.
 * Annotation keywords ($schema, $id, title, description, $comment) are ignored.
 * Any other keyword throws, so the schema cannot silently use something unchecked.
 */

type Schema = boolean | { [k: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment']);
const SUPPORTED = new Set([
	'type',
	'required',
	'properties',
	'additionalProperties',
	'items',
	'enum',
	'minimum',
	'minLength',
	'pattern'
]);

function typeOf(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
	return typeof v; // string, boolean, object, undefined, ...
}

function hasType(v: unknown, t: string): boolean {
	const actual = typeOf(v);
	if (t === 'number') return actual === 'number' || actual === 'integer';
	if (!['null', 'boolean', 'object', 'array', 'number', 'string', 'integer'].includes(t))
		throw new Error(`schema: unknown type ${t}`);
	return actual === t;
}

function deepEqual(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Returns a list of errors ("path: message"); [] when `value` is valid. */
export function checkJsonSchema(schema: Schema, value: unknown, path = '$'): string[] {
	if (schema === true) return [];
	if (schema === false) return [`${path}: not allowed`];
	for (const k of Object.keys(schema)) {
		if (!ANNOTATIONS.has(k) && !SUPPORTED.has(k)) throw new Error(`schema: unsupported keyword ${k} at ${path}`);
	}
	const errors: string[] = [];
	if ('type' in schema) {
		const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
		if (!types.some((t) => hasType(value, t))) {
			errors.push(`${path}: expected ${types.join('|')}, got ${typeOf(value)}`);
			return errors;
		}
	}
	if ('enum' in schema && !(schema.enum as unknown[]).some((e) => deepEqual(e, value)))
		errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
	if (typeof value === 'number' && 'minimum' in schema && value < (schema.minimum as number))
		errors.push(`${path}: ${value} < minimum ${schema.minimum}`);
	if (typeof value === 'string') {
		if ('minLength' in schema && Array.from(value).length < (schema.minLength as number))
			errors.push(`${path}: shorter than ${schema.minLength}`);
		if ('pattern' in schema && !new RegExp(schema.pattern as string, 'u').test(value))
			errors.push(`${path}: does not match ${schema.pattern}`);
	}
	if (Array.isArray(value) && 'items' in schema) {
		value.forEach((item, i) => errors.push(...checkJsonSchema(schema.items as Schema, item, `${path}[${i}]`)));
	}
	if (typeOf(value) === 'object') {
		const obj = value as Record<string, unknown>;
		for (const r of (schema.required as string[] | undefined) ?? []) {
			if (!Object.prototype.hasOwnProperty.call(obj, r)) errors.push(`${path}: missing ${r}`);
		}
		const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
		for (const [k, v] of Object.entries(obj)) {
			if (Object.prototype.hasOwnProperty.call(props, k)) errors.push(...checkJsonSchema(props[k], v, `${path}.${k}`));
			else if ('additionalProperties' in schema)
				errors.push(...checkJsonSchema(schema.additionalProperties as Schema, v, `${path}.${k}`));
		}
	}
	return errors;
}

/** Deterministic PRNG (mulberry32) for shuffles. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function shuffle<T>(items: readonly T[], rand: () => number): T[] {
	const a = [...items];
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[a[i], a[j]] = [a[j], a[i]];
	}
	return a;
}

/** Same object with keys re-inserted in a random order, recursively. */
export function shuffleKeys<T>(value: T, rand: () => number): T {
	if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand)) as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const k of shuffle(Object.keys(value), rand)) out[k] = shuffleKeys((value as Record<string, unknown>)[k], rand);
		return out as T;
	}
	return value;
}

// ---------------------------------------------------------------------------
// the worked example (offsets computed with python3 and hard-coded)

/** U+1F468 ZWJ U+1F469 ZWJ U+1F467: 5 code points, 8 UTF-16 units */
export const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
/** U+2000B, a CJK ideograph outside the BMP */
export const CJK = '\u{2000B}';
/** "café" with a combining acute accent: 5 code points */
export const CAFE = 'cafe\u0301';
export const AR_SAID = '\u0642\u0627\u0644';
export const AR_PRESIDENT = '\u0627\u0644\u0631\u0626\u064a\u0633';
export const AR_THAT = '\u0625\u0646';
export const AR_ECONOMY_GROWS = '\u0627\u0644\u0627\u0642\u062a\u0635\u0627\u062f \u064a\u0646\u0645\u0648';

/** 82 code points, CRLF line ends, Arabic (RTL) middle line */
export const WORKED_TEXT =
	`Reuters said ${CAFE} prices rose 5% ${FAMILY} ${CJK}.\r\n` +
	`${AR_SAID} ${AR_PRESIDENT} ${AR_THAT} ${AR_ECONOMY_GROWS}\r\n` +
	'On 3 May.';

/** python3: hashlib.sha256(T.encode()).hexdigest() */
export const WORKED_SHA256 = '2be613da571f92ce07bf02c19900535f3c390f0de22f0ed6af52f20025835c52';

/** [id, label, start, end, text]; offsets from python3 `T.index(...)` */
export const WORKED_SPANS: Array<[string, string, number, number, string]> = [
	['s-a1', 'attribution', 0, 7, 'Reuters'],
	['s-c1', 'claim', 13, 33, `${CAFE} prices rose 5%`],
	['s-f1', 'framing', 19, 30, 'prices rose'],
	['s-f2', 'framing', 34, 41, `${FAMILY} ${CJK}`],
	['s-a2', 'attribution', 48, 54, AR_PRESIDENT],
	['s-c2', 'claim', 58, 71, AR_ECONOMY_GROWS],
	['s-d1', 'date', 76, 81, '3 May']
];

export const WORKED_META = {
	source: 'Reuters',
	lang: 'mul',
	extra: { z: 1, a: [{ b: 2, a: 1 }], '10': true, '9': false }
};
