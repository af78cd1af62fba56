/**
 * Relations over HTTP (issue #17): relation types in GET/PATCH of a dataset,
 * `relations` in PUT/GET of annotations with every 400 the issue lists (each
 * naming the item and changing nothing), a relation that survives a relabel,
 * the 409 body, hostile sizes and names, and a release checked by Python
 * (standard library only): every relation's ends are spans of its record,
 * text[start:end] holds, attributes fit the manifest's schema.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiAs, seedDataset } from '../helpers/api';

// « … » dit le groupe; emoji before the date so code points and UTF-16 differ
const TEXT = '«Les frappes ont été menées contre des cibles», a déclaré le groupe 😀 samedi 4 mai 2024.';
const cp = (needle: string) => Array.from(TEXT.slice(0, TEXT.indexOf(needle))).length;
const span = (needle: string, label: string, extra: Record<string, unknown> = {}) => ({ start: cp(needle), end: cp(needle) + Array.from(needle).length, label, ...extra });
const CLAIM = span('Les frappes ont été menées contre des cibles', 'claim');
const ATTRIBUTION = span('a déclaré le groupe', 'attribution');
const DATE = span('samedi 4 mai 2024', 'date', { attrs: { value: '2024-05-04', type: 'DATE' } });

test('relations: stored by span id, every 400 names the item and changes nothing, a relabel keeps the relation re-pointed, the 409 carries them', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const lead = await apiAs('lead');
	expect((await (await lead.get(`/api/datasets/${slug}`)).json()).relationTypes).toEqual([
		{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }
	]);
	// a second type, to have a pair that one type allows and the other does not
	const patched = await lead.patch(`/api/datasets/${slug}`, {
		data: { relationTypes: [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }, { name: 'cites', key: 'c', from: ['attribution', 'framing'], to: ['claim'] }] }
	});
	expect(patched.status(), await patched.text()).toBe(200);
	await lead.dispose();

	const ann1 = await apiAs('ann1');
	const url = `/api/datasets/${slug}/documents/a/annotations/me`;
	const saved = await ann1.put(url, { data: { baseRevision: 0, spans: [CLAIM, ATTRIBUTION, DATE], relations: [{ from: 1, to: 0, label: 'source-of' }] } });
	expect(saved.status(), await saved.text()).toBe(200);
	const got = await (await ann1.get(url)).json();
	const byLabel = (l: string) => got.spans.find((s: { label: string }) => s.label === l);
	expect(got.relations).toEqual([{ id: expect.stringMatching(/^r[0-9a-f]{16}$/), from: byLabel('attribution').id, to: byLabel('claim').id, label: 'source-of' }]);
	expect(got.dismissed).toEqual([]);

	const refused = async (body: Record<string, unknown>) => {
		const res = await ann1.put(url, { data: { baseRevision: 1, spans: [CLAIM, ATTRIBUTION, DATE], ...body } });
		expect(res.status()).toBe(400);
		return (await res.json()).error as string;
	};
	expect(await refused({ relations: [{ from: 1, to: 0, label: 'said-by' }] })).toBe('relation 0: unknown relation type "said-by" (known: source-of, cites)');
	expect(await refused({ relations: [{ from: 1, to: 3, label: 'source-of' }] })).toBe('relation 0: to 3 is out of range (the request has 3 spans: 0 to 2)');
	expect(await refused({ relations: [{ from: 1, to: 1, label: 'source-of' }] })).toBe('relation 0: a span cannot be related to itself (span 1)');
	expect(await refused({ relations: [{ from: 0, to: 1, label: 'source-of' }] })).toBe(
		'relation 0: "source-of" goes from attribution to claim, not from claim (span 0) to attribution (span 1)'
	);
	expect(await refused({ relations: [{ from: 1, to: 0, label: 'source-of' }, { from: byLabel('attribution').id, to: 0, label: 'source-of' }] })).toBe(
		'relation 1: the same relation as relation 0 (send each relation once)'
	);
	expect(await refused({ relations: [{ from: 'sdeadbeefdeadbeef', to: 0, label: 'source-of' }] })).toMatch(/^relation 0: from "sdeadbeefdeadbeef" is not the id of a span of this save/);
	expect(await refused({ relations: [{ from: 1, to: 0, label: '__proto__' }] })).toBe('relation 0: unknown relation type "__proto__" (known: source-of, cites)');
	expect(await refused({ relations: ['x'] })).toBe('relation 0: must be an object {from, to, label}');
	// attributes: not defined by the label, wrong option, invalid TIMEX3, required on done (the label set has no required one: see attributes.spec)
	expect(await refused({ spans: [CLAIM, ATTRIBUTION, { ...DATE, attrs: { weekday: 'samedi' } }] })).toBe(
		'span 2: label "date" has no attribute "weekday" (its attributes: value, type)'
	);
	expect(await refused({ spans: [CLAIM, ATTRIBUTION, { ...DATE, attrs: { type: 'WEEKDAY' } }] })).toBe(
		'span 2: attribute "type": "WEEKDAY" is not an option (options: DATE, TIME, DURATION, SET)'
	);
	expect(await refused({ spans: [CLAIM, ATTRIBUTION, { ...DATE, attrs: { value: '2024-13-01' } }] })).toMatch(/^span 2: attribute "value": "2024-13-01" is not a TIMEX3 value/);
	// deleting a span whose relation is still there: the relation is named, nothing is dropped
	expect(await refused({ spans: [CLAIM, DATE] })).toMatch(/^stored relation 0 \("source-of" r[0-9a-f]{16} from s[0-9a-f]{16} to s[0-9a-f]{16}\) joins a span this save removes/);
	expect((await (await ann1.get(url)).json()).revision).toBe(1);

	// a relabel of the attribution to framing: the client re-points the relation, with a type that allows it
	const framing = { ...ATTRIBUTION, label: 'framing' };
	const relabelled = await ann1.put(url, { data: { baseRevision: 1, spans: [CLAIM, framing, DATE], relations: [{ from: 1, to: 0, label: 'cites' }] } });
	expect(relabelled.status(), await relabelled.text()).toBe(200);
	const after = await (await ann1.get(url)).json();
	const framingSpan = after.spans.find((s: { label: string }) => s.label === 'framing');
	expect(after.relations).toEqual([expect.objectContaining({ from: framingSpan.id, to: byLabel('claim').id, label: 'cites' })]);
	// and back, by span ids of the new spans
	const back = await ann1.put(url, {
		data: { baseRevision: 2, spans: [CLAIM, ATTRIBUTION, DATE], relations: [{ from: byLabel('attribution').id, to: byLabel('claim').id, label: 'source-of' }] }
	});
	expect(back.status(), await back.text()).toBe(200);
	expect((await (await ann1.get(url)).json()).relations).toEqual(got.relations);

	// revisions keep them; the 409 body carries them
	const revisions = await (await ann1.get(`${url}/revisions`)).json();
	expect(revisions.map((r: { relations?: unknown[] }) => r.relations?.length ?? 0)).toEqual([1, 1, 1]);
	const stale = await ann1.put(url, { data: { baseRevision: 0, spans: [] } });
	expect(stale.status()).toBe(409);
	expect((await stale.json()).current.relations).toEqual(got.relations);
	await ann1.dispose();
});

test('a relation survives a label rename of its ends; a relation type rename follows into the sets', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const ann1 = await apiAs('ann1');
	const url = `/api/datasets/${slug}/documents/a/annotations/me`;
	expect((await ann1.put(url, { data: { baseRevision: 0, spans: [CLAIM, ATTRIBUTION], relations: [{ from: 1, to: 0, label: 'source-of' }] } })).status()).toBe(200);
	const lead = await apiAs('lead');
	const { labels } = await (await lead.get(`/api/datasets/${slug}`)).json();
	const renamed = labels.map((l: { name: string }) => (l.name === 'attribution' ? { ...l, name: 'source' } : l));
	const res = await lead.patch(`/api/datasets/${slug}`, { data: { labels: renamed, renames: { attribution: 'source' } } });
	expect(res.status(), await res.text()).toBe(200);
	expect((await res.json()).relationTypes).toEqual([{ name: 'source-of', key: 's', from: ['source'], to: ['claim'] }]);
	const set = await (await ann1.get(url)).json();
	const source = set.spans.find((s: { label: string }) => s.label === 'source');
	expect(set.relations).toEqual([expect.objectContaining({ from: source.id, label: 'source-of' })]);
	const retyped = await lead.patch(`/api/datasets/${slug}`, {
		data: { relationTypes: [{ name: 'attributed-by', key: 's', from: ['source'], to: ['claim'] }], relationTypeRenames: { 'source-of': 'attributed-by' } }
	});
	expect(retyped.status(), await retyped.text()).toBe(200);
	expect((await retyped.json()).rewritten).toEqual({ sets: 1, renamed: 0, removed: 0, relationsRetyped: 1 });
	expect((await (await ann1.get(url)).json()).relations.map((r: { label: string }) => r.label)).toEqual(['attributed-by']);
	// removing the type in use asks for force
	const removal = await lead.patch(`/api/datasets/${slug}`, { data: { relationTypes: [] } });
	expect(removal.status()).toBe(409);
	expect(await removal.json()).toMatchObject({ relationsInUse: { 'attributed-by': 1 } });
	// constructor is a name like any other; __proto__ is not one
	const named = await lead.patch(`/api/datasets/${slug}`, {
		data: { relationTypes: [{ name: 'attributed-by', key: 's', from: ['source'], to: ['claim'] }, { name: 'constructor', key: 'o', from: ['claim'], to: ['claim'] }] }
	});
	expect(named.status(), await named.text()).toBe(200);
	const proto = await lead.patch(`/api/datasets/${slug}`, { data: { relationTypes: [{ name: '__proto__', key: 'o', from: ['claim'], to: ['claim'] }] } });
	expect(proto.status()).toBe(400);
	expect((await proto.json()).error).toMatch(/reserved/);
	const clash = await lead.patch(`/api/datasets/${slug}`, { data: { relationTypes: [{ name: 'x', key: '1', from: ['claim'], to: ['claim'] }] } });
	expect((await clash.json()).error).toBe('relation type "x": key "1" is the key of label "claim"');
	await lead.dispose();
	await ann1.dispose();
});

test('100,000 relations in one save are refused at once by a clear limit; 20,000 are checked in linear time', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const ann1 = await apiAs('ann1');
	const url = `/api/datasets/${slug}/documents/a/annotations/me`;
	const many = Array.from({ length: 100_000 }, () => ({ from: 1, to: 0, label: 'source-of' }));
	let t = performance.now();
	const res = await ann1.put(url, { data: { baseRevision: 0, spans: [CLAIM, ATTRIBUTION], relations: many } });
	const hugeMs = performance.now() - t;
	expect(res.status()).toBe(400);
	expect((await res.json()).error).toBe('relations: too many relations (limit 20000)');
	expect(hugeMs).toBeLessThan(10_000); // refused before any per-relation work (loose: a busy machine is not a failure)
	// 20,000 (the limit) duplicates: every one checked, the answer names the first ones
	t = performance.now();
	const dup = await ann1.put(url, { data: { baseRevision: 0, spans: [CLAIM, ATTRIBUTION], relations: many.slice(0, 20_000) } });
	expect(dup.status()).toBe(400);
	expect((await dup.json()).error).toMatch(/^relation 1: the same relation as relation 0/);
	expect(performance.now() - t).toBeLessThan(10_000);
	expect((await (await ann1.get(url)).json()).revision).toBe(0);
	await ann1.dispose();
});

/** Standard library only: relations join spans of their record, text[start:end] holds, attrs fit the manifest's schema, order and ids as documented. */
const PYTHON_CHECK = `
import json, sys
manifest = json.load(open(sys.argv[2], encoding='utf-8'))
schema = {l['name']: {a['name']: a for a in l.get('attributes', [])} for l in manifest['labels']}
types = {t['name']: t for t in manifest['relation_types']}
def fnv(key):
    h = 0xcbf29ce484222325
    for b in key.encode('utf-8'):
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return '%016x' % h
problems, links, counts = [], [], {}
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    spans = {s['id']: (i, s) for i, s in enumerate(r['spans'])}
    for s in r['spans']:
        if r['text'][s['start']:s['end']] != s['text']: problems.append('text ' + s['id'])
        if s['id'] != 's' + fnv('%d:%d:%s' % (s['start'], s['end'], s['label'])): problems.append('span id ' + s['id'])
        for name, value in s['attrs'].items():
            d = schema[s['label']].get(name)
            if d is None: problems.append('unknown %s.%s' % (s['label'], name)); continue
            ok = {'enum': lambda v: isinstance(v, str) and v in d.get('options', []), 'boolean': lambda v: isinstance(v, bool),
                  'text': lambda v: isinstance(v, str) and v != '', 'timex': lambda v: isinstance(v, str) and v != ''}[d['type']](value)
            if not ok: problems.append('bad %s.%s=%r' % (s['label'], name, value))
    order = []
    for rel in r['relations']:
        if rel['from'] not in spans or rel['to'] not in spans: problems.append('dangling ' + rel['id']); continue
        (fi, f), (ti, t) = spans[rel['from']], spans[rel['to']]
        if rel['id'] != 'r' + fnv('%s>%s:%s' % (rel['from'], rel['to'], rel['label'])): problems.append('relation id ' + rel['id'])
        ty = types.get(rel['label'])
        if ty is None or f['label'] not in ty['from'] or t['label'] not in ty['to']: problems.append('type ' + rel['id'])
        order.append((fi, ti, rel['label']))
        counts[rel['label']] = counts.get(rel['label'], 0) + 1
        links.append([r['annotator'], rel['label'], f['text'], t['text']])
    if order != sorted(order): problems.append('unsorted relations in ' + r['doc_id'])
if counts != manifest['relation_counts'] or sum(counts.values()) != manifest['relations']: problems.append('manifest counts %r' % counts)
print(json.dumps({'problems': problems, 'links': links}, ensure_ascii=False))
`;

