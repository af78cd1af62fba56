/** The prediction-run upload rules (runUpload.ts) with worked examples, over an in-memory set of documents. */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { isDomainError } from '../http/errors';
import { checkRunName, checkRunUpload, keepCheckedLines, offsetMismatch, problemsOf, runManifest, type RunDocuments, type RunLine } from './runUpload';
import { OffsetMap } from '../../text/offsets';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
// code points: "Le " 0-3, the emoji 3-4, " " 4, "maire" 5-10
const A = 'Le \u{1F389} maire a dit.';
const B = 'Élise a écrit.';
const TEXTS: Record<string, string> = { a: A, b: B, c: 'Court.' };

/** the dataset's documents, counting what the check asks */
function docs(): RunDocuments & { asked: number } {
	const d = {
		asked: 0,
		hasId: (id: string) => Object.hasOwn(TEXTS, id),
		idOfText: (h: string) => Object.keys(TEXTS).find((id) => sha(TEXTS[id]) === h),
		async document(id: string) {
			d.asked++;
			return { text: TEXTS[id], sha256: sha(TEXTS[id]) };
		}
	};
	return d;
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
	yield new TextEncoder().encode(text);
}
const ndjson = (lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

async function run(text: string, options: { model?: string; model_version?: string; maxBytes?: number } = {}) {
	const kept: Array<[number, RunLine]> = [];
	const checked = await keepCheckedLines(checkRunUpload('news', bytes(text), docs(), { maxBytes: 1 << 20, ...options }), async (line, record) => {
		kept.push([line, record]);
	});
	return { kept, checked };
}

async function refusal(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (e) {
		if (!isDomainError(e)) throw e;
		return { status: e.status, message: e.message, errors: problemsOf(e), details: e.details };
	}
	throw new Error('expected a refusal');
}

describe('checkRunUpload', () => {
	it('yields each line with its number: the spans sorted, each with the text it covers in code points; returns the counts', async () => {
		const body = ndjson([
			{ doc_id: 'a', spans: [{ start: 5, end: 10, label: 'source', score: 0.25 }, { start: 0, end: 2, label: 'claim' }, { start: 0, end: 2, label: 'attr' }] },
			'',
			{ text_sha256: sha(B).toUpperCase(), model: 'crf', spans: [{ start: 0, end: 5, label: 'source', text: 'Élise', score: 0.75 }] }
		]);
		const { kept, checked } = await run(body);
		expect(kept).toEqual([
			[
				1,
				{
					doc_id: 'a',
					text_sha256: sha(A),
					spans: [
						{ start: 0, end: 2, label: 'attr', text: 'Le' },
						{ start: 0, end: 2, label: 'claim', text: 'Le' },
						{ start: 5, end: 10, label: 'source', text: 'maire', score: 0.25 }
					]
				}
			],
			[3, { doc_id: 'b', text_sha256: sha(B), spans: [{ start: 0, end: 5, label: 'source', text: 'Élise', score: 0.75 }] }]
		]);
		expect(checked).toEqual({
			model: 'crf',
			model_version: null,
			sha256: sha(body),
			bytes: Buffer.byteLength(body),
			documents: 2,
			spans: 4,
			span_counts: { attr: 1, claim: 1, source: 2 },
			scores: { count: 2, min: 0.25, max: 0.75 }
		});
		expect(Object.keys(checked.span_counts)).toEqual(['attr', 'claim', 'source']);
	});

	it('takes a BOM and CRLF line ends; the sha256 is of the bytes as sent', async () => {
		const body = '\uFEFF' + JSON.stringify({ doc_id: 'a', spans: [] }) + '\r\n' + JSON.stringify({ doc_id: 'b', spans: [] }) + '\r\n';
		const { kept, checked } = await run(body);
		expect(kept.map(([n, r]) => [n, r.doc_id])).toEqual([[1, 'a'], [2, 'b']]);
		expect(checked.sha256).toBe(sha(body));
	});

	it('one bad line: every problem is listed with its line, nothing more is yielded, and the refusal is a 400', async () => {
		const kept: number[] = [];
		const e = await refusal(
			keepCheckedLines(
				checkRunUpload(
					'news',
					bytes(
						ndjson([
							{ doc_id: 'a', spans: [] },
							{ doc_id: 'b', spans: [{ start: 3, end: 3, label: 'x' }] },
							{ doc_id: 'a', text_sha256: sha(B), spans: [] },
							{ doc_id: 'c', spans: [{ start: 0, end: 99, label: 'x' }] },
							{ doc_id: 'b', spans: [{ start: 0, end: 1, label: '' }, { start: -1, end: 1.5, label: 'x' }] },
							[1, 2],
							{ spans: [] },
							{ doc_id: 'b', spans: [] }
						])
					),
					docs(),
					{ maxBytes: 1 << 20 }
				),
				async (line) => {
					kept.push(line);
				}
			)
		);
		expect(kept).toEqual([1]);
		expect(e.status).toBe(400);
		expect(e.message).toBe('nothing was stored: 7 problems found');
		expect(e.errors.map((p) => p.message)).toEqual([
			'line 2: span 1 (start 3, end 3): end must be greater than start',
			'line 3: text_sha256 is the text of document "b", not of doc_id "a"',
			'line 4: span 1 (start 0, end 99): end 99 is beyond the end of the document (6 code points): offsets must be Unicode code points (Python text[start:end])',
			'line 5: spans[0].label: must not be empty; spans[1].start: must not be negative; spans[1].end: must be an integer',
			'line 6: expected a JSON object {"doc_id" or "text_sha256", "spans": [...]}',
			'line 7: give the document as "doc_id" or "text_sha256"',
			'line 8: document "b" was already given on line 2: one line per document'
		]);
	});

	it('one run is one model: a model differing from the query string or an earlier line is a problem', async () => {
		const e = await refusal(run(ndjson([{ doc_id: 'a', model: 'crf', spans: [] }, { doc_id: 'b', model_version: '1', spans: [] }]), { model: 'bert' }));
		expect(e.errors).toEqual([{ line: 1, message: 'line 1: model "crf" differs from "bert" given on the query string: one run is one model' }]);
		const f = await refusal(run(ndjson([{ doc_id: 'a', model_version: '1', spans: [] }, { doc_id: 'b', model_version: '2', spans: [] }])));
		expect(f.errors[0].message).toBe('line 2: model_version "2" differs from "1" given on line 1: one run is one model');
	});

	it('lists 50 problems at most and counts the rest; invalid UTF-8 and JSON are problems of their lines', async () => {
		const lines = Array.from({ length: 60 }, () => '{nope');
		const e = await refusal(run(lines.join('\n')));
		expect(e.message).toBe('nothing was stored: 60 problems found');
		expect(e.errors).toHaveLength(50);
		expect(e.details).toMatchObject({ omitted: 10 });
		async function* bad(): AsyncGenerator<Uint8Array> {
			yield Uint8Array.from([0x7b, 0xff, 0x7d, 0x0a]);
		}
		const u = await refusal(keepCheckedLines(checkRunUpload('news', bad(), docs(), { maxBytes: 100 }), async () => {}));
		expect(u.errors).toEqual([{ line: 1, message: 'line 1: invalid UTF-8; the file must be UTF-8 encoded' }]);
	});

	it('an empty upload (or only blank lines) is refused', async () => {
		for (const body of ['', '\n\n  \n']) {
			const e = await refusal(run(body));
			expect(e.errors).toEqual([{ message: 'the upload has no lines: send one JSON object per line' }]);
		}
	});

	it('past maxBytes: a 413 as soon as the limit is crossed, the rest never read', async () => {
		let pulled = 0;
		async function* endless(): AsyncGenerator<Uint8Array> {
			for (;;) {
				pulled++;
				yield new TextEncoder().encode(JSON.stringify({ doc_id: 'a', spans: [] }) + '\n');
			}
		}
		const e = await refusal(keepCheckedLines(checkRunUpload('news', endless(), docs(), { maxBytes: 1000 }), async () => {}));
		expect(e).toMatchObject({ status: 413, message: 'the upload is larger than the size limit of 1000 bytes; nothing was stored' });
		expect(pulled).toBeLessThan(50);
	});

	it('streams: lines are yielded while the input is still being read, one document at a time', async () => {
		const N = 20_000;
		let pulled = 0;
		const ids = Array.from({ length: N }, (_, i) => `d${i}`);
		const many: RunDocuments = { hasId: (id) => /^d\d+$/.test(id), idOfText: () => undefined, document: async () => ({ text: 'Un texte.', sha256: sha('Un texte.') }) };
		async function* body(): AsyncGenerator<Uint8Array> {
			for (const id of ids) {
				pulled++;
				yield new TextEncoder().encode(JSON.stringify({ doc_id: id, spans: [{ start: 0, end: 2, label: 'x' }] }) + '\n');
			}
		}
		let ahead = 0;
		const checked = await keepCheckedLines(checkRunUpload('big', body(), many, { maxBytes: 1 << 30 }), async (line) => {
			ahead = Math.max(ahead, pulled - line);
		});
		expect(checked).toMatchObject({ documents: N, spans: N, span_counts: { x: N } });
		expect(ahead).toBeLessThanOrEqual(2);
	});

	it('span_counts is a null-prototype record: labels named after Object.prototype members are counted as data', async () => {
		const { checked } = await run(ndjson([{ doc_id: 'a', spans: [{ start: 0, end: 2, label: 'constructor' }, { start: 5, end: 10, label: '__proto__' }] }]));
		expect(Object.getPrototypeOf(checked.span_counts)).toBeNull();
		expect(Object.keys(checked.span_counts)).toEqual(['__proto__', 'constructor']);
		expect(checked.span_counts['__proto__']).toBe(1);
	});
});

describe('offsetMismatch', () => {
	const map = new OffsetMap(A);
	it('names UTF-16 offsets when they give exactly the text', () => {
		expect(offsetMismatch(A, map, { start: 6, end: 11, text: 'maire' })).toBe(
			'text[6:11] is "aire " in code points, not "maire": the model probably used other offsets than Unicode code points; read as UTF-16 code units, [6:11] is exactly that text: the model used UTF-16 offsets (JavaScript, Java or C# string indices); convert them to code points'
		);
	});
	it('names UTF-8 byte offsets when they give exactly the text', () => {
		// bytes: "Le " 3, the emoji 4, " " 1: "maire" is bytes 8-13
		expect(offsetMismatch(A, map, { start: 8, end: 13, text: 'maire' })).toMatch(/read as UTF-8 byte offsets, \[8:13\] is exactly that text/);
	});
	it('agrees when the text is text[start:end] in code points, or absent and in range', () => {
		expect(offsetMismatch(A, map, { start: 5, end: 10, text: 'maire' })).toBeNull();
		expect(offsetMismatch(A, map, { start: 0, end: 17 })).toBeNull();
		expect(offsetMismatch(A, map, { start: 0, end: 18 })).toBe(
			'end 18 is beyond the end of the document (17 code points) (it would fit as UTF-16 code units, the usual cause): offsets must be Unicode code points (Python text[start:end])'
		);
	});
});

describe('checkRunName and runManifest', () => {
	it('refuses names that are not one path segment of safe characters', () => {
		for (const bad of ['', '../x', 'a..b', '.hidden', '__proto__', 'a/b', 'x'.repeat(65)]) expect(() => checkRunName(bad)).toThrow(/invalid run name/);
		for (const good of ['crf-1', 'constructor', 'v1.2_b']) expect(checkRunName(good)).toBe(good);
	});
	it('builds the manifest in the order the file store writes it', () => {
		const m = runManifest(
			{ model: null, model_version: null, sha256: 'f'.repeat(64), bytes: 3, documents: 1, spans: 0, span_counts: {}, scores: null },
			{ run: 'r', dataset: 'news', file: 'r.x.spans.jsonl' },
			{ by: 'lead', now: new Date(Date.UTC(2026, 0, 1)) }
		);
		expect(Object.keys(m)).toEqual(['run', 'dataset', 'model', 'model_version', 'uploaded_at', 'uploaded_by', 'sha256', 'bytes', 'documents', 'spans', 'span_counts', 'scores', 'file']);
		expect(m.uploaded_at).toBe('2026-01-01T00:00:00.000Z');
	});
});
