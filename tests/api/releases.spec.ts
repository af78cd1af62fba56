/**
 * Releases against the real server: a lead cuts versioned JSONL releases of a dataset
 * full of hard text (ZWJ emoji, skin tones, CJK outside the BMP, combining marks, CRLF,
 * Arabic), Python reads them back, and every promise of the format is checked: offsets,
 * hashes, schema, determinism, immutability, diffs, other formats and access.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseURL, anonymous, apiAs, seedDataset } from '../helpers/api';
import { onPostgres, READS_DATA_FOLDER } from '../helpers/store';
import { RELEASE_RECORD_SCHEMA, recordInvariantProblems, type ReleaseManifest } from '../../src/lib/release/record';
import { checkJsonSchema } from '../../src/lib/release/test-helpers';

test.describe.configure({ mode: 'serial' });

const FAMILY = '👨‍👩‍👧‍👦'; // 7 code points: 4 people joined by 3 U+200D
const THUMB = '👍🏽'; // thumbs up + skin tone modifier: 2 code points
const TEXTS: Record<string, string> = {
	arabic: 'قال الرئيس إن الاقتصاد ينمو بسرعة.',
	cjk: '𠮷野家 opened 3 shops in 東京 on Monday.',
	combining: 'The cafe\u0301 owner says rents doubled.',
	crlf: 'Police said:\r\nthe road is closed.\r\nUntil Friday.',
	emoji: `Family ${FAMILY} and a ${THUMB} from the mayor, who said prices rose.`
};

type S = [label: string, needle: string];

/** Code point offsets of `needle` in `text`, the way a Python client would compute them. */
function at(text: string, needle: string): { start: number; end: number } {
	const i = text.indexOf(needle);
	if (i < 0) throw new Error(`"${needle}" not in text`);
	const start = Array.from(text.slice(0, i)).length;
	return { start, end: start + Array.from(needle).length };
}

const spansOf = (doc: string, spans: S[]) => spans.map(([label, needle]) => ({ ...at(TEXTS[doc], needle), label }));

async function save(ctx: APIRequestContext, slug: string, doc: string, who: string, spans: S[], status = 'done') {
	const url = `/api/datasets/${slug}/documents/${doc}/annotations/${who}`;
	const current = await (await ctx.get(url)).json();
	const res = await ctx.put(url, { data: { baseRevision: current.revision, spans: spansOf(doc, spans), status } });
	expect(res.status(), await res.text()).toBe(200);
}

const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-rel-test-'));

/** Downloads a release (or a format of it) to a file; returns its path and bytes. */
async function download(ctx: APIRequestContext, url: string, name: string) {
	const res = await ctx.get(url);
	expect(res.status(), url).toBe(200);
	const body = await res.body();
	const file = path.join(tmp, name);
	fs.writeFileSync(file, body);
	return { res, body, file, text: body.toString('utf8') };
}

/** Python 3, standard library only, reading the file the way docs/jsonl.md tells users to. */
const PYTHON_CHECK = String.raw`
import hashlib, json, sys
data = open(sys.argv[1], "rb").read()
assert not data.startswith(b"\xef\xbb\xbf"), "BOM"
assert data.endswith(b"\n"), "last line not terminated"
raw_lines = data.split(b"\n")[:-1]
out = []
for n, raw in enumerate(raw_lines):
    assert raw and not raw.endswith(b"\r"), f"line {n}: empty or CR"
    r = json.loads(raw.decode("utf-8"))
    text = r["text"]
    assert hashlib.sha256(text.encode()).hexdigest() == r["text_sha256"], f"line {n}: text_sha256"
    for s in r["spans"]:
        assert text[s["start"]:s["end"]] == s["text"], f"line {n}: {s!r} != {text[s['start']:s['end']]!r}"
    out.append([r["doc_id"], r["annotator"], [[s["label"], s["text"], s["end"] - s["start"]] for s in r["spans"]]])
print(json.dumps({"records": len(out), "spans": sum(len(r[2]) for r in out), "lines": out}))
`;

