/**
 * Converters from release records to other tools' formats. Each is a pure function of
 * one record; outputs end with "\n" so a file is the concatenation of the outputs of
 * records in release order. What each format loses is documented in docs/jsonl.md.
 */
import { compareCodeUnits, compareSpans, type ReleaseRecord, type SpanLite } from './record';
import { tokenizeWords } from '../text/words';

// ---------------------------------------------------------------------------
// tokens

export interface Token {
	text: string;
	/** code point offsets, end exclusive */
	start: number;
	end: number;
	/** index in the token list */
	id: number;
	/** whether the token is followed by a whitespace character (JS `\s`) */
	ws: boolean;
}

const WS = /\s/u;

/**
 * Tokens with code point offsets: the words of ../text/words.ts, the one word
 * definition of spanlab (runs of letters, digits and marks; spaceless scripts
 * cut by ICU; every other character its own token, an emoji sequence one
 * token). Whitespace (JS `\s`, incl. \r \n) only separates tokens.
 */
export function tokenize(text: string): Token[] {
	const t = tokenizeWords(text);
	const tokens: Token[] = new Array(t.count);
	for (let k = 0; k < t.count; k++) {
		const next = t.ends16[k] < text.length ? text[t.ends16[k]] : undefined;
		tokens[k] = {
			text: text.slice(t.starts16[k], t.ends16[k]),
			start: t.starts[k],
			end: t.ends[k],
			id: k,
			// whitespace is always in the BMP, so one code unit tells
			ws: next !== undefined && WS.test(next)
		};
	}
	return tokens;
}

/** Index of the first and last token overlapping [start, end), or null if none does. */
export function tokenRange(tokens: readonly Token[], start: number, end: number): [number, number] | null {
	// first token with end > start
	let lo = 0;
	let hi = tokens.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (tokens[mid].end > start) hi = mid;
		else lo = mid + 1;
	}
	const first = lo;
	if (first >= tokens.length || tokens[first].start >= end) return null;
	// last token with start < end
	lo = first;
	hi = tokens.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (tokens[mid].start < end) lo = mid + 1;
		else hi = mid;
	}
	return [first, lo - 1];
}

// ---------------------------------------------------------------------------
// hashes

const encoder = new TextEncoder();

/** FNV-1a 32-bit over bytes, as a signed int32. */
export function fnv1a32(bytes: Uint8Array): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < bytes.length; i++) {
		h ^= bytes[i];
		h = Math.imul(h, 0x01000193);
	}
	return h | 0;
}

/** Prodigy `_input_hash`: fnv1a32(UTF-8(text)) as signed int32. */
export function prodigyInputHash(text: string): number {
	return fnv1a32(encoder.encode(text));
}

/**
 * Prodigy `_task_hash`: fnv1a32 over UTF-8(text) + one 0x00 byte + UTF-8 of, for every
 * span sorted by (start, end, label): `${start}\t${end}\t${label}\n`; as signed int32.
 */
export function prodigyTaskHash(text: string, spans: ReadonlyArray<{ start: number; end: number; label: string }>): number {
	const sorted = [...spans].sort(compareSpans);
	const t = encoder.encode(text);
	const s = encoder.encode(sorted.map((x) => `${x.start}\t${x.end}\t${x.label}\n`).join(''));
	const bytes = new Uint8Array(t.length + 1 + s.length);
	bytes.set(t, 0);
	bytes[t.length] = 0;
	bytes.set(s, t.length + 1);
	return fnv1a32(bytes);
}

// ---------------------------------------------------------------------------
// doccano

/**
 * doccano sequence-labelling JSONL: `{"id","text","label":[[start,end,"LABEL"],...]}` + "\n".
 * `id` is the doc_id; offsets are code points (doccano is Python). Exactly doccano's
 * shape: the annotator is not included, so export one source (e.g. gold) per file.
 */
export function toDoccano(r: ReleaseRecord): string {
	const label = [...r.spans].sort(compareSpans).map((s) => [s.start, s.end, s.label]);
	return JSON.stringify({ id: r.doc_id, text: r.text, label }) + '\n';
}

// ---------------------------------------------------------------------------
// Prodigy

export interface ProdigySpan {
	start: number;
	end: number;
	label: string;
	/** absent only when the span covers no token (whitespace only) */
	token_start?: number;
	token_end?: number;
}

export interface ProdigyTask {
	text: string;
	spans: ProdigySpan[];
	tokens: Token[];
	_input_hash: number;
	_task_hash: number;
	answer: 'accept';
	_annotator_id: string;
	meta: { doc_id: string };
}

export function toProdigyTask(r: ReleaseRecord): ProdigyTask {
	const tokens = tokenize(r.text);
	const spans = [...r.spans].sort(compareSpans).map((s): ProdigySpan => {
		const range = tokenRange(tokens, s.start, s.end);
		return range
			? { start: s.start, end: s.end, label: s.label, token_start: range[0], token_end: range[1] }
			: { start: s.start, end: s.end, label: s.label };
	});
	return {
		text: r.text,
		spans,
		tokens,
		_input_hash: prodigyInputHash(r.text),
		_task_hash: prodigyTaskHash(r.text, r.spans),
		answer: 'accept',
		_annotator_id: `${r.dataset}-${r.annotator}`,
		meta: { doc_id: r.doc_id }
	};
}

/** One Prodigy JSONL line (+ "\n"), as `prodigy db-in` accepts for ner_manual/spans_manual. */
export function toProdigy(r: ReleaseRecord): string {
	return JSON.stringify(toProdigyTask(r)) + '\n';
}

// ---------------------------------------------------------------------------
// CoNLL (BIO)

export interface ConllResult {
	/** "-DOCSTART- -X- O O\n\n" then "TOKEN\tTAG\n" per token, then one blank line */
	lines: string;
	/** number of spans not represented */
	dropped: number;
	/** the spans not represented: overlapping an earlier (or longer) span's tokens, or covering no token */
	dropped_spans: SpanLite[];
}

/**
 * BIO tagging over `tokenize(text)`. A token is inside a span when they overlap (so
 * span boundaries inside a token widen to the token). Spans are taken in order of
 * start, then longest first, then label; a span whose tokens are already tagged by an
 * earlier span is dropped whole, as is a span covering no token.
 */
export function toConll(r: ReleaseRecord): ConllResult {
	const tokens = tokenize(r.text);
	const tags: string[] = new Array(tokens.length).fill('O');
	const ordered = [...r.spans].sort(
		(a, b) => a.start - b.start || b.end - a.end || compareCodeUnits(a.label, b.label) || compareCodeUnits(a.id, b.id)
	);
	const dropped: SpanLite[] = [];
	for (const s of ordered) {
		const range = tokenRange(tokens, s.start, s.end);
		let free = range !== null;
		if (range) for (let i = range[0]; i <= range[1] && free; i++) free = tags[i] === 'O';
		if (!range || !free) {
			dropped.push({ start: s.start, end: s.end, label: s.label, text: s.text });
			continue;
		}
		tags[range[0]] = `B-${s.label}`;
		for (let i = range[0] + 1; i <= range[1]; i++) tags[i] = `I-${s.label}`;
	}
	let lines = '-DOCSTART- -X- O O\n\n';
	for (let i = 0; i < tokens.length; i++) lines += `${tokens[i].text}\t${tags[i]}\n`;
	lines += '\n';
	dropped.sort(compareSpans);
	return { lines, dropped: dropped.length, dropped_spans: dropped };
}
