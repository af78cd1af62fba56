/**
 * PLACEHOLDER until h-relcore lands (the shared contract): relcore owns this
 * module (relation ids, the relation-type schema, validation). Only what the
 * annotation view needs is here, exactly as the contract fixes it.
 */
export interface RelationType {
	name: string;
	key: string;
	from: string[];
	to: string[];
}

export interface Relation {
	id: string;
	from: string;
	to: string;
	label: string;
}

const utf8 = new TextEncoder();

/** 'r' + FNV-1a 64 (hex) of `${from}>${to}:${label}` over UTF-8, as spanId. */
export function relationId(r: { from: string; to: string; label: string }): string {
	let h = 0xcbf29ce484222325n;
	for (const b of utf8.encode(`${r.from}>${r.to}:${r.label}`)) {
		h ^= BigInt(b);
		h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
	}
	return 'r' + h.toString(16).padStart(16, '0');
}
