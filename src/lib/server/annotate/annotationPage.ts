/** The annotation view's page data: the document, the caller's own set (packed), the queue around it and their density. */
import type { SessionUser } from '../auth/auth';
import { densityPreference } from '../auth/auth';
import { renderMarkdown } from '../datasets/markdown';
import { datasetInfo, neighbours, openDocument, readAnnotations } from './annotate';
import { packSpansJson } from '../../model/spans';
import { densityCookie, parseDensity } from '../../annotate/density';
import { packRelations } from '../../annotate/relationEdits';

/** `cookie` reads a request cookie (the density chosen in a browser whose account never saved one). */
export async function annotationPageFor(user: SessionUser | null, slug: string, id: string, cookie: (name: string) => string | undefined) {
	const { access, doc } = await openDocument(user, slug, id);
	return {
		dataset: datasetInfo(access),
		guidelinesHtml: renderMarkdown(access.dataset.guidelines),
		document: { id: doc.id, title: doc.title, text: doc.text },
		annotations: await readAnnotations(user, slug, id, 'me').then(({ revision, status, spans, relations, flag, comments, dismissed }) => ({
			revision,
			status,
			spans: packSpansJson(spans),
			relations: packRelations(relations ?? []),
			flag,
			comments,
			// the suggestions this annotator rejected (kept with the set, see docs/api.md)
			dismissed
		})),
		nav: await neighbours(access, id),
		// the account's choice follows the user to any browser; the cookie covers one never saved there
		density: (await densityPreference(access.user.username)) ?? parseDensity(cookie(densityCookie(access.user.username))),
		username: access.user.username
	};
}
