/**
 * What a release's exports lose (CoNLL's one label per token and its columns) and the
 * tokenizer that decides it: counted as a release is cut, recorded in its manifest, and
 * counted again at download when this runtime tokenises otherwise.
 */
import { conllLosses } from '../../release/formats';
import { WORD_DEFINITION, tokenizeWords, type WordTokens } from '../../text/words';
import type { ReleaseRecord, ReleaseTokenizer, Unrepresentable } from '../../release/record';

export function currentTokenizer(): ReleaseTokenizer {
	return { definition: WORD_DEFINITION, icu: process.versions.icu ?? null, unicode: process.versions.unicode ?? null };
}

export function sameTokenizer(a: ReleaseTokenizer | undefined, b: ReleaseTokenizer): boolean {
	return !!a && a.definition === b.definition && a.icu === b.icu && a.unicode === b.unicode;
}

/** Adds what the exports of one record lose to `into`; `words` caches the tokens of the last text (records of a document follow each other). */
export function countUnrepresentable(record: ReleaseRecord, into: Unrepresentable, words: { text: string | null; tokens?: WordTokens }): void {
	if (words.text !== record.text || !words.tokens) {
		words.tokens = tokenizeWords(record.text, words.tokens);
		words.text = record.text;
	}
	const { levels, lost } = conllLosses(record, words.tokens);
	into.conll_columns = Math.max(into.conll_columns, levels);
	into.conll_reasons.crossing += lost.crossing;
	into.conll_reasons.off_token_boundary += lost.off_token_boundary;
	into.conll_reasons.no_token += lost.no_token;
	into.conll_reasons.too_deep += lost.too_deep;
	into.conll += lost.crossing + lost.off_token_boundary + lost.no_token + lost.too_deep;
}

export function noLosses(): Unrepresentable {
	return {
		jsonl: 0,
		doccano: 0,
		prodigy: 0,
		conll: 0,
		conll_reasons: { crossing: 0, off_token_boundary: 0, no_token: 0, too_deep: 0 },
		conll_columns: 1
	};
}

