import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataset, addDocuments, resetDatasetCache } from './datasets';
import { saveSet } from '../../annotate/saveSet';
import { loadSet, listRevisions, pageRevisions, revisionOfLogLine, resetAnnotationCache, datasetSummaries, importSetsOf } from './annotations';
import { appendLineDurable, readJsonSync, readLastLine, readLastLineSync, removeTempFiles, tempPathFor, TEMP_MARKER } from './durable';
import { isDomainError } from '../../http/errors';
import { openIndex } from './datasetIndex';
import { DATE_ATTRIBUTES } from '../../../model/attributes';
import { freshDataFolder, removeDataFolder } from '../../testing/dataFolder';

const labels = ['claim', 'attribution', 'framing', 'date'];
const text = 'Le maire a annoncé 😀 mardi une hausse.';
const doc = { id: 'doc-1', text };
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-unit-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead' });
	await addDocuments('unit', [{ id: 'doc-1', title: 'd', text, meta: {}, sha256: 'x' }]);
});

afterEach(() => {
	removeDataFolder(root);
});

async function expectStatus(p: Promise<unknown>, status: number): Promise<Record<string, unknown> | undefined> {
	try {
		await p;
	} catch (e) {
		expect(isDomainError(e)).toBe(true);
		if (isDomainError(e)) {
			expect(e.status).toBe(status);
			return e.details;
		}
	}
	throw new Error(`expected a ${status} error`);
}

describe('annotation sets: revisions and conflicts', () => {
	it('starts empty at revision 0', async () => {
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set).toMatchObject({ annotator: 'ann1', revision: 0, status: 'not_started', spans: [] });
	});

	it('saves with code point offsets and records who and what in a revision', async () => {
		// "mardi" starts after the emoji: code points 21..26 (UTF-16 would be 22..27)
		const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, {
			baseRevision: 0,
			spans: [{ start: 21, end: 26, label: 'date' }]
		});
		expect(r.revision).toBe(1);
		expect(r.status).toBe('in_progress');
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.spans).toEqual([expect.objectContaining({ start: 21, end: 26, label: 'date', text: 'mardi' })]);
		const revisions = await listRevisions('unit', 'doc-1', 'ann1');
		expect(revisions).toHaveLength(1);
		expect(revisions[0]).toMatchObject({ revision: 1, by: 'ann1', added: 1, removed: 0, relabelled: 0 });
	});

	it('counts reading time without starting the document: no spans, no status → still not started, no revision', async () => {
		const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [], activeSecondsDelta: 12 });
		expect(r).toMatchObject({ revision: 0, status: 'not_started' });
		expect(await loadSet('unit', 'doc-1', 'ann1')).toMatchObject({ revision: 0, status: 'not_started', active_seconds: 12 });
		expect(await listRevisions('unit', 'doc-1', 'ann1')).toEqual([]);
	});

	it('without spans in the input keeps the current ones: time alone is no revision, a status change is one', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 21, end: 26, label: 'date' }] });
		const timeOnly = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, activeSecondsDelta: 30 });
		expect(timeOnly).toMatchObject({ revision: 1, status: 'in_progress', changed: false });
		expect(await loadSet('unit', 'doc-1', 'ann1')).toMatchObject({ revision: 1, active_seconds: 30, spans: [expect.objectContaining({ text: 'mardi' })] });
		const done = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, status: 'done' });
		expect(done).toMatchObject({ revision: 2, status: 'done' });
		const revisions = await listRevisions('unit', 'doc-1', 'ann1');
		expect(revisions.map((r) => [r.revision, r.status, r.spans.map((x) => x.text), r.added + r.removed + r.relabelled])).toEqual([
			[1, 'in_progress', ['mardi'], 1],
			[2, 'done', ['mardi'], 0]
		]);
		await expectStatus(saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, activeSecondsDelta: 5 }), 409);
	});

	it('rejects a stale base revision with 409 and the current state, changing nothing', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		const details = await expectStatus(
			saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 3, end: 8, label: 'attribution' }] }),
			409
		);
		expect((details?.current as { revision: number }).revision).toBe(1);
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.spans.map((s) => s.text)).toEqual(['Le']);
		expect(await listRevisions('unit', 'doc-1', 'ann1')).toHaveLength(1);
	});

	it('serialises concurrent saves: exactly one of two racing writers wins', async () => {
		const results = await Promise.allSettled([
			saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] }),
			saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 3, end: 8, label: 'claim' }] })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(rejected.reason.status).toBe(409);
	});

	it('rejects bad spans with 400 and writes nothing', async () => {
		await expectStatus(
			saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 5, end: 500, label: 'claim' }] }),
			400
		);
		await expectStatus(
			saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 5, end: 5, label: 'claim' }] }),
			400
		);
		await expectStatus(
			saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'opinion' }] }),
			400
		);
		expect(fs.existsSync(path.join(root, 'unit', 'annotations'))).toBe(false);
	});

	it('keeps every revision so any past state can be rebuilt; relabels are counted as such', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, spans: [{ start: 0, end: 2, label: 'framing' }] });
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 2, spans: [], status: 'done' });
		const revisions = await listRevisions('unit', 'doc-1', 'ann1');
		expect(revisions.map((r) => [r.revision, r.spans.map((s) => s.label), r.status])).toEqual([
			[1, ['claim'], 'in_progress'],
			[2, ['framing'], 'in_progress'],
			[3, [], 'done']
		]);
		expect(revisions[1]).toMatchObject({ added: 0, removed: 0, relabelled: 1 });
		const summary = (await datasetSummaries('unit')).get('doc-1')?.get('ann1');
		expect(summary).toMatchObject({ status: 'done', revision: 3, spans: 0 });
	});

	it('an identical save creates no new revision', async () => {
		const spans = [{ start: 0, end: 2, label: 'claim' }];
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans });
		const again = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, spans });
		expect(again).toMatchObject({ revision: 1, changed: false });
	});

	it('recovers the state from the revision log when a crash hit between log append and state write', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		const log = path.join(root, 'unit', 'annotations', 'doc-1', 'ann1.revisions.jsonl');
		await appendLineDurable(
			log,
			JSON.stringify({ revision: 2, at: '2026-01-01T00:00:00.000Z', by: 'ann1', status: 'in_progress', spans: [], added: 0, removed: 1, relabelled: 0 })
		);
		// plus a torn, unacknowledged third line
		fs.appendFileSync(log, '{"revision":3,"spa');
		resetAnnotationCache();
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.revision).toBe(2);
		expect(set.spans).toEqual([]);
		const next = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 2, spans: [{ start: 3, end: 8, label: 'claim' }] });
		expect(next.revision).toBe(3);
		expect((await listRevisions('unit', 'doc-1', 'ann1')).map((r) => r.revision)).toEqual([1, 2, 3]);
	});
});

