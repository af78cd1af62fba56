/**
 * Round trips through the formats with relations and attributes, against a
 * real store in a temp folder: a release record is exported (doccano
 * relations, brat, Label Studio), the files are imported into a fresh dataset,
 * and the `import~` set holds the same spans, relations and attributes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { importFiles } from './importer';
import { createDataset, listDocumentHeaders, resetDatasetCache, loadSet, resetAnnotationCache, importAnnotatorId } from '../store';
import { bratConf, toBratAnn, toDoccanoRelations, toLabelStudioTask, type InterchangeRecord } from '../../release/interchange';
import { sliceByCodePoints } from '../../text/offsets';
import { spanId } from '../../model/spans';
import { relationId } from '../../model/relations';
import { DATE_ATTRIBUTES } from '../../model/attributes';
import { coerceValue } from './importRelations';
import { freshDataFolder, removeDataFolder } from '../testing/dataFolder';

const enc = (s: string) => new TextEncoder().encode(s);
let root: string;

beforeEach(async () => {
	root = freshDataFolder('spanlab-relimport-');
	await createDataset({ slug: 'news', title: 'News', createdBy: 'lead' });
});

afterEach(() => {
	removeDataFolder(root);
});

// an emoji before every span (two UTF-16 units, one code point) and a CRLF inside one
const TEXT = '👍🏽 «Les frappes ont été menées»,\r\na déclaré le groupe 😀 samedi 4 mai 2024.';
const at = (needle: string) => Array.from(TEXT.slice(0, TEXT.indexOf(needle))).length;
function span(needle: string, label: string, attrs: Record<string, string | boolean> = {}) {
	const start = at(needle);
	const end = start + Array.from(needle).length;
	return { id: spanId({ start, end, label }), start, end, label, text: sliceByCodePoints(TEXT, start, end), attrs };
}
const claim = span('Les frappes ont été menées', 'claim');
// crosses the CRLF: brat writes it as two fragments
const attribution = span('»,\r\na déclaré le groupe', 'attribution');
const date = span('samedi 4 mai 2024', 'date', { type: 'DATE', value: '2024-05-04' });
const RECORD: InterchangeRecord = {
	dataset: 'news',
	doc_id: 'frappes',
	title: 'Frappes',
	text: TEXT,
	annotator: 'gold',
	spans: [claim, attribution, date],
	relations: [{ id: relationId(attribution.id, claim.id, 'source-of'), from: attribution.id, to: claim.id, label: 'source-of' }]
};

/** The import~ set of the only document: spans with attrs, relations by span index. */
async function importedSet(source: string) {
	const [doc] = await listDocumentHeaders('news');
	const set = await loadSet('news', doc.id, importAnnotatorId(source));
	const index = new Map(set.spans.map((s, i) => [s.id, i]));
	return {
		id: doc.id,
		spans: set.spans.map((s) => ({ start: s.start, end: s.end, label: s.label, text: s.text, attrs: s.attrs ?? {} })),
		relations: (set.relations ?? []).map((r) => ({ from: index.get(r.from), to: index.get(r.to), label: r.label }))
	};
}

const EXPECTED = {
	spans: [claim, attribution, date].map(({ start, end, label, text, attrs }) => ({ start, end, label, text, attrs })),
	relations: [{ from: 1, to: 0, label: 'source-of' }]
};

describe('round trips: export → import → the same spans, relations and attributes', () => {
	it('doccano relation JSONL', async () => {
		const summary = await importFiles('news', [{ name: 'rel.jsonl', data: enc(toDoccanoRelations(RECORD)) }], { by: 'lead' });
		expect(summary.errors).toEqual([]);
		expect(await importedSet('rel.jsonl')).toEqual({ id: 'frappes', ...EXPECTED });
	});

	it('brat standoff zip (annotation.conf, <annotator>/<doc>.txt and .ann)', async () => {
		const zip = zipSync({
			'annotation.conf': enc(bratConf([{ name: 'claim' }, { name: 'attribution' }, { name: 'date', attributes: DATE_ATTRIBUTES }], [{ name: 'source-of', from: ['attribution'], to: ['claim'] }])),
			'gold/frappes.txt': enc(TEXT),
			'gold/frappes.ann': enc(toBratAnn(RECORD))
		});
		const summary = await importFiles('news', [{ name: 'brat.zip', data: zip }], { by: 'lead' });
		expect(summary.errors).toEqual([]);
		expect(await importedSet('brat.zip/gold/frappes.txt')).toEqual({ id: 'frappes', ...EXPECTED });
	});

	it('brat .ann and .txt given as two files, the .ann first', async () => {
		const summary = await importFiles(
			'news',
			[
				{ name: 'frappes.ann', data: enc(toBratAnn(RECORD)) },
				{ name: 'frappes.txt', data: enc(TEXT) }
			],
			{ by: 'lead' }
		);
		expect(summary.errors).toEqual([]);
		expect(await importedSet('frappes.txt')).toEqual({ id: 'frappes', ...EXPECTED });
	});

	it('Label Studio JSON (UTF-16 offsets)', async () => {
		const file = JSON.stringify([toLabelStudioTask(RECORD, 1)], null, 2);
		const summary = await importFiles('news', [{ name: 'project-1.json', data: enc(file) }], { by: 'lead' });
		expect(summary.errors).toEqual([]);
		expect(await importedSet('project-1.json')).toEqual({ id: 'frappes', ...EXPECTED });
	});
});

