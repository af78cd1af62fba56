/**
 * An inverted index of words and word pairs, in memory, for the file store's
 * document search (search.ts). Each document gets an ordinal in the order it is
 * added; a posting list is a growable Uint32Array of ordinals, ascending, each
 * ordinal once. Three families of lists:
 *  - `words[w]`: the documents whose title or text holds word w;
 *  - `titles[w]`: the documents whose title holds word w (for the ranking);
 *  - `pairs[(a, b)]`: the documents where word b directly follows word a in the
 *    title or in the text (never across the two): a two-word phrase is one
 *    lookup, a longer one the intersection of its pairs, verified on the text.
 * And each document's word sequence, title then text, as varint-coded word ids
 * (id + 1; 0 between title and text) in one Uint8Array: the words met first
 * get the small ids, so a common word is one byte. A phrase of three words or
 * more is checked on it, never on the files (a phrase every title holds would
 * otherwise read every document).
 * A query intersects the lists rarest first, driving with the shortest and
 * probing the others by binary search, so a word every document holds (`le`)
 * costs a probe per candidate, not a walk of its list. Words are folded by the
 * caller ($lib/text/fold): the index compares strings as given. Word ids live
 * in a Map (never a plain object), so `__proto__` is a word like any other.
 */

export class Postings {
	ids: Uint32Array<ArrayBufferLike> = new Uint32Array(2);
	length = 0;

	/** Appends `doc` unless it is the last one already (documents are added in ordinal order). */
	add(doc: number): void {
		if (this.length > 0 && this.ids[this.length - 1] === doc) return;
		if (this.length === this.ids.length) {
			const grown = new Uint32Array(this.ids.length < 1024 ? this.ids.length * 2 : Math.ceil(this.ids.length * 1.25));
			grown.set(this.ids);
			this.ids = grown;
		}
		this.ids[this.length++] = doc;
	}

	has(doc: number): boolean {
		let lo = 0;
		let hi = this.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const v = this.ids[mid];
			if (v === doc) return true;
			if (v < doc) lo = mid + 1;
			else hi = mid - 1;
		}
		return false;
	}
}

export class WordIndex {
	/** ordinal → document id */
	readonly docs: string[] = [];
	private readonly ordinals = new Map<string, number>();
	private readonly wordIds = new Map<string, number>();
	private readonly words: Postings[] = [];
	private readonly titles: Postings[] = [];
	/** pairs[a].get(b): small-integer keys, V8's fast Map case */
	private readonly pairs: Map<number, Postings>[] = [];
	private readonly sequences: Uint8Array[] = [];
	private scratch = new Uint8Array(1 << 16);
	private used = 0;

	/**
	 * The index as Uint32 sections (searchIndexFile.ts writes them in order):
	 * for each word id its word list then its title list, each as length then
	 * ordinals; then for each word id its pair count and, per pair, the second
	 * word id and the list; then each document's sequence as byte length and
	 * bytes padded to 4. The documents' ids and the words are the caller's.
	 */
	*sections(): Generator<Uint32Array> {
		const list = (p: Postings) => [Uint32Array.of(p.length), p.ids.subarray(0, p.length)];
		for (let w = 0; w < this.words.length; w++) yield* [...list(this.words[w]), ...list(this.titles[w])];
		for (let w = 0; w < this.words.length; w++) {
			yield Uint32Array.of(this.pairs[w].size);
			for (const [b, p] of this.pairs[w]) yield* [Uint32Array.of(b), ...list(p)];
		}
		for (const seq of this.sequences) {
			const padded = new Uint8Array(Math.ceil(seq.length / 4) * 4);
			padded.set(seq);
			yield Uint32Array.of(seq.length);
			yield new Uint32Array(padded.buffer);
		}
	}

	/** The inverse of `sections`, over one Uint32Array; throws on anything out of bounds (the caller rebuilds). */
	static fromSections(docs: string[], words: string[], data: Uint32Array): WordIndex {
		const ix = new WordIndex();
		let at = 0;
		const take = (n: number) => {
			if (at + n > data.length) throw new Error('search index file: truncated');
			const out = data.subarray(at, at + n);
			at += n;
			return out;
		};
		const list = () => {
			const n = take(1)[0];
			const p = new Postings();
			p.ids = take(n);
			p.length = n;
			for (let i = 0; i < n; i++) if (p.ids[i] >= docs.length || (i > 0 && p.ids[i] <= p.ids[i - 1])) throw new Error('search index file: bad list');
			return p;
		};
		for (const w of words) ix.idOf(w);
		if (ix.words.length !== words.length) throw new Error('search index file: repeated word');
		for (let w = 0; w < words.length; w++) {
			ix.words[w] = list();
			ix.titles[w] = list();
		}
		for (let w = 0; w < words.length; w++) {
			const count = take(1)[0];
			for (let k = 0; k < count; k++) {
				const b = take(1)[0];
				if (b >= words.length) throw new Error('search index file: bad pair');
				ix.pairs[w].set(b, list());
			}
		}
		for (const id of docs) {
			if (ix.ordinals.has(id)) throw new Error('search index file: repeated document');
			const bytes = take(1)[0];
			const words32 = take(Math.ceil(bytes / 4));
			ix.ordinals.set(id, ix.docs.length);
			ix.docs.push(id);
			ix.sequences.push(new Uint8Array(words32.buffer, words32.byteOffset, bytes));
		}
		if (at !== data.length) throw new Error('search index file: trailing data');
		return ix;
	}

