/**
 * The bench's pure figures only — 11 (the date tagger on the French TimeBank, and its speed) and 18.1,
 * 18.3, 18.4 (the suggestion sources, effort saved, the lexicon) — with no build and no server: the
 * same functions bench/run.ts calls, in a second or two.
 *
 *   node --import tsx bench/pure.ts
 *
 * It prints the test part's figures: the rules are not tuned on them (bench/dates-errors.ts is the
 * development part's report).
 */
import { formatTable, type Figure } from './lib';
import { benchDates } from './dates';
import { benchSuggestSources } from './suggestions';

const figures: Figure[] = [...benchDates(), ...benchSuggestSources()];
figures.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
console.log(formatTable(figures));
