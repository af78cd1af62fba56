/**
 * Names people choose (labels, usernames, dataset slugs): how they are stored and
 * when two of them are "the same name" to a reader.
 *
 * Stored form: NFC, trimmed (`normalizeName`).
 *
 * Look-alikes: two names collide when they differ only by case, whitespace or
 * characters that look the same (Cyrillic "с" for Latin "c", "0" for "O", "l"
 * for "I", "rn" for "m", full-width letters…). Confusable characters are the
 * Unicode TR39 confusables table (confusables.txt, via the `unhomoglyph` package,
 * which maps every character to its prototype); the skeleton is TR39's
 * `NFD(prototypes(NFD(s)))`, over the NFKD form so compatibility variants fold
 * too. Case is folded before and after the skeleton, since TR39's table is case
 * sensitive ("I" and "l" share a prototype, "i" does not). Server-side only: the
 * table is ~100 KB.
 */
import unhomoglyph from 'unhomoglyph';

/** The stored form of a name: NFC, no leading or trailing whitespace. */
export function normalizeName(name: string): string {
	return name.normalize('NFC').trim();
}

/** Whitespace and invisible characters: a name that differs only by them is the same name. */
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}]+/gu;

/** Unicode TR39 skeleton of `s`. */
export function skeleton(s: string): string {
	return unhomoglyph(s.normalize('NFD')).normalize('NFD');
}

/**
 * Keys under which two names collide: `claim`, `Claim`, ` claim `, `cla im`,
 * `сlaim` (Cyrillic с) and `ｃｌａｉｍ` share the first; `I` and `l` share the second.
 */
export function lookAlikeKeys(name: string): [string, string] {
	let keys = keyCache.get(name);
	if (!keys) {
		const bare = name.normalize('NFKD').replace(INVISIBLE, '');
		keys = [skeleton(skeleton(bare.toLowerCase()).toLowerCase()), skeleton(bare)];
		if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
		keyCache.set(name, keys);
	}
	return keys;
}

/** Names are compared with every other name of their kind on each creation: their keys are kept. */
const keyCache = new Map<string, [string, string]>();
const KEY_CACHE_SIZE = 10_000;

/** Whether `a` and `b` would be taken for the same name (equal names included). */
export function looksAlike(a: string, b: string): boolean {
	const [a1, a2] = lookAlikeKeys(a);
	const [b1, b2] = lookAlikeKeys(b);
	return a1 === b1 || a2 === b2;
}

/** The first of `existing` that `name` would be taken for, other than `name` itself. */
export function lookAlikeOf(name: string, existing: Iterable<string>): string | undefined {
	for (const other of existing) if (other !== name && looksAlike(name, other)) return other;
	return undefined;
}

/** The message that refuses `name` for looking like `existing`. */
export function lookAlikeMessage(kind: string, name: string, existing: string): string {
	return `${kind} "${name}" looks like the existing ${kind} "${existing}" (they differ only by case, spaces or look-alike characters)`;
}
