import { describe, expect, it } from 'vitest';
import { AgreementAccumulator, computeAgreement, type AgreementInput, type AgreementReport, type InputSpan } from './accumulator';
import { cohenKappa, fleissKappa, krippendorffAlphaNominal } from './coefficients';
import { spanF1 } from './spanF1';
import { tokenize } from './tokens';

const sp = (start: number, end: number, label: string): InputSpan => ({ start, end, label });
const doc = (doc_id: string, text: string, anns: Record<string, InputSpan[]>) => ({
	doc_id,
	text,
	annotations: Object.entries(anns).map(([annotator, spans]) => ({ annotator, spans }))
});

/** every number finite; nulls only where the API allows them; JSON round trip is lossless */
function expectWellFormed(r: AgreementReport) {
	const nullable = new Set(['alpha', 'fleiss_kappa', 'cohen_kappa', 'f1_exact', 'f1_overlap']);
	const walk = (v: unknown, key: string, path: string): void => {
		if (v === null) {
			expect(nullable.has(key), `null at ${path}`).toBe(true);
		} else if (typeof v === 'number') {
			expect(Number.isFinite(v), `${v} at ${path}`).toBe(true);
		} else if (Array.isArray(v)) v.forEach((x, i) => walk(x, key, `${path}[${i}]`));
		else if (typeof v === 'object') for (const [k, x] of Object.entries(v as object)) walk(x, k, `${path}.${k}`);
	};
	walk(r, '', '$');
	const json = JSON.stringify(r);
	expect(json).not.toMatch(/NaN|Infinity/);
	expect(JSON.parse(json)).toEqual(r);
	for (const c of [r.overall, ...Object.values(r.labels)]) {
		for (const x of [c.alpha, c.fleiss_kappa, ...c.pairs.map((p) => p.cohen_kappa)]) {
			if (x !== null) expect(x).toBeLessThanOrEqual(1 + 1e-12);
		}
		for (const p of c.pairs) for (const f of [p.f1_exact, p.f1_overlap]) if (f !== null) expect(f).toBeGreaterThanOrEqual(0);
	}
}

