import { describe, expect, it } from 'vitest';
import {
	checkRelations,
	countRelationsByType,
	defaultRelationTypes,
	diffRelationTypes,
	disallowedRelations,
	relationId,
	relationTypeProblems,
	relationTypesSchema,
	remapRelations,
	resolveRelations,
	retypeRelations,
	sortRelations,
	spanSourceProblem,
	validateRelations
} from './relations';
import { materializeSpans, spanId } from './spans';
import { DEFAULT_LABELS, type RelationType } from './types';

// ids computed independently with python3:
//   def f(k): h=0xcbf29ce484222325; [h := ((h ^ b) * 0x100000001b3) % 2**64 for b in k.encode()]; return '%016x' % h
describe('relationId', () => {
	it('is r + FNV-1a 64 of from>to:label', () => {
		expect(relationId('s90169e2639454960', 's2b45e7efbfaeeaf3', 'source-of')).toBe('rdd917294534f7563');
		expect(relationId('a', 'b', 'x')).toBe('rdb8659393c57affe');
		expect(relationId('s1', 's2', 'café')).toBe('r34ca26716537be3c'); // UTF-8 bytes of é
	});
	it('depends on direction and label', () => {
		expect(relationId('a', 'b', 'x')).not.toBe(relationId('b', 'a', 'x'));
		expect(relationId('a', 'b', 'x')).not.toBe(relationId('a', 'b', 'y'));
	});
});

const TYPES: RelationType[] = [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }];
const LABELS = ['claim', 'attribution', 'framing', 'date'];
// "Ils ont frappé, a dit le groupe." claim [0,14) attribution [16,31)
const SPANS = [
	{ start: 0, end: 14, label: 'claim' },
	{ start: 16, end: 31, label: 'attribution' },
	{ start: 16, end: 31, label: 'date' }
];

describe('validateRelations', () => {
	it('accepts indexes and span ids', () => {
		expect(validateRelations(SPANS, [{ from: 1, to: 0, label: 'source-of' }], TYPES, LABELS)).toEqual([]);
		expect(validateRelations(SPANS, [{ from: spanId(SPANS[1]), to: spanId(SPANS[0]), label: 'source-of' }], TYPES, LABELS)).toEqual([]);
	});

	it('names each problem by the relation index', () => {
		const problems = validateRelations(
			SPANS,
			[
				{ from: 1, to: 0, label: 'said-by' }, // 0: unknown type
				{ from: 1, to: 7, label: 'source-of' }, // 1: out of range
				{ from: 1, to: 1, label: 'source-of' }, // 2: self
				{ from: 0, to: 1, label: 'source-of' }, // 3: wrong direction
				{ from: 1, to: 0, label: 'source-of' }, // 4: fine
				{ from: spanId(SPANS[1]), to: 0, label: 'source-of' }, // 5: same as 4
				{ from: 'sdeadbeefdeadbeef', to: 0, label: 'source-of' }, // 6: not a span of the save
				{ from: 2, to: 0, label: 'source-of' }, // 7: date is not an attribution
				{ from: -1, to: 0.5, label: 'source-of' } // 8: two bad ends
			],
			TYPES,
			LABELS
		);
		expect(problems.map((p) => p.message)).toEqual([
			'relation 0: unknown relation type "said-by" (known: source-of)',
			'relation 1: to 7 is out of range (the request has 3 spans: 0 to 2)',
			'relation 2: a span cannot be related to itself (span 1)',
			'relation 3: "source-of" goes from attribution to claim, not from claim (span 0) to attribution (span 1)',
			'relation 5: the same relation as relation 4 (send each relation once)',
			'relation 6: from "sdeadbeefdeadbeef" is not the id of a span of this save (a span that was deleted or relabelled: drop or re-point its relations)',
			'relation 7: "source-of" goes from attribution to claim, not from date (span 2) to claim (span 0)',
			'relation 8: from -1 is out of range (the request has 3 spans: 0 to 2)',
			'relation 8: to 0.5 is not a whole number (a span index or a span id)'
		]);
	});

	it('treats two equal spans as one (a relation between them is a self-relation)', () => {
		const spans = [SPANS[1], { ...SPANS[1] }];
		expect(validateRelations(spans, [{ from: 0, to: 1, label: 'source-of' }], TYPES)[0].message).toBe(
			'relation 0: a span cannot be related to itself (span 0 and span 1 are the same span)'
		);
	});

	it('takes Object.prototype names as ordinary unknown names', () => {
		const problems = validateRelations(SPANS, [{ from: 1, to: 0, label: '__proto__' }, { from: 1, to: 0, label: 'constructor' }], TYPES);
		expect(problems.map((p) => p.message)).toEqual([
			'relation 0: unknown relation type "__proto__" (known: source-of)',
			'relation 1: unknown relation type "constructor" (known: source-of)'
		]);
		expect(validateRelations(SPANS, [{ from: 'constructor', to: 0, label: 'source-of' }], TYPES)[0].message).toContain('is not the id of a span');
	});

	it('is linear: ten times the relations take about ten times as long, not a hundred', () => {
		const spans = Array.from({ length: 2000 }, (_, i) => ({ start: i * 10, end: i * 10 + 5, label: i % 2 ? 'claim' : 'attribution' }));
		const relationsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ from: (i % 1000) * 2, to: ((i * 7) % 1000) * 2 + 1, label: 'source-of' }));
		const small = relationsOf(10_000);
		const large = relationsOf(100_000);
		const best = (relations: typeof small) => {
			let ms = Infinity;
			for (let i = 0; i < 3; i++) {
				const t = performance.now();
				validateRelations(spans, relations, TYPES);
				ms = Math.min(ms, performance.now() - t);
			}
			return ms;
		};
		best(small); // warm
		// a loaded machine (a GC pause, another process) can slow one measurement: the best of three
		// attempts counts; quadratic code would be ~100 on every attempt
		let ratio = Infinity;
		for (let attempt = 0; attempt < 3 && ratio >= 40; attempt++) ratio = Math.min(ratio, best(large) / best(small));
		expect(ratio).toBeLessThan(40);
		// the ends depend on i mod 1000: 1,000 distinct relations, the rest duplicates
		expect(validateRelations(spans, large, TYPES).length).toBe(99_000);
	});
});

