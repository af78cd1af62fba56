/**
 * Linking two spans from the keyboard: with a span selected, a relation type's
 * key (or `R`, then the type's key) starts a link; `Tab`/arrows cycle the spans
 * the type allows at the other end (nearest first), `Enter` or a click on one
 * links, `Esc` cancels. Also what the relation layer shows meanwhile (the
 * candidate, the hovered relation) and what it says (`message`).
 */
import type { Span } from '$lib/model/types';
import type { RelationType } from '$lib/model/types';
import type { SpanStore } from './spanStore.svelte';
import { cycle, describeType, linkTargets } from './relationEdits';

export interface Linking {
	type: RelationType;
	sourceId: string;
	/** the chosen span is the relation's `from` */
	reverse: boolean;
	candidates: Span[];
	index: number;
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

const quote = (span: Span) => `«${span.text.length > 40 ? span.text.slice(0, 39) + '…' : span.text}»`;

export class RelationLinker {
	#store: SpanStore;
	types: RelationType[];
	/** `R` was pressed: the next key names the type */
	choosingType = $state(false);
	linking = $state.raw<Linking | null>(null);
	/** what the view says about linking (a hint, why nothing can be linked, what was linked) */
	message = $state<string | null>(null);
	/** the relation under the pointer (arrow or list item): both its ends are highlighted */
	hovered = $state<string | null>(null);

	readonly candidate = $derived(this.linking ? (this.linking.candidates[this.linking.index] ?? null) : null);

	constructor(store: SpanStore, types: RelationType[]) {
		this.#store = store;
		this.types = types;
	}

	get active(): boolean {
		return this.choosingType || this.linking !== null;
	}

	/** Start a link of `type` from the selected span; false when there is no span selected. */
	start(type: RelationType): boolean {
		const source = this.#store.selected;
		this.choosingType = false;
		if (!source) {
			this.message = `Select a span first, then press ${type.key.toUpperCase()} to link it (${describeType(type)})`;
			return false;
		}
		const targets = linkTargets(this.#store.spans, this.#store.relations, source, type);
		if (targets.problem) {
			this.linking = null;
			this.message = `Cannot link ${quote(source)}: ${targets.problem}`;
			return true;
		}
		this.linking = { type, sourceId: source.id, reverse: targets.reverse, candidates: targets.candidates, index: 0 };
		this.#describe();
		return true;
	}

	move(dir: 1 | -1): void {
		const l = this.linking;
		if (!l) return;
		this.linking = { ...l, index: cycle(l.index, l.candidates.length, dir) };
		this.#describe();
	}

	/** Link to `id` (default: the candidate shown); a span the type does not allow is refused with the reason. */
	confirm(id: string | undefined = this.candidate?.id): boolean {
		const l = this.linking;
		if (!l || !id) return false;
		const target = l.candidates.find((s) => s.id === id);
		if (!target) {
			const span = this.#store.spans.find((s) => s.id === id);
			this.message = span
				? `${quote(span)} cannot be linked here: ${describeType(l.type)}${span.id === l.sourceId ? ' (it is the span being linked)' : ''}. Choose a highlighted span, or Esc`
				: null;
			return false;
		}
		this.linking = null;
		const [from, to] = l.reverse ? [target.id, l.sourceId] : [l.sourceId, target.id];
		if (!this.#store.spans.some((s) => s.id === l.sourceId)) {
			this.message = 'The span being linked is gone; nothing was linked';
			return false;
		}
		this.#store.link(from, to, l.type.name);
		const fromSpan = this.#store.spans.find((s) => s.id === from)!;
		const toSpan = this.#store.spans.find((s) => s.id === to)!;
		this.message = `Linked ${quote(fromSpan)} —${l.type.name}→ ${quote(toSpan)}`;
		this.#store.select(l.sourceId);
		return true;
	}

	cancel(): void {
		this.choosingType = false;
		this.linking = null;
		this.message = null;
	}

	/** A key while choosing a type or a target; true when it was this mode's. */
	onKey(e: KeyLike): boolean {
		if (this.choosingType) {
			if (e.key === 'Escape') {
				this.cancel();
				return true;
			}
			const type = this.#typeFor(e.key);
			if (type) return this.start(type) || true;
			this.choosingType = false;
			this.message = `No relation type has the key ${e.key}`;
			return e.key.length === 1;
		}
		if (!this.linking) return false;
		if (e.ctrlKey || e.metaKey) {
			// undo and the like: the link in progress would point at spans that may change
			this.cancel();
			return false;
		}
		switch (e.key) {
			case 'Tab':
				this.move(e.shiftKey ? -1 : 1);
				return true;
			case 'ArrowRight':
			case 'ArrowDown':
				this.move(1);
				return true;
			case 'ArrowLeft':
			case 'ArrowUp':
				this.move(-1);
				return true;
			case 'Enter':
				this.confirm();
				return true;
			case 'Escape':
				this.cancel();
				return true;
		}
		// other keys (labels, Delete) would edit the spans under the link: not now
		return e.key.length === 1 || e.key === 'Delete' || e.key === 'Backspace';
	}

	/** A key with nothing in progress: `R`, or a relation type's key; true when it started something. */
	startKey(e: KeyLike): boolean {
		if (e.ctrlKey || e.metaKey || e.altKey || !this.types.length) return false;
		const type = this.#typeFor(e.key);
		if (type) {
			this.start(type);
			return true;
		}
		if (e.key.toLowerCase() !== 'r') return false;
		if (!this.#store.selected) {
			this.message = 'Select a span first, then press R and the relation type’s key to link it';
			return true;
		}
		this.choosingType = true;
		this.message = `Link ${quote(this.#store.selected)} by: ${this.types.map((t) => `${t.key.toUpperCase()} ${t.name}`).join(', ')} (Esc cancels)`;
		return true;
	}

	#typeFor(key: string): RelationType | undefined {
		const k = key.toLowerCase();
		return this.types.find((t) => t.key && t.key.toLowerCase() === k);
	}

	#describe(): void {
		const l = this.linking;
		const c = this.candidate;
		if (!l || !c) return;
		const n = l.candidates.length;
		this.message = `${l.type.name} ${l.reverse ? 'from' : 'to'} ${quote(c)} (${l.index + 1} of ${n}${n > 1 ? ': Tab or arrows for the next' : ''}): Enter links, Esc cancels`;
	}
}
