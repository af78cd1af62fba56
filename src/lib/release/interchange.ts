/**
 * Other tools' formats that carry relations and span attributes: doccano's
 * relation JSONL, brat standoff and Label Studio JSON, written from release
 * records and read back (as pre-annotations, src/lib/server/import). Pure.
 *
 * Offsets: doccano and brat count code points, as spanlab does (both are
 * Python tools); Label Studio counts UTF-16 code units (its front end is
 * JavaScript), converted here through ../offsets.ts and nowhere else.
 *
 * What each format does with names and values (docs/jsonl.md, "Relations and
 * attributes in other formats"):
 * - brat: a type name cannot hold a space, so a space in a label or relation
 *   type name is written `%20` (spanlab names never hold `%`, so reading it
 *   back is exact). A span whose text crosses a line break is a discontinuous
 *   `T` with one fragment per line (brat cannot draw a fragment over a line
 *   break); its text field is the fragments' texts joined by a space. An
 *   attribute whose value is a single token (no whitespace, not empty) is an
 *   `A` line (`true`/`false` for a boolean); any other value is a note
 *   `#n\tAnnotatorNotes Tk\tname=value` (value JSON-quoted when it holds a
 *   line break or tab, or starts with `"`).
 * - Label Studio: a span is a `labels` region whose id is the span id; each
 *   attribute a per-region result with the same id and `from_name` = the
 *   attribute's name: `choices` (`["value"]`, booleans as "true"/"false") for
 *   enum and boolean values, `textarea` (`text: ["value"]`) for the others.
 *
 * Over ~400 lines: three formats, each a writer and a reader that must stay
 * each other's inverse, kept side by side so a change to one is seen with the other.
 */
import { OffsetMap, splitLines } from '../text/offsets';
import { reservedName } from '../model/dict';
import { MAX_RELATIONS } from '../model/relations';
import { problemLine } from '../import/importApi';

// ---------------------------------------------------------------------------
// shapes

/** The part of a release record these formats read (src/lib/release/record.ts). */
export interface InterchangeRecord {
	dataset: string;
	doc_id: string;
	title: string;
	text: string;
	annotator: string;
	spans: ReadonlyArray<{ id: string; start: number; end: number; label: string; text: string; attrs?: Record<string, unknown> }>;
	relations?: ReadonlyArray<{ id: string; from: string; to: string; label: string }>;
}

export type InterchangeValue = string | boolean;

/** A span read back from a format: code point offsets, end exclusive. */
export interface ReadSpan {
	start: number;
	end: number;
	label: string;
	/** absent when the span has none; a prototype-free object */
	attrs?: Record<string, InterchangeValue>;
}

/** A relation read back: `from`/`to` index the spans read with it. */
export interface ReadRelation {
	from: number;
	to: number;
	label: string;
}

export interface ReadAnnotations {
	spans: ReadSpan[];
	relations: ReadRelation[];
}

/** A problem of a file read line by line (brat): at its line, or of the whole file. */
export type LineProblem = { line?: number; message: string };

/** What a reader found wrong: a message naming the line (brat) or the item (JSON). */
export type ReadResult = ReadAnnotations | { problems: string[] };

/** Problems a reader reports before giving up on a file. */
const MAX_READ_PROBLEMS = 20;

/** Attribute values of a span in key order, as the release has them (strings and booleans). */
function attrEntries(attrs: Record<string, unknown> | undefined): Array<[string, InterchangeValue]> {
	if (!attrs) return [];
	return Object.keys(attrs)
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
		.flatMap((k): Array<[string, InterchangeValue]> => {
			const v = attrs[k];
			return typeof v === 'string' || typeof v === 'boolean' ? [[k, v]] : [];
		});
}

function show(v: unknown): string {
	try {
		const s = JSON.stringify(v);
		if (s === undefined) return String(v);
		return s.length > 60 ? s.slice(0, 59) + '…' : s;
	} catch {
		return typeof v;
	}
}

