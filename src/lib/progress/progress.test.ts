import { describe, expect, it } from 'vitest';
import { computeProgress, formatDuration, formatTimestamp, teamCounts, type SetFacts } from './progress';

const facts = (status: SetFacts['status'], active_seconds: number, updated_at: string, spans: number): SetFacts => ({
	status,
	active_seconds,
	updated_at,
	spans
});

describe('computeProgress', () => {
	// d1 → ann1, ann2; d2 → ann1; d3 → nobody (but ann2 and a former member worked on it).
	const input = {
		documents: [
			{ id: 'd1', title: 'One' },
			{ id: 'd2', title: 'Two' },
			{ id: 'd3', title: 'Three' }
		],
		members: { ann1: 'annotator', ann2: 'annotator', ann3: 'annotator', lead: 'lead' } as const,
		assignments: { d1: ['ann1', 'ann2'], d2: ['ann1'], d3: [] },
		sets: new Map([
			[
				'd1',
				new Map([
					['ann1', facts('done', 120, '2025-01-01T10:00:00.000Z', 3)],
					['ann2', facts('in_progress', 30, '2025-01-02T09:00:00.000Z', 1)],
					['gold', facts('done', 50, '2025-01-05T00:00:00.000Z', 3)]
				])
			],
			['d2', new Map([['ann1', facts('in_progress', 60, '2025-01-03T08:00:00.000Z', 2)]])],
			[
				'd3',
				new Map([
					['ann2', facts('done', 40, '2025-01-01T12:00:00.000Z', 1)],
					['former', facts('done', 10, '2024-12-31T00:00:00.000Z', 1)]
				])
			]
		])
	};

	it('counts each annotator over their queue, time and activity over all their work', () => {
		const p = computeProgress({ ...input, members: { ...input.members } });
		expect(p.annotators).toEqual([
			{ annotator: 'ann1', role: 'annotator', assigned: 2, notStarted: 0, inProgress: 1, done: 1, outsideQueue: 0, spans: 5, activeSeconds: 180, secondsPerDone: 120, lastActivity: '2025-01-03T08:00:00.000Z' },
			{ annotator: 'ann2', role: 'annotator', assigned: 1, notStarted: 0, inProgress: 1, done: 0, outsideQueue: 1, spans: 2, activeSeconds: 70, secondsPerDone: 40, lastActivity: '2025-01-02T09:00:00.000Z' },
			{ annotator: 'ann3', role: 'annotator', assigned: 0, notStarted: 0, inProgress: 0, done: 0, outsideQueue: 0, spans: 0, activeSeconds: 0, secondsPerDone: null, lastActivity: null },
			{ annotator: 'former', role: null, assigned: 0, notStarted: 0, inProgress: 0, done: 0, outsideQueue: 1, spans: 1, activeSeconds: 10, secondsPerDone: 10, lastActivity: '2024-12-31T00:00:00.000Z' }
		]);
	});

	it('totals slots (document × assigned annotator), complete and unassigned documents; gold is not an annotator', () => {
		const p = computeProgress({ ...input, members: { ...input.members } });
		expect({ ...p, annotators: undefined, perDocument: undefined }).toEqual({
			documents: 3,
			unassigned: 1,
			complete: 0,
			assigned: 3,
			notStarted: 0,
			inProgress: 2,
			done: 1,
			activeSeconds: 260,
			lastActivity: '2025-01-03T08:00:00.000Z',
			annotators: undefined,
			perDocument: undefined
		});
		expect(p.perDocument[2]).toEqual({
			id: 'd3',
			title: 'Three',
			activeSeconds: 50,
			annotators: [
				{ annotator: 'ann2', assigned: false, status: 'done', activeSeconds: 40, updatedAt: '2025-01-01T12:00:00.000Z' },
				{ annotator: 'former', assigned: false, status: 'done', activeSeconds: 10, updatedAt: '2024-12-31T00:00:00.000Z' }
			]
		});
	});

	it('gives the document list, per document, how many of its assigned annotators are done', () => {
		// d1: ann1 done, ann2 in progress; d2: ann1 in progress; d3: nobody assigned (ann2's and former's work does not count)
		expect(teamCounts(computeProgress({ ...input, members: { ...input.members } }))).toEqual({
			complete: 0,
			unassigned: 1,
			perDocument: { d1: [1, 2], d2: [0, 1], d3: [0, 0] }
		});
	});

	it('without an explicit assignment every annotator member has every document', () => {
		const p = computeProgress({
			documents: [
				{ id: 'd1', title: 'One' },
				{ id: 'd2', title: 'Two' }
			],
			members: { ann1: 'annotator', ann2: 'annotator', lead: 'lead' },
			assignments: null,
			sets: new Map([['d1', new Map([['ann1', facts('done', 5, '2025-01-01T00:00:00.000Z', 1)]])]])
		});
		expect(p.annotators.map((a) => [a.annotator, a.assigned, a.done, a.notStarted])).toEqual([
			['ann1', 2, 1, 1],
			['ann2', 2, 0, 2]
		]);
		expect([p.assigned, p.done, p.complete, p.unassigned]).toEqual([4, 1, 0, 0]);
	});

	it('a document is complete when every assigned annotator is done', () => {
		const p = computeProgress({
			documents: [{ id: 'd1', title: 'One' }],
			members: { ann1: 'annotator' },
			assignments: { d1: ['ann1'] },
			sets: new Map([['d1', new Map([['ann1', facts('done', 5, '2025-01-01T00:00:00.000Z', 1)]])]])
		});
		expect(p.complete).toBe(1);
	});
});

describe('formatDuration and formatTimestamp', () => {
	it('formats seconds for people', () => {
		expect(formatDuration(0)).toBe('0 s');
		expect(formatDuration(35.4)).toBe('35 s');
		expect(formatDuration(250)).toBe('4 min 10 s');
		expect(formatDuration(3900)).toBe('1 h 05 min');
	});
	it('formats timestamps in UTC', () => {
		expect(formatTimestamp('2025-03-01T14:05:59.000Z')).toBe('2025-03-01 14:05 UTC');
		expect(formatTimestamp(null)).toBe('—');
	});
});
