/**
 * Imports against the real server (SPANLAB_MAX_IMPORT_BYTES = 2 MiB, see
 * playwright.config.ts): NDJSON through POST …/documents, other formats through
 * POST …/imports (raw body or multipart). All or nothing, duplicates counted,
 * size limit, unknown labels, zip path tricks, and titles that look like HTML.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { zipSync, strToU8 } from 'fflate';
import { baseURL, apiAs, uniqueSlug } from '../helpers/api';

const LIMIT = 2 * 1024 * 1024;
const ndjson = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

let lead: APIRequestContext;

test.beforeAll(async () => {
	lead = await apiAs('lead');
});

test.afterAll(async () => {
	await lead.dispose();
});

async function newDataset(labels?: Array<{ name: string; key: string; color: string; description?: string }>): Promise<string> {
	const slug = uniqueSlug('imp');
	const res = await lead.post('/api/datasets', { data: { slug, title: slug, ...(labels ? { labels } : {}) } });
	expect(res.status(), await res.text()).toBe(201);
	return slug;
}

const postNdjson = (slug: string, body: string, query = '') =>
	lead.post(`/api/datasets/${slug}/documents${query}`, { headers: { 'content-type': 'application/x-ndjson' }, data: body });

const postRaw = (slug: string, filename: string, body: Buffer | Uint8Array | string) =>
	lead.post(`/api/datasets/${slug}/imports?filename=${encodeURIComponent(filename)}`, {
		headers: { 'content-type': 'application/octet-stream' },
		data: Buffer.from(body as Uint8Array)
	});

async function documentIds(slug: string): Promise<string[]> {
	const res = await lead.get(`/api/datasets/${slug}/documents`);
	expect(res.status()).toBe(200);
	return (await res.json()).map((d: { id: string }) => d.id);
}

test('NDJSON: documents are imported with stable ids, titles and meta', async () => {
	const slug = await newDataset();
	const res = await postNdjson(
		slug,
		ndjson(
			{ id: 'n-1', title: 'First', text: 'Le maire a annoncé une hausse.', meta: { source: 'AFP' } },
			{ text: 'Deuxième article, sans titre.\nSuite.' }
		)
	);
	expect(res.status(), await res.text()).toBe(200);
	expect(await res.json()).toEqual({
		imported: 2,
		duplicates: 0,
		errors: [],
		labelsAdded: [],
		unknownLabels: [],
		preAnnotations: [],
		assignment: { mode: 'everyone' } // issue #15 item 14: whose queues the new documents went to
	});
	const ids = await documentIds(slug);
	expect(ids[0]).toBe('n-1');
	expect(ids[1]).toMatch(/^d[0-9a-f]{16}$/);
	const second = await (await lead.get(`/api/datasets/${slug}/documents/${ids[1]}`)).json();
	expect(second.title).toBe('Deuxième article, sans titre.');
	const first = await (await lead.get(`/api/datasets/${slug}/documents/n-1`)).json();
	expect(first.meta).toEqual({ source: 'AFP' });
});

test('one bad line in the middle: nothing is imported and the line is named', async () => {
	const slug = await newDataset();
	expect((await postNdjson(slug, ndjson({ id: 'before', text: 'Already here.' }))).status()).toBe(200);
	const lines = [
		JSON.stringify({ id: 'a1', text: 'One.' }),
		JSON.stringify({ id: 'a2', text: 'Two.' }),
		'{"id": "a3", "text": "Three.",', // truncated
		JSON.stringify({ id: 'a4', text: '' }),
		JSON.stringify({ id: 'a5', text: 'Five.' })
	];
	const res = await postNdjson(slug, lines.join('\n') + '\n');
	expect(res.status()).toBe(400);
	const body = await res.json();
	expect(body).toMatchObject({ imported: 0, duplicates: 0, error: 'nothing was imported: 2 problems found' });
	expect(body.errors).toEqual([
		{ file: 'documents.jsonl', line: 3, message: expect.stringMatching(/^invalid JSON/) },
		{ file: 'documents.jsonl', line: 4, message: '"text" must be a non-empty string' }
	]);
	expect(await documentIds(slug)).toEqual(['before']);
});

test('re-importing skips and counts the texts already there', async () => {
	const slug = await newDataset();
	const docs = [{ id: 'x', text: 'Texte un.' }, { text: 'Texte deux.' }];
	expect(await (await postNdjson(slug, ndjson(...docs))).json()).toMatchObject({ imported: 2, duplicates: 0 });
	const again = await postNdjson(slug, ndjson(...docs, { text: 'Texte trois.' }));
	expect(again.status()).toBe(200);
	expect(await again.json()).toMatchObject({ imported: 1, duplicates: 2, errors: [] });
	expect(await documentIds(slug)).toHaveLength(3);
});

test('over the size limit: 413 and nothing changed', async () => {
	const slug = await newDataset();
	expect((await postNdjson(slug, ndjson({ id: 'keep', text: 'Kept.' }))).status()).toBe(200);
	const filler = 'x'.repeat(1000);
	const records = Array.from({ length: Math.ceil(LIMIT / 1000) + 50 }, (_, i) => ({ id: `big-${i}`, text: `${i} ${filler}` }));
	const big = ndjson(...records);
	expect(Buffer.byteLength(big)).toBeGreaterThan(LIMIT);

	// declared length: refused before reading
	const declared = await postNdjson(slug, big);
	expect(declared.status()).toBe(413);
	expect((await declared.json()).errors[0].message).toMatch(/larger than the size limit of 2 MB/);

	// streamed without a length: refused while reading (parsing stops at the limit; the rest is drained unread)
	const encoder = new TextEncoder();
	let sent = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (sent >= records.length) return controller.close();
			controller.enqueue(encoder.encode(JSON.stringify(records[sent++]) + '\n'));
		}
	});
	const cookies = (await lead.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
	const streamed = await fetch(`${baseURL()}/api/datasets/${slug}/documents`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-ndjson', cookie: cookies, origin: baseURL() },
		body: stream,
		duplex: 'half'
	} as RequestInit);
	expect(streamed.status).toBe(413);
	expect((await streamed.json()).errors).toEqual([
		{ file: 'documents.jsonl', message: expect.stringMatching(/^the import is larger than the size limit/) }
	]);

	expect(await documentIds(slug)).toEqual(['keep']);
});

test('unknown labels are refused with counts, then imported with labelMap', async () => {
	const slug = await newDataset();
	const body = ndjson(
		{ id: 'u1', text: 'Marie Curie est née à Varsovie.', label: [[0, 11, 'PER'], [22, 30, 'LOC']] },
		{ id: 'u2', text: 'Pierre Curie aussi.', label: [[0, 12, 'PER']] }
	);
	const refused = await postNdjson(slug, body);
	expect(refused.status()).toBe(400);
	const r = await refused.json();
	expect(r.unknownLabels).toEqual([
		{ label: 'LOC', count: 1 },
		{ label: 'PER', count: 2 }
	]);
	expect(r.errors.map((e: { message: string }) => e.message)).toEqual([
		expect.stringMatching(/^unknown label "LOC" \(1 span\)/),
		expect.stringMatching(/^unknown label "PER" \(2 spans\)/)
	]);
	expect(await documentIds(slug)).toEqual([]);

	const mapped = await postNdjson(slug, body, `?labelMap=${encodeURIComponent('PER:attribution,LOC:claim')}`);
	expect(mapped.status(), await mapped.text()).toBe(200);
	expect(await mapped.json()).toMatchObject({
		imported: 2,
		preAnnotations: [{ source: 'import:documents.jsonl', annotator: 'import~documents.jsonl', documents: 2, spans: 3 }]
	});
	const set = await (await lead.get(`/api/datasets/${slug}/documents/u1/annotations/import~documents.jsonl`)).json();
	expect(set).toMatchObject({ revision: 1, status: 'done' });
	expect(set.spans.map((s: { label: string; text: string }) => [s.label, s.text])).toEqual([
		['attribution', 'Marie Curie'],
		['claim', 'Varsovie']
	]);

	// addLabels: new labels with generated keys and colours
	const slug2 = await newDataset();
	const added = await postNdjson(slug2, body, '?addLabels=1');
	expect(await added.json()).toMatchObject({ imported: 2, labelsAdded: ['LOC', 'PER'] });
	const { labels } = await (await lead.get(`/api/datasets/${slug2}`)).json();
	expect(labels.slice(4).map((l: { name: string; key: string }) => [l.name, l.key])).toEqual([
		['LOC', '5'],
		['PER', '6']
	]);
});

test('annotators cannot read imported pre-annotations', async () => {
	const slug = await newDataset();
	const res = await postNdjson(slug, ndjson({ id: 'p', text: 'Le maire parle.', spans: [{ start: 3, end: 8, label: 'attribution' }] }));
	expect(res.status()).toBe(200);
	expect((await lead.put(`/api/datasets/${slug}/members/ann1`, { data: { role: 'annotator' } })).status()).toBe(200);
	const ann = await apiAs('ann1');
	expect((await ann.get(`/api/datasets/${slug}/documents/p/annotations/import~documents.jsonl`)).status()).toBe(403);
	// nor write them, nor may a lead
	const write = { data: { baseRevision: 1, spans: [] } };
	expect((await ann.put(`/api/datasets/${slug}/documents/p/annotations/import~documents.jsonl`, write)).status()).toBe(403);
	expect((await lead.put(`/api/datasets/${slug}/documents/p/annotations/import~documents.jsonl`, write)).status()).toBe(403);
	await ann.dispose();
});

test('a .zip and an .html file through the raw upload route', async () => {
	const slug = await newDataset();
	const zip = zipSync({
		'corpus/one.txt': strToU8('Premier article.\nAvec deux lignes.'),
		'corpus/more.jsonl': strToU8(ndjson({ id: 'z-1', text: 'Dans le zip.', spans: [{ start: 8, end: 12, label: 'claim' }] })),
		'corpus/page.html': strToU8('<html><head><title>Page du zip</title></head><body><article><p>Texte de la page.</p></article></body></html>'),
		'__MACOSX/._one.txt': strToU8('junk')
	});
	const res = await postRaw(slug, 'batch.zip', zip);
	expect(res.status(), await res.text()).toBe(200);
	const summary = await res.json();
	expect(summary).toMatchObject({ imported: 3, duplicates: 0, errors: [] });
	expect(summary.preAnnotations).toEqual([
		{ source: 'import:batch.zip/corpus/more.jsonl', annotator: 'import~batch.zip-corpus-more.jsonl', documents: 1, spans: 1 }
	]);
	const set = await (await lead.get(`/api/datasets/${slug}/documents/z-1/annotations/import~batch.zip-corpus-more.jsonl`)).json();
	expect(set.spans.map((s: { text: string }) => s.text)).toEqual(['zip.']);

	const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Inondations à Lyon</title></head>
<body><nav>Menu</nav><article><h1>Inondations à Lyon</h1><p>La Saône a débordé mardi soir.</p>
<p>Les pompiers sont intervenus dans trois quartiers.</p></article><footer>© Journal</footer></body></html>`;
	const page = await postRaw(slug, 'article.html', html);
	expect(page.status(), await page.text()).toBe(200);
	expect(await page.json()).toMatchObject({ imported: 1 });
	const ids = await documentIds(slug);
	expect(ids).toHaveLength(4);
	const doc = await (await lead.get(`/api/datasets/${slug}/documents/${ids[3]}`)).json();
	expect(doc.title).toBe('Inondations à Lyon');
	expect(doc.text).toContain('La Saône a débordé mardi soir.');
	expect(doc.text).not.toContain('Menu');

	// the same archive again: all duplicates
	expect(await (await postRaw(slug, 'batch.zip', zip)).json()).toMatchObject({ imported: 0, duplicates: 3 });
});

test('path tricks: zip entries are refused by name, uploaded file names are only names', async () => {
	const slug = await newDataset();
	const zip = zipSync({
		'ok.txt': strToU8('Un texte correct.'),
		'../escape.txt': strToU8('Hors du dossier.'),
		'/etc/abs.txt': strToU8('Chemin absolu.'),
		'a/../../up.txt': strToU8('Remonte.')
	});
	const res = await postRaw(slug, 'tricks.zip', zip);
	expect(res.status()).toBe(400);
	const { errors } = await res.json();
	expect(errors).toEqual(
		expect.arrayContaining([
			{ file: 'tricks.zip/../escape.txt', message: 'paths with ".." are not allowed in the archive' },
			{ file: 'tricks.zip//etc/abs.txt', message: 'absolute paths are not allowed in the archive' },
			{ file: 'tricks.zip/a/../../up.txt', message: 'paths with ".." are not allowed in the archive' }
		])
	);
	expect(errors).toHaveLength(3);
	expect(await documentIds(slug)).toEqual([]);

	// a file name with a path: only its last segment names the source
	const named = await lead.post(`/api/datasets/${slug}/imports?filename=${encodeURIComponent('../../etc/passwd.jsonl')}`, {
		headers: { 'content-type': 'application/octet-stream' },
		data: ndjson({ id: 'pw', text: 'Pas un mot de passe.', spans: [{ start: 0, end: 3, label: 'claim' }] })
	});
	expect(named.status(), await named.text()).toBe(200);
	expect((await named.json()).preAnnotations).toEqual([
		{ source: 'import:passwd.jsonl', annotator: 'import~passwd.jsonl', documents: 1, spans: 1 }
	]);
	// reserved annotator ids cannot be used to climb out of the document folder
	for (const bad of ['import~..', 'import~..%2F..%2Fdataset', 'import~a%2Fb', 'import~%00x']) {
		const r = await lead.get(`/api/datasets/${slug}/documents/pw/annotations/${bad}`);
		expect([400, 404], bad).toContain(r.status());
	}
});

test('HTML and script in titles and texts come back as plain strings', async () => {
	const slug = await newDataset();
	const title = '<script>alert("t")</script><b>Gras</b> & <img src=x onerror=alert(1)>';
	const text = '<p onclick="alert(2)">Texte</p> <script>document.title="pwned"</script>';
	const res = await postNdjson(slug, ndjson({ id: 'xss', title, text }));
	expect(res.status()).toBe(200);
	const list = await (await lead.get(`/api/datasets/${slug}/documents`)).json();
	expect(list).toEqual([{ id: 'xss', title, status: 'not_started' }]);
	const doc = await (await lead.get(`/api/datasets/${slug}/documents/xss`)).json();
	expect(doc.title).toBe(title);
	expect(doc.text).toBe(text);

	// an HTML page's <title> is text: entities decoded, no markup kept
	const html = '<html><head><title>&lt;script&gt;alert(3)&lt;/script&gt; Titre</title></head><body><article><p>Corps de la page, assez long pour être un article.</p></article></body></html>';
	const page = await postRaw(slug, 'page.html', html);
	expect(page.status(), await page.text()).toBe(200);
	const ids = await documentIds(slug);
	const imported = await (await lead.get(`/api/datasets/${slug}/documents/${ids[1]}`)).json();
	expect(imported.title).toBe('<script>alert(3)</script> Titre');
});

test('multipart: several files are one import, all or nothing', async () => {
	const slug = await newDataset();
	const form = new FormData();
	form.append('files', new Blob(['Une note.\n']), 'note.txt');
	form.append('files', new Blob([ndjson({ id: 'm1', text: 'Multi.' }) + '{"text": 5}\n']), 'bad.jsonl');
	const refused = await lead.post(`/api/datasets/${slug}/imports`, { headers: { origin: baseURL() }, multipart: form });
	expect(refused.status()).toBe(400);
	expect((await refused.json()).errors).toEqual([{ file: 'bad.jsonl', line: 2, message: '"text" must be a non-empty string, not number' }]);
	expect(await documentIds(slug)).toEqual([]);

	const fixed = new FormData();
	fixed.append('files', new Blob(['Une note.\n']), 'note.txt');
	fixed.append('files', new Blob([ndjson({ id: 'm1', text: 'Multi.' })]), 'good.jsonl');
	const ok = await lead.post(`/api/datasets/${slug}/imports`, { headers: { origin: baseURL() }, multipart: fixed });
	expect(ok.status(), await ok.text()).toBe(200);
	expect(await ok.json()).toMatchObject({ imported: 2 });
});

test('?progress=1 streams the phases, then the result', async () => {
	const slug = await newDataset();
	const res = await lead.post(`/api/datasets/${slug}/imports?filename=p.jsonl&progress=1`, {
		headers: { 'content-type': 'application/octet-stream' },
		data: ndjson({ id: 'p1', text: 'Un.', spans: [{ start: 0, end: 2, label: 'claim' }] }, { text: 'Deux.' })
	});
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toMatch(/^application\/x-ndjson/);
	const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
	const phases = events.filter((e) => e.type === 'progress').map((e) => e.phase);
	expect(phases[0]).toBe('validating');
	expect(phases).toContain('importing');
	expect(phases.at(-1)).toBe('done');
	expect(events.at(-1)).toMatchObject({ type: 'result', status: 200, imported: 2, duplicates: 0, errors: [] });

	const bad = await lead.post(`/api/datasets/${slug}/imports?filename=q.jsonl&progress=1`, {
		headers: { 'content-type': 'application/octet-stream' },
		data: '{"text": 1}\n'
	});
	const last = JSON.parse((await bad.text()).trim().split('\n').at(-1)!);
	expect(last).toMatchObject({ type: 'result', status: 400, imported: 0, errors: [{ file: 'q.jsonl', line: 1 }] });
});
