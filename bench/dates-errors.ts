/**
 * The date tagger's errors on the French TimeBank's DEVELOPMENT part only
 * (the 1999 files): value errors, boundary errors, misses and false alarms,
 * by category, with the sentence around each. For writing and tuning rules;
 * it never opens a test-part (2002–2003) file: the list of files is filtered
 * on the name before any file is read, and the filter is not an option.
 *
 *   node --import tsx bench/dates-errors.ts [category]    (value | boundary | miss | false)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTimeml } from '../src/lib/dates/timeml';
import { tagTemporal, type TemporalExpression } from '../src/lib/dates/tagger';
import { countMatches, emptyCounts, scores } from '../src/lib/dates/evaluate';
import { countEffort, effortSaved, emptyEffort } from '../src/lib/suggest/effort';

const DEV = /^1999-.*\.tml$/;
const corpusDir = process.env.SPANLAB_FR_TIMEBANK || path.resolve('..', 'shared', 'corpora', 'fr-timebank');
const dataDir = path.join(corpusDir, 'Data');
const only = process.argv[2] ?? null;

const files = readdirSync(dataDir).filter((f) => DEV.test(f)).sort();
const out: Record<string, string[]> = { value: [], boundary: [], miss: [], false: [] };
const cp = (s: string) => [...s];
const counts = emptyCounts();
const effort = emptyEffort();

for (const file of files) {
	const doc = parseTimeml(readFileSync(path.join(dataDir, file), 'utf8'));
	const chars = cp(doc.text);
	const around = (start: number, end: number) =>
		(chars.slice(Math.max(0, start - 70), start).join('') + '[' + chars.slice(start, end).join('') + ']' + chars.slice(end, end + 50).join('')).replace(/\s+/g, ' ');
	const system: TemporalExpression[] = tagTemporal(doc.text, { lang: 'fr', reference: doc.dct });
	countMatches(doc.timexes, system, counts);
	countEffort(doc.timexes, system, effort);
	const used = new Set<number>();
	for (const g of doc.timexes) {
		let best = -1;
		let bestOverlap = 0;
		system.forEach((s, i) => {
			const o = Math.min(g.end, s.end) - Math.max(g.start, s.start);
			if (o > bestOverlap && !used.has(i)) [best, bestOverlap] = [i, o];
		});
		if (best < 0) {
			out.miss.push(`${file} (dct ${doc.dct}) ${g.type} ${g.value}: ${around(g.start, g.end)}`);
			continue;
		}
		used.add(best);
		const s = system[best];
		if (s.start !== g.start || s.end !== g.end) out.boundary.push(`${file} gold «${g.text}» system «${s.text}»: ${around(g.start, g.end)}`);
		if (s.value !== g.value) out.value.push(`${file} (dct ${doc.dct}) gold ${g.type} ${g.value} system ${s.type} ${s.value} (${s.text}): ${around(g.start, g.end)}`);
	}
	system.forEach((s, i) => {
		if (!used.has(i)) out.false.push(`${file} ${s.type} ${s.value}: ${around(s.start, s.end)}`);
	});
}

for (const [category, lines] of Object.entries(out)) {
	if (only && category !== only) continue;
	console.log(`\n== ${category}: ${lines.length}`);
	for (const line of lines) console.log(line);
}

const sc = scores(counts);
const pct = (x: number | null) => (x === null ? '—' : (100 * x).toFixed(1));
console.log(`\ndevelopment part (${files.length} files): strict F1 ${pct(sc.strict.f1)}, relaxed ${pct(sc.relaxed.f1)}, value ${pct(sc.value.f1)}; ${counts.gold} gold, ${counts.system} found`);
console.log(`effort saved ${effortSaved(effort).toFixed(1)} % (${effort.with} vs ${effort.without}; ${JSON.stringify(effort.counts)})`);
