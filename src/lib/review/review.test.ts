import { describe, it, expect } from 'vitest';
import {
	acceptAgreed,
	acceptSpan,
	alignedPieces,
	boundaryGroups,
	pickBoundary,
	addSpan,
	collectCandidates,
	decisionOf,
	editSpan,
	disagreements,
	moveBoundary,
	nextMatching,
	normalizeGold,
	normalizeRejected,
	packReviewData,
	rejectSpan,
	removeSpan,
	reopenSpan,
	replaceSpan,
	sameVerdicts,
	spanCountOf,
	step,
	unpackReviewData,
	withGold,
	wordTokens
} from './review';
import { layoutLanes, MAX_SEGMENT_SPANS } from './lanes';
import { compareSpans, materializeSpans, spanId } from '../model/spans';
import type { ReviewData } from './review';
import type { SpanInput } from '../model/types';
import { hostileSpanSets } from '../../../tests/helpers/hostileSpans';

// Code points: "Le"0-2 "maire"3-8 "a"9-10 "dit"11-14 "😀"15-16 "mardi"17-22 "."22-23,
// line break at 23, a blank line at 24, "Second"25-31 "paragraphe"32-42 "ici"43-46 "."46-47.
// In UTF-16 everything after the emoji is one unit further right.
const text = 'Le maire a dit 😀 mardi.\n\nSecond paragraphe ici.';
const maire = { start: 3, end: 8, label: 'claim' };
const mardi = { start: 17, end: 22, label: 'date' };
const mardiDot = { start: 17, end: 23, label: 'date' };
const ann1 = { name: 'ann1', spans: [mardi, maire] };
const ann2 = { name: 'ann2', spans: [maire, mardiDot] };

describe('collectCandidates / disagreements', () => {
	it('lists each distinct span once with who proposed it; agreed = every voter has it', () => {
		expect(collectCandidates([ann1, ann2])).toEqual([
			{ ...maire, id: spanId(maire), annotators: ['ann1', 'ann2'], agreed: true },
			{ ...mardi, id: spanId(mardi), annotators: ['ann1'], agreed: false },
			{ ...mardiDot, id: spanId(mardiDot), annotators: ['ann2'], agreed: false }
		]);
		expect(disagreements(collectCandidates([ann1, ann2])).map((c) => c.id)).toEqual([spanId(mardi), spanId(mardiDot)]);
	});

	it('a third voter without the span turns an agreed span into a disagreement', () => {
		const ann3 = { name: 'ann3', spans: [mardi] };
		const c = collectCandidates([ann1, ann2, ann3]);
		expect(c.map((x) => [x.start, x.end, x.label, x.annotators.join('+'), x.agreed])).toEqual([
			[3, 8, 'claim', 'ann1+ann2', false],
			[17, 22, 'date', 'ann1+ann3', false],
			[17, 23, 'date', 'ann2', false]
		]);
	});

	it('one voter agrees with nobody; the same label twice in one set counts once', () => {
		const c = collectCandidates([{ name: 'ann1', spans: [maire, maire] }]);
		expect(c).toEqual([{ ...maire, id: spanId(maire), annotators: ['ann1'], agreed: false }]);
		expect(collectCandidates([])).toEqual([]);
	});

	it('same offsets with different labels are different spans', () => {
		const c = collectCandidates([
			{ name: 'a', spans: [{ start: 3, end: 8, label: 'claim' }] },
			{ name: 'b', spans: [{ start: 3, end: 8, label: 'framing' }] }
		]);
		expect(c.map((x) => [x.label, x.agreed])).toEqual([
			['claim', false],
			['framing', false]
		]);
	});
});

describe('acceptAgreed', () => {
	it('adds the agreed spans gold does not have yet, keeps what gold has', () => {
		const candidates = collectCandidates([ann1, ann2]);
		expect(acceptAgreed([], candidates)).toEqual({ spans: [maire], added: 1 });
		expect(acceptAgreed([mardiDot], candidates)).toEqual({ spans: [maire, mardiDot], added: 1 });
		expect(acceptAgreed([mardi, maire], candidates)).toEqual({ spans: [maire, mardi], added: 0 });
	});

	it('adds nothing when the annotators agree on nothing', () => {
		const candidates = collectCandidates([{ name: 'a', spans: [mardi] }, { name: 'b', spans: [mardiDot] }]);
		expect(acceptAgreed([], candidates)).toEqual({ spans: [], added: 0 });
	});
});

