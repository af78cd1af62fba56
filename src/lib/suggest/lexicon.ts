/**
 * The dataset lexicon (INCEpTION's string matcher): every surface string that
 * an accepted span carries is suggested where it occurs again, with the label
 * that string got most often and, as its score, the share of that label.
 *
 * Strings are compared case-folded, with runs of whitespace as one space and
 * the typographic apostrophe as ', on word boundaries (a letter or digit on
 * neither side). Matching is leftmost-longest over a trie of the entries: from
 * each word start the walk goes at most MAX_ENTRY_CHARS deep, so the cost is
 * linear in the text whatever the entries. (An Aho–Corasick package such as
 * modern-ahocorasick reports every overlapping match instead, which is
 * quadratic on repetitive text and still needs this offset mapping.)
 *
 * Which spans feed the lexicon (gold, the caller's own: blind annotation) is
 * the server's business (src/lib/server/suggest/suggestions.ts); this module is pure.
 */
import type { Suggested, SuggestionSource } from './types';

export const MAX_ENTRY_CHARS = 200;
export const MIN_ENTRY_CHARS = 2;

export interface LexiconEntry {
	text: string;
	label: string;
	/** how many times (default 1) */
	count?: number;
}

interface TrieNode {
	next: Map<number, TrieNode>;
	/** the entry key ending here */
	key?: string;
}

export interface Lexicon {
	/** normalised string → label → count */
	readonly counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
	readonly size: number;
	/** bumped by every `add` that changed a count: what a cache of matches is keyed by */
	readonly version: number;
	/** adds entries (sign 1) or takes them back out (sign -1) */
	add(entries: Iterable<LexiconEntry>, sign?: 1 | -1): void;
	/**
	 * Leftmost-longest matches in `text`, of the given labels only; `exclude`
	 * counts as taken out for this match only (the document's own gold, so gold
	 * is never suggested back onto the document it came from).
	 */
	match(text: string, labels?: readonly string[], exclude?: Iterable<LexiconEntry>): Suggested[];
}

const SPACE = 0x20;
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x3000 || c === 0x85 || c === 0x2028 || c === 0x2029;
const WORD = /[\p{L}\p{N}\p{M}]/u;
const lowerCache = new Map<number, number>();

function fold(c: number): number {
	if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
	if (c === 0x2019 || c === 0x2bc) return 0x27; // ’ ʼ → '
	let f = lowerCache.get(c);
	if (f === undefined) {
		const lower = String.fromCodePoint(c).toLowerCase();
		f = lower.length === (c > 0xffff ? 2 : 1) ? lower.codePointAt(0)! : c; // one code point to one, or unchanged
		if (lowerCache.size < 10_000) lowerCache.set(c, f);
	}
	return f;
}

const wordCache = new Map<number, boolean>();
function isWordChar(c: number): boolean {
	if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
	let w = wordCache.get(c);
	if (w === undefined) {
		w = WORD.test(String.fromCodePoint(c));
		if (wordCache.size < 10_000) wordCache.set(c, w);
	}
	return w;
}

/** The normalised form of a string: case-folded, whitespace runs as one space, trimmed. */
export function normaliseSurface(text: string): string {
	let out = '';
	let pendingSpace = false;
	for (const ch of text) {
		const c = ch.codePointAt(0)!;
		if (isSpace(c)) {
			pendingSpace = out.length > 0;
			continue;
		}
		if (pendingSpace) out += ' ';
		pendingSpace = false;
		out += String.fromCodePoint(fold(c));
	}
	return out;
}

