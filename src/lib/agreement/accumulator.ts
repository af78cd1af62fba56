/**
 * Corpus-level inter-annotator agreement report (see index.ts for the spec
 * summary). One streaming pass over the documents: per document we tokenise,
 * project every annotator's spans onto the tokens as label bitmasks, and add
 * to count accumulators (contingency tables per annotator pair, coincidence
 * statistics per label and overall). Nothing per token outlives its document,
 * so time and memory are linear in the corpus and in the largest document.
 *
 * Definitions
 *  - Documents used: those with at least two distinct (non-gold) annotators in
 *    `documents` (the caller passes only status-`done` sets). Every metric,
 *    including the gold comparison, is computed over these documents only.
 *  - Items: one per (document, token). A token's value for an annotator and a
 *    label is 1 when it overlaps one of the annotator's spans of that label by
 *    at least one code point. The multi-class value ("overall") is `none` when
 *    no label applies, else the sorted labels joined by `+`.
 *  - Spans whose label is not in `labels`, whose offsets are not finite numbers
 *    or that are empty (end <= start) are ignored by every metric; exact
 *    duplicates (same start, end, label) within one annotator's set count once.
 *  - An annotator listed twice for one document: the last entry wins.
 *  - Cohen's kappa: per annotator pair over the items of the documents both
 *    annotated. Fleiss' kappa: only when every used document has exactly the
 *    same set of annotators, else null. Krippendorff's alpha (nominal): over all
 *    annotators, an annotator who did not annotate a document is missing there.
 *  - Span F1 per pair: micro-averaged (matches and span counts pooled over
 *    documents, and over labels for `overall`); null when neither annotator
 *    has a span. See spanF1.ts for the matching (maximum bipartite matching).
 *  - Undefined coefficients (no items, no variation) are null; see
 *    coefficients.ts. No NaN or Infinity is ever returned.
 *  - Confusion: over annotator pairs and the tokens of the documents both
 *    annotated, per label pair. For one token and one pair, with A and B the
 *    labels each gave it (nested spans give a token several labels):
 *      1. each label in both A and B is one agreement, on the diagonal;
 *      2. each label x that only one of them gave is set against what the other
 *         gave instead: each label the other gave that the first did not; if
 *         there is none, each label the other gave (the enclosing span: ann1's
 *         framing inside a claim against ann2's claim is framing/claim); if the
 *         other gave nothing, `none`. Each such pair (x, y) adds 1 to
 *         counts[x][y] and 1 to counts[y][x].
 *    A token neither tagged adds 1 to none/none. With at most one label on each
 *    side this is the plain table: same label on the diagonal, x against y off
 *    it. The table is symmetric; rows/columns are `labels` in input order
 *    followed by `none`.
 *
 * Over ~400 lines with a reason: the one streaming pass (`add`) keeps its
 * state in the many count arrays of one class, and `report` reads them all;
 * what could leave already has (projection.ts, confusion.ts), and a third of
 * the rest is the definitions above.
 */

import { GOLD } from '../model/types';
import { dict } from '../model/dict';
import { alphaFromCoincidences, fleissFromTotals, kappaFromMatrix } from './coefficients';
import { exactMatchCount, f1FromCounts, overlapMatchCount } from './spanF1';
import { tokenizeOffsets, type TokenOffsets } from './tokens';
import { Buffers, Categories, Coverage, coderTokens, fillMasks, normalizeSpans, type NSpan } from './projection';
import { GrowMatrix, confuseLabelSets, pairTokens, type PairAcc } from './confusion';

export interface InputSpan {
	start: number;
	end: number;
	label: string;
}

export interface AgreementInput {
	labels: string[];
	/** caller passes only status-done sets, gold excluded */
	documents: {
		doc_id: string;
		text: string;
		annotations: { annotator: string; spans: InputSpan[] }[];
	}[];
	gold?: { doc_id: string; spans: InputSpan[] }[];
}

export interface PairStats {
	a: string;
	b: string;
	documents: number;
	cohen_kappa: number | null;
	f1_exact: number | null;
	f1_overlap: number | null;
}

export interface Coefficients {
	alpha: number | null;
	fleiss_kappa: number | null;
	pairs: PairStats[];
	items: number;
}

export interface AgreementReport {
	/** docs used (>= 2 annotators) */
	documents: number;
	/** sorted */
	annotators: string[];
	labels: Record<string, Coefficients>;
	overall: Coefficients;
	/** sorted by alpha ascending, nulls last */
	per_document: { doc_id: string; alpha: number | null; annotators: string[] }[];
	/** includes 'none' as the last label row/col */
	confusion: { labels: string[]; counts: number[][] };
	gold: {
		annotator: string;
		documents: number;
		cohen_kappa: number | null;
		f1_exact: number | null;
		f1_overlap: number | null;
	}[];
}

