/**
 * The dataset index (datasetIndex.ts) on real files in a temp folder: a restart
 * reads the index and not the documents and sets, each crash point leaves an
 * index that says what the files say, and a rebuild equals the index kept change
 * by change. A "restart" is resetAnnotationCache (every cache and open log
 * dropped, as a new process has none); a crash is the files a crash leaves, made
 * through the index's own API at the point where the process would have died.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { addDocuments, createDataset, listDocumentHeaders, listDocumentMetas } from './datasets';
import { datasetSummaries, loadSet, resetAnnotationCache } from './annotations';
import { indexDir, logFile, openIndex, snapshotFile, type DatasetIndex } from './datasetIndex';
import { readSnapshotLine, SNAPSHOT_LAYOUT } from './snapshotRows';
import { appendLineDurable, stableJson } from './durable';
import { annotationFile, documentFile, documentsDir, revisionLogFile } from './paths';
import { saveSet } from '../../annotate/saveSet';
import { freshDataFolder, removeDataFolder } from '../../testing/dataFolder';
import type { SetSummary } from '../../../model/work';

const labels = ['claim', 'date'];
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-index-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
});
afterEach(() => {
	vi.restoreAllMocks();
	removeDataFolder(root);
});

const text = (i: number) => `Le maire numéro ${i} a parlé mardi.`;
const newDoc = (i: number) => ({ id: `d${i}`, title: `Title ${i}`, text: text(i), meta: { n: i, lang: i % 2 ? 'en' : 'fr' }, sha256: `sha-${i}` });
const save = (i: number, annotator: string, base: number, extra: Record<string, unknown> = {}) =>
	saveSet('news', { id: `d${i}`, text: text(i) }, annotator, annotator, labels, { baseRevision: base, spans: [{ start: 0, end: 2, label: 'claim' }], ...extra });

/** What the index says, in plain values (for comparing two indexes). */
async function contents() {
	const sets = [...(await datasetSummaries('news'))].map(([doc, perDoc]) => [doc, [...perDoc.values()].sort((a, b) => (a.annotator < b.annotator ? -1 : 1))] as const);
	return {
		headers: structuredClone(await listDocumentHeaders('news')),
		metas: [...(await listDocumentMetas('news'))].sort(),
		sets: sets.sort((a, b) => (a[0] < b[0] ? -1 : 1))
	};
}

/** Counts the opens of files under documents/ and annotations/ while `fn` runs. */
async function filesOpened(fn: () => Promise<unknown>): Promise<number> {
	let opened = 0;
	const count = (file: unknown) => {
		if (/[/\\](documents|annotations)[/\\]/.test(String(file))) opened++;
	};
	const openSync = fs.openSync;
	const readFileSync = fs.readFileSync;
	const promisesOpen = fs.promises.open;
	vi.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => (count(file), (openSync as (...a: unknown[]) => number)(file, ...rest))) as typeof fs.openSync);
	vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => (count(file), (readFileSync as (...a: unknown[]) => unknown)(file, ...rest))) as typeof fs.readFileSync);
	vi.spyOn(fs.promises, 'open').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => (count(file), (promisesOpen as (...a: unknown[]) => unknown)(file, ...rest))) as typeof fs.promises.open);
	try {
		await fn();
	} finally {
		vi.restoreAllMocks();
	}
	return opened;
}

const restart = () => resetAnnotationCache();
const opened = async (): Promise<DatasetIndex> => openIndex('news');