describe('hostile and wrong input: a clear error, nothing imported', () => {
	const refused = async (files: Array<{ name: string; data: Uint8Array }>) => {
		const summary = await importFiles('news', files, { by: 'lead' });
		expect(summary.imported).toBe(0);
		expect(await listDocumentHeaders('news')).toEqual([]);
		return summary.errors;
	};

	it('a brat relation to a missing T names the file and line', async () => {
		const ann = toBratAnn(RECORD).replace('Arg2:T1', 'Arg2:T7');
		expect(await refused([{ name: 'a.ann', data: enc(ann) }, { name: 'a.txt', data: enc(TEXT) }])).toEqual([
			{ file: 'a.ann', line: 4, message: 'R1 points to T7, which is not a T line of the file' }
		]);
	});

	it('an .ann after its .txt, and an .ann without a .txt', async () => {
		expect(await refused([{ name: 'a.txt', data: enc(TEXT) }, { name: 'a.ann', data: enc(toBratAnn(RECORD)) }])).toEqual([
			{ file: 'a.ann', message: 'came after its text a.txt in this import: give each .ann before its .txt (or zip them together)' }
		]);
		expect(await refused([{ name: 'b.ann', data: enc(toBratAnn(RECORD)) }, { name: 'other.txt', data: enc('x') }])).toEqual([
			{ file: 'b.ann', message: 'brat annotations without their text: no b.txt in this import' }
		]);
	});

	it('relations and attributes the dataset cannot hold, named by relation, span and task', async () => {
		const task = toLabelStudioTask(RECORD, 1);
		const relation = task.annotations[0].result.find((r) => r.type === 'relation')!;
		if (relation.type === 'relation') relation.labels = ['quoted-by'];
		const region = task.annotations[0].result.find((r) => r.type === 'textarea' && r.from_name === 'value')!;
		if (region.type === 'textarea') region.value.text = ['2024-13-45'];
		const errors = await refused([{ name: 'ls.json', data: enc(JSON.stringify([task])) }]);
		expect(errors).toEqual([
			{ file: 'ls.json', message: 'task 1: relation 1: unknown relation type "quoted-by" (known: source-of)' },
			{ file: 'ls.json', message: expect.stringMatching(/^task 1: span 3: attribute "value": "2024-13-45" is not/) }
		]);
		// a relation the type does not allow (claim → attribution), an attribute the label does not define
		const backwards = { ...RECORD, relations: [{ id: 'r', from: claim.id, to: attribution.id, label: 'source-of' }], spans: [{ ...claim, attrs: { certainty: 'high' } }, attribution, date] };
		expect(await refused([{ name: 'rel.jsonl', data: enc(toDoccanoRelations(backwards)) }])).toEqual([
			{ file: 'rel.jsonl', line: 1, message: '"source-of" goes from attribution to claim, not from claim (span 1) to attribution (span 2)'.replace(/^/, 'relation 1: ') },
			{ file: 'rel.jsonl', line: 1, message: 'span 1: label "claim" has no attribute "certainty" (it has no attributes)' }
		]);
	});

	it('__proto__ as a label, a relation type or an attribute name', async () => {
		const ls = JSON.parse(JSON.stringify([toLabelStudioTask(RECORD, 1)]).replace('"labels":["claim"]', '"labels":["__proto__"]'));
		expect((await refused([{ name: 'ls.json', data: enc(JSON.stringify(ls)) }]))[0].message).toMatch(/^task 1, result 1: label "__proto__" is reserved/);
		const doccano = toDoccanoRelations(RECORD).replace('"type":"source-of"', '"type":"__proto__"');
		expect((await refused([{ name: 'd.jsonl', data: enc(doccano) }]))[0]).toMatchObject({ line: 1, message: expect.stringMatching(/^relation 1: type "__proto__" is reserved/) });
		const ann = toBratAnn(RECORD).replace('\ttype T3', '\t__proto__ T3');
		expect((await refused([{ name: 'p.ann', data: enc(ann) }, { name: 'p.txt', data: enc(TEXT) }]))[0]).toMatchObject({
			file: 'p.ann',
			message: expect.stringMatching(/^A1: attribute name "__proto__" is reserved/)
		});
	});

	it('100,000 relations, and deeply nested JSON', async () => {
		const lines = ['T1\tclaim 0 1\tx', 'T2\tattribution 2 3\ty'];
		for (let i = 1; i <= 100_000; i++) lines.push(`R${i}\tsource-of Arg1:T2 Arg2:T1`);
		expect(await refused([{ name: 'big.ann', data: enc(lines.join('\n')) }, { name: 'big.txt', data: enc('a b c') }])).toEqual([
			{ file: 'big.ann', message: 'too many relations: 100000 (limit 20000 per document)' }
		]);
		const deep = '['.repeat(100_000) + ']'.repeat(100_000);
		expect(await refused([{ name: 'deep.json', data: enc(deep) }])).toEqual([
			{ file: 'deep.json', message: 'nested more than 32 levels deep (objects and arrays inside each other): not a Label Studio export' }
		]);
	});
});

describe('coerceValue', () => {
	it('reads "true"/"false" as booleans for boolean attributes and booleans as strings for the others', () => {
		expect(coerceValue({ name: 'a', type: 'boolean' }, 'true')).toBe(true);
		expect(coerceValue({ name: 'a', type: 'boolean' }, 'false')).toBe(false);
		expect(coerceValue({ name: 'a', type: 'enum', options: ['true', 'x'] }, true)).toBe('true');
		expect(coerceValue({ name: 'a', type: 'text' }, 'yes')).toBe('yes');
		expect(coerceValue(undefined, 'true')).toBe('true');
	});
});
