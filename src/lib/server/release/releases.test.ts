import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDocuments, createDataset, resetDatasetCache, loadSet, resetAnnotationCache, TEMP_MARKER } from '../store';
import { saveSet } from '../annotate/saveSet';
import { compareReleases, cutRelease, listReleases, openRelease, recoverAllReleases, recoverReleases } from './releases';
// the tests read the release files on disk by path: the file store's reader
import { readReleaseRecords } from '../store/file/releases';
import { isDomainError } from '../http/errors';
import { RELEASE_RECORD_SCHEMA, recordInvariantProblems, type ReleaseManifest, type ReleaseRecord } from '../../release/record';
import { toDoccano } from '../../release/formats';
import { WORKED_TEXT, checkJsonSchema } from '../../release/test-helpers';
import type { SpanInput, Status } from '../../model/types';
import { currentTokenizer } from './releases';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const labels = ['claim', 'attribution', 'framing', 'date'];
const docs = [
	{ id: 'a', title: 'A', text: WORKED_TEXT, meta: { lang: 'mul' } },
	{ id: 'b', title: 'B', text: 'Le maire a annoncé 😀 mardi une hausse.', meta: {} }
];
let root: string;

const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const releases = () => path.join(root, 'unit', 'releases');

async function save(docId: string, annotator: string, spans: SpanInput[], status: Status = 'done') {
	const doc = docs.find((d) => d.id === docId)!;
	const { revision } = await loadSet('unit', docId, annotator);
	await saveSet('unit', doc, annotator, annotator, labels, { baseRevision: revision, spans, status });
}

async function records(file: string): Promise<ReleaseRecord[]> {
	const out: ReleaseRecord[] = [];
	for await (const r of readReleaseRecords(file)) out.push(r);
	return out;
}

async function expectStatus(p: Promise<unknown>, status: number): Promise<string> {
	try {
		await p;
	} catch (e) {
		if (isDomainError(e)) {
			expect(e.status).toBe(status);
			return e.message;
		}
		throw e;
	}
	throw new Error(`expected a ${status} error`);
}

beforeEach(async () => {
	root = freshDataFolder('spanlab-rel-');
	await createDataset({ slug: 'unit', title: 'Unit', createdBy: 'lead', guidelines: '# Tag claims' });
	await addDocuments('unit', docs.map((d) => ({ ...d, sha256: sha256(d.text) })));
	await save('a', 'ann1', [{ start: 0, end: 7, label: 'attribution' }, { start: 34, end: 41, label: 'framing' }]);
	await save('b', 'ann1', [{ start: 0, end: 8, label: 'attribution' }], 'in_progress');
	await save('b', 'ann2', [{ start: 19, end: 20, label: 'framing' }]);
	await save('a', 'gold', [{ start: 0, end: 7, label: 'attribution' }], 'in_progress');
});

afterEach(() => {
	removeDataFolder(root);
});

