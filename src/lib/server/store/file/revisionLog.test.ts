import { describe, expect, it } from 'vitest';
import { materializeSpans } from '../../../model/spans';
import type { Revision } from '../../../model/types';
import { CHECKPOINT_EVERY, applySpanDelta, decodeRevisions, encodeRevision, lineIsCheckpoint, spanDelta, type LogLine } from './revisionLog';

const text = 'The minister said the economy grew by three percent.';
const spans = (...ranges: Array<[number, number, string]>) => materializeSpans(text, ranges.map(([start, end, label]) => ({ start, end, label })));
const rev = (revision: number, s: Revision['spans'], rejected?: Revision['spans']): Revision => ({
	revision,
	at: '2026-01-01T00:00:00.000Z',
	by: 'ann1',
	status: 'in_progress',
	spans: s,
	added: 0,
	removed: 0,
	relabelled: 0,
	...(rejected ? { rejected } : {})
});

describe('spanDelta / applySpanDelta', () => {
	it('names what went by id and what came in full, and applies back to the same list', () => {
		const before = spans([0, 3, 'claim'], [4, 12, 'attribution'], [22, 29, 'framing']);
		const after = spans([0, 3, 'claim'], [4, 12, 'date'], [38, 51, 'claim']);
		const delta = spanDelta(before, after);
		expect(delta.remove.sort()).toEqual([before[1].id, before[2].id].sort());
		expect(delta.add.map((s) => s.text)).toEqual(['minister', 'three percent']);
		expect(applySpanDelta(before, delta)).toEqual(after);
		expect(spanDelta(after, after)).toEqual({ remove: [], add: [] });
	});

	it('treats a span whose attrs changed as gone and come back', () => {
		const [plain] = spans([0, 3, 'claim']);
		const withAttrs = { ...plain, attrs: { score: 0.9 } };
		expect(spanDelta([plain], [withAttrs])).toEqual({ remove: [plain.id], add: [withAttrs] });
	});
});

describe('encodeRevision / decodeRevisions', () => {
	it('writes checkpoints at 1, every 50 and when the delta is as long as the list, deltas otherwise', () => {
		const a = spans([0, 3, 'claim'], [4, 12, 'attribution'], [22, 29, 'framing']);
		const b = spans([0, 3, 'claim'], [4, 12, 'attribution'], [22, 29, 'date']);
		expect(encodeRevision(rev(1, a), null)).toEqual(rev(1, a));
		expect(encodeRevision(rev(2, b), rev(1, a))).toEqual({
			revision: 2,
			at: '2026-01-01T00:00:00.000Z',
			by: 'ann1',
			status: 'in_progress',
			delta: { remove: [a[2].id], add: [b[2]] },
			added: 0,
			removed: 0,
			relabelled: 0
		});
		expect(encodeRevision(rev(CHECKPOINT_EVERY + 1, b), rev(CHECKPOINT_EVERY, a))).toEqual(rev(CHECKPOINT_EVERY + 1, b));
		// two of three spans changed: 4 entries in the delta against 3 spans in full
		const c = spans([0, 3, 'date'], [4, 12, 'date'], [22, 29, 'framing']);
		expect(encodeRevision(rev(3, c), rev(2, a))).toEqual(rev(3, c));
		// no previous revision known: a checkpoint
		expect(encodeRevision(rev(7, a), null)).toEqual(rev(7, a));
	});

	it('rebuilds every revision, gold rejections included, from checkpoints and deltas', () => {
		const history: Revision[] = [];
		let current = spans([0, 3, 'claim']);
		let rejected = spans();
		for (let r = 1; r <= 120; r++) {
			const start = r % 40;
			current = materializeSpans(text, [...current, { start, end: start + 3, label: r % 2 ? 'claim' : 'date' }]);
			if (r % 3 === 0) rejected = materializeSpans(text, [...rejected, { start: r % 45, end: (r % 45) + 2, label: 'framing' }]);
			history.push(rev(r, current, rejected));
		}
		const lines: LogLine[] = history.map((h, i) => encodeRevision(h, history[i - 1] ?? null));
		expect(lines.filter((l) => 'spans' in l).map((l) => l.revision)).toEqual([1, 51, 101]);
		// through JSON, as the log stores them
		const parsed = lines.map((l) => JSON.parse(JSON.stringify(l)) as LogLine);
		expect(decodeRevisions(parsed)).toEqual(history);
		// the head of each line says what it is, without parsing it
		expect(lines.map((l) => lineIsCheckpoint(JSON.stringify(l)))).toEqual(lines.map((l) => 'spans' in l));
		// a log whose start was cut off: the deltas before the next checkpoint cannot be rebuilt
		expect(decodeRevisions(parsed.slice(10)).map((r) => r.revision)).toEqual(history.slice(50).map((r) => r.revision));
	});

	it('reads an old log of full revisions as it is', () => {
		const old = [rev(1, spans([0, 3, 'claim'])), rev(2, spans([4, 12, 'date']))];
		const parsed = old.map((l) => JSON.parse(JSON.stringify(l)) as LogLine);
		expect(decodeRevisions(parsed)).toEqual(old);
		expect(lineIsCheckpoint('{ "at": "x", "revision": 7, "spans": [] }')).toBe(true);
		expect(lineIsCheckpoint('{"revision":7,"at":"x", torn')).toBe(null);
	});
});
