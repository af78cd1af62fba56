/**
 * Label Studio JSON exports (one JSON array of tasks) as import documents.
 * The array is cut into its tasks by a scanner that tracks strings and
 * nesting, so no single `JSON.parse` sees more than one task, a value nested
 * too deep is refused before anything parses it, and the event loop gets a
 * turn every few milliseconds however large the file (a 50 MiB export parsed
 * whole blocked the server for a second).
 */
import { readLabelStudioTask } from '../../release/interchange';
import { recordToDocument } from './records';
import type { ImportState } from './state';
import type { ImportedDocument } from './types';
import { ID_PATTERN, MAX_JSON_DEPTH, clip, firstInvalidUtf8 } from './util';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Main-thread time between two turns of the event loop. */
const SLICE_MS = 10;

/**
 * The UTF-16 ranges of the elements of the top-level JSON array `text`, in
 * order, or a problem: not an array, nested deeper than `maxDepth` (the array
 * itself is level 1), or cut short. Elements are not checked here beyond
 * their brackets and strings: `JSON.parse` of each says what else is wrong.
 */
export function* arrayElements(text: string, maxDepth = MAX_JSON_DEPTH): Generator<{ start: number; end: number } | { problem: string }> {
	let i = 0;
	const n = text.length;
	const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
	while (i < n && isSpace(text.charCodeAt(i))) i++;
	if (text.charCodeAt(i) !== 0x5b /* [ */) {
		yield { problem: 'a Label Studio export must be a JSON array of tasks' };
		return;
	}
	i++;
	let depth = 1;
	let start = -1;
	for (; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */) {
			if (start < 0) start = i;
			for (i++; i < n; i++) {
				const d = text.charCodeAt(i);
				if (d === 0x5c /* \ */) i++;
				else if (d === 0x22) break;
			}
			continue;
		}
		if (c === 0x5b || c === 0x7b /* [ { */) {
			if (start < 0) start = i;
			if (++depth > maxDepth) {
				yield { problem: `nested more than ${maxDepth} levels deep (objects and arrays inside each other): not a Label Studio export` };
				return;
			}
			continue;
		}
		if (c === 0x5d || c === 0x7d /* ] } */) {
			depth--;
			if (depth === 0) {
				if (start >= 0) yield { start, end: i };
				return;
			}
			continue;
		}
		if (depth === 1) {
			if (c === 0x2c /* , */) {
				yield start >= 0 ? { start, end: i } : { start: i, end: i };
				start = -1;
			} else if (start < 0 && !isSpace(c)) start = i;
		}
	}
	yield { problem: 'the JSON array is cut short (no closing "]")' };
}

/**
 * The documents of a Label Studio JSON export: one per task, with the first
 * annotation's regions, attributes and relations as pre-annotations
 * (../../release/interchange.ts `readLabelStudioTask`). Problems name the
 * task (and the result); a task's id is its `data.doc_id` when that is a
 * valid id, else the id comes from the text.
 */
export async function* labelStudioDocuments(name: string, bytes: Uint8Array, state: ImportState): AsyncGenerator<ImportedDocument> {
	let text: string;
	try {
		text = strictUtf8.decode(bytes);
	} catch {
		state.problem(name, undefined, `invalid UTF-8 (at byte ${firstInvalidUtf8(bytes) + 1}); the file must be UTF-8 encoded`);
		return;
	}
	let index = 0;
	let slice = performance.now();
	for (const element of arrayElements(text)) {
		if ('problem' in element) {
			state.problem(name, undefined, element.problem);
			return;
		}
		const i = index++;
		let task: unknown;
		try {
			task = JSON.parse(text.slice(element.start, element.end));
		} catch (e) {
			state.problem(name, undefined, `task ${i + 1}: invalid JSON: ${clip(e instanceof Error ? e.message : String(e), 200)}`);
			continue;
		}
		const read = readLabelStudioTask(task, i);
		if ('problems' in read) for (const p of read.problems) state.problem(name, undefined, p);
		else {
			const id = read.id !== null && ID_PATTERN.test(read.id) ? read.id : undefined;
			// named by its task in problems and duplicates; the document's source is the file
			const doc = recordToDocument({ id, title: read.title ?? undefined, text: read.text }, `${name} task ${i + 1}`, undefined, state);
			if (doc) {
				doc.source = name;
				doc.task = i + 1;
				doc.spans = read.spans;
				if (read.relations.length) doc.relations = read.relations;
				yield doc;
			}
		}
		if (performance.now() - slice > SLICE_MS) {
			await new Promise((resolve) => setImmediate(resolve));
			slice = performance.now();
		}
	}
	if (index === 0) state.problem(name, undefined, 'the file contains no tasks');
}
