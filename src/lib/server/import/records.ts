import type { ImportedDocument, ImportedRelation, ImportedSpan } from './types';
import { readDoccanoRelations } from '../../release/interchange';
import type { ImportState } from './state';
import { reservedKeyPath } from '../../model/dict';
import {
	ID_PATTERN,
	baseName,
	clip,
	codePointLength,
	firstLineTitle,
	firstLoneSurrogate,
	idFromFileName,
	isPlainObject,
	jsonDepth,
	MAX_JSON_DEPTH,
	isWellFormed,
	kindOf,
	sha256Hex,
	stripExtension
} from './util';

function show(v: unknown): string {
	if (v === undefined) return 'nothing';
	try {
		return clip(JSON.stringify(v), 60);
	} catch {
		return kindOf(v);
	}
}

function checkSpan(
	i: number,
	start: unknown,
	end: unknown,
	label: unknown,
	length: number,
	errs: string[],
	out: ImportedSpan[]
): void {
	const before = errs.length;
	const startOk = typeof start === 'number' && Number.isInteger(start) && start >= 0;
	const endOk = typeof end === 'number' && Number.isInteger(end) && end >= 0;
	if (!startOk) errs.push(`span ${i} start must be a non-negative integer (got ${show(start)})`);
	if (!endOk) errs.push(`span ${i} end must be a non-negative integer (got ${show(end)})`);
	if (startOk && endOk) {
		if ((start as number) >= (end as number)) errs.push(`span ${i} start ${start} must be less than end ${end}`);
		else if ((end as number) > length)
			errs.push(`span ${i} end ${end} is beyond the text (length ${length} code points)`);
	}
	if (typeof label !== 'string' || label.trim() === '')
		errs.push(`span ${i} label must be a non-empty string (got ${show(label)})`);
	if (errs.length === before) out.push({ start: start as number, end: end as number, label: label as string });
}

/**
 * Pre-annotations of a record, in any of the accepted shapes (offsets in code points):
 * - spanlab / Prodigy: `"spans": [{"start", "end", "label", ...extra keys ignored}]`
 * - doccano (sequence labelling): `"label": [[start, end, "LABEL"], ...]`
 * - doccano (with relations): `"entities": [{"id", "start_offset", "end_offset", "label", "attrs"?}]`
 *   and `"relations": [{"from_id", "to_id", "type"}]` (entity ids; read into `relations`)
 * `spans` wins over `label`, which wins over `entities`; a non-array `label` (Prodigy's
 * text-classification label) is ignored.
 */
function readSpans(rec: Record<string, unknown>, length: number, errs: string[], relations: ImportedRelation[]): ImportedSpan[] {
	const out: ImportedSpan[] = [];
	const spans = rec.spans;
	if (spans !== undefined && spans !== null) {
		if (!Array.isArray(spans)) {
			errs.push(`"spans" must be an array, not ${kindOf(spans)}`);
			return out;
		}
		spans.forEach((s, k) => {
			if (!isPlainObject(s)) errs.push(`span ${k + 1} must be an object with "start", "end" and "label" (got ${show(s)})`);
			else checkSpan(k + 1, s.start, s.end, s.label, length, errs, out);
		});
		return out;
	}
	const label = rec.label;
	if (Array.isArray(label)) {
		label.forEach((s, k) => {
			if (!Array.isArray(s) || s.length !== 3)
				errs.push(`span ${k + 1} in "label" must be [start, end, "LABEL"] (got ${show(s)})`);
			else checkSpan(k + 1, s[0], s[1], s[2], length, errs, out);
		});
		return out;
	}
	const entities = rec.entities;
	if (entities !== undefined && entities !== null) {
		if (!Array.isArray(entities)) {
			errs.push(`"entities" must be an array, not ${kindOf(entities)}`);
			return out;
		}
		entities.forEach((s, k) => {
			if (!isPlainObject(s))
				errs.push(`span ${k + 1} in "entities" must be an object with "start_offset", "end_offset" and "label"`);
			else checkSpan(k + 1, s.start_offset, s.end_offset, s.label, length, errs, out);
		});
		if (errs.length === 0) {
			const read = readDoccanoRelations(entities, rec.relations, out);
			errs.push(...read.problems);
			relations.push(...read.relations);
		}
	}
	return out;
}

/**
 * Validates one JSONL record (already parsed) and turns it into a document.
 * Returns null when the record is invalid; its problems are recorded in `state`.
 *
 * `null` for the optional `id`, `title`, `meta`, `spans` is treated as absent.
 * Other keys (Prodigy's `_input_hash`, `tokens`, `answer`, doccano's `Comments` …) are ignored.
 */