test('a release carries relations and sources; Python (standard library) checks ends, texts, ids, order, attributes and the manifest counts', async () => {
	const slug = await seedDataset({ documents: [{ id: 'a', text: TEXT }] });
	const ann1 = await apiAs('ann1');
	const saved = await ann1.put(`/api/datasets/${slug}/documents/a/annotations/me`, {
		data: {
			baseRevision: 0,
			status: 'done',
			spans: [CLAIM, ATTRIBUTION, { ...DATE, source: 'dates' }],
			relations: [{ from: 1, to: 0, label: 'source-of' }],
			dismissed: [{ start: cp('2024'), end: cp('2024') + 4, label: 'date', source: 'lexicon' }]
		}
	});
	expect(saved.status(), await saved.text()).toBe(200);
	await ann1.dispose();
	const lead = await apiAs('lead');
	const cut = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'all' } });
	expect(cut.status(), await cut.text()).toBe(201);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlab-relations-'));
	const jsonl = path.join(dir, 'v1.jsonl');
	const manifestFile = path.join(dir, 'v1.manifest.json');
	fs.writeFileSync(jsonl, await (await lead.get(`/api/datasets/${slug}/releases/1`)).body());
	fs.writeFileSync(manifestFile, await (await lead.get(`/api/datasets/${slug}/releases/1/manifest`)).body());
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
	expect(manifest).toMatchObject({ relations: 1, relation_counts: { 'source-of': 1 }, relation_types: [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }] });
	const line = fs.readFileSync(jsonl, 'utf8');
	expect(line).toContain('"text":"samedi 4 mai 2024","attrs":{"type":"DATE","value":"2024-05-04"},"source":"dates"}');
	expect(line).not.toContain('dismissed'); // an annotator's rejected suggestions are not data
	const py = JSON.parse(execFileSync('python3', ['-c', PYTHON_CHECK, jsonl, manifestFile], { encoding: 'utf8' }));
	expect(py).toEqual({ problems: [], links: [['ann1', 'source-of', 'a déclaré le groupe', 'Les frappes ont été menées contre des cibles']] });
	// the Python check is not vacuous: a record whose relation points nowhere is reported
	fs.writeFileSync(jsonl, line.replace(/"to":"s[0-9a-f]{16}"/, '"to":"s0000000000000000"'));
	expect(JSON.parse(execFileSync('python3', ['-c', PYTHON_CHECK, jsonl, manifestFile], { encoding: 'utf8' })).problems[0]).toMatch(/^dangling r/);

	// the next release after a relation went: the diff says so
	const ann1b = await apiAs('ann1');
	const url = `/api/datasets/${slug}/documents/a/annotations/me`;
	const current = await (await ann1b.get(url)).json();
	expect((await ann1b.put(url, { data: { baseRevision: current.revision, relations: [] } })).status()).toBe(200);
	await ann1b.dispose();
	const second = await lead.post(`/api/datasets/${slug}/releases`, { data: { source: 'all' } });
	expect(second.status(), await second.text()).toBe(201);
	expect((await second.json()).changes.relations).toEqual({ added: {}, removed: { 'source-of': 1 } });
	const diff = await (await lead.get(`/api/datasets/${slug}/releases/1/diff/2`)).json();
	expect(diff.documents[0].relations_removed).toEqual([
		{ label: 'source-of', from: expect.objectContaining({ text: 'a déclaré le groupe' }), to: expect.objectContaining({ text: 'Les frappes ont été menées contre des cibles' }) }
	]);
	await lead.dispose();
	fs.rmSync(dir, { recursive: true, force: true });
});
