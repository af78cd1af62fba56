/**
 * Span attributes over HTTP: the label set's attribute schema in GET/POST/PATCH
 * of a dataset, `spans[].attrs` in PUT/GET of annotations, every 400, the 409
 * body, and names from Object.prototype as attribute names and values.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiAs, seedDataset, uniqueSlug } from '../helpers/api';

const TEXT = 'La Résistance a annoncé samedi 4 mai 2024 une attaque. 😀 Le Hamas a répondu.';
const cp = (needle: string) => Array.from(TEXT.slice(0, TEXT.indexOf(needle))).length;
const SAMEDI = { start: cp('samedi'), end: cp('samedi') + 'samedi 4 mai 2024'.length, label: 'date' };
const HAMAS = { start: cp('Le Hamas'), end: cp('Le Hamas') + 'Le Hamas'.length, label: 'attribution' };

test('datasets show labels[].attributes; new ones give date its TIMEX3 value and type; PATCH takes attributes', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const lead = await apiAs('lead');
	const url = `/api/datasets/${slug}`;
	const { labels } = await (await lead.get(url)).json();
	expect(labels.find((l: { name: string }) => l.name === 'date').attributes).toEqual([
		{ name: 'value', type: 'timex' },
		{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION', 'SET'] }
	]);
	expect(labels.find((l: { name: string }) => l.name === 'claim').attributes).toEqual([]);

	const withSource = labels.map((l: { name: string }) =>
		l.name === 'attribution' ? { ...l, attributes: [{ name: 'kind', type: 'enum', options: ['person', 'organisation'], required: true }, { name: 'anonymous', type: 'boolean' }] } : l
	);
	const patched = await lead.patch(url, { data: { labels: withSource } });
	expect(patched.status(), await patched.text()).toBe(200);
	expect((await patched.json()).labels.find((l: { name: string }) => l.name === 'attribution').attributes).toEqual([
		{ name: 'kind', type: 'enum', options: ['person', 'organisation'], required: true },
		{ name: 'anonymous', type: 'boolean' }
	]);

	const bad = async (attributes: unknown) => {
		const res = await lead.patch(url, { data: { labels: labels.map((l: { name: string }) => (l.name === 'claim' ? { ...l, attributes } : l)) } });
		expect(res.status()).toBe(400);
		return (await res.json()).error as string;
	};
	expect(await bad([{ name: 'kind', type: 'enum' }])).toMatch(/enum needs options/);
	expect(await bad([{ name: 'a', type: 'text' }, { name: 'a', type: 'boolean' }])).toMatch(/"a" appears twice/);
	expect(await bad([{ name: 'Kind', type: 'text' }, { name: 'kind', type: 'text' }])).toMatch(/attribute "kind" looks like the existing attribute "Kind"/);
	expect(await bad([{ name: '__proto__', type: 'text' }])).toMatch(/reserved/);
	expect(await bad([{ name: 'n', type: 'number' }])).toMatch(/attribute type/);

	// POST takes them too
	const created = await lead.post('/api/datasets', {
		data: { slug: uniqueSlug('attrs'), title: 'x', labels: [{ name: 'date', key: '1', color: '#123456', attributes: [{ name: 'value', type: 'timex', required: true }] }] }
	});
	expect(created.status(), await created.text()).toBe(201);
	expect((await created.json()).labels[0].attributes).toEqual([{ name: 'value', type: 'timex', required: true }]);
	await lead.dispose();
});

test('PUT takes spans[].attrs: stored, returned, in revisions and the 409 body; every wrong value is a 400 naming span and attribute', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const lead = await apiAs('lead');
	const ds = await (await lead.get(`/api/datasets/${slug}`)).json();
	const labels = ds.labels.map((l: { name: string }) =>
		l.name === 'attribution' ? { ...l, attributes: [{ name: 'kind', type: 'enum', options: ['person', 'organisation'], required: true }, { name: 'constructor', type: 'text' }] } : l
	);
	expect((await lead.patch(`/api/datasets/${slug}`, { data: { labels } })).status()).toBe(200);
	await lead.dispose();

	const ann1 = await apiAs('ann1');
	const url = `/api/datasets/${slug}/documents/a/annotations/me`;
	const put = (data: unknown) => ann1.put(url, { data });
	const problem = async (spans: unknown[], status?: string) => {
		const res = await put({ baseRevision: 0, spans, ...(status ? { status } : {}) });
		expect(res.status(), await res.text()).toBe(400);
		return (await res.json()).error as string;
	};
	expect(await problem([{ ...SAMEDI, attrs: { value: '2024-05-32' } }])).toMatch(/^span 0: attribute "value": "2024-05-32" is not a TIMEX3 value/);
	expect(await problem([HAMAS, { ...SAMEDI, attrs: { type: 'DAY' } }])).toBe('span 1: attribute "type": "DAY" is not an option (options: DATE, TIME, DURATION, SET)');
	expect(await problem([{ ...SAMEDI, attrs: { weekday: 'samedi' } }])).toBe('span 0: label "date" has no attribute "weekday" (its attributes: value, type)');
	expect(await problem([{ ...SAMEDI, attrs: { value: 20240504 } }])).toBe('span 0: attribute "value": a TIMEX3 value is a string');
	expect(await problem([{ ...HAMAS, attrs: { kind: true } }])).toBe('span 0: attribute "kind": must be one of person, organisation, got boolean true');
	expect(await problem([{ ...SAMEDI, attrs: 'DATE' }])).toBe('span 0: attrs must be an object of attribute name → value');
	expect(await problem([{ ...SAMEDI, attrs: { value: '2024' } }, { ...SAMEDI, attrs: { value: '2025' } }])).toMatch(/^span 1: same start, end and label as span 0/);
	expect(await problem([HAMAS], 'done')).toBe('span 0: attribute "kind" is required before the document can be done');
	// __proto__ as an attribute name, sent as raw JSON: refused, and nothing is polluted
	const raw = await ann1.put(url, {
		headers: { 'content-type': 'application/json' },
		data: `{"baseRevision":0,"spans":[{"start":${SAMEDI.start},"end":${SAMEDI.end},"label":"date","attrs":{"__proto__":{"value":"2024"}}}]}`
	});
	expect(raw.status()).toBe(400);
	expect((await raw.json()).error).toMatch(/^span 0: attribute "__proto__" is reserved/);
	expect((await (await ann1.get(url)).json()).revision).toBe(0);

	// a valid save: values stored normalised (keys sorted, unset dropped), Object.prototype names are ordinary names
	const saved = await put({
		baseRevision: 0,
		spans: [
			{ ...SAMEDI, attrs: { value: '2024-05-04', type: 'DATE' } },
			{ ...HAMAS, attrs: { kind: 'organisation', constructor: 'toString' } },
			{ start: 0, end: 2, label: 'claim', attrs: {} }
		]
	});
	expect(saved.status(), await saved.text()).toBe(200);
	const got = await (await ann1.get(url)).json();
	expect(got.spans).toEqual([
		{ id: expect.any(String), start: 0, end: 2, label: 'claim', text: 'La' },
		{ id: expect.any(String), ...SAMEDI, text: 'samedi 4 mai 2024', attrs: { type: 'DATE', value: '2024-05-04' } },
		{ id: expect.any(String), ...HAMAS, text: 'Le Hamas', attrs: { constructor: 'toString', kind: 'organisation' } }
	]);
	// a value change alone: same ids, a new revision
	const changed = await put({ baseRevision: 1, spans: [...got.spans.slice(0, 2), { ...HAMAS, attrs: { kind: 'person', constructor: null } }], status: 'done' });
	expect(changed.status(), await changed.text()).toBe(200);
	const after = await (await ann1.get(url)).json();
	expect(after.revision).toBe(2);
	expect(after.spans.map((s: { id: string }) => s.id)).toEqual(got.spans.map((s: { id: string }) => s.id));
	expect(after.spans[2].attrs).toEqual({ kind: 'person' });
	const revisions = await (await ann1.get(`${url}/revisions`)).json();
	expect(revisions[1]).toMatchObject({ added: 0, removed: 0, relabelled: 0, reattributed: 1 });
	expect(revisions[0].spans[1].attrs).toEqual({ type: 'DATE', value: '2024-05-04' });
	// a stale base: the 409 body has the current values
	const stale = await put({ baseRevision: 1, spans: [] });
	expect(stale.status()).toBe(409);
	expect((await stale.json()).current.spans[2].attrs).toEqual({ kind: 'person' });
	await ann1.dispose();

	// the lead cannot take away an attribute that spans use
	const lead2 = await apiAs('lead');
	const without = labels.map((l: { name: string; attributes: unknown[] }) => (l.name === 'attribution' ? { ...l, attributes: [] } : l));
	const refused = await lead2.patch(`/api/datasets/${slug}`, { data: { labels: without } });
	expect(refused.status()).toBe(409);
	expect((await refused.json()).error).toMatch(/attribute "kind" of label "attribution": 1 span/);
	await lead2.dispose();
});

/** Standard library only: every span's text is text[start:end], and its attrs fit the manifest's attribute schema. */
const PYTHON_CHECK = `
import json, sys
manifest = json.load(open(sys.argv[2], encoding='utf-8'))
schema = {l['name']: {a['name']: a for a in l.get('attributes', [])} for l in manifest['labels']}
problems, values = [], []
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    for s in r['spans']:
        if r['text'][s['start']:s['end']] != s['text']: problems.append('text ' + s['id'])
        attrs = s['attrs']
        if list(attrs) != sorted(attrs): problems.append('unsorted ' + s['id'])
        for name, value in attrs.items():
            d = schema[s['label']].get(name)
            if d is None: problems.append('unknown %s.%s' % (s['label'], name)); continue
            ok = {'enum': lambda v: isinstance(v, str) and v in d.get('options', []), 'boolean': lambda v: isinstance(v, bool),
                  'text': lambda v: isinstance(v, str) and v != '', 'timex': lambda v: isinstance(v, str) and v != ''}[d['type']](value)
            if not ok: problems.append('bad %s.%s=%r' % (s['label'], name, value))
            values.append([s['text'], name, value])
print(json.dumps({'problems': problems, 'values': values}, ensure_ascii=False))
`;

