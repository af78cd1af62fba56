/**
 * Suggestions for the document a caller is annotating: the union of the
 * dataset's enabled sources ($lib/suggest), for that caller.
 *
 *   GET /api/datasets/{slug}/documents/{id}/suggestions → { suggestions: [{start, end, label, text, attrs?, source, score, relation?}] }
 *
 * Same access as reading the document. Left out: a suggestion the caller
 * already has (a span of theirs with that label overlapping it, or any span
 * of theirs with the same offsets) and one they dismissed (same offsets and
 * label, any source).
 *
 * Sources, as the dataset's `suggestions` settings switch them (docs/api.md):
 *  - dates: the temporal tagger on slices of the text (cut at line ends) with
 *    a turn of the event loop between slices, cached per text, reference date
 *    and language;
 *  - lexicon: the surface strings of gold spans and of the caller's OWN spans
 *    in the whole dataset (never another annotator's: blind annotation), plus
 *    the lead's gazetteer; the document's own gold is left out on that
 *    document. Kept per (dataset, caller) and brought up to date set by set
 *    from the revision numbers, so a request after a save reads one set;
 *  - cues: attribution cues (and a `source-of` relation to the adjacent quote
 *    when the dataset has that relation type);
 *  - imports (`import~<source>` sets of the document) and the chosen
 *    prediction runs (`run~<name>`).
 */
import { openDocument } from '../annotate/annotate';
import { datasetSummaries, importSetsOf, loadSet, listRuns, getRunManifest, store, readGazetteer, removeGazetteer, writeGazetteer, listDocumentHeaders, updateDataset, type DatasetRecord, withLock } from '../store';
import { badRequest, tooLarge } from '../http/errors';
import { isHighSurrogate } from '../../text/offsets';
import type { SessionUser } from '../auth/auth';
import { requireDatasetLead, type DatasetAccess, type Later } from '../auth/access';
import { tagTemporal, type TemporalExpression } from '../../dates/tagger';
import { detectLanguage, taggerLanguage, type TaggerLanguage } from '../../dates/language';
import { parseDay } from '../../dates/calendar';
import { GOLD, type Span } from '../../model/types';
import { relationTypesOf } from '../../model/relations';
import {
	buildLexicon,
	cuesSource,
	datesSource,
	forCaller,
	lexiconSource,
	parseGazetteer,
	setSource,
	suggest,
	type Lexicon,
	type LexiconEntry,
	type SourceSpan,
	type Suggestion,
	type SuggestionSource
} from '../../suggest';
import { MAX_GAZETTEER_BYTES } from '../../suggest/lexicon';
import {
	isUnreviewed,
	resolveSuggestionSettings,
	suggestionSettingsSchema,
	type CorrectionSettings,
	type ResolvedSuggestionSettings,
	type SuggestionSettingsInput
} from '../../suggest/settings';

export type { Suggestion } from '../../suggest';

const SLICE = 20_000;
const CACHE_SIZE = 200;
const cache = new Map<string, TemporalExpression[]>();

/** The reference date of a document: `meta.date`, else `meta.published_at`, else none. */
export function referenceDate(meta: Record<string, unknown>): string | null {
	for (const key of ['date', 'published_at']) {
		const v = Object.hasOwn(meta, key) ? meta[key] : undefined;
		if (typeof v === 'string' && parseDay(v.slice(0, 10))) return v.slice(0, 10);
	}
	return null;
}

function codePoints(s: string): number {
	let n = 0;
	for (const _ of s) n++;
	return n;
}

/** Tags `text` slice by slice, yielding to the event loop between slices. Offsets in code points. */
export async function tagDocument(text: string, lang: TaggerLanguage, reference: string | null): Promise<TemporalExpression[]> {
	const out: TemporalExpression[] = [];
	let from = 0;
	let cpOffset = 0;
	while (from < text.length) {
		let to = Math.min(text.length, from + SLICE);
		if (to < text.length) {
			const newline = text.lastIndexOf('\n', to);
			const space = text.lastIndexOf(' ', to);
			to = newline > from + SLICE / 2 ? newline + 1 : space > from ? space + 1 : to;
			// never cut a surrogate pair
			const c = text.charCodeAt(to - 1);
			if (isHighSurrogate(c)) to++;
		}
		const slice = text.slice(from, to);
		for (const e of tagTemporal(slice, { lang, reference })) out.push({ ...e, start: e.start + cpOffset, end: e.end + cpOffset });
		cpOffset += codePoints(slice);
		from = to;
		if (from < text.length) await new Promise((r) => setImmediate(r));
	}
	return out;
}