export const NONE_LABEL = 'none';

interface GoldAcc {
	documents: number;
	multi: GrowMatrix;
	/** pooled over labels: exact matches, overlap matches, annotator spans, gold spans */
	f1: Float64Array;
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** One document of the input: its text and the annotators' spans. */
export type AgreementDocument = AgreementInput['documents'][number];

/**
 * The report, built one document at a time: `add` each document (with its gold
 * spans, if any) in order, then `report()`. `computeAgreement` is this over an
 * array; a caller walking a corpus on disk feeds documents as it reads them, so
 * nothing of a document outlives its turn (memory stays flat in the corpus size).
 */
export class AgreementAccumulator {
	private readonly labels: string[] = [];
	private readonly labelIndex = new Map<string, number>();
	private readonly L: number;
	private readonly W: number;
	private readonly annotatorSet = new Set<string>();
	private used = 0;

	private readonly cats: Categories;
	private readonly pairs = new Map<string, PairAcc>();
	private readonly goldAccs = new Map<string, GoldAcc>();

	private items = 0; // (document, token) units
	private values = 0; // sum over units of the number of annotators (all pairable)
	// per label (binary): ones, integer disagreeing pairs, alpha disagreement
	private readonly ones: Float64Array;
	private readonly disInt: Float64Array;
	private readonly disAlpha: Float64Array;
	// overall (multi-class)
	private overallDisInt = 0;
	private overallDisAlpha = 0;
	private overallTotals = new Float64Array(8);
	// Fleiss: all documents with the same annotator set?
	private sameSetKey: string | null = null;
	private sameSet = true;
	private fleissM = 0;

	private readonly confK: number;
	private readonly confusion: Float64Array;
	private readonly perDocument: { doc_id: string; alpha: number | null; annotators: string[] }[] = [];
	private readonly buffers = new Buffers();
	private readonly goldBuffers = new Buffers();
	private readonly coverage = new Coverage();
	private readonly docBin: Float64Array;
	/** tokens per pair of label sets where either has 2+ labels, for the confusion table (per document) */
	private readonly multiPairs = new Map<number, number>();
	private tokens: TokenOffsets | undefined;

	constructor(labels: readonly string[] | undefined) {
		for (const l of labels ?? []) {
			if (typeof l !== 'string' || this.labelIndex.has(l)) continue;
			this.labelIndex.set(l, this.labels.length);
			this.labels.push(l);
		}
		const L = (this.L = this.labels.length);
		this.W = Math.max(1, Math.ceil(L / 32));
		this.cats = new Categories(L, this.W);
		this.ones = new Float64Array(L);
		this.disInt = new Float64Array(L);
		this.disAlpha = new Float64Array(L);
		this.confK = L + 1;
		this.confusion = new Float64Array(this.confK * this.confK);
		this.docBin = new Float64Array(L);
	}

	private pairOf(a: string, b: string): PairAcc {
		const key = JSON.stringify([a, b]);
		let p = this.pairs.get(key);
		if (!p) {
			const L = this.L;
			p = { a, b, documents: 0, bin: new Float64Array(L * 3), items: 0, multi: new GrowMatrix(), f1: new Float64Array(L * 4) };
			this.pairs.set(key, p);
		}
		return p;
	}

