import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relationId } from '../model/relations';
import {
	RELEASE_RECORD_SCHEMA,
	ReleaseRecordError,
	buildRecord,
	canonicalJson,
	codePointIndex,
	codePointLength,
	compareRecords,
	parseVersionName,
	parseVersionRef,
	recordInvariantProblems,
	serializeRecord,
	versionName,
	type BuildRecordInput,
	type ReleaseRecord
} from './record';
import {
	WORKED_META,
	WORKED_SHA256,
	WORKED_SPANS,
	WORKED_TEXT,
	FAMILY,
	CAFE,
	checkJsonSchema,
	rng,
	shuffle,
	shuffleKeys
} from './test-helpers';

/** python3: json.dumps(record, ensure_ascii=False, separators=(',', ':')) + "\n" */
const EXPECTED_LINE =
	'{"dataset":"news-2024","version":3,"doc_id":"d001","title":"Caf\u00e9 \u{1f468}\u200d\u{1f469}\u200d\u{1f467} report","text":"Reuters said cafe\u0301 prices rose 5% \u{1f468}\u200d\u{1f469}\u200d\u{1f467} \u{2000b}.\\r\\n\u0642\u0627\u0644 \u0627\u0644\u0631\u0626\u064a\u0633 \u0625\u0646 \u0627\u0644\u0627\u0642\u062a\u0635\u0627\u062f \u064a\u0646\u0645\u0648\\r\\nOn 3 May.","text_sha256":"2be613da571f92ce07bf02c19900535f3c390f0de22f0ed6af52f20025835c52","meta":{"extra":{"10":true,"9":false,"a":[{"a":1,"b":2}],"z":1},"lang":"mul","source":"Reuters"},"annotator":"gold","status":"done","revision":7,"updated_at":"2026-11-20T10:00:00.000Z","spans":[{"id":"s-a1","start":0,"end":7,"label":"attribution","text":"Reuters","attrs":{"confidence":0.9,"source_type":"agency"}},{"id":"s-c1","start":13,"end":33,"label":"claim","text":"cafe\u0301 prices rose 5%","attrs":{}},{"id":"s-f1","start":19,"end":30,"label":"framing","text":"prices rose","attrs":{}},{"id":"s-f2","start":34,"end":41,"label":"framing","text":"\u{1f468}\u200d\u{1f469}\u200d\u{1f467} \u{2000b}","attrs":{}},{"id":"s-a2","start":48,"end":54,"label":"attribution","text":"\u0627\u0644\u0631\u0626\u064a\u0633","attrs":{}},{"id":"s-c2","start":58,"end":71,"label":"claim","text":"\u0627\u0644\u0627\u0642\u062a\u0635\u0627\u062f \u064a\u0646\u0645\u0648","attrs":{}},{"id":"s-d1","start":76,"end":81,"label":"date","text":"3 May","attrs":{}}],"relations":[]}\n';
/** python3: sha256 of the line's UTF-8 bytes, and their count */
const EXPECTED_LINE_SHA256 = 'ed0d242eec7635ffdd5114322837fd9555dc22abc169eec45377fd78dbf0ec11';
const EXPECTED_LINE_BYTES = 1174;

const RECORD_KEYS = [
	'dataset',
	'version',
	'doc_id',
	'title',
	'text',
	'text_sha256',
	'meta',
	'annotator',
	'status',
	'revision',
	'updated_at',
	'spans',
	'relations'
];

