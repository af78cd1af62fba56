import { describe, expect, it } from 'vitest';
import {
	acceptRelation,
	attrsByAnnotator,
	attrsOnAccept,
	collectRelationCandidates,
	differingAttributes,
	pruneRelations,
	rejectRelation,
	relationDecision,
	relationKey,
	reopenRelation,
	repointRelations,
	valueChoicesOf,
	withValue,
	type RelationVoter
} from './reviewRelations';
import { spanId } from '../model/spans';
import { DATE_ATTRIBUTES } from '../model/attributes';

// «Les frappes …», a déclaré le groupe samedi 4 mai 2024.
const claim = { start: 0, end: 12, label: 'claim' };
const claimLong = { start: 0, end: 14, label: 'claim' };
const attribution = { start: 15, end: 33, label: 'attribution' };
const date = { start: 34, end: 51, label: 'date' };
const types = [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }];

const voter = (name: string, spans: Array<typeof claim & { attrs?: Record<string, unknown> }>, relations: Array<[number, number]> = []): RelationVoter => {
	// stored ids are whatever the set has; relations point at them
	const withIds = spans.map((s, i) => ({ ...s, id: `${name}-${i}` }));
	return { name, spans: withIds, relations: relations.map(([f, t]) => ({ from: withIds[f].id, to: withIds[t].id, label: 'source-of' })) };
};

describe('collectRelationCandidates', () => {
	it('one candidate per (from span, to span, type), whoever drew it; agreed when every voter did', () => {
		const ann = voter('ann', [attribution, claim, date], [[0, 1]]);
		const bob = voter('bob', [claim, attribution], [[1, 0]]);
		const cy = voter('cy', [attribution, claimLong], [[0, 1]]);
		const cs = collectRelationCandidates([ann, bob, cy]);
		expect(cs.map((c) => [c.from.start, c.to.end, c.annotators, c.agreed])).toEqual([
			[15, 12, ['ann', 'bob'], false],
			[15, 14, ['cy'], false]
		]);
		expect(cs[0].key).toBe(relationKey({ from: spanId(attribution), to: spanId(claim), label: 'source-of' }));
		expect(collectRelationCandidates([ann, bob])[0].agreed).toBe(true);
		// one voter: nothing is agreed; a dangling end is left out
		expect(collectRelationCandidates([ann])[0].agreed).toBe(false);
		expect(collectRelationCandidates([{ name: 'x', spans: [], relations: [{ from: 'gone', to: 'gone2', label: 'source-of' }] }])).toEqual([]);
	});
});

describe('accepting and rejecting relations', () => {
	const [c] = collectRelationCandidates([voter('ann', [attribution, claim], [[0, 1]])]);
	const none = { relations: [], rejected: [] };

	it('needs both ends in gold: open ends come with it, a rejected end is named', () => {
		const both = acceptRelation(none, c, new Set([spanId(attribution), spanId(claim)]), new Set());
		expect(both).toEqual({ ok: true, verdicts: { relations: [{ from: spanId(attribution), to: spanId(claim), label: 'source-of' }], rejected: [] }, ends: [] });
		const open = acceptRelation(none, c, new Set([spanId(claim)]), new Set());
		expect(open.ok && open.ends).toEqual([attribution]);
		const refused = acceptRelation(none, c, new Set([spanId(claim)]), new Set([spanId(attribution)]), (s) => s.label);
		expect(refused).toEqual({ ok: false, reason: 'its source attribution was rejected: reopen it (o) first' });
	});

	it('decisions: accepted, rejected, reopened', () => {
		const accepted = acceptRelation(none, c, new Set([spanId(attribution), spanId(claim)]), new Set());
		if (!accepted.ok) throw new Error('refused');
		expect(relationDecision(c, accepted.verdicts.relations, new Set())).toBe('accepted');
		const rejected = rejectRelation(accepted.verdicts, c.key, true);
		expect(rejected).toEqual({ relations: [], rejected: [c.key] });
		expect(relationDecision(c, rejected.relations, new Set(rejected.rejected))).toBe('rejected');
		expect(relationDecision(c, [], new Set(reopenRelation(rejected, c.key).rejected))).toBe('open');
		// accepting a rejected relation takes back the rejection
		const again = acceptRelation(rejected, c, new Set([spanId(attribution), spanId(claim)]), new Set());
		expect(again.ok && again.verdicts.rejected).toEqual([]);
	});

	it('gold relations go with their spans, and follow an edited span when the type allows its label', () => {
		const r = { from: spanId(attribution), to: spanId(claim), label: 'source-of' };
		expect(pruneRelations([r], [attribution, claim])).toEqual([r]);
		expect(pruneRelations([r], [attribution])).toEqual([]);
		const labelOf = (id: string) => [attribution, claim].find((s) => spanId(s) === id)?.label;
		// the claim's boundary moves: the relation follows it
		expect(repointRelations([r], claim, claimLong, types, labelOf)).toEqual({ relations: [{ ...r, to: spanId(claimLong) }], dropped: [] });
		// the claim becomes framing: source-of does not allow it, the relation must go
		const framing = { ...claim, label: 'framing' };
		expect(repointRelations([r], claim, framing, types, labelOf)).toEqual({ relations: [], dropped: [r] });
	});
});

