/**
 * An import interrupted after its commit point is finished at the next start:
 * the states a kill -9 can leave (every document and some pre-annotation sets;
 * some documents and no sets; nothing yet) all end with every document and
 * every set, each set at revision 1, no document twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFiles } from './importer';
import { applyImportCommit as applyPending, resumeImportCommits, type StagedDocument } from './importCommit';
import { createDataset, getDataset, listDocumentHeaders, resetDatasetCache, loadSet, resetAnnotationCache, store } from '../store';
import { COMMIT_FILE, commitFileOf } from '../store/file/importJournal';
import { sha256Hex } from './util';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const DOCS = 30;
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-commit-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A restart: nothing the process cached survives. */
function restart(): void {
	resetDatasetCache();
	resetAnnotationCache();
}

function stagedDocs(): StagedDocument[] {
	return Array.from({ length: DOCS }, (_, i) => {
		const text = `Le maire n°${String(i).padStart(2, '0')} a déclaré 😀 que la hausse était inévitable.`;
		// even documents carry two spans ("maire" and, mapped from PER, "hausse"), odd ones none
		const spans = i % 2 === 0 ? [{ start: 3, end: 8, label: 'attribution' }, { start: 33, end: 39, label: 'PER' }] : [];
		return { id: `d${String(i).padStart(2, '0')}`, title: `Doc ${i}`, text, meta: { n: i }, sha256: sha256Hex(text), spans, source: 'batch.jsonl' };
	});
}

/** Applies the dataset's pending commit (the file store's journal `file`). */
async function applyImportCommit(slug: string, file: string) {
	expect(file).toBe(commitFileOf(slug));
	const pending = await store.imports.pending(slug);
	expect(pending).not.toBeNull();
	return applyPending(slug, pending!);
}

/** What pass 1 leaves at the commit point: the commit file, nothing written yet. */
async function commitFile(): Promise<string> {
	const staging = await store.staging.create('news');
	const docs = stagedDocs();
	for (const d of docs) await staging.append(JSON.stringify(d));
	await store.imports.commit('news', staging, {
		by: 'lead',
		labelMap: [['attribution', 'attribution'], ['PER', 'person']],
		addLabels: [{ name: 'person', key: 'p', color: '#123456', description: '' }],
		documents: docs.length,
		withSpans: docs.filter((d) => d.spans.length > 0).length,
		at: '2026-01-01T00:00:00.000Z'
	});
	return commitFileOf('news');
}

async function expectComplete(): Promise<void> {
	const headers = await listDocumentHeaders('news');
	expect(headers.map((h) => h.id)).toEqual(stagedDocs().map((d) => d.id));
	expect(new Set(headers.map((h) => h.position)).size).toBe(DOCS);
	expect((await getDataset('news')).labels.filter((l) => l.name === 'person')).toHaveLength(1);
	for (const doc of stagedDocs()) {
		const set = await loadSet('news', doc.id, 'import~batch.jsonl');
		if (doc.spans.length === 0) {
			expect(set.revision, doc.id).toBe(0);
			continue;
		}
		expect(set.revision, doc.id).toBe(1);
		expect(set.status).toBe('done');
		expect(set.spans.map((s) => [s.label, s.text])).toEqual([
			['attribution', 'maire'],
			['person', 'hausse']
		]);
	}
	expect(fs.existsSync(path.join(root, 'news', COMMIT_FILE))).toBe(false);
}

/** Takes a set out again: the state of a save that had not happened yet when the process died. */
function unsave(docId: string): void {
	for (const file of ['import~batch.jsonl.json', 'import~batch.jsonl.revisions.jsonl']) {
		fs.rmSync(path.join(root, 'news', 'annotations', docId, file), { force: true });
	}
}

describe('import commit', () => {
	it('a commit file left at the commit point is applied at the next start, with documents, labels and every set', async () => {
		await commitFile();
		restart();
		expect(await resumeImportCommits()).toEqual(['news']);
		await expectComplete();
		expect(await resumeImportCommits()).toEqual([]);
	});

	it('every document and 4 of 15 sets (killed among the pre-annotations): the other 11 sets are saved, none twice', async () => {
		const file = await commitFile();
		const copy = fs.readFileSync(file);
		await applyImportCommit('news', file);
		fs.writeFileSync(file, copy); // back to before the apply finished: the file was still there
		const even = stagedDocs().filter((d) => d.spans.length > 0);
		for (const doc of even.slice(4)) unsave(doc.id);
		restart();
		expect(await resumeImportCommits()).toEqual(['news']);
		await expectComplete();
	});

	it('a prefix of the documents and no sets (killed while adding documents): the rest are added once', async () => {
		const file = await commitFile();
		const copy = fs.readFileSync(file);
		await applyImportCommit('news', file);
		fs.writeFileSync(file, copy);
		for (const doc of stagedDocs()) unsave(doc.id);
		for (const doc of stagedDocs().slice(12)) fs.rmSync(path.join(root, 'news', 'documents', `${doc.id}.json`));
		const dataset = await getDataset('news');
		fs.writeFileSync(path.join(root, 'news', 'dataset.json'), JSON.stringify({ ...dataset, labels: dataset.labels.filter((l) => l.name !== 'person') }));
		restart();
		expect(await resumeImportCommits()).toEqual(['news']);
		await expectComplete();
	});

	it('the next import into the dataset finishes an interrupted one first, then runs', async () => {
		await commitFile();
		restart();
		const enc = new TextEncoder();
		const summary = await importFiles('news', [{ name: 'more.jsonl', data: enc.encode('{"id":"m1","text":"Autre chose."}\n') }], { by: 'lead' });
		expect(summary).toMatchObject({ imported: 1, duplicates: 0, errors: [] });
		const ids = (await listDocumentHeaders('news')).map((h) => h.id);
		expect(ids).toEqual([...stagedDocs().map((d) => d.id), 'm1']);
		// and re-importing the interrupted file's texts finds them all there
		const again = stagedDocs()
			.map((d) => JSON.stringify({ id: d.id, text: d.text }))
			.join('\n');
		expect(await importFiles('news', [{ name: 'batch.jsonl', data: enc.encode(again) }], { by: 'lead' })).toMatchObject({ imported: 0, duplicates: DOCS });
	});

	it('a file without a commit record is not applied (it was never committed)', async () => {
		const file = await commitFile();
		const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
		fs.writeFileSync(file, lines.slice(0, -1).join('\n') + '\n');
		await expect(applyImportCommit('news', file)).rejects.toThrow(/has no commit record/);
		expect(await listDocumentHeaders('news')).toEqual([]);
	});
});