async function temporalOf(doc: { text: string; sha256: string }, lang: TaggerLanguage, reference: string | null): Promise<TemporalExpression[]> {
	const key = `${doc.sha256}|${lang}|${reference ?? ''}`;
	let found = cache.get(key);
	if (found) {
		cache.delete(key);
		cache.set(key, found);
		return found;
	}
	found = await tagDocument(doc.text, lang, reference);
	cache.set(key, found);
	if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
	return found;
}

// ---------------------------------------------------------------------------
// the lexicon of one caller: gold + the caller's own spans + the gazetteer

interface LexiconState {
	lexicon: Lexicon;
	/** `${docId}\n${annotator}` → the revision read and the entries it gave */
	sets: Map<string, { revision: number; entries: LexiconEntry[] }>;
	gazetteer: { stamp: string; entries: LexiconEntry[] } | null;
}

/** callers' lexicons kept (each holds gold's strings and the caller's own) */
const LEXICONS = 20;
const lexicons = new Map<string, LexiconState>();

/** The entries a set gives the lexicon: its accepted spans (correction mode's unreviewed ones are not accepted). */
export function lexiconEntriesOf(spans: readonly Span[]): LexiconEntry[] {
	return spans.filter((s) => !isUnreviewed(s)).map((s) => ({ text: s.text, label: s.label }));
}

/**
 * The lexicon `annotator` may be suggested from: gold and their own sets only.
 * Whose sets are read is decided here, once: nobody else's spans ever enter it.
 */
export async function lexiconFor(slug: string, annotator: string): Promise<{ lexicon: Lexicon; goldOf: (docId: string) => LexiconEntry[] }> {
	const key = `${slug}\n${annotator}`;
	return withLock(`lexicon:${key}`, async () => {
		let state = lexicons.get(key);
		if (!state) state = { lexicon: buildLexicon(), sets: new Map(), gazetteer: null };
		lexicons.delete(key);
		lexicons.set(key, state);
		if (lexicons.size > LEXICONS) lexicons.delete(lexicons.keys().next().value!);
		const whose = annotator === GOLD ? [GOLD] : [GOLD, annotator];
		const present = new Set<string>();
		for (const [docId, perDoc] of await datasetSummaries(slug)) {
			for (const who of whose) {
				const summary = perDoc.get(who);
				if (!summary) continue;
				const setKey = `${docId}\n${who}`;
				present.add(setKey);
				const known = state.sets.get(setKey);
				if (known?.revision === summary.revision) continue;
				if (known) state.lexicon.add(known.entries, -1);
				const entries = lexiconEntriesOf((await loadSet(slug, docId, who)).spans);
				state.lexicon.add(entries);
				state.sets.set(setKey, { revision: summary.revision, entries });
			}
		}
		for (const [setKey, known] of state.sets) {
			if (present.has(setKey)) continue;
			state.lexicon.add(known.entries, -1);
			state.sets.delete(setKey);
		}
		const gazetteer = await readGazetteer(slug);
		if ((gazetteer?.stamp ?? null) !== (state.gazetteer?.stamp ?? null)) {
			if (state.gazetteer) state.lexicon.add(state.gazetteer.entries, -1);
			state.gazetteer = gazetteer ? { stamp: gazetteer.stamp, entries: gazetteer.gazetteer.entries } : null;
			if (state.gazetteer) state.lexicon.add(state.gazetteer.entries);
		}
		const sets = state.sets;
		return { lexicon: state.lexicon, goldOf: (docId: string) => sets.get(`${docId}\n${GOLD}`)?.entries ?? [] };
	});
}

/** Forget cached lexicons (tests switch data folders). */
export function resetSuggestionCaches(): void {
	lexicons.clear();
	runs.clear();
	unions.clear();
	cache.clear();
}

// ---------------------------------------------------------------------------
// prediction runs, read once per run file

const RUNS = 10;
const runs = new Map<string, Map<string, SourceSpan[]>>();

async function runSpans(slug: string, run: string): Promise<Map<string, SourceSpan[]> | null> {
	let manifest;
	try {
		manifest = await getRunManifest(slug, run);
	} catch {
		return null; // a run named in the settings that is gone: no suggestions from it
	}
	const key = `${slug}\n${manifest.file}`;
	let spans = runs.get(key);
	if (!spans) {
		spans = (await store.runs.load(slug, run)).spans;
		runs.set(key, spans);
		if (runs.size > RUNS) runs.delete(runs.keys().next().value!);
	}
	return spans;
}

