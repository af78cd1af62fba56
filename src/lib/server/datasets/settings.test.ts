import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeMemberAs, setMemberAs, settingsFor, updateDatasetFor } from './settings';
import { applyAssignmentAs } from '../assignments/assignments';
import { uploadGazetteerAs, updateSuggestionSettingsAs } from '../suggest/suggestions';
import { createDataset, getDataset, resetDatasetCache, updateDataset } from '../store';
import { resetAnnotationCache } from '../store';
import { createUser } from '../auth/auth';
import type { SessionUser } from '../auth/auth';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const lead = { username: 'lead', role: 'lead' } as SessionUser;
const ann1 = { username: 'ann1', role: 'annotator' } as SessionUser;
const outsider = { username: 'ann2', role: 'annotator' } as SessionUser;
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-settings-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	await updateDataset('news', (d) => {
		d.members = { ann1: 'annotator' };
	});
});

afterEach(() => {
	removeDataFolder(root);
});

/** A body reader that must not be called. */
const untouched = (read: string[]) => () => {
	read.push('read');
	throw new Error('the body was read');
};

describe('dataset use cases check the caller before they read their input', () => {
	it('annotators, outsiders and anonymous callers are refused (403 / 401) with the body unread, and nothing changes', async () => {
		const before = JSON.stringify(await getDataset('news'));
		const read: string[] = [];
		for (const [caller, status] of [[ann1, 403], [outsider, 403], [null, 401]] as const) {
			await expect(updateDatasetFor(caller, 'news', untouched(read))).rejects.toMatchObject({ status });
			await expect(setMemberAs(caller, 'news', untouched(read))).rejects.toMatchObject({ status });
			await expect(removeMemberAs(caller, 'news', untouched(read))).rejects.toMatchObject({ status });
			await expect(applyAssignmentAs(caller, 'news', untouched(read))).rejects.toMatchObject({ status });
			await expect(updateSuggestionSettingsAs(caller, 'news', untouched(read))).rejects.toMatchObject({ status });
			await expect(uploadGazetteerAs(caller, 'news', untouched(read))).rejects.toMatchObject({ status });
			await expect(settingsFor(caller, 'news')).rejects.toMatchObject({ status });
		}
		expect(read).toEqual([]);
		expect(JSON.stringify(await getDataset('news'))).toBe(before);
	});

	it('a lead: the input is read after the check, and the change made', async () => {
		await createUser({ username: 'ann3', password: 'a-long-password', role: 'annotator' });
		const order: string[] = [];
		await updateDatasetFor(lead, 'news', () => {
			order.push('read');
			return { description: 'changed' };
		});
		await setMemberAs(lead, 'news', async () => ({ username: 'ann3', role: 'annotator' }));
		expect(order).toEqual(['read']);
		const dataset = await getDataset('news');
		expect(dataset.description).toBe('changed');
		expect(dataset.members).toEqual({ ann1: 'annotator', ann3: 'annotator' });
		expect((await settingsFor(lead, 'news')).details).toEqual({ description: 'changed', punctuation: 'keep' });
	});

	it('a dataset that does not exist is 404 for leads, 403 for anyone else (no probing)', async () => {
		await expect(settingsFor(lead, 'nope')).rejects.toMatchObject({ status: 404 });
		await expect(settingsFor(ann1, 'nope')).rejects.toMatchObject({ status: 403 });
	});
});