describe('after a restart', () => {
	it('a dataset of 5,000 documents opens from its index: no document or set file is read', async () => {
		// the documents written plainly, as the bench's generator does (5,000 fsyncs would take long), then indexed once
		fs.mkdirSync(documentsDir('news'), { recursive: true });
		for (let i = 0; i < 5000; i++) {
			const d = newDoc(i);
			fs.writeFileSync(documentFile('news', d.id), stableJson({ ...d, created_at: '2026-01-01T00:00:00.000Z', position: i }));
		}
		for (let i = 0; i < 40; i++) await save(i, 'ann1', 0);
		await save(3, 'ann2', 0, { status: 'done' });
		expect((await opened()).opened).toBe('rebuilt');
		const before = await contents();
		restart();

		const t0 = performance.now();
		const reads = await filesOpened(async () => {
			expect((await opened()).opened).toBe('snapshot');
			expect(await contents()).toEqual(before);
		});
		const ms = performance.now() - t0;
		expect(reads).toBe(0);
		expect(before.headers).toHaveLength(5000);
		expect(before.sets).toHaveLength(40);
		expect(ms).toBeLessThan(2000); // reading 5,000 document files and 41 sets took longer than this on a loaded machine
	}, 60_000);

	it('the saves and imports since the last snapshot are in the log and read back', async () => {
		await addDocuments('news', [newDoc(1), newDoc(2)]);
		await save(1, 'ann1', 0);
		await save(1, 'ann1', 1, { status: 'done' });
		await save(2, 'gold', 0);
		await addDocuments('news', [newDoc(3)]);
		const before = await contents();
		restart();
		expect(await contents()).toEqual(before);
		expect((await opened()).opened).toBe('snapshot');
		expect(before.sets.find(([d]) => d === 'd1')?.[1][0]).toMatchObject({ annotator: 'ann1', revision: 2, status: 'done', spans: 1 });
		expect(before.headers.map((h) => h.id)).toEqual(['d1', 'd2', 'd3']);
		expect(before.metas).toContainEqual(['d3', { n: 3, lang: 'en' }]);
	});

	it('a rebuild from the files equals the index kept change by change (compacted or not)', async () => {
		await addDocuments('news', Array.from({ length: 30 }, (_, i) => newDoc(i)));
		for (let i = 0; i < 10; i++) await save(i, 'ann1', 0);
		for (let i = 0; i < 10; i += 2) await save(i, 'ann1', 1, { status: 'done' });
		await save(5, 'gold', 0);
		const incremental = await contents();
		await (await opened()).compact();
		restart();
		expect(await contents()).toEqual(incremental);
		restart();
		fs.rmSync(indexDir('news'), { recursive: true });
		expect((await opened()).opened).toBe('rebuilt');
		expect(await contents()).toEqual(incremental);
	});
});

describe('a crash', () => {
	beforeEach(async () => {
		await addDocuments('news', [newDoc(1), newDoc(2)]);
		await save(1, 'ann1', 0);
	});
	const summaryOf = async () => (await datasetSummaries('news')).get('d1')?.get('ann1');

	it('after the index line, before the set was written: the files win (the save was never acknowledged)', async () => {
		const index = await opened();
		const claimed: SetSummary = { ...(await summaryOf())!, revision: 2, status: 'done', spans: 7 };
		await (await index.intend([{ set: ['d1', claimed] }])).durable; // the process dies here
		restart();
		expect(await summaryOf()).toMatchObject({ revision: 1, status: 'in_progress', spans: 1 });
		expect((await loadSet('news', 'd1', 'ann1')).revision).toBe(1);
		// and the next save goes on from revision 1
		expect((await save(1, 'ann1', 1, { status: 'done' })).revision).toBe(2);
		restart();
		expect(await summaryOf()).toMatchObject({ revision: 2, status: 'done' });
	});

	it('after the set\'s log, before its state file: the index shows the revision, and the state file is repaired', async () => {
		const index = await opened();
		const line = { revision: 2, at: '2026-01-02T00:00:00.000Z', by: 'ann1', status: 'done', spans: [], added: 0, removed: 1, relabelled: 0 };
		await (await index.intend([{ set: ['d1', { ...(await summaryOf())!, revision: 2, status: 'done', spans: 0, updated_at: line.at }] }])).durable;
		await appendLineDurable(revisionLogFile('news', 'd1', 'ann1'), JSON.stringify(line)); // dies here
		restart();
		expect(await summaryOf()).toMatchObject({ revision: 2, status: 'done', spans: 0 });
		expect(JSON.parse(fs.readFileSync(annotationFile('news', 'd1', 'ann1'), 'utf8'))).toMatchObject({ revision: 2, status: 'done' });
	});

	it('after an acknowledged save, before anything else was logged: it is in the index after the restart', async () => {
		await save(1, 'ann1', 1, { status: 'done' }); // acknowledged, then kill -9
		restart();
		expect(await summaryOf()).toMatchObject({ revision: 2, status: 'done' });
	});

	it('in the middle of an index line (a torn last line): the line is ignored and cut off, the next line reads', async () => {
		await (await opened()).compact();
		restart();
		fs.appendFileSync(logFile('news'), '{"q":99,"s":98,"c":[{"set":["d1",{"annotator":"ann1","rev');
		expect(await summaryOf()).toMatchObject({ revision: 1 });
		await save(1, 'ann1', 1, { status: 'done' });
		restart();
		expect(await summaryOf()).toMatchObject({ revision: 2, status: 'done' });
		expect(fs.readFileSync(logFile('news'), 'utf8')).not.toContain('"rev\n');
	});

	it('of an import after its headers were logged, before the files: the documents are not listed', async () => {
		const index = await opened();
		await (await index.intend([{ doc: [{ id: 'd9', title: 'ghost', sha256: 'sha-9', position: 2, length: 4 }, {}] }])).durable;
		restart();
		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(['d1', 'd2']);
		expect((await addDocuments('news', [newDoc(9)])).imported).toEqual(['d9']);
		expect((await listDocumentHeaders('news')).find((h) => h.id === 'd9')).toMatchObject({ position: 2, title: 'Title 9' });
	});
});