function python(file: string) {
	return JSON.parse(execFileSync('python3', ['-c', PYTHON_CHECK, file], { encoding: 'utf8' }));
}

let slug: string;
let lead: APIRequestContext;
const v: ReleaseManifest[] = [];

test.beforeAll(async () => {
	slug = await seedDataset({ documents: Object.entries(TEXTS).map(([id, text]) => ({ id, title: id, text })) });
	lead = await apiAs('lead');
	const ann1 = await apiAs('ann1');
	const ann2 = await apiAs('ann2');
	await save(ann1, slug, 'emoji', 'me', [['framing', FAMILY], ['framing', THUMB], ['claim', 'prices rose']]);
	await save(ann1, slug, 'cjk', 'me', [['attribution', '𠮷野家'], ['date', 'Monday']]);
	await save(ann1, slug, 'combining', 'me', [['attribution', 'The cafe\u0301 owner'], ['claim', 'rents doubled']]);
	await save(ann2, slug, 'emoji', 'me', [['claim', 'prices rose'], ['attribution', 'the mayor']]);
	await save(ann2, slug, 'crlf', 'me', [['attribution', 'Police'], ['claim', 'the road is closed.\r\nUntil Friday']]);
	await save(ann2, slug, 'arabic', 'me', [['attribution', 'الرئيس'], ['claim', 'الاقتصاد ينمو']]);
	await save(ann2, slug, 'cjk', 'me', [['attribution', '𠮷野家']], 'in_progress');
	await save(lead, slug, 'emoji', 'gold', [['framing', FAMILY], ['claim', 'prices rose'], ['attribution', 'the mayor']]);
	await save(lead, slug, 'arabic', 'gold', [['attribution', 'الرئيس']], 'in_progress');
	await ann1.dispose();
	await ann2.dispose();
});

test.afterAll(async () => {
	await lead?.dispose();
	fs.rmSync(tmp, { recursive: true, force: true });
});

test('a lead cuts a release; Python reads back every span exactly', async () => {
	expect(await (await lead.get(`/api/datasets/${slug}/releases`)).json()).toEqual([]);
	const res = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'all', note: 'first cut' } });
	expect(res.status(), await res.text()).toBe(201);
	const m: ReleaseManifest = await res.json();
	v.push(m);
	expect(m).toMatchObject({ version: 1, name: 'v0001', dataset: slug, source: 'all', note: 'first cut', created_by: 'lead' });
	expect(m).toMatchObject({ records: 8, spans: 17, parent: null, changes: null });
	expect(m.span_counts).toEqual({ attribution: 7, claim: 6, date: 1, framing: 3 });
	expect(m.labels.map((l) => l.name)).toEqual(['claim', 'attribution', 'framing', 'date']);
	expect(m.guidelines_sha256).toMatch(/^[0-9a-f]{64}$/);

	const { res: dl, body, file, text } = await download(lead, `/api/datasets/${slug}/releases/1`, 'v1.jsonl');
	expect(dl.headers()['content-type']).toContain('application/x-ndjson');
	expect(dl.headers()['content-disposition']).toBe(`attachment; filename="${slug}-v0001.jsonl"`);
	expect(sha256(body)).toBe(m.sha256);

	const py = python(file);
	expect(py.records).toBe(8);
	expect(py.spans).toBe(17);
	expect(py.lines.map((l: [string, string]) => `${l[0]}/${l[1]}`)).toEqual([
		'arabic/ann2',
		'arabic/gold',
		'cjk/ann1',
		'combining/ann1',
		'crlf/ann2',
		'emoji/ann1',
		'emoji/ann2',
		'emoji/gold'
	]);
	const emoji = py.lines.find((l: [string, string]) => l[0] === 'emoji' && l[1] === 'ann1')[2];
	expect(emoji).toEqual([
		['framing', FAMILY, 7],
		['framing', THUMB, 2],
		['claim', 'prices rose', 11]
	]);
	const crlf = py.lines.find((l: [string, string]) => l[0] === 'crlf')[2];
	expect(crlf[1]).toEqual(['claim', 'the road is closed.\r\nUntil Friday', 33]);
	const cafe = py.lines.find((l: [string, string]) => l[0] === 'combining')[2];
	expect(cafe[0]).toEqual(['attribution', 'The cafe\u0301 owner', 15]);

	for (const line of text.split('\n').slice(0, -1)) {
		const record = JSON.parse(line);
		expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, record)).toEqual([]);
		expect(recordInvariantProblems(record)).toEqual([]);
	}

	// the manifest routes, by number and by name
	expect(await (await lead.get(`/api/datasets/${slug}/releases/v0001/manifest`)).json()).toEqual(m);
	expect(await (await lead.get(`/api/datasets/${slug}/releases/1/manifest`)).json()).toEqual(m);
	expect((await lead.get(`/api/datasets/${slug}/releases/v0001`)).status()).toBe(200);
	expect((await lead.get(`/api/datasets/${slug}/releases/7`)).status()).toBe(404);
	expect((await lead.get(`/api/datasets/${slug}/releases/latest`)).status()).toBe(400);
	expect((await lead.get(`/api/datasets/${slug}/releases/1?format=xml`)).status()).toBe(400);
	expect((await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'everything' } })).status()).toBe(400);
});

