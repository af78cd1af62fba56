/**
 * The review view's state for one document: gold (saved by the annotation
 * API's autosave after every decision), the lead's rejections, the span in
 * focus and the one being edited. The decisions themselves are pure
 * functions of $lib/review; this class wires them to runes and the saver.
 */
import { SvelteSet } from 'svelte/reactivity';
import { Autosaver } from '$lib/annotate/autosave.svelte';
import { ActivityTimer } from '$lib/annotate/activity';
import { sliceByCodePoints } from '$lib/offsets';
import { spanId } from '$lib/spans';
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

export class ReviewSession {
	gold = $state<SpanInput[]>([]);
	focus = $state<{ lane: string; span: SpanInput } | null>(null);
	draft = $state<SpanInput | null>(null);
	readonly rejected = new SvelteSet<string>();
	readonly activity = new ActivityTimer();
	readonly saver: Autosaver;

	/** who votes: the annotators who finished, when at least two did; else everyone with work */
	readonly voterNames: string[];
	readonly candidates: review.Candidate[];
	readonly disagreements: review.Candidate[];
	readonly lanes: LaneInfo[];
	readonly #byId: Map<string, review.Candidate>;
	readonly #tokens: ReturnType<typeof review.wordTokens>;

	readonly focusedId: string | null;
	readonly disIndex: number;
	readonly items: { candidate: review.Candidate; decision: review.Decision; text: string }[];
	readonly paragraphs: review.ParagraphLayout[];
	/** agreed spans gold does not have yet */
	readonly openAgreed: number;

	constructor(data: review.ReviewData) {
		const { dataset, document: doc, annotators } = data;
		this.gold = review.normalizeGold(data.gold.spans);
		this.saver = new Autosaver({
			url: `/api/datasets/${dataset.slug}/documents/${encodeURIComponent(doc.id)}/annotations/gold`,
			revision: data.gold.revision,
			status: data.gold.status,
			spans: () => this.gold.map((s) => ({ ...s, id: spanId(s), text: '' })),
			activity: this.activity,
			onConflict: (current) => (this.gold = review.normalizeGold(current.spans))
		});
		const done = annotators.filter((a) => a.status === 'done');
		const voters = done.length >= 2 ? done : annotators;
		this.voterNames = voters.map((a) => a.annotator);
		this.candidates = review.collectCandidates(voters.map((a) => ({ name: a.annotator, spans: a.spans })));
		this.disagreements = review.disagreements(this.candidates);
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
		this.focusedId = $derived(this.focus ? spanId(this.focus.span) : null);
		this.disIndex = $derived(this.focusedId ? this.disagreements.findIndex((c) => c.id === this.focusedId) : -1);
		this.items = $derived(
			this.disagreements.map((c) => ({
				candidate: c,
				decision: review.decisionOf(c, this.gold, this.rejected),
				text: sliceByCodePoints(doc.text, c.start, c.end)
			}))
		);
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
		return { disagreement: !c.agreed, decision: review.decisionOf(c, this.gold, this.rejected) };
	};

	pick = (lane: string, span: SpanInput): void => {
		this.focus = { lane, span };
	};

	focusCandidate(i: number): void {
		const c = this.disagreements[i];
		if (c) this.focus = { lane: c.annotators[0], span: c };
	}

	#setGold(next: SpanInput[]): void {
		this.gold = next;
		this.saver.changed();
	}

	/** after a decision: on to the next disagreement still open */
	#advance(): void {
		const i = review.nextMatching(this.items, this.disIndex, (item) => item.decision === 'open');
		if (i >= 0) this.focusCandidate(i);
	}

	accept = (): void => {
		if (!this.focus) return;
		this.rejected.delete(spanId(this.focus.span));
		this.#setGold(review.addSpan(this.gold, this.focus.span));
		this.#advance();
	};

	reject = (): void => {
		if (!this.focus) return;
		this.rejected.add(spanId(this.focus.span));
		if (review.hasSpan(this.gold, this.focus.span)) this.#setGold(review.removeSpan(this.gold, this.focus.span));
		this.#advance();
	};

	/** The edited span goes into gold; editing a gold span replaces it. */
	applyEdit = (): void => {
		if (!this.focus || !this.draft) return;
		const edited = this.draft;
		this.#setGold(this.focus.lane === 'gold' ? review.replaceSpan(this.gold, this.focus.span, edited) : review.addSpan(this.gold, edited));
		this.focus = { lane: 'gold', span: edited };
		this.draft = null;
	};

	acceptAgreed = (): void => {
		const { spans, added } = review.acceptAgreed(this.gold, this.candidates);
		if (added) this.#setGold(spans);
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
				else this.focus = null;
				return true;
			case 'move':
				if (this.draft) this.draft = review.moveBoundary(this.#tokens, this.draft, action.edge, action.dir);
				return this.draft !== null;
			case 'label':
				if (this.draft) this.draft = { ...this.draft, label: action.label };
				return this.draft !== null;
			case 'apply':
				this.applyEdit();
				return true;
			case 'nextDocument':
			case 'previousDocument':
				return false;
		}
	}
}