function workedInput(overrides: Partial<BuildRecordInput> = {}): BuildRecordInput {
	return {
		dataset: 'news-2024',
		version: 3,
		doc_id: 'd001',
		title: `Caf\u00e9 ${FAMILY} report`,
		text: WORKED_TEXT,
		text_sha256: WORKED_SHA256,
		meta: WORKED_META,
		annotator: 'gold',
		status: 'done',
		revision: 7,
		updated_at: '2026-11-20T10:00:00.000Z',
		// reversed, some without text, attrs keys unsorted
		spans: [...WORKED_SPANS].reverse().map(([id, label, start, end, text], i) => ({
			id,
			label,
			start,
			end,
			...(i % 2 ? { text } : {}),
			...(id === 's-a1' ? { attrs: { source_type: 'agency', confidence: 0.9 } } : {})
		})),
		...overrides
	};
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('worked example', () => {
	const r = buildRecord(workedInput());
	const line = serializeRecord(r);

	it('text has the intended code points', () => {
		expect(codePointLength(WORKED_TEXT)).toBe(82);
		expect(Array.from(WORKED_TEXT).length).toBe(82);
		expect(WORKED_TEXT.length).toBe(86); // 3 surrogate pairs in FAMILY, 1 in U+2000B
		expect(sha256(WORKED_TEXT)).toBe(WORKED_SHA256);
		expect(Array.from(CAFE).length).toBe(5);
		expect(Array.from(FAMILY).length).toBe(5);
	});

	it('span texts are text[start:end] in code points (python-computed offsets)', () => {
		const cps = Array.from(WORKED_TEXT);
		for (const [id, , start, end, text] of WORKED_SPANS) {
			const s = r.spans.find((x) => x.id === id)!;
			expect([s.start, s.end, s.text]).toEqual([start, end, text]);
			expect(cps.slice(start, end).join('')).toBe(text);
		}
	});

	it('fixes key order of record and spans', () => {
		expect(Object.keys(r)).toEqual(RECORD_KEYS);
		for (const s of r.spans) expect(Object.keys(s)).toEqual(['id', 'start', 'end', 'label', 'text', 'attrs']);
		expect(Object.keys(JSON.parse(line))).toEqual(RECORD_KEYS);
	});

	it('sorts spans by start, end, label', () => {
		expect(r.spans.map((s) => s.id)).toEqual(WORKED_SPANS.map((s) => s[0]));
	});

	it('serializes byte-exactly', () => {
		expect(line).toBe(EXPECTED_LINE);
		expect(Buffer.byteLength(line, 'utf8')).toBe(EXPECTED_LINE_BYTES);
		expect(sha256(line)).toBe(EXPECTED_LINE_SHA256);
	});

	it('is one line: no BOM, no raw CR/LF except the final \\n', () => {
		expect(line.charCodeAt(0)).not.toBe(0xfeff);
		expect(line.endsWith('\n')).toBe(true);
		expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
		expect(JSON.parse(line).text).toBe(WORKED_TEXT); // CRLF survives the round trip
	});

	it('round-trips: parse + serialize gives the same bytes', () => {
		expect(serializeRecord(JSON.parse(line) as ReleaseRecord)).toBe(line);
	});

	it('has no invariant problems', () => {
		expect(recordInvariantProblems(r)).toEqual([]);
	});
});

describe('schema', () => {
	it('docs/release-record.schema.json is identical to RELEASE_RECORD_SCHEMA', () => {
		const path = fileURLToPath(new URL('../../../docs/release-record.schema.json', import.meta.url));
		const file = readFileSync(path, 'utf8');
		expect(JSON.parse(file)).toEqual(RELEASE_RECORD_SCHEMA);
		expect(file).toBe(JSON.stringify(RELEASE_RECORD_SCHEMA, null, '\t') + '\n');
	});

	it('lists every record key as required, in record order', () => {
		expect(RELEASE_RECORD_SCHEMA.required).toEqual(RECORD_KEYS);
		expect(Object.keys(RELEASE_RECORD_SCHEMA.properties)).toEqual(RECORD_KEYS);
	});

	it('every built record validates (in memory and parsed back from JSONL)', () => {
		const records = [
			buildRecord(workedInput()),
			buildRecord(workedInput({ annotator: 'alice', status: 'in_progress', revision: 0, updated_at: null, meta: null })),
			buildRecord(workedInput({ doc_id: 'empty', text: '', spans: [], title: '' }))
		];
		for (const r of records) {
			expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, r)).toEqual([]);
			expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, JSON.parse(serializeRecord(r)))).toEqual([]);
		}
	});

	it('the checker rejects invalid records (so the check above is not vacuous)', () => {
		const good = JSON.parse(serializeRecord(buildRecord(workedInput())));
		const bad = (mutate: (r: any) => void) => {
			const r = structuredClone(good);
			mutate(r);
			return checkJsonSchema(RELEASE_RECORD_SCHEMA, r);
		};
		expect(bad((r) => (r.extra = 1))).toEqual(['$.extra: not allowed']);
		expect(bad((r) => delete r.meta)).toEqual(['$: missing meta']);
		expect(bad((r) => (r.status = 'finished'))).toEqual(['$.status: "finished" not in enum']);
		expect(bad((r) => (r.version = 0))).toEqual(['$.version: 0 < minimum 1']);
		expect(bad((r) => (r.revision = 1.5))).toEqual(['$.revision: expected integer, got number']);
		expect(bad((r) => (r.updated_at = 5))).toEqual(['$.updated_at: expected string|null, got integer']);
		expect(bad((r) => (r.text_sha256 = r.text_sha256.toUpperCase()))).toHaveLength(1);
		// relations are no longer reserved (always []): a relation must be a whole one
		expect(bad((r) => r.relations.push({}))).toEqual(['$.relations[0]: missing id', '$.relations[0]: missing from', '$.relations[0]: missing to', '$.relations[0]: missing label']);
		expect(bad((r) => r.relations.push({ id: 'x', from: 's-a1', to: 's-c1', label: 'source-of', weight: 1 }))).toEqual([
			'$.relations[0].id: does not match ^r[0-9a-f]{16}$',
			'$.relations[0].weight: not allowed'
		]);
		expect(bad((r) => (r.spans[0].source = ''))).toHaveLength(1);
		expect(bad((r) => (r.spans[0].start = -1))).toEqual(['$.spans[0].start: -1 < minimum 0']);
		expect(bad((r) => delete r.spans[1].attrs)).toEqual(['$.spans[1]: missing attrs']);
		expect(bad((r) => (r.spans[1].color = 'red'))).toEqual(['$.spans[1].color: not allowed']);
		expect(bad((r) => (r.meta = []))).toEqual(['$.meta: expected object, got array']);
	});

	it('the checker refuses keywords it does not implement', () => {
		expect(() => checkJsonSchema({ type: 'string', maxLength: 3 }, 'x')).toThrow(/unsupported keyword maxLength/);
	});
});

