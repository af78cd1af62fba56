/**
 * A label change on the file store: the labels (and the journal entry the caller's
 * `mutate` writes with them) first, under the exclusive label lock, then the
 * rewrite set by set. Not atomic: a stop in between is finished from the journal
 * at the next start (resumeLabelRewrites, src/lib/server/datasets/schemaChanges.ts).
 */
import type { DatasetRecord } from '../../../model/dataset';
import { updateDatasetLabels } from './datasets';

export async function changeLabels<T, R>(
	slug: string,
	mutate: (draft: DatasetRecord) => T,
	rewrite: (how: { atomic: boolean }) => Promise<R>
): Promise<{ result: T; rewritten: R }> {
	const result = await updateDatasetLabels(slug, mutate);
	return { result, rewritten: await rewrite({ atomic: false }) };
}
