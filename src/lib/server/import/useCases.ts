/**
 * Imports as the routes call them: with the caller, checked here (leads of the
 * dataset) before a byte of the body is read.
 */
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead } from '../auth/access';
import { limits } from '../config';
import { importForm, importRequest, type ImportRoute } from './importHttp';
import type { ImportSummary } from './importer';

/** What the import page shows before anything is sent. */
export async function importPageFor(user: SessionUser | null, slug: string) {
	const { dataset } = await requireDatasetLead(user, slug);
	return {
		labels: dataset.labels.map(({ name, color }) => ({ name, color })),
		/** with an explicit assignment, imported documents are in nobody's queue until assigned */
		explicitAssignment: dataset.assignments !== null,
		maxBytes: limits.importBytes
	};
}

/** The import page's form post (no JavaScript). */
export async function importFormAs(user: SessionUser | null, slug: string, request: Request): Promise<ImportSummary> {
	return importForm(await requireDatasetLead(user, slug), request);
}

/** POST …/documents and …/imports. */
export async function importRequestAs(user: SessionUser | null, slug: string, request: Request, url: URL, route: ImportRoute): Promise<Response> {
	return importRequest(await requireDatasetLead(user, slug), request, url, route);
}