describe('determinism', () => {
	function release(inputs: BuildRecordInput[]): string {
		return inputs
			.map(buildRecord)
			.sort(compareRecords)
			.map(serializeRecord)
			.join('');
	}
	const inputs: BuildRecordInput[] = [
		workedInput(),
		workedInput({ annotator: 'alice', revision: 3, status: 'in_progress' }),
		workedInput({ annotator: 'Bob', spans: [] }),
		workedInput({ doc_id: 'd000', annotator: 'gold', meta: { b: { y: 1, x: [3, { q: 1, p: 2 }] }, a: null } }),
		workedInput({ doc_id: 'd010', annotator: 'zed' })
	];

	it('shuffled records, spans and object keys give the same bytes', () => {
		const expected = release(inputs);
		for (let seed = 1; seed <= 25; seed++) {
			const rand = rng(seed);
			const shuffled = shuffle(inputs, rand).map((inp) => ({
				...shuffleKeys(inp, rand),
				spans: shuffle(inp.spans, rand).map((s) => shuffleKeys(s, rand))
			}));
			expect(release(shuffled)).toBe(expected);
		}
	});

	it('serializeRecord ignores key insertion order and span order of its argument', () => {
		const r = buildRecord(workedInput());
		const messy = Object.fromEntries(Object.entries(r).reverse()) as unknown as ReleaseRecord;
		messy.spans = [...r.spans].reverse().map((s) => Object.fromEntries(Object.entries(s).reverse()) as any);
		expect(serializeRecord(messy)).toBe(EXPECTED_LINE);
	});

	it('sorts records by doc_id then annotator by UTF-16 code units', () => {
		const order = inputs
			.map(buildRecord)
			.sort(compareRecords)
			.map((r) => `${r.doc_id}/${r.annotator}`);
		// "Bob" < "alice" < "gold": uppercase sorts before lowercase (no locale collation)
		expect(order).toEqual(['d000/gold', 'd001/Bob', 'd001/alice', 'd001/gold', 'd010/zed']);
		// code units, not code points: U+1F600 (D83D DE00) sorts before U+FFFD here, unlike Python's sorted()
		expect(compareRecords({ doc_id: '\u{1F600}', annotator: 'a' }, { doc_id: '\uFFFD', annotator: 'a' })).toBe(-1);
	});

	it('canonicalJson sorts keys (also integer-like ones) and otherwise matches JSON.stringify', () => {
		expect(canonicalJson({ b: 1, '10': 2, '9': 3, a: [{ d: undefined, c: 1 }, undefined] })).toBe(
			'{"10":2,"9":3,"a":[{"c":1},null],"b":1}'
		);
		const v = { s: 'x\u2028"\\\u0001\u{1F600}', n: -0.5, t: true, z: null, e: 1e21 };
		expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
		expect(canonicalJson(NaN)).toBe('null');
		expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
	});
});