/** A source's spans for one document: `run~<name>` or `import~<source>` (correction mode reads them too). */
export async function sourceSpans(slug: string, docId: string, source: string): Promise<SourceSpan[]> {
	if (source.startsWith('run~')) return (await runSpans(slug, source.slice(4)))?.get(docId) ?? [];
	if (source.startsWith('import~')) {
		const sets = await importSetsOf(slug, docId);
		if (!sets.some((s) => s.annotator === source)) return [];
		return (await loadSet(slug, docId, source)).spans;
	}
	return [];
}

// ---------------------------------------------------------------------------

export function suggestionSettingsOf(dataset: DatasetRecord): { suggestions: ResolvedSuggestionSettings; correction: CorrectionSettings | null } {
	return { suggestions: resolveSuggestionSettings(dataset.suggestions), correction: dataset.correction ?? null };
}

/** the union of a document's sources for one caller, by everything it depends on (runs are immutable) */
const UNIONS = 100;
const unions = new Map<string, Suggestion[]>();

export async function suggestionsFor(user: SessionUser | null, slug: string, id: string): Promise<{ suggestions: Suggestion[] }> {
	const { access, doc } = await openDocument(user, slug, id);
	const { dataset } = access;
	const settings = resolveSuggestionSettings(dataset.suggestions);
	const labels = dataset.labels.map((l) => l.name);
	const lang = taggerLanguage(Object.hasOwn(doc.meta, 'lang') ? doc.meta.lang : null) ?? detectLanguage(doc.text);
	const reference = referenceDate(doc.meta);
	const me = access.user.username;
	// the lexicon first: the union is cached per document, caller, settings and lexicon state
	const found = settings.lexicon ? await lexiconFor(slug, me) : null;
	const imports = settings.imports ? await importSetsOf(slug, doc.id) : [];
	const key = [slug, doc.id, doc.sha256, me, dataset.version ?? 0, found?.lexicon.version ?? '-', lang, reference ?? '', imports.map((s) => `${s.annotator}@${s.revision}`).join(',')].join('\n');
	let all = unions.get(key);
	if (all) {
		unions.delete(key);
		unions.set(key, all);
	} else {
		const sources: SuggestionSource[] = [];
		for (const set of imports) sources.push(setSource(set.annotator, (await loadSet(slug, doc.id, set.annotator)).spans));
		for (const run of settings.runs) {
			const spans = (await runSpans(slug, run))?.get(doc.id);
			if (spans?.length) sources.push(setSource(`run~${run}`, spans));
		}
		if (settings.dates) sources.push(datesSource);
		// the document's own gold is left out of the lexicon on that document (the caller's own work is theirs to see)
		const exclude = found && me !== GOLD ? found.goldOf(doc.id) : [];
		if (found) sources.push({ name: 'lexicon', yields: true, suggest: (d, c) => (c.lexicon ? c.lexicon.match(d.text, c.labels, exclude) : []) });
		if (settings.cues) sources.push(cuesSource);
		const temporal = settings.dates && labels.includes('date') ? await temporalOf(doc, lang, reference) : undefined;
		all = suggest(doc, { labels, lang, reference, temporal, lexicon: found?.lexicon, relationTypes: relationTypesOf(dataset) }, sources);
		unions.set(key, all);
		if (unions.size > UNIONS) unions.delete(unions.keys().next().value!);
	}
	const set = await loadSet(slug, doc.id, me);
	return { suggestions: forCaller(all, set.spans, set.dismissed ?? []) };
}

void lexiconSource; // the pure source; the server wraps it to leave out the document's own gold

/**
 * Sets a dataset's suggestion settings and correction mode (leads).
 * Runs must exist; a correction source must be a run or an import of the dataset.
 */
export async function updateSuggestionSettings(access: DatasetAccess, input: unknown): Promise<{ suggestions: ResolvedSuggestionSettings; correction: CorrectionSettings | null }> {
	const parsed = suggestionSettingsSchema.safeParse(input);
	if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => i.message).join('; '));
	const patch: SuggestionSettingsInput = parsed.data;
	const slug = access.dataset.slug;
	const known = new Set((await listRuns(slug)).map((r) => r.run));
	const missing = (patch.suggestions?.runs ?? []).filter((r) => !known.has(r));
	if (missing.length) throw badRequest(`suggestions.runs: no prediction run ${missing.map((r) => `"${r}"`).join(', ')} in dataset "${slug}"`);
	const source = patch.correction?.source;
	if (source?.startsWith('run~') && !known.has(source.slice(4))) throw badRequest(`correction.source: no prediction run "${source.slice(4)}" in dataset "${slug}"`);
	if (source?.startsWith('import~') && !(await importExists(slug, source))) throw badRequest(`correction.source: no imported set "${source}" in dataset "${slug}"`);
	return updateDataset(slug, (d) => {
		if (patch.suggestions) {
			const s = { ...resolveSuggestionSettings(d.suggestions), ...patch.suggestions };
			s.runs = [...new Set(s.runs)];
			d.suggestions = s;
		}
		if (patch.correction !== undefined) d.correction = patch.correction;
		return suggestionSettingsOf(d);
	});
}

