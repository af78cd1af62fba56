import { describe, expect, it } from 'vitest';
import { parseJsonlStream } from './jsonl';
import { ImportState } from './state';
import type { ImportedDocument } from './types';
import { bytes, chunked, cpSlice, enc, fixedChunks, messages, runImport, shown } from './test-helpers';

// Offsets verified with python3: t = T; t[8:16] == 'Jane Doe', t[27:30] == '𠮷野家', t[47:52] == 'Tōkyō'
const T = 'Mayor 😀 Jane Doe said\r\nthe 𠮷野家 chain closed in Tōkyō.\r\nEnd.';
const T_SHA = 'ac0a1d362bd367e220037de52102087978879ed671a07e663c937a2a70541b47';
// t2[0:7] == 'Prodigy', t2[17:19] == '北京', t2[24:25] == '𩸽', t2[26:30] == 'fish'
const T2 = 'Prodigy 😀😀 test: 北京 and 𩸽 fish';

const jsonl = (...lines: (object | string)[]) =>
	lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\r\n') + '\r\n';

const HAPPY = jsonl(
	{
		id: 'art-1',
		title: 'Mayor speaks',
		text: T,
		meta: { lang: 'en', outlet: 'Gazette' },
		spans: [
			{ start: 8, end: 16, label: 'attribution' },
			{ start: 47, end: 52, label: 'place' }
		]
	},
	'',
	{ id: 17, text: T + ' (doccano)', label: [[27, 30, 'org'], [47, 52, 'place']], Comments: [] },
	'   ',
	{
		text: T2,
		_input_hash: -123,
		_task_hash: 456,
		tokens: [{ text: 'Prodigy', start: 0, end: 7, id: 0 }],
		spans: [
			{ start: 0, end: 7, label: 'org', token_start: 0, token_end: 0 },
			{ start: 17, end: 19, label: 'place', token_start: 4, token_end: 4 },
			{ start: 24, end: 25, label: 'fish', token_start: 6, token_end: 6, source: 'core_web_sm' }
		],
		answer: 'accept'
	}
);