/** A name read from a file: non-empty, trimmed, never `__proto__`; otherwise the problem. */
function nameProblem(name: string, what: string): string | null {
	if (name.trim() === '') return `${what} is empty`;
	if (name.length > 200) return `${what} is longer than 200 characters`;
	const reserved = reservedName(name.trim());
	return reserved ? `${what} ${reserved}` : null;
}

/** Adds `value` as attribute `name` of `span`, or says why not. */
function setAttr(span: ReadSpan, name: string, value: InterchangeValue, where: string): string | null {
	const bad = nameProblem(name, `${where}: attribute name`);
	if (bad) return bad;
	span.attrs ??= Object.create(null) as Record<string, InterchangeValue>;
	if (Object.hasOwn(span.attrs, name)) return `${where}: attribute "${name}" is given twice for the same span`;
	span.attrs[name] = value;
	return null;
}

// ---------------------------------------------------------------------------
// doccano (relation extraction)

/**
 * doccano's relation-extraction JSONL line (+ "\n"):
 * `{"id","text","entities":[{"id","start_offset","end_offset","label"}],"relations":[{"id","from_id","to_id","type"}]}`.
 * Entity ids are 1, 2, … in span order, relation ids 1, 2, … in relation
 * order; offsets are code points. doccano has no span attributes: they are
 * kept in each entity as `attrs` (only when the span has some), which doccano
 * ignores and the import reads back.
 */
export function toDoccanoRelations(r: InterchangeRecord): string {
	const entityOf = new Map<string, number>();
	const entities = r.spans.map((s, i) => {
		entityOf.set(s.id, i + 1);
		const e: Record<string, unknown> = { id: i + 1, start_offset: s.start, end_offset: s.end, label: s.label };
		const attrs = attrEntries(s.attrs);
		if (attrs.length) e.attrs = Object.fromEntries(attrs);
		return e;
	});
	const relations = (r.relations ?? []).flatMap((rel, i) => {
		const from = entityOf.get(rel.from);
		const to = entityOf.get(rel.to);
		return from && to ? [{ id: i + 1, from_id: from, to_id: to, type: rel.label }] : [];
	});
	return JSON.stringify({ id: r.doc_id, text: r.text, entities, relations }) + '\n';
}

/**
 * The relations of a doccano relation-extraction record, whose spans were read
 * from its `entities` (in order): `from_id`/`to_id` name entity ids. `attrs`
 * of entities are read too. `entities` are the record's raw entities.
 */
