/** The annotation view's keyboard map: which key does what, and its help text. */
import type { Label } from '$lib/model/types';
import { SUGGESTION_HELP } from './suggestionShortcuts';

export type Shortcut =
	| { type: 'label'; label: string }
	| { type: 'step'; dir: 1 | -1 }
	| { type: 'edge'; edge: 'start' | 'end'; dir: 1 | -1 }
	| { type: 'delete' | 'escape' | 'undo' | 'redo' | 'done' | 'next' | 'previous' | 'help' | 'attributes' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** `KeyboardEvent.code` of a label key, so Alt/Option combinations still match on every layout. */
function codeOf(key: string): string {
	return /^[0-9]$/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`;
}

export function shortcutFor(e: KeyLike, labels: Label[]): Shortcut | null {
	if (e.ctrlKey || e.metaKey) {
		const key = e.key.toLowerCase();
		if (key === 'z') return { type: e.shiftKey ? 'redo' : 'undo' };
		if (key === 'y') return { type: 'redo' };
		if (e.key === 'Enter') return { type: 'done' };
		return null;
	}
	switch (e.key) {
		case 'Delete':
		case 'Backspace':
			return { type: 'delete' };
		case 'Escape':
			return { type: 'escape' };
		case 'Enter':
			return e.altKey || e.shiftKey ? null : { type: 'attributes' };
		case '?':
			return { type: 'help' };
		// Plain arrows belong to the text (scrolling, caret): a stray one must not leave the document.
		case 'ArrowRight':
			if (e.altKey) return e.shiftKey ? null : { type: 'next' };
			return e.shiftKey ? { type: 'step', dir: 1 } : null;
		case 'ArrowLeft':
			if (e.altKey) return e.shiftKey ? null : { type: 'previous' };
			return e.shiftKey ? { type: 'step', dir: -1 } : null;
	}
	// the bracket keys (by position, so on every layout) move the selected span's edges one word:
	// [ grows it at the start, ] at the end; with Shift they shrink it
	if (!e.altKey && (e.code === 'BracketLeft' || e.code === 'BracketRight')) {
		const edge = e.code === 'BracketLeft' ? 'start' : 'end';
		const outward = edge === 'start' ? -1 : 1;
		return { type: 'edge', edge, dir: e.shiftKey ? (-outward as 1 | -1) : outward };
	}
	const key = e.key.toLowerCase();
	const label = labels.find((l) => l.key && (l.key === key || (e.altKey && e.code === codeOf(l.key))));
	if (label) return { type: 'label', label: label.name };
	if (e.altKey || e.shiftKey) return null;
	if (key === 'j') return { type: 'next' };
	if (key === 'k') return { type: 'previous' };
	return null;
}

/** Keys typed into these go to the element, not to the shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export const SHORTCUT_HELP: Array<{ keys: string[]; what: string }> = [
	{ keys: ['J', 'Alt →'], what: 'Next document' },
	{ keys: ['K', 'Alt ←'], what: 'Previous document' },
	{ keys: ['Shift →', 'Shift ←'], what: 'Select text word by word (grow / shrink the selection), then press a label key' },
	{ keys: ['Delete', 'Backspace'], what: 'Remove the selected span (and its relations)' },
	{ keys: ['[', ']'], what: "Grow the selected span by one word at its start / its end (Shift: shrink it); its relations follow" },
	{ keys: ['R, then a type key'], what: 'Link the selected span by a relation (or press the relation type’s key at once, listed above)' },
	{ keys: ['Tab', '→ ← ↓ ↑'], what: 'While linking: the next / previous span the relation type allows (nearest first); a click on one links to it' },
	{ keys: ['Enter'], what: 'While linking: link to the highlighted span (Esc cancels)' },
	{ keys: ['Enter'], what: "Edit the selected span's attributes (Tab: next field, 1–9: pick an option, Esc: back to the text)" },
	{ keys: ['Esc'], what: 'Deselect / clear the text selection (Shift → goes on after it)' },
	{ keys: ['Ctrl Z'], what: 'Undo' },
	{ keys: ['Ctrl Shift Z', 'Ctrl Y'], what: 'Redo' },
	{ keys: ['Ctrl Enter'], what: 'Mark the document done' },
	{ keys: ['Alt + drag'], what: 'Select exact characters (no snapping to words)' },
	{ keys: ['Tab'], what: 'Move through the span list (the focused span is selected); while suggestions are shown, from the side panel' },
	{ keys: ['Ctrl F', '⌘ F'], what: 'Find in the article (Enter / F3: next, Shift+Enter: previous; Esc closes with the match selected, then a label key tags it)' },
	{ keys: ['?'], what: 'Show or hide this help' },
	// the suggestion keys (./suggestionShortcuts.ts), which come first while suggestions are shown
	...SUGGESTION_HELP
];
