/**
 * Import parsing layer: files (bytes or streams) → validated documents + a report.
 * Pure: no store, no HTTP. All-or-nothing is the caller's decision: run to completion
 * (e.g. `validateImport`, or stage the yielded documents) and commit only when
 * `report.problems` is empty.
 */
import { peek, readAll, type Chunks } from './bytes';
import { SNIFF_BYTES, detectFormat, unsupportedReason } from './detect';
import { decodeHtml } from './htmlDecode';
import { extractHtmlInWorker } from './htmlPool';
import { jsonlDocuments } from './jsonl';
import { wholeFileDocument } from './records';
import { ImportState, SizeLimitExceeded } from './state';
import { decodeTxt } from './txt';
import { timemlDocument } from './timeml';
import type { ImportReport, ImportedDocument, InputFile, ParseOptions } from './types';
import { clip, formatBytes, stripExtension } from './util';
import { listZip, unzipEntries } from './zip';
import { readBratAnnAt } from '../../release/interchange';
import { labelStudioDocuments } from './labelstudio';

export * from './types';
export { detectFormat, SUPPORTED_EXTENSIONS } from './detect';
export type { HtmlArticle } from './html';
export { extractHtmlInWorker } from './htmlPool';
export { parseJsonlStream, type JsonlOptions } from './jsonl';
export { recordToDocument } from './records';
export { ImportState } from './state';
export { splitLines } from './bytes';
export { checkEntryName } from './zip';
export { ID_PATTERN, codePointLength, documentIdFromText, sha256Hex } from './util';

/** Annotation source name for a document's pre-annotations: `import:<file name>`. */
export function importSourceName(doc: Pick<ImportedDocument, 'source'>): string {
	return `import:${doc.source}`;
}

export interface ParsedImport {
	/** valid documents, in file order, as they are parsed */
	documents: AsyncGenerator<ImportedDocument>;
	/** filled while `documents` is consumed; final once it has ended (`report.done`) */
	report: ImportReport;
	/**
	 * Records a problem the consumer found in a yielded document (e.g. against the
	 * store), under the same cap and in the same order as the parser's own problems.
	 * Call it before asking for the next document.
	 */
	problem(file: string, line: number | undefined, message: string): void;
}

/**
 * Parses all files of one import (txt, jsonl/ndjson, html/htm, zip of those). Documents
 * are yielded as they are parsed (JSONL streams line by line); problems of every file
 * are collected in `report` (capped, see ParseOptions) and invalid records are not
 * yielded. Exceeding the size limit records a problem and ends the iteration.
 * Errors of the input streams themselves (e.g. a dropped connection) are thrown.
 */
export function parseImport(
	files: AsyncIterable<InputFile> | Iterable<InputFile>,
	opts: ParseOptions = {}
): ParsedImport {
	const state = new ImportState(opts);
	async function* run(): AsyncGenerator<ImportedDocument> {
		try {
			for await (const file of files) yield* parseFile(file, state, null);
		} catch (e) {
			if (!(e instanceof SizeLimitExceeded)) throw e;
		} finally {
			state.finish();
		}
	}
	return { documents: run(), report: state.report, problem: (file, line, message) => state.problem(file, line, message) };
}

/** Runs `parseImport` to the end, discarding documents: the validation pass. */
export async function validateImport(
	files: AsyncIterable<InputFile> | Iterable<InputFile>,
	opts: ParseOptions = {}
): Promise<ImportReport> {
	const { documents, report } = parseImport(files, opts);
	for await (const _ of documents) {
		/* validation only */
	}
	return report;
}

