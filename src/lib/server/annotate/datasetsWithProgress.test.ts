import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetsWithProgressFor, writeAnnotations } from './annotate';
import { applyAssignment } from '../assignments/assignments';
import { importFiles } from '../import/importer';
import { createDataset, getDataset, resetDatasetCache, updateDataset } from '../store';
import { resetAnnotationCache } from '../store';
import type { SessionUser } from '../auth/auth';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const enc = (s: string) => new TextEncoder().encode(s);
const jsonl = (...ids: string[]) => enc(ids.map((id) => JSON.stringify({ id, text: `Text of ${id}.` })).join('\n') + '\n');
const lead = { username: 'lead', role: 'lead' } as SessionUser;
const ann1 = { username: 'ann1', role: 'annotator' } as SessionUser;
const ann2 = { username: 'ann2', role: 'annotator' } as SessionUser;
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-home-');
	for (const slug of ['news', 'other']) {
		await createDataset({ slug, title: slug === 'news' ? 'News' : 'Other', createdBy: 'lead' });
		await importFiles(slug, [{ name: 'batch.jsonl', data: jsonl('a1', 'a2', 'a3', 'a4') }], { by: 'lead' });
	}
	await updateDataset('news', (d) => {
		d.members = { ann1: 'annotator', ann2: 'annotator' };
	});
});

afterEach(() => {
	removeDataFolder(root);
});

describe('the datasets page', () => {
	it("counts each caller's own statuses over their own queue, in the datasets they belong to", async () => {
		// ann1's queue: a1, a2, a3 (a4 is ann2's only)
		const leadAccess = { user: lead, dataset: await getDataset('news'), role: 'lead' as const };
		for (const [documentId, annotators] of [['a1', ['ann1']], ['a2', ['ann1']], ['a3', ['ann1', 'ann2']], ['a4', ['ann2']]] as const) {
			await applyAssignment({ ...leadAccess, dataset: await getDataset('news') }, { mode: 'manual', documentId, annotators: [...annotators] });
		}
		await writeAnnotations(ann1, 'news', 'a1', 'me', { baseRevision: 0, spans: [{ start: 0, end: 4, label: 'claim' }], status: 'done' });
		await writeAnnotations(ann1, 'news', 'a2', 'me', { baseRevision: 0, spans: [{ start: 0, end: 4, label: 'claim' }] });
		await writeAnnotations(ann2, 'news', 'a4', 'me', { baseRevision: 0, spans: [], status: 'done' });

		expect(await datasetsWithProgressFor(ann1)).toEqual([{ slug: 'news', title: 'News', role: 'annotator', documents: 3, done: 1, inProgress: 1 }]);
		expect(await datasetsWithProgressFor(ann2)).toEqual([{ slug: 'news', title: 'News', role: 'annotator', documents: 2, done: 1, inProgress: 0 }]);
		// leads see every dataset and every document, with their own statuses (none)
		expect(await datasetsWithProgressFor(lead)).toEqual([
			{ slug: 'news', title: 'News', role: 'lead', documents: 4, done: 0, inProgress: 0 },
			{ slug: 'other', title: 'Other', role: 'lead', documents: 4, done: 0, inProgress: 0 }
		]);
		expect(await datasetsWithProgressFor({ username: 'stranger', role: 'annotator' } as SessionUser)).toEqual([]);
	});

	it('refuses a caller who is not logged in', async () => {
		await expect(datasetsWithProgressFor(null)).rejects.toMatchObject({ status: 401 });
	});
});