describe('the gold set’s rejections', () => {
	// code points: "Le" 0-2, "maire" 3-8, "mardi" 21-26 (after the emoji)
	const maire = { start: 3, end: 8, label: 'attribution' };
	const mardi = { start: 21, end: 26, label: 'date' };
	const plain = (spans: Array<{ start: number; end: number; label: string; text?: string }> = []) =>
		spans.map(({ start, end, label, text }) => ({ start, end, label, text }));

	it('are saved with the spans as one revision (who, when, what), with code point offsets and text', async () => {
		const r = await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [maire], rejected: [mardi] });
		expect(r.revision).toBe(1);
		const set = await loadSet('unit', 'doc-1', 'gold');
		expect(plain(set.rejected)).toEqual([{ ...mardi, text: 'mardi' }]);
		expect(set.spans.map((s) => s.text)).toEqual(['maire']);
		const [revision] = await listRevisions('unit', 'doc-1', 'gold');
		expect(revision).toMatchObject({ revision: 1, by: 'lead', added: 1 });
		expect(plain(revision.rejected)).toEqual([{ ...mardi, text: 'mardi' }]);
	});

	it('a change of rejections alone is a new revision; the same rejections again are none', async () => {
		await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [maire] });
		const rejecting = await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 1, spans: [maire], rejected: [mardi] });
		expect(rejecting).toMatchObject({ revision: 2, changed: true });
		const again = await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 2, spans: [maire], rejected: [mardi] });
		expect(again).toMatchObject({ revision: 2, changed: false });
		const reopening = await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 2, spans: [maire], rejected: [] });
		expect(reopening).toMatchObject({ revision: 3, changed: true });
		expect((await listRevisions('unit', 'doc-1', 'gold')).map((r) => plain(r.rejected).length)).toEqual([0, 1, 0]);
	});

	it('a save without "rejected" keeps them; a span accepted later is no longer rejected', async () => {
		await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [], rejected: [maire, mardi] });
		await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 1, spans: [], status: 'done' });
		expect(plain((await loadSet('unit', 'doc-1', 'gold')).rejected).map((s) => s.text)).toEqual(['maire', 'mardi']);
		await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 2, spans: [mardi] });
		const set = await loadSet('unit', 'doc-1', 'gold');
		expect(set.spans.map((s) => s.text)).toEqual(['mardi']);
		expect(plain(set.rejected).map((s) => s.text)).toEqual(['maire']);
		// sent both ways at once, acceptance wins
		await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 3, spans: [mardi, maire], rejected: [maire] });
		expect((await loadSet('unit', 'doc-1', 'gold')).rejected).toEqual([]);
	});

	it('a stale base revision is a 409 carrying the current rejections, changing nothing', async () => {
		await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [], rejected: [mardi] });
		const details = await expectStatus(saveSet('unit', doc, 'gold', 'lead2', labels, { baseRevision: 0, spans: [], rejected: [maire] }), 409);
		expect(plain((details?.current as { rejected: [] }).rejected).map((s) => s.text)).toEqual(['mardi']);
		expect(await listRevisions('unit', 'doc-1', 'gold')).toHaveLength(1);
	});

	it('are refused with a clear 400 outside the text, with unknown labels, or on any set but gold; nothing is written', async () => {
		// the text is 38 code points long (39 UTF-16 units: the emoji is two)
		const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
			['past the end', () => saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [], rejected: [{ start: 30, end: 40, label: 'date' }] }), /rejected span 0: end 40 is beyond the end of the text \(length 38\)/],
			['unknown label', () => saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [], rejected: [maire, { start: 0, end: 2, label: 'opinion' }] }), /rejected span 1: unknown label "opinion"/],
			['empty', () => saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [], rejected: [{ start: 2, end: 2, label: 'date' }] }), /rejected span 0: start must be less than end/],
			['not gold', () => saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [], rejected: [] }), /only the gold set records rejections/]
		];
		for (const [name, p, message] of cases) {
			const error = await p().then(() => null, (e: unknown) => e);
			expect(isDomainError(error) && error.status, name).toBe(400);
			expect((error as Error).message, name).toMatch(message);
		}
		expect(fs.existsSync(path.join(root, 'unit', 'annotations'))).toBe(false);
	});

	it('are rebuilt from the revision log after a crash between log append and state write', async () => {
		await saveSet('unit', doc, 'gold', 'lead', labels, { baseRevision: 0, spans: [maire] });
		const log = path.join(root, 'unit', 'annotations', 'doc-1', 'gold.revisions.jsonl');
		const rejected = [{ id: 'x', ...mardi, text: 'mardi' }];
		await appendLineDurable(
			log,
			JSON.stringify({ revision: 2, at: '2026-01-01T00:00:00.000Z', by: 'lead', status: 'in_progress', spans: [], added: 0, removed: 1, relabelled: 0, rejected })
		);
		resetAnnotationCache();
		const set = await loadSet('unit', 'doc-1', 'gold');
		expect(set).toMatchObject({ revision: 2, spans: [], rejected });
		expect(JSON.parse(fs.readFileSync(path.join(root, 'unit', 'annotations', 'doc-1', 'gold.json'), 'utf8')).rejected).toEqual(rejected);
	});
});

