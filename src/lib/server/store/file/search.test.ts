import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileStore } from './index';
import type { NewDocument } from '../../../model/dataset';

let root: string;
const store = fileStore();
const doc = (id: string, title: string, text: string, meta: Record<string, unknown> = {}): NewDocument => ({ id, title, text, meta, sha256: id });

beforeEach(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-search-'));
	process.env.SPANLAB_DATA = root;
	store.reset();
	await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
	await store.documents.addMany('news', [
		doc('a', 'Visite à l’Élysée', 'Le préfet a parlé mardi devant la presse.', { lang: 'fr' }),
		doc('b', 'Budget', 'Le président a parlé à l’Elysee; le préfet était absent.'),
		doc('c', 'Weather', 'Rain over Paris, the prefecture said.', { lang: 'en' }),
		doc('d', '__proto__', 'constructor toString hasOwnProperty')
	]);
});

afterEach(() => {
	store.reset();
	fs.rmSync(root, { recursive: true, force: true });
});

describe('documents.search (file store)', () => {
	it('«Élysée» is found by elysee, accents and case aside, title hits first', async () => {
		expect(await store.documents.search('news', 'elysee')).toEqual(['a', 'b']);
		expect(await store.documents.search('news', 'ÉLYSÉE')).toEqual(['a', 'b']);
	});
	it('every word must be there; a prefix is no whole word', async () => {
		expect(await store.documents.search('news', 'préfet parlé')).toEqual(expect.arrayContaining(['a', 'b']));
		expect(await store.documents.search('news', 'préfet rain')).toEqual([]);
		expect(await store.documents.search('news', 'pref')).toEqual([]);
		expect(await store.documents.search('news', 'prefecture')).toEqual(['c']);
	});
	it('a phrase keeps only documents with its words in order', async () => {
		expect(await store.documents.search('news', '"le prefet a parle"')).toEqual(['a']);
		expect((await store.documents.search('news', 'le prefet a parle')).sort()).toEqual(['a', 'b']);
		expect(await store.documents.search('news', '"parlé le"')).toEqual([]);
	});
	it('Object.prototype member names are words like any other', async () => {
		// `_` is no letter: `__proto__` is the word `proto`
		expect(await store.documents.search('news', '__proto__')).toEqual(['d']);
		expect(await store.documents.search('news', 'tostring')).toEqual(['d']);
		expect(await store.documents.search('news', 'valueof')).toEqual([]);
		expect(await store.documents.search('news', 'constructor')).toEqual(['d']);
		expect(await store.documents.search('news', 'hasownproperty')).toEqual(['d']);
		expect(await store.documents.search('news', '"" ,;')).toEqual([]);
	});
	it('an import after the first search is found without a rebuild', async () => {
		expect(await store.documents.search('news', 'nouméa')).toEqual([]);
		await store.documents.addMany('news', [doc('e', 'Nouméa', 'Arrivée à Nouméa.', { lang: 'fr' })]);
		expect(await store.documents.search('news', 'noumea')).toEqual(['e']);
		expect((await store.documents.metas('news')).get('e')).toEqual({ lang: 'fr' });
	});
	it('a refused import (id clash) drops the index; the kept documents are found', async () => {
		await store.documents.search('news', 'x');
		await expect(store.documents.addMany('news', [doc('f', 'Lyon', 'Lyon.'), { ...doc('a', 'other', 'other text'), sha256: 'other' }])).rejects.toMatchObject({ status: 409 });
		expect(await store.documents.search('news', 'lyon')).toEqual(['f']);
	});
});
