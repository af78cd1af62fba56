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

/** Deep copy with object keys inserted in code-unit order (what JSON.parse(canonicalJson(v)) gives). */
export function sortKeysDeep<T>(value: T): T {
	return JSON.parse(canonicalJson(value)) as T;
}
