/** Helpers for the import tests (not a test file itself). */
import { parseImport } from './index';
import type { ImportedDocument, ImportReport, InputFile, ParseOptions } from './types';
import { problemLine, type ImportProblem } from '../../import/importApi';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export function bytes(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
	const arrays = parts.map((p) => (typeof p === 'string' ? enc(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
	const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
	let o = 0;
	for (const a of arrays) {
		out.set(a, o);
		o += a.length;
	}
	return out;
}

/** Splits `data` at the given offsets into an async stream of chunks. */
export async function* chunked(data: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
	let prev = 0;
	for (const c of [...cuts, data.length]) {
		yield data.slice(prev, c);
		prev = c;
	}
}

export async function* fixedChunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
	for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

export async function runImport(
	files: InputFile[] | AsyncIterable<InputFile>,
	opts?: ParseOptions
): Promise<{ docs: ImportedDocument[]; report: ImportReport }> {
	const { documents, report } = parseImport(files, opts);
	const docs: ImportedDocument[] = [];
	for await (const d of documents) docs.push(d);
	return { docs, report };
}

/** Code point slice, as Python's text[start:end]. */
export const cpSlice = (text: string, start: number, end: number): string => Array.from(text).slice(start, end).join('');

/** The problems as shown on one line (`line N: message`), composed from their fields. */
export const shown = (report: ImportReport): ImportProblem[] => report.problems.map((p) => ({ ...p, message: problemLine(p) }));

export const messages = (report: ImportReport): string[] => report.problems.map(problemLine);
