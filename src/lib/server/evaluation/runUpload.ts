/**
 * The rules of a prediction-run upload, apart from any store: the NDJSON
 * lines of a model's spans checked against the dataset's documents, the
 * limits, the messages, and the manifest's counts. Both stores' `runs.upload`
 * run an upload through `checkRunUpload` and keep what it yields (the file
 * store: its predictions.ts; PostgreSQL: store/postgres/runs.ts), so a
 * bad line refuses the run with the same words on either.
 *
 * `checkRunUpload` is pure apart from its input: it pulls the chunks and asks
 * `RunDocuments` about documents, and yields each checked line as it goes
 * (memory stays bounded by the longest line plus one id per document seen).
 * Once any problem is found it keeps checking but yields no more lines; at the
 * end it throws the refusal (400 with every problem, line-numbered; 413 past
 * the size limit) or returns the counts. A store writes what it is given
 * where nobody reads it yet and publishes it only when the generator returns:
 * uploads are all-or-nothing.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { badRequest, conflict, tooLarge, DomainError } from '../http/errors';
import { printable } from '../store/names';
import { splitLines } from '../import/bytes';
import { OffsetMap } from '../../text/offsets';
import type { EvalSpan } from '../../evaluation/match';
import type { RunSummary as RunManifest } from '../../evaluation/api';

export const RUN_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** predicted spans of one document at most: a bound on the matching's pairwise work */
export const MAX_PREDICTED_SPANS = 5000;
/** problems listed at most (the count says how many there were) */
const MAX_PROBLEMS = 50;

/** One stored line of a run: the document, its text's sha256, the spans sorted, each with the text it covers. */
export interface RunLine {
	doc_id: string;
	text_sha256: string;
	spans: Array<EvalSpan & { text: string }>;
}

export interface UploadProblem {
	line?: number;
	message: string;
}

export interface UploadOptions {
	by: string;
	model?: string;
	model_version?: string;
	maxBytes: number;
	now?: Date;
}

export interface UploadResult {
	run: string;
	documents: number;
	spans: number;
	manifest: RunManifest;
}

/** What an upload asks a store about the dataset's documents. */
export interface RunDocuments {
	hasId(id: string): boolean | Promise<boolean>;
	/** the id of the document whose text has this sha256 (lowercase hex) */
	idOfText(sha256: string): string | undefined | Promise<string | undefined>;
	/** a document known to exist */
	document(id: string): Promise<{ text: string; sha256: string }>;
}

/** A checked upload: the manifest's fields that the lines decide. */
export interface CheckedRun {
	model: string | null;
	model_version: string | null;
	/** of the bytes as sent */
	sha256: string;
	bytes: number;
	documents: number;
	spans: number;
	span_counts: Record<string, number>;
	scores: { count: number; min: number; max: number } | null;
}

export function runExists(run: string): DomainError {
	return conflict(`the prediction run "${run}" already exists: runs are immutable, upload under another name`);
}

export function checkRunName(name: string): string {
	if (!RUN_NAME_RE.test(name) || name.includes('..')) {
		throw badRequest(
			`invalid run name "${printable(name)}": letters, digits, ".", "_" or "-" (starting with a letter or digit), at most 64 characters`
		);
	}
	return name;
}

const hex64 = /^[0-9a-f]{64}$/;
const labelName = z
	.string()
	.min(1, 'must not be empty')
	.max(100, 'is longer than 100 characters')
	.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'contains control characters');

const spanSchema = z.object({
	start: z.number().int('must be an integer').min(0, 'must not be negative'),
	end: z.number().int('must be an integer').min(0, 'must not be negative'),
	label: labelName,
	text: z.string().max(1_000_000).optional(),
	score: z.number().finite('must be a finite number').optional()
});

const lineSchema = z.object({
	doc_id: z.string().max(200).optional(),
	text_sha256: z
		.string()
		.transform((s) => s.toLowerCase())
		.refine((s) => hex64.test(s), 'must be 64 hex digits (the sha256 of the UTF-8 text)')
		.optional(),
	spans: z.array(spanSchema).max(MAX_PREDICTED_SPANS, `more than ${MAX_PREDICTED_SPANS} spans for one document`),
	model: z.string().max(200).optional(),
	model_version: z.string().max(200).optional()
});

function zodMessage(e: z.ZodError): string {
	return e.issues
		.slice(0, 3)
		.map((issue) => {
			const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
			return where ? `${where}: ${issue.message}` : issue.message;
		})
		.join('; ');
}

const clip = (s: string, n = 60) => (s.length > n ? s.slice(0, n) + '…' : s);
const quote = (s: string) => JSON.stringify(clip(s));

/**
 * Why a span's `text` is not `text[start:end]` in code points: when the
 * offsets read as UTF-16 code units (or as UTF-8 bytes) give exactly the text,
 * the message says so.
 */
