/**
 * The formats with relations and attributes over HTTP, from a real release:
 * GET …/releases/{v}?format=brat|labelstudio|doccano-relations, checked by
 * Python (standard library only: brat offsets slice the .txt, Label Studio
 * offsets slice the UTF-16 text, relations point to existing ids), then
 * imported back into fresh datasets: the same spans, relations and attributes.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiAs, seedDataset, uniqueSlug } from '../helpers/api';

// an emoji before every span, a skin-toned one (two code points, four UTF-16 units), and a CRLF inside the attribution
const TEXT = '👍🏽 «Les frappes ont été menées»,\r\na déclaré le groupe 😀 samedi 4 mai 2024.';
const cp = (needle: string) => Array.from(TEXT.slice(0, TEXT.indexOf(needle))).length;
const span = (needle: string, label: string) => ({ start: cp(needle), end: cp(needle) + Array.from(needle).length, label });
const CLAIM = span('Les frappes ont été menées', 'claim');
const ATTRIBUTION = span('»,\r\na déclaré le groupe', 'attribution');
const DATE = { ...span('samedi 4 mai 2024', 'date'), attrs: { type: 'DATE', value: '2024-05-04' } };

/** Standard library only. argv: brat zip, Label Studio JSON. Prints what it found and every problem. */
const PYTHON_CHECK = String.raw`
import io, json, sys, zipfile
problems, found = [], {'brat': {'T': 0, 'R': 0, 'A': 0, 'notes': 0, 'texts': []}, 'ls': {'regions': 0, 'relations': 0, 'attributes': 0, 'texts': []}}
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
if 'annotation.conf' not in names: problems.append('no annotation.conf')
for name in sorted(names):
    if not name.endswith('.ann'): continue
    txt = name[:-4] + '.txt'
    if txt not in names: problems.append('no ' + txt); continue
    # brat offsets count code points of the file as it is: no newline translation
    text = io.TextIOWrapper(z.open(txt), encoding='utf-8', newline='').read()
    ids = set()
    lines = z.read(name).decode('utf-8').split('\n')
    for line in lines:
        if line.startswith('T'):
            tid, middle, shown = line.split('\t')
            kind, where = middle.split(' ', 1)
            pieces = [text[int(a):int(b)] for a, b in (f.split(' ') for f in where.split(';'))]
            if ' '.join(pieces) != shown: problems.append('%s %s: %r is not %r' % (name, tid, ' '.join(pieces), shown))
            if any('\n' in p or '\r' in p for p in pieces): problems.append('%s %s: a fragment crosses a line break' % (name, tid))
            ids.add(tid); found['brat']['T'] += 1; found['brat']['texts'].append(shown)
    for line in lines:
        if line.startswith('R'):
            rid, rest = line.split('\t')
            kind, a1, a2 = rest.split(' ')
            if a1[5:] not in ids or a2[5:] not in ids: problems.append('%s %s points nowhere' % (name, rid))
            found['brat']['R'] += 1
        elif line.startswith('A'):
            if line.split('\t')[1].split(' ')[1] not in ids: problems.append('%s: %s points nowhere' % (name, line))
            found['brat']['A'] += 1
        elif line.startswith('#'):
            if line.split('\t')[1].split(' ')[1] not in ids: problems.append('%s: %s points nowhere' % (name, line))
            found['brat']['notes'] += 1
for t, task in enumerate(json.load(open(sys.argv[2], encoding='utf-8'))):
    units = task['data']['text'].encode('utf-16-le')
    for annotation in task['annotations']:
        regions = set()
        for r in annotation['result']:
            if r['type'] == 'labels':
                v = r['value']
                covered = units[2 * v['start']:2 * v['end']].decode('utf-16-le')
                if covered != v['text']: problems.append('task %d %s: %r is not %r' % (t, r['id'], covered, v['text']))
                regions.add(r['id']); found['ls']['regions'] += 1; found['ls']['texts'].append(v['text'])
        for r in annotation['result']:
            if r['type'] == 'relation':
                if r['from_id'] not in regions or r['to_id'] not in regions: problems.append('task %d: relation points nowhere' % t)
                found['ls']['relations'] += 1
            elif r['type'] != 'labels':
                if r['id'] not in regions: problems.append('task %d: attribute of no region' % t)
                found['ls']['attributes'] += 1
print(json.dumps({'problems': problems, 'found': found}, ensure_ascii=False))
`;

