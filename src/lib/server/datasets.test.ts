import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, getDataset, resetDatasetCache, updateDataset } from './store/datasets';
import { saveSet, loadSet, listRevisions, resetAnnotationCache } from './store/annotations';
import { createDatasetAs, resumeLabelRewrites, updateDatasetAs } from './datasets';
import { isDomainError } from './errors';
import { DEFAULT_LABELS } from '../types';

const text = 'Le maire a annoncé 😀 mardi une hausse.';
const doc = { id: 'doc-1', text };
const names = DEFAULT_LABELS.map((l) => l.name);
const renamedLabels = DEFAULT_LABELS.map((l) => (l.name === 'claim' ? { ...l, name: 'assertion' } : l));
let root: string;

beforeEach(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-unit-'));
	process.env.SPANLAB_DATA = root;
	resetDatasetCache();
	resetAnnotationCache();
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'x' }]);
	// "maire" (3..8) as a claim by ann1, and "mardi" (21..26) as a claim in imported pre-annotations
	await saveSet('unit', doc, 'ann1', 'ann1', names, { baseRevision: 0, spans: [{ start: 3, end: 8, label: 'claim' }] });
	await saveSet('unit', doc, 'import~wire', 'lead', names, { baseRevision: 0, spans: [{ start: 21, end: 26, label: 'claim' }] });
});

afterEach(() => {
	fs.rmSync(root, { recursive: true, force: true });
});

const lead = async () => ({ user: { username: 'lead', role: 'lead' as const }, dataset: await getDataset('unit'), role: 'lead' as const });

describe('label renames reach all existing work', () => {
	it('a rename rewrites annotators’ sets and imported pre-annotations, as revisions by the lead, and leaves nothing pending', async () => {
		const result = await updateDatasetAs(await lead(), { labels: renamedLabels, renames: { claim: 'assertion' } });
		expect(result.rewritten).toEqual({ sets: 2, renamed: 2, removed: 0 });
		for (const annotator of ['ann1', 'import~wire']) {
			const set = await loadSet('unit', 'doc-1', annotator);
			expect(set.spans.map((s) => [s.label, s.text])).toEqual([['assertion', annotator === 'ann1' ? 'maire' : 'mardi']]);
			expect((await listRevisions('unit', 'doc-1', annotator)).at(-1)).toMatchObject({ by: 'lead', relabelled: 1 });
		}
		expect((await getDataset('unit')).labelRewrite).toBeUndefined();
	});

	it('a rewrite a stop interrupted is finished at the next start', async () => {
		// what a crash right after the label change was written leaves: new labels, sets still on the old name
		await updateDataset('unit', (d) => {
			d.labels = renamedLabels;
			d.labelRewrite = { renamed: [{ from: 'claim', to: 'assertion' }], removed: [], by: 'lead', at: '2026-11-24T10:00:00.000Z' };
		});
		resetDatasetCache();
		resetAnnotationCache();
		expect(await resumeLabelRewrites()).toEqual(['unit']);
		expect((await loadSet('unit', 'doc-1', 'ann1')).spans.map((s) => s.label)).toEqual(['assertion']);
		expect((await loadSet('unit', 'doc-1', 'import~wire')).spans.map((s) => s.label)).toEqual(['assertion']);
		expect((await getDataset('unit')).labelRewrite).toBeUndefined();
		expect(await resumeLabelRewrites()).toEqual([]);
		// ann1 can save again: every label in the set is known to the dataset
		const again = await saveSet('unit', doc, 'ann1', 'ann1', renamedLabels.map((l) => l.name), {
			baseRevision: (await loadSet('unit', 'doc-1', 'ann1')).revision,
			spans: [{ start: 3, end: 8, label: 'assertion' }, { start: 0, end: 2, label: 'date' }]
		});
		expect(again.revision).toBe(3);
	});
});

describe('a new dataset copied from an existing one', () => {
	const leadUser = { username: 'lead', role: 'lead' as const };
	const custom = [{ name: 'quote', key: 'q', color: '#0ca678', description: 'A quotation.' }, ...renamedLabels];

	beforeEach(async () => {
		await updateDataset('unit', (d) => {
			d.labels = custom;
			d.guidelines = '# Tag quotations first';
		});
	});

	it('takes its labels and guidelines, never its documents or members', async () => {
		const made = await createDatasetAs(leadUser, { slug: 'copy', title: 'Copy', copyFrom: 'unit' });
		expect(made.labels).toEqual(custom);
		const copy = await getDataset('copy');
		expect(copy.guidelines).toBe('# Tag quotations first');
		expect(copy.members).toEqual({ lead: 'lead' });
		expect(copy.assignments).toBeNull();
		expect(fs.existsSync(path.join(root, 'copy', 'documents'))).toBe(false);
		// a later change of the source does not reach the copy
		await updateDataset('unit', (d) => {
			d.labels[0].color = '#000000';
		});
		expect((await getDataset('copy')).labels[0].color).toBe('#0ca678');
	});

	it('copies only the parts asked for; given labels or guidelines win; an unknown source is a 400', async () => {
		await createDatasetAs(leadUser, { slug: 'only-guidelines', title: 'G', copyFrom: 'unit', copy: ['guidelines'] });
		expect((await getDataset('only-guidelines')).labels).toEqual(DEFAULT_LABELS);
		expect((await getDataset('only-guidelines')).guidelines).toBe('# Tag quotations first');
		await createDatasetAs(leadUser, { slug: 'own-guidelines', title: 'O', copyFrom: 'unit', guidelines: 'Mine.' });
		expect((await getDataset('own-guidelines')).guidelines).toBe('Mine.');
		expect((await getDataset('own-guidelines')).labels).toEqual(custom);
		for (const copyFrom of ['nope', '__proto__', 'constructor']) {
			try {
				await createDatasetAs(leadUser, { slug: `x-${copyFrom.length}`, title: 'X', copyFrom });
				throw new Error('expected a 400');
			} catch (e) {
				expect(isDomainError(e) && e.status).toBe(400);
			}
		}
	});
});