describe('cutRelease', () => {
	it('leaves out correction mode\'s unreviewed spans and the relations to them, counting them in the manifest', async () => {
		// «Le maire a annoncé 😀 mardi une hausse.»: the model's spans, one accepted (run~crf), two still unreviewed
		const doc = docs.find((d) => d.id === 'b')!;
		await saveSet('unit', doc, 'ann3', 'ann3', labels, {
			baseRevision: 0,
			status: 'done',
			spans: [
				{ start: 0, end: 8, label: 'attribution', source: 'run~crf' },
				{ start: 21, end: 26, label: 'date', source: 'unreviewed:run~crf' },
				{ start: 27, end: 37, label: 'claim', source: 'unreviewed:run~crf' }
			],
			relations: [{ from: 0, to: 2, label: 'source-of' }],
			relationTypes: [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }]
		});
		expect((await loadSet('unit', 'b', 'ann3')).relations).toHaveLength(1);
		const m = await cutRelease('unit', { source: 'annotators', createdBy: 'lead' });
		// a/ann1 (2 spans), b/ann2 (1), b/ann3 (1 of 3)
		expect(m).toMatchObject({ records: 3, spans: 4, span_counts: { attribution: 2, framing: 2 }, relations: 0, unreviewed_spans: 2 });
		const ann3 = (await records(path.join(releases(), 'v0001.jsonl'))).find((r) => r.annotator === 'ann3')!;
		expect(ann3.spans.map((s) => [s.text, s.label, s.source])).toEqual([['Le maire', 'attribution', 'run~crf']]);
		expect(ann3.relations).toEqual([]);
		expect(recordInvariantProblems(ann3)).toEqual([]);
		// nothing unreviewed: the count is 0, not absent
		expect((await cutRelease('unit', { source: 'gold', createdBy: 'lead' })).unreviewed_spans).toBe(0);
	});

	it('writes v0001.jsonl and its manifest; sources pick the right sets', async () => {
		const m = await cutRelease('unit', { source: 'all', note: 'first', createdBy: 'lead' });
		expect(m).toMatchObject({ version: 1, name: 'v0001', dataset: 'unit', source: 'all', note: 'first', created_by: 'lead' });
		expect(m).toMatchObject({ records: 3, spans: 4, span_counts: { attribution: 2, framing: 2 }, parent: null, changes: null });
		expect(m.guidelines_sha256).toBe(sha256('# Tag claims'));
		expect(m.labels.map((l) => l.name)).toEqual(labels);
		const bytes = fs.readFileSync(path.join(releases(), 'v0001.jsonl'));
		expect(sha256(bytes)).toBe(m.sha256);
		const manifest = JSON.parse(fs.readFileSync(path.join(releases(), 'v0001.manifest.json'), 'utf8'));
		expect(manifest).toEqual(m);
		const rs = await records(path.join(releases(), 'v0001.jsonl'));
		// ann1 on b is in progress: out; gold on a is in progress: in (gold counts once saved)
		expect(rs.map((r) => `${r.doc_id}/${r.annotator}`)).toEqual(['a/ann1', 'a/gold', 'b/ann2']);
		for (const r of rs) {
			expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, r)).toEqual([]);
			expect(recordInvariantProblems(r)).toEqual([]);
			expect(r.text_sha256).toBe(sha256(r.text));
		}

		const gold = await cutRelease('unit', { source: 'gold', createdBy: 'lead' });
		expect(gold).toMatchObject({ version: 2, parent: 1, records: 1, note: '' });
		expect(gold.changes?.records).toEqual({ added: 0, removed: 2, changed: 0 });
		const ann = await cutRelease('unit', { source: 'annotators', createdBy: 'lead' });
		expect((await records(path.join(releases(), 'v0003.jsonl'))).map((r) => `${r.doc_id}/${r.annotator}`)).toEqual([
			'a/ann1',
			'b/ann2'
		]);
		expect(ann.parent).toBe(2);
		expect((await listReleases('unit')).map((r) => r.version)).toEqual([3, 2, 1]);
	});

	it('is deterministic: same state, same bytes apart from the version; no changes against the parent', async () => {
		const first = await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		const second = await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		const strip = (v: string) =>
			fs.readFileSync(path.join(releases(), `${v}.jsonl`), 'utf8').replaceAll(/"version":\d+,/g, '"version":0,');
		expect(strip('v0002')).toBe(strip('v0001'));
		expect(second.changes).toEqual({
			documents: { added: 0, removed: 0, changed: 0, unchanged: 2 },
			records: { added: 0, removed: 0, changed: 0 },
			spans: { added: {}, removed: {}, relabelled: {} }
		});
		expect(second.sha256).not.toBe(first.sha256); // the version field differs
	});

	it('ifChanged: a release identical to the last one is refused (409, unchanged) and nothing is written; any change lets it through', async () => {
		await cutRelease('unit', { source: 'gold', createdBy: 'lead' });
		try {
			await cutRelease('unit', { source: 'gold', createdBy: 'lead', ifChanged: true });
			throw new Error('expected a 409');
		} catch (e) {
			expect(isDomainError(e) && e.status).toBe(409);
			expect((e as Error).message).toBe('nothing changed since v0001: a new release would hold the same records');
			expect(isDomainError(e) && e.details).toEqual({ unchanged: 'v0001' });
		}
		expect(fs.readdirSync(releases()).sort()).toEqual(['v0001.jsonl', 'v0001.manifest.json']);
		// another source is a change; so is a new gold span
		expect((await cutRelease('unit', { source: 'all', createdBy: 'lead', ifChanged: true })).name).toBe('v0002');
		await save('b', 'gold', [{ start: 19, end: 20, label: 'framing' }]);
		await cutRelease('unit', { source: 'gold', createdBy: 'lead', ifChanged: true });
		// without ifChanged an identical release is cut, as before
		expect((await cutRelease('unit', { source: 'gold', createdBy: 'lead' })).changes?.records).toEqual({ added: 0, removed: 0, changed: 0 });
	});

	it('never overwrites: an existing version file is a 409 and nothing changes', async () => {
		await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		fs.writeFileSync(path.join(releases(), 'v0002.jsonl'), 'precious\n');
		const before = fs.readdirSync(releases()).sort();
		const message = await expectStatus(cutRelease('unit', { source: 'all', createdBy: 'lead' }), 409);
		expect(message).toContain('v0002');
		expect(fs.readFileSync(path.join(releases(), 'v0002.jsonl'), 'utf8')).toBe('precious\n');
		expect(fs.readdirSync(releases()).sort()).toEqual(before);
		expect(before.some((f) => f.startsWith(TEMP_MARKER))).toBe(false);
		expect((await listReleases('unit')).map((r) => r.version)).toEqual([1]);
	});

	it('refuses an empty release and an unknown dataset', async () => {
		await saveSet('unit', docs[1], 'ann2', 'ann2', labels, { baseRevision: 1, spans: [], status: 'in_progress' });
		await saveSet('unit', docs[0], 'ann1', 'ann1', labels, { baseRevision: 1, spans: [], status: 'in_progress' });
		expect(await expectStatus(cutRelease('unit', { source: 'annotators', createdBy: 'lead' }), 409)).toContain('nothing to release');
		expect(fs.existsSync(releases())).toBe(false); // the refusal left no trace, not even the folder
		await expectStatus(cutRelease('nope', { source: 'gold', createdBy: 'lead' }), 404);
	});
});

