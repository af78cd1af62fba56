/**
 * Automatic assignment of documents to annotators. Pure and deterministic: the
 * same documents, annotators and settings always give the same assignment, so a
 * lead can re-run it (after an import, or after adding someone) and predict it.
 *
 *  1. Documents and annotators are sorted (code unit order) and de-duplicated, so
 *     the order they were listed in does not matter.
 *  2. With `share` < 100, the overlap subset (documents that get
 *     `annotatorsPerDocument` annotators, the rest get one) is the
 *     round(share% × n) documents with the smallest FNV-1a hash of their id —
 *     a stable pseudo-random sample that does not shift when other documents
 *     are added.
 *  3. Annotators in `keep` (people who already have work on a document) stay on
 *     it and count towards its load, so re-assigning never hides started work.
 *  4. Overlap documents first, then single ones, each in id order: every open
 *     slot goes to the least-loaded annotator not already on the document; ties
 *     go round-robin (the first in annotator order after the previous pick).
 */
import { dict, own, type Dict } from '../model/dict';
import { InvalidError } from '../model/errors';

/** document id → annotators (document ids are any name: read with `own`) */
export type Assignment = Dict<string[]>;

export interface AutoAssignInput {
	documents: string[];
	annotators: string[];
	annotatorsPerDocument: number;
	/** percentage (0–100) of documents that get `annotatorsPerDocument` annotators; the rest get one. Default 100. */
	share?: number;
	/** document id → annotators who already have work on it and keep it */
	keep?: Record<string, string[]>;
	/**
	 * documents each annotator already has elsewhere (e.g. the dataset's current
	 * queues when only newly imported documents are assigned), so the new ones go
	 * to the least loaded overall
	 */
	startLoad?: Record<string, number>;
}

/**
 * A dataset's standing rule: what "Assign automatically" was last asked, kept so
 * that documents imported later are assigned the same way. `annotators` absent:
 * every annotator member at the time of the import.
 */
export interface AssignmentPolicy {
	annotatorsPerDocument: number;
	share: number;
	annotators?: string[];
}

/** An assignment rule that cannot be applied (400 when it reaches HTTP). */
export class AssignmentError extends InvalidError {}

/** FNV-1a (32-bit) over UTF-16 code units: small, stable across platforms and versions. */
export function fnv1a(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash >>> 0;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortedUnique(values: string[]): string[] {
	return [...new Set(values)].sort(byCodeUnit);
}

/** The documents that get full overlap when only `share` % of them should. */
export function overlapSubset(documents: string[], share: number): Set<string> {
	const docs = sortedUnique(documents);
	const count = Math.round((docs.length * share) / 100);
	const ranked = [...docs].sort((a, b) => fnv1a(a) - fnv1a(b) || byCodeUnit(a, b));
	return new Set(ranked.slice(0, count));
}

export function autoAssign(input: AutoAssignInput): Assignment {
	const documents = sortedUnique(input.documents);
	const annotators = sortedUnique(input.annotators);
	const perDocument = input.annotatorsPerDocument;
	const share = input.share ?? 100;
	if (annotators.length === 0) throw new AssignmentError('there are no annotators to assign documents to');
	if (!Number.isInteger(perDocument) || perDocument < 1) {
		throw new AssignmentError('annotators per document must be a whole number of at least 1');
	}
	if (perDocument > annotators.length) {
		throw new AssignmentError(
			`cannot give each document ${perDocument} annotators: only ${annotators.length} annotator(s) to choose from`
		);
	}
	if (!(share >= 0 && share <= 100)) throw new AssignmentError('share must be a percentage between 0 and 100');

	const overlap = share >= 100 ? new Set(documents) : overlapSubset(documents, share);
	const start = input.startLoad ?? {};
	const load = new Map(annotators.map((a) => [a, Object.hasOwn(start, a) ? start[a] : 0]));
	const result = new Map<string, string[]>();
	for (const doc of documents) {
		const kept = sortedUnique((own(input.keep, doc) ?? []).filter((a) => load.has(a)));
		for (const a of kept) load.set(a, load.get(a)! + 1);
		result.set(doc, kept);
	}

	let cursor = 0;
	const order = [...documents.filter((d) => overlap.has(d)), ...documents.filter((d) => !overlap.has(d))];
	for (const doc of order) {
		const chosen = result.get(doc)!;
		const wanted = overlap.has(doc) ? perDocument : 1;
		while (chosen.length < wanted) {
			let best = -1;
			for (let step = 0; step < annotators.length; step++) {
				const i = (cursor + step) % annotators.length;
				const candidate = annotators[i];
				if (chosen.includes(candidate)) continue;
				if (best === -1 || load.get(candidate)! < load.get(annotators[best])!) best = i;
			}
			const pick = annotators[best];
			chosen.push(pick);
			load.set(pick, load.get(pick)! + 1);
			cursor = (best + 1) % annotators.length;
		}
	}
	return dict(documents.map((d) => [d, result.get(d)!.sort(byCodeUnit)]));
}

/** How many documents each annotator has in an assignment (annotators with none included as 0). */
export function loadsOf(assignment: Assignment, annotators: string[] = []): Dict<number> {
	const loads = dict<number>(sortedUnique(annotators).map((a) => [a, 0]));
	for (const list of Object.values(assignment)) {
		for (const a of list) loads[a] = (loads[a] ?? 0) + 1;
	}
	return loads;
}
