import { describe, expect, it } from 'vitest';
import { addReply, mergeComments, sameComments, sameFlag } from './notes';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T11:00:00.000Z';

describe('mergeComments', () => {
	let n = 0;
	const newId = () => `c${++n}`;
	it('gives new comments an id, the author and the time; known ones keep theirs; left out ones go', () => {
		n = 0;
		const first = mergeComments([], [{ text: 'Is “maire” an attribution?', span: { start: 3, end: 8, label: 'attribution' } }, { text: 'Long article.' }], 'ann1', T0, newId);
		expect(first).toEqual([
			{ id: 'c1', text: 'Is “maire” an attribution?', span: { start: 3, end: 8, label: 'attribution' }, by: 'ann1', at: T0 },
			{ id: 'c2', text: 'Long article.', by: 'ann1', at: T0 }
		]);
		// a new comment keeps the id its client gave it (when it is a fresh, well-formed one), so the next save names it the same
		const second = mergeComments(first, [{ id: 'c2', text: 'A long article.' }, { id: 'client-1', text: 'New' }, { id: 'x', text: 'Bad id' }], 'ann1', T1, newId);
		expect(second).toEqual([
			{ id: 'c2', text: 'A long article.', by: 'ann1', at: T0 },
			{ id: 'client-1', text: 'New', by: 'ann1', at: T1 },
			{ id: 'c3', text: 'Bad id', by: 'ann1', at: T1 }
		]);
		// an id sent twice is one comment, the second copy a new one
		expect(mergeComments(first, [{ id: 'c1', text: 'a' }, { id: 'c1', text: 'b' }], 'ann1', T1, newId).map((c) => c.id)).toEqual(['c1', 'c4']);
	});
	it('compares flags and comment lists by content', () => {
		expect(sameFlag(null, undefined)).toBe(true);
		expect(sameFlag({ reason: 'unsure', note: '' }, { reason: 'unsure', note: '' })).toBe(true);
		expect(sameFlag({ reason: 'unsure', note: '' }, { reason: 'not_news', note: '' })).toBe(false);
		const c = [{ id: 'c1', text: 'x', by: 'a', at: T0 }];
		expect(sameComments(c, [{ ...c[0] }])).toBe(true);
		expect(sameComments(c, [{ ...c[0], text: 'y' }])).toBe(false);
	});
});

describe('replies (addReply, and mergeComments keeping them)', () => {
	const q = { id: 'q1', text: 'Is “maire” an attribution?', by: 'ann1', at: T0 };
	it('a reply answers the root comment; a reply to a reply answers the same root', () => {
		const one = addReply([q], 'q1', 'Yes.', 'lead', T1, 'r1');
		expect(one).toEqual([q, { id: 'r1', text: 'Yes.', by: 'lead', at: T1, replyTo: 'q1' }]);
		const two = addReply(one, 'r1', 'Thanks!', 'ann1', T1, 'r2');
		expect(two[2]).toEqual({ id: 'r2', text: 'Thanks!', by: 'ann1', at: T1, replyTo: 'q1' });
	});
	it('an unknown replyTo is refused, prototype names too', () => {
		for (const id of ['nope', '__proto__', 'constructor', 'toString']) expect(() => addReply([q], id, 'x', 'lead', T1, 'r1')).toThrow(/replyTo/);
	});
	it("the author's whole-list save keeps replies it leaves out, cannot edit them, and drops them with their comment", () => {
		const withReply = addReply([q], 'q1', 'Yes.', 'lead', T1, 'r1');
		expect(mergeComments(withReply, [{ id: 'q1', text: q.text }], 'ann1', T1, () => 'x')).toEqual(withReply);
		expect(mergeComments(withReply, [{ id: 'q1', text: q.text }, { id: 'r1', text: 'No.' }], 'ann1', T1, () => 'x')).toEqual(withReply);
		expect(mergeComments(withReply, [], 'ann1', T1, () => 'x')).toEqual([]);
		expect(sameComments(withReply, [q])).toBe(false);
	});
});
