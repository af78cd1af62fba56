import { counted, splitLines, type Chunks } from './bytes';
import { recordToDocument } from './records';
import { ImportState, SizeLimitExceeded } from './state';
import type { ImportedDocument } from './types';
import { clip, firstInvalidUtf8, hasUtf8Bom } from './util';

export interface JsonlOptions {
	/** shared import state (problems, ids, byte budget); a fresh one by default */
	state?: ImportState;
	/** count the bytes against the size limit (false when the caller already did, e.g. zip entries) */
	countBytes?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isBlank(s: string): boolean {
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0b && c !== 0x0c) return false;
	}
	return true;
}

/**
 * Streaming JSONL/NDJSON parser: consumes byte chunks, yields one document per valid
 * line as soon as the line is complete; memory is bounded by the longest line.
 * Problems (with 1-based line numbers) go to `state.report.problems`; invalid lines
 * are not yielded. Blank lines are skipped; lines may end in CRLF; a UTF-8 BOM at the
 * start of the file is dropped. Stops (with a problem) when the size limit is exceeded.
 */
export async function* parseJsonlStream(
	name: string,
	chunks: Chunks,
	opts: JsonlOptions = {}
): AsyncGenerator<ImportedDocument> {
	const state = opts.state ?? new ImportState();
	try {
		yield* jsonlDocuments(name, chunks, state, opts.countBytes ?? true);
	} catch (e) {
		if (!(e instanceof SizeLimitExceeded)) throw e; // the problem is already recorded
	}
}

/** Internal variant: lets SizeLimitExceeded propagate so that parseImport stops everything. */
export async function* jsonlDocuments(
	name: string,
	chunks: Chunks,
	state: ImportState,
	countBytes: boolean
): AsyncGenerator<ImportedDocument> {
	const source: AsyncIterable<Uint8Array> = countBytes
		? counted(chunks, state, name)
		: (async function* () {
				for await (const c of chunks) yield c;
			})();
	let lineNo = 0;
	let found = 0;
	const problemsBefore = state.problemCount;
	for await (let bytes of splitLines(source)) {
		lineNo++;
		if (lineNo === 1 && hasUtf8Bom(bytes)) bytes = bytes.subarray(3);
		if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
		if (bytes.length === 0) continue;
		let line: string;
		try {
			line = decoder.decode(bytes);
		} catch {
			const at = firstInvalidUtf8(bytes);
			state.problem(name, lineNo, `invalid UTF-8 (at byte ${at + 1} of the line); the file must be UTF-8 encoded`);
			continue;
		}
		if (isBlank(line)) continue;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (e) {
			state.problem(name, lineNo, `invalid JSON: ${clip(e instanceof Error ? e.message : String(e), 200)}`);
			continue;
		}
		const doc = recordToDocument(value, name, lineNo, state);
		if (doc) {
			found++;
			state.accept(doc);
			yield doc;
		}
	}
	if (found === 0 && state.problemCount === problemsBefore)
		state.problem(name, undefined, 'the file contains no documents (it is empty or has only blank lines)');
}
