import { describe, it, expect, afterEach, vi } from 'vitest';
import { flushSync } from 'svelte';
import { ReviewState } from './reviewState.svelte';
import type { ReviewData, ReviewSet } from './review';
import type { SpanInput, Status } from '../model/types';
import { DEFAULT_LABELS } from '../model/types';

// "Le"0-2 "maire"3-8 "a"9-10 "dit"11-14 "mardi"15-20 "."20-21
const text = 'Le maire a dit mardi.';
const maire = { start: 3, end: 8, label: 'claim' };
const mardi = { start: 15, end: 20, label: 'date' };
const mardiDot = { start: 15, end: 21, label: 'date' };

const set = (annotator: string, spans: SpanInput[], status: Status = 'done', revision = 1): ReviewSet => ({
	annotator,
	status,
	revision,
	spans: spans.map((s) => ({ ...s, id: `${s.start}:${s.end}:${s.label}`, text: '' })),
	updated_at: null,
	updated_by: null
});

function session(annotators: ReviewSet[], gold: SpanInput[] = [], rejected: SpanInput[] = []): ReviewState {
	const data: ReviewData = {
		dataset: { slug: 'd', title: 'D', labels: DEFAULT_LABELS },
		document: { id: 'a', title: 'A', text },
		annotators,
		gold: { ...set('gold', gold, 'in_progress', 0), rejected: set('gold', rejected).spans },
		nav: { previous: null, next: null, position: 1, total: 1, goldDone: 0 }
	};
	const s = new ReviewState(data);
	sessions.push(s);
	return s;
}

const sessions: ReviewState[] = [];
afterEach(() => {
	for (const s of sessions.splice(0)) s.saver.stop(); // no requests from unit tests
});

