import { describe, expect, it } from 'vitest';
import { DEFAULT_LABELS, type Label } from '$lib/model/types';
import { suggestionShortcutFor } from './suggestionShortcuts';
import { shortcutFor } from './shortcuts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
	key: k,
	code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : k,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	shiftKey: false,
	...mods
});
const focused = { shown: true, focused: true };
const shownOnly = { shown: true, focused: false };

describe('suggestionShortcutFor', () => {
	it('leaves every key to the other shortcuts while no suggestion is shown (Tab moves the focus as before)', () => {
		for (const k of ['Tab', 'Enter', 'a', 'x', '1', 'Escape']) expect(suggestionShortcutFor(key(k), DEFAULT_LABELS, { shown: false, focused: false })).toBeNull();
		expect(suggestionShortcutFor(key('A', { shiftKey: true }), DEFAULT_LABELS, { shown: false, focused: false })).toBeNull();
	});

	it('moves with Tab and Shift+Tab while suggestions are shown', () => {
		expect(suggestionShortcutFor(key('Tab'), DEFAULT_LABELS, shownOnly)).toEqual({ type: 'step', dir: 1 });
		expect(suggestionShortcutFor(key('Tab', { shiftKey: true }), DEFAULT_LABELS, shownOnly)).toEqual({ type: 'step', dir: -1 });
		// Ctrl+Tab is the browser's
		expect(suggestionShortcutFor(key('Tab', { ctrlKey: true }), DEFAULT_LABELS, shownOnly)).toBeNull();
	});

	it('accepts with Enter or A, rejects with X, leaves with Esc, only with one focused', () => {
		expect(suggestionShortcutFor(key('Enter'), DEFAULT_LABELS, focused)).toEqual({ type: 'accept' });
		expect(suggestionShortcutFor(key('a'), DEFAULT_LABELS, focused)).toEqual({ type: 'accept' });
		expect(suggestionShortcutFor(key('x'), DEFAULT_LABELS, focused)).toEqual({ type: 'reject' });
		expect(suggestionShortcutFor(key('Escape'), DEFAULT_LABELS, focused)).toEqual({ type: 'leave' });
		// none focused: Enter opens a selected span's attributes, Esc deselects (./shortcuts.ts)
		for (const k of ['Enter', 'a', 'x', 'Escape', '1']) expect(suggestionShortcutFor(key(k), DEFAULT_LABELS, shownOnly)).toBeNull();
		expect(shortcutFor(key('Enter'), DEFAULT_LABELS)).toEqual({ type: 'attributes' });
	});

	it('accepts with another label by its key', () => {
		expect(suggestionShortcutFor(key('1'), DEFAULT_LABELS, focused)).toEqual({ type: 'accept', label: 'claim' });
		expect(suggestionShortcutFor(key('4'), DEFAULT_LABELS, focused)).toEqual({ type: 'accept', label: 'date' });
	});

	it('lets a label with the key "a" or "x" win: the key accepts with that label', () => {
		const labels: Label[] = [
			{ name: 'actor', key: 'a', color: '#000000', description: '' },
			{ name: 'extra', key: 'x', color: '#111111', description: '' }
		];
		expect(suggestionShortcutFor(key('a'), labels, focused)).toEqual({ type: 'accept', label: 'actor' });
		expect(suggestionShortcutFor(key('x'), labels, focused)).toEqual({ type: 'accept', label: 'extra' });
		expect(suggestionShortcutFor(key('Enter'), labels, focused)).toEqual({ type: 'accept' });
	});

	it('accepts all of a source with Shift+A, focused or not; other Shift keys stay the text selection\'s', () => {
		expect(suggestionShortcutFor(key('A', { shiftKey: true }), DEFAULT_LABELS, shownOnly)).toEqual({ type: 'accept-all' });
		expect(suggestionShortcutFor(key('A', { shiftKey: true }), DEFAULT_LABELS, focused)).toEqual({ type: 'accept-all' });
		expect(suggestionShortcutFor(key('ArrowRight', { shiftKey: true }), DEFAULT_LABELS, focused)).toBeNull();
		expect(suggestionShortcutFor(key('a', { ctrlKey: true }), DEFAULT_LABELS, focused)).toBeNull();
	});
});

describe('suggestionShortcutFor in correction mode', () => {
	it('A accepts the selected unreviewed span, with or without suggestions shown', () => {
		expect(suggestionShortcutFor(key('a'), DEFAULT_LABELS, { shown: false, focused: false, unreviewedSelected: true })).toEqual({ type: 'review' });
		expect(suggestionShortcutFor(key('a'), DEFAULT_LABELS, { shown: true, focused: false, unreviewedSelected: true })).toEqual({ type: 'review' });
		expect(suggestionShortcutFor(key('a'), DEFAULT_LABELS, { shown: false, focused: false, unreviewedSelected: false })).toBeNull();
	});
	it('a label with the key "a" relabels instead', () => {
		const labels: Label[] = [{ name: 'actor', key: 'a', color: '#000000', description: '' }];
		expect(suggestionShortcutFor(key('a'), labels, { shown: false, focused: false, unreviewedSelected: true })).toBeNull();
		expect(shortcutFor(key('a'), labels)).toEqual({ type: 'label', label: 'actor' });
	});
});