test('releasing twice from one state gives the same bytes apart from the version', async () => {
	const res = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'all' } });
	expect(res.status(), await res.text()).toBe(201);
	const m: ReleaseManifest = await res.json();
	v.push(m);
	expect(m).toMatchObject({ version: 2, parent: 1, records: 8, spans: 17, note: '' });
	expect(m.changes).toEqual({
		documents: { added: 0, removed: 0, changed: 0, unchanged: 5 },
		records: { added: 0, removed: 0, changed: 0 },
		spans: { added: {}, removed: {}, relabelled: {} }
	});
	const one = (await download(lead, `/api/datasets/${slug}/releases/1`, 'a.jsonl')).text;
	const two = (await download(lead, `/api/datasets/${slug}/releases/2`, 'b.jsonl')).text;
	const unversioned = (s: string) => s.replaceAll(/^(\{"dataset":"[^"]*","version":)\d+,/gm, '$1#,');
	expect(two).not.toBe(one);
	expect(unversioned(two)).toBe(unversioned(one));
	expect(unversioned(one).match(/"version":#,/g)).toHaveLength(8);
	const list: ReleaseManifest[] = await (await lead.get(`/api/datasets/${slug}/releases`)).json();
	expect(list.map((r) => r.name)).toEqual(['v0002', 'v0001']);
});

test('an existing version file is never overwritten: 409 and nothing changes', async () => {
	test.skip(onPostgres(), READS_DATA_FOLDER);
	const dir = path.join(process.env.SPANLAB_E2E_DATA!, slug, 'releases');
	const squatter = path.join(dir, 'v0003.jsonl');
	fs.writeFileSync(squatter, 'not a release, but not ours to delete\n');
	const before = fs.readdirSync(dir).sort();
	const res = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'gold' } });
	expect(res.status()).toBe(409);
	expect((await res.json()).error).toContain('v0003');
	expect(fs.readFileSync(squatter, 'utf8')).toBe('not a release, but not ours to delete\n');
	expect(fs.readdirSync(dir).sort()).toEqual(before); // no manifest, no temp file left behind
	const list: ReleaseManifest[] = await (await lead.get(`/api/datasets/${slug}/releases`)).json();
	expect(list.map((r) => r.name)).toEqual(['v0002', 'v0001']);
	expect((await lead.get(`/api/datasets/${slug}/releases/3`)).status()).toBe(404);
	fs.rmSync(squatter);
});

