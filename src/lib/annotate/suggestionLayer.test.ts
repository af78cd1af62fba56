import { describe, expect, it, vi } from 'vitest';
import { SpanStore } from './spanStore.svelte';
import { SuggestionLayer } from './suggestionLayer.svelte';
import type { Suggestion } from './suggestions';

// «samedi 4 mai 2024» at code points 20..37 (the flag before it is 2 code points, 4 UTF-16 units); «dimanche» at 41..49
const TEXT = 'Le 🇫🇷 groupe a dit, samedi 4 mai 2024 et dimanche, non.';
const cp = (needle: string) => Array.from(TEXT.slice(0, TEXT.indexOf(needle))).length;
const suggest = (needle: string, value: string): Suggestion => ({
	start: cp(needle),
	end: cp(needle) + Array.from(needle).length,
	label: 'date',
	text: needle,
	attrs: { type: 'DATE', value },
	source: 'dates',
	score: 0.9
});
const SAMEDI = suggest('samedi 4 mai 2024', '2024-05-04');
if (SAMEDI.start !== 20 || SAMEDI.end !== 37) throw new Error('the worked example moved');
const DIMANCHE = suggest('dimanche', '2024-05-05');

function setup() {
	const onChange = vi.fn();
	const store = new SpanStore(TEXT, [], onChange);
	const layer = new SuggestionLayer(store, '/unused');
	layer.show([DIMANCHE, SAMEDI]);
	return { store, layer, onChange };
}

describe('SuggestionLayer', () => {
	it('goes through the suggestions in reading order with Tab', () => {
		const { layer } = setup();
		expect(layer.step(1)).toBe(SAMEDI);
		expect(layer.focused).toBe(SAMEDI);
		expect(layer.step(1)).toBe(DIMANCHE);
		expect(layer.step(1)).toBe(SAMEDI);
		expect(layer.step(-1)).toBe(DIMANCHE);
	});

	it('accepting makes a span with the values and the source, in one undoable, saved step; undo brings the suggestion back', () => {
		const { store, layer, onChange } = setup();
		layer.step(1);
		expect(layer.accept()).toBe(true);
		expect(store.spans).toEqual([
			{ id: expect.any(String), start: 20, end: 37, label: 'date', text: 'samedi 4 mai 2024', attrs: { type: 'DATE', value: '2024-05-04' }, source: 'dates' }
		]);
		expect(onChange).toHaveBeenCalledTimes(1);
		expect(layer.visible).toEqual([DIMANCHE]);
		expect(layer.focused).toBe(DIMANCHE);
		store.undo();
		expect(store.spans).toEqual([]);
		expect(layer.visible).toEqual([SAMEDI, DIMANCHE]);
	});

	it('a label key accepts with that label, without the date values; the suggestion is gone', () => {
		const { store, layer } = setup();
		layer.step(1);
		layer.accept('claim');
		expect(store.spans).toEqual([{ id: expect.any(String), start: 20, end: 37, label: 'claim', text: 'samedi 4 mai 2024', source: 'dates' }]);
		expect(layer.visible).toEqual([DIMANCHE]);
	});

	it('rejecting saves a dismissal, hides the suggestion; undo brings it back and redo hides it again', () => {
		const { store, layer, onChange } = setup();
		layer.step(1);
		expect(layer.reject()).toBe(true);
		expect(store.dismissed).toEqual([{ start: 20, end: 37, label: 'date', source: 'dates' }]);
		expect(store.spans).toEqual([]);
		expect(onChange).toHaveBeenCalledTimes(1);
		expect(layer.visible).toEqual([DIMANCHE]);
		expect(layer.focused).toBe(DIMANCHE);
		store.undo();
		expect(store.dismissed).toEqual([]);
		expect(layer.visible).toEqual([SAMEDI, DIMANCHE]);
		store.redo();
		expect(layer.visible).toEqual([DIMANCHE]);
	});

	it('a rejection saved before (the page data) keeps the suggestion hidden', () => {
		const store = new SpanStore(TEXT, [], () => {}, [{ start: 20, end: 37, label: 'date', source: 'dates' }]);
		const layer = new SuggestionLayer(store, '/unused');
		layer.show([SAMEDI, DIMANCHE]);
		expect(layer.visible).toEqual([DIMANCHE]);
	});

	it('selecting a span or text takes the focus away from the suggestion (the keys are theirs then)', () => {
		const { store, layer } = setup();
		layer.step(1);
		store.textSelection = { start: 0, end: 2 };
		expect(layer.focused).toBeNull();
		expect(layer.accept()).toBe(false);
		expect(store.spans).toEqual([]);
	});

	it('accept all of a source is one step, leaving out a rival reading that overlaps one accepted', () => {
		const { store, layer, onChange } = setup();
		const rival = { ...suggest('4 mai 2024', '2024-05-04') };
		const other: Suggestion = { start: cp('et dimanche'), end: cp('et dimanche') + 11, label: 'claim', text: 'et dimanche', source: 'lexicon' };
		layer.show([SAMEDI, rival, DIMANCHE, other]);
		expect(layer.ofSource('dates')).toHaveLength(3);
		expect(layer.acceptAll('dates')).toBe(2);
		expect(onChange).toHaveBeenCalledTimes(1);
		expect(store.spans.map((s) => [s.text, (s as { source?: string }).source])).toEqual([
			['samedi 4 mai 2024', 'dates'],
			['dimanche', 'dates']
		]);
		// the rival overlaps an accepted date: gone; the claim over «et dimanche» is another label: still there
		expect(layer.visible).toEqual([other]);
		store.undo();
		expect(store.spans).toEqual([]);
		expect(layer.acceptAll('nothing')).toBe(0);
	});
});
