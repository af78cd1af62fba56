/**
 * Lookups keyed by names that come from outside (usernames, label names, document
 * ids, meta keys, import sources…). A plain object answers `o["constructor"]` with
 * `Object`, `o["toString"]` with a function, and `o["__proto__"] = x` replaces its
 * prototype, so a lookup keyed by such a name must never go through the prototype:
 *   - new lookups are `Map`s, or `dict()` (an object without a prototype) where the
 *     value has to be a JSON object (records on disk, API answers);
 *   - objects parsed from JSON keep `Object.prototype`: read them with `own()` and
 *     test them with `Object.hasOwn`, never with `o[name]` or `name in o`.
 * Names that cannot be made safe this way are refused at the edge (`reservedName`).
 */

export type Dict<T> = Record<string, T>;

/** An empty object without a prototype: `d[name]` is only ever what was put there. */
export function dict<T>(entries?: Iterable<readonly [string, T]>): Dict<T> {
	const d = Object.create(null) as Dict<T>;
	if (entries) for (const [k, v] of entries) d[k] = v;
	return d;
}

/** `o[key]` if `key` is `o`'s own property, else undefined (inherited members are not answers). */
export function own<T>(o: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
	return o != null && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** The Map's entries as a prototype-free object, keys in code unit order (stable JSON for the API). */
export function sortedDict<T>(m: ReadonlyMap<string, T> | Iterable<readonly [string, T]>): Dict<T> {
	const entries = [...(m instanceof Map ? m.entries() : m)] as Array<readonly [string, T]>;
	return dict(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Names no external name may take: `__proto__` is the one key that JSON.parse,
 * object spread, `Object.assign` and most libraries treat differently from every
 * other (assigning it replaces an object's prototype instead of storing a value),
 * so a record on disk could not hold it safely. Every other `Object.prototype`
 * member name (`constructor`, `toString`…) is an ordinary name here.
 */
export function reservedName(name: string): string | null {
	return name === '__proto__' ? `"__proto__" is reserved: JavaScript objects read it as their prototype, so it cannot be a name` : null;
}

/**
 * Where parsed JSON holds a reserved key (`reservedName`) at any depth, as a path
 * like `meta.source.__proto__`, or null. Iterative and linear in the size of the
 * value (the path is only spelled out for the key found), so any depth is safe.
 */
export function reservedKeyPath(value: unknown, root: string): string | null {
	// every object or array met: its parent's index and its key there
	const parents: number[] = [-1];
	const keyIn: string[] = [root];
	const values: unknown[] = [value];
	const pathOf = (node: number, last: string) => {
		const parts = [last];
		for (let n = node; n !== -1; n = parents[n]) parts.push(keyIn[n]);
		return parts.reverse().join('');
	};
	for (let node = 0; node < values.length; node++) {
		const v = values[node];
		if (Array.isArray(v)) {
			v.forEach((item, i) => {
				if (typeof item === 'object' && item !== null) {
					parents.push(node);
					keyIn.push(`[${i}]`);
					values.push(item);
				}
			});
		} else if (typeof v === 'object' && v !== null) {
			for (const [k, item] of Object.entries(v)) {
				if (reservedName(k) !== null) return pathOf(node, `.${k}`);
				if (typeof item === 'object' && item !== null) {
					parents.push(node);
					keyIn.push(`.${k}`);
					values.push(item);
				}
			}
		}
	}
	return null;
}