describe('a full disk', () => {
	it('refuses a save whose index line cannot be written, and changes nothing', async () => {
		await addDocuments('news', [newDoc(1)]);
		await save(1, 'ann1', 0);
		await opened();
		const writeSync = fs.writeSync;
		let refused = 0;
		vi.spyOn(fs, 'writeSync').mockImplementation(((...args: unknown[]) => {
			if (refused++ === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
			return (writeSync as (...a: unknown[]) => number)(...args);
		}) as typeof fs.writeSync);
		// a storage fault (the HTTP layer answers it 507, nothing was saved)
		await expect(save(1, 'ann1', 1, { status: 'done' })).rejects.toMatchObject({ code: 'ENOSPC' });
		vi.restoreAllMocks();
		expect((await loadSet('news', 'd1', 'ann1')).revision).toBe(1);
		expect((await datasetSummaries('news')).get('d1')?.get('ann1')).toMatchObject({ revision: 1 });
		expect((await save(1, 'ann1', 1, { status: 'done' })).revision).toBe(2);
		restart();
		expect((await datasetSummaries('news')).get('d1')?.get('ann1')).toMatchObject({ revision: 2, status: 'done' });
	});
});

describe('an index that cannot be trusted is rebuilt', () => {
	beforeEach(async () => {
		await addDocuments('news', [newDoc(1), newDoc(2)]);
		await save(1, 'ann1', 0);
		await save(2, 'ann2', 0, { status: 'done' });
	});

	for (const [what, spoil] of [
		['a deleted snapshot', () => fs.rmSync(snapshotFile('news'))],
		['a deleted log', () => fs.rmSync(logFile('news'))],
		['a snapshot cut short', () => fs.truncateSync(snapshotFile('news'), fs.statSync(snapshotFile('news')).size - 20)],
		['a snapshot of another format (a new summary field)', () => fs.writeFileSync(snapshotFile('news'), fs.readFileSync(snapshotFile('news'), 'utf8').replace(/"format":"[0-9a-f]+"/, '"format":"0000"'))],
		['a snapshot with a character outside ASCII (edited by hand)', () => fs.writeFileSync(snapshotFile('news'), fs.readFileSync(snapshotFile('news'), 'utf8').replace('{"end"', '{"note":"édité","end"'))],
		['a log of another format', () => fs.writeFileSync(logFile('news'), fs.readFileSync(logFile('news'), 'utf8').replace(/"format":"[0-9a-f]+"/, '"format":"0000"'))],
		['a log that starts after the snapshot (an older snapshot put back)', () => fs.writeFileSync(logFile('news'), fs.readFileSync(logFile('news'), 'utf8').replace(/"after":\d+/, '"after":1000'))]
	] as const) {
		it(what, async () => {
			const before = await contents();
			restart();
			spoil();
			expect((await opened()).opened).toBe('rebuilt');
			expect(await contents()).toEqual(before);
			restart();
			expect((await opened()).opened).toBe('snapshot'); // and written again
			expect(await contents()).toEqual(before);
		});
	}

	it('a document file put in the folder by hand is listed; one taken out is not', async () => {
		restart();
		fs.writeFileSync(documentFile('news', 'd7'), stableJson({ ...newDoc(7), created_at: '2026-01-01T00:00:00.000Z', position: 7 }));
		fs.rmSync(documentFile('news', 'd2'));
		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(['d1', 'd7']);
		restart();
		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(['d1', 'd7']);
	});

	it('a set file edited by hand is corrected in the index when the set is read, and stays corrected', async () => {
		const file = annotationFile('news', 'd2', 'ann2');
		const state = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.writeFileSync(file, stableJson({ ...state, status: 'in_progress', spans: [] }));
		restart();
		await opened();
		expect((await loadSet('news', 'd2', 'ann2')).status).toBe('in_progress');
		expect((await datasetSummaries('news')).get('d2')?.get('ann2')).toMatchObject({ status: 'in_progress', spans: 0 });
		await new Promise((resolve) => setTimeout(resolve, 50)); // the correction's line is written in the background
		restart();
		expect((await datasetSummaries('news')).get('d2')?.get('ann2')).toMatchObject({ status: 'in_progress', spans: 0 });
	});
});

describe('a snapshot written before the current layout', () => {
	/** The snapshot as layout 1 wrote it: a JSON object a document and line (sets of an unlisted document: `o`). */
	function writeLayoutOne(): void {
		const [head, ...lines] = fs.readFileSync(snapshotFile('news'), 'latin1').trimEnd().split('\n');
		const out = [JSON.stringify({ ...JSON.parse(head), snapshot: 1 })];
		for (const line of lines) {
			const row = JSON.parse(line);
			if ('end' in row) out.push(line);
			else readSnapshotLine(row, (docId, d, m, s) => out.push(JSON.stringify(d ? { d, m, s } : { o: docId, s })));
		}
		fs.writeFileSync(snapshotFile('news'), out.join('\n') + '\n');
	}

	/** The snapshot as layout 2 wrote it: a line of rows, an array a document and a set (snapshotRows.ts). */
	function writeLayoutTwo(): void {
		const [head, ...lines] = fs.readFileSync(snapshotFile('news'), 'latin1').trimEnd().split('\n');
		const out = [JSON.stringify({ ...JSON.parse(head), snapshot: 2 })];
		for (const line of lines) {
			const row = JSON.parse(line);
			if ('end' in row) {
				out.push(line);
				continue;
			}
			const labelSets: string[][] = [];
			const set = (x: SetSummary) => {
				let i = labelSets.findIndex((l) => JSON.stringify(l) === JSON.stringify(x.labels));
				if (i < 0) i = labelSets.push(x.labels) - 1;
				const r: unknown[] = [x.annotator, x.status, x.revision, x.spans, x.updated_at, x.active_seconds, i, x.keys];
				return x.flag === undefined ? r : [...r, x.flag];
			};
			const docs: unknown[] = [];
			readSnapshotLine(row, (docId, d, m, sets) => docs.push(d ? [d.id, d.title, d.sha256, d.position, d.length, m, sets.map(set)] : [docId, sets.map(set)]));
			// ASCII, as it was written (every other character escaped)
			out.push(JSON.stringify(row.orphans ? { labelSets, orphans: docs } : { labelSets, docs }).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
		}
		fs.writeFileSync(snapshotFile('news'), out.join('\n') + '\n');
	}

	it.each([
		['1 (an object a document)', writeLayoutOne, '"d":{"id":"d1","title":"Dépêche 😀"'],
		['2 (an array a document)', writeLayoutTwo, '"docs":[["d1","D\\u00e9p\\u00eache \\ud83d\\ude00"']
	])('of layout %s opens as it is, and is written again in the current layout', async (_layout, writeEarlier, shape) => {
		await addDocuments('news', [{ ...newDoc(1), title: 'Dépêche 😀', meta: { auteur: 'Zoë' } }, newDoc(2)]);
		await save(1, 'ann1', 0);
		await save(2, 'ann2', 0, { status: 'done', flag: { reason: 'not_news', note: '' } });
		await (await opened()).compact();
		const before = await contents();
		restart();
		writeEarlier();
		expect(fs.readFileSync(snapshotFile('news'), 'utf8')).toContain(shape);
		expect((await opened()).opened).toBe('snapshot');
		expect(await contents()).toEqual(before);
		expect(JSON.parse(fs.readFileSync(snapshotFile('news'), 'utf8').split('\n')[0]).snapshot).toBe(SNAPSHOT_LAYOUT);
		restart();
		expect((await opened()).opened).toBe('snapshot');
		expect(await contents()).toEqual(before);
	});
});

describe('a set whose files were taken away by hand', () => {
	it('leaves the summaries when it is next read', async () => {
		await addDocuments('news', [newDoc(1)]);
		await save(1, 'ann1', 0);
		fs.rmSync(annotationFile('news', 'd1', 'ann1'));
		fs.rmSync(revisionLogFile('news', 'd1', 'ann1'));
		restart();
		await opened();
		expect((await datasetSummaries('news')).get('d1')?.get('ann1')).toBeDefined(); // the index does not look at every file
		expect((await loadSet('news', 'd1', 'ann1')).revision).toBe(0);
		expect((await datasetSummaries('news')).get('d1')?.get('ann1')).toBeUndefined();
	});
});

describe('names that are Object.prototype members', () => {
	it('are documents and annotators like any other, through a restart', async () => {
		const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
		await addDocuments('news', names.map((id, i) => ({ ...newDoc(i), id })));
		for (const [i, id] of names.entries()) await saveSet('news', { id, text: text(i) }, 'constructor', 'constructor', labels, { baseRevision: 0, spans: [] , status: 'done' });
		restart();
		expect((await listDocumentHeaders('news')).map((h) => h.id)).toEqual(names);
		for (const id of names) expect((await datasetSummaries('news')).get(id)?.get('constructor')).toMatchObject({ status: 'done', revision: 1 });
		expect(path.basename(logFile('news'))).toBe('log.ndjson');
	});
});
