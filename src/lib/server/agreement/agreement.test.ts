import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, resetDatasetCache, updateDataset, resetAnnotationCache } from '../store';
import { saveSet } from '../annotate/saveSet';
import { agreementPairsCsv, agreementReadiness, buildAgreementInput, datasetAgreement } from './agreement';
import type { SpanInput, Status } from '../../model/types';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const labels = ['claim', 'attribution', 'framing', 'date'];
// "Le"0-2 "maire"3-8 "a"9-10 "dit"11-14 "mardi"15-20 "."20-21
const text = 'Le maire a dit mardi.';
const ids = ['doc-a', 'doc-b', 'doc-c', 'doc-d'];
let root: string;

const maire = { start: 3, end: 8, label: 'claim' };
const mardi = { start: 15, end: 20, label: 'date' };

async function save(doc: string, annotator: string, spans: SpanInput[], status: Status) {
	await saveSet('unit', { id: doc, text }, annotator, annotator === 'gold' ? 'lead' : annotator, labels, {
		baseRevision: 0,
		spans,
		status
	});
}

beforeEach(async () => {
	root = freshDataFolder('spanlab-agreement-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments(
		'unit',
		ids.map((id, i) => ({ id, title: `Title ${id}`, text: text + ' '.repeat(i), meta: {}, sha256: id }))
	);
	// doc-a: two done annotators, a third still working, gold done
	await save('doc-a', 'ann1', [maire, mardi], 'done');
	await save('doc-a', 'ann2', [maire], 'done');
	await save('doc-a', 'ann3', [mardi], 'in_progress');
	await save('doc-a', 'gold', [maire], 'done');
	// doc-b: only one annotator finished
	await save('doc-b', 'ann1', [maire], 'done');
	await save('doc-b', 'ann2', [maire], 'in_progress');
	// doc-c: two done annotators, gold not finished yet
	await save('doc-c', 'ann1', [mardi], 'done');
	await save('doc-c', 'ann3', [{ start: 15, end: 21, label: 'date' }], 'done');
	await save('doc-c', 'gold', [mardi], 'in_progress');
	// doc-d: nobody started
});

afterEach(() => {
	removeDataFolder(root);
});

const plain = (spans: SpanInput[]) => spans.map(({ start, end, label }) => ({ start, end, label }));

describe('buildAgreementInput', () => {
	it('keeps documents done by at least two annotators, their done sets only, and done gold separately', async () => {
		const input = await buildAgreementInput('unit', labels);
		expect(input.labels).toEqual(labels);
		expect(
			input.documents.map((d) => ({
				doc_id: d.doc_id,
				text: d.text,
				annotations: d.annotations.map((a) => ({ annotator: a.annotator, spans: plain(a.spans) }))
			}))
		).toEqual([
			{
				doc_id: 'doc-a',
				text,
				annotations: [
					{ annotator: 'ann1', spans: [maire, mardi] },
					{ annotator: 'ann2', spans: [maire] }
				]
			},
			{
				doc_id: 'doc-c',
				text: text + '  ',
				annotations: [
					{ annotator: 'ann1', spans: [mardi] },
					{ annotator: 'ann3', spans: [{ start: 15, end: 21, label: 'date' }] }
				]
			}
		]);
		expect(input.gold?.map((g) => ({ doc_id: g.doc_id, spans: plain(g.spans) }))).toEqual([{ doc_id: 'doc-a', spans: [maire] }]);
	});

	it('feeds the report: documents and annotators used, gold compared where it is done', async () => {
		const report = await datasetAgreement('unit');
		expect(report.documents).toBe(2);
		expect(report.annotators).toEqual(['ann1', 'ann2', 'ann3']);
		expect(report.per_document.map((d) => d.doc_id).sort()).toEqual(['doc-a', 'doc-c']);
		expect(report.overall.pairs.map((p) => [p.a, p.b, p.documents])).toEqual([
			['ann1', 'ann2', 1],
			['ann1', 'ann3', 1]
		]);
		expect(report.gold.map((g) => [g.annotator, g.documents])).toEqual([
			['ann1', 1],
			['ann2', 1]
		]);
		// doc-a, claim: both have "maire" -> exact F1 1; date: ann1 only -> exact F1 0
		const claim = report.labels.claim.pairs.find((p) => p.b === 'ann2')!;
		expect(claim.f1_exact).toBe(1);
		expect(report.labels.date.pairs.find((p) => p.b === 'ann2')!.f1_exact).toBe(0);
	});

	it('reads only the documents two annotators finished (decided on the summaries)', async () => {
		// doc-b (one done annotator) and doc-d (no work) are never opened: garbage there goes unnoticed
		for (const id of ['doc-b', 'doc-d']) fs.writeFileSync(path.join(root, 'unit', 'documents', `${id}.json`), 'not json');
		const report = await datasetAgreement('unit');
		expect(report.per_document.map((d) => d.doc_id).sort()).toEqual(['doc-a', 'doc-c']);
	});

	it('looks at the status of the set it read, not only at the summary', async () => {
		// as if ann2 had reopened doc-a and the summary were not updated yet: the state file is newer than the summary
		const file = path.join(root, 'unit', 'annotations', 'doc-a', 'ann2.json');
		const state = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.writeFileSync(file, JSON.stringify({ ...state, revision: state.revision + 1, status: 'in_progress' }));
		const report = await datasetAgreement('unit');
		expect(report.per_document.map((d) => d.doc_id)).toEqual(['doc-c']);
		expect(report.gold).toEqual([]);
	});

	it('says how far the dataset is from agreement figures', async () => {
		expect(await agreementReadiness('unit')).toEqual({ documents: 4, doneByOne: 1, doneByTwoOrMore: 2, annotatorsWithDone: 3 });
	});
});