// ---------------------------------------------------------------------------
// Naive reference: materialise every token value and call the array-based
// primitives (themselves checked against published examples).
// ---------------------------------------------------------------------------
function reference(input: AgreementInput): AgreementReport {
	const labels = [...new Set(input.labels)];
	const known = new Set(labels);
	const clean = (spans: InputSpan[]) => {
		const seen = new Set<string>();
		return spans.filter((s) => {
			const key = `${s.start}:${s.end}:${s.label}`;
			if (!known.has(s.label) || !(s.end > s.start) || seen.has(key)) return false;
			seen.add(key);
			return true;
		});
	};
	type D = { id: string; toks: { start: number; end: number }[]; ann: Map<string, InputSpan[]> };
	const docs: D[] = [];
	for (const d of input.documents) {
		const ann = new Map<string, InputSpan[]>();
		for (const a of d.annotations) if (a.annotator !== 'gold') ann.set(a.annotator, clean(a.spans));
		if (ann.size >= 2) docs.push({ id: d.doc_id, toks: tokenize(d.text), ann });
	}
	const annotators = [...new Set(docs.flatMap((d) => [...d.ann.keys()]))].sort();
	const labelSet = (spans: InputSpan[], t: { start: number; end: number }) =>
		[...new Set(spans.filter((s) => s.start < t.end && s.end > t.start).map((s) => s.label))].sort();
	const value = (spans: InputSpan[], t: { start: number; end: number }, label: string | null) => {
		const set = labelSet(spans, t);
		if (label !== null) return set.includes(label) ? '1' : '0';
		return set.length ? set.join('+') : 'none';
	};
	const sameSet = docs.length > 0 && docs.every((d) => [...d.ann.keys()].sort().join() === [...docs[0].ann.keys()].sort().join());
	const pairNames: [string, string][] = [];
	for (let i = 0; i < annotators.length; i++)
		for (let j = i + 1; j < annotators.length; j++)
			if (docs.some((d) => d.ann.has(annotators[i]) && d.ann.has(annotators[j]))) pairNames.push([annotators[i], annotators[j]]);
	const items = docs.reduce((s, d) => s + d.toks.length, 0);

	const coefficients = (label: string | null) => {
		const units: (string | null)[][] = [];
		const fleissRows: number[][] = [];
		for (const d of docs)
			for (const t of d.toks) {
				const u = annotators.map((a) => (d.ann.has(a) ? value(d.ann.get(a)!, t, label) : null));
				units.push(u);
				const cats = new Map<string, number>();
				for (const v of u) if (v !== null) cats.set(v, (cats.get(v) ?? 0) + 1);
				fleissRows.push([...cats.values()]);
			}
		// fleissKappa needs aligned category columns
		const allCats = [...new Set(units.flat().filter((v): v is string => v !== null))];
		const aligned = units.map((u) => allCats.map((c) => u.filter((v) => v === c).length));
		const pairs = pairNames.map(([a, b]) => {
			const va: string[] = [];
			const vb: string[] = [];
			let matchedE = 0;
			let matchedO = 0;
			let na = 0;
			let nb = 0;
			let documents = 0;
			for (const d of docs) {
				if (!d.ann.has(a) || !d.ann.has(b)) continue;
				documents++;
				for (const t of d.toks) {
					va.push(value(d.ann.get(a)!, t, label));
					vb.push(value(d.ann.get(b)!, t, label));
				}
				const sa = d.ann.get(a)!.filter((s) => label === null || s.label === label);
				const sb = d.ann.get(b)!.filter((s) => label === null || s.label === label);
				matchedE += spanF1(sa, sb, 'exact').matched;
				matchedO += spanF1(sa, sb, 'overlap').matched;
				na += sa.length;
				nb += sb.length;
			}
			return {
				a,
				b,
				documents,
				cohen_kappa: cohenKappa(va, vb),
				f1_exact: na + nb ? (2 * matchedE) / (na + nb) : null,
				f1_overlap: na + nb ? (2 * matchedO) / (na + nb) : null
			};
		});
		return {
			alpha: krippendorffAlphaNominal(units),
			fleiss_kappa: sameSet ? fleissKappa(aligned) : null,
			pairs,
			items
		};
	};

	const perLabel: AgreementReport['labels'] = {};
	for (const l of labels) perLabel[l] = coefficients(l);

	const per_document = docs
		.map((d) => {
			const names = [...d.ann.keys()].sort();
			return {
				doc_id: d.id,
				alpha: krippendorffAlphaNominal(d.toks.map((t) => names.map((a) => value(d.ann.get(a)!, t, null)))),
				annotators: names
			};
		})
		.sort((x, y) =>
			x.alpha === null || y.alpha === null
				? (x.alpha === null ? 1 : 0) - (y.alpha === null ? 1 : 0) || (x.doc_id < y.doc_id ? -1 : 1)
				: x.alpha - y.alpha || (x.doc_id < y.doc_id ? -1 : 1)
		);

	const confLabels = [...labels, 'none'];
	const counts = confLabels.map(() => confLabels.map(() => 0));
	for (const d of docs) {
		const names = [...d.ann.keys()].sort();
		for (let i = 0; i < names.length; i++)
			for (let j = i + 1; j < names.length; j++)
				for (const t of d.toks) {
					// per label pair: agreed labels on the diagonal; each label only one side gave
					// against the other side's own labels, else all its labels, else none
					const x = labelSet(d.ann.get(names[i])!, t);
					const y = labelSet(d.ann.get(names[j])!, t);
					const at = (l: string) => confLabels.indexOf(l);
					if (!x.length && !y.length) counts[at('none')][at('none')]++;
					for (const l of x) if (y.includes(l)) counts[at(l)][at(l)]++;
					const onlyX = x.filter((l) => !y.includes(l));
					const onlyY = y.filter((l) => !x.includes(l));
					const pairs: Array<[string, string]> = [];
					if (onlyX.length && onlyY.length) for (const p of onlyX) for (const q of onlyY) pairs.push([p, q]);
					else if (onlyX.length) for (const p of onlyX) for (const q of y.length ? y : ['none']) pairs.push([p, q]);
					else if (onlyY.length) for (const q of onlyY) for (const p of x.length ? x : ['none']) pairs.push([p, q]);
					for (const [p, q] of pairs) {
						counts[at(p)][at(q)]++;
						counts[at(q)][at(p)]++;
					}
				}
	}

	const goldMap = new Map((input.gold ?? []).map((g) => [g.doc_id, clean(g.spans)]));
	const gold = annotators
		.map((a) => {
			const va: string[] = [];
			const vg: string[] = [];
			let mE = 0;
			let mO = 0;
			let na = 0;
			let ng = 0;
			let documents = 0;
			for (const d of docs) {
				const g = goldMap.get(d.id);
				if (!g || !d.ann.has(a)) continue;
				documents++;
				const s = d.ann.get(a)!;
				for (const t of d.toks) {
					va.push(value(s, t, null));
					vg.push(value(g, t, null));
				}
				mE += spanF1(s, g, 'exact').matched;
				mO += spanF1(s, g, 'overlap').matched;
				na += s.length;
				ng += g.length;
			}
			return {
				annotator: a,
				documents,
				cohen_kappa: cohenKappa(va, vg),
				f1_exact: na + ng ? (2 * mE) / (na + ng) : null,
				f1_overlap: na + ng ? (2 * mO) / (na + ng) : null
			};
		})
		.filter((g) => g.documents > 0);

	return {
		documents: docs.length,
		annotators,
		labels: perLabel,
		overall: coefficients(null),
		per_document,
		confusion: { labels: confLabels, counts },
		gold
	};
}

