/**
 * Labels of imported pre-annotations against the dataset's label set: the
 * `labelMap` option (FROM:TO pairs), unknown labels, and labels added on request
 * with generated keys and colours. Pure: the importer gathers the facts.
 */
import { pickLabelColors } from '../../model/labelColors';
import { labelSchema } from '../../model/labels';
import type { Label } from '../../model/types';
import { plural } from '../../text/plural';
import { lookAlikeMessage, lookAlikeOf, normalizeName } from '../../model/names';
import type { ImportProblem } from '../../import/importApi';

/** Where a label was first seen in the import, for the problem list. */
export interface LabelUse {
	count: number;
	file: string;
	line?: number;
}

export interface LabelPlan {
	/** imported label → dataset label, for every label found (identity when unchanged) */
	map: Map<string, string>;
	/** labels to add to the dataset (addLabels), with generated key and colour */
	added: Label[];
	/** labels found that are neither in the dataset nor mapped (when not adding), with counts */
	unknown: Array<{ label: string; count: number }>;
	problems: ImportProblem[];
}

const MAX_LABELS = 50;
/** Same order as the shipped defaults use them: digits first, then letters (j k u z are navigation). */
const KEYS = [...'1234567890abcdefghilmnopqrstvwxy'];

/**
 * Parses `FROM:TO,FROM2:TO2`. Label names may contain ":" themselves; an item is
 * split at the colon whose left side is a label of the import (`found`) when there
 * is one, else at the first colon.
 */
export function parseLabelMap(
	param: string,
	found: ReadonlySet<string> = new Set()
): { map: Map<string, string>; problems: string[] } {
	const map = new Map<string, string>();
	const problems: string[] = [];
	for (const raw of param.split(',')) {
		const item = raw.trim();
		if (item === '') continue;
		const colons = [...item.matchAll(/:/g)].map((m) => m.index);
		if (colons.length === 0) {
			problems.push(`labelMap: "${item}" is not FROM:TO`);
			continue;
		}
		const at = colons.find((i) => found.has(item.slice(0, i).trim())) ?? colons[0];
		const from = item.slice(0, at).trim();
		const to = item.slice(at + 1).trim();
		if (from === '' || to === '') {
			problems.push(`labelMap: "${item}" needs a label on both sides of ":"`);
			continue;
		}
		const previous = map.get(from);
		if (previous !== undefined && previous !== to) {
			problems.push(`labelMap: "${from}" is mapped twice (to "${previous}" and to "${to}")`);
			continue;
		}
		map.set(from, to);
	}
	return { map, problems };
}

/**
 * New labels for `names`, with keys not used by `existing` (a key is left empty
 * when none is free) and colours as far as possible (CIEDE2000) from the ones in use.
 */
export function generateLabels(existing: Label[], names: string[]): Label[] {
	const usedKeys = new Set(existing.map((l) => l.key).filter(Boolean));
	const colors = pickLabelColors(existing.map((l) => l.color), names.length);
	const result: Label[] = [];
	names.forEach((name, i) => {
		const key = KEYS.find((k) => !usedKeys.has(k)) ?? '';
		if (key) usedKeys.add(key);
		result.push({ name, key, color: colors[i], description: 'Added by an import.' });
	});
	return result;
}

/**
 * Decides what each imported label becomes. Without `addLabels`, a label that is
 * neither in the dataset nor mapped to one of its labels is a problem (one per label,
 * with its count and where it first occurs); so is a mapping to a label the dataset
 * does not have. With `addLabels`, such labels (after mapping) are added instead.
 */
export function planLabels(
	existing: Label[],
	found: ReadonlyMap<string, LabelUse>,
	opts: { labelMap?: Map<string, string>; addLabels?: boolean } = {}
): LabelPlan {
	const names = new Set(existing.map((l) => l.name));
	const labelMap = opts.labelMap ?? new Map<string, string>();
	const map = new Map<string, string>();
	const unknown: LabelPlan['unknown'] = [];
	const problems: ImportProblem[] = [];
	const toAdd: string[] = [];
	for (const [label, use] of [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		// labels are stored NFC and trimmed: "claim " in a file is the label "claim"
		const target = normalizeName(labelMap.get(label) ?? label);
		map.set(label, target);
		if (names.has(target) || toAdd.includes(target)) continue;
		if (opts.addLabels) {
			const twin = lookAlikeOf(target, [...names, ...toAdd]);
			if (twin !== undefined) {
				problems.push({
					file: use.file,
					...(use.line !== undefined ? { line: use.line } : {}),
					message: `${lookAlikeMessage('label', target, twin)}; map it onto that label (labelMap=${label}:${twin}) instead of adding it`
				});
				continue;
			}
			toAdd.push(target);
			continue;
		}
		const where = { file: use.file, ...(use.line !== undefined ? { line: use.line } : {}) };
		if (labelMap.has(label)) {
			problems.push({
				...where,
				message: `labelMap maps "${label}" to "${target}", which is not a label of this dataset (${plural(use.count, 'span')})`,
				kind: 'unmapped-label',
				label,
				target,
				count: use.count
			});
		} else {
			unknown.push({ label, count: use.count });
			problems.push({
				...where,
				message: `unknown label "${label}" (${plural(use.count, 'span')}): not in this dataset's label set; map it (labelMap=${label}:LABEL) or add it (addLabels=1)`,
				kind: 'unknown-label',
				label,
				count: use.count
			});
		}
	}
	const added = generateLabels(existing, toAdd);
	for (const label of added) {
		const check = labelSchema.safeParse(label);
		if (!check.success) {
			problems.push({ message: `cannot add label "${label.name}": ${check.error.issues.map((i) => i.message).join('; ')}` });
		}
	}
	if (existing.length + added.length > MAX_LABELS) {
		problems.push({
			message: `cannot add ${plural(added.length, 'label')}: a dataset has at most ${MAX_LABELS} labels (it has ${existing.length})`
		});
	}
	return { map, added, unknown, problems };
}
