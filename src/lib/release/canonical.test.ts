import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson } from './canonical';

/** [a, b, same]: worked examples; each is also checked against canonicalJson itself */
const cases: [unknown, unknown, boolean][] = [
	['a', 'a', true],
	['a', 'b', false],
	[1, 1.0, true],
	[-0, 0, true],
	[NaN, null, true], // both written as null
	[Infinity, null, true],
	[1, '1', false],
	[null, undefined, false], // canonicalJson(undefined) is 'null' only at the top: compared as written
	[true, 1, false],
	[{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
	[{ a: 1, b: undefined }, { a: 1 }, true],
	[{ a: 1, f: () => 1 }, { a: 1 }, true],
	[{ a: 1 }, { a: 1, b: null }, false],
	[{ '2': 'x', '10': 'y' }, { '10': 'y', '2': 'x' }, true],
	[[1, 2], [2, 1], false],
	[[1, undefined], [1, null], true],
	[[1], [1, null], false],
	[[], {}, false],
	[{ spans: [{ start: 0, end: 4, label: 'claim', attrs: { value: '2024-05-04' } }] }, { spans: [{ label: 'claim', end: 4, start: 0, attrs: { value: '2024-05-04' } }] }, true],
	[{ spans: [{ start: 0, end: 4, attrs: { value: '2024-05-04' } }] }, { spans: [{ start: 0, end: 4, attrs: { value: '2024-05-05' } }] }, false],
	[JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": {"x": 1}}'), true],
	[JSON.parse('{"__proto__": {"x": 1}}'), {}, false],
	[{ constructor: 'x' }, { constructor: 'x' }, true],
	[new Date('2024-05-04T00:00:00Z'), '2024-05-04T00:00:00.000Z', true], // toJSON
	[{ at: new Date('2024-05-04T00:00:00Z') }, { at: new Date('2024-05-05T00:00:00Z') }, false]
];

describe('sameJson', () => {
	it.each(cases)('%j and %j: %s', (a, b, same) => {
		expect(sameJson(a, b)).toBe(same);
		expect(sameJson(b, a)).toBe(same);
		if (a !== undefined && b !== undefined) expect(canonicalJson(a) === canonicalJson(b)).toBe(same);
	});
});