describe('the parsed-set cache', () => {
	const dir = () => path.join(root, 'unit', 'annotations', 'doc-1');

	it('hands out the same frozen set while its files are unchanged', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		const a = await loadSet('unit', 'doc-1', 'ann1');
		const b = await loadSet('unit', 'doc-1', 'ann1');
		expect(b).toBe(a);
		expect(Object.isFrozen(a) && Object.isFrozen(a.spans) && Object.isFrozen(a.spans[0])).toBe(true);
		expect(() => (a.spans as unknown as unknown[]).push({})).toThrow(TypeError);
		expect(() => ((a as { status: string }).status = 'done')).toThrow(TypeError);
	});

	it('misses when the log grows (a crash to repair), when the state file is replaced by hand, and after every save', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		const first = fs.readFileSync(path.join(dir(), 'ann1.json'));
		expect((await loadSet('unit', 'doc-1', 'ann1')).revision).toBe(1);
		// a log line the state file never got (no resetAnnotationCache: the cache must notice by itself)
		const line = { revision: 2, at: '2026-01-01T00:00:00.000Z', by: 'ann1', status: 'done', spans: [], added: 0, removed: 1, relabelled: 0 };
		await appendLineDurable(path.join(dir(), 'ann1.revisions.jsonl'), JSON.stringify(line));
		expect(await loadSet('unit', 'doc-1', 'ann1')).toMatchObject({ revision: 2, status: 'done', spans: [] });
		// a save through the store: the next read has it
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 2, spans: [{ start: 3, end: 8, label: 'date' }] });
		expect((await loadSet('unit', 'doc-1', 'ann1')).spans.map((s) => s.text)).toEqual(['maire']);
		// an older state file copied back by hand (same log): read from disk, then repaired from the log
		fs.writeFileSync(path.join(dir(), 'ann1.json'), first);
		expect(await loadSet('unit', 'doc-1', 'ann1')).toMatchObject({ revision: 3, spans: [expect.objectContaining({ text: 'maire' })] });
	});
});

