/**
 * The review view's state for one document: the lead's verdicts — gold and
 * the rejected candidates, saved together by the annotation API's autosave
 * after every decision — with undo and redo, the span in focus and the one
 * being edited. The decisions themselves are pure functions of $lib/review;
 * this class wires them to runes and the saver.
 *
 * Over 400 lines with a reason: one class whose private state (the verdicts,
 * the gold extras, the undo stacks) every action edits through `#commit`;
 * the decisions themselves are already pure modules (./review.ts,
 * ./reviewRelations.ts, ./lanes.ts), so what is left is their wiring.
 */
import { Autosaver } from '$lib/annotate/autosave.svelte';
import { ActivityTimer } from '$lib/annotate/activity';
import { OffsetMap, sliceByCodePoints } from '$lib/text/offsets';
import { spanId } from '$lib/model/spans';
import { snapToWords, trimSelection } from '$lib/annotate/selection';
import { applyPunctuationRule, type PunctuationRule } from '$lib/annotate/punctuationSnap';
import * as review from '$lib/review/review';
import { layoutLanes, type ParagraphLayout } from '$lib/review/lanes';
import type { ReviewAction } from '$lib/review/reviewShortcuts';
import type { SpanInput } from '$lib/model/types';
import * as links from '$lib/review/reviewRelations';
import { attrValueProblem, attributesOf, normalizeAttrs, type AttrValue, type Attrs } from '$lib/model/attributes';

/**
 * Gold beyond the spans (issue #17): attribute values by gold span id, gold
 * relations (span ids) and the relation candidates the lead rejected. One undo
 * step holds them with the span verdicts.
 */
interface LaneIndex {
	attrs: Map<string, Attrs>;
	/** relations leaving each span: type and the span they point at */
	out: Map<string, Array<{ label: string; to: SpanInput }>>;
}

interface GoldState extends review.Verdicts {
	attrs: ReadonlyMap<string, Attrs>;
	relations: links.GoldRelation[];
	rejectedRelations: string[];
}

export interface LaneInfo {
	name: string;
	/** shown on hover of the lane name, e.g. "done" or "in progress · not counted" */
	note: string;
	gold: boolean;
	/** annotators whose sets count for agreement on this document */
	counted: boolean;
}

/** How one span of one lane is drawn. */
export interface SpanLook {
	/** the voting annotators do not all share it */
	disagreement: boolean;
	decision: review.Decision | null;
}

const UNDO_LIMIT = 500;

