import { describe, expect, it } from 'vitest';
import {
	codePointLength,
	documentIdFromText,
	firstInvalidUtf8,
	firstLineTitle,
	firstLoneSurrogate,
	jsonDepth,
	idFromFileName,
	sha256Hex
} from './util';
import { detectFormat } from './detect';
import { enc, bytes } from './test-helpers';

describe('hashes and ids', () => {
	it('sha256Hex hashes the UTF-8 text', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(sha256Hex('Prodigy 😀😀 test: 北京 and 𩸽 fish')).toMatch(/^6adda0c4e54f4321/);
	});
	it("documentIdFromText is 'd' + 16 hex chars of sha256", () => {
		expect(documentIdFromText('abc')).toBe('dba7816bf8f01cfea');
		expect(documentIdFromText('Prodigy 😀😀 test: 北京 and 𩸽 fish')).toBe('d6adda0c4e54f4321');
	});
	it('idFromFileName keeps what it can of the name', () => {
		expect(idFromFileName('Débat municipal (2024).txt')).toBe('Debat-municipal-2024');
		expect(idFromFileName('corpus.zip/2024/03/lyon_crue.v2.html')).toBe('lyon_crue.v2');
		expect(idFromFileName('C:\\news\\story.txt')).toBe('story');
		expect(idFromFileName('.hidden.txt')).toBe('hidden');
		expect(idFromFileName('北京.txt')).toBeNull();
		expect(idFromFileName('---.txt')).toBeNull();
		expect(idFromFileName('__proto__.txt')).toBe('proto');
		expect(idFromFileName(`${'x'.repeat(200)}.txt`)).toBe('x'.repeat(128));
	});
});

describe('code points and UTF-8', () => {
	it('counts code points, not UTF-16 units', () => {
		expect(codePointLength('')).toBe(0);
		expect(codePointLength('abc')).toBe(3);
		expect(codePointLength('a😀b')).toBe(3);
		expect(codePointLength('𠮷野家')).toBe(3);
		expect(codePointLength('\ud83d')).toBe(1); // lone surrogate counts as one
		expect(codePointLength('Mayor 😀 Jane Doe said\r\nthe 𠮷野家 chain closed in Tōkyō.\r\nEnd.')).toBe(59);
	});
	it('finds lone surrogates', () => {
		expect(firstLoneSurrogate('a😀b')).toBe(-1);
		expect(firstLoneSurrogate('a😀\udc00')).toBe(2);
		expect(firstLoneSurrogate('\ud83dx')).toBe(0);
	});
	it('locates the first invalid UTF-8 byte', () => {
		expect(firstInvalidUtf8(enc('héllo 😀'))).toBe(-1);
		expect(firstInvalidUtf8(bytes('ab', [0xff], 'c'))).toBe(2);
		expect(firstInvalidUtf8(bytes('ab', [0xc3]))).toBe(2); // truncated sequence
		expect(firstInvalidUtf8(bytes([0xc0, 0x80]))).toBe(0); // overlong
		expect(firstInvalidUtf8(bytes([0xed, 0xa0, 0x80]))).toBe(0); // encoded surrogate
		expect(firstInvalidUtf8(bytes('x', [0xf0, 0x9f, 0x98], 'y'))).toBe(1);
	});
	it('derives titles from the first non-blank line', () => {
		expect(firstLineTitle('\r\n  \r\n  Hello world \r\nmore')).toBe('Hello world');
		expect(firstLineTitle('one\rtwo')).toBe('one');
		expect(firstLineTitle(' \n\t')).toBe('');
		expect(firstLineTitle('x'.repeat(250))).toBe('x'.repeat(200) + '…');
	});
});

describe('detectFormat', () => {
	const zipHead = bytes([0x50, 0x4b, 3, 4, 20, 0]);
	it('uses the extension, case-insensitively', () => {
		expect(detectFormat('a.txt', enc('hello'))).toBe('txt');
		expect(detectFormat('A.TXT', enc('hello'))).toBe('txt');
		expect(detectFormat('a.jsonl', enc('{"text":"x"}'))).toBe('jsonl');
		expect(detectFormat('a.ndjson', enc('{"text":"x"}'))).toBe('jsonl');
		expect(detectFormat('a.html', enc('<p>x</p>'))).toBe('html');
		expect(detectFormat('dir/a.htm', enc('<p>x</p>'))).toBe('html');
		expect(detectFormat('a.zip', zipHead)).toBe('zip');
	});
	it('checks content against the extension', () => {
		expect(detectFormat('a.zip', enc('not a zip'))).toBe(null);
		expect(detectFormat('a.txt', zipHead)).toBe(null);
		expect(detectFormat('a.txt', bytes([0xff, 0xfe, 0x68, 0x00]))).toBe(null); // UTF-16
		expect(detectFormat('a.json', enc('  {"text":"x"}'))).toBe('jsonl');
		// a JSON array is a Label Studio export (issue #17); before, no format read it
		expect(detectFormat('a.json', enc('[{"text":"x"}]'))).toBe('labelstudio');
		expect(detectFormat('a.json', enc('"x"'))).toBe(null);
		expect(detectFormat('a.pdf', enc('%PDF-1.7'))).toBe(null);
		expect(detectFormat('a.docx', zipHead)).toBe(null);
	});
	it('sniffs files without an extension', () => {
		expect(detectFormat('README', enc('plain text'))).toBe('txt');
		expect(detectFormat('export', enc('\ufeff{"text":"x"}'))).toBe('jsonl');
		expect(detectFormat('page', enc('\n<!DOCTYPE html><html>'))).toBe('html');
		expect(detectFormat('bundle', zipHead)).toBe('zip');
	});
});

describe('jsonDepth', () => {
	it('counts objects and arrays inside each other', () => {
		expect(jsonDepth('text')).toBe(0);
		expect(jsonDepth(null)).toBe(0);
		expect(jsonDepth({})).toBe(1);
		expect(jsonDepth({ a: [1, { b: 'c' }], d: 2 })).toBe(3);
		expect(jsonDepth([[[]], []])).toBe(3);
	});

	it('stops past the limit, without recursion, however deep the value', () => {
		const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
		expect(jsonDepth(deep, 32)).toBe(33);
		expect(jsonDepth(JSON.parse('{"a":'.repeat(32) + '1' + '}'.repeat(32)), 32)).toBe(32);
		expect(jsonDepth(JSON.parse('{"a":'.repeat(33) + '1' + '}'.repeat(33)), 32)).toBe(33);
	});
});
