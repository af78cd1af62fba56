import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFiles, type ImportProgress } from './importer';
import { createDataset, getDataset, listDocumentHeaders, resetDatasetCache, datasetSummaries, loadSet, resetAnnotationCache, TEMP_MARKER } from '../store';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const enc = (s: string) => new TextEncoder().encode(s);
const jsonl = (...records: unknown[]) => enc(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-import-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
});

afterEach(() => {
	removeDataFolder(root);
});

const ids = async () => (await listDocumentHeaders('news')).map((h) => h.id);
const leftovers = () =>
	fs.readdirSync(path.join(root, 'news'), { recursive: true }).filter((f) => String(f).includes(TEMP_MARKER));

describe('importFiles', () => {
	it('a TimeML file: each TIMEX3 becomes a date pre-annotation with its value and type as attrs, where the date label takes them', async () => {
		// fixtures/timebank-sample.tml: «hier» DATE 1999-05-16, «deux ans» DURATION P2Y, «ce soir» TIME 1999-05-17TEV,
		// «de temps en temps» SET with the value «quelquefois», which is no TIMEX3 value (its type is kept, its value dropped)
		const data = new Uint8Array(fs.readFileSync(new URL('./fixtures/timebank-sample.tml', import.meta.url)));
		const summary = await importFiles('news', [{ name: 'timebank-sample.tml', data }], { by: 'lead' });
		expect(summary).toMatchObject({ imported: 1, errors: [] });
		const set = await loadSet('news', 'fixture-0001', 'import~timebank-sample.tml');
		expect(set.spans.map((s) => [s.text, s.label, s.attrs])).toEqual([
			['hier', 'date', { type: 'DATE', value: '1999-05-16' }],
			['deux ans', 'date', { type: 'DURATION', value: 'P2Y' }],
			['ce soir', 'date', { type: 'TIME', value: '1999-05-17TEV' }],
			['de temps en temps', 'date', { type: 'SET' }]
		]);
		// code point offsets: «😀» is one
		expect(set.spans.map((s) => [s.start, s.end])).toEqual([[20, 24], [52, 60], [78, 85], [92, 109]]);

		// a dataset whose date label has no attributes: the same spans, without attrs, and no error
		await createDataset({ slug: 'plain', title: 'Plain', createdBy: 'lead', labels: [{ name: 'date', key: '4', color: '#2b8a3e', description: '' }] });
		const plain = await importFiles('plain', [{ name: 'timebank-sample.tml', data }], { by: 'lead' });
		expect(plain).toMatchObject({ imported: 1, errors: [] });
		const bare = await loadSet('plain', 'fixture-0001', 'import~timebank-sample.tml');
		expect(bare.spans.map((s) => [s.text, s.attrs])).toEqual([
			['hier', undefined],
			['deux ans', undefined],
			['ce soir', undefined],
			['de temps en temps', undefined]
		]);
	});

	it('imports documents and saves their spans as the import source set', async () => {
		const text = 'Le maire a annoncé 😀 mardi une hausse.';
		const phases: string[] = [];
		const summary = await importFiles(
			'news',
			[
				{ name: 'batch.jsonl', data: jsonl({ id: 'a', text, spans: [{ start: 0, end: 8, label: 'attribution' }] }, { text: 'Second.' }) },
				{ name: 'note.txt', data: enc('A plain note.\nSecond line.') }
			],
			{ by: 'lead', onProgress: (p: ImportProgress) => phases.at(-1) !== p.phase && phases.push(p.phase) }
		);
		expect(summary).toMatchObject({ imported: 3, duplicates: 0, errors: [], tooLarge: false });
		expect(summary.preAnnotations).toEqual([
			{ source: 'import:batch.jsonl', annotator: 'import~batch.jsonl', documents: 1, spans: 1 }
		]);
		expect(phases).toEqual(['validating', 'importing', 'annotations', 'done']);
		// the jsonl record without an id gets the text-derived one; the .txt file its name (issue #15 item 17)
		expect(await ids()).toEqual(['a', expect.stringMatching(/^d[0-9a-f]{16}$/), 'note']);
		const set = await loadSet('news', 'a', 'import~batch.jsonl');
		expect(set).toMatchObject({ revision: 1, status: 'done', updated_by: 'lead' });
		expect(set.spans.map((s) => [s.label, s.text])).toEqual([['attribution', 'Le maire']]);
		expect((await datasetSummaries('news')).get('a')?.size ?? 0).toBe(0);
		expect(leftovers()).toEqual([]);
	});

	it('whole files keep their name: meta.filename, and the id from it while it is free', async () => {
		const first = await importFiles(
			'news',
			[
				{ name: 'Conseil municipal.txt', data: enc('Le conseil a voté.') },
				{ name: 'corpus.zip/a/brief.txt', data: enc('Premier brief.') },
				{ name: 'corpus.zip/b/brief.txt', data: enc('Second brief.') }
			],
			{ by: 'lead' }
		);
		expect(first).toMatchObject({ imported: 3, errors: [] });
		const headers = await ids();
		expect(headers.slice(0, 2)).toEqual(['Conseil-municipal', 'brief']);
		expect(headers[2]).toMatch(/^d[0-9a-f]{16}$/); // the second "brief" of the import: its name is taken
		const { getDocument } = await import('../store');
		expect((await getDocument('news', 'Conseil-municipal')).meta).toEqual({ filename: 'Conseil municipal.txt' });
		// a later file of the same name with another text keeps its text-derived id instead of failing
		const later = await importFiles('news', [{ name: 'brief.txt', data: enc('Troisième brief.') }], { by: 'lead' });
		expect(later).toMatchObject({ imported: 1, errors: [] });
		expect((await ids())[3]).toMatch(/^d[0-9a-f]{16}$/);
	});

	it('imports nothing when one line is bad, and names it', async () => {
		await importFiles('news', [{ name: 'first.jsonl', data: jsonl({ id: 'keep', text: 'Already here.' }) }], { by: 'lead' });
		const data = enc('{"id":"x1","text":"One."}\n{"id":"x2","text":"Two."\n{"id":"x3","text":"Three."}\n');
		const summary = await importFiles('news', [{ name: 'bad.jsonl', data }], { by: 'lead' });
		expect(summary.imported).toBe(0);
		expect(summary.errors).toEqual([{ file: 'bad.jsonl', line: 2, message: expect.stringMatching(/^invalid JSON/) }]);
		expect(await ids()).toEqual(['keep']);
		expect(leftovers()).toEqual([]);
	});

	it('skips and counts texts already in the dataset; refuses an id taken by another text', async () => {
		const data = jsonl({ id: 'a', text: 'Alpha.' }, { id: 'b', text: 'Beta.' });
		expect(await importFiles('news', [{ name: 'x.jsonl', data }], { by: 'lead' })).toMatchObject({ imported: 2, duplicates: 0 });
		const again = jsonl({ id: 'other-id', text: 'Alpha.' }, { text: 'Gamma.' });
		expect(await importFiles('news', [{ name: 'y.jsonl', data: again }], { by: 'lead' })).toMatchObject({
			imported: 1,
			duplicates: 1,
			errors: []
		});
		const clash = jsonl({ id: 'a', text: 'Not alpha.' }, { text: 'Delta.' });
		const summary = await importFiles('news', [{ name: 'z.jsonl', data: clash }], { by: 'lead' });
		expect(summary).toMatchObject({ imported: 0, duplicates: 0 });
		expect(summary.errors).toEqual([
			{ file: 'z.jsonl', line: 1, message: 'id "a" is already used by another document of this dataset (with a different text)' }
		]);
		expect(await ids()).toHaveLength(3);
	});

	it('refuses unknown labels, then maps or adds them', async () => {
		const data = jsonl(
			{ id: 'p1', text: 'Marie Curie à Paris.', label: [[0, 11, 'PER'], [14, 19, 'LOC']] },
			{ id: 'p2', text: 'Pierre parle.', label: [[0, 6, 'PER']] }
		);
		const refused = await importFiles('news', [{ name: 'doccano.jsonl', data }], { by: 'lead' });
		expect(refused.imported).toBe(0);
		expect(refused.unknownLabels).toEqual([
			{ label: 'LOC', count: 1 },
			{ label: 'PER', count: 2 }
		]);
		expect(refused.errors).toEqual([
			{ file: 'doccano.jsonl', line: 1, message: expect.stringMatching(/^unknown label "LOC" \(1 span\): not in this dataset/), kind: 'unknown-label', label: 'LOC', count: 1 },
			{ file: 'doccano.jsonl', line: 1, message: expect.stringMatching(/^unknown label "PER" \(2 spans\): not in this dataset/), kind: 'unknown-label', label: 'PER', count: 2 }
		]);
		expect(await ids()).toEqual([]);

		const half = await importFiles('news', [{ name: 'doccano.jsonl', data }], { by: 'lead', labelMap: 'PER:attribution' });
		expect(half.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^unknown label "LOC"/)]);

		const mapped = await importFiles('news', [{ name: 'doccano.jsonl', data }], {
			by: 'lead',
			labelMap: 'PER:attribution',
			addLabels: true
		});
		expect(mapped).toMatchObject({ imported: 2, errors: [], labelsAdded: ['LOC'] });
		expect((await getDataset('news')).labels.map((l) => l.name)).toEqual(['claim', 'attribution', 'framing', 'date', 'LOC']);
		const set = await loadSet('news', 'p1', 'import~doccano.jsonl');
		expect(set.spans.map((s) => [s.label, s.text])).toEqual([
			['attribution', 'Marie Curie'],
			['LOC', 'Paris']
		]);
	});

	it('stops at the size limit and says so', async () => {
		const data = jsonl(...Array.from({ length: 50 }, (_, i) => ({ text: `Document ${i}.` })));
		const summary = await importFiles('news', [{ name: 'big.jsonl', data }], { by: 'lead', maxBytes: 200 });
		expect(summary.tooLarge).toBe(true);
		expect(summary.imported).toBe(0);
		expect(summary.errors).toEqual([
			{ file: 'big.jsonl', message: 'the import is larger than the size limit of 200 bytes; nothing was imported' }
		]);
		expect(await ids()).toEqual([]);
		expect(leftovers()).toEqual([]);
	});

	it('removes the staging file when the input stream fails', async () => {
		async function* failing() {
			yield enc('{"text":"ok"}\n');
			throw new Error('connection reset');
		}
		await expect(importFiles('news', [{ name: 'a.jsonl', stream: failing() }], { by: 'lead' })).rejects.toThrow('connection reset');
		expect(await ids()).toEqual([]);
		expect(leftovers()).toEqual([]);
	});

	it('404s for a missing dataset', async () => {
		await expect(importFiles('nope', [], { by: 'lead' })).rejects.toMatchObject({ status: 404 });
	});
});
