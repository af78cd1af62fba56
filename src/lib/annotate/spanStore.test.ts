import { describe, expect, it, vi } from 'vitest';
import { SpanStore } from './spanStore.svelte';

const TEXT = 'Fête 👨‍👩‍👧‍👦 à Paris 🇫🇷 le 3 mai\r\nLe 𠮷 de Lyon.';
/** UTF-16 range of `needle` in TEXT, optionally shrunk to mimic a sloppy mouse selection. */
const PARIS = Array.from('Fête 👨‍👩‍👧‍👦 à ').length; // 15: the family emoji is 7 code points
const utf16Of = (needle: string, trimStart = 0, trimEnd = 0) => {
	const at = TEXT.indexOf(needle);
	return { start: at + trimStart, end: at + needle.length - trimEnd };
};

describe('SpanStore', () => {
	it('tags a sloppy selection as whole words, with code point offsets', () => {
		const onChange = vi.fn();
		const store = new SpanStore(TEXT, [], onChange);
		store.textSelection = utf16Of('Paris', 2, 1); // "ri"
		expect(store.candidate).toEqual({ start: PARIS, end: PARIS + 5, text: 'Paris' });
		expect(store.tag('claim')).toBe(true);
		expect(store.spans).toEqual([expect.objectContaining({ start: PARIS, end: PARIS + 5, label: 'claim', text: 'Paris' })]);
		expect(Array.from(TEXT).slice(PARIS, PARIS + 5).join('')).toBe('Paris');
		expect(store.textSelection).toBeNull();
		expect(onChange).toHaveBeenCalledTimes(1);
	});

	it("applies the dataset's quote rule after snapping, but not to an Alt selection", () => {
		const text = 'Il a dit « la réforme sera votée » hier.';
		const at = (n: string) => ({ start: text.indexOf(n), end: text.indexOf(n) + n.length });
		const store = new SpanStore(text, [], () => {});
		store.punctuation = 'include';
		store.textSelection = at('a réforme sera vot'); // sloppy, inside the quotes
		expect(store.candidate?.text).toBe('« la réforme sera votée »');
		store.exact = true;
		expect(store.candidate?.text).toBe('a réforme sera vot');
		store.exact = false;
		store.punctuation = 'exclude';
		store.textSelection = at('« la réforme sera votée »');
		expect(store.candidate?.text).toBe('la réforme sera votée');
	});

	it('selects word by word from the keyboard, going on after the selected span or the last selection', () => {
		const store = new SpanStore(TEXT, [], () => {});
		const selected = () => (store.textSelection ? TEXT.slice(store.textSelection.start, store.textSelection.end) : null);
		expect(store.step(1)).toEqual(utf16Of('Fête'));
		store.step(1);
		store.step(1);
		expect(selected()).toBe('Fête 👨‍👩‍👧‍👦 à');
		expect(store.tag('claim')).toBe(true);
		expect(store.spans[0].text).toBe('Fête 👨‍👩‍👧‍👦 à');
		// the next step starts after what was just tagged
		store.step(1);
		expect(selected()).toBe('Paris');
		store.textSelection = null; // Esc: skip it
		store.step(1);
		expect(selected()).toBe('🇫🇷');
		// a selected span is where the next step starts (→ after it, ← before it)
		store.select(store.spans[0].id);
		store.step(1);
		expect(selected()).toBe('Paris');
		expect(store.selectedId).toBeNull();
		store.select(store.spans[0].id);
		expect(store.step(-1)).toBeNull(); // nothing before the first word
		expect(store.candidate).toEqual({ start: PARIS, end: PARIS + 5, text: 'Paris' });
	});

	it('keeps exact characters when Alt was held', () => {
		const store = new SpanStore(TEXT, [], () => {});
		store.textSelection = utf16Of('Lyon', 1, 1);
		store.exact = true;
		expect(store.candidate?.text).toBe('yo');
	});

	it('relabels, removes, undoes and redoes as snapshots', () => {
		const store = new SpanStore(TEXT, [], () => {});
		store.textSelection = utf16Of('Lyon');
		store.tag('claim');
		const id = store.spans[0].id;
		store.relabel(id, 'date');
		expect(store.spans.map((s) => s.label)).toEqual(['date']);
		expect(store.selected?.label).toBe('date');
		store.remove(store.selectedId!);
		expect(store.spans).toEqual([]);
		expect(store.selectedId).toBeNull();
		store.undo();
		expect(store.spans.map((s) => s.label)).toEqual(['date']);
		store.undo();
		expect(store.spans.map((s) => s.label)).toEqual(['claim']);
		store.redo();
		expect(store.spans.map((s) => s.label)).toEqual(['date']);
		expect(store.canRedo).toBe(true);
	});

	it('selects the innermost of nested spans', () => {
		const store = new SpanStore(TEXT, [], () => {});
		store.commit([
			{ start: 0, end: PARIS + 8, label: 'claim' },
			{ start: PARIS, end: PARIS + 5, label: 'date' }
		]);
		store.selectInnermost(store.spans.map((s) => s.id));
		expect(store.selected?.text).toBe('Paris');
	});

	it('does not record a change that changes nothing', () => {
		const onChange = vi.fn();
		const store = new SpanStore(TEXT, [], onChange);
		store.commit([{ start: PARIS, end: PARIS + 5, label: 'claim' }]);
		expect(store.commit([{ start: PARIS, end: PARIS + 5, label: 'claim' }])).toBe(false);
		expect(onChange).toHaveBeenCalledTimes(1);
	});
});

describe('SpanStore: attributes', () => {
	it('sets and clears a value as one undoable step, the span keeping its id; relabelling drops the values', () => {
		const onChange = vi.fn();
		const store = new SpanStore('samedi 4 mai 2024', [], onChange);
		store.textSelection = { start: 0, end: 17 };
		store.tag('date');
		const id = store.spans[0].id;
		store.setAttr(id, 'value', '2024-05-04');
		store.setAttr(id, 'type', 'DATE');
		expect(store.spans.map((s) => [s.id, { ...s.attrs }])).toEqual([[id, { type: 'DATE', value: '2024-05-04' }]]);
		expect(Object.keys(store.spans[0].attrs!)).toEqual(['type', 'value']);
		store.setAttr(id, 'type', 'DATE'); // no change: no step, no save
		expect(onChange).toHaveBeenCalledTimes(3);
		store.undo();
		expect({ ...store.spans[0].attrs }).toEqual({ value: '2024-05-04' });
		store.redo();
		store.setAttr(id, 'type', null);
		store.setAttr(id, 'value', '');
		expect(store.spans[0]).not.toHaveProperty('attrs');
		store.undo();
		store.select(id);
		store.relabel(id, 'claim');
		expect(store.spans[0]).toMatchObject({ label: 'claim' });
		expect(store.spans[0]).not.toHaveProperty('attrs');
	});
});
