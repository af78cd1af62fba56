/**
 * TimeML files (`.tml`, ISO-TimeML: the French TimeBank, TempEval corpora) as
 * documents: the text of `<TEXT>` without its tags, the document's creation
 * time as `meta.date` (the reference date of its relative expressions), its
 * DOCID as the id when that id is free, and each TIMEX3 as a `date`
 * pre-annotation whose attrs are the TIMEX3's `value` and `type`, where the
 * dataset's `date` label has those attributes and takes the value (a label
 * without them, or a value its `timex` type refuses, drops it: the span is
 * still imported; `attrsWhereDefined`).
 *
 * The TIMEX3 `type`, `value` (and `mod`) are also kept in `meta.timex3`, one
 * entry per pre-annotated span, in order, as before spans had attributes.
 */
import { parseTimeml, TimemlError } from '../../dates/timeml';
import { wholeFileDocument } from './records';
import type { ImportState } from './state';
import { decodeTxt } from './txt';
import type { ImportedDocument, ImportedSpan } from './types';
import { ID_PATTERN, sha256Hex } from './util';

function timexSpans(parsed: ReturnType<typeof parseTimeml>): ImportedSpan[] {
	return parsed.timexes.map((t) => {
		const attrs = Object.create(null) as Record<string, string>;
		if (t.value) attrs.value = t.value;
		if (t.type) attrs.type = t.type;
		return { start: t.start, end: t.end, label: 'date', ...(Object.keys(attrs).length ? { attrs, attrsWhereDefined: true as const } : {}) };
	});
}

export function timemlDocument(name: string, bytes: Uint8Array, state: ImportState): ImportedDocument | null {
	const decoded = decodeTxt(bytes, name);
	if ('message' in decoded) {
		state.problem(name, decoded.line, decoded.message);
		return null;
	}
	let parsed: ReturnType<typeof parseTimeml>;
	try {
		parsed = parseTimeml(decoded.text);
	} catch (e) {
		if (!(e instanceof TimemlError)) throw e;
		state.problem(name, undefined, `not a TimeML document: ${e.message}`);
		return null;
	}
	const meta: Record<string, unknown> = { format: 'timeml' };
	if (parsed.dct) meta.date = parsed.dct;
	if (parsed.docId) meta.docid = parsed.docId;
	if (parsed.timexes.length) meta.timex3 = parsed.timexes.map((t) => ({ type: t.type, value: t.value, ...(t.mod ? { mod: t.mod } : {}) }));
	const title = parsed.title ?? parsed.docId ?? '';
	// the DOCID is a better id than a hash when it is a valid id nobody in this import has taken
	const wanted = parsed.docId && ID_PATTERN.test(parsed.docId) ? parsed.docId : null;
	if (wanted && state.claimId(wanted, name) === null) {
		if (parsed.text.trim() === '') {
			state.problem(name, undefined, 'the file contains no text');
			return null;
		}
		return {
			id: wanted,
			title,
			text: parsed.text,
			meta,
			sha256: sha256Hex(parsed.text),
			spans: timexSpans(parsed),
			source: name
		};
	}
	const doc = wholeFileDocument(name, parsed.text, title, meta, state);
	if (!doc) return null;
	return { ...doc, spans: timexSpans(parsed) };
}
