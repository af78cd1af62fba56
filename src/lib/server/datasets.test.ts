import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, getDataset, resetDatasetCache, updateDataset } from './store/datasets';
import { saveSet, loadSet, listRevisions, resetAnnotationCache } from './store/annotations';
import { resumeLabelRewrites, updateDatasetAs } from './datasets';
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

describe('attribute changes and existing values', () => {
	const withCheckable = DEFAULT_LABELS.map((l) =>
		l.name === 'claim' ? { ...l, attributes: [{ name: 'kind', type: 'enum' as const, options: ['fact', 'forecast'] }, { name: 'note', type: 'text' as const }] } : l
	);
	const setUp = async () => {
		await updateDatasetAs(await lead(), { labels: withCheckable });
		const current = await loadSet('unit', 'doc-1', 'ann1');
		await saveSet('unit', doc, 'ann1', 'ann1', names, {
			baseRevision: current.revision,
			spans: [{ start: 3, end: 8, label: 'claim', attrs: { kind: 'fact' } } as never],
			attributeLabels: withCheckable
		});
	};
	const claimWith = (attributes: unknown) => withCheckable.map((l) => (l.name === 'claim' ? { ...l, attributes } : l)) as typeof withCheckable;

	it('new datasets give date its TIMEX3 value and type', async () => {
		expect((await getDataset('unit')).labels.find((l) => l.name === 'date')!.attributes).toEqual([
			{ name: 'value', type: 'timex' },
			{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION', 'SET'] }
		]);
	});

	it('removing, retyping or dropping the option of an attribute in use is refused with counts; unused ones change freely', async () => {
		await setUp();
		const refused = async (labels: typeof withCheckable) => {
			try {
				await updateDatasetAs(await lead(), { labels });
			} catch (e) {
				return (e as { status: number; message: string }).status + ' ' + (e as Error).message;
			}
			throw new Error('expected a refusal');
		};
		expect(await refused(claimWith([{ name: 'note', type: 'text' }]))).toMatch(/^409 attribute values still in use: attribute "kind" of label "claim": 1 span\./);
		expect(await refused(claimWith([{ name: 'kind', type: 'text' }, { name: 'note', type: 'text' }]))).toMatch(/attribute "kind" of label "claim" \(its type changes\): 1 span/);
		expect(await refused(claimWith([{ name: 'kind', type: 'enum', options: ['forecast'] }]))).toMatch(/option "fact" of attribute "kind" of label "claim": 1 span/);
		expect((await getDataset('unit')).labels.find((l) => l.name === 'claim')!.attributes).toHaveLength(2);
		// "note" and the option "forecast" are unused
		await updateDatasetAs(await lead(), { labels: claimWith([{ name: 'kind', type: 'enum', options: ['fact', 'opinion'] }]) });
		expect((await getDataset('unit')).labels.find((l) => l.name === 'claim')!.attributes).toEqual([{ name: 'kind', type: 'enum', options: ['fact', 'opinion'] }]);
	});

	it('a label rename keeps the spans’ values', async () => {
		await setUp();
		const renamed = withCheckable.map((l) => (l.name === 'claim' ? { ...l, name: 'assertion' } : l));
		await updateDatasetAs(await lead(), { labels: renamed, renames: { claim: 'assertion' } });
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.spans.map((s) => [s.label, { ...s.attrs }])).toEqual([['assertion', { kind: 'fact' }]]);
	});
});
