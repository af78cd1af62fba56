/**
 * Converters from release records to other tools' formats. Each is a pure function of
 * one record; outputs end with "\n" so a file is the concatenation of the outputs of
 * records in release order. What each format loses is documented in docs/jsonl.md.
 */
import { compareCodeUnits, compareSpans, type ReleaseRecord, type SpanLite } from './record';
import { sentenceStarts, tokenizeWords, type WordTokens } from '../text/words';
import { tokenRange, tokenize, tokensOf, type Token } from '../text/tokens';

/** The tokens of the exports (the one tokenizer, src/lib/text/tokens.ts). */
export { tokenize, tokenRange, type Token } from '../text/tokens';

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
	/** the span's attributes, keys sorted; only when it has some (Prodigy keeps extra keys as they are) */
	attrs?: Record<string, unknown>;
}

/**
 * A relation as Prodigy's `rel.manual` writes it: `head`/`child` are the last
 * token of the `from` and `to` spans, which `head_span`/`child_span` describe.
 */
export interface ProdigyRelation {
	head: number;
	child: number;
	head_span: ProdigySpan;
	child_span: ProdigySpan;
	label: string;
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
	/** only when the record has relations; a relation with an end on no token is left out */
	relations?: ProdigyRelation[];
}

export function toProdigyTask(r: ReleaseRecord): ProdigyTask {
	const tokens = tokenize(r.text);
	const byId = new Map<string, ProdigySpan>();
	const spans = [...r.spans].sort(compareSpans).map((s): ProdigySpan => {
		const range = tokenRange(tokens, s.start, s.end);
		const span: ProdigySpan = range
			? { start: s.start, end: s.end, label: s.label, token_start: range[0], token_end: range[1] }
			: { start: s.start, end: s.end, label: s.label };
		if (s.attrs && Object.keys(s.attrs).length) span.attrs = s.attrs;
		byId.set(s.id, span);
		return span;
	});
	// the release's relations (absent in records cut before relations existed)
	const relations = (r.relations ?? []).flatMap(
		(rel): ProdigyRelation[] => {
			const head = byId.get(rel.from);
			const child = byId.get(rel.to);
			if (head?.token_end === undefined || child?.token_end === undefined) return [];
			return [{ head: head.token_end, child: child.token_end, head_span: head, child_span: child, label: rel.label }];
		}
	);
	return {
		text: r.text,
		spans,
		...(relations.length ? { relations } : {}),
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
// CoNLL (BIO, one column per nesting level)

/** Why CoNLL cannot write a span. */
export type ConllLoss = 'crossing' | 'off_token_boundary' | 'no_token' | 'too_deep';
export const CONLL_LOSSES: readonly ConllLoss[] = ['crossing', 'off_token_boundary', 'no_token', 'too_deep'];

/**
 * At most this many tag columns: a file is tokens × columns tags, and a few
 * thousand spans nested in each other would otherwise make a release's CoNLL
 * thousands of columns wide (nested-NER corpora have a handful of levels).
 */
export const MAX_CONLL_LEVELS = 10;

export interface ConllSpan {
	span: SpanLite;
	/** first and last token (inclusive) */
	first: number;
	last: number;
	/** nesting level: 0 outermost, k inside k enclosing spans (the column after the token) */
	level: number;
}

export interface ConllLayout {
	tokens: Token[];
	placed: ConllSpan[];
	/** levels this record needs (0 without spans) */
	levels: number;
	/** the spans CoNLL cannot write, with why, in span order */
	lost: Array<{ span: SpanLite; reason: ConllLoss }>;
}

/**
 * Where each span of `r` goes in CoNLL. A span is written when it starts at
 * the start of a token and ends at the end of one (otherwise it is lost as
 * `off_token_boundary`; covering no token at all: `no_token`). Spans are taken
 * by first token, then longest first, then label, then id; a span inside an
 * earlier one (on the same tokens counts as inside) goes one level deeper, a
 * span that overlaps an earlier one without being inside it is lost as
 * `crossing`, a span deeper than MAX_CONLL_LEVELS as `too_deep`. Linear after
 * sorting.
 */
export function conllLayout(r: ReleaseRecord): ConllLayout {
	const words = tokenizeWords(r.text);
	return { tokens: tokensOf(r.text, words), ...placeSpans(words, r.spans) };
}

/** first index in [0, count) with ends[k] > pos (ends ascend) */
function firstEndingAfter(ends: Int32Array, count: number, pos: number): number {
	let lo = 0;
	let hi = count;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (ends[mid] > pos) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** The placement rules of `conllLayout`, on token offsets. */
function placeSpans(words: WordTokens, spans: ReleaseRecord['spans']): Omit<ConllLayout, 'tokens'> {
	const { starts, ends, count } = words;
	const lost: ConllLayout['lost'] = [];
	const candidates: Array<ConllSpan & { id: string }> = [];
	for (const s of spans) {
		const lite: SpanLite = { start: s.start, end: s.end, label: s.label, text: s.text };
		const first = firstEndingAfter(ends, count, s.start);
		if (first >= count || starts[first] >= s.end) {
			lost.push({ span: lite, reason: 'no_token' });
			continue;
		}
		// the last token starting before the end: the first one reaching the end, or the one before it
		const reaching = firstEndingAfter(ends, count, s.end - 1);
		const last = reaching < count && starts[reaching] < s.end ? reaching : reaching - 1;
		if (starts[first] !== s.start || ends[last] !== s.end) lost.push({ span: lite, reason: 'off_token_boundary' });
		else candidates.push({ span: lite, first, last, level: 0, id: s.id });
	}
	candidates.sort(
		(a, b) => a.first - b.first || b.last - a.last || compareCodeUnits(a.span.label, b.span.label) || compareCodeUnits(a.id, b.id)
	);
	const placed: ConllSpan[] = [];
	const open: ConllSpan[] = []; // the chain of spans enclosing the current position, outermost first
	let levels = 0;
	for (const c of candidates) {
		while (open.length && open[open.length - 1].last < c.first) open.pop();
		const parent = open[open.length - 1];
		if (parent && c.last > parent.last) {
			lost.push({ span: c.span, reason: 'crossing' });
			continue;
		}
		if (open.length >= MAX_CONLL_LEVELS) {
			lost.push({ span: c.span, reason: 'too_deep' });
			continue;
		}
		const p: ConllSpan = { span: c.span, first: c.first, last: c.last, level: open.length };
		open.push(p);
		placed.push(p);
		levels = Math.max(levels, p.level + 1);
	}
	lost.sort((x, y) => compareSpans(x.span, y.span));
	return { placed, levels, lost };
}

export interface ConllResult {
	/** "-DOCSTART-" + "\tO" per column, a blank line, then per sentence "TOKEN\tTAG…\n" lines and a blank line */
	lines: string;
	/** columns of tags written (>= 1) */
	columns: number;
	/** number of spans not represented */
	dropped: number;
	/** the spans not represented (see conllLayout), in span order */
	dropped_spans: SpanLite[];
	/** how many were lost for each reason */
	lost: Record<ConllLoss, number>;
}

/**
 * Spans CoNLL cannot write, by reason, for a record (what releases record in
 * their manifest). Pass `words` = `tokenizeWords(r.text)` when already known
 * (records of one document share its text).
 */
export function conllLosses(r: ReleaseRecord, words: WordTokens = tokenizeWords(r.text)): { levels: number; lost: Record<ConllLoss, number> } {
	const layout = placeSpans(words, r.spans);
	return { levels: layout.levels, lost: countLosses(layout) };
}

function countLosses(layout: Pick<ConllLayout, 'lost'>): Record<ConllLoss, number> {
	const lost: Record<ConllLoss, number> = { crossing: 0, off_token_boundary: 0, no_token: 0, too_deep: 0 };
	for (const l of layout.lost) lost[l.reason]++;
	return lost;
}

/**
 * CoNLL with one BIO column per nesting level over `tokenize(text)`, cut into
 * sentences by `Intl.Segmenter(ROOT_LOCALE, { granularity: 'sentence' })` (a
 * sentence boundary inside a written span is not cut, so every span reads
 * back whole). `columns` is the number of tag columns of the whole file (at
 * least the levels this record needs; default exactly those, at least 1), so
 * every line of a file has the same number of columns.
 */
export function toConll(r: ReleaseRecord, columns?: number): ConllResult {
	const layout = conllLayout(r);
	const width = Math.min(MAX_CONLL_LEVELS, Math.max(1, layout.levels, columns ?? 0));
	const { tokens } = layout;
	const tags: string[][] = Array.from({ length: width }, () => new Array<string>(tokens.length).fill('O'));
	// tokens where a written span continues from the token before: no sentence may start there
	const joined = new Uint8Array(tokens.length);
	for (const p of layout.placed) {
		const column = tags[p.level];
		column[p.first] = `B-${p.span.label}`;
		for (let i = p.first + 1; i <= p.last; i++) {
			column[i] = `I-${p.span.label}`;
			joined[i] = 1;
		}
	}
	let lines = '-DOCSTART-' + '\tO'.repeat(width) + '\n\n';
	if (tokens.length > 0) {
		const sorted = sentenceStarts(r.text);
		let nextStart = 0; // sentence starts are visited in order through the tokens
		for (let i = 0; i < tokens.length; i++) {
			let newSentence = false;
			while (nextStart < sorted.length && sorted[nextStart] <= tokens[i].start) {
				nextStart++;
				newSentence = true;
			}
			if (i > 0 && newSentence && !joined[i]) lines += '\n';
			lines += tokens[i].text;
			for (let c = 0; c < width; c++) lines += '\t' + tags[c][i];
			lines += '\n';
		}
		lines += '\n';
	}
	const dropped = layout.lost.map((l) => l.span);
	return { lines, columns: width, dropped: dropped.length, dropped_spans: dropped, lost: countLosses(layout) };
}