describe('set summaries after a crash', () => {
	it('notice a log ahead of its state file, whatever the order of the line\'s keys, and repair it', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		await saveSet('unit', doc, 'ann2', 'ann2', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		const dir = path.join(root, 'unit', 'annotations', 'doc-1');
		// ann1: the usual line; ann2: the revision is not the first key (the slow path of revisionOfLogLine)
		const line = { revision: 2, at: '2026-01-01T00:00:00.000Z', by: 'x', status: 'done', spans: [], added: 0, removed: 1, relabelled: 0 };
		// a save's crash as it happens: its summary is in the dataset's index log (datasetIndex.ts), then the revision in the set's log
		const index = await openIndex('unit');
		const summaryOfLine = (annotator: string) => ({ annotator, status: 'done' as const, revision: 2, spans: 0, updated_at: line.at, active_seconds: 0, labels: [], keys: '' });
		await (await index.intend([{ set: ['doc-1', summaryOfLine('ann1')] }])).durable;
		await appendLineDurable(path.join(dir, 'ann1.revisions.jsonl'), JSON.stringify(line));
		const { revision, ...rest } = line;
		await (await index.intend([{ set: ['doc-1', summaryOfLine('ann2')] }])).durable;
		await appendLineDurable(path.join(dir, 'ann2.revisions.jsonl'), JSON.stringify({ ...rest, revision }));
		resetAnnotationCache();
		const perDoc = (await datasetSummaries('unit')).get('doc-1')!;
		for (const annotator of ['ann1', 'ann2']) {
			expect(perDoc.get(annotator)).toMatchObject({ revision: 2, status: 'done', spans: 0 });
			expect(JSON.parse(fs.readFileSync(path.join(dir, `${annotator}.json`), 'utf8'))).toMatchObject({ revision: 2, spans: [] });
		}
	});

	it('being built while saves of a set a crash left behind run: nothing waits forever, no reading time is lost', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }] });
		const dir = path.join(root, 'unit', 'annotations', 'doc-1');
		const line = { revision: 2, at: '2026-01-01T00:00:00.000Z', by: 'ann1', status: 'done', spans: [], added: 0, removed: 1, relabelled: 0 };
		await appendLineDurable(path.join(dir, 'ann1.revisions.jsonl'), JSON.stringify(line));
		resetAnnotationCache();
		// The build and the saves each want to repair the set; ten saves of 5 s of reading each, none changing the spans.
		const built = datasetSummaries('unit');
		const saves = Array.from({ length: 10 }, () =>
			saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 2, activeSecondsDelta: 5 })
		);
		const results = await Promise.all(saves);
		expect(results.map((r) => r.revision)).toEqual(Array(10).fill(2));
		expect((await built).get('doc-1')?.get('ann1')).toMatchObject({ revision: 2, status: 'done', spans: 0, active_seconds: 50 });
		expect(await loadSet('unit', 'doc-1', 'ann1')).toMatchObject({ revision: 2, active_seconds: 50 });
		resetAnnotationCache();
		expect((await datasetSummaries('unit')).get('doc-1')?.get('ann1')).toMatchObject({ revision: 2, active_seconds: 50 });
	}, 5000); // a deadlock between a save and the build shows as this timeout

	it('show a save as soon as it is acknowledged, in the order the saves were made', async () => {
		await datasetSummaries('unit');
		let base = 0;
		for (let i = 1; i <= 5; i++) {
			const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, {
				baseRevision: base,
				spans: [{ start: 0, end: 2 + i, label: 'claim' }],
				status: i === 5 ? 'done' : undefined
			});
			base = r.revision;
			expect((await datasetSummaries('unit')).get('doc-1')?.get('ann1')).toMatchObject({ revision: i, spans: 1 });
		}
		expect((await datasetSummaries('unit')).get('doc-1')?.get('ann1')?.status).toBe('done');
	});
});

