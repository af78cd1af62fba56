/**
 * What a running server has in memory once a dataset has been opened: the
 * document index and the annotation set summaries. Child processes build them
 * before the timed work so their figures compare with the server's, and
 * report this cold-start cost apart.
 */
import { listDocumentHeaders, datasetSummaries } from '../src/lib/server/store';

export async function openDataset(slug: string): Promise<{ openMs: number }> {
	const t0 = performance.now();
	await listDocumentHeaders(slug);
	await datasetSummaries(slug);
	return { openMs: performance.now() - t0 };
}