export function readDoccanoRelations(entities: unknown[], relations: unknown, spans: ReadSpan[]): { problems: string[]; relations: ReadRelation[] } {
	const problems: string[] = [];
	const found: ReadRelation[] = [];
	const indexOfId = new Map<unknown, number>();
	entities.forEach((e, i) => {
		if (e === null || typeof e !== 'object' || Array.isArray(e)) return;
		const entity = e as Record<string, unknown>;
		if (entity.id !== undefined) {
			if (indexOfId.has(entity.id)) problems.push(`entity ${i + 1}: id ${show(entity.id)} is used by entity ${indexOfId.get(entity.id)! + 1} too`);
			else indexOfId.set(entity.id, i);
		}
		if (entity.attrs !== undefined && spans[i]) {
			if (entity.attrs === null || typeof entity.attrs !== 'object' || Array.isArray(entity.attrs)) {
				problems.push(`entity ${i + 1}: "attrs" must be an object`);
				return;
			}
			for (const [name, value] of Object.entries(entity.attrs)) {
				if (typeof value !== 'string' && typeof value !== 'boolean') {
					problems.push(`entity ${i + 1}: attribute "${name}" must be a string or a boolean (got ${show(value)})`);
					continue;
				}
				const bad = setAttr(spans[i], name, value, `entity ${i + 1}`);
				if (bad) problems.push(bad);
			}
		}
	});
	if (relations === undefined || relations === null) return { problems, relations: found };
	if (!Array.isArray(relations)) return { problems: [...problems, `"relations" must be an array`], relations: found };
	if (relations.length > MAX_RELATIONS) {
		return { problems: [...problems, `too many relations: ${relations.length} (limit ${MAX_RELATIONS} per document)`], relations: found };
	}
	relations.forEach((x, k) => {
		if (problems.length >= MAX_READ_PROBLEMS) return;
		const where = `relation ${k + 1}`;
		if (x === null || typeof x !== 'object' || Array.isArray(x)) {
			problems.push(`${where} must be an object with "from_id", "to_id" and "type"`);
			return;
		}
		const rel = x as Record<string, unknown>;
		const from = indexOfId.get(rel.from_id);
		const to = indexOfId.get(rel.to_id);
		if (from === undefined) problems.push(`${where}: from_id ${show(rel.from_id)} is not the id of an entity of the record`);
		if (to === undefined) problems.push(`${where}: to_id ${show(rel.to_id)} is not the id of an entity of the record`);
		if (typeof rel.type !== 'string') {
			problems.push(`${where}: "type" must be a string (got ${show(rel.type)})`);
			return;
		}
		const bad = nameProblem(rel.type, `${where}: type`);
		if (bad) problems.push(bad);
		if (from !== undefined && to !== undefined && !bad && spans[from] && spans[to]) {
			found.push({ from, to, label: rel.type.trim() });
		}
	});
	return { problems, relations: found };
}

// ---------------------------------------------------------------------------
// brat standoff

/** A type name as brat can hold it (no whitespace): spaces become `%20`. */
export function bratName(name: string): string {
	return name.replace(/ /g, '%20');
}

/** `bratName` undone. */
export function fromBratName(name: string): string {
	return name.replace(/%20/g, ' ');
}

/** The pieces of [start, end) (code points) between line breaks, empty pieces left out. */
export function lineFragments(text: string, offsets: OffsetMap, start: number, end: number): Array<[number, number]> {
	const from16 = offsets.toUtf16(start);
	const to16 = offsets.toUtf16(end);
	const piece = text.slice(from16, to16);
	if (!/[\r\n]/.test(piece)) return [[start, end]];
	const out: Array<[number, number]> = [];
	for (const line of splitLines(piece)) {
		if (line.end === line.start) continue;
		out.push([offsets.toCodePoint(from16 + line.start), offsets.toCodePoint(from16 + line.end)]);
	}
	return out;
}

/** `text[start:end]` in code points through a map built once per text (linear however many spans). */
function sliceOf(text: string, offsets: OffsetMap, start: number, end: number): string {
	return text.slice(offsets.toUtf16(start), offsets.toUtf16(end));
}

/** A note's value: as it is, or JSON-quoted when a line could not hold it as it is. */
function noteValue(value: string): string {
	return /[\r\n\t\u2028\u2029]/.test(value) || value.startsWith('"') || value !== value.trim() ? JSON.stringify(value) : value;
}

/**
 * The `.ann` file of a record (the `.txt` is `r.text` as it is, UTF-8, no BOM):
 * `T` lines in span order (T1, T2, …), then `R` lines (`Arg1` = from, `Arg2` =
 * to), then `A` lines and `#` notes for attributes (see the module comment).
 */
