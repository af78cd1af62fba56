import { describe, expect, it } from 'vitest';
import { bytes, enc, messages, runImport, shown } from './test-helpers';

describe('.txt import', () => {
	it('drops a leading BOM and keeps every other byte (CRLF stays CRLF)', async () => {
		const data = bytes([0xef, 0xbb, 0xbf], '\r\n  Title here \r\nBody\r\n');
		const { docs, report } = await runImport([{ name: 'notes/story.txt', data }]);
		expect(shown(report)).toEqual([]);
		expect(docs).toEqual([
			{
				// issue #15 item 17: the id comes from the file name; the text-derived one is kept for when it is taken
				id: 'story',
				fallbackId: 'd5496337a837bb3ae',
				title: 'Title here',
				text: '\r\n  Title here \r\nBody\r\n',
				meta: { filename: 'story.txt' },
				sha256: '5496337a837bb3ae256ff9a69bc4573ec91d88adc7e72d5093ca0c296a41b88f',
				spans: [],
				source: 'notes/story.txt'
			}
		]);
		// byte for byte: re-encoding gives the input minus the BOM
		expect(enc(docs[0].text)).toEqual(data.subarray(3));
		expect(report).toMatchObject({ files: 1, documents: 1, bytes: data.length, done: true });
	});

	it('keeps a BOM that is not at the start, and lone CRs', async () => {
		const { docs } = await runImport([{ name: 'a.txt', data: enc('First\rSecond \ufeff line') }]);
		expect(docs[0].title).toBe('First');
		expect(docs[0].text).toBe('First\rSecond \ufeff line');
	});

	it('title is the first non-empty line, trimmed', async () => {
		const { docs } = await runImport([
			{ name: 'x.txt', data: enc('\n\n   \t\n\tMayor resigns over budget  \nText of the article.\n') },
			{ name: 'y.txt', data: enc('One line only') }
		]);
		expect(docs.map((d) => d.title)).toEqual(['Mayor resigns over budget', 'One line only']);
	});

	it('rejects empty, blank and non-UTF-8 files', async () => {
		const { docs, report } = await runImport([
			{ name: 'empty.txt', data: new Uint8Array(0) },
			{ name: 'blank.txt', data: enc(' \r\n\t\n') },
			{ name: 'latin1.txt', data: bytes('line one\nline two\ncaf', [0xe9], '\n') },
			{ name: 'bom-latin1.txt', data: bytes([0xef, 0xbb, 0xbf], 'x', [0xff]) }
		]);
		expect(docs).toEqual([]);
		expect(shown(report)).toEqual([
			{ file: 'empty.txt', message: 'the file is empty' },
			{ file: 'blank.txt', message: 'the file contains no text' },
			{
				file: 'latin1.txt',
				line: 3,
				message: 'line 3: invalid UTF-8 (at byte 22 of the file); the file must be UTF-8 encoded'
			},
			{
				file: 'bom-latin1.txt',
				line: 1,
				message: 'line 1: invalid UTF-8 (at byte 5 of the file); the file must be UTF-8 encoded'
			}
		]);
	});

	it('reports the same text twice as a duplicate document', async () => {
		const { docs, report } = await runImport([
			{ name: 'a.txt', data: enc('Same story.') },
			{ name: 'b.txt', data: enc('\ufeffSame story.') }
		]);
		expect(docs.map((d) => d.source)).toEqual(['a.txt']);
		expect(messages(report)).toEqual(['duplicate document: the same text (id "d88566c9185863fc7") is already in a.txt']);
	});
});
