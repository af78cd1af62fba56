/** The label set: its schema and lookups. Labels always come from the dataset, never from constants in components. */
import { z } from 'zod';
import type { Label } from './types';
import { dict, reservedName } from './dict';
import { attributesSchema } from './attributes';
import { InvalidError } from './errors';

export const labelSchema = z.object({
	// stored NFC and trimmed (src/lib/model/names.ts); look-alikes of other labels are refused by the server
	name: z
		.string()
		.trim()
		.normalize('NFC')
		.min(1, 'label name is required')
		.max(64)
		.regex(/^[\p{L}\p{N}_-][\p{L}\p{N} _.:/-]*$/u, 'label name: letters, digits, spaces and _ - . : / only')
		.refine((name) => reservedName(name) === null, { error: (issue) => `label name ${reservedName(String(issue.input))}` }),
	key: z
		.string()
		.trim()
		.toLowerCase()
		.max(1)
		.regex(/^[a-z0-9]?$/, 'label key: a single lowercase letter or digit (or empty)')
		.refine((k) => !['j', 'k', 'u', 'z'].includes(k), 'label key: j, k, u and z are reserved for navigation and undo'),
	color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'label colour: #rrggbb'),
	description: z.string().max(5000).default(''),
	/** span attributes (./attributes.ts); a label without any (omitted) has none: the API shows `[]` (`withAttributes`) */
	attributes: attributesSchema.optional()
});

export const labelSetSchema = z.array(labelSchema).min(1, 'at least one label').max(50);

/** Labels as the API shows them: every label with its `attributes` (`[]` for one saved before attributes existed). */
export function withAttributes(labels: readonly Label[]): Array<Label & { attributes: NonNullable<Label['attributes']> }> {
	return labels.map((l) => ({ ...l, attributes: l.attributes ?? [] }));
}

export function labelByKey(labels: Label[], key: string): Label | undefined {
	const k = key.toLowerCase();
	return labels.find((l) => l.key === k);
}

export function labelColor(labels: Label[], name: string): string {
	return labels.find((l) => l.name === name)?.color ?? '#868e96';
}

/** What a new label set does to the old one. Renames are explicit (old → new name); a name that just disappears is a removal. */
export interface LabelChange {
	renamed: Array<{ from: string; to: string }>;
	removed: string[];
	added: string[];
}

/** A label change with the number of spans (in current annotation sets) each rename or removal touches. */
export interface LabelImpact {
	renamed: Array<{ from: string; to: string; spans: number }>;
	removed: Array<{ name: string; spans: number }>;
	added: string[];
}

/** A label change that cannot be made (400 when it reaches HTTP). */
export class LabelChangeError extends InvalidError {}

export function diffLabelSets(before: Label[], after: Label[], renames: Record<string, string> = {}): LabelChange {
	const oldNames = new Set(before.map((l) => l.name));
	const newNames = new Set(after.map((l) => l.name));
	const renamed: LabelChange['renamed'] = [];
	const targets = new Set<string>();
	for (const [from, to] of Object.entries(renames)) {
		if (from === to) continue;
		if (!oldNames.has(from)) throw new LabelChangeError(`cannot rename "${from}": there is no such label`);
		if (newNames.has(from)) throw new LabelChangeError(`cannot rename "${from}" to "${to}": "${from}" is still in the new label set`);
		if (!newNames.has(to)) throw new LabelChangeError(`cannot rename "${from}" to "${to}": "${to}" is not in the new label set`);
		if (oldNames.has(to)) throw new LabelChangeError(`cannot rename "${from}" to "${to}": "${to}" already exists`);
		if (targets.has(to)) throw new LabelChangeError(`two labels cannot both be renamed to "${to}"`);
		targets.add(to);
		renamed.push({ from, to });
	}
	const renamedFrom = new Set(renamed.map((r) => r.from));
	return {
		renamed,
		removed: [...oldNames].filter((n) => !newNames.has(n) && !renamedFrom.has(n)),
		added: [...newNames].filter((n) => !oldNames.has(n) && !targets.has(n))
	};
}

/** Apply renames and removals to a list of spans; says how many of each it did. */
export function relabelSpans<T extends { label: string }>(
	spans: T[],
	change: Pick<LabelChange, 'renamed' | 'removed'>
): { spans: T[]; renamed: number; removed: number } {
	const to = new Map(change.renamed.map((r) => [r.from, r.to]));
	const gone = new Set(change.removed);
	let renamed = 0;
	let removed = 0;
	const result: T[] = [];
	for (const span of spans) {
		if (gone.has(span.label)) {
			removed++;
			continue;
		}
		const next = to.get(span.label);
		if (next !== undefined) {
			renamed++;
			result.push({ ...span, label: next });
		} else result.push(span);
	}
	return { spans: result, renamed, removed };
}

/**
 * The label editor's form: repeated `name`, `key`, `color`, `description` fields,
 * one per row in order, and `original` (the row's name when the page loaded, empty
 * for new rows) so a changed name is a rename, not a removal plus an addition.
 */
export function labelsFromForm(form: FormData): { labels: Label[]; renames: Record<string, string> } {
	const all = (field: string) => form.getAll(field).map((v) => (typeof v === 'string' ? v : ''));
	const names = all('name');
	const keys = all('key');
	const colors = all('color');
	const descriptions = all('description');
	const originals = all('original');
	// each row's attributes as JSON (the attribute editor's hidden field); a form without the field keeps none
	const attributes = form.has('attributes') ? all('attributes') : null;
	const rows = names.map((name, i) => ({
		name: name.normalize('NFC').trim(),
		key: (keys[i] ?? '').trim().toLowerCase(),
		color: (colors[i] ?? '').trim(),
		description: descriptions[i] ?? '',
		...(attributes ? { attributes: parseAttributesField(attributes[i] ?? '') } : {})
	}));
	const renames = dict<string>();
	rows.forEach((row, i) => {
		const original = originals[i] ?? '';
		if (original && original !== row.name) renames[original] = row.name;
	});
	const parsed = labelSetSchema.safeParse(rows);
	if (!parsed.success) throw new LabelChangeError(labelIssuesInWords(parsed.error.issues, rows));
	return { labels: parsed.data, renames };
}

/**
 * Problems of a label set for the label editor, in words: the label by name (or
 * its row number when it has none), not the schema path — "“quote”: key: j, k, u
 * and z are reserved…" rather than "4.key: label key: …".
 */
export function labelIssuesInWords(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, rows: ReadonlyArray<{ name: string }>): string {
	const seen = new Set<string>();
	for (const issue of issues.slice(0, 10)) {
		const index = typeof issue.path[0] === 'number' ? issue.path[0] : -1;
		const name = index >= 0 ? rows[index]?.name : undefined;
		const who = index < 0 ? '' : name ? `“${name}”: ` : `label ${index + 1}: `;
		seen.add(who + issue.message.replace(/^label /, ''));
	}
	return [...seen].join('; ');
}

/** A row's `attributes` field: JSON of `[{name, type, options?, required?}]`; what is not JSON fails the schema ("expected array"). */
function parseAttributesField(field: string): unknown {
	if (field.trim() === '') return [];
	if (field.length > 100_000) return 'too long';
	try {
		return JSON.parse(field);
	} catch {
		return 'not JSON';
	}
}
