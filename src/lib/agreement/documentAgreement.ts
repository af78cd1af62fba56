/**
 * One document's agreement, from the compact span keys each set's summary keeps
 * (`SetSummary.keys`), so that the document list can filter on "has
 * disagreement" and sort by agreement without reading a single set.
 *
 * A span's key is (label, start, end): the exact matching of spanF1.ts. Attributes,
 * relations and comments are not compared (the agreement page reports them). Each
 * key is kept as a 32-bit hash; a set's keys are the sorted hashes (a multiset),
 * 4 bytes each, in base64: 30 spans are 160 characters. Two different spans of one
 * document share a hash with odds of about 1 in 4 billion, so two 30-span sets
 * are scored as if one pair matched when it did not about once in 5 million pairs.
 *
 * The figure: the mean over pairs of sets of the pair's exact span F1
 * (2·matched / (|A| + |B|), spanF1.ts), where two empty sets agree fully (1: both
 * found nothing); null for fewer than two sets. So a document's figure is 1 exactly
 * when every set has the same spans, which is when `keysDiffer` is false.
 */

/** FNV-1a over the key's UTF-16 code units, then murmur3's finaliser for the spread of short keys */
function hashKey(label: string, start: number, end: number): number {
	const key = `${label}\u0000${start}\u0000${end}`;
	let h = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) {
		h ^= key.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** A set's span keys as its summary keeps them: sorted 32-bit hashes, big-endian, base64 ('' for no spans). */
export function spanKeysOf(spans: readonly { label: string; start: number; end: number }[]): string {
	if (spans.length === 0) return '';
	const hashes = new Uint32Array(spans.length);
	for (let i = 0; i < spans.length; i++) hashes[i] = hashKey(spans[i].label, spans[i].start, spans[i].end);
	hashes.sort();
	let bytes = '';
	for (const h of hashes) bytes += String.fromCharCode(h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255);
	return btoa(bytes);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** base64 character code → its 6 bits; 255: not base64 */
const SEXTET = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) SEXTET[BASE64.charCodeAt(i)] = i;

/**
 * By hand rather than through atob (a binary string, then its codes): the agreement sort
 * decodes every done set of the list, and this is several times faster.
 * @throws Error on a string that is not what spanKeysOf writes (a corrupt summary is never scored)
 */
export function decodeSpanKeys(keys: string): Uint32Array {
	if (keys === '') return new Uint32Array(0);
	const padding = keys.endsWith('==') ? 2 : keys.endsWith('=') ? 1 : 0;
	const bytes = (keys.length / 4) * 3 - padding;
	if (keys.length % 4 !== 0 || bytes % 4 !== 0) throw new Error(`span keys of ${keys.length} characters: not a whole number of keys`);
	const out = new Uint32Array(bytes / 4);
	let acc = 0;
	let bits = 0;
	let word = 0;
	let n = 0;
	let k = 0;
	for (let i = 0; i < keys.length - padding; i++) {
		const c = keys.charCodeAt(i);
		const v = c < 128 ? SEXTET[c] : 255;
		if (v === 255) throw new Error(`span keys: "${keys[i]}" is not base64`);
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			word = (word << 8) | ((acc >>> bits) & 255);
			if (++n === 4) {
				out[k++] = word >>> 0;
				word = 0;
				n = 0;
			}
		}
	}
	return out;
}

/** keys both sorted multisets share (each used once) */
function sharedKeys(a: Uint32Array, b: Uint32Array): number {
	let i = 0;
	let j = 0;
	let matched = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			matched++;
			i++;
			j++;
		} else if (a[i] < b[j]) i++;
		else j++;
	}
	return matched;
}

/** Whether at least two of the sets differ (the same spans are the same keys, as spanKeysOf writes them canonically). */
export function keysDiffer(keys: readonly string[]): boolean {
	for (let i = 1; i < keys.length; i++) if (keys[i] !== keys[0]) return true;
	return false;
}

/** Mean pairwise exact span F1 of the sets (each given by its keys); null with fewer than two sets. */
export function documentAgreement(keys: readonly string[]): number | null {
	if (keys.length < 2) return null;
	if (!keysDiffer(keys)) return 1;
	const decoded = keys.map(decodeSpanKeys);
	let sum = 0;
	let pairs = 0;
	for (let i = 0; i < decoded.length; i++) {
		for (let j = i + 1; j < decoded.length; j++) {
			const a = decoded[i];
			const b = decoded[j];
			sum += a.length + b.length === 0 ? 1 : (2 * sharedKeys(a, b)) / (a.length + b.length);
			pairs++;
		}
	}
	return sum / pairs;
}