export function offsetMismatch(docText: string, map: OffsetMap, s: { start: number; end: number; text?: string }): string | null {
	const inRange = s.end <= map.length;
	const actual = inRange ? docText.slice(map.toUtf16(s.start), map.toUtf16(s.end)) : null;
	if (s.text === undefined) {
		if (inRange) return null;
		const utf16 = s.end <= docText.length ? ' (it would fit as UTF-16 code units, the usual cause)' : '';
		return `end ${s.end} is beyond the end of the document (${map.length} code points)${utf16}: offsets must be Unicode code points (Python text[start:end])`;
	}
	if (actual === s.text) return null;
	const found = actual === null ? `the document has only ${map.length} code points` : `text[${s.start}:${s.end}] is ${quote(actual)} in code points`;
	let hint = 'UTF-16 code units (JavaScript, Java or C# string indices) are the usual cause';
	if (s.end <= docText.length && docText.slice(s.start, s.end) === s.text) {
		hint = `read as UTF-16 code units, [${s.start}:${s.end}] is exactly that text: the model used UTF-16 offsets (JavaScript, Java or C# string indices); convert them to code points`;
	} else {
		const bytes = Buffer.from(docText, 'utf8');
		if (s.end <= bytes.length && bytes.subarray(s.start, s.end).toString('utf8') === s.text) {
			hint = `read as UTF-8 byte offsets, [${s.start}:${s.end}] is exactly that text: the model used byte offsets; convert them to code points (UTF-16 code units are the more usual cause)`;
		}
	}
	return `${found}, not ${quote(s.text)}: the model probably used other offsets than Unicode code points; ${hint}`;
}

/** Refused uploads: 400 with every problem, nothing stored. */
function refused(problems: UploadProblem[], omitted: number): DomainError {
	const n = problems.length + omitted;
	return badRequest(`nothing was stored: ${n} problem${n === 1 ? '' : 's'} found`, {
		errors: problems,
		...(omitted ? { omitted } : {})
	});
}

/** Line numbers of a refusal as a plain list (for the CLI and tests). */
export function problemsOf(e: unknown): UploadProblem[] {
	if (e instanceof DomainError && Array.isArray(e.details?.errors)) return e.details.errors as UploadProblem[];
	return [];
}

/**
 * Checks the NDJSON `chunks` of an upload to dataset `slug`, yielding each
 * good line (with its 1-based line number) while no problem has been found.
 * @returns the counts, when every line was good
 * @throws DomainError 400 (problems, line-numbered), 413 (more than options.maxBytes)
 */
