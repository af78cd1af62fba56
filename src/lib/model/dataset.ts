/**
 * A dataset and its documents as the store keeps them (src/lib/server/store):
 * the record (title, labels, members, assignments…), the stored document and
 * the header the document index lists.
 */
import { type DocumentRecord, type Label, type RelationType, type Role } from './types';
import type { RelationTypeChange } from './relations';
import type { AttributeEdit } from './attributes';
import type { AssignmentPolicy } from '../assignments/assignment';
import type { PunctuationRule } from '../annotate/punctuationSnap';

export interface DatasetRecord {
	slug: string;
	title: string;
	description: string;
	created_at: string;
	created_by: string;
	labels: Label[];
	/** directed relation types between labels (src/lib/model/relations.ts); absent on datasets from before relations: none */
	relationTypes?: RelationType[];
	/** which suggestion sources the annotation view offers (src/lib/server/suggest/suggestions.ts); absent: the defaults */
	suggestions?: { dates?: boolean; lexicon?: boolean; cues?: boolean; runs?: string[]; imports?: boolean };
	/** correction mode: annotators start from this source's spans; absent or null: off */
	correction?: { source: string } | null;
	guidelines: string;
	/** per-dataset roles; global leads see every dataset regardless */
	members: Record<string, Role>;
	/** document id → annotators; null means every member annotator sees every document */
	assignments: Record<string, string[]> | null;
	/** quotes and punctuation around a selection in the annotation view (see $lib/punctuationSnap); absent: keep */
	punctuation?: PunctuationRule;
	/** the automatic rule new imports follow; absent or null: new documents are assigned by hand */
	assignmentPolicy?: AssignmentPolicy | null;
	/**
	 * A label change whose rewrite of the existing work has not finished yet:
	 * written with the new labels, cleared when every set follows them, and
	 * taken up again at the next start if the server stopped in between.
	 */
	labelRewrite?: {
		renamed: Array<{ from: string; to: string }>;
		removed: string[];
		/** attribute and option renames and removals (src/lib/model/attributes.ts); absent: none */
		attributes?: AttributeEdit[];
		/** relation type renames and removals (src/lib/model/relations.ts); absent: none. Relations the current types do not allow go too. */
		relationTypes?: RelationTypeChange;
		by: string;
		at: string;
	};
	/**
	 * Bumped by every change of the record (1 at creation; a record from before
	 * versions reads as 0). A label change names the version it was made from
	 * (`baseVersion`), so a change made from a stale copy is refused.
	 */
	version?: number;
}

export interface StoredDocument extends DocumentRecord {
	/** import order, for listing */
	position: number;
}

export interface DocumentHeader {
	id: string;
	title: string;
	sha256: string;
	position: number;
	length: number;
}

export interface NewDocument {
	id: string;
	title: string;
	text: string;
	meta: Record<string, unknown>;
	sha256: string;
}

/** What `datasets.create` needs; the rest of the record starts empty. */
export interface NewDataset {
	slug: string;
	title: string;
	description?: string;
	labels?: Label[];
	relationTypes?: RelationType[];
	guidelines?: string;
	createdBy: string;
}