test('the diff of a crafted change has exact counts, in the manifest and the diff route', async () => {
	const ann1 = await apiAs('ann1');
	const ann2 = await apiAs('ann2');
	// ann1/emoji: 👍🏽 framing → claim, "prices rose" removed, "the mayor" added
	await save(ann1, slug, 'emoji', 'me', [['framing', FAMILY], ['claim', THUMB], ['attribution', 'the mayor']]);
	// ann2/cjk now done (record added); ann2/crlf back in progress (record removed)
	await save(ann2, slug, 'cjk', 'me', [['attribution', '𠮷野家']], 'done');
	await save(ann2, slug, 'crlf', 'me', [['attribution', 'Police'], ['claim', 'the road is closed.\r\nUntil Friday']], 'in_progress');
	// gold on crlf (record added), and a new document with gold (document added)
	await save(lead, slug, 'crlf', 'gold', [['attribution', 'Police']]);
	TEXTS['zz-new'] = 'Breaking: 𠮷 news on 1 June.';
	const imported = await lead.post(`/api/datasets/${slug}/documents`, {
		headers: { 'content-type': 'application/x-ndjson' },
		data: JSON.stringify({ id: 'zz-new', title: 'new', text: TEXTS['zz-new'] }) + '\n'
	});
	expect(imported.status(), await imported.text()).toBe(200);
	await save(lead, slug, 'zz-new', 'gold', [['date', '1 June']]);
	await ann1.dispose();
	await ann2.dispose();

	const res = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'all', note: 'after review' } });
	expect(res.status(), await res.text()).toBe(201);
	const m: ReleaseManifest = await res.json();
	v.push(m);
	const expected = {
		documents: { added: 1, removed: 0, changed: 3, unchanged: 2 },
		records: { added: 3, removed: 1, changed: 1 },
		spans: {
			added: { attribution: 3, date: 1 },
			removed: { attribution: 1, claim: 2 },
			relabelled: { 'framing->claim': 1 }
		}
	};
	expect(m).toMatchObject({ version: 3, parent: 2, records: 10 });
	expect(m.changes).toEqual(expected);

	const diff = await (await lead.get(`/api/datasets/${slug}/releases/v0002/diff/v0003`)).json();
	expect(diff.summary).toEqual(expected);
	expect(diff.a).toMatchObject({ version: 2, name: 'v0002' });
	expect(diff.b).toMatchObject({ version: 3, name: 'v0003', note: 'after review' });
	expect(diff.truncated).toBe(false);
	expect(diff.documents.map((d: { doc_id: string; annotator: string; change: string }) => `${d.doc_id}/${d.annotator} ${d.change}`)).toEqual([
		'cjk/ann2 added',
		'crlf/ann2 removed',
		'crlf/gold added',
		'emoji/ann1 changed',
		'zz-new/gold added'
	]);
	const emoji = diff.documents[3];
	expect(emoji.spans_added).toEqual([{ ...at(TEXTS.emoji, 'the mayor'), label: 'attribution', text: 'the mayor' }]);
	expect(emoji.spans_removed).toEqual([{ ...at(TEXTS.emoji, 'prices rose'), label: 'claim', text: 'prices rose' }]);
	expect(emoji.spans_relabelled).toEqual([{ ...at(TEXTS.emoji, THUMB), from: 'framing', to: 'claim', text: THUMB }]);
	expect(emoji.fields_changed).toEqual(['revision', 'updated_at', 'spans']);

	// backwards, and with the list capped
	const back = await (await lead.get(`/api/datasets/${slug}/releases/3/diff/2?limit=2`)).json();
	expect(back.summary.records).toEqual({ added: 1, removed: 3, changed: 1 });
	expect(back.summary.spans.relabelled).toEqual({ 'claim->framing': 1 });
	expect(back.documents).toHaveLength(2);
	expect(back.truncated).toBe(true);
	// releases 1 and 2 hold the same content
	const same = await (await lead.get(`/api/datasets/${slug}/releases/1/diff/2`)).json();
	expect(same.summary).toEqual(v[1].changes);
	expect(same.documents).toEqual([]);
	expect((await lead.get(`/api/datasets/${slug}/releases/1/diff/9`)).status()).toBe(404);
});

