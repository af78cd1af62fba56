/**
 * The spans of the document being annotated, the span the user has selected,
 * the text they have selected, and undo/redo. Edits go through `commit`, which
 * materialises spans exactly like the server (ids, text, order), keeps a
 * snapshot for undo and tells the autosaver.
 */
import { DocLayout } from '$lib/text/offsets';
import { materializeSpans, spanId } from '$lib/model/spans';
import { snapToWords, stepSelection, trimSelection, wordRanges } from './selection';
import type { Span, SpanInput } from '$lib/model/types';
import { applyPunctuationRule, type PunctuationRule } from '$lib/annotate/punctuationSnap';
import { sameAttrs, type AttrValue } from '$lib/model/attributes';
import { reviewedSource, type Dismissal } from './suggestions';
import type { Relation, RelationType } from '$lib/model/types';
import { sortRelations } from '$lib/model/relations';
import { makeRelation, repointRelations, type DroppedRelation } from './relationEdits';

/** A range of the article text in UTF-16 offsets, as the browser selection gives it. */
export interface TextRange {
	start: number;
	end: number;
}

/** What tagging the current text selection would create (code point offsets). */
export interface Candidate extends TextRange {
	text: string;
}

const UNDO_LIMIT = 500;

function sameSpans(a: Span[], b: Span[]): boolean {
	// the source is not part of the id: a span reviewed in correction mode differs by its source alone
	return a.length === b.length && a.every((s, i) => s.id === b[i].id && s.source === b[i].source && sameAttrs(s.attrs, b[i].attrs));
}

// relations: ids are content-derived (from, to, label), so equal ids in the same order are equal relations
function sameRelations(a: Relation[], b: Relation[]): boolean {
	return a.length === b.length && a.every((r, i) => r.id === b[i].id);
}

/** One undo step: the spans, the relations between them and the suggestions rejected (./suggestions.ts), together. */
interface Snapshot {
	spans: Span[];
	relations: Relation[];
	dismissed: Dismissal[];
}

/**
 * A span's edge moved by one word (UTF-16 `words`, as `wordRanges`): `end` with
 * dir 1 takes in the next word, -1 gives back the last one; `start` with -1
 * takes in the word before, 1 gives back the first. Null when the span would
 * be empty or nothing is there to take in.
 */
export function moveEdge(words: Array<{ start: number; end: number }>, range: TextRange, edge: 'start' | 'end', dir: 1 | -1): TextRange | null {
	if (edge === 'end') {
		const end = dir === 1 ? words.find((w) => w.end > range.end)?.end : words.findLast((w) => w.end < range.end && w.end > range.start)?.end;
		return end === undefined ? null : { start: range.start, end };
	}
	const start = dir === -1 ? words.findLast((w) => w.start < range.start)?.start : words.find((w) => w.start > range.start && w.start < range.end)?.start;
	return start === undefined ? null : { start, end: range.end };
}

export class SpanStore {
	readonly layout: DocLayout;
	spans = $state.raw<Span[]>([]);
	selectedId = $state<string | null>(null);
	#textSelection = $state.raw<TextRange | null>(null);
	/** Where selecting with the keyboard goes on from (UTF-16): the end of the last text selected. */
	#cursor = 0;
	#words: Array<{ start: number; end: number }> | null = null;
	/** the dataset's rule for quotes and punctuation around a snapped selection */
	punctuation: PunctuationRule = 'keep';
	/** Alt was held while selecting: keep exact characters instead of snapping to words. */
	exact = $state(false);
	/** the suggestions this annotator rejected, saved with the set; undo brings one back */
	dismissed = $state.raw<Dismissal[]>([]);
	#undo = $state.raw<Snapshot[]>([]);
	#redo = $state.raw<Snapshot[]>([]);
	/** links between the spans (by span id), kept on their spans through every edit (see `commit`) */
	relations = $state.raw<Relation[]>([]);
	/** the dataset's relation types: which label pairs a relation may join */
	relationTypes: RelationType[] = [];
	/** relations the last edit had to take away, and why (the view says so; undo brings them back) */
	dropped = $state.raw<DroppedRelation[]>([]);
	#onChange: () => void;

