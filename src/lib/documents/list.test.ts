import { describe, expect, it } from 'vitest';
import { listPage, activityOf, agreementOf, teamCountsOf, type ListFacts } from './list';
import { computeProgress, teamCounts } from '$lib/progress/progress';
import { filterRows, pageOf, parseDocumentQuery, sortRows, type DocumentQuery, type DocumentRow } from './query';
import { documentAgreement, keysDiffer, spanKeysOf } from '$lib/agreement/documentAgreement';
import { GOLD, STATUSES, type Role, type Status } from '$lib/model/types';
import type { DocumentHeader } from '$lib/model/dataset';
import type { SetSummary } from '$lib/model/work';

/**
 * The reference: a full row for every document (what documentList.ts built before
 * list.ts), then query.ts's filterRows, sortRows and pageOf.
 */
function reference(f: ListFacts, query: DocumentQuery, size: number) {
	const lead = f.lead;
	const assignments = f.assignments;
	const doneKeys = (sets: ReadonlyMap<string, SetSummary> | undefined) =>
		[...(sets?.values() ?? [])].filter((s) => s.status === 'done' && s.annotator !== GOLD).map((s) => s.keys);
	let rows: DocumentRow[] = [];
	for (const h of f.headers) {
		if (f.queue && !f.queue.has(h.id)) continue;
		const sets = f.summaries.get(h.id);
		const mine = sets?.get(f.me);
		const row: DocumentRow = {
			id: h.id,
			title: h.title,
			position: h.position,
			status: mine?.status ?? 'not_started',
			spans: mine?.spans ?? 0,
			activity: mine?.updated_at ?? null,
			sources: [...(f.sources?.get(h.id) ?? [])]
		};
		if (lead) {
			const assignees: Record<string, Status> = Object.create(null);
			for (const name of assignments ? (Object.hasOwn(assignments, h.id) ? assignments[h.id] : []) : []) assignees[name] = 'not_started';
			for (const [name, s] of sets ?? []) {
				if (s.updated_at && (!row.activity || s.updated_at > row.activity)) row.activity = s.updated_at;
				if (name !== GOLD && (assignments === null || name in assignees)) assignees[name] = s.status;
			}
			row.assignees = assignees;
			if (query.labels) row.labels = [...(sets?.values() ?? [])].flatMap((s) => s.labels);
			const keys = doneKeys(sets);
			row.disagreement = keysDiffer(keys);
			if (query.sort.key === 'agreement') row.agreement = documentAgreement(keys);
		} else if (query.labels) row.labels = mine?.labels ?? [];
		if (f.metas) row.meta = f.metas.get(h.id);
		rows.push(row);
	}
	if (f.rank) {
		const rank = f.rank;
		rows = rows.filter((r) => rank.has(r.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
	}
	return pageOf(sortRows(filterRows(rows, query), query), query.page, size);
}

/** a small deterministic PRNG (mulberry32), so that a failure names its seed */
function random(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
	const some = <T>(xs: readonly T[]): T[] => xs.filter(() => next() < 0.4);
	return { next, int, pick, some };
}

// titles the collator takes for equal (accents, case, leading numbers) and not
const TITLES = ['Élysée', 'elysee', 'ELYSÉE', 'Article 2', 'article 10', 'Article 1', 'Zèbre', 'zebre', 'Ärger', 'arger', 'b', 'B'];
const PEOPLE = ['ann1', 'ann2', 'ann3', 'constructor', 'lead', GOLD];
const LABELS = ['PER', 'LOC', 'ORG'];
const KEYS = ['', spanKeysOf([{ label: 'PER', start: 0, end: 3 }]), spanKeysOf([{ label: 'PER', start: 0, end: 3 }, { label: 'LOC', start: 5, end: 9 }]), spanKeysOf([{ label: 'ORG', start: 1, end: 2 }])];
const TIMES = [null, '2026-01-01T10:00:00.000Z', '2026-01-02T09:00:00.000Z', '2026-01-02T09:00:00.500Z', '2025-12-31T23:59:59.999Z'];

function dataset(seed: number, lead: boolean): ListFacts {
	const r = random(seed);
	const n = r.int(60);
	const headers: DocumentHeader[] = Array.from({ length: n }, (_, i) => ({ id: `d${i}`, title: r.pick(TITLES), sha256: '', position: i * 2, length: 10 }));
	const summaries = new Map<string, Map<string, SetSummary>>();
	const metas = new Map<string, Record<string, unknown>>();
	const sources = new Map<string, string[]>();
	for (const h of headers) {
		const sets = new Map<string, SetSummary>();
		for (const annotator of r.some(PEOPLE)) {
			sets.set(annotator, {
				annotator,
				status: r.pick(STATUSES),
				revision: 1,
				spans: r.int(5),
				updated_at: r.pick(TIMES),
				active_seconds: 0,
				labels: r.some(LABELS),
				keys: r.pick(KEYS)
			});
		}
		if (sets.size) summaries.set(h.id, sets);
		if (r.next() < 0.7) metas.set(h.id, { lang: r.pick(['fr', 'FR', 'en']), n: r.int(3) });
		const own = r.some(['batch.jsonl', 'ner', 'constructor']);
		if (own.length) sources.set(h.id, own.sort());
	}
	const assignments =
		r.next() < 0.5 ? null : Object.fromEntries(headers.filter(() => r.next() < 0.7).map((h) => [h.id, r.some(['ann1', 'ann2', 'ann3', 'zoe'])]));
	const me = lead ? 'lead' : 'ann1';
	const queue = !lead && assignments ? new Set(Object.entries(assignments).filter(([, a]) => a.includes(me)).map(([id]) => id)) : null;
	const rank =
		r.next() < 0.3
			? new Map(
					headers
						.filter(() => r.next() < 0.6)
						.map((h) => [h.id, r.next()] as const)
						.sort((a, b) => a[1] - b[1])
						.map(([id], i) => [id, i])
				)
			: null;
	return { headers, summaries, queue, me, lead, assignments, metas, sources, rank };
}

function query(seed: number, lead: boolean): string {
	const r = random(seed * 7919 + 1);
	const p = new URLSearchParams();
	if (r.next() < 0.3) p.set('status', r.pick(STATUSES));
	if (lead && r.next() < 0.3) {
		p.set('assignee', r.pick(['ann1', 'ann2', 'zoe', GOLD, 'constructor']));
		if (r.next() < 0.5) p.set('done', r.pick(['yes', 'no']));
	}
	if (r.next() < 0.2) p.set('source', r.pick(['batch.jsonl', 'ner', 'constructor', 'none']));
	if (r.next() < 0.3) for (const l of r.some(LABELS)) p.append('label', l);
	if (lead && r.next() < 0.2) p.set('disagreement', '1');
	if (r.next() < 0.2) p.set('meta.lang', r.pick(['fr', 'EN']));
	if (r.next() < 0.8) p.set('sort', `${r.next() < 0.5 ? '-' : ''}${r.pick(lead ? ['title', 'status', 'activity', 'agreement'] : ['title', 'status', 'activity'])}`);
	if (r.next() < 0.5) p.set('page', String(1 + r.int(4)));
	return p.toString();
}

describe('listPage', () => {
	it('pages, filters and sorts exactly as full rows through filterRows, sortRows and pageOf (1,000 random datasets and queries)', () => {
		for (let seed = 1; seed <= 1000; seed++) {
			const lead = seed % 3 !== 0;
			const f = dataset(seed, lead);
			const asked = query(seed, lead);
			const q = parseDocumentQuery(new URLSearchParams(asked));
			const size = 1 + (seed % 9);
			const want = reference(f, q, size);
			const got = listPage(f, q, size);
			const label = `seed ${seed}: ${lead ? 'lead' : 'annotator'} ?${asked}`;
			expect({ ...got, documents: got.documents.map((d) => d.header.id) }, label).toEqual({ ...want, documents: want.documents.map((d) => d.id) });
			for (const [i, d] of got.documents.entries()) {
				expect(activityOf(f, d.sets), label).toBe(want.documents[i].activity);
				if (q.sort.key === 'agreement') expect(d.agreement, label).toBe(want.documents[i].agreement);
			}
		}
	});

	it('a worked example: a lead sorts by title (accents and case aside, ties in import order), filtered by source', () => {
		const headers: DocumentHeader[] = ['Zèbre', 'élysée', 'Article 10', 'Elysee', 'Article 2'].map((title, i) => ({ id: `d${i}`, title, sha256: '', position: i, length: 1 }));
		const f: ListFacts = {
			headers,
			summaries: new Map(),
			queue: null,
			me: 'lead',
			lead: true,
			assignments: null,
			metas: null,
			sources: new Map([['d1', ['batch.jsonl']], ['d2', ['batch.jsonl', 'ner']], ['d3', ['ner']], ['d4', ['batch.jsonl']]]),
			rank: null
		};
		const ids = (s: string) => listPage(f, parseDocumentQuery(new URLSearchParams(s))).documents.map((d) => d.header.id);
		expect(ids('sort=title')).toEqual(['d4', 'd2', 'd1', 'd3', 'd0']);
		expect(ids('sort=-title')).toEqual(['d0', 'd1', 'd3', 'd2', 'd4']);
		expect(ids('sort=title&source=batch.jsonl')).toEqual(['d4', 'd2', 'd1']);
		expect(ids('source=constructor')).toEqual([]);
	});
});

describe('agreementOf', () => {
	it('follows a save that changes a done set’s keys in the same map (the figure is kept per map while the keys are the same)', () => {
		const a = spanKeysOf([{ label: 'PER', start: 0, end: 3 }]);
		const b = spanKeysOf([{ label: 'PER', start: 0, end: 3 }, { label: 'LOC', start: 5, end: 9 }]);
		const summary = (annotator: string, keys: string): SetSummary => ({ annotator, status: 'done', revision: 1, spans: 1, updated_at: null, active_seconds: 0, labels: [], keys });
		const sets = new Map([['ann1', summary('ann1', a)], ['ann2', summary('ann2', a)]]);
		expect(agreementOf(sets)).toBe(1);
		sets.set('ann2', summary('ann2', b));
		expect(agreementOf(sets)).toBe(2 / 3);
		sets.set('ann2', { ...summary('ann2', b), status: 'in_progress' });
		expect(agreementOf(sets)).toBeNull();
	});
});

describe('teamCountsOf', () => {
	it('is teamCounts(computeProgress(…)) for the shown documents (500 random datasets)', () => {
		for (let seed = 1; seed <= 500; seed++) {
			const f = dataset(seed, true);
			const r = random(seed + 99);
			const members: Record<string, Role> = Object.fromEntries(['ann1', 'ann2', 'ann3', 'zoe', 'lead'].filter(() => r.next() < 0.7).map((n) => [n, n === 'lead' ? 'lead' : 'annotator']));
			const assignments = f.assignments && r.next() < 0.3 ? { ...f.assignments, d0: ['ann1', 'ann1', GOLD] } : f.assignments;
			const shown = new Set(f.headers.filter(() => r.next() < 0.5).map((h) => h.id));
			const full = teamCounts(computeProgress({ documents: f.headers.map((h) => ({ id: h.id, title: h.title })), members, assignments: assignments as Record<string, string[]> | null, sets: f.summaries as Map<string, Map<string, SetSummary>> }));
			const want = { ...full, perDocument: Object.fromEntries(Object.entries(full.perDocument).filter(([id]) => shown.has(id))) };
			const got = teamCountsOf({ ...f, assignments }, members, shown);
			expect({ ...got, perDocument: { ...got.perDocument } }, `seed ${seed}`).toEqual(want);
		}
	});
});