test('a release carries the values; Python (standard library) checks them against the manifest’s attribute schema', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const ann1 = await apiAs('ann1');
	const saved = await ann1.put(`/api/datasets/${slug}/documents/a/annotations/me`, {
		data: { baseRevision: 0, status: 'done', spans: [{ ...SAMEDI, attrs: { value: '2024-05-04', type: 'DATE' } }, HAMAS] }
	});
	expect(saved.status(), await saved.text()).toBe(200);
	await ann1.dispose();
	const lead = await apiAs('lead');
	const cut = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'all' } });
	expect(cut.status(), await cut.text()).toBe(201);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-attrs-'));
	const jsonl = path.join(dir, 'v1.jsonl');
	const manifest = path.join(dir, 'v1.manifest.json');
	fs.writeFileSync(jsonl, await (await lead.get(`/api/datasets/${slug}/releases/1`)).body());
	fs.writeFileSync(manifest, await (await lead.get(`/api/datasets/${slug}/releases/1/manifest`)).body());
	await lead.dispose();
	const line = fs.readFileSync(jsonl, 'utf8');
	expect(line).toContain('"text":"samedi 4 mai 2024","attrs":{"type":"DATE","value":"2024-05-04"}}');
	expect(line).toContain('"text":"Le Hamas","attrs":{}}');
	const py = JSON.parse(execFileSync('python3', ['-c', PYTHON_CHECK, jsonl, manifest], { encoding: 'utf8' }));
	fs.rmSync(dir, { recursive: true, force: true });
	expect(py).toEqual({
		problems: [],
		values: [
			['samedi 4 mai 2024', 'type', 'DATE'],
			['samedi 4 mai 2024', 'value', '2024-05-04']
		]
	});
});
