/**
 * The suggestions of the open document, for the annotation view: fetched once
 * after the article is on screen, shown minus what the annotator rejected or
 * already has (`visibleSuggestions`), one of them focused (Tab / Shift+Tab).
 * Accepting or rejecting is an edit of the span store, so it goes through the
 * same undo, redo and autosave as any other: an accepted suggestion is an
 * ordinary span with its attributes and `source`; a rejection is an entry of
 * the store's `dismissed`, saved with the set. Undo brings a suggestion back.
 */
import type { SpanStore } from './spanStore.svelte';
import {
	acceptedSpan,
	countBySource,
	dismissalOf,
	focusAfter,
	isUnreviewed,
	reviewedSource,
	parseSuggestions,
	stepSuggestion,
	suggestionKey,
	visibleSuggestions,
	type Suggestion
} from './suggestions';

export type SuggestionsState = 'loading' | 'ready' | 'failed';

export class SuggestionLayer {
	state = $state<SuggestionsState>('loading');
	#all = $state.raw<Suggestion[]>([]);
	#focusedKey = $state<string | null>(null);
	#store: SpanStore;
	#url: string;

	readonly visible = $derived.by(() => visibleSuggestions(this.#all, this.#store.spans, this.#store.dismissed));
	/** The focused suggestion; none while a span or some text is selected (the keys are theirs then). */
	readonly focused = $derived.by(() => {
		if (this.#store.selectedId || this.#store.textSelection) return null;
		const key = this.#focusedKey;
		return key === null ? null : (this.visible.find((s) => suggestionKey(s) === key) ?? null);
	});
	readonly counts = $derived(countBySource(this.visible));
	/** spans correction mode put in the set that the annotator has not accepted or edited yet */
	readonly unreviewed = $derived.by(() => this.#store.spans.filter(isUnreviewed));

	constructor(store: SpanStore, url: string) {
		this.#store = store;
		this.#url = url;
	}

	/** Fetch the suggestions (the caller waits for the first paint); a failure leaves the view as it is, with a retry. */
	async load(): Promise<void> {
		this.state = 'loading';
		try {
			const res = await fetch(this.#url, { headers: { accept: 'application/json' } });
			if (!res.ok) throw new Error(`HTTP ${res.status}`);
			this.show(parseSuggestions(await res.json()));
		} catch (e) {
			console.warn('spanlab: suggestions could not be loaded', e);
			this.state = 'failed';
		}
	}

	/** The server's suggestions for this document (what `load` fetched). */
	show(suggestions: Suggestion[]): void {
		this.#all = suggestions;
		this.state = 'ready';
	}

	/** Tab / Shift+Tab: focus the next or previous suggestion (clearing the span and text selection); null when none is shown. */
	step(dir: 1 | -1): Suggestion | null {
		const next = stepSuggestion(this.visible, this.focused ? this.#focusedKey : null, dir);
		this.#focusedKey = next ? suggestionKey(next) : null;
		if (next) {
			this.#store.select(null);
			this.#store.textSelection = null;
		}
		return next;
	}

	focus(s: Suggestion | null): void {
		this.#focusedKey = s ? suggestionKey(s) : null;
	}

	/** Accept the focused suggestion (with `label`, else its own) as a span; the next one gets the focus. */
	accept(label?: string): boolean {
		const s = this.focused;
		if (!s) return false;
		this.#store.commit([...this.#store.spans, acceptedSpan(s, label)]);
		this.focus(focusAfter(this.visible, s));
		return true;
	}

	/** Reject the focused suggestion: it is saved as dismissed and not shown again; the next one gets the focus. */
	reject(): boolean {
		const s = this.focused;
		if (!s) return false;
		this.#store.setDismissed([...this.#store.dismissed, dismissalOf(s)]);
		this.focus(focusAfter(this.visible, s));
		return true;
	}

	/** Correction mode: accept the span with `id` as it is (its source loses the unreviewed mark); false if it is not unreviewed. */
	review(id: string): boolean {
		const span = this.#store.spans.find((s) => s.id === id);
		if (!span || !isUnreviewed(span)) return false;
		this.#store.commit(this.#store.spans.map((s) => (s === span ? { ...s, source: reviewedSource(s.source) } : s)));
		return true;
	}

	/** Correction mode: accept every unreviewed span as it is, as one undoable step; returns how many. */
	reviewAll(): number {
		const count = this.unreviewed.length;
		if (count) this.#store.commit(this.#store.spans.map((s) => (isUnreviewed(s) ? { ...s, source: reviewedSource(s.source) } : s)));
		return count;
	}

	/** The suggestions of `source` shown now (what "accept all" would accept). */
	ofSource(source: string): Suggestion[] {
		return this.visible.filter((s) => s.source === source);
	}

	/**
	 * Accept every shown suggestion of `source` as one undoable step. Those that
	 * overlap one accepted before them with the same label are left (one of two
	 * rival readings of a phrase is the annotator's choice); returns how many were accepted.
	 */
	acceptAll(source: string): number {
		const accepted: Suggestion[] = [];
		// in reading order: a suggestion overlaps an accepted one of its label iff it starts before the furthest end so far
		const reach = new Map<string, number>();
		for (const s of this.ofSource(source)) {
			if (s.start < (reach.get(s.label) ?? -1)) continue;
			accepted.push(s);
			reach.set(s.label, Math.max(s.end, reach.get(s.label) ?? -1));
		}
		if (!accepted.length) return 0;
		this.#store.commit([...this.#store.spans, ...accepted.map((s) => acceptedSpan(s))]);
		if (this.focused === null) this.#focusedKey = null;
		return accepted.length;
	}
}
