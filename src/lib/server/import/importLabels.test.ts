import { describe, expect, it } from 'vitest';
import { generateLabels, parseLabelMap, planLabels, type LabelUse } from './importLabels';
import { closeColorPairs } from '../../model/labelColors';
import { DEFAULT_LABELS, type Label } from '../../model/types';

const found = (entries: Array<[string, number, string?, number?]>): Map<string, LabelUse> =>
	new Map(entries.map(([label, count, file = 'a.jsonl', line = 1]) => [label, { count, file, line }]));

describe('parseLabelMap', () => {
	it('reads FROM:TO pairs separated by commas', () => {
		const { map, problems } = parseLabelMap('PER:attribution, DATE:date,,');
		expect(problems).toEqual([]);
		expect([...map]).toEqual([
			['PER', 'attribution'],
			['DATE', 'date']
		]);
	});

	it('splits at the colon that follows a label of the import', () => {
		expect([...parseLabelMap('ns:PER:attribution', new Set(['ns:PER'])).map]).toEqual([['ns:PER', 'attribution']]);
		expect([...parseLabelMap('PER:ns:x').map]).toEqual([['PER', 'ns:x']]);
	});

	it('reports malformed items', () => {
		expect(parseLabelMap('PER,:x,y:,A:b,A:c').problems).toEqual([
			'labelMap: "PER" is not FROM:TO',
			'labelMap: ":x" needs a label on both sides of ":"',
			'labelMap: "y:" needs a label on both sides of ":"',
			'labelMap: "A" is mapped twice (to "b" and to "c")'
		]);
	});
});

describe('generateLabels', () => {
	it('picks free keys and colours', () => {
		const labels = generateLabels(DEFAULT_LABELS, ['PER', 'ORG']);
		expect(labels.map((l) => [l.name, l.key])).toEqual([
			['PER', '5'],
			['ORG', '6']
		]);
		const colors = new Set([...DEFAULT_LABELS, ...labels].map((l) => l.color));
		expect(colors.size).toBe(6);
		// and far apart: no two of the six closer than TOO_CLOSE in CIEDE2000
		expect(closeColorPairs([...DEFAULT_LABELS, ...labels])).toEqual([]);
	});

	it('leaves the key empty when none is free', () => {
		const many: Label[] = [...'1234567890abcdefghilmnopqrstvwxy'].map((key, i) => ({
			name: `l${i}`,
			key,
			color: '#000000',
			description: ''
		}));
		expect(generateLabels(many, ['extra'])[0].key).toBe('');
	});
});

describe('planLabels', () => {
	it('keeps known labels', () => {
		const plan = planLabels(DEFAULT_LABELS, found([['claim', 3]]));
		expect(plan.problems).toEqual([]);
		expect(plan.map.get('claim')).toBe('claim');
	});

	it('reports each unknown label once, with its count and first occurrence', () => {
		const plan = planLabels(DEFAULT_LABELS, found([['PER', 12, 'x.jsonl', 4], ['claim', 1], ['ORG', 1, 'y.jsonl', 2]]));
		expect(plan.unknown).toEqual([
			{ label: 'ORG', count: 1 },
			{ label: 'PER', count: 12 }
		]);
		expect(plan.problems).toEqual([
			{
				file: 'y.jsonl',
				line: 2,
				message:
					'unknown label "ORG" (1 span): not in this dataset\'s label set; map it (labelMap=ORG:LABEL) or add it (addLabels=1)',
				kind: 'unknown-label',
				label: 'ORG',
				count: 1
			},
			{
				file: 'x.jsonl',
				line: 4,
				message:
					'unknown label "PER" (12 spans): not in this dataset\'s label set; map it (labelMap=PER:LABEL) or add it (addLabels=1)',
				kind: 'unknown-label',
				label: 'PER',
				count: 12
			}
		]);
	});

	it('maps labels onto the dataset', () => {
		const plan = planLabels(DEFAULT_LABELS, found([['PER', 2], ['DATE', 1]]), {
			labelMap: new Map([
				['PER', 'attribution'],
				['DATE', 'date']
			])
		});
		expect(plan.problems).toEqual([]);
		expect(plan.map.get('PER')).toBe('attribution');
	});

	it('refuses a mapping to a label the dataset does not have', () => {
		const plan = planLabels(DEFAULT_LABELS, found([['PER', 2]]), { labelMap: new Map([['PER', 'person']]) });
		expect(plan.problems.map((p) => p.message)).toEqual([
			'labelMap maps "PER" to "person", which is not a label of this dataset (2 spans)'
		]);
	});

	it('adds unknown labels (after mapping) when asked, once each', () => {
		const plan = planLabels(DEFAULT_LABELS, found([['PER', 2], ['B-PER', 1], ['ORG', 1], ['claim', 1]]), {
			labelMap: new Map([['B-PER', 'PER']]),
			addLabels: true
		});
		expect(plan.problems).toEqual([]);
		expect(plan.added.map((l) => l.name)).toEqual(['PER', 'ORG']);
		expect(plan.map.get('B-PER')).toBe('PER');
	});

	it('refuses labels that cannot be added', () => {
		const plan = planLabels(DEFAULT_LABELS, found([['<b>bad</b>', 1]]), { addLabels: true });
		expect(plan.problems).toHaveLength(1);
		expect(plan.problems[0].message).toMatch(/^cannot add label "<b>bad<\/b>": label name:/);
		const full = planLabels(
			DEFAULT_LABELS,
			found(Array.from({ length: 47 }, (_, i) => [`x${i}`, 1] as [string, number])),
			{ addLabels: true }
		);
		expect(full.problems.map((p) => p.message)).toEqual([
			'cannot add 47 labels: a dataset has at most 50 labels (it has 4)'
		]);
	});
});
