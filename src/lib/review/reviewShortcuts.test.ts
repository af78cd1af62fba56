import { describe, it, expect } from 'vitest';
import { reviewShortcutFor } from './reviewShortcuts';
import type { Label } from '../model/types';

const labels: Label[] = [
	{ name: 'claim', key: '1', color: '#e8590c', description: '' },
	{ name: 'actor', key: 'a', color: '#1c7ed6', description: '' }
];
const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
	({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods }) as KeyboardEvent;

describe('reviewShortcutFor', () => {
	it('maps the review letters when not editing', () => {
		expect(['n', 'p', 'a', 'r', 'e', 'j', 'k', 'x'].map((k) => reviewShortcutFor(key(k), false, labels)?.type ?? null)).toEqual([
			'next',
			'previous',
			'accept',
			'reject',
			'edit',
			'nextDocument',
			'previousDocument',
			null
		]);
		expect(reviewShortcutFor(key('A', { shiftKey: true }), false, labels)).toEqual({ type: 'acceptAgreed' });
		expect(reviewShortcutFor(key('Enter', { ctrlKey: true }), false, labels)).toEqual({ type: 'done' });
		expect(reviewShortcutFor(key('1'), false, labels)).toBeNull();
	});

	it('with text selected or a gold span in focus, label keys come before the review letters', () => {
		expect(reviewShortcutFor(key('a'), false, labels, true)).toEqual({ type: 'label', label: 'actor' });
		expect(reviewShortcutFor(key('1'), false, labels, true)).toEqual({ type: 'label', label: 'claim' });
		expect(reviewShortcutFor(key('n'), false, labels, true)).toEqual({ type: 'next' });
		expect(reviewShortcutFor(key('Delete'), false, labels, true)).toEqual({ type: 'reject' });
		expect(reviewShortcutFor(key('a'), false, labels)).toEqual({ type: 'accept' });
	});

	it('with a boundary group in focus, digits pick a member; not while tagging', () => {
		expect(reviewShortcutFor(key('2'), false, labels, false, true)).toEqual({ type: 'pick', index: 1 });
		expect(reviewShortcutFor(key('1'), false, labels, true, true)).toEqual({ type: 'label', label: 'claim' });
		expect(reviewShortcutFor(key('2'), false, labels)).toBeNull();
	});

	it('Alt+arrows move between documents; plain arrows outside an edit do nothing', () => {
		expect(reviewShortcutFor(key('ArrowRight', { altKey: true }), false, labels)).toEqual({ type: 'nextDocument' });
		expect(reviewShortcutFor(key('ArrowLeft', { altKey: true }), false, labels)).toEqual({ type: 'previousDocument' });
		expect(reviewShortcutFor(key('ArrowRight'), false, labels)).toBeNull();
		expect(reviewShortcutFor(key('ArrowRight', { altKey: true }), true, labels)).toBeNull();
	});

	it('o reopens a rejected span; Ctrl/Cmd Z undoes, with Shift (or Ctrl Y) redoes — not while editing', () => {
		expect(reviewShortcutFor(key('o'), false, labels)).toEqual({ type: 'reopen' });
		expect(reviewShortcutFor(key('z', { ctrlKey: true }), false, labels)).toEqual({ type: 'undo' });
		expect(reviewShortcutFor(key('z', { metaKey: true }), false, labels)).toEqual({ type: 'undo' });
		expect(reviewShortcutFor(key('Z', { ctrlKey: true, shiftKey: true }), false, labels)).toEqual({ type: 'redo' });
		expect(reviewShortcutFor(key('y', { ctrlKey: true }), false, labels)).toEqual({ type: 'redo' });
		expect(reviewShortcutFor(key('z', { ctrlKey: true }), true, labels)).toBeNull();
	});

	it('while editing, arrows move boundaries and label keys (even letters) relabel', () => {
		expect(reviewShortcutFor(key('ArrowRight'), true, labels)).toEqual({ type: 'move', edge: 'end', dir: 1 });
		expect(reviewShortcutFor(key('ArrowLeft', { shiftKey: true }), true, labels)).toEqual({ type: 'move', edge: 'start', dir: -1 });
		expect(reviewShortcutFor(key('a'), true, labels)).toEqual({ type: 'label', label: 'actor' });
		expect(reviewShortcutFor(key('1'), true, labels)).toEqual({ type: 'label', label: 'claim' });
		expect(reviewShortcutFor(key('Enter'), true, labels)).toEqual({ type: 'apply' });
		expect(reviewShortcutFor(key('Escape'), true, labels)).toEqual({ type: 'escape' });
		expect(reviewShortcutFor(key('n'), true, labels)).toBeNull();
		expect(reviewShortcutFor(key('Enter', { ctrlKey: true }), true, labels)).toBeNull();
	});
});

describe('reviewShortcutFor: relations and values (issue #17)', () => {
	it('l / Shift L walk relations, v enters values mode', () => {
		expect(reviewShortcutFor(key('l'), false, labels)).toEqual({ type: 'nextRelation' });
		expect(reviewShortcutFor(key('L', { shiftKey: true }), false, labels)).toEqual({ type: 'previousRelation' });
		expect(reviewShortcutFor(key('v'), false, labels)).toEqual({ type: 'values' });
	});

	it('in values mode arrows walk attributes, digits pick, 0 / Delete clear, Enter types; before label keys and boundary picks', () => {
		const valuing = (k: string, mods: Partial<KeyboardEvent> = {}) => reviewShortcutFor(key(k, mods), false, labels, true, true, true);
		expect(valuing('ArrowDown')).toEqual({ type: 'value', move: 1 });
		expect(valuing('ArrowUp')).toEqual({ type: 'value', move: -1 });
		expect(valuing('1')).toEqual({ type: 'value', pick: 0 }); // not the label keyed 1, not boundary version 1
		expect(valuing('9')).toEqual({ type: 'value', pick: 8 });
		expect(valuing('0')).toEqual({ type: 'value', clear: true });
		expect(valuing('Delete')).toEqual({ type: 'value', clear: true });
		expect(valuing('Enter')).toEqual({ type: 'value', type_in: true });
		expect(valuing('Escape')).toEqual({ type: 'escape' });
		expect(valuing('z', { ctrlKey: true })).toEqual({ type: 'undo' });
		// while editing a span's boundaries the arrows are the editor's
		expect(reviewShortcutFor(key('ArrowRight'), true, labels, false, false, true)).toEqual({ type: 'move', edge: 'end', dir: 1 });
	});

	it('the legend lists the new keys', async () => {
		const { REVIEW_SHORTCUTS } = await import('./reviewShortcuts');
		const keys = REVIEW_SHORTCUTS.flatMap((s) => s.keys);
		for (const k of ['l', 'Shift L', 'v', 'Ctrl F']) expect(keys).toContain(k);
	});

	it('leaves Ctrl+F / ⌘F to the find bar, editing or not', () => {
		for (const editing of [false, true]) {
			expect(reviewShortcutFor(key('f', { ctrlKey: true }), editing, labels)).toBeNull();
			expect(reviewShortcutFor(key('f', { metaKey: true }), editing, labels, true)).toBeNull();
		}
	});
});