describe('JSONL import', () => {
	it('imports spanlab, doccano and Prodigy records with code point offsets', async () => {
		const { docs, report } = await runImport([{ name: 'batch.jsonl', data: enc(HAPPY) }]);
		expect(shown(report)).toEqual([]);
		expect(docs).toEqual<ImportedDocument[]>([
			{
				id: 'art-1',
				title: 'Mayor speaks',
				text: T,
				meta: { lang: 'en', outlet: 'Gazette' },
				sha256: T_SHA,
				spans: [
					{ start: 8, end: 16, label: 'attribution' },
					{ start: 47, end: 52, label: 'place' }
				],
				source: 'batch.jsonl',
				line: 1
			},
			{
				id: '17',
				title: 'Mayor 😀 Jane Doe said',
				text: T + ' (doccano)',
				meta: {},
				sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
				spans: [
					{ start: 27, end: 30, label: 'org' },
					{ start: 47, end: 52, label: 'place' }
				],
				source: 'batch.jsonl',
				line: 3
			},
			{
				id: 'd6adda0c4e54f4321',
				title: T2,
				text: T2,
				meta: {},
				sha256: expect.stringMatching(/^6adda0c4e54f4321/),
				spans: [
					{ start: 0, end: 7, label: 'org' },
					{ start: 17, end: 19, label: 'place' },
					{ start: 24, end: 25, label: 'fish' }
				],
				source: 'batch.jsonl',
				line: 5
			}
		]);
		const covered = docs.map((d) => d.spans.map((s) => cpSlice(d.text, s.start, s.end)));
		expect(covered).toEqual([['Jane Doe', 'Tōkyō'], ['𠮷野家', 'Tōkyō'], ['Prodigy', '北京', '𩸽']]);
		expect(docs[0].text.includes('\r\n')).toBe(true);
		expect([...report.labelsFound.entries()]).toEqual([
			['attribution', 1],
			['place', 3],
			['org', 2],
			['fish', 1]
		]);
		expect(report).toMatchObject({ files: 1, documents: 3, bytes: enc(HAPPY).length });
	});

	it('accepts doccano "entities" objects, LF endings, a BOM, no trailing newline and null optionals', async () => {
		const data = bytes(
			[0xef, 0xbb, 0xbf],
			JSON.stringify({ id: 'x1', text: T2, entities: [{ id: 9, label: 'place', start_offset: 17, end_offset: 19 }] }),
			'\n',
			JSON.stringify({ text: 'Short one.', id: null, title: null, meta: null, spans: null, label: 'POSITIVE' })
		);
		const { docs, report } = await runImport([{ name: 'd.ndjson', data }]);
		expect(shown(report)).toEqual([]);
		expect(docs.map((d) => [d.id, d.title, d.spans, d.line])).toEqual([
			['x1', T2, [{ start: 17, end: 19, label: 'place' }], 1],
			['d700d6b4aa1dc0718', 'Short one.', [], 2]
		]);
	});

	it('one bad line in the middle: names that line, imports the others, keeps going', async () => {
		const data = enc(jsonl({ text: 'first' }, '{"text": "second",}', { text: 'third' }));
		const { docs, report } = await runImport([{ name: 'mid.jsonl', data }]);
		expect(docs.map((d) => [d.text, d.line])).toEqual([
			['first', 1],
			['third', 3]
		]);
		expect(shown(report)).toHaveLength(1);
		expect(shown(report)[0].file).toBe('mid.jsonl');
		expect(shown(report)[0].line).toBe(2);
		expect(shown(report)[0].message).toMatch(/^line 2: invalid JSON: \S/);
	});

	it('refuses meta nested more than 32 deep with the line number, however deep (100,000 levels)', async () => {
		const nest = (depth: number) => '{"k":'.repeat(depth) + '1' + '}'.repeat(depth);
		const file = [`{"text":"ok one","meta":${nest(32)}}`, `{"text":"deep two","meta":${nest(33)}}`, `{"text":"deep three","meta":${nest(100_000)}}`].join('\n');
		const { docs, report } = await runImport([{ name: 'deep.jsonl', data: enc(file) }]);
		expect(docs.map((d) => d.line)).toEqual([1]);
		expect(shown(report).map((p) => [p.line, p.message])).toEqual([
			[2, 'line 2: "meta" is nested more than 32 levels deep (objects and arrays inside each other)'],
			[3, 'line 3: "meta" is nested more than 32 levels deep (objects and arrays inside each other)']
		]);
	});

	it('reports every kind of record error, with line numbers', async () => {
		const lines: (object | string)[] = [
			{ text: 'valid' }, // 1
			'{"text": }', // 2
			{ title: 'no text' }, // 3
			{ text: '' }, // 4
			{ text: 42 }, // 5
			{ text: 'ok 6', title: 5 }, // 6
			{ text: 'ok 7', id: ['a'] }, // 7
			{ text: 'ok 8', id: 'bad id!' }, // 8
			{ text: 'ok 9', meta: [1] }, // 9
			{ text: 'ab😀', spans: [{ start: 0, end: 4, label: 'claim' }] }, // 10: 3 code points (4 UTF-16 units)
			{ text: 'ok 11', spans: [{ start: 3, end: 3, label: 'claim' }] }, // 11
			{ text: 'ok 12', spans: [{ start: -1, end: 2, label: 'claim' }] }, // 12
			{ text: 'ok 13', spans: [{ start: 1.5, end: 2, label: 'claim' }] }, // 13
			{ text: 'ok 14', label: [[0, 2]] }, // 14
			'[1, 2]', // 15
			'{"text": "x\\ud83dy"}', // 16
			{ text: 'ok 17', spans: [{ start: 0, end: 2, label: '' }] }, // 17
			{ text: 'ok 18', spans: { start: 0 } }, // 18
			{ text: 'ok 19', id: 'dup' }, // 19
			{ text: 'ok 20', id: 'dup' }, // 20
			{ text: 'ok 21', id: 1.5 }, // 21
			{ text: 'ok 22', spans: [{ start: '0', end: 2, label: 'x' }, 'span'] }, // 22
			{ text: '   \n ' }, // 23
			{ text: 'ok 24', spans: [{ start: 0, end: 2, label: 'x' }, { start: 0, end: 95, label: 'y' }] }, // 24
			{ text: 'valid' } // 25: same text as line 1
		];
		const { docs, report } = await runImport([{ name: 'bad.jsonl', data: enc(jsonl(...lines)) }]);
		expect(docs.map((d) => d.line)).toEqual([1, 19]);
		const got = shown(report).map((p) => ({ ...p }));
		expect(got[0].message).toMatch(/^line 2: invalid JSON: /);
		got[0].message = 'line 2: invalid JSON: …';
		expect(got).toEqual(
			[
				[2, 'invalid JSON: …'],
				[3, '"text" is missing'],
				[4, '"text" must be a non-empty string'],
				[5, '"text" must be a non-empty string, not number'],
				[6, '"title" must be a string, not number'],
				[7, '"id" must be a string or an integer, not array'],
				[
					8,
					'"id" "bad id!" is not a valid id (1-128 characters: letters, digits, ".", "_", "-", starting with a letter or digit)'
				],
				[9, '"meta" must be an object, not array'],
				[10, 'span 1 end 4 is beyond the text (length 3 code points)'],
				[11, 'span 1 start 3 must be less than end 3'],
				[12, 'span 1 start must be a non-negative integer (got -1)'],
				[13, 'span 1 start must be a non-negative integer (got 1.5)'],
				[14, 'span 1 in "label" must be [start, end, "LABEL"] (got [0,2])'],
				[15, 'expected a JSON object, got array'],
				[16, '"text" contains an unpaired surrogate (a lone \\uD8xx-\\uDFxx escape) at code point 1'],
				[17, 'span 1 label must be a non-empty string (got "")'],
				[18, '"spans" must be an array, not object'],
				[20, 'duplicate id "dup" (first used in bad.jsonl line 19)'],
				[21, '"id" must be a string or an integer, not 1.5'],
				[22, 'span 1 start must be a non-negative integer (got "0")'],
				[22, 'span 2 must be an object with "start", "end" and "label" (got "span")'],
				[23, '"text" must be a non-empty string'],
				[24, 'span 2 end 95 is beyond the text (length 5 code points)'],
				[25, 'duplicate document: the same text (id "dec654fac9599f62e") is already in bad.jsonl line 1']
			].map(([line, message]) => ({ file: 'bad.jsonl', line, message: `line ${line}: ${message}` }))
		);
		expect(report.labelsFound.size).toBe(0);
		expect(report.documents).toBe(2);
	});

	it('reports invalid UTF-8 with the line', async () => {
		const data = bytes('{"text":"ok"}\n{"text":"caf', [0xe9], '"}\n{"text":"fine"}\n');
		const { docs, report } = await runImport([{ name: 'enc.jsonl', data }]);
		expect(docs.map((d) => d.text)).toEqual(['ok', 'fine']);
		expect(shown(report)).toEqual([
			{
				file: 'enc.jsonl',
				line: 2,
				message: 'line 2: invalid UTF-8 (at byte 13 of the line); the file must be UTF-8 encoded'
			}
		]);
	});

	it('reports a file without documents', async () => {
		const { report } = await runImport([{ name: 'blank.jsonl', data: enc('\r\n\n  \n') }]);
		expect(messages(report)).toEqual(['the file contains no documents (it is empty or has only blank lines)']);
	});

	it('duplicate ids across files of one import', async () => {
		const { docs, report } = await runImport([
			{ name: 'a.jsonl', data: enc(jsonl({ id: 7, text: 'one' })) },
			{ name: 'b.jsonl', data: enc(jsonl({ id: 'x', text: 'two' }, { id: '7', text: 'three' })) }
		]);
		expect(docs.map((d) => d.id)).toEqual(['7', 'x']);
		expect(shown(report)).toEqual([
			{ file: 'b.jsonl', line: 2, message: 'line 2: duplicate id "7" (first used in a.jsonl line 1)' }
		]);
	});
});

