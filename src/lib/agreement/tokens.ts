/**
 * Tokens for token-level agreement: the one tokenizer (src/lib/text/tokens.ts),
 * plus the marking of spans onto tokens that agreement counts with.
 */
import { firstTokenEndingAfter, type TokenOffsets } from '../text/tokens';

export { firstTokenEndingAfter, tokenizeOffsets, type TokenBounds as Token, type TokenOffsets } from '../text/tokens';

/** Tokens of `text` as {start, end} in code points (end exclusive). */
export { tokenBounds as tokenize } from '../text/tokens';

/**
 * Set bit `label` in `masks` (W words per token) for every token that overlaps
 * [start, end) by at least one code point, and set `covered[token]` to 1 for
 * those tokens when `covered` is given.
 */
export function markSpan(
	tokens: TokenOffsets,
	start: number,
	end: number,
	label: number,
	words: number,
	masks: Uint32Array,
	covered?: Uint8Array
): void {
	if (end <= start) return;
	const word = label >>> 5;
	const bit = (1 << (label & 31)) >>> 0;
	const starts = tokens.starts;
	for (let k = firstTokenEndingAfter(tokens, start); k < tokens.count && starts[k] < end; k++) {
		masks[k * words + word] |= bit;
		if (covered) covered[k] = 1;
	}
}
