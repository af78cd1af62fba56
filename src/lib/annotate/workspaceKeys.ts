/**
 * The annotation view's keyboard map (README "Using it", the `?` overlay): one
 * keydown handler for the page, which gives each key to the first part of the
 * view that wants it — an open Accept all question, linking (R, a relation
 * type's key), the suggestions (Tab, Enter / A, X, Shift+A), then the
 * shortcuts of ./shortcuts.ts (labels, Shift+→, undo, J/K…). What the keys
 * act on is handed in by AnnotationWorkspace.svelte; the key-to-action tables
 * are ./shortcuts.ts and ./suggestionShortcuts.ts.
 */
import type { Label } from '$lib/model/types';
import type { SpanStore, TextRange } from './spanStore.svelte';
import type { Autosaver } from './autosave.svelte';
import type { SuggestionLayer } from './suggestionLayer.svelte';
import type { RelationLinker } from './relationLinker.svelte';
import { isTypingTarget, shortcutFor, type Shortcut } from './shortcuts';
import { suggestionShortcutFor, type SuggestionShortcut } from './suggestionShortcuts';
import { isUnreviewed, suggestionKey } from './suggestions';

/** What the keys do to the article (ArticleView's exports). */
export interface ArticleControls {
	clearTextSelection(): void;
	showTextSelection(range: TextRange): void;
	scrollToSuggestion(key: string): void;
}

export interface WorkspaceKeyTargets {
	store: SpanStore;
	saver: Autosaver;
	suggestions: SuggestionLayer;
	linker: RelationLinker;
	article: () => ArticleControls;
	labels: () => Label[];
	/** the shortcuts overlay is open */
	helpOpen: () => boolean;
	toggleHelp(): void;
	/** the Accept all question is open (it has the keys) */
	askingAcceptAll: () => boolean;
	/** asks to accept all of a source's suggestions; false when there are none */
	askAcceptAll(source: string | undefined): boolean;
	/** Enter on a span with attributes: focus the first field; false when it has none */
	focusAttributes(): boolean;
	pickLabel(label: string): void;
	/** opens the next / previous document of the queue; false when there is none */
	go(to: 'next' | 'previous'): boolean;
}

/** The suggestion keys apply in the article (the focus on the page or in the text), not on the side panel's controls. */
function inArticle(target: EventTarget | null): boolean {
	return !(target instanceof Element) || target === document.body || target === document.documentElement || !!target.closest('.article');
}

export function workspaceKeydown(t: WorkspaceKeyTargets): (e: KeyboardEvent) => void {
	const { store, saver, suggestions, linker } = t;

	function showFocusedSuggestion(): void {
		const s = suggestions.focused;
		if (s) t.article().scrollToSuggestion(suggestionKey(s));
	}

	function runSuggestion(shortcut: SuggestionShortcut): boolean {
		switch (shortcut.type) {
			case 'step':
				if (!suggestions.step(shortcut.dir)) return false;
				t.article().clearTextSelection();
				showFocusedSuggestion();
				return true;
			case 'accept':
				if (!suggestions.accept(shortcut.label)) return false;
				showFocusedSuggestion();
				return true;
			case 'reject':
				if (!suggestions.reject()) return false;
				showFocusedSuggestion();
				return true;
			case 'accept-all':
				return t.askAcceptAll(suggestions.focused?.source ?? suggestions.visible[0]?.source);
			case 'leave':
				suggestions.focus(null);
				return true;
			case 'review':
				return !!store.selectedId && suggestions.review(store.selectedId);
		}
	}

	function run(shortcut: Shortcut): boolean {
		switch (shortcut.type) {
			case 'label':
				t.pickLabel(shortcut.label);
				return true;
			case 'step': {
				const range = store.step(shortcut.dir);
				if (range) t.article().showTextSelection(range);
				return true;
			}
			case 'delete':
				if (!store.selectedId) return false;
				store.remove(store.selectedId);
				return true;
			case 'escape':
				if (store.textSelection) t.article().clearTextSelection();
				else if (store.selectedId) store.select(null);
				else return false;
				return true;
			case 'undo':
				store.undo();
				return true;
			case 'redo':
				store.redo();
				return true;
			case 'done':
				saver.setStatus('done');
				return true;
			case 'next':
				return t.go('next');
			case 'previous':
				return t.go('previous');
			case 'help':
				t.toggleHelp();
				return true;
			case 'edge':
				return store.moveSelectedEdge(shortcut.edge, shortcut.dir) || !!store.selectedId;
			case 'attributes':
				return t.focusAttributes();
		}
	}

	return (e: KeyboardEvent): void => {
		if (e.defaultPrevented || e.isComposing || isTypingTarget(e.target)) return;
		// the attribute fields' keys (number keys pick options) are theirs; Ctrl/⌘ combinations (undo) still apply
		if (e.target instanceof Element && e.target.closest('[data-attributes-panel]') && !e.ctrlKey && !e.metaKey) return;
		if (t.askingAcceptAll()) return;
		const helpOpen = t.helpOpen();
		const labels = t.labels();
		// linking (R, a relation type's key): its keys first (Tab, arrows, Enter, Esc)
		if (!helpOpen && linker.active && linker.onKey(e)) {
			e.preventDefault();
			return;
		}
		const here = inArticle(e.target);
		const suggestionKeys = helpOpen
			? null
			: suggestionShortcutFor(e, labels, {
					shown: here && suggestions.visible.length > 0,
					focused: here && !!suggestions.focused,
					unreviewedSelected: !!store.selected && isUnreviewed(store.selected)
				});
		if (suggestionKeys && runSuggestion(suggestionKeys)) {
			e.preventDefault();
			return;
		}
		const shortcut = shortcutFor(e, labels);
		if (!shortcut && !helpOpen && linker.startKey(e)) {
			e.preventDefault();
			return;
		}
		if (!shortcut || (helpOpen && shortcut.type !== 'help')) return;
		// Enter on a button or link is that control's; on a span of the span list it opens the span's attributes
		if (shortcut.type === 'attributes' && e.target instanceof Element && e.target.closest('a, button, summary') && !e.target.closest('.span-list button.item')) return;
		if (run(shortcut)) {
			e.preventDefault();
			// what linking last said is about the last link, not this edit
			if (!linker.active) linker.message = null;
		}
	};
}