export function recordToDocument(
	value: unknown,
	file: string,
	line: number | undefined,
	state: ImportState
): ImportedDocument | null {
	const errs: string[] = [];
	if (!isPlainObject(value)) {
		state.problem(file, line, `expected a JSON object, got ${kindOf(value)}`);
		return null;
	}
	const rec = value;

	const text = rec.text;
	let length = 0;
	if (text === undefined) errs.push('"text" is missing');
	else if (typeof text !== 'string') errs.push(`"text" must be a non-empty string, not ${kindOf(text)}`);
	else if (text.trim() === '') errs.push('"text" must be a non-empty string');
	else if (!isWellFormed(text))
		errs.push(`"text" contains an unpaired surrogate (a lone \\uD8xx-\\uDFxx escape) at code point ${firstLoneSurrogate(text)}`);
	else length = codePointLength(text);

	let title = '';
	if (rec.title !== undefined && rec.title !== null) {
		if (typeof rec.title !== 'string') errs.push(`"title" must be a string, not ${kindOf(rec.title)}`);
		else title = rec.title.trim();
	}

	let id: string | null = null;
	const rawId = rec.id;
	if (rawId !== undefined && rawId !== null) {
		if (typeof rawId === 'number' && Number.isSafeInteger(rawId)) id = String(rawId);
		else if (typeof rawId === 'string') id = rawId;
		else errs.push(`"id" must be a string or an integer, not ${typeof rawId === 'number' ? show(rawId) : kindOf(rawId)}`);
		if (id !== null && !ID_PATTERN.test(id)) {
			errs.push(
				`"id" ${show(id)} is not a valid id (1-128 characters: letters, digits, ".", "_", "-", starting with a letter or digit)`
			);
			id = null;
		}
	}

	let meta: Record<string, unknown> = {};
	if (rec.meta !== undefined && rec.meta !== null) {
		if (!isPlainObject(rec.meta)) errs.push(`"meta" must be an object, not ${kindOf(rec.meta)}`);
		else if (jsonDepth(rec.meta) > MAX_JSON_DEPTH)
			errs.push(`"meta" is nested more than ${MAX_JSON_DEPTH} levels deep (objects and arrays inside each other)`);
		else meta = rec.meta;
	}
	// a key __proto__ at any depth could not be stored, copied or sent to a page as a key
	const reservedKey = reservedKeyPath(meta, 'meta');
	if (reservedKey !== null) errs.push(`"${reservedKey}": "__proto__" is reserved (JavaScript objects read it as their prototype), so it cannot be a meta key`);

	const textOk = length > 0;
	const relations: ImportedRelation[] = [];
	const spans = textOk ? readSpans(rec, length, errs, relations) : [];

	let sha = '';
	if (textOk) {
		sha = sha256Hex(text as string);
		const derived = id === null && !errs.some((e) => e.startsWith('"id"'));
		const finalId = id ?? (derived ? 'd' + sha.slice(0, 16) : null);
		if (finalId !== null) {
			const where = line === undefined ? file : `${file} line ${line}`;
			const prev = state.claimId(finalId, where);
			if (prev !== null)
				errs.push(
					derived
						? `duplicate document: the same text (id ${show(finalId)}) is already in ${prev}`
						: `duplicate id ${show(finalId)} (first used in ${prev})`
				);
			id = finalId;
		}
	}

	if (errs.length > 0) {
		for (const e of errs) state.problem(file, line, e);
		return null;
	}
	const t = text as string;
	const doc: ImportedDocument = {
		id: id as string,
		title: title || firstLineTitle(t) || stripExtension(file),
		text: t,
		meta,
		sha256: sha,
		spans,
		source: file
	};
	if (relations.length) doc.relations = relations;
	if (line !== undefined) doc.line = line;
	return doc;
}

/** Builds and registers a document for a whole-file format (txt, html); null when invalid. */
export function wholeFileDocument(
	file: string,
	text: string,
	title: string,
	meta: Record<string, unknown>,
	state: ImportState
): ImportedDocument | null {
	if (text.trim() === '') {
		state.problem(file, undefined, 'the file contains no text');
		return null;
	}
	const sha = sha256Hex(text);
	const textId = 'd' + sha.slice(0, 16);
	const prev = state.claimId(textId, file);
	if (prev !== null) {
		state.problem(file, undefined, `duplicate document: the same text (id "${textId}") is already in ${prev}`);
		return null;
	}
	// the file's name is kept, and gives the id while no other file of this import has it
	const named = idFromFileName(file);
	const id = named !== null && state.claimId(named, file) === null ? named : textId;
	return {
		id,
		...(id !== textId ? { fallbackId: textId } : {}),
		title: title || stripExtension(file),
		text,
		meta: { ...meta, filename: baseName(file) },
		sha256: sha,
		spans: [],
		source: file
	};
}