/** Builds a lexicon from entries; entries whose normalised text is shorter than 2 or longer than 200 code points are left out. */
export function buildLexicon(entries: Iterable<LexiconEntry> = []): Lexicon {
	const counts = new Map<string, Map<string, number>>();
	const root: TrieNode = { next: new Map() };

	let version = 0;
	function add(list: Iterable<LexiconEntry>, sign: 1 | -1 = 1) {
		for (const e of list) {
			version++;
			const key = normaliseSurface(e.text);
			const length = [...key].length;
			if (length < MIN_ENTRY_CHARS || length > MAX_ENTRY_CHARS) continue;
			let byLabel = counts.get(key);
			if (!byLabel) {
				if (sign < 0) continue;
				byLabel = new Map();
				counts.set(key, byLabel);
				let node = root;
				for (const ch of key) {
					const c = ch.codePointAt(0)!;
					let child = node.next.get(c);
					if (!child) {
						child = { next: new Map() };
						node.next.set(c, child);
					}
					node = child;
				}
				node.key = key;
			}
			const n = (byLabel.get(e.label) ?? 0) + sign * (e.count ?? 1);
			if (n > 0) byLabel.set(e.label, n);
			else byLabel.delete(e.label);
		}
	}
	add(entries);

	/** the label a string got most often (ties: the first name), and its share */
	const bestFor = (key: string, labels: readonly string[] | undefined, minus: Map<string, Map<string, number>>) => {
		let total = 0;
		let top: { label: string; n: number } | null = null;
		const less = minus.get(key);
		for (const [label, count] of counts.get(key)!) {
			if (labels && !labels.includes(label)) continue;
			const n = count - (less?.get(label) ?? 0);
			if (n <= 0) continue;
			total += n;
			if (!top || n > top.n || (n === top.n && label < top.label)) top = { label, n };
		}
		return top ? { label: top.label, score: Math.round((1000 * top.n) / total) / 1000 } : null;
	};

	function match(text: string, labels?: readonly string[], exclude: Iterable<LexiconEntry> = []): Suggested[] {
		const minus = new Map<string, Map<string, number>>();
		for (const e of exclude) {
			const key = normaliseSurface(e.text);
			if (!counts.has(key)) continue;
			let byLabel = minus.get(key);
			if (!byLabel) minus.set(key, (byLabel = new Map()));
			byLabel.set(e.label, (byLabel.get(e.label) ?? 0) + (e.count ?? 1));
		}
		// the text as folded code points, whitespace runs as one space; origin[i] = code point offset of norm[i]
		const norm = new Int32Array(text.length);
		const origin = new Int32Array(text.length);
		const word = new Uint8Array(text.length);
		let length = 0;
		let cp = 0;
		let lastSpace = true;
		for (let u = 0; u < text.length; u++) {
			let c = text.charCodeAt(u);
			if (c >= 0xd800 && c <= 0xdbff && u + 1 < text.length) {
				const low = text.charCodeAt(u + 1);
				if (low >= 0xdc00 && low <= 0xdfff) {
					c = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
					u++;
				}
			}
			if (isSpace(c)) {
				if (!lastSpace) {
					norm[length] = SPACE;
					origin[length] = cp;
					word[length] = 0;
					length++;
				}
				lastSpace = true;
			} else {
				norm[length] = fold(c);
				origin[length] = cp;
				word[length] = isWordChar(c) ? 1 : 0;
				length++;
				lastSpace = false;
			}
			cp++;
		}
		const best = new Map<string, { label: string; score: number } | null>();
		const bestOf = (key: string) => {
			let b = best.get(key);
			if (b === undefined) best.set(key, (b = bestFor(key, labels, minus)));
			return b;
		};
		const out: Suggested[] = [];
		const ends: Array<{ key: string; end: number }> = [];
		let i = 0;
		while (i < length) {
			if (norm[i] === SPACE || (i > 0 && word[i - 1] && word[i])) {
				i++;
				continue;
			}
			let node: TrieNode | undefined = root;
			ends.length = 0;
			for (let j = i; j < length && j - i < MAX_ENTRY_CHARS; j++) {
				node = node.next.get(norm[j]);
				if (!node) break;
				if (node.key !== undefined && !(word[j] && j + 1 < length && word[j + 1])) ends.push({ key: node.key, end: j + 1 });
			}
			let matched = false;
			for (let k = ends.length - 1; k >= 0; k--) {
				const found = bestOf(ends[k].key);
				if (!found) continue;
				out.push({ start: origin[i], end: origin[ends[k].end - 1] + 1, label: found.label, score: found.score });
				i = ends[k].end;
				matched = true;
				break;
			}
			if (!matched) i++;
		}
		return out;
	}

	return {
		counts,
		get size() {
			return counts.size;
		},
		get version() {
			return version;
		},
		add,
		match
	};
}

export function lexiconSource(): SuggestionSource {
	return {
		name: 'lexicon',
		yields: true,
		suggest: (document, context) => (context.lexicon ? context.lexicon.match(document.text, context.labels) : [])
	};
}

// ---------------------------------------------------------------------------
// gazetteer: TSV `text<TAB>label`, one entry a line

export const MAX_GAZETTEER_ENTRIES = 50_000;
export const MAX_GAZETTEER_BYTES = 4 * 1024 * 1024;

export interface GazetteerProblem {
	line: number;
	message: string;
}

/**
 * Parses a gazetteer: one `text<TAB>label` a line; blank lines and lines
 * starting with `#` are skipped. Every problem is named by its 1-based line;
 * a gazetteer with problems is refused whole.
 */
export function parseGazetteer(tsv: string, labels: readonly string[]): { entries: LexiconEntry[]; problems: GazetteerProblem[] } {
	const entries: LexiconEntry[] = [];
	const problems: GazetteerProblem[] = [];
	const problem = (line: number, message: string) => {
		if (problems.length < 50) problems.push({ line, message: `line ${line}: ${message}` });
	};
	const lines = tsv.replace(/^\uFEFF/, '').split(/\r?\n/);
	lines.forEach((raw, i) => {
		const line = i + 1;
		if (raw.trim() === '' || raw.startsWith('#')) return;
		const tab = raw.indexOf('\t');
		if (tab < 0) return problem(line, 'expected text<TAB>label');
		const text = raw.slice(0, tab);
		const label = raw.slice(tab + 1).trim();
		if (label.includes('\t')) return problem(line, 'more than two columns: expected text<TAB>label');
		const key = normaliseSurface(text);
		const length = [...key].length;
		if (length < MIN_ENTRY_CHARS) return problem(line, `the text must have at least ${MIN_ENTRY_CHARS} characters`);
		if (length > MAX_ENTRY_CHARS) return problem(line, `the text is longer than ${MAX_ENTRY_CHARS} characters`);
		if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return problem(line, 'the text contains control characters');
		if (!labels.includes(label)) return problem(line, `no label ${JSON.stringify(label.slice(0, 60))} in this dataset (labels: ${labels.join(', ')})`);
		if (entries.length >= MAX_GAZETTEER_ENTRIES) return problem(line, `more than ${MAX_GAZETTEER_ENTRIES} entries`);
		entries.push({ text: key, label });
	});
	return { entries, problems };
}