export async function* checkRunUpload(
	slug: string,
	chunks: AsyncIterable<Uint8Array>,
	docs: RunDocuments,
	options: Pick<UploadOptions, 'model' | 'model_version' | 'maxBytes'>
): AsyncGenerator<{ line: number; record: RunLine }, CheckedRun, undefined> {
	const hash = createHash('sha256');
	const problems: UploadProblem[] = [];
	let omitted = 0;
	const problem = (line: number | undefined, message: string) => {
		if (problems.length < MAX_PROBLEMS) problems.push(line === undefined ? { message } : { line, message: `line ${line}: ${message}` });
		else omitted++;
	};
	const seen = new Map<string, number>();
	const counts = new Map<string, number>();
	let model: string | null = options.model ?? null;
	let modelVersion: string | null = options.model_version ?? null;
	const modelFrom: { model?: number; model_version?: number } = {};
	let scores: { count: number; min: number; max: number } | null = null;
	let documents = 0;
	let spans = 0;
	let bytes = 0;
	let lineNo = 0;
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
	async function* countedChunks(): AsyncGenerator<Uint8Array> {
		for await (const chunk of chunks) {
			bytes += chunk.byteLength;
			if (bytes > options.maxBytes) {
				throw tooLarge(`the upload is larger than the size limit of ${options.maxBytes} bytes; nothing was stored`);
			}
			hash.update(chunk);
			yield chunk;
		}
	}
	for await (let raw of splitLines(countedChunks())) {
		lineNo++;
		if (lineNo === 1 && raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) raw = raw.subarray(3);
		if (raw.length > 0 && raw[raw.length - 1] === 13) raw = raw.subarray(0, raw.length - 1);
		let text: string;
		try {
			text = decoder.decode(raw);
		} catch {
			problem(lineNo, 'invalid UTF-8; the file must be UTF-8 encoded');
			continue;
		}
		if (text.trim() === '') continue;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (e) {
			problem(lineNo, `invalid JSON: ${clip((e as Error).message, 200)}`);
			continue;
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			problem(lineNo, 'expected a JSON object {"doc_id" or "text_sha256", "spans": [...]}');
			continue;
		}
		const parsed = lineSchema.safeParse(value);
		if (!parsed.success) {
			problem(lineNo, zodMessage(parsed.error));
			continue;
		}
		const line = parsed.data;
		for (const key of ['model', 'model_version'] as const) {
			const given = line[key];
			if (given === undefined) continue;
			const current = key === 'model' ? model : modelVersion;
			if (current === null) {
				if (key === 'model') model = given;
				else modelVersion = given;
				modelFrom[key] = lineNo;
			} else if (current !== given) {
				const where = modelFrom[key] ? `line ${modelFrom[key]}` : 'the query string';
				problem(lineNo, `${key} ${quote(given)} differs from ${quote(current)} given on ${where}: one run is one model`);
			}
		}
		// the document: by id, by the text's sha256, or both (then they must agree)
		let docId: string | undefined;
		if (line.doc_id !== undefined) {
			if (!(await docs.hasId(line.doc_id))) {
				problem(lineNo, `no document "${printable(clip(line.doc_id))}" in dataset "${slug}"`);
				continue;
			}
			docId = line.doc_id;
		}
		if (line.text_sha256 !== undefined) {
			const byText = await docs.idOfText(line.text_sha256);
			if (byText === undefined) {
				problem(lineNo, `no document of dataset "${slug}" has a text with sha256 ${line.text_sha256}`);
				continue;
			}
			if (docId !== undefined && byText !== docId) {
				problem(lineNo, `text_sha256 is the text of document "${byText}", not of doc_id "${docId}"`);
				continue;
			}
			docId = byText;
		}
		if (docId === undefined) {
			problem(lineNo, 'give the document as "doc_id" or "text_sha256"');
			continue;
		}
		const first = seen.get(docId);
		if (first !== undefined) {
			problem(lineNo, `document "${docId}" was already given on line ${first}: one line per document`);
			continue;
		}
		seen.set(docId, lineNo);
		const doc = await docs.document(docId);
		const map = new OffsetMap(doc.text);
		const out: RunLine = { doc_id: docId, text_sha256: doc.sha256, spans: [] };
		let bad = false;
		line.spans.forEach((s, i) => {
			if (bad) return;
			const name = `span ${i + 1} (start ${s.start}, end ${s.end})`;
			if (s.end <= s.start) {
				problem(lineNo, `${name}: end must be greater than start`);
				bad = true;
				return;
			}
			const mismatch = offsetMismatch(doc.text, map, s);
			if (mismatch) {
				problem(lineNo, `${name}: ${mismatch}`);
				bad = true;
				return;
			}
			const covered = doc.text.slice(map.toUtf16(s.start), map.toUtf16(s.end));
			out.spans.push({ start: s.start, end: s.end, label: s.label, text: covered, ...(s.score !== undefined ? { score: s.score } : {}) });
		});
		if (bad || problems.length + omitted > 0) continue; // keep checking, stop yielding
		out.spans.sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
		for (const s of out.spans) {
			counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
			if (s.score !== undefined) {
				scores = scores
					? { count: scores.count + 1, min: Math.min(scores.min, s.score), max: Math.max(scores.max, s.score) }
					: { count: 1, min: s.score, max: s.score };
			}
		}
		documents++;
		spans += out.spans.length;
		yield { line: lineNo, record: out };
	}
	if (lineNo === 0 || (documents === 0 && problems.length + omitted === 0)) problem(undefined, 'the upload has no lines: send one JSON object per line');
	if (problems.length + omitted > 0) throw refused(problems, omitted);
	const span_counts: Record<string, number> = Object.create(null);
	for (const label of [...counts.keys()].sort()) span_counts[label] = counts.get(label)!;
	return { model, model_version: modelVersion, sha256: hash.digest('hex'), bytes, documents, spans, span_counts, scores };
}

/** The manifest of a checked run, its fields in the order the file store has always written them. */
export function runManifest(
	checked: CheckedRun,
	where: { run: string; dataset: string; file: string },
	options: Pick<UploadOptions, 'by' | 'now'>
): RunManifest {
	return {
		run: where.run,
		dataset: where.dataset,
		model: checked.model,
		model_version: checked.model_version,
		uploaded_at: (options.now ?? new Date()).toISOString(),
		uploaded_by: options.by,
		sha256: checked.sha256,
		bytes: checked.bytes,
		documents: checked.documents,
		spans: checked.spans,
		span_counts: checked.span_counts,
		scores: checked.scores,
		file: where.file
	};
}

/** Runs the check to its end, handing each good line to `keep`; returns the counts. */
export async function keepCheckedLines(
	check: AsyncGenerator<{ line: number; record: RunLine }, CheckedRun, undefined>,
	keep: (line: number, record: RunLine) => Promise<void>
): Promise<CheckedRun> {
	for (;;) {
		const next = await check.next();
		if (next.done) return next.value;
		await keep(next.value.line, next.value.record);
	}
}
