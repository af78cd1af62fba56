import { describe, expect, it } from 'vitest';
import {
	applyAttributeEdits,
	attributeEdits,
	attributeRemovals,
	attributesSchema,
	spansUsing,
	conflictingDuplicates,
	countAttrChanges,
	DATE_ATTRIBUTES,
	missingRequired,
	normalizeAttrs,
	sameAttrs,
	validateSpanAttrs,
	type AttributeDef
} from './attributes';
import { labelSetSchema } from './labels';
import { materializeSpans } from './spans';

const date = { name: 'date', attributes: DATE_ATTRIBUTES };
const claim = {
	name: 'claim',
	attributes: [
		{ name: 'checkable', type: 'boolean', required: true },
		{ name: 'note', type: 'text' }
	] as AttributeDef[]
};
const plain = { name: 'framing' };
const labels = [date, claim, plain];

describe('attributesSchema', () => {
	it('normalises names (NFC, trimmed) and keeps one stored shape', () => {
		const parsed = attributesSchema.parse([
			{ name: ' Cafe\u0301 ', type: 'text', required: false },
			{ name: 'type', type: 'enum', options: [' DATE ', 'TIME'], required: true }
		]);
		expect(parsed).toEqual([
			{ name: 'Café', type: 'text' },
			{ name: 'type', type: 'enum', options: ['DATE', 'TIME'], required: true }
		]);
		expect(parsed[0].name).toBe('Caf\u00e9');
	});

	it('refuses duplicate names, enums without options, options on other types, unknown types and __proto__', () => {
		const problem = (input: unknown) => {
			const r = attributesSchema.safeParse(input);
			return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
		};
		expect(problem([{ name: 'a', type: 'text' }, { name: 'a', type: 'boolean' }])).toMatch(/"a" appears twice/);
		expect(problem([{ name: 'kind', type: 'enum' }])).toMatch(/enum needs options/);
		expect(problem([{ name: 'kind', type: 'enum', options: [] }])).toMatch(/enum needs options/);
		expect(problem([{ name: 'kind', type: 'enum', options: ['x', 'x'] }])).toMatch(/option "x" appears twice/);
		expect(problem([{ name: 'flag', type: 'boolean', options: ['x'] }])).toMatch(/only an enum has options/);
		expect(problem([{ name: 'n', type: 'number' }])).toMatch(/one of enum, boolean, text, timex/);
		expect(problem([{ name: '__proto__', type: 'text' }])).toMatch(/reserved/);
		expect(problem([{ name: 'k', type: 'enum', options: ['__proto__'] }])).toMatch(/reserved/);
		expect(problem([{ name: '', type: 'text' }])).toMatch(/required/);
		// Object.prototype member names are ordinary names
		expect(problem([{ name: 'constructor', type: 'text' }, { name: 'toString', type: 'boolean' }])).toBeNull();
	});

	it('a label set without attributes still parses (old datasets), with them it keeps them', () => {
		const [old, withDate] = labelSetSchema.parse([
			{ name: 'claim', key: '1', color: '#000000' },
			{ name: 'date', key: '4', color: '#000000', attributes: DATE_ATTRIBUTES }
		]);
		expect(old.attributes).toBeUndefined();
		expect(withDate.attributes).toEqual(DATE_ATTRIBUTES);
	});
});