describe('a cut interrupted between its files', () => {
	// Each state is what a kill -9 at one step of publish() leaves: made by cutting v0002
	// and taking its files back to that step (the pending manifest is the manifest as written).
	const file = (name: string) => path.join(releases(), name);
	async function interruptedSecondCut(): Promise<ReleaseManifest> {
		await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		await save('b', 'ann2', [{ start: 0, end: 2, label: 'claim' }]);
		const second = await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		fs.renameSync(file('v0002.manifest.json'), file('v0002.pending.json'));
		return second;
	}
	const names = () => fs.readdirSync(releases()).sort();

	it('killed between the JSONL and the manifest: finished at the next start, and the next cut is v0003', async () => {
		const second = await interruptedSecondCut();
		expect((await listReleases('unit')).map((r) => r.version)).toEqual([1]);
		expect(await recoverAllReleases()).toEqual([{ slug: 'unit', version: 2, outcome: 'finished' }]);
		expect(await listReleases('unit')).toEqual([second, expect.objectContaining({ version: 1 })]);
		expect(names()).toEqual(['v0001.jsonl', 'v0001.manifest.json', 'v0002.jsonl', 'v0002.manifest.json']);
		expect((await cutRelease('unit', { source: 'all', createdBy: 'lead' })).version).toBe(3);
	});

	it('killed before the JSONL was published: rolled back, by the next cut too, which is v0002 again', async () => {
		await interruptedSecondCut();
		fs.rmSync(file('v0002.jsonl'));
		const third = await cutRelease('unit', { source: 'all', createdBy: 'lead' }); // recovers first
		expect(third).toMatchObject({ version: 2, parent: 1 });
		expect(names()).toEqual(['v0001.jsonl', 'v0001.manifest.json', 'v0002.jsonl', 'v0002.manifest.json']);
		expect(sha256(fs.readFileSync(file('v0002.jsonl')))).toBe(third.sha256);
	});

	it('killed after the manifest: only the pending file goes', async () => {
		await interruptedSecondCut();
		fs.copyFileSync(file('v0002.pending.json'), file('v0002.manifest.json'));
		expect(await recoverReleases('unit')).toEqual([{ version: 2, outcome: 'cleaned up' }]);
		expect(names()).toEqual(['v0001.jsonl', 'v0001.manifest.json', 'v0002.jsonl', 'v0002.manifest.json']);
	});

	it('a JSONL that does not match its pending manifest is not ours: left alone, the cut is a 409', async () => {
		await interruptedSecondCut();
		fs.writeFileSync(file('v0002.jsonl'), 'precious\n');
		expect(await recoverReleases('unit')).toEqual([{ version: 2, outcome: 'rolled back' }]);
		expect(names()).toEqual(['v0001.jsonl', 'v0001.manifest.json', 'v0002.jsonl']);
		expect(await expectStatus(cutRelease('unit', { source: 'all', createdBy: 'lead' }), 409)).toContain('v0002');
		expect(fs.readFileSync(file('v0002.jsonl'), 'utf8')).toBe('precious\n');
	});
});