describe('resolveRelations and sortRelations', () => {
	it('resolves ends to span ids and orders by from span, to span, label', () => {
		const text = 'Ils ont frappé, a dit le groupe.';
		const spans = [
			{ start: 16, end: 31, label: 'attribution' },
			{ start: 0, end: 14, label: 'claim' },
			{ start: 0, end: 3, label: 'attribution' }
		];
		const types: RelationType[] = [...TYPES, { name: 'cites', key: 'c', from: ['attribution'], to: ['claim', 'attribution'] }];
		const ordered = materializeSpans(text, spans); // [0,3) attribution, [0,14) claim, [16,31) attribution
		const relations = resolveRelations(
			spans,
			[
				{ from: 0, to: 1, label: 'source-of' },
				{ from: 2, to: 1, label: 'source-of' },
				{ from: 2, to: 0, label: 'cites' },
				{ from: 2, to: 1, label: 'cites' }
			],
			ordered
		);
		const [a03, claim, a1631] = ordered.map((s) => s.id);
		expect(relations).toEqual([
			{ id: relationId(a03, claim, 'cites'), from: a03, to: claim, label: 'cites' },
			{ id: relationId(a03, claim, 'source-of'), from: a03, to: claim, label: 'source-of' },
			{ id: relationId(a03, a1631, 'cites'), from: a03, to: a1631, label: 'cites' },
			{ id: relationId(a1631, claim, 'source-of'), from: a1631, to: claim, label: 'source-of' }
		]);
		expect(validateRelations(spans, [{ from: 2, to: 0, label: 'cites' }], types)).toEqual([]);
		expect(sortRelations([...relations].reverse(), ordered)).toEqual(relations);
	});
});

describe('remapRelations', () => {
	const claim = { start: 0, end: 14, label: 'claim' };
	const attribution = { start: 16, end: 31, label: 'attribution' };
	const r = { id: relationId(spanId(attribution), spanId(claim), 'source-of'), from: spanId(attribution), to: spanId(claim), label: 'source-of' };

	it('follows a boundary edit of an end, with a new id', () => {
		const wider = { start: 0, end: 15, label: 'claim' };
		const { relations, dropped } = remapRelations([r], [claim, attribution], [wider, attribution]);
		expect(dropped).toEqual([]);
		expect(relations).toEqual([{ id: relationId(spanId(attribution), spanId(wider), 'source-of'), from: spanId(attribution), to: spanId(wider), label: 'source-of' }]);
	});

	it('drops a relation whose end was deleted, or whose ends became one span', () => {
		expect(remapRelations([r], [claim], [null]).dropped).toEqual([r]);
		expect(remapRelations([r], [claim], [attribution])).toEqual({ relations: [], dropped: [r] });
	});

	it('merges two relations that became the same', () => {
		const claim2 = { start: 0, end: 15, label: 'claim' };
		const r2 = { id: relationId(spanId(attribution), spanId(claim2), 'source-of'), from: spanId(attribution), to: spanId(claim2), label: 'source-of' };
		const { relations } = remapRelations([r, r2], [claim2], [claim]);
		expect(relations).toEqual([r]);
	});
});

