import { describe, expect, it } from 'vitest';
import {
	bratConf,
	bratName,
	fromBratName,
	readBratAnn,
	readDoccanoRelations,
	readLabelStudioTask,
	toBratAnn,
	toDoccanoRelations,
	toLabelStudioTask,
	type InterchangeRecord,
	type ReadAnnotations
} from './interchange';
import { sliceByCodePoints } from '../text/offsets';
import { spanId } from '../model/spans';
import { relationId } from '../model/relations';

// "😀 «Ça» dit X\r\nle 4 mai" — the emoji is 1 code point and 2 UTF-16 units; CRLF is 2 of both
const TEXT = '😀 «Ça brûle» a dit Marie\r\nle 4 mai 2024 👍🏽 fin';

function span(start: number, end: number, label: string, attrs: Record<string, string | boolean> = {}) {
	return { id: spanId({ start, end, label }), start, end, label, text: sliceByCodePoints(TEXT, start, end), attrs };
}

// code points: 😀=0, ' '=1, «=2, Ça brûle=3..11, »=11, ' a dit Marie'=12..24, \r=24 \n=25, 'le'=26..28, ' 4 mai 2024'=28..39
const claim = span(3, 11, 'claim');
const attribution = span(13, 24, 'attribution'); // "a dit Marie"
const date = span(29, 39, 'date', { type: 'DATE', value: '2024-05-04' });
// crosses the CRLF: "Marie\r\nle"
const across = span(19, 28, 'framing', { note: 'two words', flag: false, multi: 'line one\nline two' });

const RECORD: InterchangeRecord = {
	dataset: 'news',
	doc_id: 'a1',
	title: 'T',
	text: TEXT,
	annotator: 'gold',
	spans: [claim, attribution, across, date],
	relations: [
		{ id: relationId(attribution.id, claim.id, 'source-of'), from: attribution.id, to: claim.id, label: 'source-of' },
		{ id: relationId(across.id, date.id, 'said on'), from: across.id, to: date.id, label: 'said on' }
	]
};

/** The record's spans and relations as a reader gives them back. */
function expected(): ReadAnnotations {
	const attrsOf = (s: (typeof RECORD.spans)[number]) =>
		Object.keys(s.attrs ?? {}).length ? ({ ...s.attrs } as Record<string, string | boolean>) : undefined;
	return {
		spans: RECORD.spans.map((s) => {
			const a = attrsOf(s);
			return a ? { start: s.start, end: s.end, label: s.label, attrs: a } : { start: s.start, end: s.end, label: s.label };
		}),
		relations: [
			{ from: 1, to: 0, label: 'source-of' },
			{ from: 2, to: 3, label: 'said on' }
		]
	};
}

function plain(r: unknown): unknown {
	return JSON.parse(JSON.stringify(r));
}

describe('worked example', () => {
	it('the offsets of the example are what the comments say', () => {
		expect(claim.text).toBe('Ça brûle');
		expect(attribution.text).toBe('a dit Marie');
		expect(date.text).toBe('4 mai 2024');
		expect(across.text).toBe('Marie\r\nle');
	});
});

describe('doccano relations', () => {
	it('writes entities and relations with code point offsets and numeric ids', () => {
		const line = toDoccanoRelations(RECORD);
		expect(line.endsWith('\n')).toBe(true);
		const o = JSON.parse(line);
		expect(o.id).toBe('a1');
		expect(o.text).toBe(TEXT);
		expect(o.entities[0]).toEqual({ id: 1, start_offset: 3, end_offset: 11, label: 'claim' });
		expect(o.entities[3]).toEqual({ id: 4, start_offset: 29, end_offset: 39, label: 'date', attrs: { type: 'DATE', value: '2024-05-04' } });
		expect(o.relations).toEqual([
			{ id: 1, from_id: 2, to_id: 1, type: 'source-of' },
			{ id: 2, from_id: 3, to_id: 4, type: 'said on' }
		]);
	});

	it('reads back the same relations and attributes', () => {
		const o = JSON.parse(toDoccanoRelations(RECORD));
		const spans = o.entities.map((e: { start_offset: number; end_offset: number; label: string }) => ({ start: e.start_offset, end: e.end_offset, label: e.label }));
		const read = readDoccanoRelations(o.entities, o.relations, spans);
		expect(read.problems).toEqual([]);
		expect(plain({ spans, relations: read.relations })).toEqual(expected());
	});

	it('names a relation to a missing entity, a __proto__ type or attribute, and too many relations', () => {
		const spans = [{ start: 0, end: 1, label: 'a' }];
		expect(readDoccanoRelations([{ id: 1 }], [{ from_id: 1, to_id: 7, type: 'x' }], spans).problems).toEqual([
			'relation 1: to_id 7 is not the id of an entity of the record'
		]);
		expect(readDoccanoRelations([{ id: 1 }, { id: 2 }], [{ from_id: 1, to_id: 2, type: '__proto__' }], [...spans, ...spans]).problems[0]).toMatch(
			/^relation 1: type "__proto__" is reserved/
		);
		const withProto = JSON.parse('[{"id":1,"attrs":{"__proto__":"x"}}]');
		expect(readDoccanoRelations(withProto, [], spans.map((s) => ({ ...s }))).problems[0]).toMatch(/^entity 1: attribute name "__proto__" is reserved/);
		const many = Array.from({ length: 100_000 }, (_, i) => ({ id: i, from_id: 1, to_id: 2, type: 'x' }));
		expect(readDoccanoRelations([{ id: 1 }, { id: 2 }], many, [...spans, ...spans]).problems).toEqual(['too many relations: 100000 (limit 20000 per document)']);
		expect(readDoccanoRelations([{ id: 1 }, { id: 1 }], [], [...spans, ...spans]).problems).toEqual(['entity 2: id 1 is used by entity 1 too']);
	});
});

