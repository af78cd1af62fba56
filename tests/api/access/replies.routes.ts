/**
 * Access cases for replies to comments (issue #15 item 11): the set's author and
 * the dataset's leads may reply; no one else, not even another annotator.
 */
import { allow, type AccessCase, type Fixture } from './types';
import { request as playwrightRequest } from '@playwright/test';

/** A comment by the annotator on their set of the scratch dataset's document; its id. */
async function annotatorComment(f: Fixture): Promise<string> {
	// the server the table runs against: the access spec's, or a spec's own (tests/security/prototype-names)
	const ann = await playwrightRequest.newContext({ baseURL: f.baseURL });
	try {
		const login = await ann.post('/api/login', { data: { username: f.users.annotator, password: f.password } });
		if (!login.ok()) throw new Error(`could not log in as ${f.users.annotator}: ${await login.text()}`);
		const url = `/api/datasets/${f.scratch}/documents/${f.docId}/annotations/me`;
		const read = await ann.get(url);
		// a case fed other URL parameters (tests/security/prototype-names) may name no such set: any id then, the request is refused anyway
		if (!read.ok()) return 'no-such-comment';
		const current = await read.json();
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