export function toBratAnn(r: InterchangeRecord): string {
	const offsets = new OffsetMap(r.text);
	const tOf = new Map<string, string>();
	const lines: string[] = [];
	r.spans.forEach((s, i) => {
		const t = `T${i + 1}`;
		tOf.set(s.id, t);
		const fragments = lineFragments(r.text, offsets, s.start, s.end);
		const where = fragments.map(([a, b]) => `${a} ${b}`).join(';');
		const shown = fragments.map(([a, b]) => sliceOf(r.text, offsets, a, b)).join(' ');
		lines.push(`${t}\t${bratName(s.label)} ${where}\t${shown}`);
	});
	(r.relations ?? []).forEach((rel, i) => {
		const from = tOf.get(rel.from);
		const to = tOf.get(rel.to);
		if (from && to) lines.push(`R${i + 1}\t${bratName(rel.label)} Arg1:${from} Arg2:${to}`);
	});
	let a = 0;
	let n = 0;
	r.spans.forEach((s, i) => {
		for (const [name, value] of attrEntries(s.attrs)) {
			const v = typeof value === 'boolean' ? String(value) : value;
			if (/^\S+$/.test(v)) lines.push(`A${++a}\t${bratName(name)} T${i + 1} ${v}`);
			else lines.push(`#${++n}\tAnnotatorNotes T${i + 1}\t${name}=${noteValue(v)}`);
		}
	});
	return lines.map((l) => l + '\n').join('');
}

/** The file names of a record in a brat zip: `<annotator>/<doc_id>.txt` and `.ann`. */
export function bratPaths(r: Pick<InterchangeRecord, 'annotator' | 'doc_id'>): { txt: string; ann: string } {
	const base = `${r.annotator}/${r.doc_id}`;
	return { txt: `${base}.txt`, ann: `${base}.ann` };
}

/**
 * brat's `annotation.conf` for a label set: entities, relations (with their
 * argument labels) and attributes (`Value:` lists only for enums and booleans,
 * as brat requires for multi-valued attributes).
 */
export function bratConf(
	labels: ReadonlyArray<{ name: string; attributes?: ReadonlyArray<{ name: string; type: string; options?: string[] }> }>,
	relationTypes: ReadonlyArray<{ name: string; from: string[]; to: string[] }>
): string {
	const out = ['[entities]', ...labels.map((l) => bratName(l.name)), '', '[relations]'];
	for (const t of relationTypes) {
		out.push(`${bratName(t.name)}\tArg1:${t.from.map(bratName).join('|')}, Arg2:${t.to.map(bratName).join('|')}`);
	}
	out.push('', '[events]', '', '[attributes]');
	const byName = new Map<string, { labels: string[]; values: Set<string> }>();
	for (const l of labels) {
		for (const a of l.attributes ?? []) {
			let entry = byName.get(a.name);
			if (!entry) byName.set(a.name, (entry = { labels: [], values: new Set() }));
			entry.labels.push(bratName(l.name));
			if (a.type === 'boolean') ['true', 'false'].forEach((v) => entry!.values.add(v));
			for (const o of a.options ?? []) if (/^\S+$/.test(o)) entry.values.add(o);
		}
	}
	for (const [name, { labels: on, values }] of byName) {
		out.push(`${bratName(name)}\tArg:${on.join('|')}${values.size ? `, Value:${[...values].join('|')}` : ''}`);
	}
	return out.join('\n') + '\n';
}

