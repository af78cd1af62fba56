import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyAssignment, assignmentView } from './assignments';
import { importFiles } from '../import/importer';
import { createDataset, getDataset, resetDatasetCache, updateDataset, resetAnnotationCache } from '../store';
import type { DatasetAccess } from '../auth/access';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const enc = (s: string) => new TextEncoder().encode(s);
const jsonl = (...ids: string[]) => enc(ids.map((id) => JSON.stringify({ id, text: `Text of ${id}.` })).join('\n') + '\n');
let root: string;

async function access(): Promise<DatasetAccess> {
	return { user: { username: 'lead', role: 'lead' } as DatasetAccess['user'], dataset: await getDataset('news'), role: 'lead' };
}
const importIds = async (...ids: string[]) => importFiles('news', [{ name: 'batch.jsonl', data: jsonl(...ids) }], { by: 'lead' });

beforeEach(async () => {
	root = freshDataFolder('spanlab-assign-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	await updateDataset('news', (d) => {
		d.members = { ann1: 'annotator', ann2: 'annotator', ann3: 'annotator' };
	});
	await importIds('a1', 'a2', 'a3');
});

afterEach(() => {
	removeDataFolder(root);
});

describe('standing automatic assignment', () => {
	it('without any assignment, new documents are everyone\'s', async () => {
		expect((await importIds('b1')).assignment).toEqual({ mode: 'everyone' });
	});

	it('"Assign automatically" is kept as the rule new imports follow; only the new documents are assigned, to the least loaded', async () => {
		// a1..a3 × 2 over ann1..ann3 (worked as in assignment.test.ts): a1 ann1+ann2, a2 ann1+ann3, a3 ann2+ann3 → 2 each
		const view = await applyAssignment(await access(), { mode: 'auto', annotatorsPerDocument: 2 });
		expect(view.policy).toEqual({ annotatorsPerDocument: 2, share: 100 });
		const before = Object.fromEntries(view.documents.map((d) => [d.id, d.annotators]));
		const summary = await importIds('b1', 'b2');
		// loads 2/2/2: b1 ann1 (cursor ann2), ann2; b2: ann3 (2) is least loaded, then ann1/ann2 tie at 3 from the cursor (ann1) → ann1
		expect(summary.assignment).toEqual({ mode: 'auto', documents: 2, annotatorsPerDocument: 2, share: 100, annotators: { ann1: 2, ann2: 1, ann3: 1 } });
		const after = await assignmentView(await access());
		expect(after.unassigned).toBe(0);
		const byId = Object.fromEntries(after.documents.map((d) => [d.id, d.annotators]));
		expect(byId).toEqual({ ...before, b1: ['ann1', 'ann2'], b2: ['ann1', 'ann3'] });
	});

	it('a rule over chosen annotators keeps to them; stop and manual-only datasets leave new documents unassigned', async () => {
		await applyAssignment(await access(), { mode: 'auto', annotatorsPerDocument: 1, annotators: ['ann2', 'ann3'] });
		expect((await assignmentView(await access())).policy).toEqual({ annotatorsPerDocument: 1, share: 100, annotators: ['ann2', 'ann3'] });
		const first = await importIds('c1');
		expect(first.assignment).toMatchObject({ mode: 'auto', documents: 1, annotators: { ann2: 0, ann3: 1 } });

		await applyAssignment(await access(), { mode: 'stop' });
		const view = await assignmentView(await access());
		expect(view.policy).toBeNull();
		expect(view.mode).toBe('assigned');
		expect((await importIds('c2', 'c3')).assignment).toEqual({ mode: 'manual', unassigned: 2 });
		expect((await assignmentView(await access())).unassigned).toBe(2);

		// standing: false assigns once without a rule
		await applyAssignment(await access(), { mode: 'auto', annotatorsPerDocument: 1, standing: false });
		expect((await importIds('c4')).assignment).toEqual({ mode: 'manual', unassigned: 1 });
	});

	it('a rule that can no longer be applied says why, and the documents wait', async () => {
		await applyAssignment(await access(), { mode: 'auto', annotatorsPerDocument: 3 });
		await updateDataset('news', (d) => {
			delete d.members.ann3;
		});
		expect((await importIds('d1')).assignment).toEqual({
			mode: 'manual',
			unassigned: 1,
			reason: 'cannot give each document 3 annotators: only 2 annotator(s) to choose from'
		});
	});

	it('"everyone" ends the rule too', async () => {
		await applyAssignment(await access(), { mode: 'auto', annotatorsPerDocument: 1 });
		await applyAssignment(await access(), { mode: 'everyone' });
		expect((await getDataset('news')).assignmentPolicy).toBeNull();
		expect((await importIds('e1')).assignment).toEqual({ mode: 'everyone' });
	});
});