describe('buildRecord validation', () => {
	const withSpans = (spans: BuildRecordInput['spans']) => () => buildRecord(workedInput({ spans }));

	it('rejects span text that is not text[start:end]', () => {
		// UTF-16 slicing would give this for [34, 41): a classic code point vs code unit bug
		const wrong = WORKED_TEXT.slice(34, 41);
		expect(withSpans([{ id: 'x', start: 34, end: 41, label: 'framing', text: wrong }])).toThrow(ReleaseRecordError);
	});

	it('rejects bad offsets', () => {
		expect(withSpans([{ id: 'x', start: 5, end: 5, label: 'claim' }])).toThrow(/offsets/);
		expect(withSpans([{ id: 'x', start: 80, end: 83, label: 'claim' }])).toThrow(/82 code points/);
		expect(withSpans([{ id: 'x', start: -1, end: 2, label: 'claim' }])).toThrow(/offsets/);
		expect(withSpans([{ id: 'x', start: 0.5, end: 2, label: 'claim' }])).toThrow(/offsets/);
		expect(buildRecord(workedInput({ spans: [{ id: 'x', start: 81, end: 82, label: 'date' }] })).spans[0].text).toBe('.');
	});

	it('rejects duplicate span ids, empty labels, bad sha, status, version', () => {
		expect(
			withSpans([
				{ id: 'x', start: 0, end: 1, label: 'claim' },
				{ id: 'x', start: 1, end: 2, label: 'claim' }
			])
		).toThrow(/duplicate span id/);
		expect(withSpans([{ id: 'x', start: 0, end: 1, label: '' }])).toThrow(/label/);
		expect(() => buildRecord(workedInput({ text_sha256: 'ABC' }))).toThrow(/text_sha256/);
		expect(() => buildRecord(workedInput({ status: 'finished' as never }))).toThrow(/status/);
		expect(() => buildRecord(workedInput({ version: 0 }))).toThrow(/version/);
	});

	it('gives attrs {} and meta {} when absent, and does not share input objects', () => {
		const meta = { a: { b: 1 } };
		const attrs = { k: [1] };
		const r = buildRecord(workedInput({ meta, spans: [{ id: 'x', start: 0, end: 7, label: 'attribution', attrs }] }));
		expect(r.spans[0].attrs).toEqual({ k: [1] });
		expect(r.spans[0].attrs).not.toBe(attrs);
		expect(r.meta.a).not.toBe(meta.a);
		expect(buildRecord(workedInput({ meta: undefined })).meta).toEqual({});
		expect(buildRecord(workedInput()).spans[1].attrs).toEqual({});
	});

	it('recordInvariantProblems reports what the schema cannot', () => {
		const r = buildRecord(workedInput());
		r.spans[1] = { ...r.spans[1], text: 'nope' };
		r.spans[2] = { ...r.spans[2], start: 100, end: 120 };
		expect(recordInvariantProblems(r)).toEqual([
			'spans[1]: text != text[13:33]',
			'spans[2]: offsets [100, 120) invalid for text of 82 code points',
			'spans[3]: out of order'
		]);
	});
});

