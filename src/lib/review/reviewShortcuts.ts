/** The review view's keyboard map: which key does what, and the legend shown beside the document. */
import type { Label } from '../model/types';

export type ReviewAction =
	| { type: 'next' | 'previous' | 'accept' | 'reject' | 'reopen' | 'edit' | 'acceptAgreed' | 'done' | 'undo' | 'redo' | 'nextDocument' | 'previousDocument' | 'escape' }
	| { type: 'move'; edge: 'start' | 'end'; dir: 1 | -1 }
	| { type: 'label'; label: string }
	| { type: 'pick'; index: number }
	| { type: 'nextRelation' | 'previousRelation' | 'values' }
	/** values mode: move to another attribute, pick the n-th value (0-based), or clear it */
	| { type: 'value'; move?: 1 | -1; pick?: number; clear?: boolean; type_in?: boolean }
	| { type: 'apply' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/**
 * While editing a span, arrows move its boundaries, label keys relabel it and
 * Enter puts it in gold; otherwise the letters below drive the review. Label
 * keys may be letters (a, r, …), which is why they only count while editing.
 */
export function reviewShortcutFor(
	e: KeyLike,
	editing: boolean,
	labels: Label[],
	tagging = false,
	choosing = false,
	valuing = false
): ReviewAction | null {
	if (e.ctrlKey || e.metaKey) {
		if (editing) return null;
		const key = e.key.toLowerCase();
		if (key === 'z') return { type: e.shiftKey ? 'redo' : 'undo' };
		if (key === 'y') return { type: 'redo' };
		return e.key === 'Enter' ? { type: 'done' } : null;
	}
	if (e.altKey) {
		// as in the annotation view: Alt+arrows move between documents, plain arrows stay the text's
		if (editing || e.shiftKey) return null;
		if (e.key === 'ArrowRight') return { type: 'nextDocument' };
		if (e.key === 'ArrowLeft') return { type: 'previousDocument' };
		return null;
	}
	if (e.key === 'Escape') return { type: 'escape' };
	if (editing) {
		if (e.key === 'Enter') return { type: 'apply' };
		if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
			return { type: 'move', edge: e.shiftKey ? 'start' : 'end', dir: e.key === 'ArrowRight' ? 1 : -1 };
		}
		const label = labels.find((l) => l.key && l.key === e.key.toLowerCase());
		return label ? { type: 'label', label: label.name } : null;
	}
	// values mode (v on a span): arrows walk its attributes, digits pick a value, 0 / Delete clears it
	if (valuing && !e.shiftKey) {
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') return { type: 'value', move: e.key === 'ArrowDown' ? 1 : -1 };
		if (/^[1-9]$/.test(e.key)) return { type: 'value', pick: Number(e.key) - 1 };
		if (e.key === '0' || e.key === 'Delete' || e.key === 'Backspace') return { type: 'value', clear: true };
		if (e.key === 'Enter') return { type: 'value', type_in: true };
	}
	// text selected in a lane, or a gold span in focus: label keys tag it into gold / relabel it, before the letters
	if (tagging && !e.shiftKey) {
		const label = labels.find((l) => l.key && l.key === e.key.toLowerCase());
		if (label) return { type: 'label', label: label.name };
	}
	// a boundary disagreement in focus: 1…9 take that member's boundaries
	if (choosing && !tagging && /^[1-9]$/.test(e.key)) return { type: 'pick', index: Number(e.key) - 1 };
	if (e.key === 'A') return { type: 'acceptAgreed' };
	if (e.key === 'L') return { type: 'previousRelation' };
	if (e.shiftKey) return null;
	switch (e.key) {
		case 'n':
			return { type: 'next' };
		case 'p':
			return { type: 'previous' };
		case 'a':
			return { type: 'accept' };
		case 'r':
		case 'Delete':
		case 'Backspace':
			return { type: 'reject' };
		case 'o':
			return { type: 'reopen' };
		case 'e':
			return { type: 'edit' };
		case 'l':
			return { type: 'nextRelation' };
		case 'v':
			return { type: 'values' };
		case 'j':
			return { type: 'nextDocument' };
		case 'k':
			return { type: 'previousDocument' };
	}
	return null;
}

export const REVIEW_SHORTCUTS: Array<{ keys: string[]; what: string }> = [
	{ keys: ['n', 'p'], what: 'Next / previous disagreement' },
	{ keys: ['a'], what: 'Accept the span into gold' },
	{ keys: ['r'], what: 'Reject it (removes it from gold)' },
	{ keys: ['o'], what: 'Reopen a rejected span' },
	{ keys: ['e'], what: 'Edit label and boundaries' },
	{ keys: ['1', '…', '9'], what: 'Boundaries differ: take that one (the others are rejected)' },
	{ keys: ['l', 'Shift L'], what: 'Next / previous relation (a accepts it with its ends, r rejects, o reopens)' },
	{ keys: ['v'], what: 'Values of the span (nothing in focus: the next span whose values differ): into gold, then ↑ ↓ attribute, 1…9 pick a value, 0 clear, Enter type one, Esc done' },
	{ keys: ['select', 'label key'], what: 'Tag the selected text into gold (words snap; Alt: exact)' },
	{ keys: ['click gold', 'label key'], what: 'Relabel a gold span (Delete removes it)' },
	{ keys: ['←', '→'], what: 'While editing: move the end by a word' },
	{ keys: ['Shift ←', 'Shift →'], what: 'While editing: move the start' },
	{ keys: ['Enter'], what: 'While editing: put the span in gold' },
	{ keys: ['Shift A'], what: 'Accept every span (and relation) all annotators share' },
	{ keys: ['Ctrl Enter'], what: 'Mark gold done / reopen' },
	{ keys: ['Ctrl Z', 'Ctrl Shift Z'], what: 'Undo / redo a decision' },
	{ keys: ['j', 'k', 'Alt →', 'Alt ←'], what: 'Next / previous document to review' },
	{ keys: ['Ctrl F'], what: 'Find in the document (Enter / Shift Enter: next / previous match; Esc: close, the match stays selected for a label key)' },
	{ keys: ['Esc'], what: 'Cancel the edit / clear the focus' }
];