describe('compareReleases and formats', () => {
	it('counts a crafted change exactly', async () => {
		await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		// ann1/a: attribution kept, framing relabelled to claim, a date added
		await save('a', 'ann1', [
			{ start: 0, end: 7, label: 'attribution' },
			{ start: 34, end: 41, label: 'claim' },
			{ start: 76, end: 81, label: 'date' }
		]);
		// ann1/b now done: a new record; ann2/b back in progress: record removed
		await save('b', 'ann1', [{ start: 0, end: 8, label: 'attribution' }], 'done');
		await save('b', 'ann2', [{ start: 19, end: 20, label: 'framing' }], 'in_progress');
		const m2 = await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		const expected = {
			documents: { added: 0, removed: 0, changed: 2, unchanged: 0 },
			records: { added: 1, removed: 1, changed: 1 },
			spans: { added: { attribution: 1, date: 1 }, removed: { framing: 1 }, relabelled: { 'framing->claim': 1 } }
		};
		expect(m2.changes).toEqual(expected);
		const diff = await compareReleases('unit', 1, 2);
		expect(diff.summary).toEqual(expected);
		expect(diff.documents.map((d) => [d.doc_id, d.annotator, d.change])).toEqual([
			['a', 'ann1', 'changed'],
			['b', 'ann1', 'added'],
			['b', 'ann2', 'removed']
		]);
		expect(diff.documents[0].spans_relabelled).toEqual([{ start: 34, end: 41, from: 'framing', to: 'claim', text: '👨‍👩‍👧 𠀋' }]);
		const back = await compareReleases('unit', 2, 1, 1);
		expect(back.summary.records).toEqual({ added: 1, removed: 1, changed: 1 });
		expect(back.documents).toHaveLength(1);
		expect(back.truncated).toBe(true);
	});

	it('streams the stored file and conversions of it', async () => {
		const m = await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		const raw = await openRelease('unit', 1);
		const text = await new Response(raw.body).text();
		expect(raw.size).toBe(Buffer.byteLength(text));
		expect(sha256(text)).toBe(m.sha256);
		expect(raw.filename).toBe('unit-v0001.jsonl');
		const doccano = await openRelease('unit', 1, 'doccano');
		const rs = await records(path.join(releases(), 'v0001.jsonl'));
		expect(await new Response(doccano.body).text()).toBe(rs.map(toDoccano).join(''));
		const conll = await new Response((await openRelease('unit', 1, 'conll')).body).text();
		expect(conll.split('-DOCSTART-\tO\n').length - 1).toBe(3);
		await expectStatus(openRelease('unit', 9), 404);
	});
});