describe('gold edits', () => {
	it('keeps gold sorted and free of duplicates, with plain spans', () => {
		expect(normalizeGold([mardi, { ...maire, id: 'x', text: 'maire' } as never, maire])).toEqual([maire, mardi]);
		expect(addSpan([mardi], maire)).toEqual([maire, mardi]);
		expect(addSpan([maire], maire)).toEqual([maire]);
		expect(removeSpan([maire, mardi], { ...mardi })).toEqual([maire]);
		expect(removeSpan([maire], mardi)).toEqual([maire]);
	});

	it('an edit replaces the old span, or adds the edited one when gold did not have it', () => {
		expect(replaceSpan([maire, mardi], mardi, mardiDot)).toEqual([maire, mardiDot]);
		expect(replaceSpan([maire], mardi, mardiDot)).toEqual([maire, mardiDot]);
	});
});

describe('rejections', () => {
	it('are stored sorted, once each, and never for a span gold has', () => {
		expect(normalizeRejected([mardiDot, maire, { ...maire }], [])).toEqual([maire, mardiDot]);
		expect(normalizeRejected([mardiDot, maire], [maire])).toEqual([mardiDot]);
	});

	it('accepting takes a span out of the rejections; rejecting takes it out of gold', () => {
		const start = { gold: [maire], rejected: [mardiDot] };
		expect(acceptSpan(start, mardiDot)).toEqual({ gold: [maire, mardiDot], rejected: [] });
		expect(rejectSpan(start, maire, true)).toEqual({ gold: [], rejected: [maire, mardiDot] });
		// a span nobody proposed (only gold has it) is removed, not recorded
		expect(rejectSpan(start, maire, false)).toEqual({ gold: [], rejected: [mardiDot] });
		expect(reopenSpan(start, mardiDot)).toEqual({ gold: [maire], rejected: [] });
	});

	it('a gold edit that lands on a rejected span un-rejects it', () => {
		expect(withGold({ gold: [maire], rejected: [mardiDot] }, [maire, mardiDot])).toEqual({ gold: [maire, mardiDot], rejected: [] });
	});

	it('two verdicts are the same when gold and rejections hold the same spans', () => {
		expect(sameVerdicts({ gold: [maire], rejected: [mardi] }, { gold: [{ ...maire }], rejected: [{ ...mardi }] })).toBe(true);
		expect(sameVerdicts({ gold: [maire], rejected: [] }, { gold: [], rejected: [maire] })).toBe(false);
	});
});

describe('decisionOf', () => {
	const gold = [mardi];
	it('accepted when gold has it; a gold span that only overlaps it (same label or not) leaves it open', () => {
		expect(decisionOf(mardi, gold, new Set())).toBe('accepted');
		expect(decisionOf(mardiDot, gold, new Set())).toBe('open');
		expect(decisionOf(maire, gold, new Set())).toBe('open');
		expect(decisionOf({ start: 17, end: 23, label: 'claim' }, gold, new Set())).toBe('open');
		// the walkthrough: ann1's long claim accepted, ann2's shorter claim inside it is still the lead's to decide
		const long = { start: 0, end: 23, label: 'claim' };
		const inside = { start: 3, end: 14, label: 'claim' };
		expect(decisionOf(inside, [long], new Set())).toBe('open');
	});
	it('relabelled when gold has a span over exactly its characters under another label', () => {
		expect(decisionOf({ start: 17, end: 22, label: 'claim' }, gold, new Set())).toBe('relabelled');
		expect(decisionOf({ start: 17, end: 21, label: 'date' }, gold, new Set())).toBe('open');
	});
	it('rejected when the lead rejected it, unless gold has it after all', () => {
		expect(decisionOf(maire, gold, new Set([spanId(maire)]))).toBe('rejected');
		expect(decisionOf(mardiDot, gold, new Set([spanId(mardiDot)]))).toBe('rejected');
		expect(decisionOf(mardi, gold, new Set([spanId(mardi)]))).toBe('accepted');
	});
});