const T_LINE = /^T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?/;
const R_LINE = /^R(\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$/;
const A_LINE = /^[AM](\d+)\t(\S+) (T\d+)(?: (\S+))?\s*$/;
const NOTE_LINE = /^#(\d+)\tAnnotatorNotes (T\d+)\t(.*)$/;

/**
 * The spans, relations and attributes of a brat `.ann` over `text` (the
 * `.txt`). A discontinuous `T` whose fragments are separated only by
 * whitespace (line breaks, as spanlab writes them) becomes one span from its
 * first fragment's start to its last fragment's end; one with other text
 * between its fragments is a problem (spanlab spans are contiguous). `E` (events), `N`
 * (normalisations) and notes that are not `name=value` are ignored. Problems
 * are at their line: `{ line: 4, message: 'R2 points to T9, which is not a T line of the file' }`.
 */
export function readBratAnnAt(text: string, ann: string): ReadAnnotations | { problems: LineProblem[] } {
	const offsets = new OffsetMap(text);
	const length = offsets.length;
	const problems: LineProblem[] = [];
	const problem = (line: number, message: string) => problems.push({ line, message });
	const spans: ReadSpan[] = [];
	const spanOfT = new Map<string, number>();
	const pending: Array<{ line: number; kind: 'R' | 'A' | '#'; m: RegExpMatchArray }> = [];
	const rIds = new Set<string>();
	const lines = ann.split(/\r\n|\n|\r/);
	for (let i = 0; i < lines.length && problems.length < MAX_READ_PROBLEMS; i++) {
		const line = lines[i];
		const no = i + 1;
		if (line.trim() === '') continue;
		const kind = line[0];
		if (kind === 'T') {
			const m = T_LINE.exec(line);
			if (!m) {
				problem(no, `a T line must be "T<n><tab><type> <start> <end>[;<start> <end>…]<tab><text>"`);
				continue;
			}
			const id = `T${m[1]}`;
			if (spanOfT.has(id)) {
				problem(no, `${id} is defined twice`);
				continue;
			}
			const label = fromBratName(m[2]);
			const bad = nameProblem(label, `${id}'s type`);
			if (bad) {
				problem(no, bad);
				continue;
			}
			const fragments = m[3].split(';').map((f) => f.split(' ').map(Number) as [number, number]);
			const start = fragments[0][0];
			const end = fragments[fragments.length - 1][1];
			let ok = true;
			for (let k = 0; k < fragments.length; k++) {
				const [a, b] = fragments[k];
				if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a >= b || (k > 0 && a < fragments[k - 1][1])) {
					problem(no, `${id}: fragment ${a} ${b} is not a range after the one before it (start < end, in order)`);
					ok = false;
					break;
				}
			}
			if (ok && end > length) {
				problem(no, `${id} ends at ${end}, beyond the text (${length} code points; brat offsets count code points, and the .txt is read as it is, without newline translation)`);
				ok = false;
			}
			// fragments of one span cut only by line breaks and spaces are one span; across other text they are not
			for (let k = 1; ok && k < fragments.length; k++) {
				const gap = sliceOf(text, offsets, fragments[k - 1][1], fragments[k][0]);
				if (!/^\s*$/u.test(gap)) {
					problem(no, `${id} is discontinuous across text (${show(gap)}): spanlab spans are contiguous, so only fragments separated by line breaks or spaces can be read`);
					ok = false;
				}
			}
			if (!ok) continue;
			spanOfT.set(id, spans.length);
			spans.push({ start, end, label });
		} else if (kind === 'R') {
			const m = R_LINE.exec(line);
			if (!m) problem(no, `an R line must be "R<n><tab><type> Arg1:T<i> Arg2:T<j>"`);
			else if (rIds.has(`R${m[1]}`)) problem(no, `R${m[1]} is defined twice`);
			else {
				rIds.add(`R${m[1]}`);
				pending.push({ line: no, kind: 'R', m });
			}
		} else if (kind === 'A' || kind === 'M') {
			const m = A_LINE.exec(line);
			if (!m) problem(no, `an A line must be "A<n><tab><name> T<i>[ <value>]"`);
			else pending.push({ line: no, kind: 'A', m });
		} else if (kind === '#') {
			const m = NOTE_LINE.exec(line);
			if (m) pending.push({ line: no, kind: '#', m });
		} else if (kind !== 'E' && kind !== 'N') {
			problem(no, `unknown annotation "${line.slice(0, 20)}" (expected T, R, A, E, N or # lines)`);
		}
	}
	if (spans.length > 0 && pending.filter((p) => p.kind === 'R').length > MAX_RELATIONS) {
		return { problems: [{ message: `too many relations: ${pending.filter((p) => p.kind === 'R').length} (limit ${MAX_RELATIONS} per document)` }] };
	}
	const relations: ReadRelation[] = [];
	for (const p of pending) {
		if (problems.length >= MAX_READ_PROBLEMS) break;
		if (p.kind === 'R') {
			const [, n, type, arg1, arg2] = p.m;
			const from = spanOfT.get(arg1);
			const to = spanOfT.get(arg2);
			if (from === undefined || to === undefined) {
				problem(p.line, `R${n} points to ${from === undefined ? arg1 : arg2}, which is not a T line of the file`);
				continue;
			}
			const label = fromBratName(type);
			const bad = nameProblem(label, `R${n}'s type`);
			if (bad) problem(p.line, bad);
			else relations.push({ from, to, label });
		} else if (p.kind === 'A') {
			const [, n, name, target, value] = p.m;
			const span = spanOfT.get(target);
			if (span === undefined) {
				problem(p.line, `A${n} points to ${target}, which is not a T line of the file`);
				continue;
			}
			// a binary brat attribute (no value) is a boolean that is set
			const v: InterchangeValue = value === undefined || value === 'true' ? true : value === 'false' ? false : value;
			const bad = setAttr(spans[span], fromBratName(name), v, `A${n}`);
			if (bad) problem(p.line, bad);
		} else {
			const [, n, target, note] = p.m;
			const eq = /^([^\s=]+)=(.*)$/.exec(note);
			if (!eq) continue; // a note of a person, not an attribute
			const span = spanOfT.get(target);
			if (span === undefined) {
				problem(p.line, `#${n} points to ${target}, which is not a T line of the file`);
				continue;
			}
			let value = eq[2];
			if (value.startsWith('"')) {
				try {
					const parsed: unknown = JSON.parse(value);
					if (typeof parsed !== 'string') throw new Error();
					value = parsed;
				} catch {
					problem(p.line, `#${n}: a value starting with " must be a JSON string`);
					continue;
				}
			}
			const bad = setAttr(spans[span], eq[1], value, `#${n}`);
			if (bad) problem(p.line, bad);
		}
	}
	return problems.length ? { problems } : { spans, relations };
}