/** GET …/suggestion-settings (leads). */
export async function suggestionSettingsFor(user: SessionUser | null, slug: string) {
	return suggestionSettingsView(await requireDatasetLead(user, slug));
}

/** PUT …/suggestion-settings and the settings page's Suggestions form (leads). */
export async function updateSuggestionSettingsAs(user: SessionUser | null, slug: string, input: Later<unknown>) {
	const access = await requireDatasetLead(user, slug);
	return updateSuggestionSettings(access, await input());
}

/** GET …/gazetteer (leads). */
export async function gazetteerFor(user: SessionUser | null, slug: string) {
	const access = await requireDatasetLead(user, slug);
	return gazetteerInfo(access.dataset.slug);
}

/** PUT …/gazetteer and the settings page's upload (leads): the TSV text, read once the caller may. */
export async function uploadGazetteerAs(user: SessionUser | null, slug: string, tsv: Later<string>) {
	const access = await requireDatasetLead(user, slug);
	return uploadGazetteer(access, await tsv());
}

/** DELETE …/gazetteer and the settings page's "remove" (leads): what is left (nothing). */
export async function deleteGazetteerAs(user: SessionUser | null, slug: string) {
	const access = await requireDatasetLead(user, slug);
	await deleteGazetteer(access);
	return gazetteerInfo(access.dataset.slug);
}

/** The dataset's suggestion settings with what can be chosen: its runs, imported sets and gazetteer (leads: Settings and the API). */
export async function suggestionSettingsView(access: DatasetAccess) {
	const slug = access.dataset.slug;
	return {
		...suggestionSettingsOf(access.dataset),
		available: { runs: (await listRuns(slug)).map((r) => r.run), imports: await importSetNames(slug) },
		gazetteer: await gazetteerInfo(slug)
	};
}

/** Imported sets of a dataset, by name (what correction mode can start from). */
export async function importSetNames(slug: string): Promise<string[]> {
	const names = new Set<string>();
	for (const header of await listDocumentHeaders(slug)) {
		for (const name of await store.sets.importSetNames(slug, header.id)) names.add(name);
	}
	return [...names].sort();
}

async function importExists(slug: string, name: string): Promise<boolean> {
	return (await importSetNames(slug)).includes(name);
}

// ---------------------------------------------------------------------------
// the gazetteer (leads): TSV `text<TAB>label`, all or nothing

export async function gazetteerInfo(slug: string): Promise<{ entries: number; uploaded_at: string | null; uploaded_by: string | null }> {
	const found = await readGazetteer(slug);
	return found
		? { entries: found.gazetteer.entries.length, uploaded_at: found.gazetteer.uploaded_at, uploaded_by: found.gazetteer.uploaded_by }
		: { entries: 0, uploaded_at: null, uploaded_by: null };
}

/** Replaces the gazetteer; a file with any bad line is refused whole (400, problems by line), nothing changed. */
export async function uploadGazetteer(access: DatasetAccess, tsv: string): Promise<{ entries: number }> {
	if (Buffer.byteLength(tsv) > MAX_GAZETTEER_BYTES) throw tooLarge(`the gazetteer is larger than ${MAX_GAZETTEER_BYTES} bytes`);
	const { entries, problems } = parseGazetteer(tsv, access.dataset.labels.map((l) => l.name));
	if (problems.length) throw badRequest(`nothing was stored: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the gazetteer`, { errors: problems });
	if (!entries.length) throw badRequest('the gazetteer has no entries: one text<TAB>label a line');
	await writeGazetteer(access.dataset.slug, { entries, uploaded_at: new Date().toISOString(), uploaded_by: access.user.username });
	return { entries: entries.length };
}

export async function deleteGazetteer(access: DatasetAccess): Promise<void> {
	await removeGazetteer(access.dataset.slug);
}
