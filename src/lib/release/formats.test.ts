import { describe, expect, it } from 'vitest';
import { buildRecord, type ReleaseRecord } from './record';
import {
	fnv1a32,
	prodigyInputHash,
	prodigyTaskHash,
	toConll,
	MAX_CONLL_LEVELS,
	toDoccano,
	toProdigy,
	toProdigyTask,
	tokenRange,
	tokenize
} from './formats';
import { WORKED_SHA256, WORKED_SPANS, WORKED_TEXT, FAMILY, CJK, CAFE } from './test-helpers';

function worked(overrides: Partial<Parameters<typeof buildRecord>[0]> = {}): ReleaseRecord {
	return buildRecord({
		dataset: 'news-2024',
		version: 3,
		doc_id: 'd001',
		title: 'worked',
		text: WORKED_TEXT,
		text_sha256: WORKED_SHA256,
		annotator: 'gold',
		status: 'done',
		revision: 7,
		updated_at: null,
		spans: WORKED_SPANS.map(([id, label, start, end]) => ({ id, label, start, end })),
		...overrides
	});
}

const sha = '0'.repeat(64);
function small(text: string, spans: Array<[number, number, string]>, annotator = 'alice'): ReleaseRecord {
	return buildRecord({
		dataset: 'ds',
		version: 1,
		doc_id: 'x',
		title: '',
		text,
		text_sha256: sha,
		annotator,
		status: 'done',
		revision: 1,
		updated_at: null,
		spans: spans.map(([start, end, label], i) => ({ id: `s${i}`, start, end, label }))
	});
}

// All expected strings below were produced by an independent python3 implementation
// (json.dumps(..., ensure_ascii=False, separators=(',', ':')), unicodedata categories
// for the tokenizer, str indices for offsets) and are written with JS escapes; the
// emoji ZWJ sequence (one grapheme cluster, Python `regex` \X) was then joined into
// one token by hand, moving the later token ids 4 down.

const EXPECTED_DOCCANO =
	'{"id":"d001","text":"Reuters said cafe\u0301 prices rose 5% \u{1f468}\u200d\u{1f469}\u200d\u{1f467} \u{2000b}.\\r\\n\u0642\u0627\u0644 \u0627\u0644\u0631\u0626\u064a\u0633 \u0625\u0646 \u0627\u0644\u0627\u0642\u062a\u0635\u0627\u062f \u064a\u0646\u0645\u0648\\r\\nOn 3 May.","label":[[0,7,"attribution"],[13,33,"claim"],[19,30,"framing"],[34,41,"framing"],[48,54,"attribution"],[58,71,"claim"],[76,81,"date"]]}\n';

const EXPECTED_PRODIGY =
	'{"text":"Reuters said cafe\u0301 prices rose 5% \u{1f468}\u200d\u{1f469}\u200d\u{1f467} \u{2000b}.\\r\\n\u0642\u0627\u0644 \u0627\u0644\u0631\u0626\u064a\u0633 \u0625\u0646 \u0627\u0644\u0627\u0642\u062a\u0635\u0627\u062f \u064a\u0646\u0645\u0648\\r\\nOn 3 May.","spans":[{"start":0,"end":7,"label":"attribution","token_start":0,"token_end":0},{"start":13,"end":33,"label":"claim","token_start":2,"token_end":6},{"start":19,"end":30,"label":"framing","token_start":3,"token_end":4},{"start":34,"end":41,"label":"framing","token_start":7,"token_end":8},{"start":48,"end":54,"label":"attribution","token_start":11,"token_end":11},{"start":58,"end":71,"label":"claim","token_start":13,"token_end":14},{"start":76,"end":81,"label":"date","token_start":16,"token_end":17}],"tokens":[{"text":"Reuters","start":0,"end":7,"id":0,"ws":true},{"text":"said","start":8,"end":12,"id":1,"ws":true},{"text":"cafe\u0301","start":13,"end":18,"id":2,"ws":true},{"text":"prices","start":19,"end":25,"id":3,"ws":true},{"text":"rose","start":26,"end":30,"id":4,"ws":true},{"text":"5","start":31,"end":32,"id":5,"ws":false},{"text":"%","start":32,"end":33,"id":6,"ws":true},{"text":"\u{1f468}\u200d\u{1f469}\u200d\u{1f467}","start":34,"end":39,"id":7,"ws":true},{"text":"\u{2000b}","start":40,"end":41,"id":8,"ws":false},{"text":".","start":41,"end":42,"id":9,"ws":true},{"text":"\u0642\u0627\u0644","start":44,"end":47,"id":10,"ws":true},{"text":"\u0627\u0644\u0631\u0626\u064a\u0633","start":48,"end":54,"id":11,"ws":true},{"text":"\u0625\u0646","start":55,"end":57,"id":12,"ws":true},{"text":"\u0627\u0644\u0627\u0642\u062a\u0635\u0627\u062f","start":58,"end":66,"id":13,"ws":true},{"text":"\u064a\u0646\u0645\u0648","start":67,"end":71,"id":14,"ws":true},{"text":"On","start":73,"end":75,"id":15,"ws":true},{"text":"3","start":76,"end":77,"id":16,"ws":true},{"text":"May","start":78,"end":81,"id":17,"ws":false},{"text":".","start":81,"end":82,"id":18,"ws":false}],"_input_hash":-2030020405,"_task_hash":-1876263713,"answer":"accept","_annotator_id":"news-2024-gold","meta":{"doc_id":"d001"}}\n';