describe('editSpan', () => {
	it('an edited candidate goes into gold and its original counts as decided (rejected as it was)', () => {
		const v = editSpan({ gold: [], rejected: [] }, mardiDot, mardi, true);
		expect(v).toEqual({ gold: [mardi], rejected: [mardiDot] });
		expect(decisionOf(mardiDot, v.gold, new Set(v.rejected.map(spanId)))).toBe('rejected');
		expect(decisionOf(mardi, v.gold, new Set(v.rejected.map(spanId)))).toBe('accepted');
	});
	it('an edit that changes nothing is an accept; editing a gold span replaces it without a rejection', () => {
		expect(editSpan({ gold: [], rejected: [mardi] }, mardi, mardi, true)).toEqual({ gold: [mardi], rejected: [] });
		expect(editSpan({ gold: [maire, mardi], rejected: [] }, mardi, mardiDot, false)).toEqual({ gold: [maire, mardiDot], rejected: [] });
	});
});

describe('navigation', () => {
	it('step wraps around and starts at either end', () => {
		expect(step(3, -1, 1)).toBe(0);
		expect(step(3, -1, -1)).toBe(2);
		expect(step(3, 0, 1)).toBe(1);
		expect(step(3, 2, 1)).toBe(0);
		expect(step(3, 0, -1)).toBe(2);
		expect(step(0, -1, 1)).toBe(-1);
	});
	it('nextMatching finds the next open item after the current one', () => {
		const items = ['open', 'accepted', 'open'];
		const open = (s: string) => s === 'open';
		expect(nextMatching(items, 0, open)).toBe(2);
		expect(nextMatching(items, 2, open)).toBe(0);
		expect(nextMatching(items, -1, open)).toBe(0);
		expect(nextMatching(['accepted'], 0, open)).toBe(-1);
		expect(nextMatching([], 0, open)).toBe(-1);
	});
});

describe('moveBoundary', () => {
	const tokens = wordTokens(text);
	it('moves the end by one token either way, never emptying the span', () => {
		expect(moveBoundary(tokens, maire, 'end', 1)).toEqual({ start: 3, end: 10, label: 'claim' }); // + "a"
		expect(moveBoundary(tokens, maire, 'end', -1)).toEqual(maire); // would cross the start
		expect(moveBoundary(tokens, { start: 9, end: 14, label: 'claim' }, 'end', -1)).toEqual({ start: 9, end: 10, label: 'claim' });
		expect(moveBoundary(tokens, mardi, 'end', 1)).toEqual(mardiDot); // punctuation is a token
		expect(moveBoundary(tokens, { start: 11, end: 14, label: 'x' }, 'end', 1)).toEqual({ start: 11, end: 16, label: 'x' }); // the emoji
	});
	it('moves the start by one token either way', () => {
		expect(moveBoundary(tokens, maire, 'start', -1)).toEqual({ start: 0, end: 8, label: 'claim' });
		expect(moveBoundary(tokens, maire, 'start', 1)).toEqual(maire); // would cross the end
		expect(moveBoundary(tokens, { start: 9, end: 14, label: 'claim' }, 'start', 1)).toEqual({ start: 11, end: 14, label: 'claim' });
		expect(moveBoundary(tokens, { start: 0, end: 2, label: 'claim' }, 'start', -1)).toEqual({ start: 0, end: 2, label: 'claim' });
	});
	it('stops at the ends of the text', () => {
		expect(moveBoundary(tokens, { start: 43, end: 47, label: 'x' }, 'end', 1)).toEqual({ start: 43, end: 47, label: 'x' });
	});
	it('steps by words in Japanese and Thai, not by whole sentences', () => {
		// 東京|都庁|で|会議|が|開|か|れ|た|。 (code points 0-2-4-5-7-8-9-10-11-12-13)
		const ja = wordTokens('東京都庁で会議が開かれた。');
		const tocho = { start: 2, end: 4, label: 'x' };
		expect(moveBoundary(ja, tocho, 'start', -1)).toEqual({ start: 0, end: 4, label: 'x' }); // + 東京
		expect(moveBoundary(ja, tocho, 'end', 1)).toEqual({ start: 2, end: 5, label: 'x' }); // + で
		// กรุงเทพมหานคร|เป็น|เมือง|หลวง (0-13-17-22-26)
		const th = wordTokens('กรุงเทพมหานครเป็นเมืองหลวง');
		expect(moveBoundary(th, { start: 0, end: 13, label: 'x' }, 'end', 1)).toEqual({ start: 0, end: 17, label: 'x' });
		expect(moveBoundary(th, { start: 13, end: 26, label: 'x' }, 'start', 1)).toEqual({ start: 17, end: 26, label: 'x' });
	});
});