/** `readBratAnnAt` with each problem on one line, `line 4: R2 points to T9, …`. */
export function readBratAnn(text: string, ann: string): ReadResult {
	const read = readBratAnnAt(text, ann);
	return 'problems' in read ? { problems: read.problems.map(problemLine) } : read;
}

// ---------------------------------------------------------------------------
// Label Studio

export interface LabelStudioResult {
	id: string;
	from_name: string;
	to_name: 'text';
	type: 'labels' | 'choices' | 'textarea';
	/** UTF-16 code unit offsets (Label Studio's), end exclusive */
	value: { start: number; end: number; text?: string | string[]; labels?: string[]; choices?: string[] };
}

export interface LabelStudioRelation {
	from_id: string;
	to_id: string;
	type: 'relation';
	direction: 'right';
	labels: string[];
}

export interface LabelStudioTask {
	id: number;
	data: { text: string; doc_id: string; title: string; dataset: string; annotator: string };
	annotations: Array<{ id: number; result: Array<LabelStudioResult | LabelStudioRelation> }>;
}

/**
 * One Label Studio task of a record (`id` = its 1-based place in the file):
 * the text in `data.text`, one annotation whose `result` holds a `labels`
 * region per span (id = the span id, `from_name` "label"), a result per
 * attribute (module comment) and a `relation` item per relation. Offsets are
 * UTF-16 code units, the span's `text` the exact covered text.
 */