test('doccano, Prodigy and CoNLL conversions of a worked example', async () => {
	const text = 'Reuters said 𠮷野家 rose 5% 👍🏽.\r\nOn 3 May.';
	const worked = await seedDataset({ documents: [{ id: 'w1', title: 'worked', text }] });
	const spans = [
		{ start: 0, end: 7, label: 'attribution' }, // Reuters
		{ start: 13, end: 24, label: 'claim' }, // 𠮷野家 rose 5%
		{ start: 25, end: 27, label: 'framing' }, // 👍🏽
		{ start: 33, end: 38, label: 'date' } // 3 May
	];
	const saved = await lead.put(`/api/datasets/${worked}/documents/w1/annotations/gold`, {
		data: { baseRevision: 0, spans, status: 'done' }
	});
	expect(saved.status(), await saved.text()).toBe(200);
	expect((await lead.post(`/api/datasets/${worked}/releases`, { data: { source: 'gold' } })).status()).toBe(201);
	const base = `/api/datasets/${worked}/releases/v0001`;

	const doccano = await download(lead, `${base}?format=doccano`, 'w.doccano.jsonl');
	expect(doccano.res.headers()['content-type']).toContain('application/x-ndjson');
	expect(doccano.res.headers()['content-disposition']).toBe(`attachment; filename="${worked}-v0001.doccano.jsonl"`);
	expect(doccano.text).toBe(
		JSON.stringify({ id: 'w1', text, label: [[0, 7, 'attribution'], [13, 24, 'claim'], [25, 27, 'framing'], [33, 38, 'date']] }) + '\n'
	);

	const prodigy = await download(lead, `${base}?format=prodigy`, 'w.prodigy.jsonl');
	expect(prodigy.text.endsWith('\n')).toBe(true);
	const task = JSON.parse(prodigy.text);
	expect(Object.keys(task)).toEqual(['text', 'spans', 'tokens', '_input_hash', '_task_hash', 'answer', '_annotator_id', 'meta']);
	expect(task.text).toBe(text);
	expect(task.spans).toEqual([
		{ start: 0, end: 7, label: 'attribution', token_start: 0, token_end: 0 },
		{ start: 13, end: 24, label: 'claim', token_start: 2, token_end: 6 },
		{ start: 25, end: 27, label: 'framing', token_start: 7, token_end: 7 },
		{ start: 33, end: 38, label: 'date', token_start: 10, token_end: 11 }
	]);
	// Han is cut by ICU (𠮷 is no dictionary word with 野家), the skin-toned emoji is one token
	expect(task.tokens.map((t: { text: string }) => t.text)).toEqual(
		['Reuters', 'said', '𠮷', '野家', 'rose', '5', '%', '👍🏽', '.', 'On', '3', 'May', '.']
	);
	expect(task.tokens[2]).toEqual({ text: '𠮷', start: 13, end: 14, id: 2, ws: false });
	expect(task.tokens[3]).toEqual({ text: '野家', start: 14, end: 16, id: 3, ws: true });
	expect(prodigy.res.headers()['x-spanlab-unrepresentable-spans']).toBe('0');
	expect(prodigy.res.headers()['x-spanlab-tokenizer']).toMatch(/^spanlab-words\/2; icu=[\d.]+; unicode=[\d.]+$/);
	expect(task).toMatchObject({ answer: 'accept', _annotator_id: `${worked}-gold`, meta: { doc_id: 'w1' } });
	// the hash recipe from docs/jsonl.md, in Python
	const fnv = String.raw`
import json, sys
def fnv1a32(b):
    h = 0x811C9DC5
    for x in b:
        h = ((h ^ x) * 0x01000193) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h
t = json.loads(open(sys.argv[1], encoding="utf-8").readline())
text = t["text"]
spans = "".join(f"{s}\t{e}\t{l}\n" for s, e, l in sorted((s["start"], s["end"], s["label"]) for s in t["spans"]))
print(json.dumps([fnv1a32(text.encode()), fnv1a32(text.encode() + b"\0" + spans.encode())]))
`;
	const [inputHash, taskHash] = JSON.parse(execFileSync('python3', ['-c', fnv, prodigy.file], { encoding: 'utf8' }));
	expect(task._input_hash).toBe(inputHash);
	expect(task._task_hash).toBe(taskHash);

	const conll = await download(lead, `${base}?format=conll`, 'w.conll');
	expect(conll.res.headers()['content-type']).toContain('text/plain');
	expect(conll.res.headers()['x-spanlab-unrepresentable-spans']).toBe('0');
	// two sentences (the line break ends one)
	expect(conll.text).toBe(
		'-DOCSTART-\tO\n\n' +
			'Reuters\tB-attribution\nsaid\tO\n𠮷\tB-claim\n野家\tI-claim\nrose\tI-claim\n5\tI-claim\n%\tI-claim\n' +
			'👍🏽\tB-framing\n.\tO\n\nOn\tO\n3\tB-date\nMay\tI-date\n.\tO\n\n'
	);

	// formats of the big release stream one unit per record
	const big = await download(lead, `/api/datasets/${slug}/releases/3?format=conll`, 'big.conll');
	expect(big.text.match(/^-DOCSTART-(\tO)+$/gm)).toHaveLength(10);
	const bigDoccano = await download(lead, `/api/datasets/${slug}/releases/3?format=doccano`, 'big.doccano.jsonl');
	expect(bigDoccano.text.split('\n').slice(0, -1).map((l) => Object.keys(JSON.parse(l)).join())).toEqual(
		new Array(10).fill('id,text,label')
	);
});

