import { describe, expect, it } from 'vitest';
import { arrayElements } from './labelstudio';

const pieces = (text: string, max?: number) =>
	[...arrayElements(text, max)].map((e) => ('problem' in e ? e : text.slice(e.start, e.end)));

describe('arrayElements', () => {
	it('cuts a JSON array into its elements, strings with brackets, commas and escaped quotes included', () => {
		expect(pieces(' [ {"a":"]},[\\""}, [1,[2]] ,"x" , 3]\n')).toEqual(['{"a":"]},[\\""}', '[1,[2]] ', '"x" ', '3']);
		expect(pieces('[]')).toEqual([]);
		// an empty element is given as an empty piece: JSON.parse says what is wrong with it
		expect(pieces('[1,,2]')).toEqual(['1', '', '2']);
	});

	it('refuses what is not an array, too deep or cut short, without parsing', () => {
		expect(pieces('{"a":1}')).toEqual([{ problem: 'a Label Studio export must be a JSON array of tasks' }]);
		expect(pieces('[[[1]]]', 2)).toEqual([{ problem: 'nested more than 2 levels deep (objects and arrays inside each other): not a Label Studio export' }]);
		expect(pieces('[{"a":[1]}', 32)).toEqual([{ problem: 'the JSON array is cut short (no closing "]")' }]);
		expect(pieces('['.repeat(100_000)).length).toBe(1);
	});
});
