import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileStore } from './index';
import { resetSearchCache, searchIndexWritten } from './search';
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

afterEach(async () => {
	await searchIndexWritten('news');
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

describe('the search index on disk', () => {
	const file = () => path.join(root, 'news', 'search-index.bin');
	const restart = () => resetSearchCache();

	it('is written after the first build and loaded after a restart: no document file is read', async () => {
		expect(await store.documents.search('news', 'elysee')).toEqual(['a', 'b']);
		await searchIndexWritten('news');
		expect(fs.existsSync(file())).toBe(true);
		restart();
		// a document's text changed behind the store's back is not seen: the loaded index answers, not the files
		const docFile = path.join(root, 'news', 'documents', 'c.json');
		const stored = JSON.parse(fs.readFileSync(docFile, 'utf8'));
		fs.writeFileSync(docFile, JSON.stringify({ ...stored, text: 'nothing about the weather' }));
		expect(await store.documents.search('news', 'prefecture')).toEqual(['c']);
		expect(await store.documents.search('news', '"le prefet a parle"')).toEqual(['a']);
		expect(await store.documents.search('news', 'ÉLYSÉE')).toEqual(['a', 'b']);
	});
	it('an import after the write is in the next file; a restart in between adds what the file lacks', async () => {
		await store.documents.search('news', 'x');
		await searchIndexWritten('news');
		const before = fs.readFileSync(file());
		await store.documents.addMany('news', [doc('e', 'Nouméa', 'Arrivée à Nouméa.')]);
		await searchIndexWritten('news');
		expect(fs.readFileSync(file()).equals(before)).toBe(false);
		restart();
		fs.writeFileSync(file(), before); // as if killed before the second write
		expect(await store.documents.search('news', 'noumea')).toEqual(['e']);
		await searchIndexWritten('news');
		expect(fs.readFileSync(file()).equals(before)).toBe(false);
	});
	it('a small import into a larger dataset leaves the file as it is until the file lacks a tenth of the documents; a restart reads what it lacks', async () => {
		await store.documents.addMany('news', Array.from({ length: 36 }, (_, i) => doc(`n${i}`, `Note ${i}`, `Une note numéro ${i}.`)));
		await store.documents.search('news', 'x');
		await searchIndexWritten('news');
		const written = fs.readFileSync(file()); // 40 documents
		await store.documents.addMany('news', [doc('e', 'Nouméa', 'Arrivée à Nouméa.'), doc('f', 'Lyon', 'Départ de Lyon.')]);
		await searchIndexWritten('news');
		expect(fs.readFileSync(file()).equals(written)).toBe(true);
		expect(await store.documents.search('news', 'noumea')).toEqual(['e']);
		restart();
		// the file lacks two documents: they are read from their files, and the file is still not rewritten
		expect(await store.documents.search('news', 'lyon')).toEqual(['f']);
		await searchIndexWritten('news');
		expect(fs.readFileSync(file()).equals(written)).toBe(true);
		await store.documents.addMany('news', [doc('g', 'Metz', 'Metz.'), doc('h', 'Nancy', 'Nancy.')]);
		await searchIndexWritten('news');
		expect(fs.readFileSync(file()).equals(written)).toBe(true); // 4 of 44 missing
		await store.documents.addMany('news', [doc('i', 'Reims', 'Reims.')]);
		await searchIndexWritten('news');
		expect(fs.readFileSync(file()).equals(written)).toBe(false); // 5 of 45
		restart();
		expect(await store.documents.search('news', 'nancy')).toEqual(['h']);
		expect(await store.documents.search('news', 'noumea')).toEqual(['e']);
	});
	it('a torn, foreign or stale file is rebuilt from the documents', async () => {
		await store.documents.search('news', 'x');
		await searchIndexWritten('news');
		const good = fs.readFileSync(file());
		for (const bad of [good.subarray(0, good.length - 4), good.subarray(0, 100), Buffer.from('not an index'), Buffer.alloc(0), Buffer.concat([good, Buffer.alloc(4)])]) {
			restart();
			fs.writeFileSync(file(), bad);
			expect(await store.documents.search('news', 'elysee')).toEqual(['a', 'b']);
			expect(await store.documents.search('news', '"le prefet a parle"')).toEqual(['a']);
			await searchIndexWritten('news');
			expect(fs.readFileSync(file()).equals(good)).toBe(true);
		}
		// a document whose title or sha256 differs from the file's: rebuilt, the new title found
		restart();
		const header = JSON.parse(good.toString('utf8', 4, 4 + good.readUInt32LE(0)));
		header.docs[0][1] = 'another sha';
		const json = Buffer.from(JSON.stringify(header));
		const stale = Buffer.concat([Buffer.alloc(4), json, Buffer.alloc((4 - (json.length % 4)) % 4), good.subarray(4 + Math.ceil(good.readUInt32LE(0) / 4) * 4)]);
		stale.writeUInt32LE(json.length, 0);
		fs.writeFileSync(file(), stale);
		const docFile = path.join(root, 'news', 'documents', 'c.json');
		const stored = JSON.parse(fs.readFileSync(docFile, 'utf8'));
		fs.writeFileSync(docFile, JSON.stringify({ ...stored, text: 'nothing about the weather' }));
		expect(await store.documents.search('news', 'prefecture')).toEqual([]);
		expect(await store.documents.search('news', 'weather')).toEqual(['c']);
	});
});
