/** Issue #14 item 8: look-alike names are refused, naming the existing one. */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, getDataset, resetDatasetCache, updateDataset, validateLabels, resetAnnotationCache } from '../store';
import { createDatasetAs, updateDatasetAs } from '../datasets/datasets';
import { createUser } from './auth';
import { planLabels } from '../import/importLabels';
import { labelSchema, labelSetSchema } from '../../model/labels';
import { DEFAULT_LABELS, type Label } from '../../model/types';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const label = (name: string, key = ''): Label => ({ name, key, color: '#123456', description: '' });
const lead = { username: 'lead', role: 'lead' as const };
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-names-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
});

afterEach(() => {
	removeDataFolder(root);
});

describe('label names', () => {
	it('are stored NFC and trimmed; keys trimmed and lower-cased', () => {
		expect(labelSchema.parse({ name: ' re\u0301sume\u0301 ', key: ' A', color: '#123456' })).toMatchObject({ name: 'résumé', key: 'a' });
	});

	it('__proto__ is refused, saying why; constructor and toString are ordinary names', () => {
		const result = labelSetSchema.safeParse([label('__proto__')]);
		expect(result.success).toBe(false);
		expect(result.error!.issues[0].message).toMatch(/"__proto__" is reserved/);
		expect(labelSetSchema.parse([label('constructor'), label('toString')]).map((l) => l.name)).toEqual(['constructor', 'toString']);
	});

	it('a set with two look-alike names is refused, naming the one listed first', () => {
		for (const twin of ['Claim', 'cla im', 'сlaim', 'ｃｌａｉｍ']) {
			expect(() => validateLabels([label('claim', '1'), label(twin, '2')]), twin).toThrow(`label "${twin}" looks like the existing label "claim"`);
		}
		expect(validateLabels([label('claim', '1'), label('claims', '2')])).toHaveLength(2);
	});

	it('PATCH refuses a new label that reads like a kept one (400, nothing changed), and accepts a rename to a look-alike of itself', async () => {
		const access = async () => ({ user: lead, dataset: await getDataset('unit'), role: 'lead' as const });
		const lookAlike = [...DEFAULT_LABELS, label('сlaim', '5')];
		await expect(updateDatasetAs(await access(), { labels: lookAlike })).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('label "сlaim" looks like the existing label "claim"')
		});
		expect((await getDataset('unit')).labels).toEqual(DEFAULT_LABELS);
		const renamed = DEFAULT_LABELS.map((l) => (l.name === 'claim' ? { ...l, name: 'Claim' } : l));
		await updateDatasetAs(await access(), { labels: renamed, renames: { claim: 'Claim' } });
		expect((await getDataset('unit')).labels.map((l) => l.name)).toEqual(['Claim', 'attribution', 'framing', 'date']);
	});

	it('a set that already holds two look-alikes (old data) stays editable', async () => {
		await updateDataset('unit', (d) => {
			d.labels = [label('claim', '1'), label('Claim', '2')];
		});
		const access = { user: lead, dataset: await getDataset('unit'), role: 'lead' as const };
		const result = await updateDatasetAs(access, { labels: [label('claim', '1'), label('Claim', '2'), label('date', '3')] });
		expect(result.labels.map((l) => l.name)).toEqual(['claim', 'Claim', 'date']);
	});

	it('an import adding labels refuses one that reads like a dataset label, and trims the names it finds', () => {
		const found = new Map([
			['сlaim', { count: 2, file: 'a.jsonl', line: 3 }],
			['date ', { count: 1, file: 'a.jsonl', line: 4 }],
			['PER', { count: 1, file: 'a.jsonl', line: 5 }]
		]);
		const plan = planLabels(DEFAULT_LABELS, found, { addLabels: true });
		expect(plan.problems).toEqual([
			{ file: 'a.jsonl', line: 3, message: expect.stringMatching(/^label "сlaim" looks like the existing label "claim" .*; map it onto that label \(labelMap=сlaim:claim\)/) }
		]);
		expect(plan.map.get('date ')).toBe('date');
		expect(plan.added.map((l) => l.name)).toEqual(['PER']);
	});
});

describe('usernames and dataset slugs', () => {
	it('a username that reads like an existing one is refused (409) naming it', async () => {
		await createUser({ username: 'ann1', password: 'password-1', role: 'annotator' });
		await expect(createUser({ username: 'annl', password: 'password-1', role: 'annotator' })).rejects.toMatchObject({
			status: 409,
			message: expect.stringContaining('user "annl" looks like the existing user "ann1"')
		});
		await expect(createUser({ username: 'ann1', password: 'password-1', role: 'annotator' })).rejects.toMatchObject({ status: 409, message: 'user "ann1" already exists' });
		expect((await createUser({ username: 'ann2', password: 'password-1', role: 'annotator' })).username).toBe('ann2');
		expect((await createUser({ username: 'constructor', password: 'password-1', role: 'annotator' })).username).toBe('constructor');
		await expect(createUser({ username: 'g0ld', password: 'password-1', role: 'annotator' })).rejects.toMatchObject({
			status: 400,
			message: 'username "g0ld" looks like the reserved name "gold"'
		});
	});

	it('a dataset slug that reads like an existing one is refused (409) naming it', async () => {
		await createDatasetAs(lead, { slug: 'news-2024', title: 'News' });
		await expect(createDatasetAs(lead, { slug: 'news-2o24', title: 'News again' })).rejects.toMatchObject({
			status: 409,
			message: expect.stringContaining('dataset "news-2o24" looks like the existing dataset "news-2024"')
		});
		expect((await createDatasetAs(lead, { slug: 'news-2025', title: 'Next year' })).slug).toBe('news-2025');
	});
});
