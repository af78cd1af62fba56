/**
 * The review view's state for one document: the lead's verdicts — gold and
 * the rejected candidates, saved together by the annotation API's autosave
 * after every decision — with undo and redo, the span in focus and the one
 * being edited. The decisions themselves are pure functions of $lib/review;
 * this class wires them to runes and the saver.
 */
import { Autosaver } from '$lib/annotate/autosave.svelte';
import { ActivityTimer } from '$lib/annotate/activity';
import { OffsetMap, sliceByCodePoints } from '$lib/offsets';
import { snapToWords, spanId, trimSelection } from '$lib/spans';
import { applyPunctuationRule, type PunctuationRule } from '$lib/punctuationSnap';
import * as review from '$lib/review';
import type { ReviewAction } from '$lib/reviewShortcuts';
import type { SpanInput } from '$lib/types';

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

export class ReviewSession {
	gold = $state.raw<SpanInput[]>([]);
	rejected = $state.raw<SpanInput[]>([]);
	focus = $state<{ lane: string; span: SpanInput } | null>(null);
	draft = $state<SpanInput | null>(null);
	/** text the lead selected in a lane (code points, snapped as in the annotation view): a label key tags it into gold */
	selection = $state<{ start: number; end: number; text: string } | null>(null);
	readonly #text: string;
	readonly #punctuation: PunctuationRule;
	#undo = $state.raw<review.Verdicts[]>([]);
	#redo = $state.raw<review.Verdicts[]>([]);
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
	readonly paragraphs: review.ParagraphLayout[];
	/** agreed spans gold does not have yet */
	readonly openAgreed: number;

	constructor(data: review.ReviewData) {
		const { dataset, document: doc, annotators } = data;
		this.#text = doc.text;
		this.#punctuation = dataset.punctuation ?? 'keep';
		this.#show(this.#normalized(data.gold.spans, data.gold.rejected));
		this.saver = new Autosaver({
			url: `/api/datasets/${dataset.slug}/documents/${encodeURIComponent(doc.id)}/annotations/gold`,
			revision: data.gold.revision,
			status: data.gold.status,
			spans: () => this.gold.map((s) => ({ ...s, id: spanId(s), text: '' })),
			rejected: () => this.rejected,
			activity: this.activity,
			onConflict: (current) => this.#takeServerVersion(this.#normalized(current.spans, current.rejected ?? []))
		});
		const done = annotators.filter((a) => a.status === 'done');
		const voters = done.length >= 2 ? done : annotators;
		this.voterNames = voters.map((a) => a.annotator);
		this.candidates = review.collectCandidates(voters.map((a) => ({ name: a.annotator, spans: a.spans })));
		this.disagreements = review.disagreements(this.candidates);
		this.groups = review.boundaryGroups(this.disagreements);
		this.#byId = new Map(this.candidates.map((c) => [c.id, c]));
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
			review.layoutLanes(doc.text, [
				...annotators.map((a) => ({ name: a.annotator, spans: a.spans })),
				{ name: 'gold', spans: this.gold }
			])
		);
		this.openAgreed = $derived(review.acceptAgreed(this.gold, this.candidates).added);
	}

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
			this.#commit(review.withGold(this.#verdicts, review.replaceSpan(this.gold, before, after)));
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
		if (c) this.focus = { lane: c.annotators[0], span: c };
	}

	#normalized(gold: SpanInput[], rejected: SpanInput[]): review.Verdicts {
		const spans = review.normalizeGold(gold);
		return { gold: spans, rejected: review.normalizeRejected(rejected, spans) };
	}

	get #verdicts(): review.Verdicts {
		return { gold: this.gold, rejected: this.rejected };
	}

	#show(v: review.Verdicts): void {
		this.gold = v.gold;
		this.rejected = v.rejected;
	}

	/** Every decision goes through here: one undoable step, saved soon. */
	#commit(next: review.Verdicts): void {
		if (review.sameVerdicts(next, this.#verdicts)) return;
		this.#undo = [...this.#undo.slice(-(UNDO_LIMIT - 1)), this.#verdicts];
		this.#redo = [];
		this.#show(next);
		this.saver.changed();
	}

	/** After a conflict: the server's version is shown; undo brings the local one back (and saves it on top). */
	#takeServerVersion(server: review.Verdicts): void {
		if (!review.sameVerdicts(server, this.#verdicts)) {
			this.#undo = [...this.#undo, this.#verdicts];
			this.#redo = [];
		}
		this.#show(server);
	}

	undo = (): void => {
		const previous = this.#undo.at(-1);
		if (!previous) return;
		this.#undo = this.#undo.slice(0, -1);
		this.#redo = [...this.#redo, this.#verdicts];
		this.#show(previous);
		this.saver.changed();
	};

	redo = (): void => {
		const next = this.#redo.at(-1);
		if (!next) return;
		this.#redo = this.#redo.slice(0, -1);
		this.#undo = [...this.#undo, this.#verdicts];
		this.#show(next);
		this.saver.changed();
	};

	/** after a decision: on to the next disagreement still open */
	#advance(): void {
		const i = review.nextMatching(this.items, this.disIndex, (item) => item.decision === 'open');
		if (i >= 0) this.focusCandidate(i);
	}

	accept = (): void => {
		if (!this.focus) return;
		this.#commit(review.acceptSpan(this.#verdicts, this.focus.span));
		this.#advance();
	};

	/** Out of gold; a candidate is recorded as rejected (a gold-only span is just removed). */
	reject = (): void => {
		if (!this.focus) return;
		const isCandidate = this.#byId.has(spanId(this.focus.span));
		this.#commit(review.rejectSpan(this.#verdicts, this.focus.span, isCandidate));
		this.#advance();
	};

	/** Take member `index` of the focused boundary group: into gold, the others rejected, one step. */
	pickBoundary = (index: number): boolean => {
		const group = this.focusGroup;
		const chosen = group?.members[index];
		if (!group || !chosen) return false;
		this.#commit(review.pickBoundary(this.#verdicts, group, chosen));
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
		this.#commit(review.editSpan(this.#verdicts, before, edited, candidate));
		this.focus = { lane: 'gold', span: edited };
		this.draft = null;
	};

	acceptAgreed = (): void => {
		const { spans, added } = review.acceptAgreed(this.gold, this.candidates);
		if (added) this.#commit(review.withGold(this.#verdicts, spans));
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
				return this.focus !== null;
			case 'reject':
				this.reject();
				return this.focus !== null;
			case 'reopen':
				this.reopen();
				return this.focus !== null;
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
				if (this.draft) this.draft = null;
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
