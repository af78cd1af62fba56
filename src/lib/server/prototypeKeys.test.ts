/**
 * Issue #14 item 1: names that are also Object.prototype members, through the
 * store and the use cases that once looked them up on plain objects.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDocuments, createDataset, getDataset, resetDatasetCache, updateDataset, loadSet, resetAnnotationCache } from './store';
import { saveSet } from './annotate/saveSet';
import { labelUsage, removeMember, updateDatasetAs } from './datasets/datasets';
import { requireDataset, roleIn } from './auth/access';
import { applyAssignment, assignmentView } from './assignments/assignments';
import { datasetProgress } from './progress/progress';
import { isDomainError } from './http/errors';
import { autoAssign, loadsOf } from '../assignments/assignment';
import { assignedTo } from '../progress/progress';
import { DEFAULT_LABELS, type Label } from '../model/types';
import { detectFormat, unsupportedReason } from './import/detect';
import { listZip, unzipEntries } from './import/zip';
import { zipSync } from 'fflate';
import { messages, runImport } from './import/test-helpers';
import { freshDataFolder, removeDataFolder } from './testing/dataFolder';

const text = 'Le maire a annoncé mardi une hausse.';
const label = (name: string, key = ''): Label => ({ name, key, color: '#123456', description: '' });
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-proto-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
});

afterEach(() => {
	removeDataFolder(root);
	expect(({} as Record<string, unknown>).spans, 'Object.prototype polluted').toBeUndefined();
});

const leadAccess = async () => ({ user: { username: 'lead', role: 'lead' as const }, dataset: await getDataset('unit'), role: 'lead' as const });
const status = async (p: Promise<unknown>) => p.then(() => 200, (e) => (isDomainError(e) ? e.status : Promise.reject(e)));

describe('label names', () => {
	it('labelUsage counts a set whose spans are labelled __proto__ (old data) as its own entry, polluting nothing', async () => {
		await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'a' }]);
		await saveSet('unit', { id: 'doc-1', text }, 'ann1', 'ann1', ['__proto__'], {
			baseRevision: 0,
			spans: [{ start: 3, end: 8, label: '__proto__' }, { start: 19, end: 24, label: '__proto__' }]
		});
		const usage = await labelUsage('unit');
		expect(Object.keys(usage)).toEqual(['__proto__']);
		expect(usage['__proto__']).toEqual({ spans: 2, sets: 1 });
		expect(Object.getPrototypeOf(usage)).toBeNull();
	});

	it('labels named constructor and toString report their real usage, so removing them asks for force', async () => {
		const labels = [label('claim', '1'), label('constructor', '2'), label('toString', '3')];
		await updateDataset('unit', (d) => {
			d.labels = labels;
		});
		await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'a' }]);
		await saveSet('unit', { id: 'doc-1', text }, 'ann1', 'ann1', labels.map((l) => l.name), {
			baseRevision: 0,
			spans: [
				{ start: 3, end: 8, label: 'constructor' },
				{ start: 19, end: 24, label: 'constructor' },
				{ start: 29, end: 35, label: 'toString' }
			]
		});
		const usage = await labelUsage('unit');
		expect(usage.constructor).toEqual({ spans: 2, sets: 1 });
		expect(usage.toString).toEqual({ spans: 1, sets: 1 });
		expect(usage.valueOf).toBeUndefined();

		const removal = updateDatasetAs(await leadAccess(), { labels: [label('claim', '1')] });
		await expect(removal).rejects.toMatchObject({
			status: 409,
			details: { inUse: { constructor: 2, toString: 1 } }
		});
		expect((await loadSet('unit', 'doc-1', 'ann1')).spans).toHaveLength(3);

		const forced = await updateDatasetAs(await leadAccess(), { labels: [label('claim', '1')], force: true });
		expect(forced.rewritten).toEqual({ sets: 1, renamed: 0, removed: 3 });
		expect((await loadSet('unit', 'doc-1', 'ann1')).spans).toEqual([]);
	});

	it('a rename of a label named valueOf rewrites its spans', async () => {
		const labels = [label('valueOf', '1'), label('date', '2')];
		await updateDataset('unit', (d) => {
			d.labels = labels;
		});
		await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'a' }]);
		await saveSet('unit', { id: 'doc-1', text }, 'ann1', 'ann1', ['valueOf', 'date'], { baseRevision: 0, spans: [{ start: 3, end: 8, label: 'valueOf' }] });
		const result = await updateDatasetAs(await leadAccess(), { labels: [label('value', '1'), label('date', '2')], renames: { valueOf: 'value' } });
		expect(result.rewritten).toEqual({ sets: 1, renamed: 1, removed: 0 });
		expect((await loadSet('unit', 'doc-1', 'ann1')).spans.map((s) => s.label)).toEqual(['value']);
	});
});

describe('usernames', () => {
	it('a user named constructor (or prototype, toString…) is a member of nothing', async () => {
		const dataset = await getDataset('unit');
		for (const username of ['constructor', 'prototype', 'tostring', 'hasOwnProperty', '__proto__']) {
			expect(roleIn({ username, role: 'annotator' }, dataset), username).toBeNull();
		}
		for (const username of ['constructor', 'prototype']) {
			expect(await status(requireDataset({ username, role: 'annotator' }, 'unit')), username).toBe(403);
		}
	});

	it('a member named constructor is one member like any other: found, removed, and then gone', async () => {
		await updateDataset('unit', (d) => {
			d.members = { constructor: 'annotator' as const };
		});
		expect((await requireDataset({ username: 'constructor', role: 'annotator' }, 'unit')).role).toBe('annotator');
		expect(await status(requireDataset({ username: 'ann1', role: 'annotator' }, 'unit'))).toBe(403);
		await removeMember(await leadAccess(), 'constructor');
		expect(await status(requireDataset({ username: 'constructor', role: 'annotator' }, 'unit'))).toBe(403);
		expect(await status(removeMember(await leadAccess(), 'toString'))).toBe(404);
	});
});

describe('document ids', () => {
	const ids = ['toString', 'valueOf', 'constructor', 'hasOwnProperty'];

	beforeEach(async () => {
		await addDocuments('unit', ids.map((id, i) => ({ id, title: id, text: `${text} ${i}`, meta: {}, sha256: `sha-${i}` })));
		await updateDataset('unit', (d) => {
			d.members = { ann1: 'annotator', ann2: 'annotator' };
		});
	});

	it('assignments, progress and auto-assign work with them, before and after an assignment', async () => {
		let view = await assignmentView(await leadAccess());
		expect(view.documents.map((d) => [d.id, d.annotators])).toEqual(ids.map((id) => [id, ['ann1', 'ann2']]));
		await saveSet('unit', { id: 'valueOf', text: `${text} 1` }, 'ann2', 'ann2', DEFAULT_LABELS.map((l) => l.name), {
			baseRevision: 0,
			spans: [{ start: 3, end: 8, label: 'claim' }],
			status: 'done'
		});
		view = await applyAssignment(await leadAccess(), { mode: 'auto', annotatorsPerDocument: 1 });
		// ann2 keeps valueOf (started work); every document has exactly one annotator
		expect(view.documents.find((d) => d.id === 'valueOf')!.annotators).toEqual(['ann2']);
		expect(view.documents.every((d) => d.annotators.length === 1)).toBe(true);
		expect(view.annotators).toEqual([{ username: 'ann1', documents: 2 }, { username: 'ann2', documents: 2 }]);
		// and again (the "500 for good" of the issue)
		view = await applyAssignment(await leadAccess(), { mode: 'auto', annotatorsPerDocument: 2 });
		expect(view.documents.every((d) => d.annotators.length === 2)).toBe(true);

		view = await applyAssignment(await leadAccess(), { mode: 'manual', documentId: 'toString', annotators: ['ann1'] });
		expect(view.documents.find((d) => d.id === 'toString')!.annotators).toEqual(['ann1']);

		const progress = await datasetProgress(await leadAccess());
		expect(progress.perDocument.map((d) => d.id).sort()).toEqual([...ids].sort());
		expect(progress.annotators.find((a) => a.annotator === 'ann2')).toMatchObject({ done: 1, assigned: 3 });
		expect(progress.annotators.find((a) => a.annotator === 'ann1')).toMatchObject({ assigned: 4 });
	});

	it('the pure helpers read assignments only through own keys', () => {
		expect(assignedTo({ members: {}, assignments: {} }, 'toString')).toEqual([]);
		expect(assignedTo({ members: JSON.parse('{"constructor":"annotator"}'), assignments: null }, 'x')).toEqual(['constructor']);
		const keep = JSON.parse('{"valueOf":["b"]}') as Record<string, string[]>;
		expect(autoAssign({ documents: ['toString', 'valueOf'], annotators: ['a', 'b'], annotatorsPerDocument: 1, keep })).toEqual({
			toString: ['a'],
			valueOf: ['b']
		});
		expect(loadsOf(JSON.parse('{"x":["constructor","toString"]}'), ['constructor', 'valueOf'])).toEqual({ constructor: 1, toString: 1, valueOf: 0 });
	});
});

describe('import file and entry names', () => {
	it('an extension named like an Object.prototype member is no format', () => {
		for (const name of ['a.constructor', 'a.__proto__', 'a.hasOwnProperty', 'a.toString']) {
			expect(detectFormat(name, new TextEncoder().encode('hello')), name).toBeNull();
			expect(unsupportedReason(name, new TextEncoder().encode('hello')), name).toMatch(/^unsupported file type "\./);
		}
	});

	it('a zip entry named __proto__ is refused by name; entries named constructor or toString are read', () => {
		const text = (s: string) => new TextEncoder().encode(s);
		// fflate cannot write an entry named __proto__ either: write "PROTO____" and rename it in the headers (same length, CRCs cover data only)
		const archive = zipSync({ PROTO____: text('one'), constructor: text('two'), toString: text('three') });
		const placeholder = text('PROTO____');
		for (let i = 0; i + placeholder.length <= archive.length; i++) {
			if (placeholder.every((b, j) => archive[i + j] === b)) archive.set(text('__proto__'), i);
		}
		const listing = listZip(archive);
		expect(listing.rejected).toEqual([{ name: '__proto__', message: expect.stringMatching(/^entry name "__proto__" is reserved/) }]);
		const entries = unzipEntries(archive, listing.entries);
		expect(entries.map((e) => [e.entry.raw, 'data' in e ? new TextDecoder().decode(e.data) : e.error])).toEqual([['constructor', 'two'], ['toString', 'three']]);
	});
});

describe('meta keys', () => {
	it('a meta key __proto__ at any depth refuses the record, naming the line and the path; constructor and toString are kept', async () => {
		const lines = [
			'{"id":"a","text":"One.","meta":{"constructor":"x","toString":{"valueOf":[1]}}}',
			'{"id":"b","text":"Two.","meta":{"source":{"__proto__":{"polluted":true}}}}',
			'{"id":"c","text":"Three.","meta":{"__proto__":1}}'
		];
		const { docs, report } = await runImport([{ name: 'm.jsonl', data: new TextEncoder().encode(lines.join('\n') + '\n') }]);
		expect(docs.map((d) => [d.id, Object.keys(d.meta)])).toEqual([['a', ['constructor', 'toString']]]);
		expect(messages(report)).toEqual([
			expect.stringMatching(/^line 2: "meta\.source\.__proto__": "__proto__" is reserved/),
			expect.stringMatching(/^line 3: "meta\.__proto__": "__proto__" is reserved/)
		]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
