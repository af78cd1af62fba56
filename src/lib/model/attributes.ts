/**
 * Span attributes: the per-label schema (`Label.attributes`) and the values a span
 * carries (`Span.attrs`). One module owns both: the label editor, the API, the
 * store and the annotation view import them from here.
 *
 * A definition is `{name, type, options?, required?}`:
 *   - `enum`: a string, one of `options` (which the definition must have);
 *   - `boolean`: true or false;
 *   - `text`: any string (up to 1,000 characters);
 *   - `timex`: an ISO-TimeML TIMEX3 value, checked by the one grammar in ./dates/timex.ts.
 *
 * Values: `span.attrs` is an object whose keys are attribute names of the span's
 * label. `null` and `""` mean "not set" and are dropped, so a stored span only
 * holds what is set, in a prototype-free object with keys in code unit order
 * (`normalizeAttrs`). A span with nothing set has no `attrs` at all.
 *
 * Over 400 lines by design: one module owns the attribute schema and the
 * values (validation, normalisation, the edits a schema change makes to
 * stored spans), so every layer checks them with the same rules.
 */
import { z } from 'zod';
import { dict, own, reservedName, type Dict } from './dict';
import { timexProblem } from '../dates/timex';
import { InvalidError } from './errors';

export const ATTRIBUTE_TYPES = ['enum', 'boolean', 'text', 'timex'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export interface AttributeDef {
	name: string;
	type: AttributeType;
	/** enum only: the allowed values, in the order the annotation view numbers them (1–9) */
	options?: string[];
	/** must be set on every span of the label before a set can be `done` */
	required?: boolean;
}

export type AttrValue = string | boolean;
export type Attrs = Dict<AttrValue>;

/** Text values are short annotations, not documents. */
export const TEXT_ATTRIBUTE_MAX = 1000;

// stored NFC and trimmed, as label names (src/lib/model/names.ts); `__proto__` is refused (src/lib/model/dict.ts)
const attributeName = z
	.string()
	.trim()
	.normalize('NFC')
	.min(1, 'attribute name is required')
	.max(64)
	.regex(/^[\p{L}\p{N}_][\p{L}\p{N}_.:-]*$/u, 'attribute name: letters, digits and _ - . : only, no spaces')
	.refine((name) => reservedName(name) === null, { error: (issue) => `attribute name ${reservedName(String(issue.input))}` });

const optionName = z
	.string()
	.trim()
	.normalize('NFC')
	.min(1, 'an option cannot be empty')
	.max(64)
	.refine((name) => reservedName(name) === null, { error: (issue) => `option ${reservedName(String(issue.input))}` });

export const attributeSchema = z
	.object({
		name: attributeName,
		type: z.enum(ATTRIBUTE_TYPES, { error: `attribute type: one of ${ATTRIBUTE_TYPES.join(', ')}` }),
		options: z.array(optionName).max(50).optional(),
		required: z.boolean().optional()
	})
	.superRefine((a, ctx) => {
		if (a.type === 'enum') {
			if (!a.options?.length) ctx.addIssue({ code: 'custom', message: `attribute "${a.name}": an enum needs options` });
			const seen = new Set<string>();
			for (const o of a.options ?? []) {
				if (seen.has(o)) ctx.addIssue({ code: 'custom', message: `attribute "${a.name}": option "${o}" appears twice` });
				seen.add(o);
			}
		} else if (a.options !== undefined) {
			ctx.addIssue({ code: 'custom', message: `attribute "${a.name}": only an enum has options (this one is ${a.type})` });
		}
	})
	// one stored shape: `options` only on enums, `required` only when true
	.transform((a): AttributeDef => ({
		name: a.name,
		type: a.type,
		...(a.type === 'enum' ? { options: a.options } : {}),
		...(a.required ? { required: true } : {})
	}));

export const attributesSchema = z
	.array(attributeSchema)
	.max(20)
	.superRefine((list, ctx) => {
		const seen = new Set<string>();
		for (const a of list) {
			if (seen.has(a.name)) ctx.addIssue({ code: 'custom', message: `attribute "${a.name}" appears twice in one label` });
			seen.add(a.name);
		}
	});

/** The defaults for a `date` label: its normalised TIMEX3 value and type. */
export const DATE_ATTRIBUTES: AttributeDef[] = [
	{ name: 'value', type: 'timex' },
	{ name: 'type', type: 'enum', options: ['DATE', 'TIME', 'DURATION', 'SET'] }
];

/** The attributes a label defines (none for a label saved before attributes existed). */
export function attributesOf(labels: ReadonlyArray<{ name: string; attributes?: AttributeDef[] }>, label: string): AttributeDef[] {
	return labels.find((l) => l.name === label)?.attributes ?? [];
}

/** The stored form of a value set: prototype-free, keys sorted, unset (null, "") values dropped; undefined when nothing is set. */
export function normalizeAttrs(attrs: Readonly<Record<string, unknown>> | null | undefined): Attrs | undefined {
	if (!attrs) return undefined;
	const keys = Object.keys(attrs)
		.filter((k) => {
			const v = attrs[k];
			return v !== null && v !== undefined && v !== '';
		})
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	if (!keys.length) return undefined;
	return dict(keys.map((k) => [k, attrs[k] as AttrValue]));
}

/** Equal value sets (both normalised or absent). */
export function sameAttrs(a: Readonly<Record<string, unknown>> | undefined, b: Readonly<Record<string, unknown>> | undefined): boolean {
	const ka = a ? Object.keys(a) : [];
	const kb = b ? Object.keys(b) : [];
	return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}

/** Why `value` does not fit `def`, or null. */
export function attrValueProblem(def: AttributeDef, value: unknown): string | null {
	switch (def.type) {
		case 'boolean':
			return typeof value === 'boolean' ? null : `must be true or false, got ${describe(value)}`;
		case 'text':
			if (typeof value !== 'string') return `must be a string, got ${describe(value)}`;
			return value.length > TEXT_ATTRIBUTE_MAX ? `is longer than ${TEXT_ATTRIBUTE_MAX} characters` : null;
		case 'enum':
			if (typeof value !== 'string') return `must be one of ${def.options!.join(', ')}, got ${describe(value)}`;
			return def.options!.includes(value) ? null : `"${value.slice(0, 64)}" is not an option (options: ${def.options!.join(', ')})`;
		case 'timex':
			return typeof value === 'string' && validTimex.has(value) ? null : rememberTimex(value);
	}
}

/**
 * TIMEX3 values found valid, so a save does not parse its set's dates again (every
 * save sends every value of the set: 485 dates on the bench article). Bounded;
 * the grammar is pure, so a remembered answer is the answer.
 */
const validTimex = new Set<string>();
function rememberTimex(value: unknown): string | null {
	const problem = timexProblem(value);
	if (problem === null && typeof value === 'string' && value.length <= 64) {
		if (validTimex.size >= 10_000) validTimex.clear();
		validTimex.add(value);
	}
	return problem;
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (value === null) return 'null';
	if (typeof value === 'string') return `"${value.slice(0, 64)}"`;
	return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export type AttrProblem = { index: number; message: string };

/**
 * Checks the `attrs` of each span against its label's attributes (spans that
 * passed `validateSpans`, so labels are known). Messages name the span index and
 * the attribute: `span 3: attribute "value": "2024-13-01" is not a TIMEX3 value …`.
 * `done`: the set is being marked done, so required attributes must be set.
 */
export function validateSpanAttrs(
	spans: ReadonlyArray<{ label: string; attrs?: unknown }>,
	labels: ReadonlyArray<{ name: string; attributes?: AttributeDef[] }>,
	options: { done?: boolean; what?: string } = {}
): AttrProblem[] {
	const problems: AttrProblem[] = [];
	const byLabel = new Map(labels.map((l) => [l.name, new Map((l.attributes ?? []).map((a) => [a.name, a]))]));
	const what = options.what ?? 'span';
	spans.forEach((span, index) => {
		const report = (message: string) => problems.push({ index, message: `${what} ${index}: ${message}` });
		const attrs = span.attrs;
		if (attrs === undefined || attrs === null) return; // the usual span: nothing to check (required ones: below)
		const defs = byLabel.get(span.label) ?? new Map<string, AttributeDef>();
		if (attrs !== undefined && attrs !== null && (typeof attrs !== 'object' || Array.isArray(attrs))) {
			report('attrs must be an object of attribute name → value');
			return;
		}
		const given = attrs as Record<string, unknown>;
		for (const name of Object.keys(given)) {
			const value = given[name];
			const reserved = reservedName(name);
			if (reserved) {
				report(`attribute ${reserved}`);
				continue;
			}
			const def = defs.get(name);
			if (!def) {
				const known = defs.size ? `its attributes: ${[...defs.keys()].join(', ')}` : 'it has no attributes';
				report(`label "${span.label}" has no attribute "${name.slice(0, 64)}" (${known})`);
				continue;
			}
			if (value === null || value === '') continue; // unset
			const problem = attrValueProblem(def, value);
			if (problem) report(`attribute "${name}": ${problem}`);
		}
	});
	if (options.done) problems.push(...missingRequired(spans, labels, what));
	return problems.sort((a, b) => a.index - b.index);
}

/** Required attributes that spans leave unset: what keeps a set from being `done`. */
export function missingRequired(
	spans: ReadonlyArray<{ label: string; attrs?: unknown }>,
	labels: ReadonlyArray<{ name: string; attributes?: AttributeDef[] }>,
	what = 'span'
): AttrProblem[] {
	const required = new Map(labels.map((l) => [l.name, (l.attributes ?? []).filter((a) => a.required)]));
	const problems: AttrProblem[] = [];
	spans.forEach((span, index) => {
		const attrs = span.attrs && typeof span.attrs === 'object' ? (span.attrs as Record<string, unknown>) : undefined;
		for (const def of required.get(span.label) ?? []) {
			const v = own(attrs, def.name);
			if (v === undefined || v === null || v === '') {
				problems.push({ index, message: `${what} ${index}: attribute "${def.name}" is required before the document can be done` });
			}
		}
	});
	return problems;
}

/**
 * A span is (start, end, label); its attrs are its values, not its identity. Two
 * spans of one request with the same start, end and label but different attrs
 * cannot both be kept: which one is meant? (Equal duplicates are dropped as before.)
 */
export function conflictingDuplicates(
	spans: ReadonlyArray<{ start: number; end: number; label: string; attrs?: unknown }>,
	what = 'span'
): AttrProblem[] {
	const problems: AttrProblem[] = [];
	// duplicates that differ need values on one of them: a save without any has none (the usual case, free)
	if (!spans.some((s) => s.attrs !== undefined && s.attrs !== null)) return problems;
	const first = new Map<string, number>();
	spans.forEach((s, index) => {
		const key = `${s.start}:${s.end}:${s.label}`;
		const earlier = first.get(key);
		if (earlier === undefined) {
			first.set(key, index);
			return;
		}
		const attrsOf = (x: { attrs?: unknown }) =>
			x.attrs && typeof x.attrs === 'object' && !Array.isArray(x.attrs) ? normalizeAttrs(x.attrs as Record<string, unknown>) : undefined;
		if (!sameAttrs(attrsOf(spans[earlier]), attrsOf(s))) {
			problems.push({ index, message: `${what} ${index}: same start, end and label as ${what} ${earlier} but different attributes (send one span with the attributes it should have)` });
		}
	});
	return problems;
}

type Stored = { start: number; end: number; label: string; attrs?: Readonly<Record<string, unknown>> };

/**
 * How many spans of `after` carry other attrs than the same span (start, end,
 * label: its id) in `before`; new spans are not counted. Both lists are in
 * `compareSpans` order without duplicates, as `materializeSpans` leaves them, so
 * one merge walk does it (this runs on every save).
 */
export function countAttrChanges(before: readonly Stored[], after: readonly Stored[]): number {
	let changed = 0;
	let i = 0;
	let j = 0;
	while (i < before.length && j < after.length) {
		const a = before[i];
		const b = after[j];
		const order = a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
		if (order < 0) i++;
		else if (order > 0) j++;
		else {
			if ((a.attrs || b.attrs) && !sameAttrs(a.attrs, b.attrs)) changed++;
			i++;
			j++;
		}
	}
	return changed;
}

/** An attribute (or one enum option of it) that a new label set takes away from a label that stays. */
export interface AttributeRemoval {
	/** the label's name in the old set (the one stored spans carry) */
	label: string;
	attribute: string;
	/** set when only this option of an enum goes (or the type changes: then every value goes) */
	option?: string;
	/** why stored values would no longer fit */
	reason: 'removed' | 'retyped' | 'option removed';
}

/**
 * What a new label set takes away from stored values: attributes gone from a
 * label that stays (or is renamed: `renames` old → new), attributes whose type
 * changes, enum options that go. Labels that go altogether take their spans with
 * them (the label rules) and are not listed.
 */
export function attributeRemovals(
	before: ReadonlyArray<{ name: string; attributes?: AttributeDef[] }>,
	after: ReadonlyArray<{ name: string; attributes?: AttributeDef[] }>,
	renames: Readonly<Record<string, string>> = {}
): AttributeRemoval[] {
	const next = new Map(after.map((l) => [l.name, new Map((l.attributes ?? []).map((a) => [a.name, a]))]));
	const removals: AttributeRemoval[] = [];
	for (const label of before) {
		const newName = Object.hasOwn(renames, label.name) ? renames[label.name] : label.name;
		const defs = next.get(newName);
		if (!defs) continue;
		for (const a of label.attributes ?? []) {
			const b = defs.get(a.name);
			if (!b) removals.push({ label: label.name, attribute: a.name, reason: 'removed' });
			else if (b.type !== a.type) removals.push({ label: label.name, attribute: a.name, reason: 'retyped' });
			else if (a.type === 'enum') {
				for (const option of a.options ?? []) {
					if (!b.options?.includes(option)) removals.push({ label: label.name, attribute: a.name, option, reason: 'option removed' });
				}
			}
		}
	}
	return removals;
}

/** How many of `spans` hold a value that `removal` takes away. */
export function spansUsing(spans: ReadonlyArray<{ label: string; attrs?: Readonly<Record<string, unknown>> }>, removal: AttributeRemoval): number {
	let n = 0;
	for (const s of spans) {
		if (s.label !== removal.label) continue;
		const v = own(s.attrs as Record<string, unknown> | undefined, removal.attribute);
		if (v === undefined) continue;
		if (removal.option === undefined || v === removal.option) n++;
	}
	return n;
}

/**
 * One change a new label set makes to stored values, for the rewrite of the
 * existing work (journaled with the label change, see src/lib/server/datasets/datasets.ts):
 * an attribute renamed (`to`) or removed, an enum option renamed (`optionTo`) or
 * removed. `label` is the label's name in the new set (the spans are relabelled
 * first); `attribute` is the attribute's old name, and for option edits its name
 * after the rename.
 */
export type AttributeEdit =
	| { kind: 'rename'; label: string; attribute: string; to: string }
	| { kind: 'remove'; label: string; attribute: string; reason: 'removed' | 'retyped' }
	| { kind: 'renameOption'; label: string; attribute: string; option: string; to: string }
	| { kind: 'removeOption'; label: string; attribute: string; option: string };

/** An attribute change that cannot be made (400 when it reaches HTTP). */
export class AttributeChangeError extends InvalidError {}

type Renames2 = Readonly<Record<string, Readonly<Record<string, string>>>>;
type Renames3 = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
const ownEntries = <T>(o: Readonly<Record<string, T>> | undefined): Array<[string, T]> => (o ? Object.keys(o).map((k) => [k, o[k]]) : []);

/**
 * What a new label set does to stored values: renames (`attributeRenames`:
 * label (new name) → old attribute → new attribute; `optionRenames`: label →
 * attribute (new name) → old option → new option) and removals (an attribute
 * gone or retyped, an option gone). A rename's target must be in the new set and
 * not be a name the label already had (no swaps or chains, so applying the edits
 * twice changes nothing: a rewrite halted midway can run again). Throws
 * AttributeChangeError on an impossible rename.
 */
export function attributeEdits(
	before: ReadonlyArray<{ name: string; attributes?: AttributeDef[] }>,
	after: ReadonlyArray<{ name: string; attributes?: AttributeDef[] }>,
	labelRenames: Readonly<Record<string, string>> = {},
	attributeRenames: Renames2 = {},
	optionRenames: Renames3 = {}
): AttributeEdit[] {
	const next = new Map(after.map((l) => [l.name, new Map((l.attributes ?? []).map((a) => [a.name, a]))]));
	const oldByNewName = new Map<string, { name: string; attributes?: AttributeDef[] }>();
	for (const label of before) {
		const newName = Object.hasOwn(labelRenames, label.name) ? labelRenames[label.name] : label.name;
		if (next.has(newName)) oldByNewName.set(newName, label);
	}
	for (const [label, renames] of ownEntries(attributeRenames)) {
		const old = oldByNewName.get(label);
		if (!old) throw new AttributeChangeError(`cannot rename attributes of "${label}": there is no such label in both the old and the new label set`);
		const had = new Set((old.attributes ?? []).map((a) => a.name));
		const targets = new Set<string>();
		for (const [from, to] of ownEntries(renames)) {
			if (from === to) continue;
			if (!had.has(from)) throw new AttributeChangeError(`label "${label}": cannot rename attribute "${from}": there is no such attribute`);
			if (!next.get(label)!.has(to)) throw new AttributeChangeError(`label "${label}": cannot rename attribute "${from}" to "${to}": "${to}" is not in the new attributes`);
			if (had.has(to)) throw new AttributeChangeError(`label "${label}": cannot rename attribute "${from}" to "${to}": "${to}" already exists`);
			if (targets.has(to)) throw new AttributeChangeError(`label "${label}": two attributes cannot both be renamed to "${to}"`);
			targets.add(to);
		}
	}
	const edits: AttributeEdit[] = [];
	for (const [label, old] of oldByNewName) {
		const defs = next.get(label)!;
		const renames = Object.hasOwn(attributeRenames, label) ? attributeRenames[label] : {};
		const renamedTo = new Set<string>();
		for (const a of old.attributes ?? []) {
			const name = Object.hasOwn(renames, a.name) ? renames[a.name] : a.name;
			const b = defs.get(name);
			if (!b || renamedTo.has(name)) {
				edits.push({ kind: 'remove', label, attribute: a.name, reason: 'removed' });
				continue;
			}
			renamedTo.add(name);
			if (b.type !== a.type) {
				edits.push({ kind: 'remove', label, attribute: a.name, reason: 'retyped' });
				continue;
			}
			if (name !== a.name) edits.push({ kind: 'rename', label, attribute: a.name, to: name });
			if (a.type !== 'enum') continue;
			const optionMap = own(own(optionRenames, label), name) ?? {};
			const oldOptions = new Set(a.options ?? []);
			for (const [from, to] of ownEntries(optionMap)) {
				if (from === to) continue;
				if (!oldOptions.has(from)) throw new AttributeChangeError(`label "${label}", attribute "${name}": cannot rename option "${from}": there is no such option`);
				if (!b.options?.includes(to)) throw new AttributeChangeError(`label "${label}", attribute "${name}": cannot rename option "${from}" to "${to}": "${to}" is not in the new options`);
				if (oldOptions.has(to)) throw new AttributeChangeError(`label "${label}", attribute "${name}": cannot rename option "${from}" to "${to}": "${to}" already exists`);
			}
			for (const option of a.options ?? []) {
				const to = Object.hasOwn(optionMap, option) ? optionMap[option] : option;
				if (to !== option && b.options?.includes(to)) edits.push({ kind: 'renameOption', label, attribute: name, option, to });
				else if (!b.options?.includes(option)) edits.push({ kind: 'removeOption', label, attribute: name, option });
			}
		}
	}
	return edits;
}

/**
 * A span's attrs with `edits` applied (renames first, then removals, then
 * option changes); undefined when nothing is left. The same object when nothing
 * changed, so a caller can tell.
 */
export function applyAttributeEdits(
	label: string,
	attrs: Readonly<Record<string, unknown>> | undefined,
	edits: readonly AttributeEdit[]
): Readonly<Record<string, unknown>> | undefined {
	if (!attrs) return attrs;
	const mine = edits.filter((e) => e.label === label);
	if (!mine.length) return attrs;
	const values = new Map(Object.keys(attrs).map((k) => [k, attrs[k]]));
	let changed = false;
	const renamed = new Map<string, unknown>();
	for (const e of mine) {
		if (e.kind === 'rename' && values.has(e.attribute)) {
			renamed.set(e.to, values.get(e.attribute));
			values.delete(e.attribute);
			changed = true;
		}
	}
	for (const e of mine) {
		if (e.kind === 'remove' && values.has(e.attribute)) {
			values.delete(e.attribute);
			changed = true;
		}
	}
	for (const [k, v] of renamed) values.set(k, v);
	for (const e of mine) {
		if (e.kind === 'renameOption' && values.get(e.attribute) === e.option) {
			values.set(e.attribute, e.to);
			changed = true;
		} else if (e.kind === 'removeOption' && values.get(e.attribute) === e.option) {
			values.delete(e.attribute);
			changed = true;
		}
	}
	return changed ? normalizeAttrs(Object.fromEntries(values)) : attrs;
}

/** How many of `spans` (labels already in the new set's names) hold a value that `edit` renames or removes. */
export function spansTouchedBy(spans: ReadonlyArray<{ label: string; attrs?: Readonly<Record<string, unknown>> }>, edit: AttributeEdit): number {
	let n = 0;
	for (const s of spans) {
		if (s.label !== edit.label) continue;
		const v = own(s.attrs as Record<string, unknown> | undefined, edit.attribute);
		if (v === undefined) continue;
		if (edit.kind === 'rename' || edit.kind === 'remove' || v === edit.option) n++;
	}
	return n;
}