// Worked by hand from the text: three sentences (the two \r\n end sentences), the
// framing «prices rose» inside the claim in the second column, every line 3 columns.
const EXPECTED_CONLL =
	'-DOCSTART-\tO\tO\n\nReuters\tB-attribution\tO\nsaid\tO\tO\ncafe\u0301\tB-claim\tO\nprices\tI-claim\tB-framing\nrose\tI-claim\tI-framing\n5\tI-claim\tO\n%\tI-claim\tO\n\u{1f468}\u200d\u{1f469}\u200d\u{1f467}\tB-framing\tO\n\u{2000b}\tI-framing\tO\n.\tO\tO\n\n\u0642\u0627\u0644\tO\tO\n\u0627\u0644\u0631\u0626\u064a\u0633\tB-attribution\tO\n\u0625\u0646\tO\tO\n\u0627\u0644\u0627\u0642\u062a\u0635\u0627\u062f\tB-claim\tO\n\u064a\u0646\u0645\u0648\tI-claim\tO\n\nOn\tO\tO\n3\tB-date\tO\nMay\tI-date\tO\n.\tO\tO\n\n';

describe('toDoccano', () => {
	it('worked example, byte-exact', () => {
		expect(toDoccano(worked())).toBe(EXPECTED_DOCCANO);
	});

	it('has exactly doccano keys and code point offsets that slice correctly', () => {
		const d = JSON.parse(toDoccano(worked({ annotator: 'alice' })));
		expect(Object.keys(d)).toEqual(['id', 'text', 'label']);
		const cps = Array.from(d.text as string);
		expect((d.label as Array<[number, number, string]>).map(([s, e, l]) => [l, cps.slice(s, e).join('')])).toEqual(
			WORKED_SPANS.map(([, label, , , text]) => [label, text])
		);
		expect(cps.slice(34, 41).join('')).toBe(`${FAMILY} ${CJK}`);
	});
});

