import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/http';
import { openDocument } from '$lib/server/annotate/annotate';

export const GET = api(async ({ locals, params }) => {
	const { doc } = await openDocument(locals.user, params.slug, params.id);
	return json({ id: doc.id, title: doc.title, text: doc.text, meta: doc.meta });
});