describe('brat standoff', () => {
	const ann = toBratAnn(RECORD);

	it('writes T, R, A and # lines; a span over a line break is discontinuous, names with spaces are %20', () => {
		expect(ann.split('\n')).toEqual([
			'T1\tclaim 3 11\tÇa brûle',
			'T2\tattribution 13 24\ta dit Marie',
			// "Marie" 19..24, then "le" 26..28 after the CRLF (24, 25)
			'T3\tframing 19 24;26 28\tMarie le',
			'T4\tdate 29 39\t4 mai 2024',
			'R1\tsource-of Arg1:T2 Arg2:T1',
			'R2\tsaid%20on Arg1:T3 Arg2:T4',
			'A1\tflag T3 false',
			'#1\tAnnotatorNotes T3\tmulti="line one\\nline two"',
			'#2\tAnnotatorNotes T3\tnote=two words',
			'A2\ttype T4 DATE',
			'A3\tvalue T4 2024-05-04',
			''
		]);
	});

	it('reads back the same spans, relations and attributes', () => {
		const read = readBratAnn(TEXT, ann);
		expect(plain(read)).toEqual(expected());
	});

	it('reads CRLF .ann files, binary attributes and ignores E/N lines and free notes', () => {
		const read = readBratAnn('ab cd', 'T1\tx 0 2\tab\r\nT2\ty 3 5\tcd\r\nA1\tNegated T1\r\nN1\tReference T1 Wikipedia:1\tab\r\n#1\tAnnotatorNotes T1\tcheck this\r\n');
		expect(plain(read)).toEqual({ spans: [{ start: 0, end: 2, label: 'x', attrs: { Negated: true } }, { start: 3, end: 5, label: 'y' }], relations: [] });
	});

	it('names the line of a relation to a missing T, of a bad range and of __proto__ names', () => {
		expect(readBratAnn('abc', 'T1\tx 0 1\ta\nR1\tr Arg1:T1 Arg2:T9\n')).toEqual({ problems: ['line 2: R1 points to T9, which is not a T line of the file'] });
		expect(readBratAnn('abc', 'T1\tx 0 9\ta\n')).toEqual({
			problems: ['line 1: T1 ends at 9, beyond the text (3 code points; brat offsets count code points, and the .txt is read as it is, without newline translation)']
		});
		expect(readBratAnn('abc', 'T1\tx 2 1\ta\n')).toEqual({ problems: ['line 1: T1: fragment 2 1 is not a range after the one before it (start < end, in order)'] });
		expect((readBratAnn('abc', 'T1\t__proto__ 0 1\ta\n') as { problems: string[] }).problems[0]).toMatch(/^line 1: T1's type "__proto__" is reserved/);
		expect((readBratAnn('abc', 'T1\tx 0 1\ta\nA1\t__proto__ T1 v\n') as { problems: string[] }).problems[0]).toMatch(/^line 2: A1: attribute name "__proto__" is reserved/);
		expect(readBratAnn('abc', 'T1\tx 0 1\ta\nT1\ty 1 2\tb\n')).toEqual({ problems: ['line 2: T1 is defined twice'] });
		expect(readBratAnn('abc', 'hello\n')).toEqual({ problems: ['line 1: unknown annotation "hello" (expected T, R, A, E, N or # lines)'] });
		expect(readBratAnn('ab cd ef', 'T1\tx 0 2;6 8\tab ef\n')).toEqual({
			problems: ['line 1: T1 is discontinuous across text (" cd "): spanlab spans are contiguous, so only fragments separated by line breaks or spaces can be read']
		});
	});

	it('Object.prototype member names are ordinary names', () => {
		const read = readBratAnn('ab', 'T1\tconstructor 0 2\tab\nA1\ttoString T1 x\nA2\thasOwnProperty T1\n#1\tAnnotatorNotes T1\tvalueOf=y z\n') as ReadAnnotations;
		expect(read.spans[0].label).toBe('constructor');
		expect(Object.getPrototypeOf(read.spans[0].attrs)).toBe(null);
		expect({ ...read.spans[0].attrs }).toEqual({ toString: 'x', hasOwnProperty: true, valueOf: 'y z' });
	});

	it('refuses 100,000 relations with one message', () => {
		const lines = ['T1\tx 0 1\ta', 'T2\tx 1 2\tb'];
		for (let i = 1; i <= 100_000; i++) lines.push(`R${i}\tr Arg1:T1 Arg2:T2`);
		expect(readBratAnn('abc', lines.join('\n'))).toEqual({ problems: ['too many relations: 100000 (limit 20000 per document)'] });
	});

	it('escapes spaces in type names reversibly and writes a conf', () => {
		expect(bratName('said on')).toBe('said%20on');
		expect(fromBratName('said%20on')).toBe('said on');
		const conf = bratConf(
			[
				{ name: 'claim' },
				{ name: 'date', attributes: [{ name: 'type', type: 'enum', options: ['DATE', 'TIME'] }, { name: 'value', type: 'timex' }] }
			],
			[{ name: 'source-of', from: ['attribution'], to: ['claim'] }]
		);
		expect(conf).toBe(
			'[entities]\nclaim\ndate\n\n[relations]\nsource-of\tArg1:attribution, Arg2:claim\n\n[events]\n\n[attributes]\ntype\tArg:date, Value:DATE|TIME\nvalue\tArg:date\n'
		);
	});
});

describe('Label Studio', () => {
	const task = toLabelStudioTask(RECORD, 1);

	it('counts offsets in UTF-16 code units: after the emoji every offset is one more', () => {
		const regions = task.annotations[0].result.filter((r) => 'from_name' in r && r.type === 'labels');
		// claim: code points 3..11, UTF-16 4..12 (😀 is two units)
		expect(regions.map((r) => ('value' in r ? [r.value.start, r.value.end, r.value.text] : null))).toEqual([
			[4, 12, 'Ça brûle'],
			[14, 25, 'a dit Marie'],
			[20, 29, 'Marie\r\nle'],
			[30, 40, '4 mai 2024']
		]);
		for (const r of regions) if ('value' in r) expect(TEXT.slice(r.value.start, r.value.end)).toBe(r.value.text);
		expect(task.annotations[0].result.filter((r) => r.type === 'relation')).toEqual([
			{ from_id: attribution.id, to_id: claim.id, type: 'relation', direction: 'right', labels: ['source-of'] },
			{ from_id: across.id, to_id: date.id, type: 'relation', direction: 'right', labels: ['said on'] }
		]);
		expect(task.annotations[0].result.filter((r) => r.type !== 'labels' && r.type !== 'relation')).toEqual([
			{ id: across.id, from_name: 'flag', to_name: 'text', type: 'choices', value: { start: 20, end: 29, choices: ['false'] } },
			{ id: across.id, from_name: 'multi', to_name: 'text', type: 'textarea', value: { start: 20, end: 29, text: ['line one\nline two'] } },
			{ id: across.id, from_name: 'note', to_name: 'text', type: 'textarea', value: { start: 20, end: 29, text: ['two words'] } },
			{ id: date.id, from_name: 'type', to_name: 'text', type: 'textarea', value: { start: 30, end: 40, text: ['DATE'] } },
			{ id: date.id, from_name: 'value', to_name: 'text', type: 'textarea', value: { start: 30, end: 40, text: ['2024-05-04'] } }
		]);
	});

	it('reads back the same spans, relations and attributes (through JSON)', () => {
		const read = readLabelStudioTask(JSON.parse(JSON.stringify(task)), 0);
		expect('problems' in read).toBe(false);
		const { text, id, title, ...annotations } = read as Exclude<typeof read, { problems: string[] }>;
		expect([text, id, title]).toEqual([TEXT, 'a1', 'T']);
		expect(plain(annotations)).toEqual(expected());
	});

	it('catches offsets counted in code points by the covered text, and names missing relation ends', () => {
		const wrong = {
			data: { text: TEXT },
			annotations: [{ result: [{ id: 'a', type: 'labels', from_name: 'label', to_name: 'text', value: { start: 3, end: 11, text: 'Ça brûle', labels: ['claim'] } }] }]
		};
		expect(readLabelStudioTask(wrong, 0)).toEqual({
			problems: ['task 1, result 1: "value.text" "Ça brûle" is not the text at UTF-16 offsets 3..11 ("«Ça brûl"): were the offsets counted in code points?']
		});
		const dangling = {
			data: { text: 'abc' },
			annotations: [
				{
					result: [
						{ id: 'a', type: 'labels', value: { start: 0, end: 1, labels: ['x'] } },
						{ type: 'relation', from_id: 'a', to_id: 'zz', labels: ['r'] }
					]
				}
			]
		};
		const split = { data: { text: 'a😀b' }, annotations: [{ result: [{ id: 'a', type: 'labels', value: { start: 0, end: 2, labels: ['x'] } }] }] };
		expect(readLabelStudioTask(split, 0)).toEqual({
			problems: ['task 1, result 1: 0..2 cuts a character in two (an emoji or other character outside the BMP is two UTF-16 units)']
		});
		expect(readLabelStudioTask(dangling, 4)).toEqual({ problems: ['task 5, result 2: the relation\'s to_id "zz" is not the id of a region of the task'] });
		const proto = JSON.parse('{"data":{"text":"abc"},"annotations":[{"result":[{"id":"a","type":"labels","value":{"start":0,"end":1,"labels":["__proto__"]}}]}]}');
		expect((readLabelStudioTask(proto, 0) as { problems: string[] }).problems[0]).toMatch(/^task 1, result 1: label "__proto__" is reserved/);
	});

	it('swaps a left relation, skips cancelled annotations and uses predictions when there is no annotation', () => {
		const t = {
			data: { text: 'ab cd' },
			annotations: [{ was_cancelled: true, result: [] }],
			predictions: [
				{
					result: [
						{ id: 'p', type: 'labels', value: { start: 0, end: 2, labels: ['x'] } },
						{ id: 'q', type: 'labels', value: { start: 3, end: 5, labels: ['y'] } },
						{ type: 'relation', from_id: 'p', to_id: 'q', direction: 'left', labels: ['r'] }
					]
				}
			]
		};
		const read = readLabelStudioTask(t, 0) as ReadAnnotations;
		expect(read.relations).toEqual([{ from: 1, to: 0, label: 'r' }]);
	});
});

describe('Prodigy relations (formats.ts)', () => {
	it('head/child are the last tokens of the from/to spans; spans keep their attrs', async () => {
		const { toProdigyTask } = await import('./formats');
		const record = { ...RECORD, version: 1, text_sha256: '', meta: {}, status: 'done', revision: 1, updated_at: null } as unknown as Parameters<typeof toProdigyTask>[0];
		const task = toProdigyTask(record);
		// tokens: 😀 « Ça brûle » a dit Marie le 4 mai 2024 👍🏽 fin
		expect(task.tokens.map((t) => t.text)).toEqual(['😀', '«', 'Ça', 'brûle', '»', 'a', 'dit', 'Marie', 'le', '4', 'mai', '2024', '👍🏽', 'fin']);
		const claimSpan = { start: 3, end: 11, label: 'claim', token_start: 2, token_end: 3 };
		const attributionSpan = { start: 13, end: 24, label: 'attribution', token_start: 5, token_end: 7 };
		expect(task.spans[0]).toEqual(claimSpan);
		expect(task.spans.find((s) => s.label === 'date')).toEqual({ start: 29, end: 39, label: 'date', token_start: 9, token_end: 11, attrs: { type: 'DATE', value: '2024-05-04' } });
		expect(task.relations?.[0]).toEqual({ head: 7, child: 3, head_span: attributionSpan, child_span: claimSpan, label: 'source-of' });
		expect(task.relations?.[1]).toMatchObject({ head: 8, child: 11, label: 'said on' });
		// a record without relations has no "relations" key (the format as it was)
		expect('relations' in toProdigyTask({ ...record, relations: [] })).toBe(false);
	});
});
