import { describe, expect, it } from 'vitest';
import { describeImportAssignment, eventReader, importQuery, problemsForPeople } from './importApi';

describe('eventReader', () => {
	it('returns the events of completed lines only, once each', () => {
		const read = eventReader();
		const a = '{"type":"progress","phase":"validating","files":0,"bytes":0,"documents":0,"done":0,"total":0}\n';
		const b = '{"type":"result","status":200,"imported":2}\n';
		expect(read(a.slice(0, 20))).toEqual([]);
		expect(read(a).map((e) => e.type)).toEqual(['progress']);
		expect(read(a + b.slice(0, 10))).toEqual([]);
		expect(read(a + b)).toEqual([{ type: 'result', status: 200, imported: 2 }]);
		expect(read(a + b + '\n\n')).toEqual([]);
	});
});

describe('importQuery', () => {
	it('encodes label mapping and flags', () => {
		expect(importQuery({})).toBe('');
		expect(importQuery({ labelMap: { PER: 'attribution', ORG: '', X: 'X' }, addLabels: true, progress: true })).toBe(
			'?labelMap=PER%3Aattribution&addLabels=1&progress=1'
		);
		expect(new URLSearchParams(importQuery({ labelMap: { 'B-PER': 'a b', LOC: 'place' } })).get('labelMap')).toBe(
			'B-PER:a b,LOC:place'
		);
	});
});

describe('describeImportAssignment', () => {
	it('says in words whose queues new documents went to', () => {
		expect(describeImportAssignment({ mode: 'auto', documents: 3, annotatorsPerDocument: 2, share: 100, annotators: { ann1: 3, ann2: 2, ann3: 1 } })).toBe(
			"Assigned automatically, as the dataset's standing rule says (every document to 2 annotators): 3 new documents to ann1 3, ann2 2, ann3 1"
		);
		expect(describeImportAssignment({ mode: 'auto', documents: 1, annotatorsPerDocument: 2, share: 20, annotators: { ann1: 1, ann2: 0 } })).toBe(
			"Assigned automatically, as the dataset's standing rule says (20 % of the documents to 2 annotators, the rest to one): 1 new document to ann1 1"
		);
		expect(describeImportAssignment({ mode: 'manual', unassigned: 2 })).toBe(
			"Documents are assigned by hand in this dataset, so the 2 new documents are in nobody's queue yet"
		);
		expect(describeImportAssignment({ mode: 'manual', unassigned: 1, reason: 'there are no annotators to assign documents to' })).toBe(
			"The standing automatic rule could not be applied (there are no annotators to assign documents to): the 1 new document is in nobody's queue yet"
		);
		expect(describeImportAssignment({ mode: 'everyone' })).toMatch(/^Every annotator of the dataset sees the new documents/);
	});
});

describe('problemsForPeople', () => {
	it('orders by file and line, import-wide first, says label problems in words and lists each once', () => {
		const errors = [
			{
				file: 'batch.jsonl',
				line: 4,
				message: 'unknown label "quote-verb" (2 spans): not in this dataset\'s label set; map it (labelMap=quote-verb:LABEL) or add it (addLabels=1)',
				kind: 'unknown-label' as const,
				label: 'quote-verb',
				count: 2
			},
			{ file: 'batch.jsonl', line: 2, message: 'invalid JSON: Unexpected end of JSON input' },
			{ file: 'other.jsonl', line: 1, message: '"text" must be a non-empty string, not number' },
			{ file: 'batch.jsonl', line: 2, message: 'invalid JSON: Unexpected end of JSON input' },
			{ message: 'labelMap: "x" needs a label on both sides of ":"' }
		];
		const shown = problemsForPeople(errors);
		expect(shown).toEqual([
			{ text: 'labelMap: "x" needs a label on both sides of ":"' },
			{ file: 'batch.jsonl', line: 2, text: 'invalid JSON: Unexpected end of JSON input' },
			{
				file: 'batch.jsonl',
				line: 4,
				text: "The label “quote-verb” (2 spans) is not one of this dataset's labels. Choose a label of the dataset for it, or tick “Add labels the dataset does not have yet”, and import again."
			},
			{ file: 'other.jsonl', line: 1, text: '"text" must be a non-empty string, not number' }
		]);
		expect(shown.map((p) => p.text).join(' ')).not.toMatch(/labelMap=|addLabels=/);
		expect(problemsForPeople([{ file: 'a.jsonl', line: 3, message: 'x', kind: 'unmapped-label', label: 'PER', target: 'person', count: 1 }])).toEqual([
			{ file: 'a.jsonl', line: 3, text: "“PER” (1 span) was to become “person”, which is not one of this dataset's labels." }
		]);
	});
});
