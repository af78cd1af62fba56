/**
 * The keys for suggestions, checked before the annotation view's other keys
 * (./shortcuts.ts) and only while suggestions are shown, so every other key
 * keeps its meaning and Tab keeps moving the focus when there are none:
 *  - Tab / Shift+Tab: next / previous suggestion (any shown);
 *  - Shift+A: accept all shown suggestions of the focused one's source (else the first's), after a confirmation;
 *  - with one focused: Enter or A accepts it, X rejects it, a label key accepts it with that label, Esc leaves it;
 *  - correction mode: A accepts the selected unreviewed span as it is.
 * A label key wins over A and X (a dataset may give a label the key "a"): it accepts too, with that label.
 */
import type { Label } from '$lib/model/types';

export type SuggestionShortcut =
	| { type: 'step'; dir: 1 | -1 }
	| { type: 'accept'; label?: string }
	| { type: 'reject' | 'accept-all' | 'leave' | 'review' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

export function suggestionShortcutFor(
	e: KeyLike,
	labels: Label[],
	state: { shown: boolean; focused: boolean; unreviewedSelected?: boolean }
): SuggestionShortcut | null {
	if (e.ctrlKey || e.metaKey || e.altKey) return null;
	const key = e.key.toLowerCase();
	// correction mode: A accepts the selected unreviewed span as it is (a label "a" relabels instead)
	if (state.unreviewedSelected && !e.shiftKey && key === 'a' && !labels.some((l) => l.key && l.key.toLowerCase() === 'a')) return { type: 'review' };
	if (!state.shown) return null;
	if (e.key === 'Tab') return { type: 'step', dir: e.shiftKey ? -1 : 1 };
	if (e.shiftKey) return key === 'a' ? { type: 'accept-all' } : null;
	if (!state.focused) return null;
	if (e.key === 'Enter') return { type: 'accept' };
	if (e.key === 'Escape') return { type: 'leave' };
	const label = labels.find((l) => l.key && l.key.toLowerCase() === key);
	if (label) return { type: 'accept', label: label.name };
	if (key === 'a') return { type: 'accept' };
	if (key === 'x') return { type: 'reject' };
	return null;
}

/** For the shortcuts overlay (after ./shortcuts.ts's SHORTCUT_HELP). */
export const SUGGESTION_HELP: Array<{ keys: string[]; what: string }> = [
	{ keys: ['Tab', 'Shift Tab'], what: 'Next / previous suggestion (dashed outline), while there are any; in the side panel Tab moves through it' },
	{ keys: ['Enter', 'A'], what: 'Accept the focused suggestion (a span with its values)' },
	{ keys: ['X'], what: 'Reject the focused suggestion (it stays gone; Ctrl Z brings it back)' },
	{ keys: ['label key'], what: 'Accept the focused suggestion with that label' },
	{ keys: ['Shift A'], what: "Accept all suggestions of the focused one's source (asks first)" },
	{ keys: ['A'], what: 'Correction mode: accept the selected unreviewed span as it is (editing or deleting it reviews it too)' }
];
