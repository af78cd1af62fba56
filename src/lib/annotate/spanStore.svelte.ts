/**
 * The spans of the document being annotated, the span the user has selected,
 * the text they have selected, and undo/redo. Edits go through `commit`, which
 * materialises spans exactly like the server (ids, text, order), keeps a
 * snapshot for undo and tells the autosaver.
 */
import { DocLayout } from '$lib/offsets';
import { materializeSpans, snapToWords, spanId, stepSelection, trimSelection, wordRanges } from '$lib/spans';
import type { Span, SpanInput } from '$lib/types';
import { applyPunctuationRule, type PunctuationRule } from '$lib/punctuationSnap';
import { sameAttrs, type AttrValue } from '$lib/attributes';
import { reviewedSource, type Dismissal } from './suggestions';

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

/** What one undo step brings back: the spans and the suggestions rejected (./suggestions.ts). */
interface Snapshot {
	spans: Span[];
	dismissed: Dismissal[];
}

function sameSpans(a: Span[], b: Span[]): boolean {
	// the source is not part of the id: a span reviewed in correction mode differs by its source alone
	return a.length === b.length && a.every((s, i) => s.id === b[i].id && s.source === b[i].source && sameAttrs(s.attrs, b[i].attrs));
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
	#onChange: () => void;

	readonly selected = $derived(this.spans.find((s) => s.id === this.selectedId) ?? null);
	readonly candidate = $derived.by(() => this.#candidate());
	readonly canUndo = $derived(this.#undo.length > 0);
	readonly canRedo = $derived(this.#redo.length > 0);

	constructor(text: string, spans: Span[], onChange: () => void, dismissed: Dismissal[] = []) {
		this.layout = new DocLayout(text);
		this.spans = spans;
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

	/** Replace all spans with `next` (and the rejected suggestions with `dismissed`) as one undoable step; false if nothing changed. */
	commit(next: SpanInput[], dismissed: Dismissal[] = this.dismissed): boolean {
		const spans = materializeSpans(this.layout.text, next);
		if (sameSpans(spans, this.spans) && dismissed === this.dismissed) return false;
		this.#undo = [...this.#undo.slice(-(UNDO_LIMIT - 1)), this.#snapshot()];
		this.#redo = [];
		this.#set({ spans, dismissed });
		this.#onChange();
		return true;
	}

	/** Replace the rejected suggestions (./suggestions.ts) as one undoable step, the spans as they are; false if nothing changed. */
	setDismissed(dismissed: Dismissal[]): boolean {
		return this.commit(this.spans, dismissed);
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
		this.commit([...others, relabelled]);
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
		this.#set(previous);
		this.#onChange();
	}

	redo(): void {
		const next = this.#redo.at(-1);
		if (!next) return;
		this.#redo = this.#redo.slice(0, -1);
		this.#undo = [...this.#undo, this.#snapshot()];
		this.#set(next);
		this.#onChange();
	}

	/** Take the server's version (after a conflict). Undo brings the local version back. */
	replaceFromServer(spans: Span[], dismissed: Dismissal[] = this.dismissed): void {
		if (sameSpans(spans, this.spans) && dismissed === this.dismissed) return;
		this.#undo = [...this.#undo, this.#snapshot()];
		this.#redo = [];
		this.#set({ spans, dismissed });
	}

	#snapshot(): Snapshot {
		return { spans: this.spans, dismissed: this.dismissed };
	}

	#set({ spans, dismissed }: Snapshot): void {
		this.spans = spans;
		this.dismissed = dismissed;
		if (this.selectedId && !spans.some((s) => s.id === this.selectedId)) this.selectedId = null;
	}
}
