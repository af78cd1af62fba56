/**
 * Suggestion sources: small pure modules behind one interface. A source looks
 * at a document (and what the context gives it) and proposes spans; the
 * server (src/lib/server/suggest/suggestions.ts) picks the enabled sources of a
 * dataset, runs them for the caller and leaves out what the caller already
 * has or dismissed. Offsets are code point offsets, end exclusive.
 */
import type { TaggerLanguage } from '../dates/language';
import type { TemporalExpression } from '../dates/tagger';
import type { Lexicon } from './lexicon';

export interface SuggestDocument {
	text: string;
	meta: Record<string, unknown>;
}

/** A suggested span, before the source name is attached. */
export interface Suggested {
	start: number;
	end: number;
	label: string;
	attrs?: Record<string, string>;
	/** 0..1: how sure the source is */
	score: number;
	/** a relation this span would start, to another (suggested or existing) span given by its offsets and label */
	relation?: { label: string; to: { start: number; end: number; label: string } };
}

/** A relation type as the shared contract describes it (directed, labels by name). */
export interface SuggestRelationType {
	name: string;
	from: string[];
	to: string[];
}

export interface SuggestContext {
	/** the dataset's label names: a source proposes only these */
	labels: readonly string[];
	lang: TaggerLanguage;
	/** the document's reference date (YYYY-MM-DD) or null */
	reference: string | null;
	relationTypes?: readonly SuggestRelationType[];
	/** the dates source's expressions when the caller computed them already (sliced, cached) */
	temporal?: readonly TemporalExpression[];
	lexicon?: Lexicon;
}

export interface SuggestionSource {
	/** the name each of its suggestions carries as `source`: `dates`, `lexicon`, `cues`, `import~<name>`, `run~<name>` */
	name: string;
	suggest(document: SuggestDocument, context: SuggestContext): Suggested[];
	/**
	 * Its suggestions give way to another source's that overlap them with the same label (the lexicon: a string
	 * match, where the date tagger's span has a value and a model's its own boundaries); one of them would
	 * always be rejected. The same offsets are merged as always (`suggest` in ./index.ts).
	 */
	yields?: boolean;
}

/** A suggestion as the API returns it. */
export interface Suggestion extends Suggested {
	text: string;
	source: string;
}
