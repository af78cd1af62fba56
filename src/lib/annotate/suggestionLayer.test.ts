import { describe, expect, it, vi } from 'vitest';
import { SpanStore } from './spanStore.svelte';
import { SuggestionLayer } from './suggestionLayer.svelte';
import type { Suggestion } from './suggestions';
import { materializeSpans } from '$lib/model/spans';
import type { SpanInput } from '$lib/model/types';

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
		const store = new SpanStore(TEXT, [], () => {});
		store.dismissed = [{ start: 20, end: 37, label: 'date', source: 'dates' }];
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
		expect(store.spans.map((s) => [s.text, s.source])).toEqual([
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

describe('correction mode: unreviewed spans', () => {
	const seeded = () => {
		const onChange = vi.fn();
		const inputs: Array<SpanInput & { attrs?: Record<string, unknown>; source?: string }> = [
			{ start: 20, end: 37, label: 'date', attrs: { value: '2024-05-04' }, source: 'unreviewed:run~crf' },
			{ start: 41, end: 49, label: 'date', source: 'unreviewed:run~crf' }
		];
		const spans = materializeSpans(TEXT, inputs);
		const store = new SpanStore(TEXT, spans, onChange);
		return { store, layer: new SuggestionLayer(store, '/unused'), onChange };
	};
	const sources = (store: SpanStore) => store.spans.map((s) => s.source);

	it('A on one accepts it as it is: the source without the mark, values kept, one undoable step', () => {
		const { store, layer, onChange } = seeded();
		expect(layer.unreviewed).toHaveLength(2);
		expect(layer.review(store.spans[0].id)).toBe(true);
		expect(sources(store)).toEqual(['run~crf', 'unreviewed:run~crf']);
		expect(store.spans[0].attrs).toEqual({ value: '2024-05-04' });
		expect(layer.unreviewed).toHaveLength(1);
		expect(onChange).toHaveBeenCalledTimes(1);
		expect(layer.review(store.spans[0].id)).toBe(false); // reviewed already: nothing to do
		store.undo();
		expect(sources(store)).toEqual(['unreviewed:run~crf', 'unreviewed:run~crf']);
	});

	it('accept all unreviewed is one step', () => {
		const { store, layer, onChange } = seeded();
		expect(layer.reviewAll()).toBe(2);
		expect(sources(store)).toEqual(['run~crf', 'run~crf']);
		expect(onChange).toHaveBeenCalledTimes(1);
		expect(layer.reviewAll()).toBe(0);
	});

	it('changing a value reviews the span and keeps where it came from (an accepted suggestion keeps its source too)', () => {
		const { store } = seeded();
		store.setAttr(store.spans[0].id, 'value', '2024-05-05');
		expect(sources(store)).toEqual(['run~crf', 'unreviewed:run~crf']);
		const dates = setup();
		dates.layer.step(1);
		dates.layer.accept();
		dates.store.setAttr(dates.store.spans[0].id, 'value', 'XXXX-05-04');
		expect(dates.store.spans[0]).toMatchObject({ source: 'dates', attrs: { type: 'DATE', value: 'XXXX-05-04' } });
	});
});
