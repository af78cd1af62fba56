import { describe, expect, it } from 'vitest';
import { importSourceName, parseImport, validateImport } from './index';
import type { InputFile } from './types';
import { enc, fixedChunks, messages, runImport, shown } from './test-helpers';

describe('size limit', () => {
	it('defaults to 50 MB per import', async () => {
		const data = new Uint8Array(50 * 1024 * 1024 + 1).fill(0x61);
		const { docs, report } = await runImport([{ name: 'huge.txt', data }]);
		expect(docs).toEqual([]);
		expect(shown(report)).toEqual([
			{
				file: 'huge.txt',
				message: 'the import is larger than the size limit of 50 MB (52428800 bytes); nothing was imported'
			}
		]);
	});

	it('counts all files of the import and stops at the file that crosses it', async () => {
		let pulled = 0;
		function* files(): Generator<InputFile> {
			for (const name of ['a.txt', 'b.txt', 'c.txt']) {
				pulled++;
				yield { name, data: enc(name.repeat(20)) }; // 100 bytes each
			}
		}
		const { docs, report } = await runImport(files() as unknown as InputFile[], { maxBytes: 150 });
		expect(docs.map((d) => d.source)).toEqual(['a.txt']);
		expect(shown(report)).toEqual([
			{ file: 'b.txt', message: 'the import is larger than the size limit of 150 bytes; nothing was imported' }
		]);
		expect(pulled).toBe(2);
		expect(report.done).toBe(true);
	});

	it('stops reading a stream as soon as the limit is crossed', async () => {
		let pulled = 0;
		async function* body() {
			for (let i = 0; i < 1000; i++) {
				pulled++;
				yield enc(JSON.stringify({ text: `document number ${i}` }) + '\n');
			}
		}
		const { docs, report } = await runImport([{ name: 'big.jsonl', stream: body() }], { maxBytes: 2000 });
		// lines 0-9 are 29 bytes, 10-99 are 30: 10*29 + 57*30 = 2000, so chunk 68 crosses the limit
		expect(pulled).toBe(68);
		expect(docs).toHaveLength(67);
		expect(report.bytes).toBe(2030);
		expect(messages(report)).toEqual(['the import is larger than the size limit of 2.0 KB (2000 bytes); nothing was imported']);
		expect(report.tooLarge).toBe(true);
	});

	it('flags only the size limit as tooLarge', async () => {
		const report = await validateImport([{ name: 'x.jsonl', data: enc('{"text":1}\n') }], { maxBytes: 100 });
		expect(shown(report)).toHaveLength(1);
		expect(report.tooLarge).toBe(false);
	});
});

describe('problem cap', () => {
	it('keeps maxProblems problems and summarises the rest', async () => {
		const data = enc(['{"text":1}', '{"text":2}', '{"text":"ok"}', '{"text":3}', '{"text":4}', '{"text":5}'].join('\n'));
		const { docs, report } = await runImport([{ name: 'x.jsonl', data }], { maxProblems: 3 });
		expect(docs.map((d) => d.line)).toEqual([3]);
		expect(shown(report)).toEqual([
			{ file: 'x.jsonl', line: 1, message: 'line 1: "text" must be a non-empty string, not number' },
			{ file: 'x.jsonl', line: 2, message: 'line 2: "text" must be a non-empty string, not number' },
			{ file: 'x.jsonl', line: 4, message: 'line 4: "text" must be a non-empty string, not number' },
			{ message: '…and 2 more problems' }
		]);
	});

	it('defaults to 100', async () => {
		const data = enc(Array.from({ length: 150 }, (_, i) => `{"text": ${i}}`).join('\n'));
		const report = await validateImport([{ name: 'y.jsonl', data }]);
		expect(shown(report)).toHaveLength(101);
		expect(shown(report)[99].line).toBe(100);
		expect(shown(report)[100]).toEqual({ message: '…and 50 more problems' });
	});
});

describe('parseImport', () => {
	it('takes several files, as an async iterable of streams, and reports as it goes', async () => {
		const one = enc('{"id":"a","text":"Alpha","spans":[{"start":0,"end":5,"label":"claim"}]}\n');
		const two = enc('Beta\nsecond line');
		const three = enc('<html><body><article><h1>Gamma</h1><p>Gamma body.</p></article></body></html>');
		async function* files(): AsyncGenerator<InputFile> {
			yield { name: 'one.jsonl', stream: fixedChunks(one, 4) };
			yield { name: 'two.txt', stream: fixedChunks(two, 3) };
			yield { name: 'three.html', data: three };
			yield { name: 'photo.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
		}
		const { documents, report } = parseImport(files());
		const ids: string[] = [];
		for await (const d of documents) {
			ids.push(d.id);
			expect(report.documents).toBe(ids.length); // populated while iterating
			expect(report.done).toBe(false);
		}
		expect(ids[0]).toBe('a');
		expect(ids).toHaveLength(3);
		expect(report.done).toBe(true);
		expect(report.files).toBe(4);
		expect(report.bytes).toBe(one.length + two.length + three.length);
		expect(report.bytes).toBe(165);
		expect(report.labelsFound).toEqual(new Map([['claim', 1]]));
		expect(shown(report)).toEqual([
			{ file: 'photo.png', message: 'unsupported file type ".png" (expected .txt, .jsonl, .ndjson, .html, .htm, .tml (TimeML), .json (Label Studio), .ann (brat, with its .txt) or .zip)' }
		]);
	});

	it('validateImport runs the same checks without keeping documents', async () => {
		const report = await validateImport([
			{ name: 'a.jsonl', data: enc('{"id":"x","text":"one"}\n{"id":"x","text":"two"}\n') }
		]);
		expect(report.documents).toBe(1);
		expect(messages(report)).toEqual(['line 2: duplicate id "x" (first used in a.jsonl line 1)']);
	});

	it('lets the consumer add problems in document order, under the same cap', async () => {
		const data = enc(['{"text":1}', '{"id":"a","text":"A"}', '{"text":2}', '{"id":"b","text":"B"}', '{"text":3}'].join('\n'));
		const parsed = parseImport([{ name: 'x.jsonl', data }], { maxProblems: 3 });
		for await (const d of parsed.documents) parsed.problem(d.source, d.line, `id "${d.id}" is taken`);
		expect(shown(parsed.report)).toEqual([
			{ file: 'x.jsonl', line: 1, message: 'line 1: "text" must be a non-empty string, not number' },
			{ file: 'x.jsonl', line: 2, message: 'line 2: id "a" is taken' },
			{ file: 'x.jsonl', line: 3, message: 'line 3: "text" must be a non-empty string, not number' },
			{ message: '…and 2 more problems' }
		]);
	});

	it('names the annotation source of pre-annotations', () => {
		expect(importSourceName({ source: 'batch.jsonl' })).toBe('import:batch.jsonl');
	});

	it('lets errors of the input stream itself propagate', async () => {
		async function* failing() {
			yield enc('{"text":"ok"}\n');
			throw new Error('connection reset');
		}
		await expect(runImport([{ name: 'a.jsonl', stream: failing() }])).rejects.toThrow('connection reset');
	});
});
