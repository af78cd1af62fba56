/**
 * The PostgreSQL draft's own work (./releases.ts): the doc id read at a line's head,
 * the lines sent in batches as bytes (the server splits them), and what it refuses.
 * The promises both stores keep are in ../contract.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { buildRecord, serializeRecord } from '../../../release/record';
import { createPostgresStore, type PostgresStore } from './index';
import { lineDocId } from './releases';
import { connect } from './db';

const head = (line: string) => {
	const buf = Buffer.from('xx' + line + '\nyy');
	return lineDocId(buf, 2, 2 + Buffer.byteLength(line));
};

describe('lineDocId', () => {
	it('reads the doc id of a line serializeRecord wrote, escapes and all', () => {
		const text = 'Le maire « vote » à Besançon';
		for (const docId of ['a', 'doc "quoted" \\ back', 'é😀東京', '{"dataset":"x","version":1,"doc_id":"y"}']) {
			const line = serializeRecord(
				buildRecord({
					dataset: 'news',
					version: 12,
					doc_id: docId,
					title: 't',
					text,
					text_sha256: '0'.repeat(64),
					meta: { doc_id: 'meta' },
					annotator: 'ann1',
					status: 'done',
					revision: 1,
					updated_at: null,
					spans: [{ id: 's1', start: 0, end: 2, label: 'claim' }]
				})
			).slice(0, -1);
			expect(head(line)).toBe(docId);
			expect(head(line)).toBe((JSON.parse(line) as { doc_id: string }).doc_id);
		}
	});

	it('parses any other line whole: other key orders, a doc_id elsewhere first', () => {
		expect(head('{"doc_id":"first","dataset":"news"}')).toBe('first');
		expect(head('{"dataset":"news","meta":{"doc_id":"no"},"doc_id":"yes"}')).toBe('yes');
		expect(head('{"dataset":"news","version":1,"title":"x","doc_id":"late"}')).toBe('late');
		expect(head('{"dataset":"a\\",\\"version\\":1,\\"doc_id\\":\\"no","version":2,"doc_id":"yes"}')).toBe('yes');
		expect(head('{"dataset":"news"}')).toBe('');
		expect(() => head('{"dataset":"news","version":1,"doc_id":"cut')).toThrow();
		expect(() => head('not json')).toThrow();
	});
});

describe('the PostgreSQL release draft', () => {
	let cluster: TestPostgres;
	let store: PostgresStore;
	let url: string;

	beforeAll(async () => {
		cluster = await startPostgres();
		url = await cluster.newDatabase();
		store = createPostgresStore(url, { max: 4 });
		await store.init();
		await store.datasets.create({ slug: 'news', title: 'News', createdBy: 'lead' });
	}, 60_000);

	afterAll(async () => {
		await store?.close();
		await cluster?.stop();
	});

	const line = (docId: string, text = 'x') => JSON.stringify({ dataset: 'news', version: 1, doc_id: docId, text }) + '\n';

	it('keeps each line with its number and doc id, across batches', async () => {
		const lines = Array.from({ length: 900 }, (_, i) => line(`d${i}`, 'é'.repeat(3000 + i)));
		const draft = await store.releases.draft('news', 1);
		for (const l of lines) await draft.write(Buffer.from(l));
		await draft.finish();
		const db = connect(url, { max: 1, lockMax: 1 });
		try {
			const rows = await db.sql<{ line: number; document_id: string; record: string }[]>`
				SELECT line, document_id, record FROM release_draft_lines ORDER BY line`;
			expect(rows.map((r) => r.line)).toEqual(lines.map((_, i) => i + 1));
			expect(rows.map((r) => r.document_id)).toEqual(lines.map((_, i) => `d${i}`));
			expect(rows.map((r) => r.record + '\n')).toEqual(lines);
		} finally {
			await db.end();
		}
		await draft.discard();
	});

	it('compresses the lines with lz4 (migration 0005; this server has it)', async () => {
		const db = connect(url, { max: 1, lockMax: 1 });
		try {
			const rows = await db.sql<{ table: string; method: string }[]>`
				SELECT attrelid::regclass::text AS table, attcompression AS method FROM pg_attribute
				WHERE attrelid IN ('release_records'::regclass, 'release_draft_lines'::regclass) AND attname = 'record' ORDER BY 1`;
			expect(rows).toEqual([
				{ table: 'release_draft_lines', method: 'l' },
				{ table: 'release_records', method: 'l' }
			]);
		} finally {
			await db.end();
		}
	});

	it('refuses bytes that are not UTF-8, empty lines, a last line without its newline', async () => {
		const cases: Array<[Uint8Array, RegExp]> = [
			[Buffer.concat([Buffer.from(line('a').slice(0, -3)), Buffer.from([0xff]), Buffer.from('"}\n')]), /not UTF-8/],
			[Buffer.from(line('a') + '\n' + line('b')), /empty line after line 1/],
			[Buffer.from(line('a') + 'nope\n'), /line 2 is not JSON/],
			[Buffer.from(line('a').slice(0, -1)), /no newline/]
		];
		for (const [bytes, message] of cases) {
			const draft = await store.releases.draft('news', 1);
			await expect(draft.write(bytes).then(() => draft.finish())).rejects.toThrow(message);
			await draft.discard();
		}
	});
});
