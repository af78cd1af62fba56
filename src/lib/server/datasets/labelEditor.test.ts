import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { saveLabelEditor } from './labelEditor';
import { changeMemberRole } from './datasets';
import { writeAnnotations } from '../annotate/annotate';
import { importFiles } from '../import/importer';
import { createDataset, getDataset, resetDatasetCache, updateDataset } from '../store';
import { loadSet, resetAnnotationCache } from '../store';
import type { SessionUser } from '../auth/auth';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const lead = { username: 'lead', role: 'lead' } as SessionUser;
const ann1 = { username: 'ann1', role: 'annotator' } as SessionUser;
let root: string;

/** The label editor's form for the dataset's labels, with `claim` renamed to `rename`. */
async function formRenamingClaim(rename: string, extra: Array<[string, string]> = []): Promise<FormData> {
	const form = new FormData();
	for (const l of (await getDataset('news')).labels) {
		form.append('name', l.name === 'claim' ? rename : l.name);
		form.append('key', l.key);
		form.append('color', l.color);
		form.append('description', l.description);
		form.append('original', l.name);
	}
	for (const [k, v] of extra) form.append(k, v);
	return form;
}

beforeEach(async () => {
	root = freshDataFolder('spanlab-label-editor-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	await updateDataset('news', (d) => {
		d.members = { ann1: 'annotator' };
	});
	await importFiles('news', [{ name: 'a.jsonl', data: new TextEncoder().encode(JSON.stringify({ id: 'a1', text: 'Taxes will fall.' }) + '\n') }], { by: 'lead' });
	await writeAnnotations(ann1, 'news', 'a1', 'me', { baseRevision: 0, spans: [{ start: 0, end: 5, label: 'claim' }] });
});

afterEach(() => {
	removeDataFolder(root);
});

describe('the label editor', () => {
	it('asks before a rename that touches spans, and changes nothing until confirmed', async () => {
		const version = (await getDataset('news')).version ?? 0;
		const asked = await saveLabelEditor(lead, 'news', await formRenamingClaim('assertion'));
		expect(asked).toMatchObject({ confirm: { renamed: [{ from: 'claim', to: 'assertion', spans: 1 }] } });
		expect((await getDataset('news')).version ?? 0).toBe(version);
		expect((await loadSet('news', 'a1', 'ann1')).spans.map((s) => s.label)).toEqual(['claim']);

		const done = await saveLabelEditor(lead, 'news', await formRenamingClaim('assertion', [['confirm', 'yes']]));
		expect(done).toMatchObject({ rewritten: { sets: 1 } });
		expect((await getDataset('news')).labels.map((l) => l.name)).toContain('assertion');
		expect((await loadSet('news', 'a1', 'ann1')).spans.map((s) => s.label)).toEqual(['assertion']);
	});

	it('a change that touches no span needs no confirmation', async () => {
		const form = await formRenamingClaim('claim');
		form.set('description', 'what someone says is so');
		expect(await saveLabelEditor(lead, 'news', form)).toMatchObject({ rewritten: { sets: 0 } });
	});

	it('is for leads of the dataset; a bad row is a 400 in words', async () => {
		await expect(saveLabelEditor(ann1, 'news', await formRenamingClaim('assertion'))).rejects.toMatchObject({ status: 403 });
		await expect(saveLabelEditor(null, 'news', await formRenamingClaim('assertion'))).rejects.toMatchObject({ status: 401 });
		await expect(saveLabelEditor(lead, 'news', await formRenamingClaim(''))).rejects.toMatchObject({ status: 400 });
	});
});

describe('a member role change', () => {
	it('changes the role of a member, and is 404 for someone who is not one', async () => {
		const access = async () => ({ user: lead, dataset: await getDataset('news'), role: 'lead' as const });
		await expect(changeMemberRole(await access(), 'ann2', 'lead')).rejects.toMatchObject({ status: 404, message: '"ann2" is not a member' });
		expect((await getDataset('news')).members).toEqual({ ann1: 'annotator' });
	});
});