	/** Gives back the lists' spare room (growth by doubling leaves up to half of a list unused): after a build. */
	compact(): void {
		const trim = (p: Postings) => {
			if (p.ids.length > p.length) p.ids = p.ids.slice(0, p.length);
		};
		this.words.forEach(trim);
		this.titles.forEach(trim);
		for (const following of this.pairs) following.forEach(trim);
	}

	/** The words by id (for the file). */
	wordList(): string[] {
		return [...this.wordIds.keys()];
	}

	get size(): number {
		return this.docs.length;
	}

	has(id: string): boolean {
		return this.ordinals.has(id);
	}

	private idOf(word: string): number {
		let id = this.wordIds.get(word);
		if (id === undefined) {
			id = this.words.length;
			this.wordIds.set(word, id);
			this.words.push(new Postings());
			this.titles.push(new Postings());
			this.pairs.push(new Map());
		}
		return id;
	}

	private put(value: number): void {
		if (this.used + 5 > this.scratch.length) {
			const grown = new Uint8Array(this.scratch.length * 2);
			grown.set(this.scratch);
			this.scratch = grown;
		}
		while (value >= 0x80) {
			this.scratch[this.used++] = (value & 0x7f) | 0x80;
			value = Math.floor(value / 0x80);
		}
		this.scratch[this.used++] = value;
	}

	private addField(doc: number, words: string[], title: boolean): void {
		let previous = -1;
		for (const w of words) {
			const id = this.idOf(w);
			this.put(id + 1);
			this.words[id].add(doc);
			if (title) this.titles[id].add(doc);
			if (previous >= 0) {
				const following = this.pairs[previous];
				let list = following.get(id);
				if (!list) following.set(id, (list = new Postings()));
				list.add(doc);
			}
			previous = id;
		}
	}

	/** Adds a document by its folded title and text words; a document already in is left as it is. */
	add(id: string, titleWords: string[], textWords: string[]): void {
		if (this.ordinals.has(id)) return;
		const doc = this.docs.length;
		this.docs.push(id);
		this.ordinals.set(id, doc);
		this.used = 0;
		this.addField(doc, titleWords, true);
		this.put(0);
		this.addField(doc, textWords, false);
		this.sequences.push(this.scratch.slice(0, this.used));
	}

	/** Whether the document's title or text holds the words in this order, next to each other. */
	holdsPhrase(doc: number, phrase: string[]): boolean {
		const want: number[] = [];
		for (const w of phrase) {
			const id = this.wordIds.get(w);
			if (id === undefined) return false;
			want.push(id + 1);
		}
		if (want.length === 0) return false;
		const seq = this.sequences[doc];
		// the last want.length codes, as a ring; a field break (0) never matches a word
		const ring = new Array<number>(want.length).fill(-1);
		let seen = 0;
		let value = 0;
		let scale = 1;
		for (let i = 0; i < seq.length; i++) {
			const byte = seq[i];
			value += (byte & 0x7f) * scale;
			if (byte & 0x80) {
				scale *= 0x80;
				continue;
			}
			const code = value;
			ring[seen % want.length] = code;
			seen++;
			value = 0;
			scale = 1;
			if (seen < want.length || code !== want[want.length - 1]) continue;
			let k = 0;
			while (k < want.length && ring[(seen + k) % want.length] === want[k]) k++;
			if (k === want.length) return true;
		}
		return false;
	}

	private pairList(a: string, b: string): Postings | undefined {
		const ia = this.wordIds.get(a);
		const ib = this.wordIds.get(b);
		if (ia === undefined || ib === undefined) return undefined;
		return this.pairs[ia].get(ib);
	}

	/**
	 * The ordinals of the documents holding every word and, for each phrase
	 * (folded words joined by one space), each of its words (one word) or each
	 * of its adjacent pairs (two or more), ascending. For a phrase of three
	 * words or more this is a superset: the caller checks the order on the text.
	 */
	candidates(words: string[], phrases: string[]): number[] {
		const lists: Postings[] = [];
		for (const w of words) {
			const id = this.wordIds.get(w);
			if (id === undefined) return [];
			lists.push(this.words[id]);
		}
		for (const p of phrases) {
			const ws = p.split(' ');
			if (ws.length === 1) {
				const id = this.wordIds.get(ws[0]);
				if (id === undefined) return [];
				lists.push(this.words[id]);
				continue;
			}
			for (let i = 1; i < ws.length; i++) {
				const list = this.pairList(ws[i - 1], ws[i]);
				if (!list) return [];
				lists.push(list);
			}
		}
		if (lists.length === 0) return [];
		lists.sort((x, y) => x.length - y.length);
		const [driver, ...rest] = lists;
		const out: number[] = [];
		next: for (let i = 0; i < driver.length; i++) {
			const doc = driver.ids[i];
			for (const list of rest) if (!list.has(doc)) continue next;
			out.push(doc);
		}
		return out;
	}

	/** How many of `words` the document's title holds: the ranking's key (title hits first). */
	titleHits(doc: number, words: string[]): number {
		let n = 0;
		for (const w of words) {
			const id = this.wordIds.get(w);
			if (id !== undefined && this.titles[id].has(doc)) n++;
		}
		return n;
	}
}