describe('validateSpanAttrs', () => {
	it('accepts valid values and unset ones', () => {
		expect(
			validateSpanAttrs(
				[
					{ label: 'date', attrs: { value: '2024-05-04', type: 'DATE' } },
					{ label: 'date', attrs: { value: 'P3D', type: null } },
					{ label: 'date', attrs: { value: '' } },
					{ label: 'claim', attrs: { checkable: false, note: 'x' } },
					{ label: 'framing' }
				],
				labels
			)
		).toEqual([]);
	});

	it('names the span index and the attribute for each problem', () => {
		const problems = validateSpanAttrs(
			[
				{ label: 'date', attrs: { value: '2024-13-01' } },
				{ label: 'date', attrs: { type: 'WEEKDAY' } },
				{ label: 'claim', attrs: { checkable: 'yes' } },
				{ label: 'framing', attrs: { tone: 'hostile' } },
				{ label: 'date', attrs: { colour: 'red' } },
				{ label: 'date', attrs: ['2024'] },
				{ label: 'claim', attrs: { note: 'x'.repeat(1001) } },
				{ label: 'date', attrs: { value: 20240504 } }
			],
			labels
		).map((p) => p.message);
		expect(problems).toEqual([
			'span 0: attribute "value": "2024-13-01" is not a TIMEX3 value (e.g. 2024-05-04, 2024-05, 2024-W18, 2024-05-04T14:30, 2024-SU, XXXX-05-04, P3D, PT30.4S, PRESENT_REF)',
			'span 1: attribute "type": "WEEKDAY" is not an option (options: DATE, TIME, DURATION, SET)',
			'span 2: attribute "checkable": must be true or false, got "yes"',
			'span 3: label "framing" has no attribute "tone" (it has no attributes)',
			'span 4: label "date" has no attribute "colour" (its attributes: value, type)',
			'span 5: attrs must be an object of attribute name → value',
			'span 6: attribute "note": is longer than 1000 characters',
			'span 7: attribute "value": a TIMEX3 value is a string'
		]);
	});

	it('refuses __proto__ and does not take inherited members for definitions', () => {
		const attrs = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x"}');
		const problems = validateSpanAttrs([{ label: 'date', attrs }], labels).map((p) => p.message);
		expect(problems).toEqual([
			'span 0: attribute "__proto__" is reserved: JavaScript objects read it as their prototype, so it cannot be a name',
			'span 0: label "date" has no attribute "constructor" (its attributes: value, type)'
		]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('required attributes only when the set is being marked done', () => {
		const spans = [{ label: 'claim', attrs: { note: 'n' } }, { label: 'claim', attrs: { checkable: true } }, { label: 'claim' }];
		expect(validateSpanAttrs(spans, labels)).toEqual([]);
		expect(validateSpanAttrs(spans, labels, { done: true }).map((p) => p.message)).toEqual([
			'span 0: attribute "checkable" is required before the document can be done',
			'span 2: attribute "checkable" is required before the document can be done'
		]);
		// false is a value: it is set
		expect(missingRequired([{ label: 'claim', attrs: { checkable: false } }], labels)).toEqual([]);
	});
});

describe('stored values', () => {
	it('normalizeAttrs sorts keys, drops unset values, has no prototype', () => {
		const a = normalizeAttrs({ value: '2024-05-04', type: 'DATE', note: '', other: null })!;
		expect(Object.keys(a)).toEqual(['type', 'value']);
		expect(Object.getPrototypeOf(a)).toBeNull();
		expect(normalizeAttrs({ value: '' })).toBeUndefined();
		expect(normalizeAttrs(undefined)).toBeUndefined();
	});

	it('materializeSpans keeps attrs normalised and leaves them out when nothing is set', () => {
		const [a, b] = materializeSpans('samedi 4 mai 2024', [
			{ start: 0, end: 17, label: 'date', attrs: { value: '2024-05-04', type: 'DATE' } } as never,
			{ start: 7, end: 12, label: 'date', attrs: { value: '' } } as never
		]);
		expect(JSON.stringify(a)).toBe('{"id":"' + a.id + '","start":0,"end":17,"label":"date","text":"samedi 4 mai 2024","attrs":{"type":"DATE","value":"2024-05-04"}}');
		expect(b).not.toHaveProperty('attrs');
	});

	it('same start/end/label with other attrs is a conflict in one request, an attribute change across saves', () => {
		const s = (attrs?: Record<string, unknown>) => ({ start: 0, end: 4, label: 'date', attrs });
		expect(conflictingDuplicates([s({ value: '2024' }), s({ value: '2024' })])).toEqual([]);
		expect(conflictingDuplicates([s({ value: '2024' }), s({ value: '2025' })]).map((p) => p.message)).toEqual([
			'span 1: same start, end and label as span 0 but different attributes (send one span with the attributes it should have)'
		]);
		const text = '2024 and 2025';
		const before = materializeSpans(text, [s({ value: '2024' }), { start: 9, end: 13, label: 'date' }]);
		const after = materializeSpans(text, [s({ value: '2024', type: 'DATE' }), { start: 9, end: 13, label: 'date' }]);
		expect(after.map((x) => x.id)).toEqual(before.map((x) => x.id));
		expect(countAttrChanges(before, after)).toBe(1);
		expect(countAttrChanges(before, before)).toBe(0);
		expect(sameAttrs(after[1].attrs, undefined)).toBe(true);
	});
});

describe('attributeRemovals', () => {
	const before = [
		{ name: 'date', attributes: DATE_ATTRIBUTES },
		{ name: 'claim', attributes: [{ name: 'note', type: 'text' }] as AttributeDef[] },
		{ name: 'framing', attributes: [{ name: 'tone', type: 'text' }] as AttributeDef[] }
	];
	it('lists removed and retyped attributes and removed options of labels that stay (renames followed), and counts the spans using them', () => {
		const after = [
			{ name: 'date', attributes: [{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION'] }] as AttributeDef[] },
			{ name: 'assertion', attributes: [{ name: 'note', type: 'boolean' }] as AttributeDef[] }
			// framing goes altogether: its spans go with it (the label rules), not listed here
		];
		const removals = attributeRemovals(before, after, { claim: 'assertion' });
		expect(removals).toEqual([
			{ label: 'date', attribute: 'value', reason: 'removed' },
			{ label: 'date', attribute: 'type', option: 'SET', reason: 'option removed' },
			{ label: 'claim', attribute: 'note', reason: 'retyped' }
		]);
		const spans = [
			{ label: 'date', attrs: { value: '2024', type: 'SET' } },
			{ label: 'date', attrs: { type: 'DATE' } },
			{ label: 'date' },
			{ label: 'claim', attrs: { note: 'x' } }
		];
		expect(removals.map((r) => spansUsing(spans, r))).toEqual([1, 1, 1]);
		expect(attributeRemovals(before, before)).toEqual([]);
	});
});

describe('attributeEdits / applyAttributeEdits', () => {
	const before = [
		{ name: 'date', attributes: [{ name: 'value', type: 'timex' as const }, { name: 'type', type: 'enum' as const, options: ['DATE', 'TIME', 'SET'] }] },
		{ name: 'claim', attributes: [{ name: 'note', type: 'text' as const }] }
	];
	const after = [
		{ name: 'when', attributes: [{ name: 'timex', type: 'timex' as const }, { name: 'type', type: 'enum' as const, options: ['CALENDAR', 'TIME'] }] },
		{ name: 'claim', attributes: [{ name: 'note', type: 'boolean' as const }] }
	];
	it('lists renames and removals by the label’s new name', () => {
		const edits = attributeEdits(before, after, { date: 'when' }, { when: { value: 'timex' } }, { when: { type: { DATE: 'CALENDAR' } } });
		expect(edits).toEqual([
			{ kind: 'rename', label: 'when', attribute: 'value', to: 'timex' },
			{ kind: 'renameOption', label: 'when', attribute: 'type', option: 'DATE', to: 'CALENDAR' },
			{ kind: 'removeOption', label: 'when', attribute: 'type', option: 'SET' },
			{ kind: 'remove', label: 'claim', attribute: 'note', reason: 'retyped' }
		]);
		expect({ ...applyAttributeEdits('when', { type: 'DATE', value: '2024-05-04' }, edits) }).toEqual({ timex: '2024-05-04', type: 'CALENDAR' });
		expect({ ...applyAttributeEdits('when', { type: 'SET' }, edits) }).toEqual({});
		expect(applyAttributeEdits('when', { type: 'SET' }, edits)).toBeUndefined();
		const untouched = { type: 'TIME' };
		expect(applyAttributeEdits('when', untouched, edits)).toBe(untouched);
		expect(applyAttributeEdits('claim', { note: 'x' }, edits)).toBeUndefined();
	});
	it('refuses renames onto a name the label already has (applying twice would not be the same)', () => {
		expect(() => attributeEdits(before, before, {}, { date: { value: 'type' } })).toThrow('label "date": cannot rename attribute "value" to "type": "type" already exists');
		expect(() => attributeEdits(before, after, { date: 'when' }, {}, { when: { type: { DATE: 'DAY' } } })).toThrow(
			'label "when", attribute "type": cannot rename option "DATE" to "DAY": "DAY" is not in the new options'
		);
		// two options merged into one is a rename of both
		expect(attributeEdits(before, after, { date: 'when' }, {}, { when: { type: { DATE: 'CALENDAR', SET: 'CALENDAR' } } }).filter((e) => e.kind === 'renameOption')).toHaveLength(2);
	});
});