describe('disallowedRelations', () => {
	it('lists relations whose type is gone or no longer allows the labels of their ends', () => {
		const claim = { id: 'sc', label: 'claim' };
		const att = { id: 'sa', label: 'attribution' };
		const ok = { id: 'r1', from: 'sa', to: 'sc', label: 'source-of' };
		const backwards = { id: 'r2', from: 'sc', to: 'sa', label: 'source-of' };
		const gone = { id: 'r3', from: 'sa', to: 'sc', label: 'cites' };
		expect(disallowedRelations([ok, backwards, gone], [claim, att], TYPES)).toEqual([backwards, gone]);
	});
});

describe('relation types', () => {
	it('parses to one stored shape', () => {
		const parsed = relationTypesSchema.parse([{ name: ' source-of ', key: 'S', from: ['attribution', 'attribution'], to: ['claim'] }]);
		expect(parsed).toEqual([{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }]);
		expect(relationTypesSchema.parse([{ name: 'cites', from: ['claim'], to: ['claim'] }])).toEqual([{ name: 'cites', key: '', from: ['claim'], to: ['claim'] }]);
	});

	it('refuses reserved names and keys, duplicates and empty ends', () => {
		const messages = (v: unknown) => relationTypesSchema.safeParse(v).error?.issues.map((i) => i.message) ?? [];
		expect(messages([{ name: '__proto__', key: 's', from: ['a'], to: ['b'] }])[0]).toContain('"__proto__" is reserved');
		expect(messages([{ name: 'x', key: 'r', from: ['a'], to: ['b'] }])[0]).toBe('relation type key: j, k, u, z, r, a, x are reserved by the annotation view');
		expect(messages([{ name: 'x', key: 's', from: [], to: ['b'] }])[0]).toBe('a relation type needs at least one "from" label');
		expect(messages([{ name: 'x', key: 's', from: ['__proto__'], to: ['b'] }])[0]).toContain('"__proto__" is reserved');
		expect(
			messages([
				{ name: 'x', key: 's', from: ['a'], to: ['b'] },
				{ name: 'x', key: 's', from: ['a'], to: ['b'] }
			])
		).toEqual(['relation type "x" appears twice', 'key "s" is used by two relation types']);
		// constructor is an ordinary name
		expect(relationTypesSchema.safeParse([{ name: 'constructor', key: 'c', from: ['a'], to: ['b'] }]).success).toBe(true);
	});

	it('checks the types against the labels they join', () => {
		expect(relationTypeProblems(TYPES, DEFAULT_LABELS)).toEqual([]);
		expect(
			relationTypeProblems([{ name: 'cites', key: '1', from: ['quote'], to: ['claim', 'constructor'] }], DEFAULT_LABELS)
		).toEqual([
			'relation type "cites": "from" label "quote" is not a label of the dataset',
			'relation type "cites": "to" label "constructor" is not a label of the dataset',
			'relation type "cites": key "1" is the key of label "claim"'
		]);
	});

	it('has defaults that fit the label set', () => {
		expect(defaultRelationTypes(DEFAULT_LABELS)).toEqual(TYPES);
		expect(defaultRelationTypes([{ name: 'claim' }])).toEqual([]);
	});

	it('renames and removes types, and the relations that have them', () => {
		const change = diffRelationTypes(
			[...TYPES, { name: 'cites', key: 'c', from: ['claim'], to: ['claim'] }],
			[{ name: 'attributed-to', key: 's', from: ['attribution'], to: ['claim'] }],
			{ 'source-of': 'attributed-to' }
		);
		expect(change).toEqual({ renamed: [{ from: 'source-of', to: 'attributed-to' }], removed: ['cites'] });
		const relations = [
			{ id: relationId('sa', 'sc', 'source-of'), from: 'sa', to: 'sc', label: 'source-of' },
			{ id: relationId('sc', 'sd', 'cites'), from: 'sc', to: 'sd', label: 'cites' }
		];
		expect(retypeRelations(relations, change)).toEqual({
			relations: [{ id: relationId('sa', 'sc', 'attributed-to'), from: 'sa', to: 'sc', label: 'attributed-to' }],
			renamed: 1,
			removed: 1
		});
		expect([...countRelationsByType(relations)]).toEqual([
			['cites', 1],
			['source-of', 1]
		]);
	});
});

