import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	addDocuments,
	createDataset,
	getDataset,
	getDocument,
	listDocumentHeaders,
	resetDatasetCache,
	updateDataset,
	type NewDocument
} from './datasets';
import { datasetFile, documentFile, documentsDir } from './paths';
import { stableJson, writeFileDurable } from './durable';
import { sha256Hex } from '../../import';

let root: string;
const doc = (id: string, text: string): NewDocument => ({ id, title: id, text, meta: {}, sha256: sha256Hex(text) });

beforeEach(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-docs-'));
	process.env.SPANLAB_DATA = root;
	resetDatasetCache();
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
});

afterEach(() => {
	fs.rmSync(root, { recursive: true, force: true });
});

describe('addDocuments', () => {
	it('writes many documents in order, skipping texts already there (within the call too)', async () => {
		const many = Array.from({ length: 600 }, (_, i) => doc(`n${i}`, `Text number ${i}.`));
		const first = await addDocuments('news', [...many, doc('again', 'Text number 3.')]);
		expect(first.imported).toHaveLength(600);
		expect(first.duplicates).toBe(1);
		const headers = await listDocumentHeaders('news');
		expect(headers.map((h) => h.position)).toEqual(Array.from({ length: 600 }, (_, i) => i));
		expect(headers[599].id).toBe('n599');
		const second = await addDocuments('news', [doc('x', 'Text number 0.'), doc('new', 'A new text.')]);
		expect(second).toEqual({ imported: ['new'], duplicates: 1 });
		expect((await getDocument('news', 'new')).position).toBe(600);
		expect(fs.readdirSync(documentsDir('news'))).toHaveLength(601); // no temp files left

		resetDatasetCache(); // the index rebuilt from disk agrees
		const rebuilt = await listDocumentHeaders('news');
		expect(rebuilt.map((h) => h.id)).toEqual(headers.map((h) => h.id).concat('new'));
		expect(rebuilt.slice(0, 600)).toEqual(headers);
		expect(rebuilt[600]).toMatchObject({ id: 'new', position: 600, length: 'A new text.'.length });
	});

	it('an index of many documents is built without holding the event loop', async () => {
		// 3,000 document files, as another process would leave them (written plainly: fsyncs would take long)
		fs.mkdirSync(documentsDir('news'), { recursive: true });
		for (let i = 0; i < 3000; i++) {
			const d = doc(`n${i}`, `Text number ${i}. `.repeat(50));
			fs.writeFileSync(documentFile('news', d.id), stableJson({ ...d, created_at: '2026-01-01T00:00:00.000Z', position: i }));
		}
		// the event loop turns all along: files are read a few dozen at a time, never all at once
		const turns: number[] = [];
		let building = true;
		const turn = () => {
			if (!building) return;
			turns.push(performance.now());
			setImmediate(turn);
		};
		const start = performance.now();
		setImmediate(turn);
		expect(await listDocumentHeaders('news')).toHaveLength(3000);
		building = false;
		const end = performance.now();
		const longestWait = Math.max(...[...turns, end].map((t, i) => t - (turns[i - 1] ?? start)));
		expect(longestWait).toBeLessThan((end - start) / 2);
	});

	it('refuses an id already used by another text, keeping what came before', async () => {
		await addDocuments('news', [doc('a', 'Alpha.')]);
		await expect(addDocuments('news', [doc('b', 'Beta.'), doc('a', 'Not alpha.')])).rejects.toMatchObject({ status: 409 });
		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(['a', 'b']);
		await expect(addDocuments('news', [doc('c', 'Gamma.'), doc('c', 'Other gamma.')])).rejects.toMatchObject({ status: 409 });
	});
});

describe('changes by another process (the import CLI)', () => {
	it('are noticed: new documents are listed, a changed record is read again', async () => {
		await addDocuments('news', [doc('a', 'Alpha.')]);
		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(['a']);
		await updateDataset('news', (d) => {
			d.title = 'Ours';
		});

		// what another process writes: a document file, and the record with a new label
		const other = { ...doc('b', 'Beta.'), created_at: new Date().toISOString(), position: 1 };
		await writeFileDurable(documentFile('news', 'b'), stableJson(other));
		const record = JSON.parse(fs.readFileSync(datasetFile('news'), 'utf8'));
		record.labels.push({ name: 'PER', key: '5', color: '#000000', description: '' });
		await writeFileDurable(datasetFile('news'), stableJson(record));

		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(['a', 'b']);
		expect((await addDocuments('news', [doc('b2', 'Beta.'), doc('c', 'Gamma.')])).duplicates).toBe(1);
		expect((await getDocument('news', 'c')).position).toBe(2);
		expect((await getDataset('news')).labels.map((l) => l.name)).toContain('PER');
		// and our own next change keeps theirs
		await updateDataset('news', (d) => {
			d.title = 'Ours again';
		});
		resetDatasetCache();
		expect((await getDataset('news')).labels.map((l) => l.name)).toContain('PER');
	});
});