describe('ReviewState', () => {
	it('counts done annotators only when two finished; the others are shown but not counted', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire]), set('ann3', [mardiDot], 'in_progress')]);
		expect(s.voterNames).toEqual(['ann1', 'ann2']);
		expect(s.lanes.map((l) => [l.name, l.counted])).toEqual([
			['ann1', true],
			['ann2', true],
			['ann3', false],
			['gold', false]
		]);
		expect(s.disagreements.map((c) => [c.start, c.end, c.label])).toEqual([[15, 20, 'date']]);
		expect(s.agreedCount).toBe(1);
		expect(s.openAgreed).toBe(1);
	});

	it('n focuses the first disagreement; a puts it in gold, marks gold unsaved and moves on', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])]);
		expect(s.act({ type: 'next' })).toBe(true);
		expect(s.focus).toEqual({ lane: 'ann1', span: expect.objectContaining(mardi) });
		s.act({ type: 'accept' });
		flushSync();
		expect(s.gold).toEqual([mardi]);
		expect(s.saver.state).toBe('dirty');
		// the other date span overlaps the accepted one, but only the lead decides it: still open, and in focus next
		expect(s.items.map((i) => i.decision)).toEqual(['accepted', 'open']);
		expect(s.decided).toBe(1);
		expect(s.focus?.span).toEqual(expect.objectContaining(mardiDot));
	});

	it('r rejects; accept-agreed adds the shared spans; an edit of a gold span replaces it', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])]);
		s.act({ type: 'next' });
		s.act({ type: 'reject' });
		expect(s.items.map((i) => i.decision)).toEqual(['rejected', 'open']);
		expect(s.focus?.span).toEqual(expect.objectContaining(mardiDot)); // moved on to the open one
		s.act({ type: 'acceptAgreed' });
		expect(s.gold).toEqual([maire]);
		s.pick('gold', maire);
		s.act({ type: 'edit' });
		s.act({ type: 'move', edge: 'end', dir: 1 });
		s.act({ type: 'label', label: 'framing' });
		expect(s.draft).toEqual({ start: 3, end: 10, label: 'framing' });
		s.act({ type: 'apply' });
		expect(s.gold).toEqual([{ start: 3, end: 10, label: 'framing' }]);
		expect(s.draft).toBeNull();
	});

	it('editing a candidate decides it: the edited span is in gold, the original recorded as rejected', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])]);
		s.pick('ann2', mardiDot);
		s.act({ type: 'edit' });
		s.act({ type: 'move', edge: 'end', dir: -1 });
		expect(s.draft).toEqual(mardi);
		s.act({ type: 'apply' });
		expect(s.gold).toEqual([mardi]);
		expect(s.rejected).toEqual([mardiDot]);
		expect(s.items.map((i) => i.decision)).toEqual(['accepted', 'rejected']);
		expect(s.decided).toBe(2);
	});

	it('the lead tags selected text into gold (snapped to words, or exact with Alt), relabels a gold span with a key, removes it, undoes', () => {
		// 'Le maire a dit mardi.': select "air" inside "maire" → snapped to the word "maire"
		const s = session([set('ann1', [mardi]), set('ann2', [])]);
		s.selectText(4, 7, false);
		expect(s.selection).toEqual({ start: 3, end: 8, text: 'maire' });
		expect(s.tagging).toBe(true);
		expect(s.act({ type: 'label', label: 'attribution' })).toBe(true);
		expect(s.gold).toEqual([{ start: 3, end: 8, label: 'attribution' }]);
		expect(s.selection).toBeNull();
		expect(s.focus).toEqual({ lane: 'gold', span: { start: 3, end: 8, label: 'attribution' } });
		// the focused gold span: another key relabels it
		s.act({ type: 'label', label: 'claim' });
		expect(s.gold).toEqual([{ start: 3, end: 8, label: 'claim' }]);
		// Alt: exact characters (only trimmed)
		s.selectText(4, 7, true);
		expect(s.selection).toEqual({ start: 4, end: 7, text: 'air' });
		s.act({ type: 'escape' });
		expect(s.selection).toBeNull();
		// Delete removes a gold span nobody proposed, without recording a rejection; undo brings it back
		s.pick('gold', { start: 3, end: 8, label: 'claim' });
		s.act({ type: 'reject' });
		expect(s.gold).toEqual([]);
		expect(s.rejected).toEqual([]);
		s.act({ type: 'undo' });
		expect(s.gold).toEqual([{ start: 3, end: 8, label: 'claim' }]);
		s.act({ type: 'undo' });
		s.act({ type: 'undo' });
		expect(s.gold).toEqual([]);
		s.act({ type: 'redo' });
		expect(s.gold).toEqual([{ start: 3, end: 8, label: 'attribution' }]);
		// a selection of spaces alone is nothing
		s.selectText(2, 3, false);
		expect(s.selection).toBeNull();
	});

	it("the dataset's quote rule applies to the lead's selections too", () => {
		const quoted = 'Il dit « oui ».';
		const data: ReviewData = {
			dataset: { slug: 'd', title: 'D', labels: DEFAULT_LABELS, punctuation: 'include' },
			document: { id: 'a', title: 'A', text: quoted },
			annotators: [],
			gold: { ...set('gold', [], 'in_progress', 0), rejected: [] },
			nav: { previous: null, next: null, position: 1, total: 1, goldDone: 0 }
		};
		const s = new ReviewState(data);
		sessions.push(s);
		s.selectText(quoted.indexOf('oui'), quoted.indexOf('oui') + 3, false);
		expect(s.selection?.text).toBe('« oui »');
	});

	it('overlapping candidates of one label are one boundary decision: a digit takes one, the others are rejected', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])]);
		expect(s.groups.map((g) => g.members.map((m) => [m.start, m.end]))).toEqual([
			[
				[15, 20],
				[15, 21]
			]
		]);
		s.act({ type: 'next' });
		expect(s.focusGroup?.label).toBe('date');
		expect(s.act({ type: 'pick', index: 1 })).toBe(true);
		expect(s.gold).toEqual([mardiDot]);
		expect(s.rejected).toEqual([mardi]);
		expect(s.decided).toBe(2);
		// one undo takes the whole decision back
		s.act({ type: 'undo' });
		expect(s.gold).toEqual([]);
		expect(s.rejected).toEqual([]);
	});

	it('shows the saved rejections as decided; a rejection of a span gold has does not count', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])], [mardi], [mardi, mardiDot]);
		expect(s.gold).toEqual([mardi]);
		expect(s.rejected).toEqual([mardiDot]);
		expect(s.items.map((i) => i.decision)).toEqual(['accepted', 'rejected']);
		expect(s.decided).toBe(2);
	});

	it('r records a candidate as rejected, o reopens it, a accepts it (no longer rejected); each a save', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])]);
		s.act({ type: 'next' });
		s.act({ type: 'reject' });
		expect(s.rejected).toEqual([mardi]);
		expect(s.saver.state).toBe('dirty');
		expect(s.decided).toBe(1);
		s.pick('ann1', mardi);
		expect(s.focusDecision).toBe('rejected');
		s.act({ type: 'reopen' });
		expect(s.rejected).toEqual([]);
		expect(s.focusDecision).toBe('open');
		s.act({ type: 'reject' });
		s.pick('ann1', mardi);
		s.act({ type: 'accept' });
		expect(s.gold).toEqual([mardi]);
		expect(s.rejected).toEqual([]);
		// removing a span only gold has is no rejection: nobody proposed it
		s.pick('gold', { start: 0, end: 2, label: 'claim' });
		s.act({ type: 'reject' });
		expect(s.rejected).toEqual([]);
	});

	it('undo and redo step through decisions, gold and rejections together, and save each step', () => {
		const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])]);
		expect(s.canUndo).toBe(false);
		s.act({ type: 'next' });
		s.act({ type: 'accept' }); // mardi into gold
		s.pick('ann2', mardiDot);
		s.act({ type: 'reject' });
		expect([s.gold, s.rejected]).toEqual([[mardi], [mardiDot]]);
		s.act({ type: 'undo' });
		expect([s.gold, s.rejected]).toEqual([[mardi], []]);
		s.act({ type: 'undo' });
		expect([s.gold, s.rejected]).toEqual([[], []]);
		expect(s.canUndo).toBe(false);
		s.act({ type: 'redo' });
		s.act({ type: 'redo' });
		expect([s.gold, s.rejected]).toEqual([[mardi], [mardiDot]]);
		expect(s.canRedo).toBe(false);
		expect(s.saver.state).toBe('dirty');
		// a decision that changes nothing is no step
		s.pick('ann1', mardi);
		s.act({ type: 'accept' });
		s.act({ type: 'undo' });
		expect([s.gold, s.rejected]).toEqual([[mardi], []]);
	});

	it('a conflict shows the version that won, rejections included; undo brings the local one back', async () => {
		const current = { revision: 4, status: 'in_progress', spans: set('gold', [maire]).spans, rejected: set('gold', [mardi]).spans };
		vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: 'stale', current }), { status: 409 }));
		try {
			const s = session([set('ann1', [maire, mardi]), set('ann2', [maire, mardiDot])]);
			s.pick('ann2', mardiDot);
			s.act({ type: 'reject' });
			await s.saver.flush();
			expect(s.saver.state).toBe('conflict');
			expect([s.gold, s.rejected]).toEqual([[maire], [mardi]]);
			s.act({ type: 'undo' });
			expect([s.gold, s.rejected]).toEqual([[], [mardiDot]]);
			expect(s.saver.hasUnsaved).toBe(true);
		} finally {
			vi.unstubAllGlobals();
		}
	});
});