describe('attribute values', () => {
	const ann = voter('ann', [{ ...date, attrs: { value: '2024-05-04', type: 'DATE' } }]);
	const bob = voter('bob', [{ ...date, attrs: { value: '2024-05-14', type: 'DATE' } }]);
	const cy = voter('cy', [{ ...date, attrs: { type: 'DATE' } }]);
	const byAnnotator = attrsByAnnotator([ann, bob, cy, voter('dan', [claim])], spanId(date));

	it("each annotator's values for the span, looked up by content (not the stored id)", () => {
		expect(byAnnotator.map((x) => x.name)).toEqual(['ann', 'bob', 'cy']);
		expect(differingAttributes(byAnnotator, DATE_ATTRIBUTES)).toEqual(['value']);
		expect(differingAttributes(byAnnotator.slice(0, 1), DATE_ATTRIBUTES)).toEqual([]);
	});

	it('accept carries the values of the lane the span was taken from (else the first voter)', () => {
		expect(attrsOnAccept(byAnnotator, 'bob', DATE_ATTRIBUTES)).toEqual({ type: 'DATE', value: '2024-05-14' });
		expect(attrsOnAccept(byAnnotator, 'gold', DATE_ATTRIBUTES)).toEqual({ type: 'DATE', value: '2024-05-04' });
		// an attribute the label does not define is not carried
		const odd = attrsByAnnotator([voter('x', [{ ...date, attrs: { value: '2024', mood: 'x' } }])], spanId(date));
		expect(attrsOnAccept(odd, 'x', DATE_ATTRIBUTES)).toEqual({ value: '2024' });
	});

	it('choices: the values given (with who), then the other options; at most nine', () => {
		expect(valueChoicesOf(DATE_ATTRIBUTES[0], byAnnotator)).toEqual([
			{ value: '2024-05-04', annotators: ['ann'] },
			{ value: '2024-05-14', annotators: ['bob'] }
		]);
		expect(valueChoicesOf(DATE_ATTRIBUTES[1], byAnnotator)).toEqual([
			{ value: 'DATE', annotators: ['ann', 'bob', 'cy'] },
			{ value: 'TIME', annotators: [] },
			{ value: 'DURATION', annotators: [] },
			{ value: 'SET', annotators: [] }
		]);
		expect(valueChoicesOf({ name: 'checked', type: 'boolean' }, [])).toEqual([
			{ value: true, annotators: [] },
			{ value: false, annotators: [] }
		]);
		const many = { name: 'n', type: 'enum' as const, options: Array.from({ length: 12 }, (_, i) => `o${i}`) };
		expect(valueChoicesOf(many, [])).toHaveLength(9);
	});

	it('withValue sets or clears one value; prototype names are ordinary names', () => {
		expect(withValue({ type: 'DATE' }, 'value', '2024')).toEqual({ type: 'DATE', value: '2024' });
		expect(withValue({ type: 'DATE' }, 'type', undefined)).toBeUndefined();
		const v = withValue(undefined, 'constructor', 'x')!;
		expect(Object.getPrototypeOf(v)).toBeNull();
		expect(v.constructor).toBe('x');
	});
});