describe('imported pre-annotation sets', () => {
	it('are stored under import~<source>, listed by importSetsOf and kept out of the work summaries', async () => {
		const saved = await saveSet('unit', doc, 'import~batch.jsonl', 'lead', labels, {
			baseRevision: 0,
			spans: [{ start: 0, end: 8, label: 'attribution' }],
			status: 'done'
		});
		expect(saved.revision).toBe(1);
		expect((await loadSet('unit', 'doc-1', 'import~batch.jsonl')).spans.map((s) => s.text)).toEqual(['Le maire']);
		expect((await importSetsOf('unit', 'doc-1')).map((s) => [s.annotator, s.status, s.spans])).toEqual([
			['import~batch.jsonl', 'done', 1]
		]);
		expect((await datasetSummaries('unit')).get('doc-1')?.has('import~batch.jsonl')).toBeFalsy();
		resetAnnotationCache(); // rebuilt from disk: still only people's work
		expect((await datasetSummaries('unit')).get('doc-1')?.has('import~batch.jsonl')).toBeFalsy();
		expect(await importSetsOf('unit', 'nothing-here')).toEqual([]);
	});
});

describe('revision log lines', () => {
	it('reads the revision number without parsing the spans, and falls back to JSON otherwise', () => {
		expect(revisionOfLogLine('{"revision":42,"at":"x","spans":[{"start":0}]}')).toBe(42);
		expect(revisionOfLogLine('{ "at": "x", "revision": 7 }')).toBe(7);
	});
});