describe('toProdigy', () => {
	it('worked example, byte-exact (spans with token indices, tokens, hashes)', () => {
		expect(toProdigy(worked())).toBe(EXPECTED_PRODIGY);
	});

	it('spans point at the tokens they cover', () => {
		const t = toProdigyTask(worked());
		expect(t.spans.map((s) => [s.token_start, s.token_end])).toEqual([
			[0, 0],
			[2, 6],
			[3, 4],
			[7, 8],
			[11, 11],
			[13, 14],
			[16, 17]
		]);
		expect(t.tokens[2]).toEqual({ text: CAFE, start: 13, end: 18, id: 2, ws: true });
		// the ZWJ family is one token (one grapheme cluster, text/words.ts), so the tokens after it come 4 earlier
		expect(t.tokens[7]).toEqual({ text: FAMILY, start: 34, end: 39, id: 7, ws: true });
		expect(t.tokens[8]).toEqual({ text: CJK, start: 40, end: 41, id: 8, ws: false });
	});

	it('FNV-1a 32 matches the reference vectors (as signed int32)', () => {
		const enc = new TextEncoder();
		expect(fnv1a32(enc.encode(''))).toBe(0x811c9dc5 | 0); // -2128831035
		expect(fnv1a32(enc.encode('a'))).toBe(0xe40c292c | 0); // -468965076
		expect(fnv1a32(enc.encode('foobar'))).toBe(0xbf9cf968 | 0); // -1080231576
	});

	it('hashes are stable across releases: input hash depends on text only, task hash on text + spans', () => {
		const a = worked();
		const b = worked({ version: 9, annotator: 'alice', revision: 1, doc_id: 'other' });
		expect(prodigyInputHash(a.text)).toBe(-2030020405);
		expect(toProdigyTask(b)._input_hash).toBe(-2030020405);
		expect(toProdigyTask(b)._task_hash).toBe(-1876263713);
		const fewer = worked({ spans: WORKED_SPANS.slice(1).map(([id, label, start, end]) => ({ id, label, start, end })) });
		expect(toProdigyTask(fewer)._input_hash).toBe(-2030020405);
		expect(toProdigyTask(fewer)._task_hash).not.toBe(-1876263713);
		expect(prodigyTaskHash('ab', [{ start: 1, end: 2, label: 'x' }, { start: 0, end: 1, label: 'y' }])).toBe(
			prodigyTaskHash('ab', [{ start: 0, end: 1, label: 'y' }, { start: 1, end: 2, label: 'x' }])
		);
	});

	it('names the annotator <dataset>-<annotator>', () => {
		expect(toProdigyTask(small('a b', [], 'alice'))._annotator_id).toBe('ds-alice');
	});

	it('a span covering no token keeps its offsets but has no token indices', () => {
		const t = toProdigyTask(small('a  b', [[1, 3, 'claim'], [0, 4, 'date']]));
		expect(t.spans).toEqual([
			{ start: 0, end: 4, label: 'date', token_start: 0, token_end: 1 },
			{ start: 1, end: 3, label: 'claim' }
		]);
	});
});

