/**
 * A dataset's work as the store summarises and streams it: one set's summary
 * (progress, assignments), a document with its sets (releases, agreement), a
 * page of a set's revision history.
 */
import type { AnnotationSet, Revision, Status } from './types';
import type { FlagReason } from './notes';
import type { StoredDocument } from './dataset';

export interface SetSummary {
	annotator: string;
	status: Status;
	revision: number;
	spans: number;
	updated_at: string | null;
	active_seconds: number;
	/** the annotator flagged the document (skip): the reason; absent: not flagged */
	flag?: FlagReason;
	/** distinct labels of the reviewed spans, sorted (the document list's `label` filter; src/lib/documents/facts.ts) */
	labels: string[];
	/** the reviewed spans' keys, compact (`disagreement`, `sort=agreement`; src/lib/agreement/documentAgreement.ts) */
	keys: string;
}

/** A page holds at most `maxSpans` spans in all (always one revision at least): no bigger than one full set's GET. */
export const REVISIONS_PAGE = { defaultLimit: 20, maxLimit: 100, maxSpans: 20_000 };

export interface RevisionPage {
	/** oldest first, each with its full span list */
	revisions: Revision[];
	/** pass as `before` for the page of earlier revisions; null when this page reaches the first one */
	nextBefore: number | null;
}

export interface DocumentWork {
	document: StoredDocument;
	/** sets in annotator order (gold included when asked for) */
	sets: AnnotationSet[];
}

export interface CorpusFilter {
	/** which annotators' sets to include; default: all, gold included */
	annotator?: (name: string) => boolean;
	/** which statuses to include; default: all with at least one revision */
	status?: (status: Status) => boolean;
	/** skip documents that end up with no sets */
	skipEmpty?: boolean;
	/** which documents to read, judged on the summaries of their chosen sets, before anything is read */
	document?: (chosen: readonly SetSummary[]) => boolean;
}
