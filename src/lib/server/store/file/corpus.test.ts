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

const ids = async (walk: ReturnType<typeof iterateWork>) => {
	const seen: string[] = [];
	for await (const { document, sets } of walk) seen.push(`${document.id}:${sets.map((s) => s.annotator).join(',')}`);
	return seen;
};

describe('iterateWork', () => {
	it('walks documents in id order with their chosen sets in annotator order', async () => {
		expect(await ids(iterateWork('unit'))).toEqual(['d1:ann,bob,cy', 'd2:ann', 'd3:gold']);
		expect(await ids(iterateWork('unit', { status: (s) => s === 'done', annotator: (a) => a !== 'gold', skipEmpty: true }))).toEqual([
			'd1:ann,bob',
			'd2:ann'
		]);
	});

	it('asks `document` about the chosen sets before reading anything, and skips what it turns down', async () => {
		const asked: string[] = [];
		// d2 and d3 are turned down: they are never opened, so garbage there goes unnoticed
		for (const id of ['d2', 'd3']) fs.writeFileSync(path.join(root, 'unit', 'documents', `${id}.json`), 'not json');
		const walk = iterateWork('unit', {
			status: (s) => s === 'done',
			document: (chosen) => {
				asked.push(chosen.map((s) => `${s.annotator}@${s.revision}`).join(','));
				return chosen.length >= 2;
			}
		});
		expect(await ids(walk)).toEqual(['d1:ann,bob']);
		expect(asked).toEqual(['ann@1,bob@1', 'ann@1', 'gold@1']);
	});
});