describe('durable files', () => {
	it('readLastLine returns the last complete line, ignoring a torn tail', async () => {
		const file = path.join(root, 'log.jsonl');
		expect(await readLastLine(file)).toBeNull();
		fs.writeFileSync(file, 'one\ntwo\nthr');
		expect(await readLastLine(file)).toBe('two');
		fs.writeFileSync(file, 'x'.repeat(100_000) + '\n' + 'y'.repeat(70_000) + '\n');
		expect(await readLastLine(file)).toBe('y'.repeat(70_000));
		expect(readLastLineSync(file)).toBe('y'.repeat(70_000));
		fs.writeFileSync(file, 'no newline at all');
		expect(await readLastLine(file)).toBeNull();
		expect(readLastLineSync(file)).toBeNull();
	});

	it('readLastLineSync decodes only the head of the line when asked, short or long, near the end or not', async () => {
		const file = path.join(root, 'log.jsonl');
		fs.writeFileSync(file, 'one\ntwo\nthr');
		expect(readLastLineSync(file, 2)).toBe('tw');
		expect(readLastLineSync(file, 10)).toBe('two');
		// the last line in the last 64 KiB of a longer file, then one that starts before them
		fs.writeFileSync(file, 'x'.repeat(100_000) + '\nabc\n');
		expect(readLastLineSync(file)).toBe('abc');
		expect(readLastLineSync(file, 1)).toBe('a');
		fs.writeFileSync(file, 'x'.repeat(100_000) + '\n' + 'y'.repeat(70_000) + 'z\n');
		expect(readLastLineSync(file, 3)).toBe('yyy');
		expect(readLastLineSync(file)).toBe(await readLastLine(file));
		expect(readLastLineSync(path.join(root, 'missing.jsonl'), 3)).toBeNull();
	});

	it('readJsonSync parses small and large files alike, one after the other, and throws like readFileSync', () => {
		const small = path.join(root, 'small.json');
		const large = path.join(root, 'large.json');
		const big = { text: 'é'.repeat(50_000) + '😀', n: 1 }; // 100,005 bytes: more than one read's worth
		fs.writeFileSync(large, JSON.stringify(big, null, 2) + '\n');
		fs.writeFileSync(small, '{"a":[1,2]}\n');
		expect(readJsonSync(large)).toEqual(big);
		expect(readJsonSync(small)).toEqual({ a: [1, 2] });
		fs.writeFileSync(small, '{"a":');
		expect(() => readJsonSync(small)).toThrow(SyntaxError);
		expect(() => readJsonSync(path.join(root, 'missing.json'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
	});

	it("removes temp files left by interrupted writes, but not this process's own", async () => {
		fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
		fs.writeFileSync(path.join(root, 'a', 'b', `${TEMP_MARKER}x.json.1234`), '{'); // an older naming
		fs.writeFileSync(path.join(root, 'a', 'b', `${TEMP_MARKER}0badf00d-y.json.5678`), '{'); // another (crashed) process's
		const own = tempPathFor(path.join(root, 'a', 'z.json'));
		fs.writeFileSync(own, '{'); // one this process may be writing right now
		fs.writeFileSync(path.join(root, 'a', 'keep.json'), '{}');
		expect(await removeTempFiles(root)).toBe(2);
		expect(fs.readdirSync(path.join(root, 'a', 'b'))).toEqual([]);
		expect(fs.existsSync(own)).toBe(true);
		expect(fs.existsSync(path.join(root, 'a', 'keep.json'))).toBe(true);
	});
});

describe('revision logs grow with what changed', () => {
	const long = 'The minister said the economy grew by three percent in the last year. '.repeat(60); // 4,260 characters
	const longDoc = { id: 'doc-2', text: long };
	const dir = () => path.join(root, 'unit', 'annotations', 'doc-2');
	const many = (n: number, relabel = -1) =>
		Array.from({ length: n }, (_, i) => ({ start: i, end: i + 3, label: i === relabel ? 'date' : 'claim' }));

	beforeEach(async () => {
		await addDocuments('unit', [{ id: 'doc-2', title: 'long', text: long, meta: {}, sha256: 'y' }]);
	});

	it('25 saves of one changed span each: the log stays under twice the state file, and every revision reads back in full', async () => {
		for (let r = 0; r < 25; r++) await saveSet('unit', longDoc, 'ann1', 'ann1', labels, { baseRevision: r, spans: many(2000, r) });
		const logBytes = fs.statSync(path.join(dir(), 'ann1.revisions.jsonl')).size;
		const stateBytes = fs.statSync(path.join(dir(), 'ann1.json')).size;
		expect(logBytes).toBeLessThan(2 * stateBytes);
		const revisions = await listRevisions('unit', 'doc-2', 'ann1');
		expect(revisions.map((r) => r.revision)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
		for (const r of revisions) {
			expect(r.spans).toHaveLength(2000);
			expect(r.spans.filter((s) => s.label === 'date').map((s) => s.start)).toEqual([r.revision - 1]);
		}
		expect(revisions[24]).toMatchObject({ added: 0, removed: 0, relabelled: 2 });
	});

	it('repairs the state from the log when a crash came between a delta line and the state write', async () => {
		await saveSet('unit', longDoc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: many(100) });
		await saveSet('unit', longDoc, 'ann1', 'ann1', labels, { baseRevision: 1, spans: many(100, 5) });
		const behind = fs.readFileSync(path.join(dir(), 'ann1.json'));
		await saveSet('unit', longDoc, 'ann1', 'ann1', labels, { baseRevision: 2, spans: many(101, 7) });
		const lastLine = fs.readFileSync(path.join(dir(), 'ann1.revisions.jsonl'), 'utf8').trim().split('\n').at(-1)!;
		expect(JSON.parse(lastLine)).toHaveProperty('delta'); // the case this test is about
		// the state file as it was before the third save's state write: the log is one delta ahead
		fs.writeFileSync(path.join(dir(), 'ann1.json'), behind);
		resetAnnotationCache();
		const set = await loadSet('unit', 'doc-2', 'ann1');
		expect(set.revision).toBe(3);
		expect(set.spans.map((s) => [s.start, s.label]).filter(([, l]) => l === 'date')).toEqual([[7, 'date']]);
		expect(set.spans).toHaveLength(101);
		expect(JSON.parse(fs.readFileSync(path.join(dir(), 'ann1.json'), 'utf8'))).toMatchObject({ revision: 3 });
	});

	it('pages revisions: the latest first, oldest first within a page, at most 20,000 spans a page', async () => {
		for (let r = 0; r < 60; r++) await saveSet('unit', longDoc, 'ann1', 'ann1', labels, { baseRevision: r, spans: many(10, r % 10) });
		const numbers = (p: { revisions: { revision: number }[] }) => p.revisions.map((r) => r.revision);
		const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
		const first = await pageRevisions('unit', 'doc-2', 'ann1');
		expect([numbers(first), first.nextBefore]).toEqual([range(41, 60), 41]);
		const second = await pageRevisions('unit', 'doc-2', 'ann1', { before: 41 });
		expect([numbers(second), second.nextBefore]).toEqual([range(21, 40), 21]);
		const rest = await pageRevisions('unit', 'doc-2', 'ann1', { before: 21, limit: 100 });
		expect([numbers(rest), rest.nextBefore]).toEqual([range(1, 20), null]);
		expect(rest.revisions[4].spans).toEqual((await listRevisions('unit', 'doc-2', 'ann1'))[4].spans);
		// 3,000 spans a revision: 6 of them fit in 20,000 spans
		for (let r = 0; r < 20; r++) await saveSet('unit', longDoc, 'ann2', 'ann2', labels, { baseRevision: r, spans: many(3000, r) });
		const big = await pageRevisions('unit', 'doc-2', 'ann2');
		expect([numbers(big), big.nextBefore]).toEqual([range(15, 20), 15]);
	});

	it('pages an old log of full revisions (and skips a torn line) the same way', async () => {
		const log = path.join(dir(), 'ann1.revisions.jsonl');
		const full = (revision: number) => ({ revision, at: '2026-01-01T00:00:00.000Z', by: 'ann1', status: 'in_progress', spans: [], added: 0, removed: 0, relabelled: 0 });
		for (let r = 1; r <= 30; r++) await appendLineDurable(log, JSON.stringify(full(r)));
		fs.appendFileSync(log, '{"revision":31,"at":"x","spa'); // torn by a crash
		await appendLineDurable(log, JSON.stringify(full(31)));
		const page = await pageRevisions('unit', 'doc-2', 'ann1', { limit: 5, before: 30 });
		expect([page.revisions.map((r) => r.revision), page.nextBefore]).toEqual([[25, 26, 27, 28, 29], 25]);
		expect((await pageRevisions('unit', 'doc-2', 'ann1')).revisions.map((r) => r.revision).at(-1)).toBe(31);
		expect(await pageRevisions('unit', 'doc-2', 'ann1', { before: 1 })).toEqual({ revisions: [], nextBefore: null });
	});

	it('refuses a set whose spans would cover more than 5,000,000 characters in all (413), and stores nothing', async () => {
		const spans = Array.from({ length: 4000 }, (_, i) => ({ start: i % 2000, end: long.length, label: i < 2000 ? 'claim' : 'date' }));
		const covered = spans.reduce((n, s) => n + s.end - s.start, 0);
		expect(covered).toBeGreaterThan(5_000_000);
		try {
			await saveSet('unit', longDoc, 'ann1', 'ann1', labels, { baseRevision: 0, spans });
			throw new Error('expected a 413');
		} catch (e) {
			expect(isDomainError(e) && e.status).toBe(413);
			expect((e as Error).message).toBe(
				`the spans cover ${covered} characters in total, more than the 5000000 one annotation set may hold (each span stores its text)`
			);
		}
		expect(fs.existsSync(dir())).toBe(false);
	});
});

describe('flags and comments (notes kept with the work)', () => {
	const maire = { start: 3, end: 8, label: 'attribution' };

	it('a flag or a comment is a revision of its own, kept in the history; the same notes again are none', async () => {
		const r1 = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, flag: { reason: 'broken_text', note: 'cut mid-sentence' } });
		expect(r1).toMatchObject({ revision: 1, changed: true, status: 'not_started' });
		const r2 = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, comments: [{ text: 'Is this an attribution?', span: maire }] });
		expect(r2.revision).toBe(2);
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.flag).toEqual({ reason: 'broken_text', note: 'cut mid-sentence' });
		expect(set.comments).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{12}$/), text: 'Is this an attribution?', span: maire, by: 'ann1', at: expect.any(String) }]);
		const same = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 2, comments: [{ id: set.comments![0].id, text: 'Is this an attribution?', span: maire }] });
		expect(same).toMatchObject({ revision: 2, changed: false });
		const cleared = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 2, flag: null });
		expect(cleared.revision).toBe(3);
		expect((await loadSet('unit', 'doc-1', 'ann1')).flag).toBeUndefined();
		const history = await listRevisions('unit', 'doc-1', 'ann1');
		expect(history.map((r) => [r.revision, r.flag?.reason ?? null, r.comments?.length ?? 0])).toEqual([
			[1, 'broken_text', 0],
			[2, 'broken_text', 1],
			[3, null, 1]
		]);
		// the in-memory summary knows the flag (for progress), and forgets it with the flag
		expect((await datasetSummaries('unit')).get('doc-1')?.get('ann1')?.flag).toBeUndefined();
	});

	it('survives a crash between log and state (rebuilt from the log), and refuses a comment on a span outside the text', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, flag: { reason: 'unsure', note: '' } });
		const state = path.join(root, 'unit', 'annotations', 'doc-1', 'ann1.json');
		fs.rmSync(state);
		resetAnnotationCache();
		expect((await loadSet('unit', 'doc-1', 'ann1')).flag).toEqual({ reason: 'unsure', note: '' });
		await expectStatus(saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, comments: [{ text: 'x' }, { text: 'y', span: { start: 0, end: 999, label: 'claim' } }] }), 400);
		expect((await loadSet('unit', 'doc-1', 'ann1')).revision).toBe(1);
	});
});