/** deep comparison with a tolerance on numbers */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
	if (typeof expected === 'number' && typeof actual === 'number') {
		expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThan(1e-9);
	} else if (Array.isArray(expected)) {
		expect(Array.isArray(actual), path).toBe(true);
		expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
		expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`));
	} else if (expected !== null && typeof expected === 'object') {
		expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
		for (const [k, e] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
	} else expect(actual, path).toEqual(expected);
}

function randomCorpus(seed: number, opts: { sameSet: boolean; docs: number }): AgreementInput {
	const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
	const words = ["l'État", 'a', 'dit', '«', 'non', '»', '😀', '3,5', '%', 'aujourd’hui', '.', 'e\u0301té', '👍🏽', 'Ça'];
	const labels = ['claim', 'attribution', 'framing', 'date'];
	const people = ['ana', 'bo', 'cy', 'di'];
	const documents: AgreementInput['documents'] = [];
	const gold: NonNullable<AgreementInput['gold']> = [];
	for (let d = 0; d < opts.docs; d++) {
		const parts: string[] = [];
		const nWords = Math.floor(rnd() * 25);
		for (let k = 0; k < nWords; k++) parts.push(pick(words));
		const text = parts.join(pick([' ', '  ', '\n']));
		const len = [...text].length;
		const span = (): InputSpan => {
			const s = Math.floor(rnd() * (len + 2)) - 1;
			return { start: s, end: s + Math.floor(rnd() * 12) - 1, label: rnd() < 0.05 ? 'unknown' : pick(labels) };
		};
		const base = Array.from({ length: Math.floor(rnd() * 6) }, span);
		const annotate = () => {
			const out = base.filter(() => rnd() < 0.7).map((s) => (rnd() < 0.3 ? { ...s, label: pick(labels) } : { ...s }));
			while (rnd() < 0.4) out.push(span());
			if (out.length && rnd() < 0.2) out.push({ ...out[0] }); // duplicate
			return out;
		};
		const who = opts.sameSet ? people.slice(0, 3) : people.filter(() => rnd() < 0.6);
		documents.push({ doc_id: `doc${d}`, text, annotations: who.map((annotator) => ({ annotator, spans: annotate() })) });
		if (rnd() < 0.4) gold.push({ doc_id: `doc${d}`, spans: annotate() });
	}
	return { labels, documents, gold };
}

describe('computeAgreement', () => {
	it('matches a naive token-by-token reference built on the primitives (varying annotator sets)', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const input = randomCorpus(seed, { sameSet: false, docs: 40 });
			const r = computeAgreement(input);
			expect(r.overall.fleiss_kappa).toBeNull();
			expectClose(r, reference(input));
			expectWellFormed(r);
		}
	});

	it('matches the reference when every document has the same annotators (Fleiss defined)', () => {
		for (const seed of [11, 12, 13]) {
			const input = randomCorpus(seed, { sameSet: true, docs: 30 });
			const r = computeAgreement(input);
			expect(r.overall.fleiss_kappa).not.toBeNull();
			expectClose(r, reference(input));
			expectWellFormed(r);
		}
	});

	it('hand-computed two-annotator example', () => {
		// tokens: a[0,1) b[2,3) c[4,5) d[6,7); x marks a,b as claim, y marks b,c
		const r = computeAgreement({
			labels: ['claim', 'date'],
			documents: [doc('d1', 'a b c d', { y: [sp(2, 5, 'claim')], x: [sp(0, 3, 'claim')] })]
		});
		expect(r.documents).toBe(1);
		expect(r.annotators).toEqual(['x', 'y']);
		const claim = r.labels.claim;
		expect(claim.items).toBe(4);
		// 2x2: n11 = 1, n10 = 1, n01 = 1, n00 = 1 -> p_o = .5 = p_e -> kappa 0
		expect(claim.pairs).toEqual([{ a: 'x', b: 'y', documents: 1, cohen_kappa: 0, f1_exact: 0, f1_overlap: 1 }]);
		// alpha: n = 8 values (4 ones), 2 disagreeing units -> D = 2 * 2/(2-1) = 4
		// alpha = 1 - (n-1) D / (n^2 - sum n_c^2) = 1 - 7*4/(64-32) = 0.125
		expect(claim.alpha).toBeCloseTo(0.125, 12);
		expect(claim.fleiss_kappa).toBeCloseTo(0, 12); // Scott's pi: p_o = .5, p_e = .5
		// 'date': nobody used it -> no variation -> null; no spans -> F1 null
		expect(r.labels.date).toEqual({
			alpha: null,
			fleiss_kappa: null,
			items: 4,
			pairs: [{ a: 'x', b: 'y', documents: 1, cohen_kappa: null, f1_exact: null, f1_overlap: null }]
		});
		// overall has the same values as 'claim' here (only one label in use)
		expect(r.overall.alpha).toBeCloseTo(0.125, 12);
		expect(r.overall.pairs[0]).toEqual({ a: 'x', b: 'y', documents: 1, cohen_kappa: 0, f1_exact: 0, f1_overlap: 1 });
		expect(r.per_document).toEqual([{ doc_id: 'd1', alpha: r.overall.alpha, annotators: ['x', 'y'] }]);
		// confusion (symmetric): a (claim, none), b (claim, claim), c (none, claim), d (none, none)
		expect(r.confusion).toEqual({
			labels: ['claim', 'date', 'none'],
			counts: [
				[1, 0, 2],
				[0, 0, 0],
				[2, 0, 1]
			]
		});
		expect(r.gold).toEqual([]);
		expectWellFormed(r);
	});

	it('perfect agreement: 1 everywhere a label is used, null where it is not', () => {
		const spans = [sp(0, 5, 'claim'), sp(6, 8, 'date'), sp(6, 12, 'claim')];
		const r = computeAgreement({
			labels: ['claim', 'date', 'framing'],
			documents: [
				doc('d1', 'Hello le 3 mai, dit-il.', { a: spans, b: spans, c: spans }),
				doc('d2', 'Rien ici.', { a: [], b: [], c: [] })
			]
		});
		for (const c of [r.labels.claim, r.labels.date, r.overall]) {
			expect(c.alpha).toBe(1);
			expect(c.fleiss_kappa).toBe(1);
			for (const p of c.pairs) expect([p.cohen_kappa, p.f1_exact, p.f1_overlap]).toEqual([1, 1, 1]);
		}
		expect(r.labels.framing.alpha).toBeNull();
		expect(r.labels.framing.pairs.every((p) => p.cohen_kappa === null && p.f1_exact === null)).toBe(true);
		// d2 has no variation at all: alpha null, listed last
		expect(r.per_document.map((d) => [d.doc_id, d.alpha])).toEqual([
			['d1', 1],
			['d2', null]
		]);
		expectWellFormed(r);
	});

	it('no spans anywhere: every coefficient and F1 is null, counts are still reported', () => {
		const r = computeAgreement({
			labels: ['claim'],
			documents: [doc('d1', 'un deux trois', { a: [], b: [] })]
		});
		expect(r.documents).toBe(1);
		expect(r.overall).toEqual({
			alpha: null,
			fleiss_kappa: null,
			items: 3,
			pairs: [{ a: 'a', b: 'b', documents: 1, cohen_kappa: null, f1_exact: null, f1_overlap: null }]
		});
		expect(r.confusion.counts).toEqual([
			[0, 0],
			[0, 3]
		]);
		expectWellFormed(r);
	});

	it('one annotator only: no documents used, nulls, empty lists', () => {
		const r = computeAgreement({
			labels: ['claim'],
			documents: [doc('d1', 'un deux', { a: [sp(0, 2, 'claim')] }), doc('d2', 'trois', { a: [] })],
			gold: [{ doc_id: 'd1', spans: [sp(0, 2, 'claim')] }]
		});
		expect(r).toEqual({
			documents: 0,
			annotators: [],
			labels: { claim: { alpha: null, fleiss_kappa: null, pairs: [], items: 0 } },
			overall: { alpha: null, fleiss_kappa: null, pairs: [], items: 0 },
			per_document: [],
			confusion: { labels: ['claim', 'none'], counts: [[0, 0], [0, 0]] },
			gold: []
		});
		expectWellFormed(r);
		expectWellFormed(computeAgreement({ labels: [], documents: [] }));
	});

	it("Fleiss is null when documents don't share one annotator set; alpha uses missing values", () => {
		const r = computeAgreement({
			labels: ['claim'],
			documents: [
				doc('d1', 'a b c', { a: [sp(0, 1, 'claim')], b: [sp(0, 1, 'claim')] }),
				doc('d2', 'a b c', { a: [sp(2, 3, 'claim')], c: [sp(4, 5, 'claim')] })
			]
		});
		expect(r.labels.claim.fleiss_kappa).toBeNull();
		expect(r.overall.fleiss_kappa).toBeNull();
		expect(r.annotators).toEqual(['a', 'b', 'c']);
		expect(r.overall.pairs.map((p) => [p.a, p.b, p.documents])).toEqual([
			['a', 'b', 1],
			['a', 'c', 1]
		]);
		// units: d1 (1,1) (0,0) (0,0); d2 (0,0) (1,0) (0,1) -> alpha by hand:
		// n = 12, ones = 4, D = 2 units * 2/(2-1) = 4 -> 1 - 11*4/(144 - 16 - 64) = 1 - 44/64
		expect(r.labels.claim.alpha).toBeCloseTo(1 - 44 / 64, 12);
		expect(r.overall.alpha).toBeCloseTo(1 - 44 / 64, 12);
		expect(r.per_document.map((d) => d.doc_id)).toEqual(['d2', 'd1']); // d2 disagrees
	});

	it('offsets are code points: an emoji before the span does not shift it', () => {
		// "😀😀 mot": 😀[0,1) 😀[1,2) mot[3,6) in code points (UTF-16 would be [5,8))
		const r = computeAgreement({
			labels: ['claim'],
			documents: [doc('d1', '😀😀 mot', { a: [sp(3, 6, 'claim')], b: [sp(5, 6, 'claim')] })]
		});
		expect(r.labels.claim.pairs[0].cohen_kappa).toBe(1);
		expect(r.labels.claim.pairs[0].f1_overlap).toBe(1);
		expect(r.labels.claim.pairs[0].f1_exact).toBe(0);
	});

	it('multi-label tokens form their own class; the confusion table counts them per label pair', () => {
		// tokens: un[0,2) deux[3,7)
		const r = computeAgreement({
			labels: ['claim', 'date'],
			documents: [
				doc('d1', 'un deux', {
					a: [sp(0, 7, 'claim'), sp(3, 7, 'date')], // un: claim, deux: claim+date
					b: [sp(0, 7, 'claim')] // un: claim, deux: claim
				})
			]
		});
		// overall values a: (claim, claim+date), b: (claim, claim) -> p_o = 1/2;
		// marginals a {claim: 1, claim+date: 1}, b {claim: 2} -> p_e = (1*2)/2^2 = 1/2 -> kappa 0
		expect(r.overall.pairs[0].cohen_kappa).toBe(0);
		expect(r.labels.claim.pairs[0].cohen_kappa).toBeNull(); // everyone says claim everywhere
		expect(r.labels.date.pairs[0].cohen_kappa).toBe(0); // a: 0,1 b: 0,0
		// un: claim/claim; deux: claim agreed (diagonal) and a's date against b's claim
		expect(r.confusion.counts).toEqual([
			[2, 1, 0],
			[1, 0, 0],
			[0, 0, 0]
		]);
	});

	it('gold: per annotator kappa and F1 against the gold set, over used documents only', () => {
		const text = 'Le ministre a dit que la croissance sera forte.';
		const g = [sp(0, 11, 'attribution'), sp(22, 47, 'claim')];
		const r = computeAgreement({
			labels: ['claim', 'attribution'],
			documents: [
				doc('d1', text, { ann: g, bob: [sp(3, 11, 'attribution'), sp(22, 47, 'framing')], gold: [] }),
				doc('d2', text, { ann: g }) // single annotator: not used
			],
			gold: [
				{ doc_id: 'd1', spans: g },
				{ doc_id: 'd2', spans: [] }
			]
		});
		expect(r.annotators).toEqual(['ann', 'bob']); // 'gold' never counts as an annotator
		expect(r.gold.map((x) => x.annotator)).toEqual(['ann', 'bob']);
		expect(r.gold[0]).toEqual({ annotator: 'ann', documents: 1, cohen_kappa: 1, f1_exact: 1, f1_overlap: 1 });
		// bob: attribution overlaps (not exact); 'framing' is not a configured label and is ignored
		expect(r.gold[1].documents).toBe(1);
		expect(r.gold[1].f1_exact).toBe(0);
		expect(r.gold[1].f1_overlap).toBeCloseTo((2 * 1) / (1 + 2), 12);
		expect(r.gold[1].cohen_kappa).not.toBeNull();
	});

	it('ignores invalid, empty, unknown-label and duplicate spans; last entry for an annotator wins', () => {
		const good = [sp(0, 2, 'claim')];
		const r = computeAgreement({
			labels: ['claim', 'claim'],
			documents: [
				{
					doc_id: 'd1',
					text: 'un deux',
					annotations: [
						{ annotator: 'a', spans: [sp(3, 7, 'claim')] },
						{ annotator: 'a', spans: [...good, sp(0, 2, 'claim'), sp(5, 5, 'claim'), sp(4, 3, 'claim'), sp(0, 7, 'zzz'), sp(NaN, 3, 'claim')] },
						{ annotator: 'b', spans: good }
					]
				}
			]
		});
		expect(Object.keys(r.labels)).toEqual(['claim']);
		expect(r.overall.pairs[0]).toEqual({ a: 'a', b: 'b', documents: 1, cohen_kappa: 1, f1_exact: 1, f1_overlap: 1 });
		expectWellFormed(r);
	});

	it('larger corpus: pooled counts still equal the reference', () => {
		const input = randomCorpus(99, { sameSet: true, docs: 400 });
		expectClose(computeAgreement(input), reference(input));
	});
});

describe('label confusion with nested spans, worked by hand (issue #15)', () => {
	// "Il dénonce l’entité usurpatrice du pouvoir." tokens: Il dénonce l ’ entité usurpatrice du pouvoir .
	const text = 'Il dénonce l’entité usurpatrice du pouvoir.';
	const claim = sp(3, 42, 'claim'); // dénonce … pouvoir (tokens 1-7)
	const framing = sp(13, 31, 'framing'); // entité usurpatrice (tokens 4-5)

	it('ann1 framing inside a claim, ann2 the claim only: a framing/claim confusion on each framed word', () => {
		const r = computeAgreement({ labels: ['claim', 'framing'], documents: [doc('d', text, { ann1: [claim, framing], ann2: [claim] })] });
		// Il and "." none/none (2); dénonce l ’ du pouvoir claim/claim (5); entité, usurpatrice: claim agreed (2)
		// and ann1's framing against ann2's claim (2, both cells)
		expect(r.confusion).toEqual({
			labels: ['claim', 'framing', 'none'],
			counts: [
				[7, 2, 0],
				[2, 0, 0],
				[0, 0, 2]
			]
		});
	});

	it('both sides with two labels: the agreed one on the diagonal, the others against each other', () => {
		// entité usurpatrice: ann1 claim+framing, ann2 claim+date -> claim/claim, framing/date
		const r = computeAgreement({
			labels: ['claim', 'framing', 'date'],
			documents: [doc('d', text, { ann1: [claim, framing], ann2: [claim, sp(13, 31, 'date')] })]
		});
		expect(r.confusion.counts).toEqual([
			[7, 0, 0, 0],
			[0, 0, 2, 0],
			[0, 2, 0, 0],
			[0, 0, 0, 2]
		]);
	});

	it('two labels against nothing: each label against none', () => {
		const r = computeAgreement({ labels: ['claim', 'framing'], documents: [doc('d', text, { ann1: [claim, framing], ann2: [] })] });
		// 7 claim words against none, 2 of them also framing against none; Il and "." none/none
		expect(r.confusion.counts).toEqual([
			[0, 0, 7],
			[0, 0, 2],
			[7, 2, 2]
		]);
	});
});

describe('label confusion with many labels on every token', () => {
	it('50 labels, 25 on each side of every token: each of ann1’s against each of ann2’s, counted once per token', () => {
		const labels = Array.from({ length: 50 }, (_, i) => `l${i}`);
		const text = Array(2000).fill('a').join(' '); // 2,000 tokens
		const all = (from: number) => labels.slice(from, from + 25).map((l) => sp(0, text.length, l));
		const r = computeAgreement({ labels, documents: [doc('d', text, { ann1: all(0), ann2: all(25) })] });
		const c = r.confusion.counts;
		expect(c[0][25]).toBe(2000);
		expect(c[49][24]).toBe(2000);
		expect(c[0][1]).toBe(0); // labels of one side are never set against each other
		expect(c[0][0]).toBe(0);
		expect(c[50].every((v) => v === 0)).toBe(true); // no token without labels
		expect(c.flat().reduce((x, y) => x + y, 0)).toBe(2000 * 25 * 25 * 2);
	});
});

describe('agreement on a Japanese article, counted by words (issue #21)', () => {
	it('東京都庁で会議が開かれた。 is ten items, not one', () => {
		// tokens 東京 都庁 で 会議 が 開 か れ た 。; ann1 place 都庁, event 会議; ann2 place 東京都庁, event 会議
		const text = '東京都庁で会議が開かれた。';
		const r = computeAgreement({
			labels: ['place', 'event'],
			documents: [doc('d', text, { ann1: [sp(2, 4, 'place'), sp(5, 7, 'event')], ann2: [sp(0, 4, 'place'), sp(5, 7, 'event')] })]
		});
		expect(r.overall.items).toBe(10);
		// place: n11 = 1 (都庁), n01 = 1 (東京), n00 = 8: p_o = .9, p_e = .1*.2 + .9*.8 = .74
		expect(r.labels.place.pairs[0].cohen_kappa).toBeCloseTo(0.16 / 0.26, 12);
		expect(r.labels.event.pairs[0].cohen_kappa).toBe(1);
		// overall: 9 of 10 agree; marginals ann1 none 8 place 1 event 1, ann2 none 7 place 2 event 1: p_e = .59
		expect(r.overall.pairs[0].cohen_kappa).toBeCloseTo(0.31 / 0.41, 12);
		expect(r.overall.pairs[0].f1_exact).toBe(0.5); // 会議 matches exactly, the places do not
		expect(r.confusion.counts).toEqual([
			[1, 0, 1],
			[0, 1, 0],
			[1, 0, 7]
		]);
	});
});

describe('AgreementAccumulator', () => {
	it('fed one document at a time, gives the reference report; it keeps nothing of a document after add()', () => {
		for (const seed of [21, 22]) {
			const input = randomCorpus(seed, { sameSet: false, docs: 40 });
			const expected = reference(structuredClone(input));
			const goldOf = new Map(input.gold!.map((g) => [g.doc_id, g.spans]));
			const accumulator = new AgreementAccumulator(input.labels);
			for (const d of input.documents) {
				accumulator.add(d, goldOf.get(d.doc_id));
				// a corpus walk drops each document once added: nothing may still point into it
				for (const a of d.annotations) a.spans.splice(0, a.spans.length, sp(0, 1, 'claim'));
				goldOf.get(d.doc_id)?.splice(0);
				d.text = '';
				d.annotations.splice(0);
			}
			const r = accumulator.report();
			expectClose(r, expected);
			expect(r.gold.length).toBeGreaterThan(0);
			// report() may be called again, and what it returned is the caller's to change
			r.per_document.reverse()[0].annotators.push('someone');
			expectClose(accumulator.report(), expected);
		}
	});

	it('with nothing added: no documents, nulls, empty lists', () => {
		expect(new AgreementAccumulator(['claim']).report()).toEqual(computeAgreement({ labels: ['claim'], documents: [] }));
	});
});
