import { describe, expect, it } from 'vitest';
import { materializeSpans } from '$lib/model/spans';
import type { RelationType } from '$lib/model/types';
import { SpanStore } from './spanStore.svelte';
import { RelationLinker } from './relationLinker.svelte';

const TEXT = '«Le ciel est bleu», a dit Paul. «Il pleut», dit Marie.';
const SOURCE_OF: RelationType = { name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] };
const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra });
const at = (needle: string) => ({ start: TEXT.indexOf(needle), end: TEXT.indexOf(needle) + needle.length }); // no astral characters here

function setup() {
	const spans = materializeSpans(TEXT, [
		{ ...at('Le ciel est bleu'), label: 'claim' },
		{ ...at('a dit Paul'), label: 'attribution' },
		{ ...at('Il pleut'), label: 'claim' }
	]);
	const store = new SpanStore(TEXT, spans, () => {});
	store.relationTypes = [SOURCE_OF];
	const linker = new RelationLinker(store, [SOURCE_OF]);
	const [sky, paul, rain] = store.spans;
	return { store, linker, sky, paul, rain };
}

describe('RelationLinker', () => {
	it('R then S starts a link from the selected span; Tab cycles the claims nearest first; Enter links', () => {
		const { store, linker, sky, paul, rain } = setup();
		store.select(paul.id);
		expect(linker.startKey(key('r'))).toBe(true);
		expect(linker.choosingType).toBe(true);
		expect(linker.onKey(key('s'))).toBe(true);
		// «a dit Paul» is 3 characters after «Le ciel est bleu» and 3 before «Il pleut»: a tie, the earlier first
		expect(linker.candidate?.id).toBe(sky.id);
		expect(linker.message).toBe('source-of to «Le ciel est bleu» (1 of 2: Tab or arrows for the next): Enter links, Esc cancels');
		linker.onKey(key('Tab'));
		expect(linker.candidate?.id).toBe(rain.id);
		linker.onKey(key('Tab', { shiftKey: true }));
		linker.onKey(key('ArrowLeft'));
		expect(linker.candidate?.id).toBe(rain.id);
		expect(linker.onKey(key('Enter'))).toBe(true);
		expect(store.relations).toEqual([expect.objectContaining({ from: paul.id, to: rain.id, label: 'source-of' })]);
		expect(linker.active).toBe(false);
		expect(store.selectedId).toBe(paul.id);
	});

	it('the type key alone starts it; Esc cancels and links nothing; a span the type does not allow is refused with the reason', () => {
		const { store, linker, sky, paul } = setup();
		store.select(sky.id);
		expect(linker.startKey(key('s'))).toBe(true);
		// from a claim the link goes backwards: the candidates are attributions
		expect(linker.linking).toMatchObject({ reverse: true, candidates: [paul] });
		expect(linker.confirm(sky.id)).toBe(false);
		expect(linker.message).toContain('cannot be linked here: source-of (attribution → claim) (it is the span being linked)');
		expect(linker.onKey(key('Escape'))).toBe(true);
		expect(linker.active).toBe(false);
		expect(store.relations).toEqual([]);
		linker.startKey(key('s'));
		expect(linker.confirm(paul.id)).toBe(true);
		expect(store.relations).toEqual([expect.objectContaining({ from: paul.id, to: sky.id })]);
	});

	it('says what to do with nothing selected, and leaves other keys and Ctrl combinations alone', () => {
		const { linker } = setup();
		expect(linker.startKey(key('s'))).toBe(true);
		expect(linker.message).toBe('Select a span first, then press S to link it (source-of (attribution → claim))');
		expect(linker.startKey(key('x'))).toBe(false);
		expect(linker.startKey(key('s', { ctrlKey: true }))).toBe(false);
	});
});
