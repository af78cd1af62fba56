import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkEntryName, listZip, unzipEntries } from './zip';
import { chunked, enc, runImport, shown } from './test-helpers';

describe('zip entry names', () => {
	it('normalises, skips and refuses', () => {
		expect(checkEntryName('docs/a.txt')).toEqual({ path: 'docs/a.txt' });
		expect(checkEntryName('./docs//b.jsonl')).toEqual({ path: 'docs/b.jsonl' });
		expect(checkEntryName('docs\\c.txt')).toEqual({ path: 'docs/c.txt' });
		expect(checkEntryName('docs/')).toBe(null);
		expect(checkEntryName('__MACOSX/docs/._a.txt')).toBe(null);
		expect(checkEntryName('.DS_Store')).toBe(null);
		expect(checkEntryName('docs/.hidden/x.txt')).toBe(null);
		expect(checkEntryName('../evil.txt')).toEqual({ error: 'paths with ".." are not allowed in the archive' });
		expect(checkEntryName('docs/../../evil.txt')).toEqual({ error: 'paths with ".." are not allowed in the archive' });
		expect(checkEntryName('..\\evil.txt')).toEqual({ error: 'paths with ".." are not allowed in the archive' });
		expect(checkEntryName('/etc/passwd.txt')).toEqual({ error: 'absolute paths are not allowed in the archive' });
		expect(checkEntryName('C:\\win.txt')).toEqual({ error: 'absolute paths are not allowed in the archive' });
	});
});

describe('zip import', () => {
	const files = {
		docs: {
			'a.txt': enc('Headline A\r\nBody A'),
			'b.jsonl': enc('{"id":"b1","text":"Body B1","spans":[{"start":0,"end":4,"label":"claim"}]}\n{"id":"b2","text":"Body B2"}\n'),
			nested: { 'c.html': enc('<html><body><article><h1>Head C</h1><p>Body C.</p></article></body></html>') }
		},
		'__MACOSX': { docs: { '._a.txt': new Uint8Array([0, 5, 22, 7]) } },
		'.DS_Store': new Uint8Array([0, 0, 0, 1]),
		'top.txt': enc('Top level')
	};

	it('imports the files inside folders, skipping directories, __MACOSX and dotfiles', async () => {
		const zip = zipSync(files);
		const { docs, report } = await runImport([{ name: 'bundle.zip', data: zip }]);
		expect(shown(report)).toEqual([]);
		expect(docs.map((d) => [d.source, d.id, d.title, d.text, d.line])).toEqual([
			['bundle.zip/docs/a.txt', docs[0].id, 'Headline A', 'Headline A\r\nBody A', undefined],
			['bundle.zip/docs/b.jsonl', 'b1', 'Body B1', 'Body B1', 1],
			['bundle.zip/docs/b.jsonl', 'b2', 'Body B2', 'Body B2', 2],
			['bundle.zip/docs/nested/c.html', docs[3].id, 'Head C', 'Head C\n\nBody C.', undefined],
			['bundle.zip/top.txt', docs[4].id, 'Top level', 'Top level', undefined]
		]);
		expect(report.files).toBe(4);
		expect(report.documents).toBe(5);
		expect(report.labelsFound).toEqual(new Map([['claim', 1]]));
		// bytes counts the uncompressed content of the imported entries
		const d = files.docs;
		expect(report.bytes).toBe(d['a.txt'].length + d['b.jsonl'].length + d.nested['c.html'].length + files['top.txt'].length);
		expect(report.bytes).toBe(205);
	});

	it('works from a stream too', async () => {
		const zip = zipSync(files, { level: 0 });
		const { docs, report } = await runImport([{ name: 'bundle.zip', stream: chunked(zip, [7, 100]) }]);
		expect(shown(report)).toEqual([]);
		expect(docs).toHaveLength(5);
	});

	it('rejects path tricks, nested archives, unknown types and bad entries, imports nothing else on commit', async () => {
		const zip = zipSync({
			'ok.txt': enc('Fine'),
			'../evil.txt': enc('escape'),
			'/abs.txt': enc('absolute'),
			'inner.zip': zipSync({ 'x.txt': enc('x') }),
			'notes.md': enc('# notes'),
			'bad.jsonl': enc('{"text": 1}\n')
		});
		const { docs, report } = await runImport([{ name: 'tricks.zip', data: zip }]);
		expect(docs.map((d) => d.source)).toEqual(['tricks.zip/ok.txt']);
		expect(shown(report)).toEqual([
			{ file: 'tricks.zip/../evil.txt', message: 'paths with ".." are not allowed in the archive' },
			{ file: 'tricks.zip//abs.txt', message: 'absolute paths are not allowed in the archive' },
			{ file: 'tricks.zip/inner.zip', message: 'zip archives inside zip archives are not supported' },
			{
				file: 'tricks.zip/notes.md',
				message: 'unsupported file type ".md" (expected .txt, .jsonl, .ndjson, .html, .htm, .tml (TimeML), .json (Label Studio), .ann (brat, with its .txt) or .zip)'
			},
			{ file: 'tricks.zip/bad.jsonl', line: 1, message: 'line 1: "text" must be a non-empty string, not number' }
		]);
	});

	it('rejects archives that expand beyond the size limit before decompressing', async () => {
		const zip = zipSync({ 'big.txt': new Uint8Array(5000).fill(0x61) });
		expect(zip.length).toBeLessThan(1000);
		const { docs, report } = await runImport([{ name: 'bomb.zip', data: zip }], { maxBytes: 1000 });
		expect(docs).toEqual([]);
		expect(shown(report)).toEqual([
			{
				file: 'bomb.zip',
				message: "the archive's content (4.9 KB uncompressed) is larger than the size limit of 1000 bytes; nothing was imported"
			}
		]);
	});

	it('reports corrupt and empty archives', async () => {
		const { report } = await runImport([
			{ name: 'corrupt.zip', data: enc('PK\x03\x04 this is not really a zip') },
			{ name: 'fake.zip', data: enc('hello') },
			{ name: 'empty.zip', data: zipSync({ '__MACOSX': { '._x': new Uint8Array(1) } }) }
		]);
		expect(shown(report)).toEqual([
			{ file: 'corrupt.zip', message: 'not a valid zip archive: invalid zip data' },
			{ file: 'fake.zip', message: 'not a zip archive (the zip signature is missing)' },
			{ file: 'empty.zip', message: 'the archive contains no files to import' }
		]);
	});
});

