import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { relationId } from '../model/relations';
import { buildRecord, serializeRecord } from './record';
import {
	OPTIONAL_SPAN_KEYS,
	RECORD_KEYS,
	RELEASE_RECORD_SCHEMA,
	SPAN_KEYS,
	releaseRecordSchema,
	toReleaseJsonSchema
} from './schema';
import { WORKED_META, WORKED_SHA256, WORKED_SPANS, WORKED_TEXT, checkJsonSchema } from './test-helpers';

const record = buildRecord({
	dataset: 'news-2024',
	version: 3,
	doc_id: 'd001',
	title: 'report',
	text: WORKED_TEXT,
	text_sha256: WORKED_SHA256,
	meta: WORKED_META,
	annotator: 'gold',
	status: 'done',
	revision: 7,
	updated_at: '2026-11-20T10:00:00.000Z',
	spans: WORKED_SPANS.map(([id, label, start, end]) => ({ id, label, start, end, ...(id === 's-d1' ? { source: 'dates' } : {}) })),
	relations: [{ from: 's-a1', to: 's-c1', label: 'source-of' }]
});
const line = JSON.parse(serializeRecord(record));

describe('the zod schema is the one definition', () => {
	it('gives the key order of a serialized line', () => {
		expect(Object.keys(line)).toEqual(RECORD_KEYS);
		const dated = line.spans.find((s: { id: string }) => s.id === 's-d1');
		expect(Object.keys(dated)).toEqual(SPAN_KEYS);
		expect([...OPTIONAL_SPAN_KEYS]).toEqual(['source']);
		expect(Object.keys(line.relations[0])).toEqual(['id', 'from', 'to', 'label']);
		expect(line.relations[0].id).toBe(relationId('s-a1', 's-c1', 'source-of'));
	});

	it('accepts a built record, as the JSON Schema does', () => {
		expect(releaseRecordSchema.safeParse(line).success).toBe(true);
		expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, line)).toEqual([]);
	});

	it('refuses what the JSON Schema refuses (zod and the file agree)', () => {
		const mutations: Array<(r: any) => void> = [
			(r) => (r.extra = 1),
			(r) => delete r.meta,
			(r) => (r.status = 'finished'),
			(r) => (r.version = 0),
			(r) => (r.revision = 1.5),
			(r) => (r.updated_at = 5),
			(r) => (r.text_sha256 = r.text_sha256.toUpperCase()),
			(r) => r.relations.push({}),
			(r) => (r.relations[0].id = 'x'),
			(r) => (r.relations[0].weight = 1),
			(r) => (r.spans[0].source = ''),
			(r) => (r.spans[0].start = -1),
			(r) => (r.spans[0].end = 0),
			(r) => (r.spans[0].text = ''),
			(r) => delete r.spans[1].attrs,
			(r) => (r.spans[1].color = 'red'),
			(r) => (r.meta = []),
			(r) => (r.dataset = '')
		];
		for (const mutate of mutations) {
			const bad = structuredClone(line);
			mutate(bad);
			expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, bad), String(mutate)).not.toEqual([]);
			expect(releaseRecordSchema.safeParse(bad).success, String(mutate)).toBe(false);
		}
	});

	it('derives JSON Schema without zod-only bounds', () => {
		expect(toReleaseJsonSchema(z.strictObject({ n: z.int().min(2), m: z.record(z.string(), z.unknown()), e: z.enum(['a']) }))).toEqual({
			$schema: 'https://json-schema.org/draft/2020-12/schema',
			type: 'object',
			additionalProperties: false,
			required: ['n', 'm', 'e'],
			properties: { n: { type: 'integer', minimum: 2 }, m: { type: 'object' }, e: { enum: ['a'] } }
		});
	});
});
