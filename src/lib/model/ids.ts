/**
 * The shapes of the names that address things in URLs and on disk: dataset slugs
 * and document ids. One definition, used by the store's path checks
 * (`$lib/server/store/paths`, which answer 400 naming the problem) and by the
 * route param matchers (`src/params/`, under which a URL that cannot name a
 * dataset or a document matches no route: 404).
 */

export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const DOC_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Folders of the data root that are not datasets, and URL words that are not slugs. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['samples', 'system', 'api', 'new']);

export function isSlug(slug: string): boolean {
	return SLUG_RE.test(slug) && !RESERVED_SLUGS.has(slug);
}

export function isDocumentId(id: string): boolean {
	return DOC_ID_RE.test(id) && !id.includes('..');
}