describe('spanSourceProblem', () => {
	it('knows the sources of suggestions', () => {
		for (const ok of ['dates', 'lexicon', 'cues', 'import~doccano-2024', 'run~model-a.v2']) expect(spanSourceProblem(ok)).toBeNull();
		expect(spanSourceProblem('magic')).toBe('source "magic" is not one of dates, lexicon, cues, import~<name>, run~<name>');
		expect(spanSourceProblem('run~')).not.toBeNull();
		expect(spanSourceProblem('run~a b')).not.toBeNull();
		expect(spanSourceProblem(`run~${'x'.repeat(200)}`)).toBe('source is longer than 200 characters');
		expect(spanSourceProblem(3)).toBe('source must be a string, got number');
	});
});

describe('checkRelations', () => {
	it('names items that are not relations at all, and labels that are not strings', () => {
		const { problems, relations } = checkRelations(SPANS, [null, 'x', { from: 1, to: 0, label: 5 }, { from: 1, to: 0 }], TYPES, LABELS);
		expect(relations).toEqual([]);
		expect(problems.map((p) => p.message)).toEqual([
			'relation 0: must be an object {from, to, label}',
			'relation 1: must be an object {from, to, label}',
			'relation 2: unknown relation type 5 (known: source-of)',
			'relation 3: unknown relation type undefined (known: source-of)'
		]);
	});
	it('resolves in input order without `ordered`, sorted with it', () => {
		const spans = [SPANS[0], SPANS[1], { start: 0, end: 3, label: 'attribution' }];
		const rels = [
			{ from: 1, to: 0, label: 'source-of' },
			{ from: 2, to: 0, label: 'source-of' }
		];
		const unsorted = checkRelations(spans, rels, TYPES).relations;
		expect(unsorted.map((r) => r.from)).toEqual([spanId(spans[1]), spanId(spans[2])]);
		const ordered = materializeSpans('Ils ont frappé, a dit le groupe.', spans);
		expect(checkRelations(spans, rels, TYPES, LABELS, ordered).relations.map((r) => r.from)).toEqual([spanId(spans[2]), spanId(spans[1])]);
	});
});

describe('checkRelations with materializeSpans positions', () => {
	it('gives the same relations, in the same order, as without them', () => {
		const text = 'Ils ont frappé, a dit le groupe.';
		const spans = [
			{ start: 16, end: 31, label: 'attribution' },
			{ start: 0, end: 14, label: 'claim' },
			{ start: 0, end: 3, label: 'attribution' },
			{ start: 16, end: 31, label: 'attribution' } // a duplicate of span 0
		];
		const positions = new Int32Array(spans.length);
		const ordered = materializeSpans(text, spans, positions);
		expect([...positions]).toEqual([2, 1, 0, 2]);
		const rels = [
			{ from: 0, to: 1, label: 'source-of' },
			{ from: 2, to: 1, label: 'source-of' },
			{ from: spanId(spans[0]), to: 1, label: 'source-of' } // the same as the first
		];
		const withPositions = checkRelations(spans, rels, TYPES, LABELS, ordered, positions);
		expect(withPositions).toEqual(checkRelations(spans, rels, TYPES, LABELS, ordered));
		expect(withPositions.problems.map((p) => p.message)).toEqual(['relation 2: the same relation as relation 0 (send each relation once)']);
		const ok = checkRelations(spans, rels.slice(0, 2), TYPES, LABELS, ordered, positions);
		expect(ok.relations.map((r) => r.from)).toEqual([ordered[0].id, ordered[2].id]);
		expect(ok).toEqual(checkRelations(spans, rels.slice(0, 2), TYPES, LABELS, ordered));
		expect(checkRelations(spans, [{ from: 0, to: 3, label: 'source-of' }], TYPES, LABELS, ordered, positions).problems[0].message).toBe(
			'relation 0: a span cannot be related to itself (span 0 and span 3 are the same span)'
		);
	});
});