async function* parseFile(
	file: InputFile,
	state: ImportState,
	zipName: string | null
): AsyncGenerator<ImportedDocument> {
	const name = file.name;
	// Bytes of zip entries were counted (uncompressed) when the archive was opened.
	const counted = zipName !== null;
	let head: Uint8Array;
	let data: Uint8Array | null = null;
	let chunks: Chunks = [];
	let close = async () => {};
	if ('data' in file) {
		data = file.data;
		head = data.subarray(0, SNIFF_BYTES);
	} else {
		const p = await peek(file.stream, SNIFF_BYTES);
		head = p.head;
		chunks = p.rest;
		close = p.close;
	}
	const format = detectFormat(name, head);
	if (format !== 'zip') state.report.files++;
	if (format === null || head.length === 0) {
		await close();
		state.problem(name, undefined, format === null ? unsupportedReason(name, head) : 'the file is empty');
		return;
	}
	if (data !== null && !counted && format !== 'zip') state.addBytes(name, data.length);

	switch (format) {
		case 'jsonl':
			yield* jsonlDocuments(name, data !== null ? [data] : chunks, state, data === null && !counted);
			return;
		case 'txt':
		case 'html': {
			const bytes = data ?? (await readAll(chunks, counted ? undefined : state, name));
			let doc: ImportedDocument | null = null;
			if (format === 'txt') {
				const r = decodeTxt(bytes, name);
				if ('message' in r) state.problem(name, r.line, r.message);
				else {
					doc = wholeFileDocument(name, r.text, r.title, {}, state);
					if (doc) doc = withBratAnnotations(doc, name, state);
				}
			} else {
				const r = decodeHtml(bytes);
				if ('message' in r) state.problem(name, r.line, r.message);
				else {
					// off the main thread, with a time budget and a depth limit checked before parsing (htmlPool.ts)
					const extracted = await extractHtmlInWorker(r.html, name);
					const article = 'article' in extracted ? extracted.article : null;
					if ('problem' in extracted) state.problem(name, undefined, extracted.problem);
					if (article) {
						if (article.text.trim() === '') state.problem(name, undefined, 'no article text found in the HTML');
						else doc = wholeFileDocument(name, article.text, article.title, article.meta, state);
					}
				}
			}
			if (doc) {
				state.accept(doc);
				yield doc;
			}
			return;
		}
		case 'brat-conf':
			await close();
			return;
		case 'brat': {
			const bytes = data ?? (await readAll(chunks, counted ? undefined : state, name));
			const r = decodeTxt(bytes, name);
			const stem = stripExtension(name);
			if ('message' in r) state.problem(name, r.line, r.message);
			else if (state.txtStems.has(stem)) {
				state.problem(name, undefined, `came after its text ${stem.split('/').pop()}.txt in this import: give each .ann before its .txt (or zip them together)`);
			} else if (state.bratAnn.has(stem)) state.problem(name, undefined, 'a second .ann for the same text');
			else state.bratAnn.set(stem, { name, text: r.text });
			return;
		}
		case 'labelstudio': {
			const bytes = data ?? (await readAll(chunks, counted ? undefined : state, name));
			for await (const doc of labelStudioDocuments(name, bytes, state)) {
				state.accept(doc);
				yield doc;
			}
			return;
		}
		case 'timeml': {
			const bytes = data ?? (await readAll(chunks, counted ? undefined : state, name));
			const doc = timemlDocument(name, bytes, state);
			if (doc) {
				state.accept(doc);
				yield doc;
			}
			return;
		}
		case 'zip': {
			if (zipName !== null) {
				state.report.files++;
				state.problem(name, undefined, 'zip archives inside zip archives are not supported');
				return;
			}
			yield* parseZip(name, data, chunks, state);
			return;
		}
	}
}

async function* parseZip(
	name: string,
	data: Uint8Array | null,
	chunks: Chunks,
	state: ImportState
): AsyncGenerator<ImportedDocument> {
	// The archive itself must fit the limit too (it is held in memory to be read).
	let archive: Uint8Array;
	if (data !== null) {
		if (data.length > state.maxBytes) state.sizeLimit(name, 'the archive');
		archive = data;
	} else {
		let size = 0;
		archive = await readAll(
			(async function* () {
				for await (const c of chunks) {
					size += c.length;
					if (size > state.maxBytes) state.sizeLimit(name, 'the archive');
					yield c;
				}
			})()
		);
	}
	let listing: ReturnType<typeof listZip>;
	try {
		listing = listZip(archive);
	} catch (e) {
		state.problem(name, undefined, `not a valid zip archive: ${clip(e instanceof Error ? e.message : String(e), 200)}`);
		return;
	}
	for (const r of listing.rejected) state.problem(`${name}/${r.name}`, undefined, r.message);
	if (listing.entries.length === 0) {
		if (listing.rejected.length === 0) state.problem(name, undefined, 'the archive contains no files to import');
		return;
	}
	// brat: each .ann is read before the .txt it annotates (stable: every other entry keeps its place)
	listing.entries.sort((a, b) => Number(!/\.ann$/i.test(a.path)) - Number(!/\.ann$/i.test(b.path)));
	const total = listing.entries.reduce((s, e) => s + e.size, 0);
	state.checkFits(name, total, `the archive's content (${formatBytes(total)} uncompressed)`);
	state.addBytes(name, total);
	let files: ReturnType<typeof unzipEntries>[number][];
	try {
		files = unzipEntries(archive, listing.entries);
	} catch (e) {
		state.problem(name, undefined, `could not decompress the archive: ${clip(e instanceof Error ? e.message : String(e), 200)}`);
		return;
	}
	for (let i = 0; i < files.length; i++) {
		const f = files[i];
		files[i] = { entry: f.entry, data: new Uint8Array(0) }; // let entries be collected once parsed
		if ('error' in f) {
			state.problem(`${name}/${f.entry.path}`, undefined, f.error);
			continue;
		}
		yield* parseFile({ name: `${name}/${f.entry.path}`, data: f.data }, state, name);
	}
}

/**
 * A brat `.txt` with the `.ann` of the same name given before it: its spans,
 * relations and attributes (../../release/interchange.ts); null when the
 * `.ann` is wrong (its problems name its lines).
 */
function withBratAnnotations(doc: ImportedDocument, name: string, state: ImportState): ImportedDocument | null {
	const stem = stripExtension(name);
	state.txtStems.add(stem);
	const ann = state.bratAnn.get(stem);
	if (!ann) return doc;
	state.bratAnn.delete(stem);
	const read = readBratAnnAt(doc.text, ann.text);
	if ('problems' in read) {
		for (const p of read.problems) state.problem(ann.name, p.line, p.message);
		return null;
	}
	doc.spans = read.spans;
	if (read.relations.length) doc.relations = read.relations;
	return doc;
}