	/** One document; skipped (as in the definitions above) unless at least two non-gold annotators are listed. */
	add(doc: AgreementDocument, goldSpans?: readonly InputSpan[]): void {
		const docSpans = new Map<string, readonly InputSpan[]>();
		for (const ann of doc.annotations ?? []) {
			if (!ann || typeof ann.annotator !== 'string' || ann.annotator === GOLD) continue;
			docSpans.set(ann.annotator, ann.spans ?? []); // last entry wins
		}
		if (docSpans.size < 2) return;
		const coders = [...docSpans.keys()].sort(cmp);
		for (const c of coders) this.annotatorSet.add(c);
		this.used++;

		const { L, W, cats, confusion, confK, docBin, labelIndex } = this;
		const tokens = (this.tokens = tokenizeOffsets(typeof doc.text === 'string' ? doc.text : '', this.tokens));
		const n = tokens.count;
		const m = coders.length;

		const key = JSON.stringify(coders);
		if (this.sameSetKey === null) {
			this.sameSetKey = key;
			this.fleissM = m;
		} else if (key !== this.sameSetKey) this.sameSet = false;

		// project spans onto tokens; the token loops below visit only the tokens a span covers
		const coverage = this.coverage;
		coverage.reset(n);
		const spans: NSpan[][][] = [];
		const masks: Uint32Array[] = [];
		const catArr: Int32Array[] = [];
		for (let i = 0; i < m; i++) {
			const byLabel = normalizeSpans(docSpans.get(coders[i]), labelIndex, L);
			spans.push(byLabel);
			const buf = this.buffers.get(i, n, W);
			fillMasks(tokens, byLabel, W, buf.masks, coverage.flags);
			masks.push(buf.masks);
			catArr.push(buf.cats);
		}
		let goldByLabel: NSpan[][] | null = null;
		let goldMasks: Uint32Array | null = null;
		let goldCats: Int32Array | null = null;
		if (goldSpans !== undefined) {
			goldByLabel = normalizeSpans(goldSpans, labelIndex, L);
			const buf = this.goldBuffers.get(0, n, W);
			fillMasks(tokens, goldByLabel, W, buf.masks, coverage.flags);
			goldMasks = buf.masks;
			goldCats = buf.cats;
		}
		coverage.collect(n);
		const covered = coverage.tokens;
		const nCovered = coverage.count;
		for (let i = 0; i < m; i++) cats.fill(masks[i], covered, nCovered, catArr[i]);
		if (goldMasks && goldCats) cats.fill(goldMasks, covered, nCovered, goldCats);
		const K = cats.size;

		// pairs present in this document
		const docPairs: { i: number; j: number; acc: PairAcc }[] = [];
		for (let i = 0; i < m; i++)
			for (let j = i + 1; j < m; j++) {
				const acc = this.pairOf(coders[i], coders[j]);
				acc.multi.ensure(K);
				acc.documents++;
				acc.items += n;
				docPairs.push({ i, j, acc });
			}

		// ---- token loops: multi-class contingency + confusion, and per-label
		// binary 2x2 counts, per pair; `dis` counts disagreeing (token, pair)
		// occurrences, which is all alpha and Fleiss need besides the totals.
		const docTotals = new Float64Array(K);
		let docDis = 0;
		const single = cats.single;
		docBin.fill(0);
		const multiPairs = this.multiPairs;
		for (const { i, j, acc } of docPairs) {
			docDis += pairTokens(catArr[i], catArr[j], masks[i], masks[j], covered, nCovered, n, W, acc, single, confusion, confK, docBin, multiPairs, K);
		}
		for (const [key, count] of multiPairs) {
			const x = Math.floor(key / K);
			confuseLabelSets(cats.sets[x], cats.sets[key - x * K], count, confusion, confK);
		}
		multiPairs.clear();
		for (let i = 0; i < m; i++) coderTokens(catArr[i], masks[i], covered, nCovered, n, W, docTotals, this.ones);
		let docSq = 0;
		for (let c = 0; c < K; c++) docSq += docTotals[c] * docTotals[c];
		const docAlphaDis = (2 * docDis) / (m - 1);
		this.perDocument.push({
			doc_id: doc.doc_id,
			alpha: alphaFromCoincidences(docAlphaDis, n * m, docSq),
			annotators: coders
		});
		this.overallDisInt += docDis;
		this.overallDisAlpha += docAlphaDis;
		if (this.overallTotals.length < K) {
			const nt = new Float64Array(Math.max(K, this.overallTotals.length * 2));
			nt.set(this.overallTotals);
			this.overallTotals = nt;
		}
		for (let c = 0; c < K; c++) this.overallTotals[c] += docTotals[c];
		this.items += n;
		this.values += n * m;
		for (let l = 0; l < L; l++) {
			this.disInt[l] += docBin[l];
			this.disAlpha[l] += (2 * docBin[l]) / (m - 1);
		}

		// ---- span F1 per pair and label
		for (const { i, j, acc } of docPairs) {
			for (let l = 0; l < L; l++) {
				const sa = spans[i][l];
				const sb = spans[j][l];
				if (sa.length === 0 && sb.length === 0) continue;
				const f = acc.f1;
				f[l * 4] += exactMatchCount(sa, sb);
				f[l * 4 + 1] += overlapMatchCount(sa, sb);
				f[l * 4 + 2] += sa.length;
				f[l * 4 + 3] += sb.length;
			}
		}

		// ---- gold
		if (goldByLabel && goldCats) {
			for (let i = 0; i < m; i++) {
				const name = coders[i];
				let g = this.goldAccs.get(name);
				if (!g) this.goldAccs.set(name, (g = { documents: 0, multi: new GrowMatrix(), f1: new Float64Array(4) }));
				g.documents++;
				g.multi.ensure(K);
				const mk = g.multi.k;
				const md = g.multi.data;
				const ca = catArr[i];
				md[0] += n - nCovered; // none for both
				for (let q = 0; q < nCovered; q++) {
					const t = covered[q];
					md[ca[t] * mk + goldCats[t]]++;
				}
				for (let l = 0; l < L; l++) {
					const sa = spans[i][l];
					const sg = goldByLabel[l];
					g.f1[0] += exactMatchCount(sa, sg);
					g.f1[1] += overlapMatchCount(sa, sg);
					g.f1[2] += sa.length;
					g.f1[3] += sg.length;
				}
			}
		}
	}