/**
 * `zip` with the declared uncompressed size of entry `name` changed by `delta`,
 * in both its local header (size at offset 22, name at 30) and its central
 * directory record (size at 24, name at 46), as a forger would.
 */
function withDeclaredSize(zip: Uint8Array, name: string, delta: number): Uint8Array {
	const forged = new Uint8Array(zip);
	const view = new DataView(forged.buffer);
	const named = (at: number) => new TextDecoder().decode(forged.subarray(at, at + name.length)) === name;
	for (let i = 0; i + 4 <= forged.length; i++) {
		const signature = view.getUint32(i, true);
		if (signature === 0x04034b50 && named(i + 30)) view.setUint32(i + 22, view.getUint32(i + 22, true) + delta, true);
		if (signature === 0x02014b50 && named(i + 46)) view.setUint32(i + 24, view.getUint32(i + 24, true) + delta, true);
	}
	return forged;
}

describe('zip entry sizes and checksums', () => {
	// 43 bytes, three times over: deflate shrinks it
	const text = 'The mayor said the rise was "inevitable". \n';
	const archive = (level: 0 | 6) => zipSync({ 'ok.txt': enc('Fine'), 'docs/a.txt': enc(text.repeat(3)) }, { level });

	it('takes an honest archive, stored or deflated, byte for byte', () => {
		expect(enc(text.repeat(3)).length).toBe(129);
		for (const level of [0, 6] as const) {
			const zip = archive(level);
			const out = unzipEntries(zip, listZip(zip).entries);
			expect(out.map((o) => ('data' in o ? [o.entry.path, o.data.length] : [o.entry.path, o.error]))).toEqual([
				['ok.txt', 4],
				['docs/a.txt', 129]
			]);
		}
	});

	it('refuses an entry whose header understates or overstates its size, naming the entry', async () => {
		const cases: Array<[0 | 6, number, string]> = [
			[6, -5, 'its header declares 124 bytes but it holds more: the archive is damaged or forged'],
			[6, +5, 'its header declares 134 bytes but it holds 129 bytes: the archive is damaged or truncated'],
			[0, -5, 'its header declares 124 bytes but it holds more: the archive is damaged or forged'],
			[0, +5, 'its header declares 134 bytes but it holds 129 bytes: the archive is damaged or truncated']
		];
		for (const [level, delta, message] of cases) {
			const zip = withDeclaredSize(archive(level), 'docs/a.txt', delta); // ok.txt keeps its size
			const { docs, report } = await runImport([{ name: 'forged.zip', data: zip }]);
			expect(shown(report), `level ${level}, delta ${delta}`).toEqual([{ file: 'forged.zip/docs/a.txt', message }]);
			expect(docs.map((d) => d.source)).toEqual(['forged.zip/ok.txt']);
		}
	});

	it('refuses an entry whose bytes do not match its CRC-32', async () => {
		const zip = archive(0);
		const at = zip.indexOf(enc('The mayor')[0], 60); // inside the stored text of docs/a.txt
		expect(new TextDecoder().decode(zip.subarray(at, at + 9))).toBe('The mayor');
		zip[at] = 'X'.charCodeAt(0);
		const { docs, report } = await runImport([{ name: 'flipped.zip', data: zip }]);
		expect(shown(report)).toEqual([
			{ file: 'flipped.zip/docs/a.txt', message: 'its CRC-32 does not match its header: the archive is damaged' }
		]);
		expect(docs).toHaveLength(1);
	});
});
