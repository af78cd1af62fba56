/**
 * Figure 11: the date tagger on the French TimeBank (TempEval-3 measures:
 * strict = same start and end, relaxed = overlap, value = relaxed match with
 * the same TIMEX3 value), on the test part (2002–2003 files) with the
 * development part (1999 files, which the rules were written on) beside it;
 * and its speed on ~3,000-character articles.
 *
 * The corpus is read from ../shared/corpora/fr-timebank (or
 * SPANLAB_FR_TIMEBANK); without it the figures say "not measured".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTimeml, type TimemlDocument } from '../src/lib/dates/timeml';
import { tagTemporal } from '../src/lib/dates/tagger';
import { countMatches, emptyCounts, scores } from '../src/lib/dates/evaluate';
import { median, percentile, round, type Figure } from './lib';

// the targets: HeidelTime's published figures on the French TimeBank
const TARGETS = { strict: 86.0, relaxed: 91.0, value: 73.6 };

export function benchDates(corpusDir = process.env.SPANLAB_FR_TIMEBANK || path.resolve('..', 'shared', 'corpora', 'fr-timebank')): Figure[] {
	const dataDir = path.join(corpusDir, 'Data');
	if (!existsSync(dataDir)) {
		return [{ id: '11', name: 'dates on French TimeBank', value: null, unit: '', note: `corpus not found at ${corpusDir}: not measured` }];
	}
	const files = readdirSync(dataDir).filter((f) => f.endsWith('.tml')).sort();
	const docs = files.map((f) => ({ file: f, doc: parseTimeml(readFileSync(path.join(dataDir, f), 'utf8')) }));
	const parts: Record<'test' | 'dev', Array<{ file: string; doc: TimemlDocument }>> = {
		test: docs.filter((d) => !d.file.startsWith('1999')),
		dev: docs.filter((d) => d.file.startsWith('1999'))
	};
	const pct = (x: number | null) => (x === null ? null : round(100 * x, 1));
	const measured: Record<string, ReturnType<typeof scores> & { counts: ReturnType<typeof emptyCounts> }> = {};
	for (const [name, list] of Object.entries(parts)) {
		const counts = emptyCounts();
		for (const { doc } of list) countMatches(doc.timexes, tagTemporal(doc.text, { lang: 'fr', reference: doc.dct }), counts);
		measured[name] = { ...scores(counts), counts };
	}
	const figures: Figure[] = [];
	const t = measured.test;
	const d = measured.dev;
	const c = (x: typeof t) => `${x.counts.gold} gold, ${x.counts.system} found`;
	figures.push({ id: '11', name: `dates, French TimeBank test part (${parts.test.length} docs): strict F1`, value: pct(t.strict.f1), unit: '', target: { op: '>=', value: TARGETS.strict }, note: `P ${pct(t.strict.precision)} R ${pct(t.strict.recall)}; ${c(t)}; development part: ${pct(d.strict.f1)}` });
	figures.push({ id: '11', name: 'dates, test part: relaxed F1', value: pct(t.relaxed.f1), unit: '', target: { op: '>=', value: TARGETS.relaxed }, note: `P ${pct(t.relaxed.precision)} R ${pct(t.relaxed.recall)}; development part: ${pct(d.relaxed.f1)}` });
	figures.push({ id: '11', name: 'dates, test part: value F1', value: pct(t.value.f1), unit: '', target: { op: '>=', value: TARGETS.value }, note: `type F1 ${pct(t.type.f1)}; development part: value ${pct(d.value.f1)}, type ${pct(d.type.f1)}` });
	figures.push({ id: '11', name: `dates, development part (${parts.dev.length} docs, the rules' own): strict / relaxed / value F1`, value: pct(d.strict.f1), unit: '', note: `relaxed ${pct(d.relaxed.f1)}, value ${pct(d.value.f1)}; ${c(d)}` });

	// speed: the corpus cut into ~3,000-character articles, each tagged once after a warm-up round
	const all = docs.map((x) => x.doc.text).join('\n');
	const articles: string[] = [];
	for (let i = 0; i + 3000 <= all.length; i += 3000) articles.push(all.slice(i, i + 3000));
	for (const a of articles.slice(0, 20)) tagTemporal(a, { lang: 'fr', reference: '1999-05-20' });
	const times = articles.map((a) => {
		const t0 = performance.now();
		tagTemporal(a, { reference: '1999-05-20' });
		return performance.now() - t0;
	});
	figures.push({ id: '11', name: `dates: tagging a ~3,000-character article, median (${articles.length} articles)`, value: round(median(times), 2), unit: 'ms', target: { op: '<', value: 10 } });
	figures.push({ id: '11', name: 'dates: tagging a ~3,000-character article, p99', value: round(percentile(times, 99), 2), unit: 'ms', target: { op: '<', value: 50 } });
	return figures;
}
