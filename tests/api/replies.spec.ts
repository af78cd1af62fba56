/**
 * Issue #15 item 11: leads reply to an annotator's comments (and the annotator
 * replies back) without touching the annotator's spans; each reply is a
 * revision of the set by its writer, read by the author and leads only, never
 * released.
 */
import { test, expect } from '@playwright/test';
import { apiAs, newUser, seedDataset } from '../helpers/api';

const text = 'Le maire 😀 a dit mardi que la taxe baisse.';
const maire = { start: 3, end: 8, label: 'attribution' };

test('a lead replies to an annotator’s comment, the annotator replies back; others are refused; spans stay; the history has each reply', async () => {
	// annotators of this test's own: no test beside it can end their sessions
	const [a1, a2] = [await newUser('rep'), await newUser('rep')];
	const slug = await seedDataset({ documents: [{ id: 'd1', title: 'Taxe', text }], annotators: [a1, a2] });
	const [lead, ann1, ann2] = await Promise.all([apiAs('lead'), apiAs(a1), apiAs(a2)]);
	const setUrl = `/api/datasets/${slug}/documents/d1/annotations/${a1}`;
	const mine = `/api/datasets/${slug}/documents/d1/annotations/me`;
	const put = await ann1.put(mine, { data: { baseRevision: 0, spans: [maire], comments: [{ text: 'Is “maire” an attribution?', span: maire }] } });
	expect(put.status(), await put.text()).toBe(200);
	const asked = await (await ann1.get(mine)).json();
	const question = asked.comments[0];

	const reply = await lead.post(`${setUrl}/comments`, { data: { text: 'Yes: the speaker.', replyTo: question.id } });
	expect(reply.status(), await reply.text()).toBe(200);
	const replied = await reply.json();
	expect(replied.revision).toBe(asked.revision + 1);
	expect(replied.comment).toMatchObject({ text: 'Yes: the speaker.', by: 'lead', replyTo: question.id });

	// the author replies back (to the lead's reply: the same thread)
	const back = await ann1.post(`${mine}/comments`, { data: { text: 'Thanks!', replyTo: replied.comment.id } });
	expect(back.status(), await back.text()).toBe(200);
	expect((await back.json()).comment).toMatchObject({ by: a1, replyTo: question.id });

	// another annotator may not reply (nor read); bad input is a 400 and changes nothing
	expect((await ann2.post(`${setUrl}/comments`, { data: { text: 'Me too', replyTo: question.id } })).status()).toBe(403);
	for (const data of [
		{ text: 'x', replyTo: 'no-such-comment' },
		{ text: 'x', replyTo: '__proto__' },
		{ text: '   ', replyTo: question.id },
		{ text: 'x'.repeat(2001), replyTo: question.id },
		{ text: 'x', replyTo: question.id, spans: [] }
	]) {
		const res = await lead.post(`${setUrl}/comments`, { data });
		expect(res.status(), JSON.stringify(data).slice(0, 80)).toBe(400);
		expect((await res.json()).error).toMatch(/replyTo|text|spans|unrecognized/i);
	}

	// the set: spans untouched, the thread in order, the author's revision untouched by the lead
	const now = await (await lead.get(setUrl)).json();
	expect(now.revision).toBe(asked.revision + 2);
	expect(now.spans.map(({ start, end, label }: typeof maire) => ({ start, end, label }))).toEqual([maire]);
	expect(now.status).toBe(asked.status);
	expect(now.comments.map((c: { by: string; text: string; replyTo?: string }) => [c.by, c.text, c.replyTo ?? null])).toEqual([
		[a1, 'Is “maire” an attribution?', null],
		['lead', 'Yes: the speaker.', question.id],
		[a1, 'Thanks!', question.id]
	]);

	// the author's next whole-list save keeps the replies (and cannot rewrite the lead's)
	const save = await ann1.put(mine, {
		data: { baseRevision: now.revision, comments: [{ id: question.id, text: question.text }, { id: replied.comment.id, text: 'changed' }] }
	});
	expect(save.status(), await save.text()).toBe(200);
	const kept = await (await ann1.get(mine)).json();
	expect(kept.comments.map((c: { text: string }) => c.text)).toEqual(['Is “maire” an attribution?', 'Yes: the speaker.', 'Thanks!']);

	// the revision history has each reply, by its writer
	const history = await (await lead.get(`${setUrl}/revisions`)).json();
	const revisions = history.revisions ?? history;
	const byRevision = new Map(revisions.map((r: { revision: number }) => [r.revision, r]));
	expect(byRevision.get(asked.revision + 1)).toMatchObject({ by: 'lead' });
	expect((byRevision.get(asked.revision + 1) as { comments: Array<{ text: string }> }).comments.at(-1)!.text).toBe('Yes: the speaker.');
	expect(byRevision.get(asked.revision + 2)).toMatchObject({ by: a1 });
	await Promise.all([lead.dispose(), ann1.dispose(), ann2.dispose()]);
});
