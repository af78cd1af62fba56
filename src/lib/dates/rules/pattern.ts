/** What every language's rules are built from: word-bounded patterns with bounded white space, and values. */
import type { RuleValue } from '../tagger';

/** Not inside a word (letters or digits) on the left / on the right. */
export const B = '(?<![\\p{L}\\p{N}])';
export const E = '(?![\\p{L}\\p{N}])';

/**
 * A rule's pattern. Runs of white space are bounded (at most 4 characters
 * between two words of one expression) so that no pattern, and above all no
 * look-behind, can scan a long run of spaces from every position: every
 * pattern's cost per starting position is bounded, so a scan is linear.
 */
export const rx = (source: string) => new RegExp(B + source.replaceAll('\\s+', '\\s{1,4}').replaceAll('\\s*', '\\s{0,4}') + E, 'giu');

export const value = (type: RuleValue['type'], v: string, extra: Partial<RuleValue> = {}): RuleValue => ({ type, value: v, ...extra });