describe('datasetAgreement: computed once per state of the dataset', () => {
	const docFile = (id: string) => path.join(root, 'unit', 'documents', `${id}.json`);
	const dateF1 = (r: Awaited<ReturnType<typeof datasetAgreement>>) => r.labels.date.pairs.find((p) => p.b === 'ann2')!.f1_exact;

	it('answers from memory while nothing changed, one shared and frozen report', async () => {
		const [first, same] = await Promise.all([datasetAgreement('unit'), datasetAgreement('unit')]);
		expect(same).toBe(first);
		// not read again: a document made unreadable in place (the folder is unchanged) goes unnoticed
		fs.writeFileSync(docFile('doc-a'), 'not json');
		expect(await datasetAgreement('unit')).toBe(first);
		expect(() => (first.per_document as unknown[]).push(null)).toThrow(TypeError);
		expect(() => (first.overall.pairs[0].cohen_kappa = 0)).toThrow(TypeError);
	});

	it('computes again after a save, a status change, a label change or a document leaving the folder', async () => {
		const first = await datasetAgreement('unit');
		expect(dateF1(first)).toBe(0);
		// ann2 adds "mardi" on doc-a: the date label now agrees
		await saveSet('unit', { id: 'doc-a', text }, 'ann2', 'ann2', labels, { baseRevision: 1, spans: [maire, mardi], status: 'done' });
		const saved = await datasetAgreement('unit');
		expect(dateF1(saved)).toBe(1);
		// ann2 reopens doc-a: it no longer counts
		await saveSet('unit', { id: 'doc-a', text }, 'ann2', 'ann2', labels, { baseRevision: 2, spans: [maire, mardi], status: 'in_progress' });
		const reopened = await datasetAgreement('unit');
		expect(reopened.per_document.map((d) => d.doc_id)).toEqual(['doc-c']);
		await updateDataset('unit', (d) => {
			d.labels = d.labels.filter((l) => l.name !== 'claim');
		});
		const relabelled = await datasetAgreement('unit');
		expect(Object.keys(relabelled.labels)).toEqual(['attribution', 'framing', 'date']);
		// another process removes doc-c (the index notices the folder changed)
		fs.rmSync(docFile('doc-c'));
		const removed = await datasetAgreement('unit');
		expect(removed.documents).toBe(0);
		expect(new Set([first, saved, reopened, relabelled, removed]).size).toBe(5);
	});
});

describe('agreementPairsCsv', () => {
	it('writes one row per label and pair, then the overall pairs; nulls are empty', async () => {
		const csv = agreementPairsCsv(await datasetAgreement('unit'));
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe('label,a,b,documents,cohen_kappa,f1_exact,f1_overlap');
		expect(lines.filter((l) => l.startsWith('claim,'))).toHaveLength(2);
		// nobody used "framing": no spans on either side, so F1 is undefined (null -> empty)
		expect(lines.find((l) => l.startsWith('framing,ann1,ann2,'))).toBe('framing,ann1,ann2,1,,,');
		expect(lines.filter((l) => l.startsWith('(overall),'))).toHaveLength(2);
		expect(lines.at(-1)).toBe('');
		expect(lines).toHaveLength(1 + 2 * 5 + 1);
	});
});
