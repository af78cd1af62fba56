/**
 * Relations and attributes of imported pre-annotations (doccano relation
 * JSONL, brat, Label Studio): checked against the dataset in pass 1 of an
 * import, so that an import whose relations or attributes the dataset cannot
 * hold is refused as a whole, with the file and line (or task) of each
 * problem, before anything is written (importer.ts); and their values read as
 * the dataset's attribute types when the sets are saved (importCommit.ts).
 */
import { attributesOf, attrValueProblem, validateSpanAttrs, type AttributeDef } from '../../model/attributes';
import { validateRelations } from '../../model/relations';
import type { Label, RelationType } from '../../model/types';
import type { ImportedRelation, ImportedSpan } from './';

/**
 * Values as the attribute's type has them: formats without types (brat, Label
 * Studio) write a boolean as "true"/"false", and an enum option or a text
 * "true" may come back as a boolean. Anything else is left for the checks.
 */
export function coerceValue(def: AttributeDef | undefined, value: string | boolean): string | boolean {
	if (!def) return value;
	if (def.type === 'boolean' && typeof value === 'string' && (value === 'true' || value === 'false')) return value === 'true';
	if (def.type !== 'boolean' && typeof value === 'boolean') return String(value);
	return value;
}

/**
 * `spans` with labels mapped (`labelMap`: imported → dataset label) and attribute
 * values coerced (`coerceValue`); of a span's `attrsWhereDefined` attrs only
 * those the label defines and whose value it accepts are kept.
 */
export function mapImportedSpans(spans: readonly ImportedSpan[], labels: readonly Label[], labelMap: ReadonlyMap<string, string>): ImportedSpan[] {
	const defs = new Map<string, Map<string, AttributeDef>>();
	const defsOf = (label: string) => {
		let m = defs.get(label);
		if (!m) defs.set(label, (m = new Map(attributesOf(labels, label).map((a) => [a.name, a]))));
		return m;
	};
	return spans.map((s) => {
		const label = labelMap.get(s.label) ?? s.label;
		const out: ImportedSpan = { start: s.start, end: s.end, label };
		if (s.attrs) {
			const d = defsOf(label);
			const attrs = Object.create(null) as Record<string, string | boolean>;
			let kept = 0;
			for (const [name, value] of Object.entries(s.attrs)) {
				const def = d.get(name);
				const coerced = coerceValue(def, value);
				if (s.attrsWhereDefined && (!def || attrValueProblem(def, coerced) !== null)) continue;
				attrs[name] = coerced;
				kept++;
			}
			if (kept) out.attrs = attrs;
		}
		return out;
	});
}

/**
 * What the dataset cannot hold of one document's imported relations and
 * attributes (spans already mapped with `mapImportedSpans`): messages name the
 * relation or span by its place in the file (1-based, as brat's T1, doccano's
 * entity 1), at most `max` of them.
 */
export function importedAnnotationProblems(
	spans: readonly ImportedSpan[],
	relations: readonly ImportedRelation[],
	labels: readonly Label[],
	relationTypes: readonly RelationType[],
	max = 20
): string[] {
	const problems: string[] = [];
	// spans whose label the import adds have no attributes and are in no relation type: the checks below say so
	for (const p of validateRelations(spans, relations, relationTypes, undefined)) {
		problems.push(p.message.replace(/^relation (\d+)/, (_, i) => `relation ${Number(i) + 1}`).replace(/\bspan (\d+)\b/g, (_, i) => `span ${Number(i) + 1}`));
		if (problems.length >= max) return problems;
	}
	for (const p of validateSpanAttrs(spans, labels)) {
		problems.push(p.message.replace(/^span (\d+)/, (_, i) => `span ${Number(i) + 1}`));
		if (problems.length >= max) return problems;
	}
	return problems;
}
