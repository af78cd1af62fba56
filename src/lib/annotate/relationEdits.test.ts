import { describe, expect, it } from 'vitest';
import { materializeSpans } from '$lib/model/spans';
import { relationId } from '$lib/model/relations';
import type { RelationType } from '$lib/model/types';
import { arrowShape, cycle, linkTargets, makeRelation, repointRelations } from './relationEdits';

// «Le ciel est bleu», a dit Paul. Il pleut, dit Marie.
const TEXT = '«Le ciel est bleu», a dit Paul. Il pleut, dit Marie.';
const SOURCE_OF: RelationType = { name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] };
const spans = materializeSpans(TEXT, [
	{ start: 1, end: 17, label: 'claim' }, // Le ciel est bleu
	{ start: 20, end: 30, label: 'attribution' }, // a dit Paul
	{ start: 32, end: 40, label: 'claim' }, // Il pleut
	{ start: 42, end: 51, label: 'attribution' } // dit Marie
]);
const [claim1, attr1, claim2, attr2] = spans;

describe('relationId', () => {
	it('is r + FNV-1a 64 of from>to:label', () => {
		// computed with Python:
		// h=0xcbf29ce484222325; for b in b"a>b:c": h=((h^b)*0x100000001b3)%2**64
		expect(relationId('a', 'b', 'c')).toBe('rdb8660393c57bbe3');
		expect(relationId('a', 'b', 'c')).not.toBe(relationId('b', 'a', 'c'));
	});
});

describe('repointRelations', () => {
	const rel = makeRelation(attr1.id, claim1.id, 'source-of');

	it('keeps a relation on its span through a boundary edit (new id)', () => {
		const moved = materializeSpans(TEXT, [{ start: 0, end: 18, label: 'claim' }, attr1, claim2, attr2]);
		const out = repointRelations([rel], moved, new Map([[claim1.id, moved[0].id]]), [SOURCE_OF]);
		expect(out.dropped).toEqual([]);
		expect(out.relations).toEqual([{ id: relationId(attr1.id, moved[0].id, 'source-of'), from: attr1.id, to: moved[0].id, label: 'source-of' }]);
	});

	it('drops it, saying why, when a relabel leaves a label pair the type does not allow', () => {
		const relabelled = materializeSpans(TEXT, [{ start: 1, end: 17, label: 'framing' }, attr1, claim2, attr2]);
		const out = repointRelations([rel], relabelled, new Map([[claim1.id, relabelled[0].id]]), [SOURCE_OF]);
		expect(out.relations).toEqual([]);
		expect(out.dropped).toEqual([{ relation: rel, reason: 'source-of (attribution → claim) cannot link attribution → framing' }]);
	});

	it('drops the relations of a removed span, and leaves the others as they were (same array)', () => {
		const other = makeRelation(attr2.id, claim2.id, 'source-of');
		const out = repointRelations([rel, other], [claim1, claim2, attr2], new Map(), [SOURCE_OF]);
		expect(out.relations).toEqual([other]);
		expect(out.dropped).toEqual([{ relation: rel, reason: 'its span was removed' }]);
		const same = [rel, other];
		expect(repointRelations(same, spans, new Map(), [SOURCE_OF]).relations).toBe(same);
	});

	it('keeps one of two relations re-pointed onto the same pair', () => {
		const a = makeRelation(attr1.id, claim1.id, 'source-of');
		const b = makeRelation(attr1.id, claim2.id, 'source-of');
		const merged = [claim1, attr1, attr2];
		const out = repointRelations([a, b], merged, new Map([[claim2.id, claim1.id]]), [SOURCE_OF]);
		expect(out.relations).toEqual([a]);
	});
});

describe('linkTargets', () => {
	it('offers the claims nearest first from an attribution', () => {
		const t = linkTargets(spans, [], attr2, SOURCE_OF);
		expect(t).toEqual({ reverse: false, candidates: [claim2, claim1], problem: null });
		// «a dit Paul» (20–30): «Le ciel est bleu» ends 3 before it, «Il pleut» starts 2 after
		expect(linkTargets(spans, [], attr1, SOURCE_OF).candidates).toEqual([claim2, claim1]);
	});

	it('links backwards from a claim: the candidates are attributions', () => {
		expect(linkTargets(spans, [], claim1, SOURCE_OF)).toEqual({ reverse: true, candidates: [attr1, attr2], problem: null });
	});

	it('leaves out spans already linked, and says so when none is left', () => {
		const linked = [makeRelation(attr1.id, claim1.id, 'source-of'), makeRelation(attr1.id, claim2.id, 'source-of')];
		expect(linkTargets(spans, linked, attr1, SOURCE_OF)).toEqual({ reverse: false, candidates: [], problem: 'every claim span is linked to this one already by source-of' });
	});

	it('names the rule when the label cannot take part, or nothing is there to link to', () => {
		const date = materializeSpans(TEXT, [{ start: 35, end: 40, label: 'date' }])[0];
		expect(linkTargets([date], [], date, SOURCE_OF).problem).toBe('source-of (attribution → claim) cannot start or end on a date span');
		expect(linkTargets([attr1], [], attr1, SOURCE_OF).problem).toBe('there is no claim span to link to (source-of (attribution → claim))');
	});
});

describe('cycle', () => {
	it('wraps around both ways', () => {
		expect([cycle(0, 3, 1), cycle(2, 3, 1), cycle(0, 3, -1), cycle(1, 3, -1), cycle(0, 0, 1)]).toEqual([1, 0, 2, 0, 0]);
	});
});

describe('arrowShape', () => {
	it('arcs from the top middle of one box to the top middle of the other, higher for longer links', () => {
		// x1 = 10, x2 = 120, y = 100 - 2 = 98; lift = 12 + 110 / 10 = 23, so the control points sit at 75
		const a = arrowShape({ left: 0, top: 100, width: 20, height: 20 }, { left: 100, top: 100, width: 40, height: 20 });
		expect(a.d).toBe('M10 98 C10 75 120 75 120 98');
		// middle: x = (10 + 30 + 360 + 120) / 8 = 65, y = (98 + 225 + 225 + 98) / 8 = 80.75 → 80.8
		expect(a.mid).toEqual({ x: 65, y: 80.8 });
	});

	it('goes above the higher line when the ends are on different lines, and caps the rise at 48 px', () => {
		const a = arrowShape({ left: 600, top: 140, width: 100, height: 20 }, { left: 0, top: 100, width: 200, height: 20 });
		// x1 = 650, y1 = 138, x2 = 100, y2 = 98; lift = min(48, 12 + 55) = 48; cy = 98 - 48 = 50
		expect(a.d).toBe('M650 138 C650 50 100 50 100 98');
	});
});