describe('code points and versions', () => {
	it('codePointIndex maps code point offsets to UTF-16 offsets', () => {
		expect([...codePointIndex(`a${FAMILY}b`)]).toEqual([0, 1, 3, 4, 6, 7, 9, 10]);
		expect([...codePointIndex('')]).toEqual([0]);
		expect([...codePointIndex('\uD800x')]).toEqual([0, 1, 2]); // lone surrogate = 1 code point
	});

	it('versionName pads to 4 digits', () => {
		expect(versionName(1)).toBe('v0001');
		expect(versionName(42)).toBe('v0042');
		expect(versionName(9999)).toBe('v9999');
		expect(versionName(12345)).toBe('v12345');
		expect(() => versionName(0)).toThrow(RangeError);
		expect(() => versionName(1.5)).toThrow(RangeError);
		expect(parseVersionName('v0042')).toBe(42);
		expect(parseVersionName('v12345')).toBe(12345);
		expect(parseVersionName('v042')).toBeNull();
		expect(parseVersionName('v00042')).toBeNull();
		expect(parseVersionName('v0000')).toBeNull();
	});

	it('parseVersionRef accepts "3" and "v0003", nothing else', () => {
		expect(parseVersionRef('3')).toBe(3);
		expect(parseVersionRef('0003')).toBe(3);
		expect(parseVersionRef('v0003')).toBe(3);
		expect(parseVersionRef('12345')).toBe(12345);
		expect(parseVersionRef('v12345')).toBe(12345);
		for (const bad of ['0', 'v0000', 'v3', '3.0', '-1', ' 3', '3 ', '', 'latest', '1e3', '99999999999999999999'])
			expect(parseVersionRef(bad), bad).toBeNull();
	});
});

describe('relations and span sources in records', () => {
	// "Reuters said prices rose." attribution [0,7), claim [13,24)
	const input = () => ({
		dataset: 'd',
		version: 1,
		doc_id: 'a',
		title: '',
		text: 'Reuters said prices rose.',
		text_sha256: '0'.repeat(64),
		annotator: 'ann1',
		status: 'done' as const,
		revision: 1,
		updated_at: null,
		spans: [
			{ id: 'sc', start: 13, end: 24, label: 'claim' },
			{ id: 'sa', start: 0, end: 7, label: 'attribution', source: 'cues' },
			{ id: 'sa2', start: 0, end: 7, label: 'framing' }
		],
		relations: [
			{ from: 'sa2', to: 'sc', label: 'source-of' },
			{ from: 'sa', to: 'sc', label: 'source-of' },
			{ from: 'sc', to: 'sa', label: 'cites' }
		]
	});

	it('sorts relations by from span, to span, label; ids are relationId; sources serialized after attrs', () => {
		const line = serializeRecord(buildRecord(input()));
		expect(line).toBe(
			'{"dataset":"d","version":1,"doc_id":"a","title":"","text":"Reuters said prices rose.","text_sha256":"' +
				'0'.repeat(64) +
				'","meta":{},"annotator":"ann1","status":"done","revision":1,"updated_at":null,"spans":[' +
				'{"id":"sa","start":0,"end":7,"label":"attribution","text":"Reuters","attrs":{},"source":"cues"},' +
				'{"id":"sa2","start":0,"end":7,"label":"framing","text":"Reuters","attrs":{}},' +
				'{"id":"sc","start":13,"end":24,"label":"claim","text":"prices rose","attrs":{}}],"relations":[' +
				`{"id":"${relationId('sa', 'sc', 'source-of')}","from":"sa","to":"sc","label":"source-of"},` +
				`{"id":"${relationId('sa2', 'sc', 'source-of')}","from":"sa2","to":"sc","label":"source-of"},` +
				`{"id":"${relationId('sc', 'sa', 'cites')}","from":"sc","to":"sa","label":"cites"}]}\n`
		);
		const record = JSON.parse(line);
		expect(recordInvariantProblems(record)).toEqual([]);
		expect(checkJsonSchema(RELEASE_RECORD_SCHEMA, record)).toEqual([]);
		record.relations.reverse();
		record.relations[0].to = 'nope';
		expect(recordInvariantProblems(record)).toEqual([
			'relations[0]: to "nope" is not a span of the record',
			'relations[0]: id is not relationId(from, to, label)',
			'relations[1]: out of order',
			'relations[2]: out of order'
		]);
	});

	it('refuses relations that are not between two spans of the record', () => {
		const bad = (relations: Array<{ from: string; to: string; label: string; id?: string }>) => () => buildRecord({ ...input(), relations });
		expect(bad([{ from: 'sa', to: 'gone', label: 'x' }])).toThrow('end "gone" is not a span of this record');
		expect(bad([{ from: 'sa', to: 'sa', label: 'x' }])).toThrow('from and to are the same span');
		expect(bad([{ from: 'sa', to: 'sc', label: 'x', id: 'r0' }])).toThrow('id is not relationId');
		expect(bad([{ from: 'sa', to: 'sc', label: 'x' }, { from: 'sa', to: 'sc', label: 'x' }])).toThrow('duplicate relation');
	});
});
