/**
 * Figures 18 (issue #18): suggestions.
 *  18.1  the suggestion sources (dates, lexicon, cues) on ~3,000-character articles: median and p99
 *  18.2  GET …/suggestions on the 50,000-character article (server; first request and warm median)
 *  18.3  effort saved on the French TimeBank test part (date suggestions against tagging by hand)
 *  18.4  lexicon precision and recall, leave-one-document-out, on the French TimeBank (label date)
 *
 * The corpus is read from ../shared/corpora/fr-timebank (or SPANLAB_FR_TIMEBANK);
 * without it those figures say "not measured". Nothing here tunes a rule:
 * the test part is only measured.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTimeml, type TimemlDocument } from '../src/lib/dates/timeml';
import { tagTemporal } from '../src/lib/dates/tagger';
import { buildLexicon, cuesSource, datesSource, lexiconSource, suggest } from '../src/lib/suggest';
import { countEffort, effortSaved, emptyEffort } from '../src/lib/suggest/effort';
import { Client } from '../tests/helpers/server';
import { median, percentile, round, timeIt, type Figure } from './lib';
import { LONG_DOC, LONG_SLUG } from './load';

const LABELS = ['claim', 'attribution', 'framing', 'date'];

function corpus(corpusDir: string): Array<{ file: string; doc: TimemlDocument }> | null {
	const dataDir = path.join(corpusDir, 'Data');
	if (!existsSync(dataDir)) return null;
	return readdirSync(dataDir)
		.filter((f) => f.endsWith('.tml'))
		.sort()
		.map((f) => ({ file: f, doc: parseTimeml(readFileSync(path.join(dataDir, f), 'utf8')) }));
}

const entriesOf = (doc: TimemlDocument) => doc.timexes.map((t) => ({ text: t.text, label: 'date' }));

export function benchSuggestSources(corpusDir = process.env.SPANLAB_FR_TIMEBANK || path.resolve('..', 'shared', 'corpora', 'fr-timebank')): Figure[] {
	const docs = corpus(corpusDir);
	if (!docs) return [{ id: '18', name: 'suggestions on French TimeBank', value: null, unit: '', note: `corpus not found at ${corpusDir}: not measured` }];
	const figures: Figure[] = [];
	const test = docs.filter((d) => !d.file.startsWith('1999'));

	// 18.1: every pure source on ~3,000-character articles (the tagger runs; nothing precomputed)
	const lexicon = buildLexicon(docs.flatMap((d) => entriesOf(d.doc)));
	const all = docs.map((x) => x.doc.text).join('\n');
	const articles: string[] = [];
	for (let i = 0; i + 3000 <= all.length; i += 3000) articles.push(all.slice(i, i + 3000));
	const sources = [datesSource, lexiconSource(), cuesSource];
	const run = (text: string) => suggest({ text, meta: {} }, { labels: LABELS, lang: 'fr', reference: '1999-05-20', lexicon, relationTypes: [{ name: 'source-of', from: ['attribution'], to: ['claim'] }] }, sources);
	for (const a of articles.slice(0, 20)) run(a);
	let count = 0;
	const times = articles.map((a) => {
		const t0 = performance.now();
		count += run(a).length;
		return performance.now() - t0;
	});
	const note = `dates + lexicon (${lexicon.size} strings) + cues; ${articles.length} articles, ${round(count / articles.length, 1)} suggestions each`;
	figures.push({ id: '18.1', name: 'suggestions: every source on a ~3,000-character article, median', value: round(median(times), 2), unit: 'ms', target: { op: '<', value: 10 }, note });
	figures.push({ id: '18.1', name: 'suggestions: every source on a ~3,000-character article, p99', value: round(percentile(times, 99), 2), unit: 'ms', target: { op: '<', value: 50 } });

	// 18.3: effort on the test part, date suggestions (the tagger) against tagging by hand; the development part beside it
	const effortOf = (part: typeof docs) => {
		const effort = emptyEffort();
		for (const { doc } of part) {
			const suggested = tagTemporal(doc.text, { lang: 'fr', reference: doc.dct }).map((e) => ({ start: e.start, end: e.end, value: e.value }));
			countEffort(
				doc.timexes.map((t) => ({ start: t.start, end: t.end, value: t.value })),
				suggested,
				effort
			);
		}
		return effort;
	};
	const effortNote = (e: ReturnType<typeof emptyEffort>) => {
		const c = e.counts;
		return `${e.with} actions with suggestions vs ${e.without} without (accepted ${c.accepted}, rejected ${c.rejected}, boundaries fixed ${c.boundariesFixed}, values typed ${c.valuesTyped}, tagged by hand ${c.taggedByHand})`;
	};
	const effort = effortOf(test);
	const dev = docs.filter((d) => d.file.startsWith('1999'));
	const devEffort = effortOf(dev);
	figures.push({
		id: '18.3',
		name: `effort saved by date suggestions, French TimeBank test part (${test.length} docs)`,
		value: round(effortSaved(effort), 1),
		unit: '%',
		target: { op: '>=', value: 60 },
		note: `${effortNote(effort)}; development part: ${round(effortSaved(devEffort), 1)} %`
	});
	figures.push({
		id: '18.3',
		name: `effort saved by date suggestions, development part (${dev.length} docs, the rules' own)`,
		value: round(effortSaved(devEffort), 1),
		unit: '%',
		note: effortNote(devEffort)
	});

	// 18.3 beside it: the dates and the dataset lexicon together, as an annotator meets them working through the test
	// part in order: the lexicon knows only what this annotator accepted in the documents before (their own spans,
	// here the gold of those documents); its matches yield to the tagger's overlapping dates (src/lib/suggest/index.ts)
	const withLexicon = (() => {
		const learnt = buildLexicon([]);
		const effort = emptyEffort();
		for (const { doc } of test) {
			const suggestedHere = suggest({ text: doc.text, meta: {} }, { labels: ['date'], lang: 'fr', reference: doc.dct, lexicon: learnt }, [datesSource, lexiconSource()]);
			countEffort(
				doc.timexes.map((t) => ({ start: t.start, end: t.end, value: t.value })),
				suggestedHere.map((x) => ({ start: x.start, end: x.end, value: x.attrs?.value })),
				effort
			);
			learnt.add(entriesOf(doc));
		}
		return effort;
	})();
	figures.push({
		id: '18.3',
		name: `effort saved, test part, dates and the lexicon the annotator's own accepted spans teach (documents in order)`,
		value: round(effortSaved(withLexicon), 1),
		unit: '%',
		note: effortNote(withLexicon)
	});

	// 18.4: the lexicon, leave-one-document-out: built from every other document's gold
	let suggested = 0;
	let gold = 0;
	let strict = 0;
	let relaxed = 0;
	for (const { doc } of docs) {
		const found = lexicon.match(doc.text, ['date'], entriesOf(doc));
		suggested += found.length;
		gold += doc.timexes.length;
		const exact = new Set(doc.timexes.map((t) => `${t.start}:${t.end}`));
		for (const f of found) {
			if (exact.has(`${f.start}:${f.end}`)) strict++;
			if (doc.timexes.some((t) => t.start < f.end && f.start < t.end)) relaxed++;
		}
	}
	const pct = (a: number, b: number) => (b === 0 ? null : round((100 * a) / b, 1));
	figures.push({
		id: '18.4',
		name: `lexicon precision, leave-one-document-out (French TimeBank, ${docs.length} docs, label date), strict`,
		value: pct(strict, suggested),
		unit: '%',
		note: `${suggested} suggested, ${strict} exact; relaxed (overlap) precision ${pct(relaxed, suggested)} %`
	});
	figures.push({
		id: '18.4',
		name: 'lexicon recall, leave-one-document-out, strict',
		value: pct(strict, gold),
		unit: '%',
		note: `${gold} gold date expressions`
	});
	return figures;
}

/** 18.2: GET …/suggestions on the long article, as its annotator (2,000 spans of theirs feed the lexicon). */
export async function benchSuggestionsGet(opts: { url: string; annotator: string; iterations: number; chars: number }): Promise<Figure[]> {
	// every rule source on (a dataset without settings has dates only)
	const lead = await new Client(opts.url).login('lead');
	const on = await lead.call('PUT', `/api/datasets/${LONG_SLUG}/suggestion-settings`, { suggestions: { dates: true, lexicon: true, cues: true } });
	if (on.status !== 200) throw new Error(`PUT suggestion-settings: ${on.status}`);
	const client = await new Client(opts.url).login(opts.annotator);
	const url = `/api/datasets/${LONG_SLUG}/documents/${LONG_DOC}/suggestions`;
	const first = await timeIt(() => client.call('GET', url));
	if (first.result.status !== 200) throw new Error(`GET suggestions: ${first.result.status}`);
	const times: number[] = [];
	for (let i = 0; i < opts.iterations; i++) {
		const r = await timeIt(() => client.call('GET', url));
		if (r.result.status !== 200) throw new Error(`GET suggestions: ${r.result.status}`);
		times.push(r.ms);
	}
	// after a save of the caller's set (its last span out, then back): the lexicon is brought up to date and the union computed again
	const setUrl = `/api/datasets/${LONG_SLUG}/documents/${LONG_DOC}/annotations/me`;
	const afterSave: number[] = [];
	type InputSpan = { start: number; end: number; label: string; attrs?: unknown; source?: string };
	let removed: InputSpan | undefined;
	for (let i = 0; i < 6; i++) {
		const set = (await client.call('GET', setUrl)).json as { revision: number; spans: InputSpan[] };
		const spans: InputSpan[] = set.spans.map(({ start, end, label, attrs, source }) => ({ start, end, label, ...(attrs ? { attrs } : {}), ...(source ? { source } : {}) }));
		if (removed) {
			spans.push(removed);
			removed = undefined;
		} else {
			removed = spans.pop();
		}
		const put = await client.call('PUT', setUrl, { baseRevision: set.revision, spans });
		if (put.status !== 200) throw new Error(`PUT set: ${put.status}`);
		const r = await timeIt(() => client.call('GET', url));
		if (r.result.status !== 200) throw new Error(`GET suggestions: ${r.result.status}`);
		afterSave.push(r.ms);
	}
	const n = first.result.json.suggestions.length;
	return [
		{ id: '18.2', name: `GET …/suggestions on the ${opts.chars.toLocaleString('en-US')}-character article, median`, value: round(median(times), 1), unit: 'ms', target: { op: '<', value: 50 }, note: `${n} suggestions; ${opts.iterations} requests after the first, served from the union cached per document, caller, settings and lexicon state (the caller's set read each time)` },
		{ id: '18.2', name: 'GET …/suggestions right after a save of the caller’s set, median', value: round(median(afterSave), 1), unit: 'ms', note: `${afterSave.length} saves (the last span out, then back: the set ends as it was)` },
		{ id: '18.2', name: 'GET …/suggestions, first request (tagger and lexicon built)', value: round(first.ms, 1), unit: 'ms', note: 'the tagger runs once per text, reference date and language; the lexicon once per caller, then set by set after saves' }
	];
}