describe('annotation sets: span attributes', () => {
	const attributeLabels = [
		{ name: 'date', key: '4', color: '#000000', description: '', attributes: DATE_ATTRIBUTES },
		{ name: 'claim', key: '1', color: '#000000', description: '', attributes: [{ name: 'checkable', type: 'boolean' as const, required: true }] }
	];
	const mardi = (attrs?: Record<string, unknown>) => ({ start: 21, end: 26, label: 'date', ...(attrs ? { attrs } : {}) });

	it('keeps attrs in the set and its revisions; a value change alone is a new revision of the same span', async () => {
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [mardi()], attributeLabels });
		const r = await saveSet('unit', doc, 'ann1', 'ann1', labels, {
			baseRevision: 1,
			spans: [mardi({ value: 'XXXX-XX-XXTMO', type: 'DATE' })],
			attributeLabels
		});
		expect(r.changed).toBe(true);
		expect(r.revision).toBe(2);
		resetAnnotationCache();
		const set = await loadSet('unit', 'doc-1', 'ann1');
		expect(set.spans).toHaveLength(1);
		expect({ ...set.spans[0].attrs }).toEqual({ type: 'DATE', value: 'XXXX-XX-XXTMO' });
		const revisions = await listRevisions('unit', 'doc-1', 'ann1');
		expect(revisions[1]).toMatchObject({ added: 0, removed: 0, relabelled: 0, reattributed: 1 });
		expect(revisions[1].spans[0].attrs).toEqual({ type: 'DATE', value: 'XXXX-XX-XXTMO' });
		expect(revisions[0].spans[0]).not.toHaveProperty('attrs');
		// the same values again: nothing changed, no revision
		const same = await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 2, spans: [mardi({ type: 'DATE', value: 'XXXX-XX-XXTMO' })], attributeLabels });
		expect(same.changed).toBe(false);
		// the 409 body carries them
		const details = await expectStatus(saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, spans: [], attributeLabels }), 409);
		expect((details!.current as { spans: Array<{ attrs?: unknown }> }).spans[0].attrs).toEqual({ type: 'DATE', value: 'XXXX-XX-XXTMO' });
	});

	it('refuses bad values, unknown attributes and conflicting duplicates with 400 and changes nothing', async () => {
		const bad = async (spans: unknown[], status?: 'done') =>
			(await expectStatus(saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: spans as never, status, attributeLabels }), 400)) as {
				problems: Array<{ message: string }>;
			};
		expect((await bad([mardi({ value: '2024-02-30' })])).problems[0].message).toMatch(/^span 0: attribute "value": "2024-02-30" is not a TIMEX3 value/);
		expect((await bad([mardi({ weekday: 'mardi' })])).problems[0].message).toBe('span 0: label "date" has no attribute "weekday" (its attributes: value, type)');
		expect((await bad([mardi({ value: '2024' }), mardi({ value: '2025' })])).problems[0].message).toMatch(/^span 1: same start, end and label as span 0/);
		expect((await bad([{ start: 0, end: 2, label: 'claim' }], 'done')).problems[0].message).toBe(
			'span 0: attribute "checkable" is required before the document can be done'
		);
		expect((await loadSet('unit', 'doc-1', 'ann1')).revision).toBe(0);
		// in progress, a required attribute may wait; marking done alone checks the stored spans
		await saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 0, spans: [{ start: 0, end: 2, label: 'claim' }], attributeLabels });
		const details = (await expectStatus(saveSet('unit', doc, 'ann1', 'ann1', labels, { baseRevision: 1, status: 'done', attributeLabels }), 400)) as {
			problems: Array<{ message: string }>;
		};
		expect(details.problems[0].message).toBe('stored span 0: attribute "checkable" is required before the document can be done');
	});
});