	readonly selected = $derived(this.spans.find((s) => s.id === this.selectedId) ?? null);
	readonly candidate = $derived.by(() => this.#candidate());
	readonly canUndo = $derived(this.#undo.length > 0);
	readonly canRedo = $derived(this.#redo.length > 0);

	constructor(text: string, spans: Span[], onChange: () => void, relations: Relation[] = [], dismissed: Dismissal[] = []) {
		this.layout = new DocLayout(text);
		this.spans = spans;
		this.relations = relations;
		this.dismissed = dismissed;
		this.#onChange = onChange;
	}

	/** The user's text selection in the article, if any. */
	get textSelection(): TextRange | null {
		return this.#textSelection;
	}
	set textSelection(range: TextRange | null) {
		this.#textSelection = range;
		if (range) this.#cursor = range.end;
	}

	/**
	 * Selecting with the keyboard (Shift+→ / Shift+←): the text selection grown
	 * or shrunk by one word, or, without one, the word after the selected span
	 * or after the last text selected (see `stepSelection`). The caller shows
	 * it in the article; it becomes the text selection.
	 */
	step(dir: 1 | -1): TextRange | null {
		this.#words ??= wordRanges(this.layout.text);
		const from = this.selected ? this.layout.offsets.toUtf16(dir === 1 ? this.selected.end : this.selected.start) : this.#cursor;
		// a selected span is where the user is: start from it, not from an older text selection
		const next = stepSelection(this.#words, this.selected ? null : this.textSelection, from, dir);
		if (next) {
			this.selectedId = null;
			this.exact = false;
			this.textSelection = next;
		}
		return next;
	}

	#candidate(): Candidate | null {
		const sel = this.textSelection;
		if (!sel) return null;
		const { text, offsets } = this.layout;
		const snapped = this.exact ? trimSelection(text, sel.start, sel.end) : snapToWords(text, sel.start, sel.end);
		if (!snapped) return null;
		const range = this.exact ? snapped : applyPunctuationRule(text, snapped, this.punctuation);
		return {
			start: offsets.toCodePoint(range.start),
			end: offsets.toCodePoint(range.end),
			text: text.slice(range.start, range.end)
		};
	}

	/**
	 * Replace all spans with `next` (and the relations with `relations`, the
	 * rejected suggestions with `dismissed`) as one undoable step; false if
	 * nothing changed. Relations follow their spans:
	 * `moved` maps the id a span had to the id it has now (relabelled, an edge
	 * moved); a relation whose span is gone, or whose type no longer allows its
	 * labels, goes, and `dropped` says why.
	 */
	commit(next: SpanInput[], moved: ReadonlyMap<string, string> = new Map(), relations: Relation[] = this.relations, dismissed: Dismissal[] = this.dismissed): boolean {
		const spans = materializeSpans(this.layout.text, next);
		const kept = repointRelations(relations, spans, moved, this.relationTypes);
		this.dropped = kept.dropped;
		if (sameSpans(spans, this.spans) && sameRelations(kept.relations, this.relations) && dismissed === this.dismissed) return false;
		this.#undo = [...this.#undo.slice(-(UNDO_LIMIT - 1)), this.#snapshot()];
		this.#redo = [];
		this.#set({ spans, relations: kept.relations, dismissed });
		this.#onChange();
		return true;
	}

	/** Link two spans (ids) by a relation type; false if they are linked so already. */
	link(from: string, to: string, label: string): boolean {
		const relation = makeRelation(from, to, label);
		if (this.relations.some((r) => r.id === relation.id)) return false;
		return this.commit(this.spans, new Map(), sortRelations([...this.relations, relation], this.spans));
	}

	unlink(id: string): void {
		this.commit(this.spans, new Map(), this.relations.filter((r) => r.id !== id));
	}

	/** Move the selected span's start or end by one word (its relations follow it); false if it cannot move. */
	moveSelectedEdge(edge: 'start' | 'end', dir: 1 | -1): boolean {
		const span = this.selected;
		if (!span) return false;
		this.#words ??= wordRanges(this.layout.text);
		const { offsets } = this.layout;
		const range = moveEdge(this.#words, { start: offsets.toUtf16(span.start), end: offsets.toUtf16(span.end) }, edge, dir);
		if (!range) return false;
		const moved = { start: offsets.toCodePoint(range.start), end: offsets.toCodePoint(range.end), label: span.label, ...(span.attrs ? { attrs: span.attrs } : {}) };
		const others = this.spans.filter((s) => s.id !== span.id);
		const id = spanId(moved);
		if (!this.commit([...others, moved], new Map([[span.id, id]]))) return false;
		this.selectedId = id;
		return true;
	}

	/** Replace the rejected suggestions (./suggestions.ts) as one undoable step, the spans and relations as they are; false if nothing changed. */
	setDismissed(dismissed: Dismissal[]): boolean {
		return this.commit(this.spans, new Map(), this.relations, dismissed);
	}

	/** Tag the selected text with `label`; false if there is no usable text selection. */
	tag(label: string): boolean {
		const c = this.candidate;
		if (!c) return false;
		this.commit([...this.spans, { start: c.start, end: c.end, label }]);
		this.textSelection = null;
		return true;
	}

	relabel(id: string, label: string): void {
		const span = this.spans.find((s) => s.id === id);
		if (!span || span.label === label) return;
		const others = this.spans.filter((s) => s.id !== id);
		// values belong to the old label's attributes: a relabelled span starts without any
		const relabelled = { start: span.start, end: span.end, label };
		this.commit([...others, relabelled], new Map([[id, spanId(relabelled)]]));
		this.selectedId = spanId(relabelled);
	}

	/**
	 * Set one attribute of a span (`null` or `""` unsets it) as one undoable step,
	 * saved like any other edit. The span keeps its id: attributes are values, not identity.
	 */
	setAttr(id: string, name: string, value: AttrValue | null): void {
		const span = this.spans.find((s) => s.id === id);
		if (!span) return;
		const attrs: Record<string, unknown> = { ...span.attrs };
		if (value === null || value === '') delete attrs[name];
		else attrs[name] = value;
		// the span keeps where it came from (an accepted suggestion); an unreviewed one is reviewed by the edit
		const source = reviewedSource(span.source);
		this.commit(this.spans.map((s) => (s.id === id ? { start: s.start, end: s.end, label: s.label, attrs, ...(source ? { source } : {}) } : s)));
	}

	remove(id: string): void {
		this.commit(this.spans.filter((s) => s.id !== id));
	}

	select(id: string | null): void {
		this.selectedId = id;
	}

	/** Select the shortest of the spans with these ids (the innermost under a click), or none. */
	selectInnermost(ids: string[]): void {
		const wanted = new Set(ids);
		let best: Span | null = null;
		for (const s of this.spans) {
			if (wanted.has(s.id) && (!best || s.end - s.start < best.end - best.start)) best = s;
		}
		this.selectedId = best?.id ?? null;
	}

	undo(): void {
		const previous = this.#undo.at(-1);
		if (!previous) return;
		this.#undo = this.#undo.slice(0, -1);
		this.#redo = [...this.#redo, this.#snapshot()];
		this.dropped = [];
		this.#set(previous);
		this.#onChange();
	}

	redo(): void {
		const next = this.#redo.at(-1);
		if (!next) return;
		this.#redo = this.#redo.slice(0, -1);
		this.#undo = [...this.#undo, this.#snapshot()];
		this.dropped = [];
		this.#set(next);
		this.#onChange();
	}

	/** Take the server's version (after a conflict). Undo brings the local version back. */
	replaceFromServer(spans: Span[], relations: Relation[] = [], dismissed: Dismissal[] = this.dismissed): void {
		if (sameSpans(spans, this.spans) && sameRelations(relations, this.relations) && dismissed === this.dismissed) return;
		this.#undo = [...this.#undo, this.#snapshot()];
		this.#redo = [];
		this.#set({ spans, relations, dismissed });
	}

	#snapshot(): Snapshot {
		return { spans: this.spans, relations: this.relations, dismissed: this.dismissed };
	}

	#set({ spans, relations, dismissed }: Snapshot): void {
		this.spans = spans;
		this.relations = relations;
		this.dismissed = dismissed;
		if (this.selectedId && !spans.some((s) => s.id === this.selectedId)) this.selectedId = null;
	}
}
