import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, resetDatasetCache } from './datasets';
import { saveSet } from '../../annotate/saveSet';
import { resetAnnotationCache } from './annotations';
import { iterateWork } from './corpus';
import type { Status } from '../../../model/types';
import { freshDataFolder, removeDataFolder } from '../../testing/dataFolder';

const labels = ['claim', 'date'];
const text = 'Le maire a dit mardi.';
let root: string;

async function save(doc: string, annotator: string, status: Status) {
	await saveSet('unit', { id: doc, text }, annotator, annotator, labels, {
		baseRevision: 0,
		spans: [{ start: 3, end: 8, label: 'claim' }],
		status
	});
}

beforeEach(async () => {
	root = freshDataFolder('spanlab-corpus-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments(
		'unit',
		['d3', 'd1', 'd2'].map((id, i) => ({ id, title: id, text: text + ' '.repeat(i), meta: {}, sha256: id }))
	);
	await save('d1', 'bob', 'done');
	await save('d1', 'ann', 'done');
	await save('d1', 'cy', 'in_progress');
	await save('d2', 'ann', 'done');
	await save('d3', 'gold', 'done');
});

afterEach(() => {
	removeDataFolder(root);
});

const ids = async (walk: AsyncIterable<{ document: { id: string }; sets: { annotator: string }[] }>) => {
	const seen: string[] = [];
	for await (const { document, sets } of walk) seen.push(`${document.id}:${sets.map((s) => s.annotator).join(',')}`);
	return seen;
};

// read on the main thread, and read ahead in a worker thread (a long walk's way): the same walk
describe.each([false, true])('iterateWork (read ahead: %s)', (readAhead) => {
	it('walks documents in id order with their chosen sets in annotator order', async () => {
		expect(await ids(iterateWork('unit', {}, readAhead))).toEqual(['d1:ann,bob,cy', 'd2:ann', 'd3:gold']);
		expect(await ids(iterateWork('unit', { status: (s) => s === 'done', annotator: (a) => a !== 'gold', skipEmpty: true }, readAhead))).toEqual([
			'd1:ann,bob',
			'd2:ann'
		]);
	});

	it('asks `document` about the chosen sets before reading anything, and skips what it turns down', async () => {
		const asked: string[] = [];
		// d2 and d3 are turned down: they are never opened, so garbage there goes unnoticed
		for (const id of ['d2', 'd3']) fs.writeFileSync(path.join(root, 'unit', 'documents', `${id}.json`), 'not json');
		const walk = iterateWork(
			'unit',
			{
				status: (s) => s === 'done',
				document: (chosen) => {
					asked.push(chosen.map((s) => `${s.annotator}@${s.revision}`).join(','));
					return chosen.length >= 2;
				}
			},
			readAhead
		);
		expect(await ids(walk)).toEqual(['d1:ann,bob']);
		expect(asked).toEqual(['ann@1,bob@1', 'ann@1', 'gold@1']);
	});

	it('reads a state file that is not at the summary\'s revision the careful way', async () => {
		const walk = async () => {
			const out: string[] = [];
			for await (const { document, sets } of iterateWork('unit', { status: (s) => s === 'done' }, readAhead))
				out.push(`${document.id}:${sets.map((s) => `${s.annotator}@${s.revision}:${s.spans.length}`).join(',')}`);
			return out;
		};
		const before = await walk();
		// a crash between the log line and the state file: the file is behind, the log (and the summary) ahead
		const file = path.join(root, 'unit', 'annotations', 'd1', 'ann.json');
		const state = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.writeFileSync(file, JSON.stringify({ ...state, revision: 0, spans: [] }));
		expect(await walk()).toEqual(before);
		expect(before[0]).toBe('d1:ann@1:1,bob@1:1');
	});

	it('fails on a document file that is not JSON, as a read on the main thread does', async () => {
		fs.writeFileSync(path.join(root, 'unit', 'documents', 'd2.json'), '{"id": "d2", "te');
		await expect(ids(iterateWork('unit', {}, readAhead))).rejects.toThrow(SyntaxError);
	});
});
