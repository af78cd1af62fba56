import type { Comment, DocumentFlag } from './notes';
/**
 * The domain's shapes, shared by client and server. Offsets in these types are
 * Unicode code point offsets into the stored document text (end exclusive),
 * unless a name says otherwise (e.g. `utf16Start`).
 */
import { DATE_ATTRIBUTES, type AttributeDef } from './attributes';

export type { Role } from './roles';

export interface Label {
	name: string;
	/** single keyboard key that applies the label, e.g. "1" */
	key: string;
	/** CSS colour, #rrggbb */
	color: string;
	description: string;
	/** the attributes a span of this label can carry (./attributes.ts); absent on labels saved before attributes existed */
	attributes?: AttributeDef[];
}

/** The statuses of an annotation set, in the order work goes through them. */
export const STATUSES = ['not_started', 'in_progress', 'done'] as const;
export type Status = (typeof STATUSES)[number];

/** A span as submitted by a client: code point offsets, end exclusive. */
export interface SpanInput {
	start: number;
	end: number;
	label: string;
}

/** A stored span: stable id plus the covered text (text == docText[start:end] in code points). */
export interface Span extends SpanInput {
	id: string;
	text: string;
	attrs?: Record<string, unknown>;
	/**
	 * where an accepted suggestion came from: `dates`, `lexicon`, `cues`,
	 * `import~<name>`, `run~<name>` (≤ 200 chars, ./relations.ts `spanSourceProblem`);
	 * absent for hand-made spans. Not part of the span's identity (its id).
	 */
	source?: string;
}

/**
 * A directed relation type of a dataset: `from` and `to` are the label names its
 * endpoints may have; `key` starts a link in the annotation view (./relations.ts).
 */
export interface RelationType {
	name: string;
	key: string;
	from: string[];
	to: string[];
}

/**
 * A stored relation between two spans of the same set: `from`/`to` are span ids,
 * `label` a relation type's name, `id` = relationId(from, to, label) (./relations.ts).
 */
export interface Relation {
	id: string;
	from: string;
	to: string;
	label: string;
}

/** A suggestion the annotator rejected, so it is not offered again (code point offsets). */
export interface DismissedSuggestion {
	start: number;
	end: number;
	label: string;
	source: string;
}

export interface DocumentRecord {
	id: string;
	title: string;
	text: string;
	meta: Record<string, unknown>;
	sha256: string;
	created_at: string;
}

export interface DocumentSummary {
	id: string;
	title: string;
	status: Status;
}

/** One annotator's (or the gold set's) annotations of one document. */
export interface AnnotationSet {
	annotator: string;
	revision: number;
	status: Status;
	spans: Span[];
	updated_at: string | null;
	updated_by: string | null;
	/** active annotation time in seconds */
	active_seconds: number;
	/**
	 * gold only: candidate spans the lead rejected (never in `spans`, never
	 * released); absent on other sets and on gold saved before rejections were kept
	 */
	rejected?: Span[];
	/**
	 * gold only: relation candidates the lead rejected, as keys
	 * `${fromSpanId}>${toSpanId}:${label}` (src/lib/review/reviewRelations.ts relationKey),
	 * sorted, never one of `relations`, never released; absent: none
	 */
	rejectedRelations?: string[];
	/** the annotator's flag on the document (skip, with a reason); absent: none (see ./notes.ts) */
	flag?: DocumentFlag;
	/** comments on the document or a span; absent: none */
	comments?: Comment[];
	/** relations between spans of `spans`, in sortRelations order (./relations.ts); absent: none */
	relations?: Relation[];
	/** suggestions the annotator rejected, sorted by start, end, label, source; absent: none */
	dismissed?: DismissedSuggestion[];
}

/** One entry of an annotation set's history; `spans` is the full state after the change. */
export interface Revision {
	revision: number;
	at: string;
	by: string;
	status: Status;
	spans: Span[];
	/** what changed against the previous revision, for humans */
	added: number;
	removed: number;
	relabelled: number;
	/** spans kept (same id) whose attrs changed; absent when none did */
	reattributed?: number;
	/** gold only: the rejections after the change */
	rejected?: Span[];
	/** gold only: the rejected relation candidates after the change, when there are any */
	rejectedRelations?: string[];
	/** the flag and comments after the change, when there are any */
	flag?: DocumentFlag;
	comments?: Comment[];
	/** the relations and dismissed suggestions after the change, when there are any */
	relations?: Relation[];
	dismissed?: DismissedSuggestion[];
	/** relations that came and went against the previous revision; absent when none did */
	relationsAdded?: number;
	relationsRemoved?: number;
}

export const DEFAULT_LABELS: Label[] = [
	{ name: 'claim', key: '1', color: '#e8590c', description: 'A statement presented as fact that could be checked.' },
	{ name: 'attribution', key: '2', color: '#1c7ed6', description: 'Who says it: the source a claim is attributed to.' },
	{ name: 'framing', key: '3', color: '#9c36b5', description: 'Wording that frames events or actors (loaded terms, euphemisms).' },
	{ name: 'date', key: '4', color: '#2b8a3e', description: 'A date or time expression.', attributes: DATE_ATTRIBUTES }
];

/** The relation types of a new dataset (and the demo): an attribution is the source of a claim. */
export const DEFAULT_RELATION_TYPES: RelationType[] = [{ name: 'source-of', key: 's', from: ['attribution'], to: ['claim'] }];

export const GOLD = 'gold';