describe('toConll', () => {
	it('worked example: BIO columns, the nested framing span in the second column, sentences', () => {
		const c = toConll(worked());
		expect(c.lines).toBe(EXPECTED_CONLL);
		expect(c.columns).toBe(2);
		expect(c.dropped).toBe(0);
		expect(c.dropped_spans).toEqual([]);
		expect(c.lost).toEqual({ crossing: 0, off_token_boundary: 0, no_token: 0, too_deep: 0 });
	});

	it('nested spans go one column deeper per level; a span on the same tokens counts as inside', () => {
		// "a b c d": y [0,3) holds x [0,1); z [4,5) and z [6,7) adjacent, w on exactly z's tokens
		const c = toConll(small('a b c d', [[0, 1, 'x'], [0, 3, 'y'], [4, 5, 'z'], [6, 7, 'z'], [6, 7, 'w']]));
		expect(c.lines).toBe('-DOCSTART-\tO\tO\n\na\tB-y\tB-x\nb\tI-y\tO\nc\tB-z\tO\nd\tB-w\tB-z\n\n');
		expect(c.dropped_spans).toEqual([]);
	});

	it('three levels, and `columns` pads a record to the width of the file', () => {
		const c = toConll(small('a b c', [[0, 5, 'x'], [2, 5, 'y'], [4, 5, 'z']]));
		expect(c.lines).toBe('-DOCSTART-\tO\tO\tO\n\na\tB-x\tO\tO\nb\tI-x\tB-y\tO\nc\tI-x\tI-y\tB-z\n\n');
		expect(toConll(small('a', []), 3).lines).toBe('-DOCSTART-\tO\tO\tO\n\na\tO\tO\tO\n\n');
		expect(toConll(small('a b c', [[0, 5, 'x'], [2, 5, 'y'], [4, 5, 'z']]), 1).columns).toBe(3); // never fewer than needed
	});

	it('loses crossing spans, spans off token boundaries and spans covering no token, and says why', () => {
		// "ab cd ef": x [0,5) "ab cd" and y [3,8) "cd ef" cross; z [1,5) starts inside "ab"; w [2,3) is a space
		const c = toConll(small('ab cd ef', [[0, 5, 'x'], [3, 8, 'y'], [1, 5, 'z'], [2, 3, 'w']]));
		expect(c.lines).toBe('-DOCSTART-\tO\n\nab\tB-x\ncd\tI-x\nef\tO\n\n');
		expect(c.lost).toEqual({ crossing: 1, off_token_boundary: 1, no_token: 1, too_deep: 0 });
		expect(c.dropped).toBe(3);
		expect(c.dropped_spans.map((s) => s.label)).toEqual(['z', 'w', 'y']); // span order
	});

	it('at most MAX_CONLL_LEVELS columns: deeper spans are lost as too_deep, the file stays narrow', () => {
		// 2,000 spans each inside the one before: [0, 4000), [1, 3999)... over "a a a …" (2 code points per word)
		const text = Array(2000).fill('a').join(' ');
		const nested: Array<[number, number, string]> = [];
		for (let k = 0; k < 1000; k++) nested.push([2 * k, text.length - 2 * k, 'x']);
		const c = toConll(small(text, nested));
		expect(MAX_CONLL_LEVELS).toBe(10);
		expect(c.columns).toBe(10);
		expect(c.lost.too_deep).toBe(990);
		expect(c.dropped).toBe(990);
		const widths = new Set(c.lines.split('\n').filter((l) => l).map((l) => l.split('\t').length));
		expect([...widths]).toEqual([11]);
		expect(toConll(small('a', []), 50).columns).toBe(10);
	});

	it('cuts sentences, but never inside a span', () => {
		const text = 'Il pleut. Elle dit « viens. Vite ». Fin.';
		// «viens. Vite» runs over a sentence end: those two sentences stay one
		const c = toConll(small(text, [[19, 34, 'claim']]));
		expect(c.lines).toBe(
			'-DOCSTART-\tO\n\nIl\tO\npleut\tO\n.\tO\n\nElle\tO\ndit\tO\n«\tB-claim\nviens\tI-claim\n.\tI-claim\nVite\tI-claim\n»\tI-claim\n.\tO\n\nFin\tO\n.\tO\n\n'
		);
		const plain = toConll(small(text, []));
		expect(plain.lines.split('\n\n').length - 1).toBe(5); // header + 4 sentences
	});

	it('Japanese: tokens are words, sentences end at 。', () => {
		const c = toConll(small('東京都庁で会議が開かれた。北京だ。', [[2, 4, 'org']]));
		expect(c.lines).toBe(
			'-DOCSTART-\tO\n\n東京\tO\n都庁\tB-org\nで\tO\n会議\tO\nが\tO\n開\tO\nか\tO\nれ\tO\nた\tO\n。\tO\n\n北京\tO\nだ\tO\n。\tO\n\n'
		);
	});

	it('an empty document is its header', () => {
		expect(toConll(small('', [])).lines).toBe('-DOCSTART-\tO\n\n');
		expect(toConll(small(' \r\n ', [])).lines).toBe('-DOCSTART-\tO\n\n');
	});
});

describe('tokenize', () => {
	it('words are letter/number/mark runs; every other non-space code point is a token', () => {
		expect(tokenize('e\u0301t\u00e9, 42%!').map((t) => [t.text, t.start, t.end, t.ws])).toEqual([
			['e\u0301t\u00e9', 0, 4, false],
			[',', 4, 5, true],
			['42', 6, 8, false],
			['%', 8, 9, false],
			['!', 9, 10, false]
		]);
	});

	it('tokenRange finds first/last overlapping token or null', () => {
		const toks = tokenize('aa bb cc');
		expect(tokenRange(toks, 1, 4)).toEqual([0, 1]);
		expect(tokenRange(toks, 2, 3)).toBeNull();
		expect(tokenRange(toks, 0, 8)).toEqual([0, 2]);
		expect(tokenRange(toks, 7, 8)).toEqual([2, 2]);
		expect(tokenRange([], 0, 1)).toBeNull();
	});
});
