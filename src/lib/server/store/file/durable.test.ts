/** fileLines (durable.ts): a file's whole lines, read a piece at a time, whatever the pieces cut. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileLines } from './durable';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-lines-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** each line decoded as it comes (a view is valid until the next line is asked for) */
function linesOf(file: string, piece?: number): string[] {
	const out: string[] = [];
	for (const bytes of fileLines(file, piece)) out.push(bytes.toString('utf8'));
	return out;
}

describe('fileLines', () => {
	const lines = ['{"a":1}', 'x'.repeat(37), 'é 😀 ü', '', 'last'];
	const text = lines.join('\n') + '\n';

	for (const piece of [1, 3, 8, 64, 4096]) {
		it(`gives every whole line, in pieces of ${piece} bytes (a line longer than a piece included)`, () => {
			const file = path.join(dir, 'f');
			fs.writeFileSync(file, text);
			expect(linesOf(file, piece)).toEqual(lines.filter((l) => l !== ''));
		});
	}

	it('leaves out a torn last line', () => {
		const file = path.join(dir, 'f');
		fs.writeFileSync(file, 'one\ntwo\nthr');
		expect(linesOf(file, 4)).toEqual(['one', 'two']);
		fs.writeFileSync(file, '');
		expect(linesOf(file)).toEqual([]);
	});

	it('closes the file when the reader stops early', () => {
		const file = path.join(dir, 'f');
		fs.writeFileSync(file, text);
		const before = fs.readdirSync('/proc/self/fd').length;
		for (const line of fileLines(file, 4)) if (line.length) break;
		expect(fs.readdirSync('/proc/self/fd').length).toBe(before);
	});
});
