import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileReadAhead } from './readAhead';

let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-readahead-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileReadAhead', () => {
	it('brings the texts of the files in order, and null for a file to read on the main thread', async () => {
		const small = path.join(dir, 'a.json');
		const accents = path.join(dir, 'b.json');
		const large = path.join(dir, 'c.json');
		fs.writeFileSync(small, '{"a":1}');
		fs.writeFileSync(accents, '{"text":"Décret 😀"}');
		fs.writeFileSync(large, JSON.stringify({ text: 'x'.repeat(70_000) })); // past the worker's 64 KiB buffer
		const ahead = new FileReadAhead();
		try {
			expect(await ahead.read([small, path.join(dir, 'missing.json'), accents, large])).toEqual(['{"a":1}', null, '{"text":"Décret 😀"}', null]);
			expect(await ahead.read([])).toEqual([]);
		} finally {
			ahead.close();
		}
		// closed: every file is left to the main thread
		expect(await ahead.read([small])).toEqual([null]);
	});
});
