import { describe, expect, it } from 'vitest';
import { diffLabelSets, LabelChangeError, labelSetSchema, labelsFromForm, relabelSpans } from './labels';
import { DEFAULT_LABELS, type Label } from './types';

const label = (name: string, key = ''): Label => ({ name, key, color: '#123456', description: '' });

describe('diffLabelSets', () => {
	it('tells renames, removals and additions apart', () => {
		const before = [label('claim'), label('attribution'), label('framing'), label('date')];
		const after = [label('quote'), label('claim'), label('framing'), label('source')];
		expect(diffLabelSets(before, after, { attribution: 'source' })).toEqual({
			renamed: [{ from: 'attribution', to: 'source' }],
			removed: ['date'],
			added: ['quote']
		});
	});

	it('reordering alone changes nothing', () => {
		expect(diffLabelSets(DEFAULT_LABELS, [...DEFAULT_LABELS].reverse())).toEqual({ renamed: [], removed: [], added: [] });
	});

	it('refuses renames that do not fit the new set', () => {
		const before = [label('a'), label('b')];
		expect(() => diffLabelSets(before, [label('c'), label('b')], { x: 'c' })).toThrow(LabelChangeError);
		expect(() => diffLabelSets(before, [label('a'), label('c')], { a: 'c' })).toThrow(/still in the new label set/);
		expect(() => diffLabelSets(before, [label('b')], { a: 'c' })).toThrow(/not in the new label set/);
		expect(() => diffLabelSets(before, [label('b')], { a: 'b' })).toThrow(/already exists/);
	});
});

describe('relabelSpans', () => {
	it('renames and drops spans and counts both', () => {
		const spans = [
			{ id: '1', label: 'attribution' },
			{ id: '2', label: 'date' },
			{ id: '3', label: 'claim' },
			{ id: '4', label: 'attribution' }
		];
		expect(relabelSpans(spans, { renamed: [{ from: 'attribution', to: 'source' }], removed: ['date'] })).toEqual({
			spans: [
				{ id: '1', label: 'source' },
				{ id: '3', label: 'claim' },
				{ id: '4', label: 'source' }
			],
			renamed: 2,
			removed: 1
		});
	});
});

describe('labelSetSchema', () => {
	it('accepts the default set and a custom "quote" label on key q', () => {
		expect(labelSetSchema.parse([...DEFAULT_LABELS, { name: 'quote', key: 'q', color: '#0b7285', description: '' }])).toHaveLength(5);
	});
	it('refuses navigation keys', () => {
		expect(labelSetSchema.safeParse([{ name: 'x', key: 'j', color: '#000000', description: '' }]).success).toBe(false);
	});
});

describe('labelsFromForm', () => {
	it('reads rows in order and turns a changed name into a rename', () => {
		const form = new FormData();
		for (const [name, key, color, original] of [
			['quote', 'Q', '#0b7285', ''],
			['source', '2', '#1c7ed6', 'attribution'],
			['claim', '1', '#e8590c', 'claim']
		]) {
			form.append('name', name);
			form.append('key', key);
			form.append('color', color);
			form.append('description', '');
			form.append('original', original);
		}
		expect(labelsFromForm(form)).toEqual({
			labels: [
				{ name: 'quote', key: 'q', color: '#0b7285', description: '' },
				{ name: 'source', key: '2', color: '#1c7ed6', description: '' },
				{ name: 'claim', key: '1', color: '#e8590c', description: '' }
			],
			renames: { attribution: 'source' }
		});
	});

	it('says what is wrong with a row in words, naming the label (or its row), not the schema path', () => {
		const form = new FormData();
		for (const [name, key] of [
			['claim', '1'],
			['quote', 'j'],
			['', '3'],
			['date', '4']
		]) {
			form.append('name', name);
			form.append('key', key);
			form.append('color', '#e8590c');
			form.append('description', '');
			form.append('original', '');
		}
		expect(() => labelsFromForm(form)).toThrow(LabelChangeError);
		expect(() => labelsFromForm(form)).toThrow('“quote”: key: j, k, u and z are reserved for navigation and undo; label 3: name is required');
	});
});

describe('labelsFromForm: attributes', () => {
	it("reads each row's attributes field through the one schema; bad JSON or a bad definition is refused", () => {
		const form = (attrs: string[]) => {
			const f = new FormData();
			['date', 'claim'].forEach((name, i) => {
				f.append('name', name);
				f.append('key', String(i + 1));
				f.append('color', '#123456');
				f.append('description', '');
				f.append('original', name);
				f.append('attributes', attrs[i]);
			});
			return f;
		};
		const { labels } = labelsFromForm(form([JSON.stringify([{ name: ' value ', type: 'timex', required: false }]), '']));
		expect(labels.map((l) => l.attributes)).toEqual([[{ name: 'value', type: 'timex' }], []]);
		expect(() => labelsFromForm(form(['{oops', '']))).toThrow(/expected array/);
		expect(() => labelsFromForm(form([JSON.stringify([{ name: 'type', type: 'enum', options: [] }]), '']))).toThrow(/enum needs options/);
		// without the fields at all (an older form), rows carry no attributes and the settings action keeps the stored ones
		const old = new FormData();
		for (const [k, v] of [['name', 'date'], ['key', '4'], ['color', '#123456'], ['description', ''], ['original', 'date']]) old.append(k, v);
		expect(labelsFromForm(old).labels[0]).not.toHaveProperty('attributes');
	});
});