test('brat and Label Studio exports of a real release pass the Python check and import back with the same spans, relations and attributes', async () => {
	const slug = await seedDataset({ documents: [{ id: 'frappes', text: TEXT }] });
	const ann1 = await apiAs('ann1');
	const saved = await ann1.put(`/api/datasets/${slug}/documents/frappes/annotations/me`, {
		data: { baseRevision: 0, status: 'done', spans: [CLAIM, ATTRIBUTION, DATE], relations: [{ from: 1, to: 0, label: 'source-of' }] }
	});
	expect(saved.status(), await saved.text()).toBe(200);
	await ann1.dispose();

	const lead = await apiAs('lead');
	const cut = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'annotators' } });
	expect(cut.status(), await cut.text()).toBe(201);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-interchange-'));
	const download = async (format: string, type: string) => {
		const res = await lead.get(`/api/datasets/${slug}/releases/1?format=${format}`);
		expect(res.status(), format).toBe(200);
		expect(res.headers()['content-type']).toBe(type);
		expect(res.headers()['x-spanlab-unrepresentable-spans']).toBe('0');
		return res.body();
	};
	const brat = await download('brat', 'application/zip');
	const ls = await download('labelstudio', 'application/json; charset=utf-8');
	const doccano = await download('doccano-relations', 'application/x-ndjson; charset=utf-8');
	fs.writeFileSync(path.join(dir, 'brat.zip'), brat);
	fs.writeFileSync(path.join(dir, 'ls.json'), ls);
	const py = JSON.parse(execFileSync('python3', ['-c', PYTHON_CHECK, path.join(dir, 'brat.zip'), path.join(dir, 'ls.json')], { encoding: 'utf8' }));
	fs.rmSync(dir, { recursive: true, force: true });
	expect(py).toEqual({
		problems: [],
		found: {
			// the attribution crosses the CRLF: two fragments, shown joined by a space
			brat: { T: 3, R: 1, A: 2, notes: 0, texts: ['Les frappes ont été menées', '», a déclaré le groupe', 'samedi 4 mai 2024'] },
			ls: { regions: 3, relations: 1, attributes: 2, texts: ['Les frappes ont été menées', '»,\r\na déclaré le groupe', 'samedi 4 mai 2024'] }
		}
	});
	const entities = JSON.parse(doccano.toString('utf8'));
	expect(entities.relations).toEqual([{ id: 1, from_id: 2, to_id: 1, type: 'source-of' }]);

	// each export imports back into a fresh dataset as the same pre-annotations
	for (const [filename, body, annotator] of [
		['release.brat.zip', brat, 'import~release.brat.zip-ann1-frappes.txt'],
		['release.labelstudio.json', ls, 'import~release.labelstudio.json'],
		['release.doccano-relations.jsonl', doccano, 'import~release.doccano-relations.jsonl']
	] as const) {
		const target = uniqueSlug('back');
		expect((await lead.post('/api/datasets', { data: { slug: target, title: target } })).status()).toBe(201);
		const imported = await lead.post(`/api/datasets/${target}/imports?filename=${encodeURIComponent(filename)}`, {
			headers: { 'content-type': 'application/octet-stream' },
			data: body
		});
		expect(imported.status(), await imported.text()).toBe(200);
		expect((await imported.json()).errors, filename).toEqual([]);
		const set = await (await lead.get(`/api/datasets/${target}/documents/frappes/annotations/${annotator}`)).json();
		expect(set.spans.map((s: { start: number; end: number; label: string; attrs?: object }) => ({ start: s.start, end: s.end, label: s.label, attrs: s.attrs ?? {} })), filename).toEqual([
			{ ...CLAIM, attrs: {} },
			{ ...ATTRIBUTION, attrs: {} },
			DATE
		]);
		const ids = set.spans.map((s: { id: string }) => s.id);
		expect(set.relations, filename).toEqual([{ id: expect.any(String), from: ids[1], to: ids[0], label: 'source-of' }]);
	}
	await lead.dispose();
});

