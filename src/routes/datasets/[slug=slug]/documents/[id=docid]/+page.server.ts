import type { PageServerLoad } from './$types';
import { pageUser, guarded } from '$lib/server/http/pages';
import { renderMarkdown } from '$lib/server/datasets/markdown';
import { datasetInfo, neighbours, openDocument, readAnnotations } from '$lib/server/annotate/annotate';
import { packSpans } from '$lib/model/spans';
import { densityCookie, parseDensity } from '$lib/annotate/density';
import { densityPreference } from '$lib/server/auth/auth';
import { packRelations } from '$lib/annotate/relationEdits';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const { slug, id } = event.params;
	return guarded(async () => {
		const { access, doc } = await openDocument(user, slug, id);
		return {
			dataset: datasetInfo(access),
			guidelinesHtml: renderMarkdown(access.dataset.guidelines),
			document: { id: doc.id, title: doc.title, text: doc.text },
			annotations: await readAnnotations(user, slug, id, 'me').then(({ revision, status, spans, relations, flag, comments, dismissed }) => ({
				revision,
				status,
				spans: JSON.stringify(packSpans(spans)),
				relations: packRelations(relations ?? []),
				flag,
				comments,
				// the suggestions this annotator rejected (kept with the set, see docs/api.md)
				dismissed
			})),
			nav: await neighbours(access, id),
			// the account's choice follows the user to any browser; the cookie covers one never saved there
			density: (await densityPreference(access.user.username)) ?? parseDensity(event.cookies.get(densityCookie(access.user.username))),
			username: access.user.username
		};
	});
};
