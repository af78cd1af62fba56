import { describe, expect, it } from 'vitest';
import { DEFAULT_LABELS } from '$lib/model/types';
import { shortcutFor } from './shortcuts';

const key = (key: string, extra: Partial<KeyboardEvent> = {}) =>
	shortcutFor({ key, code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra }, DEFAULT_LABELS);

describe('shortcutFor', () => {
	it('maps the dataset label keys to their labels', () => {
		expect(key('1')).toEqual({ type: 'label', label: 'claim' });
		expect(key('4')).toEqual({ type: 'label', label: 'date' });
		expect(key('5')).toBeNull();
	});

	it('matches label keys by code when Alt changes the character (macOS Option)', () => {
		expect(key('¡', { altKey: true, code: 'Digit1' })).toEqual({ type: 'label', label: 'claim' });
	});

	it('maps the bracket keys, by position, to moving the selected span\'s edges', () => {
		expect(key('[', { code: 'BracketLeft' })).toEqual({ type: 'edge', edge: 'start', dir: -1 });
		expect(key('{', { code: 'BracketLeft', shiftKey: true })).toEqual({ type: 'edge', edge: 'start', dir: 1 });
		expect(key(']', { code: 'BracketRight' })).toEqual({ type: 'edge', edge: 'end', dir: 1 });
		expect(key('¨', { code: 'BracketRight', shiftKey: true })).toEqual({ type: 'edge', edge: 'end', dir: -1 }); // AZERTY's key there
	});

	it('maps editing, navigation and help keys', () => {
		expect(key('Delete')).toEqual({ type: 'delete' });
		expect(key('Backspace')).toEqual({ type: 'delete' });
		expect(key('Escape')).toEqual({ type: 'escape' });
		expect(key('j')).toEqual({ type: 'next' });
		expect(key('ArrowRight')).toBeNull(); // arrows belong to the text: no accidental jump to another document
		expect(key('ArrowLeft')).toBeNull();
		expect(key('ArrowRight', { altKey: true })).toEqual({ type: 'next' });
		expect(key('ArrowLeft', { altKey: true })).toEqual({ type: 'previous' });
		expect(key('ArrowRight', { altKey: true, shiftKey: true })).toBeNull();
		expect(key('K', { shiftKey: true })).toBeNull();
		expect(key('k')).toEqual({ type: 'previous' });
		expect(key('ArrowRight', { shiftKey: true })).toEqual({ type: 'step', dir: 1 });
		expect(key('ArrowLeft', { shiftKey: true })).toEqual({ type: 'step', dir: -1 });
		expect(key('?', { shiftKey: true })).toEqual({ type: 'help' });
	});

	it('maps Ctrl/Cmd combinations to undo, redo and done', () => {
		expect(key('z', { ctrlKey: true })).toEqual({ type: 'undo' });
		expect(key('Z', { ctrlKey: true, shiftKey: true })).toEqual({ type: 'redo' });
		expect(key('y', { ctrlKey: true })).toEqual({ type: 'redo' });
		expect(key('z', { metaKey: true })).toEqual({ type: 'undo' });
		expect(key('Enter', { ctrlKey: true })).toEqual({ type: 'done' });
		expect(key('1', { ctrlKey: true })).toBeNull(); // browser tab switching stays the browser's
	});
});

describe('shortcutFor: attributes', () => {
	it('Enter opens the selected span’s attributes; Ctrl+Enter stays "done", Shift/Alt+Enter do nothing', () => {
		expect(key('Enter')).toEqual({ type: 'attributes' });
		expect(key('Enter', { ctrlKey: true })).toEqual({ type: 'done' });
		expect(key('Enter', { shiftKey: true })).toBeNull();
		expect(key('Enter', { altKey: true })).toBeNull();
	});
});
