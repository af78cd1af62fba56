import { describe, expect, it } from 'vitest';
import { nextRevision, MAX_ACTIVE_SECONDS_PER_SAVE } from './revision';
import { prepareSave, type SaveInput } from './saveChecks';
import { GOLD, type AnnotationSet } from '../../model/types';

// "Le maire a dit que la ville paiera." — "Le maire" is [0:8], "ville" [22:27], "paiera" [28:34]
const TEXT = 'Le maire a dit que la ville paiera.';
const LABELS = ['claim', 'source'];
const NOW = '2026-03-01T10:00:00.000Z';

function empty(annotator = 'ann1'): AnnotationSet {
	return { annotator, revision: 0, status: 'not_started', spans: [], updated_at: null, updated_by: null, active_seconds: 0 };
}

function next(current: AnnotationSet, input: Omit<SaveInput, 'baseRevision'>, by = 'ann1') {
	let n = 0;
	const prepared = prepareSave({ text: TEXT }, current.annotator, LABELS, { baseRevision: current.revision, ...input });
	return nextRevision(current, prepared, by, NOW, () => `id${n++}`);
}

describe('nextRevision', () => {
	it('a first span starts the set: revision 1, in_progress, the span materialized with its text, the revision counting it', () => {
		const { set, revision, changed } = next(empty(), { spans: [{ start: 0, end: 8, label: 'source' }], activeSecondsDelta: 30 });
		expect(changed).toBe(true);
		expect(set).toMatchObject({ annotator: 'ann1', revision: 1, status: 'in_progress', updated_at: NOW, updated_by: 'ann1', active_seconds: 30 });
		expect(set.spans.map((s) => [s.start, s.end, s.label, s.text])).toEqual([[0, 8, 'source', 'Le maire']]);
		expect(revision).toMatchObject({ revision: 1, at: NOW, by: 'ann1', status: 'in_progress', added: 1, removed: 0, relabelled: 0 });
		expect(revision!.spans).toBe(set.spans);
	});

	it('time spent reading does not start a set: no span, no revision, the active time alone', () => {
		const current = empty();
		const { set, revision, changed } = next(current, { spans: [], activeSecondsDelta: 12.4 });
		expect([changed, revision]).toEqual([false, null]);
		expect(set).toEqual({ ...current, active_seconds: 12 });
		expect(set).not.toBe(current);
	});

	it('nothing changed and no time: the current state itself (nothing to write)', () => {
		const current = next(empty(), { spans: [{ start: 0, end: 8, label: 'source' }] }).set;
		const again = next(current, { spans: [{ start: 0, end: 8, label: 'source' }] });
		expect(again).toEqual({ set: current, revision: null, changed: false });
		expect(again.set).toBe(current);
	});

	it('clamps the active time of one save to 0–3600 whole seconds', () => {
		expect(MAX_ACTIVE_SECONDS_PER_SAVE).toBe(3600);
		expect(next(empty(), { activeSecondsDelta: 99_999 }).set.active_seconds).toBe(3600);
		expect(next(empty(), { activeSecondsDelta: -50 }).set.active_seconds).toBe(0);
		const current = { ...empty(), active_seconds: 100 };
		expect(next(current, { activeSecondsDelta: 0.6 }).set.active_seconds).toBe(101);
	});

	it('a relabel is one change; removing the last span keeps the set in progress; an explicit status wins', () => {
		const one = next(empty(), { spans: [{ start: 0, end: 8, label: 'source' }, { start: 22, end: 27, label: 'claim' }] }).set;
		const relabelled = next(one, { spans: [{ start: 0, end: 8, label: 'claim' }, { start: 22, end: 27, label: 'claim' }] });
		expect(relabelled.revision).toMatchObject({ revision: 2, added: 0, removed: 0, relabelled: 1 });
		const cleared = next(relabelled.set, { spans: [] });
		expect(cleared.set).toMatchObject({ revision: 3, status: 'in_progress', spans: [] });
		expect(cleared.revision).toMatchObject({ removed: 2 });
		const done = next(cleared.set, { status: 'done' });
		expect(done.set).toMatchObject({ revision: 4, status: 'done' });
		expect(done.revision).toMatchObject({ added: 0, removed: 0, status: 'done' });
	});

	it('gold: a rejection alone starts the set; a rejected span that gold accepts leaves the rejections', () => {
		const rejectedOnly = next(empty(GOLD), { spans: [], rejected: [{ start: 22, end: 27, label: 'claim' }] }, 'lead');
		expect(rejectedOnly.set).toMatchObject({ revision: 1, status: 'in_progress', spans: [] });
		expect(rejectedOnly.set.rejected!.map((s) => s.text)).toEqual(['ville']);
		const accepted = next(rejectedOnly.set, { spans: [{ start: 22, end: 27, label: 'claim' }] }, 'lead');
		expect(accepted.set.spans.map((s) => s.text)).toEqual(['ville']);
		expect(accepted.set.rejected).toEqual([]);
		expect(accepted.revision).toMatchObject({ revision: 2, added: 1, rejected: [] });
	});

	it('a reply is added to the comments with the id it is given', () => {
		const commented = next(empty(), { comments: [{ text: 'Is this a claim?' }] }).set;
		expect(commented.comments).toMatchObject([{ id: 'id0', text: 'Is this a claim?', by: 'ann1', at: NOW }]);
		const replied = next(commented, { reply: { replyTo: 'id0', text: 'Yes.' } }, 'lead');
		expect(replied.changed).toBe(true);
		expect(replied.set.comments!.map((c) => [c.id, c.text, c.by, c.replyTo])).toEqual([
			['id0', 'Is this a claim?', 'ann1', undefined],
			['id0', 'Yes.', 'lead', 'id0']
		]);
		expect(() => next(commented, { reply: { replyTo: 'nope', text: 'Yes.' } }, 'lead')).toThrow(/replyTo: no comment "nope"/);
	});

	it('a save that removes a related span without saying what becomes of the relation is refused, naming it', () => {
		const types = [{ name: 'says', from: ['source'], to: ['claim'], key: 's', color: '#000000' }];
		const spans = [{ start: 0, end: 8, label: 'source' }, { start: 22, end: 27, label: 'claim' }];
		let n = 0;
		const withRelation = nextRevision(
			empty(),
			prepareSave({ text: TEXT }, 'ann1', LABELS, { baseRevision: 0, spans, relations: [{ from: 0, to: 1, label: 'says' }], relationTypes: types as never }),
			'ann1',
			NOW,
			() => `r${n++}`
		).set;
		expect(withRelation.relations).toHaveLength(1);
		expect(() => next(withRelation, { spans: [spans[0]] })).toThrow(/stored relation 0 \("says"/);
	});
});