export class ReviewState {
	gold = $state.raw<SpanInput[]>([]);
	rejected = $state.raw<SpanInput[]>([]);
	focus = $state<{ lane: string; span: SpanInput } | null>(null);
	draft = $state<SpanInput | null>(null);
	/** text the lead selected in a lane (code points, snapped as in the annotation view): a label key tags it into gold */
	selection = $state<{ start: number; end: number; text: string } | null>(null);
	readonly #text: string;
	readonly #punctuation: PunctuationRule;
	#undo = $state.raw<GoldState[]>([]);
	#redo = $state.raw<GoldState[]>([]);
	/** gold spans' attribute values, by span id */
	goldAttrs = $state.raw<ReadonlyMap<string, Attrs>>(new Map());
	goldRelations = $state.raw<links.GoldRelation[]>([]);
	rejectedRelations = $state.raw<string[]>([]);
	/** the relation candidate in focus (the span focus is then null) */
	relFocus = $state.raw<links.RelationCandidate | null>(null);
	/** values mode: the focused gold span's attribute being chosen (index into its label's attributes) */
	valuing = $state<number | null>(null);
	/** something the lead should know about the last key (a refused accept, relations that had to go) */
	notice = $state<string | null>(null);
	readonly relationCandidates: links.RelationCandidate[];
	readonly relationItems: { candidate: links.RelationCandidate; decision: links.RelationDecision }[];
	readonly relIndex: number;
	/** spans (any candidate, agreed ones too) whose annotators gave different values, in text order: what v walks */
	readonly valueDiffs: review.Candidate[];
	#valueDiffAt = -1;
	/** voters as the relation and attribute helpers read them */
	readonly #voters: links.RelationVoter[];
	readonly #voterSpans: Array<{ name: string; voter: boolean; byId: Map<string, { attrs?: Record<string, unknown> }> }>;
	/** every annotator lane's values and relations, for the lanes (voters or not) */
	readonly #laneIndex: Map<string, LaneIndex>;
	readonly #goldIndex: LaneIndex;
	readonly #labels: review.ReviewData['dataset']['labels'];
	readonly #types: links.RelationTypeLike[];
	readonly canUndo = $derived(this.#undo.length > 0);
	readonly canRedo = $derived(this.#redo.length > 0);
	readonly activity = new ActivityTimer();
	readonly saver: Autosaver;

	/** who votes: the annotators who finished, when at least two did; else everyone with work */
	readonly voterNames: string[];
	readonly candidates: review.Candidate[];
	readonly disagreements: review.Candidate[];
	/** overlapping candidates of one label: one decision about boundaries */
	readonly groups: review.BoundaryGroup[];
	/** the group of the focused candidate, when it has one */
	readonly focusGroup: review.BoundaryGroup | null;
	readonly lanes: LaneInfo[];
	readonly #byId: Map<string, review.Candidate>;
	readonly #tokens: ReturnType<typeof review.wordTokens>;

	readonly rejectedIds: ReadonlySet<string>;
	readonly focusedId: string | null;
	/** the focused candidate's decision (null for gold-only spans and uncounted lanes) */
	readonly focusDecision: review.Decision | null;
	readonly disIndex: number;
	readonly items: { candidate: review.Candidate; decision: review.Decision; text: string }[];
	/** disagreements the lead settled (accepted, rejected or edited, relabelled) */
	readonly decided: number;
	readonly paragraphs: ParagraphLayout[];
	/** agreed spans gold does not have yet */
	readonly openAgreed: number;
	/** relations every voter drew that gold does not have, none of whose ends the lead rejected: Shift A takes them too */
	readonly openAgreedRelations: links.RelationCandidate[];

	constructor(data: review.ReviewData) {
		const { dataset, document: doc, annotators } = data;
		this.#text = doc.text;
		this.#punctuation = dataset.punctuation ?? 'keep';
		this.#labels = dataset.labels;
		this.#types = dataset.relationTypes ?? [];
		this.#show(this.#normalized(data.gold.spans, data.gold.rejected, data.gold.relations ?? [], data.gold.rejectedRelations ?? []));
		this.saver = new Autosaver({
			url: `/api/datasets/${dataset.slug}/documents/${encodeURIComponent(doc.id)}/annotations/gold`,
			revision: data.gold.revision,
			status: data.gold.status,
			spans: () =>
				this.gold.map((s) => {
					const attrs = this.goldAttrs.get(spanId(s));
					return { ...s, id: spanId(s), text: '', ...(attrs ? { attrs } : {}) };
				}),
			rejected: () => this.rejected,
			rejectedRelations: () => this.rejectedRelations,
			relations: () => this.goldRelations,
			activity: this.activity,
			onConflict: (current) =>
				this.#takeServerVersion(
					this.#normalized(current.spans, current.rejected ?? [], current.relations ?? [], current.rejectedRelations ?? this.rejectedRelations)
				)
		});
		const done = annotators.filter((a) => a.status === 'done');
		const voters = done.length >= 2 ? done : annotators;
		this.voterNames = voters.map((a) => a.annotator);
		this.#voters = voters.map((a) => ({ name: a.annotator, spans: a.spans, relations: a.relations }));
		// by content id, so a span's values are found in O(1) per voter (20,000 spans: no quadratic scans)
		// every lane (voters first, then the others), so a span taken from an uncounted lane carries its values too
		const voterSet = new Set(voters);
		this.#voterSpans = [...voters, ...annotators.filter((a) => !voterSet.has(a))].map((a) => ({
			name: a.annotator,
			voter: voterSet.has(a),
			byId: new Map(a.spans.map((x) => [spanId(x), x]))
		}));
		this.relationCandidates = links.collectRelationCandidates(this.#voters);
		this.#laneIndex = new Map(
			annotators.map((a) => [a.annotator, ReviewState.#indexOf(a.spans, (s) => normalizeAttrs((s as { attrs?: Attrs }).attrs), a.relations ?? [])])
		);
		this.#goldIndex = $derived(ReviewState.#indexOf(this.gold, (s) => this.goldAttrs.get(spanId(s)), this.goldRelations));
		this.candidates = review.collectCandidates(voters.map((a) => ({ name: a.annotator, spans: a.spans })));
		this.disagreements = review.disagreements(this.candidates);
		this.groups = review.boundaryGroups(this.disagreements);
		this.#byId = new Map(this.candidates.map((c) => [c.id, c]));
		// what the voters disagree on (the values of lanes that are not counted are shown, not walked)
		const votersOnly = new Set(this.voterNames);
		this.valueDiffs = this.candidates.filter(
			(c) =>
				c.annotators.length >= 2 &&
				links.differingAttributes(this.valuesOf(c).filter((x) => votersOnly.has(x.name)), this.attributeDefs(c.label)).length > 0
		);
		this.#tokens = review.wordTokens(doc.text);
		this.lanes = [
			...annotators.map((a) => ({
				name: a.annotator,
				note: `${a.status.replace('_', ' ')}${this.voterNames.includes(a.annotator) ? '' : ' · not counted'}`,
				gold: false,
				counted: this.voterNames.includes(a.annotator)
			})),
			{ name: 'gold', note: 'adjudicated', gold: true, counted: false }
		];
		this.rejectedIds = $derived(new Set(this.rejected.map(spanId)));
		this.focusedId = $derived(this.focus ? spanId(this.focus.span) : null);
		this.focusDecision = $derived(
			this.focus && this.focus.lane !== 'gold' && this.focusedId && this.#byId.has(this.focusedId)
				? review.decisionOf(this.focus.span, this.gold, this.rejectedIds)
				: null
		);
		this.focusGroup = $derived(
			this.focus && this.focus.lane !== 'gold' && this.focusedId
				? (this.groups.find((g) => g.members.some((m) => m.id === this.focusedId)) ?? null)
				: null
		);
		this.disIndex = $derived(this.focusedId ? this.disagreements.findIndex((c) => c.id === this.focusedId) : -1);
		this.items = $derived(
			this.disagreements.map((c) => ({
				candidate: c,
				decision: review.decisionOf(c, this.gold, this.rejectedIds),
				text: sliceByCodePoints(doc.text, c.start, c.end)
			}))
		);
		this.decided = $derived(this.items.filter((i) => i.decision !== 'open').length);
		this.paragraphs = $derived(
			layoutLanes(doc.text, [
				...annotators.map((a) => ({ name: a.annotator, spans: a.spans })),
				{ name: 'gold', spans: this.gold }
			])
		);
		this.openAgreed = $derived(review.acceptAgreed(this.gold, this.candidates).added);
		this.relationItems = $derived.by(() => {
			const rejected = new Set(this.rejectedRelations);
			const accepted = new Set(this.goldRelations.map(links.relationKey));
			return this.relationCandidates.map((candidate) => ({
				candidate,
				decision: accepted.has(candidate.key) ? ('accepted' as const) : rejected.has(candidate.key) ? ('rejected' as const) : ('open' as const)
			}));
		});
		this.openAgreedRelations = $derived.by(() => {
			const accepted = new Set(this.goldRelations.map(links.relationKey));
			const rejected = new Set(this.rejectedRelations);
			return this.relationCandidates.filter(
				(c) => c.agreed && !accepted.has(c.key) && !rejected.has(c.key) && !this.rejectedIds.has(spanId(c.from)) && !this.rejectedIds.has(spanId(c.to))
			);
		});
		this.relIndex = $derived(this.relFocus ? this.relationCandidates.findIndex((c) => c.key === this.relFocus!.key) : -1);
	}

	/** Each annotator's values for the span (those who have it: voters first, then the lanes not counted), for the focus card and accepts. */
	valuesOf = (span: SpanInput): ReturnType<typeof links.attrsByAnnotator> => {
		const id = spanId(span);
		const out: ReturnType<typeof links.attrsByAnnotator> = [];
		for (const { name, byId } of this.#voterSpans) {
			const s = byId.get(id);
			if (s) out.push({ name, attrs: normalizeAttrs(s.attrs) });
		}
		return out;
	};

	/**
	 * What a lane row shows under its text (issue #17): the values of its spans and
	 * the relations leaving them, for an annotator's lane from their set, for gold
	 * from the lead's decisions so far.
	 */
	laneDetails = (lane: string, spans: readonly SpanInput[]): { values: string[]; relations: string[] } => {
		const index = lane === 'gold' ? this.#goldIndex : this.#laneIndex.get(lane);
		const values: string[] = [];
		const relations: string[] = [];
		if (!index) return { values, relations };
		for (const s of spans) {
			const id = spanId(s);
			const attrs = index.attrs.get(id);
			if (attrs && Object.keys(attrs).length) values.push(`${this.#quote(s)}: ${Object.entries(attrs).map(([k, v]) => `${k} = ${String(v)}`).join(' · ')}`);
			for (const r of index.out.get(id) ?? []) relations.push(`${this.#quote(s)} → ${r.label} → ${this.#quote(r.to)}`);
		}
		return { values, relations };
	};

	#quote = (x: SpanInput) => `${x.label} “${sliceByCodePoints(this.#text, x.start, x.end)}”`;

	/** One lane's values and outgoing relations by span id (content id), built once per lane (per gold change for gold). */
	static #indexOf(spans: ReadonlyArray<SpanInput & { id?: string }>, attrsOf: (s: SpanInput & { id?: string; attrs?: unknown }) => Attrs | undefined, relations: ReadonlyArray<{ from: string; to: string; label: string }>): LaneIndex {
		const byStored = new Map(spans.map((x) => [x.id ?? spanId(x), x]));
		const attrs = new Map<string, Attrs>();
		for (const s of spans) {
			const a = attrsOf(s);
			if (a) attrs.set(spanId(s), a);
		}
		const out = new Map<string, Array<{ label: string; to: SpanInput }>>();
		for (const r of relations) {
			const [f, t] = [byStored.get(r.from), byStored.get(r.to)];
			if (!f || !t) continue;
			const id = spanId(f);
			const list = out.get(id);
			if (list) list.push({ label: r.label, to: t });
			else out.set(id, [{ label: r.label, to: t }]);
		}
		return { attrs, out };
	}

	/** The attributes the span's label defines. */
	attributeDefs = (label: string) => attributesOf(this.#labels, label);

	/** What the lead can pick for the attribute in values mode (numbered 1…9). */
	choicesFor = (span: SpanInput, index: number) => {
		const def = this.attributeDefs(span.label)[index];
		return def ? links.valueChoicesOf(def, this.valuesOf(span)) : [];
	};

	get agreedCount(): number {
		return this.candidates.length - this.disagreements.length;
	}

	look = (lane: string, span: SpanInput): SpanLook => {
		if (lane === 'gold') return { disagreement: false, decision: null };
		const c = this.#byId.get(spanId(span));
		if (!c) return { disagreement: false, decision: null }; // an uncounted annotator's span
		return { disagreement: !c.agreed, decision: review.decisionOf(c, this.gold, this.rejectedIds) };
	};

	pick = (lane: string, span: SpanInput): void => {
		this.focus = { lane, span };
		this.selection = null;
		this.relFocus = null;
		this.valuing = null;
		this.notice = null;
	};

	pickRelation = (c: links.RelationCandidate): void => {
		this.relFocus = c;
		this.focus = null;
		this.selection = null;
		this.valuing = null;
		this.notice = null;
	};

	/**
	 * The lead selected [start, end) of the document (UTF-16 offsets of its text):
	 * snapped to whole words as the annotation view does, or only trimmed when
	 * `exact` (Alt held). An empty result clears the selection.
	 */
	selectText(start: number, end: number, exact: boolean): void {
		const snapped = exact ? trimSelection(this.#text, start, end) : snapToWords(this.#text, start, end);
		if (!snapped) {
			this.selection = null;
			return;
		}
		// the dataset's rule for quote marks, as in the annotation view
		const range = exact ? snapped : applyPunctuationRule(this.#text, snapped, this.#punctuation);
		const map = new OffsetMap(this.#text);
		this.selection = { start: map.toCodePoint(range.start), end: map.toCodePoint(range.end), text: this.#text.slice(range.start, range.end) };
		this.focus = null;
	}

	/** A label key: tag the selection into gold, or relabel the gold span in focus (true when it did). */
	#label(label: string): boolean {
		if (this.selection) {
			const span = { start: this.selection.start, end: this.selection.end, label };
			this.#commit(review.withGold(this.#verdicts, review.addSpan(this.gold, span)));
			this.selection = null;
			this.focus = { lane: 'gold', span };
			return true;
		}
		if (this.focus?.lane === 'gold') {
			const before = this.focus.span;
			const after = { start: before.start, end: before.end, label };
			this.#commit(review.withGold(this.#verdicts, review.replaceSpan(this.gold, before, after)), this.#follow(before, after));
			this.focus = { lane: 'gold', span: after };
			return true;
		}
		return false;
	}

	/** Label keys act on the selection or a focused gold span (see reviewShortcutFor's `tagging`). */
	get tagging(): boolean {
		return this.selection !== null || this.focus?.lane === 'gold';
	}

	focusCandidate(i: number): void {
		const c = this.disagreements[i];
		if (c) this.pick(c.annotators[0], c);
	}

	focusRelation(i: number): void {
		const c = this.relationCandidates[i];
		if (c) this.pickRelation(c);
	}

	/** Gold as loaded (or as the server has it after a conflict): spans with their values, relations by span id. */
	#normalized(
		gold: Array<SpanInput & { attrs?: Record<string, unknown> }>,
		rejected: SpanInput[],
		relations: ReadonlyArray<links.GoldRelation>,
		rejectedRelations: string[]
	): GoldState {
		const spans = review.normalizeGold(gold);
		const attrs = new Map<string, Attrs>();
		for (const s of gold) {
			const a = normalizeAttrs(s.attrs);
			if (a) attrs.set(spanId(s), a);
		}
		return {
			gold: spans,
			rejected: review.normalizeRejected(rejected, spans),
			attrs,
			relations: relations.map(({ from, to, label }) => ({ from, to, label })),
			rejectedRelations
		};
	}

	get #verdicts(): review.Verdicts {
		return { gold: this.gold, rejected: this.rejected };
	}

	get #state(): GoldState {
		return { gold: this.gold, rejected: this.rejected, attrs: this.goldAttrs, relations: this.goldRelations, rejectedRelations: this.rejectedRelations };
	}

	#show(v: GoldState): void {
		this.gold = v.gold;
		this.rejected = v.rejected;
		this.goldAttrs = v.attrs;
		this.goldRelations = v.relations;
		this.rejectedRelations = v.rejectedRelations;
	}

	#same(a: GoldState, b: GoldState): boolean {
		// attrs hold gold spans only (#commit and #normalized keep them so): compare them as they are, in O(n log n)
		const attrs = (x: GoldState) => JSON.stringify([...x.attrs].sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)));
		// arrays and maps are replaced, never changed in place: the same one is the same value (a relation decision leaves the spans alone)
		return (
			((a.gold === b.gold && a.rejected === b.rejected) || review.sameVerdicts(a, b)) &&
			(a.relations === b.relations || JSON.stringify(a.relations) === JSON.stringify(b.relations)) &&
			a.rejectedRelations.join('\n') === b.rejectedRelations.join('\n') &&
			(a.attrs === b.attrs || attrs(a) === attrs(b))
		);
	}

	/**
	 * Every decision goes through here: one undoable step, saved soon. Relations
	 * and values of spans that left gold go with them (gold never holds a relation
	 * to a span it does not have); `extra` carries the values and relations the
	 * decision changed.
	 */
	#commit(next: review.Verdicts, extra: Partial<Omit<GoldState, 'gold' | 'rejected'>> = {}): void {
		const sameGold = next.gold === this.gold;
		const ids = sameGold ? null : this.#idsOf(next.gold);
		const given = extra.attrs ?? this.goldAttrs;
		const attrs = ids ? new Map([...given].filter(([id]) => ids.has(id))) : given;
		const relations = extra.relations ?? this.goldRelations;
		const state: GoldState = {
			...next,
			attrs,
			relations: sameGold && !extra.relations ? relations : links.pruneRelations(relations, next.gold, this.#idsOf(next.gold)),
			rejectedRelations: extra.rejectedRelations ?? this.rejectedRelations
		};
		if (this.#same(state, this.#state)) return;
		this.#undo = [...this.#undo.slice(-(UNDO_LIMIT - 1)), this.#state];
		this.#redo = [];
		this.#show(state);
		this.saver.changed();
	}

	/** The span ids of a gold array, once per array (arrays are replaced, never changed in place). */
	#idsCache = new WeakMap<SpanInput[], Set<string>>();
	#idsOf(gold: SpanInput[]): Set<string> {
		let ids = this.#idsCache.get(gold);
		if (!ids) this.#idsCache.set(gold, (ids = new Set(gold.map(spanId))));
		return ids;
	}

	/** Values a span takes into gold when accepted from `lane` (that annotator's, else the first who has it). */
	#valuesOnAccept(span: SpanInput, lane: string): Map<string, Attrs> {
		const attrs = new Map(this.goldAttrs);
		const id = spanId(span);
		if (this.gold.some((g) => spanId(g) === id)) return attrs; // already gold: its values stay as the lead left them
		const carried = links.attrsOnAccept(this.valuesOf(span), lane, this.attributeDefs(span.label));
		if (carried) attrs.set(id, carried);
		return attrs;
	}

	/**
	 * A gold span changed from `before` to `after`: its values follow when the
	 * label stays (another label defines other attributes), its relations follow
	 * when their types still allow the labels; the notice names those that went.
	 */
	#follow(before: SpanInput, after: SpanInput, values?: Attrs): Partial<Omit<GoldState, 'gold' | 'rejected'>> {
		const attrs = new Map(this.goldAttrs);
		const kept = values ?? (before.label === after.label ? this.goldAttrs.get(spanId(before)) : undefined);
		attrs.delete(spanId(before));
		if (kept) attrs.set(spanId(after), kept);
		const labelOf = (id: string) => this.gold.find((g) => spanId(g) === id)?.label;
		const { relations, dropped } = links.repointRelations(this.goldRelations, before, after, this.#types, labelOf);
		if (dropped.length) this.notice = `${dropped.length === 1 ? 'A relation' : `${dropped.length} relations`} of this span had to go: ${dropped.map((r) => r.label).join(', ')} does not allow a ${after.label} there`;
		return { attrs, relations };
	}

	/** After a conflict: the server's version is shown; undo brings the local one back (and saves it on top). */
	#takeServerVersion(server: GoldState): void {
		if (!this.#same(server, this.#state)) {
			this.#undo = [...this.#undo, this.#state];
			this.#redo = [];
		}
		this.#show(server);
	}

	undo = (): void => {
		const previous = this.#undo.at(-1);
		if (!previous) return;
		this.#undo = this.#undo.slice(0, -1);
		this.#redo = [...this.#redo, this.#state];
		this.#show(previous);
		this.saver.changed();
	};

	redo = (): void => {
		const next = this.#redo.at(-1);
		if (!next) return;
		this.#redo = this.#redo.slice(0, -1);
		this.#undo = [...this.#undo, this.#state];
		this.#show(next);
		this.saver.changed();
	};

	/** after a decision: on to the next disagreement still open */
	#advance(): void {
		const i = review.nextMatching(this.items, this.disIndex, (item) => item.decision === 'open');
		if (i >= 0) this.focusCandidate(i);
	}

	/** Into gold with its values (see #valuesOnAccept); a focused relation is accepted instead. */
	accept = (): void => {
		if (this.relFocus) return this.acceptRelation();
		if (!this.focus) return;
		this.#commit(review.acceptSpan(this.#verdicts, this.focus.span), { attrs: this.#valuesOnAccept(this.focus.span, this.focus.lane) });
		this.#advance();
	};

	/** Out of gold; a candidate is recorded as rejected (a gold-only span is just removed). Its gold relations go with it. */
	reject = (): void => {
		if (this.relFocus) return this.rejectRelation();
		if (!this.focus) return;
		const isCandidate = this.#byId.has(spanId(this.focus.span));
		this.#commit(review.rejectSpan(this.#verdicts, this.focus.span, isCandidate));
		this.#advance();
	};

	get #relationVerdicts(): links.RelationVerdicts {
		return { relations: this.goldRelations, rejected: this.rejectedRelations };
	}

	/**
	 * The focused relation into gold. Both its ends must be gold spans: ends still
	 * open are accepted with it (with the values of the annotator who drew it), a
	 * rejected end is not: the notice says which one to reopen.
	 */
	acceptRelation = (): void => {
		const c = this.relFocus;
		if (!c) return;
		const quote = (x: SpanInput) => `${x.label} “${sliceByCodePoints(this.#text, x.start, x.end)}”`;
		const result = links.acceptRelation(this.#relationVerdicts, c, this.#idsOf(this.gold), this.rejectedIds, quote);
		if (!result.ok) {
			this.notice = `This relation cannot go into gold yet: ${result.reason}.`;
			return;
		}
		let verdicts = this.#verdicts;
		let attrs = new Map(this.goldAttrs);
		for (const end of result.ends) {
			const carried = links.attrsOnAccept(this.valuesOf(end), c.annotators[0], this.attributeDefs(end.label));
			if (carried) attrs.set(spanId(end), carried);
			verdicts = review.acceptSpan(verdicts, end);
		}
		this.#commit(verdicts, { attrs, relations: result.verdicts.relations, rejectedRelations: result.verdicts.rejected });
		this.notice = result.ends.length ? `Accepted with ${result.ends.length === 1 ? 'its end' : 'both its ends'}: ${result.ends.map(quote).join(', ')}.` : null;
		this.#advanceRelation();
	};

	rejectRelation = (): void => {
		const c = this.relFocus;
		if (!c) return;
		const v = links.rejectRelation(this.#relationVerdicts, c.key, true);
		this.#commit(this.#verdicts, { relations: v.relations, rejectedRelations: v.rejected });
		this.notice = null;
		this.#advanceRelation();
	};

	reopenRelation = (): void => {
		const c = this.relFocus;
		if (!c) return;
		this.#commit(this.#verdicts, { rejectedRelations: links.reopenRelation(this.#relationVerdicts, c.key).rejected });
	};

	/** after a relation decision: on to the next relation still open */
	#advanceRelation(): void {
		const i = review.nextMatching(this.relationItems, this.relIndex, (item) => item.decision === 'open');
		if (i >= 0) {
			const notice = this.notice;
			this.focusRelation(i);
			this.notice = notice;
		}
	}

	/**
	 * Values mode for the focused span (key v): a candidate goes into gold first
	 * (with its values); then ↑/↓ walk its attributes and 1…9 pick a value.
	 */
	startValues = (): boolean => {
		if (!this.focus) {
			// nothing in focus: on to the next span whose values differ
			if (!this.valueDiffs.length) {
				this.notice = 'The annotators gave the same values everywhere (or none): focus a span and press v to set them.';
				return true;
			}
			this.#valueDiffAt = (this.#valueDiffAt + 1) % this.valueDiffs.length;
			const c = this.valueDiffs[this.#valueDiffAt];
			this.pick(c.annotators[0], c);
		}
		const span = this.focus!.span;
		if (!this.attributeDefs(span.label).length) {
			this.notice = `A ${span.label} has no attributes.`;
			return true;
		}
		const id = spanId(span);
		if (!this.gold.some((g) => spanId(g) === id)) {
			if (this.rejectedIds.has(id)) {
				this.notice = 'This span was rejected: reopen it (o) before giving it values.';
				return true;
			}
			this.#commit(review.acceptSpan(this.#verdicts, span), { attrs: this.#valuesOnAccept(span, this.focus!.lane) });
		}
		this.focus = { lane: 'gold', span: { start: span.start, end: span.end, label: span.label } };
		this.valuing = 0;
		this.notice = null;
		return true;
	};

	/** Set (or clear, with undefined) attribute `index` of the focused gold span: one undoable step. */
	setValue = (index: number, value: AttrValue | undefined): boolean => {
		if (!this.focus || this.focus.lane !== 'gold') return false;
		const span = this.focus.span;
		const def = this.attributeDefs(span.label)[index];
		if (!def) return false;
		// a value the server would refuse is not taken: gold stays savable, and the notice says why
		const problem = value === undefined ? null : attrValueProblem(def, value);
		if (problem) {
			this.notice = `${def.name}: ${problem}`;
			return true;
		}
		this.notice = null;
		const id = spanId(span);
		const attrs = new Map(this.goldAttrs);
		const next = links.withValue(attrs.get(id), def.name, value);
		if (next) attrs.set(id, next);
		else attrs.delete(id);
		this.#commit(this.#verdicts, { attrs });
		return true;
	};

	#valueKey(action: Extract<ReviewAction, { type: 'value' }>): boolean {
		if (this.valuing === null || !this.focus) return false;
		const defs = this.attributeDefs(this.focus.span.label);
		if (action.move) {
			this.valuing = Math.max(0, Math.min(defs.length - 1, this.valuing + action.move));
			return true;
		}
		if (action.clear) return this.setValue(this.valuing, undefined);
		if (action.type_in) return true; // the view puts the cursor in the attribute's field
		const choice = this.choicesFor(this.focus.span, this.valuing)[action.pick ?? -1];
		return choice ? this.setValue(this.valuing, choice.value) : false;
	}

	/** Take member `index` of the focused boundary group: into gold, the others rejected, one step. */
	pickBoundary = (index: number): boolean => {
		const group = this.focusGroup;
		const chosen = group?.members[index];
		if (!group || !chosen) return false;
		this.#commit(review.pickBoundary(this.#verdicts, group, chosen), { attrs: this.#valuesOnAccept(chosen, chosen.annotators[0]) });
		this.focus = { lane: chosen.annotators[0], span: chosen };
		this.#advance();
		return true;
	};

	/** Take back the focused candidate's rejection: it is open again. */
	reopen = (): void => {
		if (this.focus) this.#commit(review.reopenSpan(this.#verdicts, this.focus.span));
	};

	/** The edited span goes into gold; editing a gold span replaces it. */
	applyEdit = (): void => {
		if (!this.focus || !this.draft) return;
		const edited = this.draft;
		const candidate = this.focus.lane !== 'gold' && this.#byId.has(spanId(this.focus.span));
		const before = this.focus.lane === 'gold' || candidate ? this.focus.span : edited;
		// a gold span's values and relations follow it; a candidate's values are its annotator's (same label only)
		const values = this.focus.lane === 'gold' ? undefined : edited.label === this.focus.span.label ? links.attrsOnAccept(this.valuesOf(this.focus.span), this.focus.lane, this.attributeDefs(edited.label)) : undefined;
		const follow = this.focus.lane === 'gold' ? this.#follow(before, edited) : { attrs: new Map([...this.goldAttrs, ...(values ? [[spanId(edited), values] as const] : [])]) };
		this.#commit(review.editSpan(this.#verdicts, before, edited, candidate), follow);
		this.focus = { lane: 'gold', span: edited };
		this.draft = null;
	};

	acceptAgreed = (): void => {
		const { spans, added } = review.acceptAgreed(this.gold, this.candidates);
		const relations = this.openAgreedRelations;
		if (!added && !relations.length) return;
		// each agreed span with the values of the first annotator (where values differ, the lead picks later with v)
		const attrs = new Map(this.goldAttrs);
		const have = new Set(this.gold.map(spanId));
		for (const c of this.candidates) {
			if (!c.agreed || have.has(c.id)) continue;
			const carried = links.attrsOnAccept(this.valuesOf(c), c.annotators[0], this.attributeDefs(c.label));
			if (carried) attrs.set(c.id, carried);
		}
		// and every relation all voters drew: its ends are agreed spans, now in gold
		const ids = this.#idsOf(spans);
		const more = relations.filter((c) => ids.has(spanId(c.from)) && ids.has(spanId(c.to))).map((c) => ({ from: spanId(c.from), to: spanId(c.to), label: c.label }));
		this.#commit(review.withGold(this.#verdicts, spans), { attrs, relations: [...this.goldRelations, ...more].sort((x, y) => (links.relationKey(x) < links.relationKey(y) ? -1 : 1)) });
	};

	toggleDone = (): void => {
		this.saver.setStatus(this.saver.status === 'done' ? 'in_progress' : 'done');
	};

	/** Apply a key's or button's action; false when there was nothing to act on. Document navigation is the view's. */
	act(action: ReviewAction): boolean {
		switch (action.type) {
			case 'next':
			case 'previous':
				this.focusCandidate(review.step(this.disagreements.length, this.disIndex, action.type === 'next' ? 1 : -1));
				return this.disagreements.length > 0;
			case 'accept':
				this.accept();
				return this.focus !== null || this.relFocus !== null;
			case 'reject':
				this.reject();
				return this.focus !== null || this.relFocus !== null;
			case 'reopen':
				if (this.relFocus) {
					this.reopenRelation();
					return true;
				}
				this.reopen();
				return this.focus !== null;
			case 'nextRelation':
			case 'previousRelation':
				this.focusRelation(review.step(this.relationCandidates.length, this.relIndex, action.type === 'nextRelation' ? 1 : -1));
				return this.relationCandidates.length > 0;
			case 'values':
				return this.startValues();
			case 'value':
				return this.#valueKey(action);
			case 'undo':
				this.undo();
				return true;
			case 'redo':
				this.redo();
				return true;
			case 'edit':
				if (this.focus) this.draft = { ...this.focus.span };
				return this.focus !== null;
			case 'acceptAgreed':
				this.acceptAgreed();
				return true;
			case 'done':
				this.toggleDone();
				return true;
			case 'escape':
				this.notice = null;
				if (this.draft) this.draft = null;
				else if (this.valuing !== null) this.valuing = null;
				else if (this.relFocus) this.relFocus = null;
				else if (this.selection) this.selection = null;
				else this.focus = null;
				return true;
			case 'move':
				if (this.draft) this.draft = review.moveBoundary(this.#tokens, this.draft, action.edge, action.dir);
				return this.draft !== null;
			case 'label':
				if (this.draft) {
					this.draft = { ...this.draft, label: action.label };
					return true;
				}
				return this.#label(action.label);
			case 'apply':
				this.applyEdit();
				return true;
			case 'pick':
				return this.pickBoundary(action.index);
			case 'nextDocument':
			case 'previousDocument':
				return false;
		}
	}
}