describe('tokenizer and what each format cannot represent', () => {
	const manifestFile = (v: string) => path.join(releases(), `${v}.manifest.json`);
	const editManifest = (v: string, edit: (m: Record<string, unknown>) => void) => {
		const m = JSON.parse(fs.readFileSync(manifestFile(v), 'utf8'));
		edit(m);
		fs.writeFileSync(manifestFile(v), JSON.stringify(m));
	};

	async function crafted() {
		// b: "Le maire a annoncé 😀 mardi une hausse." (code points)
		// nested: attribution «Le maire» [0,8) inside claim [0,38); crossing: framing «a annoncé 😀» [9,20)
		// against date «😀 mardi» [19,26); off a word boundary: framing «mai» [3,6)
		await save('b', 'ann2', [
			{ start: 0, end: 38, label: 'claim' },
			{ start: 0, end: 8, label: 'attribution' },
			{ start: 9, end: 20, label: 'framing' },
			{ start: 19, end: 26, label: 'date' },
			{ start: 3, end: 6, label: 'framing' }
		]);
		return cutRelease('unit', { source: 'all', createdBy: 'lead' });
	}

	it('the manifest records the word definition, ICU and Unicode of the runtime, and the counts per format', async () => {
		const m = await crafted();
		expect(m.tokenizer).toEqual({ definition: 'spanlab-words/2', icu: process.versions.icu, unicode: process.versions.unicode });
		// a/ann1: attribution, framing; a/gold: attribution; b/ann2: 5 spans of which 2 lost (date crosses framing, «mai»)
		expect(m.spans).toBe(8);
		expect(m.unrepresentable).toEqual({
			jsonl: 0,
			doccano: 0,
			prodigy: 0,
			conll: 2,
			conll_reasons: { crossing: 1, off_token_boundary: 1, no_token: 0, too_deep: 0 },
			conll_columns: 2
		});
	});

	it('the CoNLL download says how many spans it leaves out, from the manifest or counted again for old releases', async () => {
		await crafted();
		const conll = await openRelease('unit', 1, 'conll');
		expect(conll.unrepresentable).toBe(2);
		expect(conll.tokenizer).toEqual(currentTokenizer());
		const text = await new Response(conll.body).text();
		// every non-blank line has the token and 2 tag columns
		const widths = new Set(text.split('\n').filter((l) => l !== '').map((l) => l.split('\t').length));
		expect([...widths]).toEqual([3]);
		const begins = text.split('\n').flatMap((l) => l.split('\t').slice(1)).filter((t) => t.startsWith('B-')).length;
		expect(begins).toBe(8 - 2);
		expect((await openRelease('unit', 1, 'prodigy')).unrepresentable).toBe(0);
		expect((await openRelease('unit', 1)).unrepresentable).toBe(0);

		// a release cut before the counts existed (or by another ICU) is counted from its file
		editManifest('v0001', (m) => {
			delete m.unrepresentable;
			delete m.tokenizer;
		});
		const old = await openRelease('unit', 1, 'conll');
		expect(old.unrepresentable).toBe(2);
		expect(await new Response(old.body).text()).toBe(text);
		expect(old.releaseTokenizer).toBeNull(); // not recorded
		expect(conll.releaseTokenizer).toBeUndefined(); // the same runtime cut it
	});

	it('the diff says whether two releases cut words alike', async () => {
		await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		expect((await compareReleases('unit', 1, 2)).same_tokenizer).toBe(true);
		editManifest('v0001', (m) => {
			(m.tokenizer as { icu: string }).icu = '72.1';
		});
		const diff = await compareReleases('unit', 1, 2);
		expect(diff.same_tokenizer).toBe(false);
		expect(diff.a.tokenizer?.icu).toBe('72.1');
		expect(diff.b.tokenizer).toEqual(currentTokenizer());
		editManifest('v0001', (m) => {
			delete m.tokenizer;
		});
		expect((await compareReleases('unit', 1, 2)).same_tokenizer).toBeNull();
	});
});

describe('span attributes in releases', () => {
	it('records carry the stored values, keys sorted, {} for a span without any; the manifest has the attribute schema', async () => {
		// "mardi" in b: code points 21..26 (after the emoji)
		const doc = docs[1];
		const { revision } = await loadSet('unit', 'b', 'ann2');
		await saveSet('unit', doc, 'ann2', 'ann2', labels, {
			baseRevision: revision,
			spans: [{ start: 19, end: 20, label: 'framing' }, { start: 21, end: 26, label: 'date', attrs: { value: 'XXXX-XX-XX', type: 'DATE' } } as SpanInput],
			status: 'done'
		});
		const m = await cutRelease('unit', { source: 'all', createdBy: 'lead' });
		expect(m.labels.find((l) => l.name === 'date')!.attributes).toEqual([
			{ name: 'value', type: 'timex' },
			{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION', 'SET'] }
		]);
		const line = fs
			.readFileSync(path.join(releases(), 'v0001.jsonl'), 'utf8')
			.split('\n')
			.find((l) => l.includes('"annotator":"ann2"'))!;
		expect(line).toContain('"label":"framing","text":"😀","attrs":{}}');
		expect(line).toContain('"label":"date","text":"mardi","attrs":{"type":"DATE","value":"XXXX-XX-XX"}}');
		const [record] = (await records(path.join(releases(), 'v0001.jsonl'))).filter((r) => r.annotator === 'ann2');
		expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, record)).toEqual([]);
		expect(recordInvariantProblems(record)).toEqual([]);
	});
});