export function toLabelStudioTask(r: InterchangeRecord, id: number): LabelStudioTask {
	const offsets = new OffsetMap(r.text);
	const result: Array<LabelStudioResult | LabelStudioRelation> = [];
	const present = new Set<string>();
	for (const s of r.spans) {
		present.add(s.id);
		const start = offsets.toUtf16(s.start);
		const end = offsets.toUtf16(s.end);
		result.push({ id: s.id, from_name: 'label', to_name: 'text', type: 'labels', value: { start, end, text: s.text, labels: [s.label] } });
		for (const [name, value] of attrEntries(s.attrs)) {
			result.push(
				typeof value === 'boolean'
					? { id: s.id, from_name: name, to_name: 'text', type: 'choices', value: { start, end, choices: [String(value)] } }
					: { id: s.id, from_name: name, to_name: 'text', type: 'textarea', value: { start, end, text: [value] } }
			);
		}
	}
	for (const rel of r.relations ?? []) {
		if (present.has(rel.from) && present.has(rel.to)) {
			result.push({ from_id: rel.from, to_id: rel.to, type: 'relation', direction: 'right', labels: [rel.label] });
		}
	}
	return {
		id,
		data: { text: r.text, doc_id: r.doc_id, title: r.title, dataset: r.dataset, annotator: r.annotator },
		annotations: [{ id, result }]
	};
}