	/** The report over the documents added so far. */
	report(): AgreementReport {
		const { L, labels, items, values, ones, disInt, disAlpha, fleissM, overallTotals, confK, confusion } = this;
		const fleissOk = this.used > 0 && this.sameSet;
		const sortedPairs = [...this.pairs.values()].sort((x, y) => cmp(x.a, y.a) || cmp(x.b, y.b));

		const perLabel = dict<Coefficients>();
		for (let l = 0; l < L; l++) {
			const zeros = values - ones[l];
			const m2 = fleissM * fleissM;
			perLabel[labels[l]] = {
				alpha: alphaFromCoincidences(disAlpha[l], values, ones[l] * ones[l] + zeros * zeros),
				fleiss_kappa: fleissOk ? fleissFromTotals(items, fleissM, items * m2 - 2 * disInt[l], [zeros, ones[l]]) : null,
				items,
				pairs: sortedPairs.map((p) => {
					const n11 = p.bin[l * 3];
					const n10 = p.bin[l * 3 + 1];
					const n01 = p.bin[l * 3 + 2];
					const n00 = p.items - n11 - n10 - n01;
					return {
						a: p.a,
						b: p.b,
						documents: p.documents,
						cohen_kappa: kappaFromMatrix([n00, n01, n10, n11], 2),
						f1_exact: f1FromCounts(p.f1[l * 4], p.f1[l * 4 + 2], p.f1[l * 4 + 3]),
						f1_overlap: f1FromCounts(p.f1[l * 4 + 1], p.f1[l * 4 + 2], p.f1[l * 4 + 3])
					};
				})
			};
		}

		let overallSq = 0;
		for (let c = 0; c < overallTotals.length; c++) overallSq += overallTotals[c] * overallTotals[c];
		const overall: Coefficients = {
			alpha: alphaFromCoincidences(this.overallDisAlpha, values, overallSq),
			fleiss_kappa: fleissOk
				? fleissFromTotals(items, fleissM, items * fleissM * fleissM - 2 * this.overallDisInt, overallTotals)
				: null,
			items,
			pairs: sortedPairs.map((p) => {
				let tpE = 0;
				let tpO = 0;
				let nA = 0;
				let nB = 0;
				for (let l = 0; l < L; l++) {
					tpE += p.f1[l * 4];
					tpO += p.f1[l * 4 + 1];
					nA += p.f1[l * 4 + 2];
					nB += p.f1[l * 4 + 3];
				}
				return {
					a: p.a,
					b: p.b,
					documents: p.documents,
					cohen_kappa: kappaFromMatrix(p.multi.data, p.multi.k),
					f1_exact: f1FromCounts(tpE, nA, nB),
					f1_overlap: f1FromCounts(tpO, nA, nB)
				};
			})
		};

		const perDocument = this.perDocument.map((d) => ({ ...d, annotators: [...d.annotators] }));
		perDocument.sort((x, y) => {
			if (x.alpha === null || y.alpha === null) {
				const d = (x.alpha === null ? 1 : 0) - (y.alpha === null ? 1 : 0);
				return d || cmp(x.doc_id, y.doc_id);
			}
			return x.alpha - y.alpha || cmp(x.doc_id, y.doc_id);
		});

		const confLabels = [...labels, NONE_LABEL];
		const confCounts: number[][] = [];
		for (let r = 0; r < confK; r++) confCounts.push(Array.from(confusion.subarray(r * confK, (r + 1) * confK)));

		const gold = [...this.goldAccs.entries()]
			.sort((x, y) => cmp(x[0], y[0]))
			.map(([annotator, g]) => ({
				annotator,
				documents: g.documents,
				cohen_kappa: kappaFromMatrix(g.multi.data, g.multi.k),
				f1_exact: f1FromCounts(g.f1[0], g.f1[2], g.f1[3]),
				f1_overlap: f1FromCounts(g.f1[1], g.f1[2], g.f1[3])
			}));

		return {
			documents: this.used,
			annotators: [...this.annotatorSet].sort(cmp),
			labels: perLabel,
			overall,
			per_document: perDocument,
			confusion: { labels: confLabels, counts: confCounts },
			gold
		};
	}
}

export function computeAgreement(input: AgreementInput): AgreementReport {
	const accumulator = new AgreementAccumulator(input.labels);
	const goldByDoc = new Map<string, InputSpan[]>();
	for (const g of input.gold ?? []) if (g && typeof g.doc_id === 'string') goldByDoc.set(g.doc_id, g.spans ?? []);
	for (const doc of input.documents ?? []) accumulator.add(doc, goldByDoc.get(doc.doc_id));
	return accumulator.report();
}