test('unknown formats are a 400 naming the formats', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: 'x y' }] });
	const ann1 = await apiAs('ann1');
	expect((await ann1.put(`/api/datasets/${slug}/documents/a/annotations/me`, { data: { baseRevision: 0, status: 'done', spans: [{ start: 0, end: 1, label: 'claim' }] } })).status()).toBe(200);
	await ann1.dispose();
	const lead = await apiAs('lead');
	expect((await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'all' } })).status()).toBe(201);
	const res = await lead.get(`/api/datasets/${slug}/releases/1?format=brat2`);
	expect(res.status()).toBe(400);
	expect((await res.json()).error).toMatch(/format must be one of: jsonl, doccano, prodigy, conll, doccano-relations, brat, labelstudio/);
	await lead.dispose();
});

test('hostile imports over HTTP: a 400 naming the file, line or task, and nothing imported', async () => {
	const lead = await apiAs('lead');
	const slug = uniqueSlug('hostile');
	expect((await lead.post('/api/datasets', { data: { slug, title: slug } })).status()).toBe(201);
	const post = (filename: string, data: Buffer) =>
		lead.post(`/api/datasets/${slug}/imports?filename=${encodeURIComponent(filename)}`, { headers: { 'content-type': 'application/octet-stream' }, data });
	const refused = async (filename: string, data: string | Buffer) => {
		const res = await post(filename, Buffer.isBuffer(data) ? data : Buffer.from(data));
		expect(res.status(), filename).toBe(400);
		return (await res.json()).errors;
	};
	const task = (labels: string[], relation: Record<string, unknown>) => ({
		data: { text: 'ab cd' },
		annotations: [
			{
				result: [
					{ id: 'x', type: 'labels', value: { start: 0, end: 2, text: 'ab', labels } },
					{ id: 'y', type: 'labels', value: { start: 3, end: 5, text: 'cd', labels: ['claim'] } },
					{ type: 'relation', ...relation }
				]
			}
		]
	});
	expect(await refused('ls.json', JSON.stringify([task(['attribution'], { from_id: 'x', to_id: 'nope', labels: ['source-of'] })]))).toEqual([
		{ file: 'ls.json', message: 'task 1, result 3: the relation\'s to_id "nope" is not the id of a region of the task' }
	]);
	expect((await refused('proto.json', JSON.stringify([task(['__proto__'], { from_id: 'x', to_id: 'y' })])))[0].message).toMatch(/^task 1, result 1: label "__proto__" is reserved/);
	expect(await refused('deep.json', '['.repeat(50_000) + ']'.repeat(50_000))).toEqual([
		{ file: 'deep.json', message: 'nested more than 32 levels deep (objects and arrays inside each other): not a Label Studio export' }
	]);
	const doccano = (n: number) =>
		JSON.stringify({
			text: 'ab cd',
			entities: [{ id: 1, start_offset: 0, end_offset: 2, label: 'attribution' }, { id: 2, start_offset: 3, end_offset: 5, label: 'claim' }],
			relations: Array.from({ length: n }, (_, i) => ({ id: i, from_id: 1, to_id: 2, type: 'source-of' }))
		}) + '\n';
	expect(await refused('many.jsonl', doccano(25_000))).toEqual([{ file: 'many.jsonl', line: 1, message: 'too many relations: 25000 (limit 20000 per document)' }]);
	// 100,000 (5 MB) is past this test server's import size limit (2 MB) before any of it is parsed
	const huge = await post('huge.jsonl', Buffer.from(doccano(100_000)));
	expect(huge.status()).toBe(413);
	expect((await huge.json()).errors[0].message).toMatch(/larger than the size limit/);
	expect((await (await lead.get(`/api/datasets/${slug}/documents`)).json())).toEqual([]);
	await lead.dispose();
});