describe('review work stays near-linear in the spans', () => {
	/** the segments as layoutLanes listed them before it was a sweep: every covering span, for each cut */
	function naiveCovering(spans: SpanInput[], a: number, b: number): string[] {
		return spans
			.filter((s) => s.start <= a && s.end >= b)
			.sort((x, y) => y.end - y.start - (x.end - x.start) || compareSpans(x, y))
			.map(spanId);
	}

	it('lists the covering spans as before, capped to the outermost and innermost ones', () => {
		let seed = 7;
		const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
		const text = 'abcdefghijklmnopqrstuvwxyz\nabcdefghijklmnopqrstuvwxyz';
		for (let round = 0; round < 200; round++) {
			const spans = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => {
				const start = Math.floor(rnd() * 50);
				return { start, end: Math.min(53, start + 1 + Math.floor(rnd() * 30)), label: ['a', 'b'][Math.floor(rnd() * 2)] };
			});
			for (const p of layoutLanes(text, [{ name: 'x', spans }])) {
				for (const seg of p.rows[0]?.segments ?? []) {
					const all = naiveCovering(normalizeGold(spans), seg.start, seg.end);
					const want = all.length > MAX_SEGMENT_SPANS ? [all[0], ...all.slice(all.length - MAX_SEGMENT_SPANS + 1)] : all;
					expect(seg.spans, `round ${round}`).toEqual(want);
				}
			}
		}
	});

	it('answers decisions against gold from an index (accepted, relabelled, rejected, open)', () => {
		const gold = [
			{ start: 0, end: 5, label: 'claim' },
			{ start: 10, end: 30, label: 'date' },
			{ start: 12, end: 14, label: 'claim' }
		];
		const none = new Set<string>();
		expect(decisionOf({ start: 12, end: 14, label: 'claim' }, gold, none)).toBe('accepted');
		// a gold span that merely overlaps a candidate leaves it open (#15: only the lead's own decision settles it)
		expect(decisionOf({ start: 13, end: 20, label: 'claim' }, gold, none)).toBe('open');
		expect(decisionOf({ start: 25, end: 40, label: 'date' }, gold, none)).toBe('open');
		expect(decisionOf({ start: 12, end: 14, label: 'date' }, gold, none)).toBe('relabelled');
		expect(decisionOf({ start: 5, end: 12, label: 'claim' }, gold, none)).toBe('open'); // touches both, overlaps neither
		expect(decisionOf({ start: 30, end: 31, label: 'date' }, gold, none)).toBe('open');
		expect(decisionOf({ start: 30, end: 31, label: 'date' }, gold, new Set([spanId({ start: 30, end: 31, label: 'date' })]))).toBe('rejected');
	});

	it('lays out and decides 20,000 spans of each hostile shape in linear size, in seconds not minutes', () => {
		for (const set of hostileSpanSets()) {
			const t0 = performance.now();
			const layout = layoutLanes(set.text, [{ name: 'a', spans: set.spans }, { name: 'gold', spans: set.spans }]);
			const gold = set.spans.slice(0, 10_000);
			for (const s of set.spans) decisionOf(s, gold, new Set());
			const ms = performance.now() - t0;
			const ids = layout.reduce((n, p) => n + p.rows.reduce((m, r) => m + r.segments.reduce((k, g) => k + g.spans.length, 0), 0), 0);
			expect(ids, set.name).toBeLessThanOrEqual(2 * MAX_SEGMENT_SPANS * (2 * set.spans.length + 2 * layout.length));
			// ~100-200 ms on a quiet 2-core machine, 1-2 s when it is shared 8 times over; quadratic was minutes
			expect(ms, set.name).toBeLessThan(5000);
		}
	});
});

