import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchSpansFor, spanSearchPageFor } from './spanSearch';
import { saveSet } from './saveSet';
import { addDocuments, createDataset, updateDataset } from '../store';
import type { SessionUser } from '../auth/auth';
import { parseSpanQuery } from '../../find/spanQuery';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const lead = { username: 'lead', role: 'lead' } as SessionUser;
const ann1 = { username: 'ann1', role: 'annotator' } as SessionUser;
const ann2 = { username: 'ann2', role: 'annotator' } as SessionUser;
const LABELS = ['claim', 'attribution', 'framing', 'date'];
const docs = [
	{ id: 'a', title: 'A', text: 'Le préfet parle.', meta: {}, sha256: 'a' },
	{ id: 'b', title: 'B', text: 'Un préfet écoute.', meta: {}, sha256: 'b' }
];
const q = (s: string) => parseSpanQuery(new URLSearchParams(s));
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-spans-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
	await addDocuments('news', docs);
	await updateDataset('news', (d) => {
		d.members = { ann1: 'annotator', ann2: 'annotator' };
	});
	// "préfet" is code points 3..9 in both texts
	for (const doc of docs) {
		for (const who of ['ann1', 'ann2', 'gold', 'import~wire']) await saveSet('news', doc, who, who, LABELS, { baseRevision: 0, spans: [{ start: 3, end: 9, label: 'claim' }] });
	}
});

afterEach(() => removeDataFolder(root));

describe('searchSpansFor', () => {
	it('gives a lead everyone’s spans and gold, in document then annotator order, without the import sets', async () => {
		const page = await searchSpansFor(lead, 'news', q('label=claim&text=PREFET'));
		expect(page.hits.map((h) => `${h.document.id}/${h.annotator}`)).toEqual(['a/ann1', 'a/ann2', 'a/gold', 'b/ann1', 'b/ann2', 'b/gold']);
		expect(page).toMatchObject({ total: 6, exact: true, pages: 1 });
		// asked for by name, an import set is a 400 that says so (not an empty answer that would look like none)
		await expect(searchSpansFor(lead, 'news', q('annotator=import~wire'))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('pre-annotations') });
	});

	it('gives an annotator their own spans, in the documents of their queue only', async () => {
		expect((await searchSpansFor(ann1, 'news', q('text=prefet'))).hits.map((h) => `${h.document.id}/${h.annotator}`)).toEqual(['a/ann1', 'b/ann1']);
		await updateDataset('news', (d) => {
			d.assignments = { a: ['ann2'], b: ['ann1'] };
		});
		expect((await searchSpansFor(ann1, 'news', q('text=prefet'))).hits.map((h) => `${h.document.id}/${h.annotator}`)).toEqual(['b/ann1']);
		expect((await searchSpansFor(ann2, 'news', q('text=prefet'))).hits.map((h) => `${h.document.id}/${h.annotator}`)).toEqual(['a/ann2']);
	});

	it('refuses another annotator’s spans to an annotator, and a label the dataset does not have', async () => {
		await expect(searchSpansFor(ann1, 'news', q('annotator=ann2'))).rejects.toMatchObject({ status: 403 });
		await expect(searchSpansFor(lead, 'news', q('label=toString'))).rejects.toMatchObject({ status: 400 });
		await expect(searchSpansFor({ username: 'eve', role: 'annotator' } as SessionUser, 'news', q('text=a'))).rejects.toMatchObject({ status: 403 });
	});
});

describe('the time budget', () => {
	it('stops the walk when it runs out, and says the answer is partial', async () => {
		expect(await searchSpansFor(lead, 'news', q('text=prefet'), 0)).toMatchObject({ hits: [], total: 0, exact: false, partial: true });
		expect(await searchSpansFor(lead, 'news', q('text=prefet'))).toMatchObject({ total: 6, exact: true, partial: false });
	});
});

describe('spanSearchPageFor', () => {
	it('asks for a query before it walks the corpus, and offers a lead whose spans to find', async () => {
		const empty = await spanSearchPageFor(lead, 'news', q(''));
		expect(empty.result).toBeNull();
		expect(empty.annotators).toEqual(['ann1', 'ann2', 'gold']);
		expect(empty.labels.map((l) => l.name)).toEqual(LABELS);
		const mine = await spanSearchPageFor(ann1, 'news', q('label=claim'));
		expect(mine.annotators).toBeNull();
		expect(mine.result?.total).toBe(2);
	});
});
