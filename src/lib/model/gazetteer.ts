/** A dataset's gazetteer: the entries a lead imported into the lexicon suggestion source. */
import type { LexiconEntry } from '../suggest/lexicon';

export interface Gazetteer {
	entries: LexiconEntry[];
	uploaded_at: string;
	uploaded_by: string;
}