/** A task's object as Label Studio's JSON export holds it: the text and the annotations read from it. */
export interface ReadLabelStudioTask extends ReadAnnotations {
	text: string;
	/** `data.doc_id` (or the task id), when there is one */
	id: string | null;
	title: string | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A task of a Label Studio JSON export (an element of its top-level array):
 * `data.text` and the first annotation that is not cancelled (or else the
 * first prediction). Regions are `labels` results (first label; UTF-16
 * offsets converted to code points, and `value.text`, when given, must be the
 * covered text, which is how an export that counted differently is caught),
 * attributes are `choices`/`textarea`/`number` results with a region's id,
 * relations `relation` items between region ids (`direction: "left"` swaps
 * them; each of `labels` is a relation, none: the label "relation"). Problems
 * name the task and the result.
 */
export function readLabelStudioTask(task: unknown, index: number): ReadLabelStudioTask | { problems: string[] } {
	const where = `task ${index + 1}`;
	if (!isObject(task)) return { problems: [`${where} must be an object`] };
	const data = task.data;
	if (!isObject(data) || typeof data.text !== 'string') return { problems: [`${where}: "data.text" must be a string (the document text)`] };
	const text = data.text;
	const offsets = new OffsetMap(text);
	const problems: string[] = [];
	const annotations = Array.isArray(task.annotations) ? task.annotations.filter((a) => isObject(a) && a.was_cancelled !== true) : [];
	const predictions = Array.isArray(task.predictions) ? task.predictions.filter(isObject) : [];
	const chosen = annotations[0] ?? predictions[0];
	const rawId = isObject(task) ? (typeof data.doc_id === 'string' ? data.doc_id : typeof task.id === 'number' ? String(task.id) : null) : null;
	const title = typeof data.title === 'string' ? data.title : null;
	const spans: ReadSpan[] = [];
	const relations: ReadRelation[] = [];
	if (!chosen) return { text, id: rawId, title, spans, relations };
	const result = (chosen as Record<string, unknown>).result;
	if (!Array.isArray(result)) return { problems: [`${where}: the annotation's "result" must be an array`] };
	const regionOf = new Map<string, number>();
	const later: Array<{ k: number; item: Record<string, unknown> }> = [];
	let relationCount = 0;
	for (let k = 0; k < result.length && problems.length < MAX_READ_PROBLEMS; k++) {
		const item = result[k];
		const at = `${where}, result ${k + 1}`;
		if (!isObject(item)) {
			problems.push(`${at} must be an object`);
			continue;
		}
		if (item.type === 'relation') {
			if (++relationCount > MAX_RELATIONS) return { problems: [`${where}: too many relations (limit ${MAX_RELATIONS} per document)`] };
			later.push({ k, item });
			continue;
		}
		if (item.type !== 'labels') {
			later.push({ k, item });
			continue;
		}
		const value = item.value;
		if (typeof item.id !== 'string' || item.id === '') {
			problems.push(`${at}: a region needs a string "id"`);
			continue;
		}
		if (regionOf.has(item.id)) {
			problems.push(`${at}: region id ${show(item.id)} is used twice`);
			continue;
		}
		if (!isObject(value) || !Number.isInteger(value.start) || !Number.isInteger(value.end)) {
			problems.push(`${at}: "value.start" and "value.end" must be integers (UTF-16 offsets)`);
			continue;
		}
		const s16 = value.start as number;
		const e16 = value.end as number;
		if (s16 < 0 || e16 > text.length || s16 >= e16) {
			problems.push(`${at}: ${s16}..${e16} is not a range inside the text (${text.length} UTF-16 code units)`);
			continue;
		}
		const start = offsets.toCodePoint(s16);
		const end = offsets.toCodePoint(e16);
		if (offsets.toUtf16(start) !== s16 || offsets.toUtf16(end) !== e16) {
			problems.push(`${at}: ${s16}..${e16} cuts a character in two (an emoji or other character outside the BMP is two UTF-16 units)`);
			continue;
		}
		const labels = value.labels;
		if (!Array.isArray(labels) || typeof labels[0] !== 'string') {
			problems.push(`${at}: "value.labels" must be a list holding the label`);
			continue;
		}
		const label = labels[0];
		const bad = nameProblem(label, `${at}: label`);
		if (bad) {
			problems.push(bad);
			continue;
		}
		if (typeof value.text === 'string' && value.text !== text.slice(s16, e16)) {
			problems.push(`${at}: "value.text" ${show(value.text)} is not the text at UTF-16 offsets ${s16}..${e16} (${show(text.slice(s16, e16))}): were the offsets counted in code points?`);
			continue;
		}
		regionOf.set(item.id, spans.length);
		spans.push({ start, end, label });
	}
	for (const { k, item } of later) {
		if (problems.length >= MAX_READ_PROBLEMS) break;
		const at = `${where}, result ${k + 1}`;
		if (item.type === 'relation') {
			const from = typeof item.from_id === 'string' ? regionOf.get(item.from_id) : undefined;
			const to = typeof item.to_id === 'string' ? regionOf.get(item.to_id) : undefined;
			if (from === undefined || to === undefined) {
				problems.push(`${at}: the relation's ${from === undefined ? `from_id ${show(item.from_id)}` : `to_id ${show(item.to_id)}`} is not the id of a region of the task`);
				continue;
			}
			const labels = item.labels === undefined ? ['relation'] : item.labels;
			if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) {
				problems.push(`${at}: a relation's "labels" must be a list of strings`);
				continue;
			}
			const [a, b] = item.direction === 'left' ? [to, from] : [from, to];
			for (const label of (labels.length ? labels : ['relation']) as string[]) {
				const bad = nameProblem(label, `${at}: relation label`);
				if (bad) problems.push(bad);
				else relations.push({ from: a, to: b, label });
			}
			continue;
		}
		// a per-region control: an attribute of the region with the same id
		const region = typeof item.id === 'string' ? regionOf.get(item.id) : undefined;
		if (region === undefined || typeof item.from_name !== 'string' || !isObject(item.value)) continue; // a result on the whole text
		const v = item.value;
		let value: InterchangeValue | undefined;
		if (item.type === 'choices' && Array.isArray(v.choices) && typeof v.choices[0] === 'string') {
			value = v.choices[0] === 'true' ? true : v.choices[0] === 'false' ? false : v.choices[0];
		} else if (item.type === 'textarea' && Array.isArray(v.text) && typeof v.text[0] === 'string') value = v.text[0];
		else if (item.type === 'number' && typeof v.number === 'number') value = String(v.number);
		if (value === undefined) continue;
		const bad = setAttr(spans[region], item.from_name, value, at);
		if (bad) problems.push(bad);
	}
	return problems.length ? { problems } : { text, id: rawId, title, spans, relations };
}