describe('JSONL streaming', () => {
	const data = enc(HAPPY);

	async function parse(chunks: AsyncIterable<Uint8Array>) {
		const state = new ImportState();
		const docs: ImportedDocument[] = [];
		for await (const d of parseJsonlStream('s.jsonl', chunks, { state })) docs.push(d);
		return { docs, report: state.report };
	}

	it('gives the same result for every two-chunk split (multi-byte chars and CRLF straddling)', async () => {
		const whole = await parse(chunked(data, []));
		expect(whole.docs).toHaveLength(3);
		for (let cut = 1; cut < data.length; cut++) {
			const split = await parse(chunked(data, [cut]));
			expect(shown(split.report)).toEqual([]);
			expect(split.docs).toEqual(whole.docs);
		}
	});

	it('handles 1-byte and 3-byte chunks', async () => {
		const whole = await parse(chunked(data, []));
		expect((await parse(fixedChunks(data, 1))).docs).toEqual(whole.docs);
		expect((await parse(fixedChunks(data, 3))).docs).toEqual(whole.docs);
	});

	it('splits inside a 4-byte emoji and between CR and LF', async () => {
		const line = enc('{"text":"a😀b"}\r\n{"text":"c"}\r\n');
		const emoji = line.indexOf(0xf0);
		const cr = line.indexOf(13);
		const { docs, report } = await parse(chunked(line, [emoji + 2, cr + 1]));
		expect(shown(report)).toEqual([]);
		expect(docs.map((d) => d.text)).toEqual(['a😀b', 'c']);
	});

	it('yields documents before the input is fully read', async () => {
		let pulled = 0;
		async function* source() {
			for (let i = 0; i < 100; i++) {
				pulled++;
				yield enc(JSON.stringify({ id: `n${i}`, text: `doc ${i}` }) + '\n');
			}
		}
		const it = parseJsonlStream('big.jsonl', source())[Symbol.asyncIterator]();
		const first = await it.next();
		expect(first.value?.id).toBe('n0');
		expect(pulled).toBeLessThanOrEqual(2);
		await it.return?.(undefined);
	});

	it('treats Node streams (Buffers) like any other chunk source', async () => {
		const { Readable } = await import('node:stream');
		const stream = Readable.from([Buffer.from(data.subarray(0, 10)), Buffer.from(data.subarray(10))]);
		const { docs } = await runImport([{ name: 'node.jsonl', stream }]);
		expect(docs.map((d) => d.id)).toEqual(['art-1', '17', 'd6adda0c4e54f4321']);
	});
});
