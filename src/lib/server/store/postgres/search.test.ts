/** documents.search and documents.metas on PostgreSQL: the file store's worked examples (../file/search.test.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { createPostgresStore, type PostgresStore } from './index';
import type { NewDocument } from '../../../model/dataset';

let cluster: TestPostgres;
let store: PostgresStore;
const doc = (id: string, title: string, text: string, meta: Record<string, unknown> = {}): NewDocument => ({ id, title, text, meta, sha256: id });

beforeAll(async () => {
	cluster = await startPostgres();
	store = createPostgresStore(await cluster.newDatabase(), { max: 2 });
	await store.init();
	await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
	await store.documents.addMany('news', [
		doc('a', 'Visite à l’Élysée', 'Le préfet a parlé mardi devant la presse.', { lang: 'fr' }),
		doc('b', 'Budget', 'Le président a parlé à l’Elysee; le préfet était absent.'),
		doc('c', 'Weather', 'Rain over Paris, the prefecture said.', { lang: 'en' }),
		doc('d', '__proto__', 'constructor toString hasOwnProperty')
	]);
}, 60_000);

afterAll(async () => {
	await store?.close();
	await cluster?.stop();
});

describe('documents.search (PostgreSQL)', () => {
	it('«Élysée» is found by elysee, accents and case aside, title hits first', async () => {
		expect(await store.documents.search('news', 'elysee')).toEqual(['a', 'b']);
		expect(await store.documents.search('news', 'ÉLYSÉE')).toEqual(['a', 'b']);
	});
	it('every word must be there; a prefix is no whole word', async () => {
		expect((await store.documents.search('news', 'préfet parlé')).sort()).toEqual(['a', 'b']);
		expect(await store.documents.search('news', 'préfet rain')).toEqual([]);
		expect(await store.documents.search('news', 'pref')).toEqual([]);
		expect(await store.documents.search('news', 'prefecture')).toEqual(['c']);
	});
	it('a phrase keeps only documents with its words in order', async () => {
		expect(await store.documents.search('news', '"le prefet a parle"')).toEqual(['a']);
		expect(await store.documents.search('news', '"parlé le"')).toEqual([]);
	});
	it('Object.prototype member names are words like any other', async () => {
		expect(await store.documents.search('news', 'constructor')).toEqual(['d']);
		expect(await store.documents.search('news', 'tostring')).toEqual(['d']);
		expect(await store.documents.search('news', 'valueof')).toEqual([]);
		expect(await store.documents.search('news', '"" ,;')).toEqual([]);
	});
	it('metas: each document’s meta by id', async () => {
		const metas = await store.documents.metas('news');
		expect(metas.get('a')).toEqual({ lang: 'fr' });
		expect(metas.get('d')).toEqual({});
	});
});