test('annotators get 403 on every release route and page; anonymous 401 / login', async () => {
	const routes: Array<[method: 'get' | 'post', url: string]> = [
		['get', `/api/datasets/${slug}/releases`],
		['post', `/api/datasets/${slug}/releases`],
		['get', `/api/datasets/${slug}/releases/1`],
		['get', `/api/datasets/${slug}/releases/v0001?format=doccano`],
		['get', `/api/datasets/${slug}/releases/1?format=prodigy`],
		['get', `/api/datasets/${slug}/releases/1?format=conll`],
		['get', `/api/datasets/${slug}/releases/1/manifest`],
		['get', `/api/datasets/${slug}/releases/1/diff/2`],
		['get', `/api/datasets/${slug}/releases/999/manifest`]
	];
	const ann1 = await apiAs('ann1');
	const anon = await anonymous();
	for (const [method, url] of routes) {
		const data = method === 'post' ? { data: { source: 'all' } } : {};
		const asAnnotator = await ann1[method](url, data);
		expect(asAnnotator.status(), `${method} ${url} as ann1`).toBe(403);
		expect(Object.keys(await asAnnotator.json())).toEqual(['error']);
		expect((await anon[method](url, data)).status(), `${method} ${url} anonymous`).toBe(401);
	}
	for (const page of [`/datasets/${slug}/releases`, `/datasets/${slug}/releases/diff?a=1&b=2`]) {
		expect((await ann1.get(page)).status(), `${page} as ann1`).toBe(403);
		const res = await anon.get(page, { maxRedirects: 0 });
		expect(res.status(), `${page} anonymous`).toBe(303);
		expect(res.headers().location).toContain('/login?next=');
	}
	// the page's form action refuses too
	const action = await ann1.post(`/datasets/${slug}/releases?/cut`, {
		form: { source: 'all' },
		headers: { origin: baseURL(), accept: 'text/html' } // as a browser posts it (with */* SvelteKit answers 200 + JSON)
	});
	expect(action.status()).toBe(403);
	const enhanced = await ann1.post(`/datasets/${slug}/releases?/cut`, { form: { source: 'all' }, headers: { origin: baseURL() } });
	expect(await enhanced.json()).toMatchObject({ type: 'failure', status: 403 });
	expect((await (await lead.get(`/api/datasets/${slug}/releases`)).json()).length).toBe(3);
	await ann1.dispose();
	await anon.dispose();
});
