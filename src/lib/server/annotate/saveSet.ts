/**
 * Saving an annotation set: the input checked (./saveChecks.ts), then, in one
 * compare-and-swap of the store (`sets.commit`), the next state computed from the
 * current one by the pure rule (./revision.ts) and written with its revision.
 * A stale base revision is a 409 carrying the current state.
 */
import { randomBytes } from 'node:crypto';
import { store } from '../store';
import { conflict } from '../http/errors';
import { GOLD, type AnnotationSet, type Status } from '../../model/types';
import { prepareSave, type SaveInput } from './saveChecks';
import { nextRevision } from './revision';

export type { SaveInput };

export interface SaveResult {
	revision: number;
	status: Status;
	changed: boolean;
	set: AnnotationSet;
}

const newCommentId = () => randomBytes(6).toString('hex');

/**
 * `labels`: the dataset's label names, as `store.datasets.withCurrentLabels` gives
 * them for the length of the save; labels read earlier may have been renamed
 * meanwhile, and the rename's rewrite would not see this save.
 */
export async function saveSet(
	slug: string,
	doc: { id: string; text: string },
	annotator: string,
	by: string,
	labels: string[],
	input: SaveInput
): Promise<SaveResult> {
	const prepared = prepareSave(doc, annotator, labels, input);
	// a reply changes nothing the author is editing: no base revision to check
	const base = input.reply === undefined ? input.baseRevision : null;
	const result = await store.sets.commit({ slug, docId: doc.id, annotator }, base, (current) =>
		nextRevision(current, prepared, by, new Date().toISOString(), newCommentId)
	);
	if (!result.ok) {
		const current = result.conflict;
		throw conflict(
			`these annotations were changed elsewhere (you edited revision ${input.baseRevision}, the current one is ${current.revision})`,
			{
				current: {
					...current,
					relations: current.relations ?? [],
					dismissed: current.dismissed ?? [],
					...(annotator === GOLD ? { rejectedRelations: current.rejectedRelations ?? [] } : {})
				}
			}
		);
	}
	// the stored state is frozen (a cache of the file store); callers get their own top level
	const set = Object.isFrozen(result.set) ? { ...result.set } : result.set;
	return { revision: set.revision, status: set.status, changed: result.changed, set };
}
