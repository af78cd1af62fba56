/**
 * Access cases for replies to comments (issue #15 item 11): the set's author and
 * the dataset's leads may reply; no one else, not even another annotator.
 */
import { allow, type AccessCase, type Fixture } from './types';
import { apiAs } from '../../helpers/api';

/** A comment by the annotator on their set of the scratch dataset's document; its id. */
async function annotatorComment(f: Fixture): Promise<string> {
	const ann = await apiAs(f.users.annotator, f.password);
	try {
		const url = `/api/datasets/${f.scratch}/documents/${f.docId}/annotations/me`;
		const current = await (await ann.get(url)).json();
		if (current.comments?.length) return current.comments[0].id;
		const res = await ann.put(url, { data: { baseRevision: current.revision, comments: [{ text: 'A question for the lead' }] } });
		if (!res.ok()) throw new Error(`could not comment: ${await res.text()}`);
		return (await (await ann.get(url)).json()).comments[0].id;
	} finally {
		await ann.dispose();
	}
}

export const cases: AccessCase[] = [
	{
		route: 'POST /api/datasets/[slug]/documents/[id]/annotations/[annotator]/comments',
		title: "a reply on the annotator's set",
		path: (f) => `/api/datasets/${f.scratch}/documents/${f.docId}/annotations/${f.users.annotator}/comments`,
		body: async (f) => ({ text: 'A reply', replyTo: await annotatorComment(f) }),
		expect: { anonymous: 401, outsider: 403, annotator: 200, lead: 200 }
	}
];
