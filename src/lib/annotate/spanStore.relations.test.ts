import { describe, expect, it, vi } from 'vitest';
import { SpanStore, moveEdge } from './spanStore.svelte';
import { materializeSpans } from '$lib/model/spans';
import { wordRanges } from './selection';
import type { RelationType } from '$lib/model/types';

// the emoji puts UTF-16 and code point offsets apart: «Il pleut» starts at code point 3, UTF-16 4
const TEXT = '🌧 «Il pleut», a dit Marie. Il neige.';
const SOURCE_OF: RelationType = { name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] };
const at = (needle: string) => {
	const u = TEXT.indexOf(needle);
	const start = Array.from(TEXT.slice(0, u)).length;
	return { start, end: start + Array.from(needle).length };
};

function storeWithLink() {
	const onChange = vi.fn();
	const spans = materializeSpans(TEXT, [
		{ ...at('Il pleut'), label: 'claim' },
		{ ...at('a dit Marie'), label: 'attribution' }
	]);
	const store = new SpanStore(TEXT, spans, onChange);
	store.relationTypes = [SOURCE_OF];
	const [claim, attribution] = store.spans;
	expect(store.link(attribution.id, claim.id, 'source-of')).toBe(true);
	expect(store.link(attribution.id, claim.id, 'source-of')).toBe(false); // once only
	return { store, onChange, claim, attribution };
}

describe('SpanStore relations', () => {
	it('re-points a relation when its claim is relabelled… or drops it, saying why, and undo brings it back', () => {
		const { store, attribution, claim } = storeWithLink();
		store.relationTypes = [{ ...SOURCE_OF, to: ['claim', 'framing'] }];
		store.relabel(claim.id, 'framing');
		const framing = store.spans.find((s) => s.label === 'framing')!;
		expect(store.relations).toEqual([expect.objectContaining({ from: attribution.id, to: framing.id })]);
		store.relationTypes = [SOURCE_OF];
		store.relabel(framing.id, 'date');
		expect(store.relations).toEqual([]);
		expect(store.dropped.map((d) => d.reason)).toEqual(['source-of (attribution → claim) cannot link attribution → date']);
		store.undo();
		expect(store.relations).toEqual([expect.objectContaining({ from: attribution.id, to: framing.id })]);
		expect(store.dropped).toEqual([]);
	});

	it('follows a boundary edit of the claim (a new id) and deletes with the span; undo restores both', () => {
		const { store, attribution, claim, onChange } = storeWithLink();
		store.select(claim.id);
		// the end takes in the next word («a»): the span grows over the closing quote and comma
		expect(store.moveSelectedEdge('end', 1)).toBe(true);
		const grown = store.selected!;
		expect(grown.text).toBe('Il pleut», a');
		expect(store.relations).toEqual([expect.objectContaining({ from: attribution.id, to: grown.id })]);
		store.remove(attribution.id);
		expect(store.spans).toHaveLength(1);
		expect(store.relations).toEqual([]);
		store.undo();
		expect(store.spans.map((s) => s.id)).toEqual([grown.id, attribution.id]);
		expect(store.relations).toEqual([expect.objectContaining({ from: attribution.id, to: grown.id })]);
		store.redo();
		expect(store.relations).toEqual([]);
		expect(onChange).toHaveBeenCalledTimes(5); // link, edge, remove, undo, redo
	});

	it('unlinks as one undoable step', () => {
		const { store } = storeWithLink();
		const [r] = store.relations;
		store.unlink(r.id);
		expect(store.relations).toEqual([]);
		store.undo();
		expect(store.relations).toEqual([r]);
	});
});

describe('moveEdge', () => {
	const text = 'un deux trois quatre';
	const words = wordRanges(text); // un 0–2, deux 3–7, trois 8–13, quatre 14–20
	it('moves either edge by one word, never to an empty span', () => {
		expect(moveEdge(words, { start: 3, end: 7 }, 'end', 1)).toEqual({ start: 3, end: 13 });
		expect(moveEdge(words, { start: 3, end: 13 }, 'end', -1)).toEqual({ start: 3, end: 7 });
		expect(moveEdge(words, { start: 3, end: 7 }, 'end', -1)).toBeNull();
		expect(moveEdge(words, { start: 3, end: 7 }, 'start', -1)).toEqual({ start: 0, end: 7 });
		expect(moveEdge(words, { start: 3, end: 13 }, 'start', 1)).toEqual({ start: 8, end: 13 });
		expect(moveEdge(words, { start: 14, end: 20 }, 'end', 1)).toBeNull();
	});
});
