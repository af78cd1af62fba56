/** `npm start` rebuilds only when the sources changed since the last build. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { needsBuild, sourcesHash, writeStamp } from './build-stamp.js';

let root: string;
const write = (rel: string, text: string) => {
	fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
	fs.writeFileSync(path.join(root, rel), text);
};

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-stamp-'));
	write('src/app.html', '<html></html>');
	write('src/lib/a.ts', 'export const a = 1;');
	write('package.json', '{}');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('build stamp', () => {
	it('needs a build without one, not after a stamped build, again once a source changes', () => {
		expect(needsBuild(root)).toBe(true);
		write('build/handler.js', '');
		expect(needsBuild(root)).toBe(true); // a build without a stamp: made from unknown sources
		writeStamp(root, sourcesHash(root));
		expect(needsBuild(root)).toBe(false);
		write('src/lib/a.ts', 'export const a = 2;');
		expect(needsBuild(root)).toBe(true);
		writeStamp(root, sourcesHash(root));
		write('src/lib/b.ts', 'export const b = 1;'); // a new file counts
		expect(needsBuild(root)).toBe(true);
	});

	it('unit tests, fixtures and files outside the inputs do not count; a rename does', () => {
		write('build/handler.js', '');
		writeStamp(root, sourcesHash(root));
		write('src/lib/a.test.ts', 'it()');
		write('src/lib/server/import/fixtures/x.html', '<p>');
		write('README.md', '# changed');
		write('datasets/news/dataset.json', '{}');
		expect(needsBuild(root)).toBe(false);
		fs.renameSync(path.join(root, 'src/lib/a.ts'), path.join(root, 'src/lib/c.ts'));
		expect(needsBuild(root)).toBe(true);
	});
});