describe('boundaryGroups', () => {
	// "Selon lui, « la réforme sera votée »." — code points: «11-12, la 13-15, réforme 16-23, sera 24-28, votée 29-34, » 35-36
	const c = (start: number, end: number, label: string, annotators: string[]) => ({ start, end, label, id: spanId({ start, end, label }), annotators, agreed: false });
	const withQuotes = c(11, 36, 'claim', ['ann1']);
	const bare = c(13, 34, 'claim', ['ann2']);
	const shorter = c(13, 28, 'claim', ['ann3']);
	const other = c(16, 23, 'framing', ['ann1']);
	const apart = c(0, 5, 'claim', ['ann2']);

	it('groups overlapping candidates of one label, with the stretch and the core they share', () => {
		const groups = boundaryGroups([other, shorter, apart, bare, withQuotes]);
		expect(groups).toHaveLength(1);
		expect(groups[0]).toMatchObject({ id: withQuotes.id, label: 'claim', start: 11, end: 36, coreStart: 13, coreEnd: 28 });
		expect(groups[0].members.map((m) => m.annotators[0])).toEqual(['ann1', 'ann3', 'ann2']); // text order: by start, then the shorter first
	});

	it('a chain of overlaps is one group; touching spans, other labels and single spans are none', () => {
		const a = c(0, 5, 'date', ['ann1']);
		const b = c(4, 9, 'date', ['ann2']);
		const d = c(8, 12, 'date', ['ann3']);
		const touching = c(12, 14, 'date', ['ann1']);
		const [g] = boundaryGroups([a, b, d, touching]);
		expect(g.members.map((m) => m.start)).toEqual([0, 4, 8]);
		// no point is covered by all three: the core is empty
		expect([g.coreStart, g.coreEnd]).toEqual([0, 0]);
		expect(boundaryGroups([apart, other])).toEqual([]);
	});

	it('aligns each member over the group: outside, differing edges, shared core', () => {
		const [g] = boundaryGroups([withQuotes, bare, shorter]);
		expect(alignedPieces(g, withQuotes)).toEqual([
			{ start: 11, end: 13, kind: 'edge' },
			{ start: 13, end: 28, kind: 'core' },
			{ start: 28, end: 36, kind: 'edge' }
		]);
		expect(alignedPieces(g, shorter)).toEqual([
			{ start: 11, end: 13, kind: 'outside' },
			{ start: 13, end: 28, kind: 'core' },
			{ start: 28, end: 36, kind: 'outside' }
		]);
		expect(alignedPieces(g, bare)).toEqual([
			{ start: 11, end: 13, kind: 'outside' },
			{ start: 13, end: 28, kind: 'core' },
			{ start: 28, end: 34, kind: 'edge' },
			{ start: 34, end: 36, kind: 'outside' }
		]);
	});

	it('picking one boundary puts it in gold and records the others as rejected, in one step', () => {
		const [g] = boundaryGroups([withQuotes, bare, shorter]);
		const plainOf = (x: { start: number; end: number; label: string }) => ({ start: x.start, end: x.end, label: x.label });
		const v = pickBoundary({ gold: [plainOf(withQuotes)], rejected: [] }, g, bare);
		expect(v.gold).toEqual([plainOf(bare)]);
		expect(v.rejected).toEqual([plainOf(withQuotes), plainOf(shorter)]);
	});
});

describe('the review page data packed (packReviewData / unpackReviewData)', () => {
	const set = (annotator: string, spans: SpanInput[]) => ({ annotator, status: 'done' as const, revision: 2, spans: materializeSpans(text, spans), updated_at: null, updated_by: null });
	const withAttrs = { ...mardi, attrs: { value: '1999-03-02' } };
	const data: ReviewData = {
		dataset: { slug: 'd', title: 'D', labels: [] },
		document: { id: 'x', title: 'X', text },
		annotators: [set('ann1', [mardi, maire]), { ...set('ann2', [withAttrs]), relations: [{ from: spanId(maire), to: spanId(mardi), label: 'about' }] }],
		gold: { ...set('gold', [maire]), rejected: materializeSpans(text, [mardiDot]), rejectedRelations: [] },
		nav: { previous: null, next: 'y', position: 1, total: 2, goldDone: 0 }
	};

	it('sends every span list as text, and gives back the same data (ids, the texts past the emoji, attrs)', () => {
		const sent = JSON.parse(JSON.stringify(packReviewData(data)));
		expect(typeof sent.annotators[0].spans).toBe('string');
		expect(typeof sent.gold.rejected).toBe('string');
		const back = unpackReviewData(sent);
		expect(back).toEqual(data);
		expect(back.annotators[0].spans.map((s) => s.text)).toEqual(['maire', 'mardi']);
		expect(back.annotators[1].spans[0].attrs).toEqual({ value: '1999-03-02' });
	});

	it('counts the spans the view draws without unpacking them: every annotator, gold and its rejections', () => {
		expect(spanCountOf(packReviewData(data))).toBe(2 + 1 + 1 + 1);
	});
});
