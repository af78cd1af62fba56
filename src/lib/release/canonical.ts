/**
 * Canonical JSON: the one serialization of JSON-like values whose output depends only
 * on their content (object keys in code-unit order, recursively). Release lines and
 * the diff's comparison of attributes are written with it.
 */

/** Plain UTF-16 code-unit comparison (JavaScript `<`), locale independent. */
export function compareCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical JSON of a JSON-like value: like JSON.stringify (same escaping, `undefined`
 * and functions dropped from objects and `null` in arrays, non-finite numbers -> null,
 * `toJSON` honoured), but object keys are always written in code-unit order, recursively
 * — also integer-like keys, which JavaScript objects would otherwise enumerate first.
 */
export function canonicalJson(value: unknown): string {
	const out = canon(value, new Set());
	return out === undefined ? 'null' : out;
}

function canon(v: unknown, seen: Set<object>): string | undefined {
	if (v === null) return 'null';
	switch (typeof v) {
		case 'string':
			return JSON.stringify(v);
		case 'number':
			return Number.isFinite(v) ? JSON.stringify(v) : 'null';
		case 'boolean':
			return v ? 'true' : 'false';
		case 'bigint':
			throw new TypeError('canonicalJson: BigInt is not JSON');
		case 'undefined':
		case 'function':
		case 'symbol':
			return undefined;
	}
	const obj = v as Record<string, unknown> & { toJSON?: () => unknown };
	if (typeof obj.toJSON === 'function') return canon(obj.toJSON(), seen);
	if (seen.has(obj)) throw new TypeError('canonicalJson: cyclic structure');
	seen.add(obj);
	let s: string;
	if (Array.isArray(obj)) {
		s = '[' + obj.map((x) => canon(x, seen) ?? 'null').join(',') + ']';
	} else {
		const parts: string[] = [];
		for (const k of Object.keys(obj).sort(compareCodeUnits)) {
			const c = canon(obj[k], seen);
			if (c !== undefined) parts.push(JSON.stringify(k) + ':' + c);
		}
		s = '{' + parts.join(',') + '}';
	}
	seen.delete(obj);
	return s;
}

/**
 * Whether `canonicalJson(a) === canonicalJson(b)`, without writing either (the diff of two releases compares
 * every field of every record: at 100,000 documents × 3 sets, writing them took a minute). Walks both values
 * side by side (objects by their own enumerable keys, `toJSON` honoured, as canonicalJson does; no cycles).
 */
export function sameJson(a: unknown, b: unknown): boolean {
	a = asJson(a);
	b = asJson(b);
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (!sameJson(dropped(a[i]) ? null : a[i], dropped(b[i]) ? null : b[i])) return false;
		return true;
	}
	const x = a as Record<string, unknown>;
	const y = b as Record<string, unknown>;
	const keys = Object.keys(x).filter((k) => !dropped(x[k]));
	if (keys.length !== Object.keys(y).filter((k) => !dropped(y[k])).length) return false;
	for (const k of keys) if (!Object.hasOwn(y, k) || dropped(y[k]) || !sameJson(x[k], y[k])) return false;
	return true;
}

/** what canonicalJson leaves out of an object (and writes as null in an array) */
const dropped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** the value canonicalJson writes for `v`: a number that is not finite as null, an object with `toJSON` as what it gives */
function asJson(v: unknown): unknown {
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') return asJson((v as { toJSON: () => unknown }).toJSON());
	return v;
}

/** Deep copy with object keys inserted in code-unit order (what JSON.parse(canonicalJson(v)) gives). */
export function sortKeysDeep<T>(value: T): T {
	return JSON.parse(canonicalJson(value)) as T;
}
