/**
 * The PostgreSQL draft's own work (./releases.ts): the doc id read at a line's head,
 * the lines sent in batches as bytes (the server splits them), and what it refuses.
 * The promises both stores keep are in ../contract.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../../../../tests/helpers/postgres';
import { createHash } from 'node:crypto';
import { buildRecord, serializeRecord, versionName, type ReleaseManifest } from '../../../release/record';
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
				SELECT line, document_id, record FROM release_lines ORDER BY line`;
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
				WHERE attrelid IN ('release_records'::regclass, 'release_lines'::regclass) AND attname = 'record' ORDER BY 1`;
			expect(rows).toEqual([
				{ table: 'release_lines', method: 'l' },
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

	describe('a cut\'s lines stay where it wrote them (migration 0008)', () => {
		const lines = (version: number, tag: string, n = 3) => Array.from({ length: n }, (_, i) => JSON.stringify({ dataset: 'cuts', version, doc_id: `d${i}`, text: tag }) + '\n').join('');
		const manifestOf = (version: number, bytes: string): ReleaseManifest =>
			({
				version,
				name: versionName(version),
				dataset: 'cuts',
				created_at: new Date().toISOString(),
				created_by: 'lead',
				source: 'annotators',
				note: '',
				records: bytes.split('\n').length - 1,
				spans: 0,
				span_counts: {},
				sha256: createHash('sha256').update(bytes).digest('hex')
			}) as unknown as ReleaseManifest;
		const cut = async (version: number, bytes: string) => {
			const draft = await store.releases.draft('cuts', version);
			await draft.write(Buffer.from(bytes));
			await draft.finish();
			return draft;
		};
		const collect = async <T>(items: AsyncIterable<T>) => {
			const out: T[] = [];
			for await (const item of items) out.push(item);
			return out;
		};
		const released = async (version: number) => new Response((await store.releases.bytes('cuts', version)).body).text();
		const rows = async () => {
			const db = connect(url, { max: 1, lockMax: 1 });
			try {
				// per cut of the dataset: the version of the release that names it (null: none), and its lines
				return await db.sql<{ version: number | null; lines: number }[]>`
					SELECT r.version, (SELECT count(*)::int FROM release_lines l WHERE l.cut_id = c.id) AS lines
					FROM release_cuts c JOIN datasets s ON s.id = c.dataset_id LEFT JOIN releases r ON r.cut_id = c.id
					WHERE s.slug = 'cuts' ORDER BY r.version NULLS LAST, lines`;
			} finally {
				await db.end();
			}
		};

		beforeAll(async () => {
			await store.datasets.create({ slug: 'cuts', title: 'Cuts', createdBy: 'lead' });
		});

		it('are no release until it is published, then are that release, byte for byte', async () => {
			const bytes = lines(1, 'first');
			const draft = await cut(1, bytes);
			expect(await store.releases.versions('cuts')).toEqual([]);
			await expect(store.releases.records('cuts', 1)).rejects.toMatchObject({ status: 404 });
			await store.releases.publish('cuts', draft, manifestOf(1, bytes));
			expect(await store.releases.versions('cuts')).toEqual([1]);
			expect(await released(1)).toBe(bytes);
			expect(await rows()).toEqual([{ version: 1, lines: 3 }]);
		});

		it('another cut of the version, whose process died, is not the release; a discarded cut leaves nothing', async () => {
			await cut(2, lines(2, 'dead', 5)); // never published nor discarded: its process died
			const bytes = lines(2, 'alive');
			const draft = await cut(2, bytes);
			await store.releases.publish('cuts', draft, manifestOf(2, bytes));
			expect(await released(2)).toBe(bytes);
			expect(await released(1)).toBe(lines(1, 'first'));
			const kept = [{ version: 1, lines: 3 }, { version: 2, lines: 3 }, { version: null, lines: 5 }];
			expect(await rows()).toEqual(kept);
			await (await cut(3, lines(3, 'refused'))).discard();
			expect(await rows()).toEqual(kept);
		});

		it('a cut no release names is deleted at a start a day later, its lines with it; the releases, as old, are not', async () => {
			const db = connect(url, { max: 1, lockMax: 1 });
			try {
				await db.sql`UPDATE release_cuts SET created_at = now() - interval '2 days'`;
			} finally {
				await db.end();
			}
			await store.init();
			expect(await rows()).toEqual([{ version: 1, lines: 3 }, { version: 2, lines: 3 }]);
			expect(await released(2)).toBe(lines(2, 'alive'));
			expect(await released(1)).toBe(lines(1, 'first'));
		});
	
		it('a release published before (its lines in release_records, no cut) reads back as it did', async () => {
			const bytes = lines(9, 'before 0008');
			const m = manifestOf(9, bytes);
			const db = connect(url, { max: 1, lockMax: 1 });
			try {
				const [{ id }] = await db.sql<{ id: string }[]>`SELECT id FROM datasets WHERE slug = 'cuts'`;
				await db.sql`INSERT INTO releases (dataset_id, version, manifest, sha256, bytes, created_at)
					VALUES (${id}, 9, ${JSON.stringify(m)}::json, ${m.sha256}, ${Buffer.byteLength(bytes)}, now())`;
				const rows = bytes.split('\n').slice(0, -1);
				for (const [i, record] of rows.entries())
					await db.sql`INSERT INTO release_records (dataset_id, version, line, document_id, record) VALUES (${id}, 9, ${i + 1}, ${`d${i}`}, ${record})`;
			} finally {
				await db.end();
			}
			expect(await released(9)).toBe(bytes);
			expect((await collect(await store.releases.records('cuts', 9))).map((r) => r.doc_id)).toEqual(['d0', 'd1', 'd2']);
		});
	});
});
