/**
 * The agreement report's relations and attributes (issue #17 item 4), from sets
 * saved through the store into a temporary data folder.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, resetDatasetCache, updateDataset, resetAnnotationCache } from '../store';
import { saveSet } from '../annotate/saveSet';
import { datasetAgreement } from './agreement';
import { DEFAULT_LABELS, type RelationType } from '../../model/types';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const labels = DEFAULT_LABELS.map((l) => l.name);
// «Les frappes ont été menées» 0-26, «a déclaré le groupe» 28-47, «samedi 4 mai» 48-60
const text = 'Les frappes ont été menées, a déclaré le groupe samedi 4 mai.';
const claim = { start: 0, end: 26, label: 'claim' };
const claimShort = { start: 0, end: 11, label: 'claim' };
const attribution = { start: 28, end: 47, label: 'attribution' };
const date = { start: 48, end: 60, label: 'date' };
const types: RelationType[] = [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }];
let root: string;

async function save(doc: string, annotator: string, spans: Array<typeof claim & { attrs?: Record<string, unknown> }>, relations: Array<{ from: number; to: number; label: string }>) {
	await saveSet('unit', { id: doc, text }, annotator, annotator, labels, {
		attributeLabels: DEFAULT_LABELS,
		relationTypes: types,
		baseRevision: 0,
		spans,
		relations,
		status: 'done'
	});
}

beforeEach(async () => {
	root = freshDataFolder('spanlab-agreement-rel-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments('unit', [
		{ id: 'd1', title: 'd1', text, meta: {}, sha256: 'd1' },
		{ id: 'd2', title: 'd2', text, meta: {}, sha256: 'd2' }
	]);
});

afterEach(() => {
	removeDataFolder(root);
});

const sourceOf = { from: 1, to: 0, label: 'source-of' };

describe('datasetAgreement: relations and attributes', () => {
	it('worked example over two documents', async () => {
		// d1: ann and bob draw attribution → claim, bob's claim is shorter: exact 0, overlap 1 match
		//     date values: ann 2024-05-04, bob 2024-05-04 → equal
		// d2: both draw the same relation: exact 1, overlap 1; date: ann 2024-05-04, bob not set → differ
		// relations: 2 + 2; F1 exact = 2·1/4 = 0.5, F1 overlap = 2·2/4 = 1
		// date.value: 2 units, 1 equal → share 0.5; alpha over [x, x], [x, unset]:
		//   n = 4, n_x = 3, n_unset = 1, Σn_c² = 10, D = 0 + 2 = 2 → 1 − 3·2/(16 − 10) = 0
		await save('d1', 'ann', [claim, attribution, { ...date, attrs: { value: '2024-05-04' } }], [sourceOf]);
		await save('d1', 'bob', [claimShort, attribution, { ...date, attrs: { value: '2024-05-04' } }], [sourceOf]);
		await save('d2', 'ann', [claim, attribution, { ...date, attrs: { value: '2024-05-04' } }], [sourceOf]);
		await save('d2', 'bob', [claim, attribution, date], [sourceOf]);
		const report = await datasetAgreement('unit');
		expect(Object.keys(report.relations)).toEqual(['source-of']);
		expect(report.relations['source-of'].pairs).toEqual([
			{ a: 'ann', b: 'bob', documents: 2, relations_a: 2, relations_b: 2, f1_exact: 0.5, f1_overlap: 1 }
		]);
		expect(Object.keys(report.attributes)).toEqual(['date']);
		expect(report.attributes.date.value).toEqual({
			items: 2,
			share_equal: 0.5,
			alpha: 0,
			pairs: [{ a: 'ann', b: 'bob', items: 2, share_equal: 0.5, alpha: 0 }]
		});
		// nobody gave a type: no unit
		expect(report.attributes.date.type).toEqual({ items: 0, share_equal: null, alpha: null, pairs: [] });
	});

	it('a change of relation types is a new report; without types or attributes the parts are empty', async () => {
		await save('d1', 'ann', [claim, attribution], [sourceOf]);
		await save('d1', 'bob', [claim, attribution], [sourceOf]);
		const first = await datasetAgreement('unit');
		expect(first.relations['source-of'].pairs[0].f1_exact).toBe(1);
		await updateDataset('unit', (d) => {
			d.relationTypes = [];
			d.labels = d.labels.map(({ attributes: _, ...l }) => l);
		});
		const second = await datasetAgreement('unit');
		expect(second).not.toBe(first);
		expect(Object.keys(second.relations)).toEqual([]);
		expect(Object.keys(second.attributes)).toEqual([]);
	});
});
